"""A live workshop in real browsers: a facilitator on a laptop, three participants on phones.

The facilitator sets the workshop up from the team page (two chosen dimensions), opens it and
watches the live view; the participants join with the code and answer the first practice
1, 3 and 3: median 3, spread 3 - 1 = 2, a disagreement. The answers appear in the live view
without a reload; the facilitator records the agreed answer 2 with a note, opens the next
dimension and the phones follow without a reload; then closes, finalizes, and the PDF carries
the note. No console errors or CSP violations on any page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import PHONE, ConsoleLog, LiveServer, log_in
from tests.factories import make_org, make_team, make_user

NOTE = "Staging deploys are automated, production still needs a ticket"
ANSWERS = (("Ana", "Development", "1"), ("Ben", "Operations", "3"), ("Cy", "Testing", "3"))
POLL_WAIT_MS = 10_000  # the pages poll every 3 s; a busy machine may take longer


def no_favicon(context: BrowserContext) -> BrowserContext:
    """The app has no favicon; Chromium asks for one on some pages and logs the 404 as a console error."""
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    return context


def set_up_people(live_server: LiveServer) -> tuple[str, int]:
    """The facilitator (owner of her client's organisation) and the team; returns her email and the team id."""
    with live_server.app.test_request_context():
        facilitator = make_user("Fay Facilitator", "fay@workshop.e2e")
        team = make_team(make_org(facilitator, "Workshop Co"), "Checkout")
        return facilitator.email, team.id


def join_on_a_phone(
    new_context: Callable[..., BrowserContext], live_server: LiveServer, code: str, name: str, role: str, log: ConsoleLog
) -> Page:
    phone = no_favicon(new_context(viewport=PHONE, is_mobile=True, has_touch=True)).new_page()
    log.watch(phone)
    phone.goto(live_server.at("/join"))
    phone.get_by_label("Workshop code").fill(code.lower())  # typed in lower case: still the code
    phone.get_by_label("Your name (optional)").fill(name)
    phone.get_by_label(role).check()
    phone.get_by_role("button", name="Join", exact=True).click()
    expect(phone.locator("h2.seat-dimension")).to_have_text("Configuration and change management")
    return phone


def test_a_live_workshop_from_joining_to_the_pdf(live_server: LiveServer, new_context: Callable[..., BrowserContext]) -> None:
    log = ConsoleLog()
    email, team_id = set_up_people(live_server)
    laptop = no_favicon(new_context()).new_page()
    log.watch(laptop)
    log_in(laptop, live_server, email)
    laptop.goto(live_server.at(f"/teams/{team_id}"))
    laptop.get_by_role("button", name="Run a workshop").click()
    laptop.get_by_label("Only the dimensions I choose").check()
    laptop.get_by_label("Configuration and change management").check()
    laptop.get_by_label("Testing and quality").check()
    laptop.get_by_role("button", name="Set up the workshop").click()
    laptop.get_by_role("button", name="Open the workshop").click()
    expect(laptop.get_by_text("The workshop is open")).to_be_visible()
    code = laptop.locator(".join-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{6}", code)
    expect(laptop.locator(".qr svg")).to_be_visible()

    phones = [join_on_a_phone(new_context, live_server, code, name, role, log) for name, role, _ in ANSWERS]
    laptop.get_by_role("button", name="Live view").click()
    first = laptop.locator("article.live-practice").first  # nothing answered yet: catalog order, level 1 first
    expect(first).to_contain_text("0 / 3")
    practice_id = first.get_attribute("id").removeprefix("live-")
    practices = laptop.locator("article.live-practice").count()

    for phone, (_, _, value) in zip(phones, ANSWERS, strict=True):
        block = phone.locator(f'form[id="p-{practice_id}"]')
        block.locator(f'input[name="value"][value="{value}"]').check()
        expect(block.locator(".save-status")).to_have_text("Saved")
        phone_width = phone.evaluate("document.documentElement.scrollWidth")
        assert phone_width <= PHONE["width"], f"the participant page is {phone_width}px wide on a 375px phone"

    # The live view caught up by itself (no reload): 3 answered, median 3, spread 2, a disagreement
    live = laptop.locator(f'article[id="live-{practice_id}"]')
    expect(live).to_contain_text("3 / 3", timeout=POLL_WAIT_MS)
    expect(live.locator(".live-facts")).to_contain_text("3 · Fully")
    expect(live.locator(".disagree-badge")).to_be_visible()
    assert laptop.evaluate("performance.getEntriesByType('navigation').length") == 1

    live.get_by_role("link", name="Record the agreed answer").click()
    panel = laptop.locator("#consensus-panel")
    expect(panel.locator('input[name="value"][value="3"]')).to_be_checked()  # the median is the default
    panel.get_by_label("2 · Mostly").check()
    panel.get_by_label("Note from the discussion (optional)").fill(NOTE)
    panel.get_by_role("button", name="Save the agreed answer").click()
    expect(panel.get_by_text("Recorded: 2 · Mostly.")).to_be_visible()
    expect(live.locator(".live-note")).to_have_text(NOTE, timeout=POLL_WAIT_MS)

    laptop.get_by_role("link", name="Big screen").first.click()  # the projector: code, QR code, no names
    expect(laptop.locator(".screen-code")).to_have_text(code)
    expect(laptop.locator("article.screen-practice")).to_have_count(practices)
    screen = laptop.content()
    assert not any(f">{name}<" in screen or f" {name} " in screen for name, _, _ in ANSWERS)
    laptop.go_back()

    laptop.get_by_label("Dimension the participants answer now").select_option(label="Testing and quality")
    laptop.get_by_role("button", name="Open this dimension").click()
    for phone in phones:
        expect(phone.locator("h2.seat-dimension")).to_have_text("Testing and quality", timeout=POLL_WAIT_MS)
        assert phone.evaluate("performance.getEntriesByType('navigation').length") == 1  # followed without a reload

    laptop.get_by_role("link", name="Control").first.click()
    laptop.get_by_role("button", name="Close: no more answers").click()
    for phone in phones:
        expect(phone.get_by_text("The workshop is closed")).to_be_visible(timeout=POLL_WAIT_MS)
    laptop.get_by_role("button", name="Finalize the workshop").click()
    expect(laptop.get_by_text("The workshop is finalized")).to_be_visible()

    with laptop.expect_download(timeout=60_000) as download_info:  # WeasyPrint takes seconds on a busy machine
        laptop.get_by_role("button", name="Download the PDF report").click(timeout=60_000)
    with open(download_info.value.path(), "rb") as pdf:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read())).pages)
    assert NOTE in " ".join(text.split()), "the workshop section of the PDF should print the consensus note"
    assert log.errors == []
