"""The main pages in a real browser: language choice, phone width, console and CSP, the PDF download."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import PHONE, ConsoleLog, LiveServer, World, log_in


def signed_in_pages(world: World) -> dict[str, str]:
    """The pages a signed-in owner uses most, by name."""
    return {
        "home": "/home",
        "organisation": f"/orgs/{world.organisation_id}",
        "organisation overview": f"/orgs/{world.organisation_id}/overview",
        "units": f"/orgs/{world.organisation_id}/units",
        "team": f"/teams/{world.team_id}",
        "assessment": f"/assessments/{world.open_id}",
        "questionnaire": f"/assessments/{world.open_id}/dimensions/config",
        "review": f"/assessments/{world.open_id}/review",
        "results": f"/assessments/{world.finalized_id}/results",
        "how it is computed": f"/assessments/{world.finalized_id}/results/how",
        "roadmap": f"/assessments/{world.finalized_id}/roadmap",
        "progress over time": f"/teams/{world.team_id}/trend",
        "compare iterations": f"/teams/{world.team_id}/compare",
        "model": "/catalogs",
    }


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_pages_fit_a_phone_screen(new_context: Callable[..., BrowserContext], live_server: LiveServer, world: World) -> None:
    page = new_context(viewport=PHONE).new_page()
    too_wide = {}
    for name, path in {"landing": "/", "login": "/login", "sign-up": "/signup"}.items():
        page.goto(live_server.at(path))
        too_wide[name] = horizontal_overflow(page)
    log_in(page, live_server, world.owner_email)
    for name, path in signed_in_pages(world).items():
        page.goto(live_server.at(path))
        too_wide[name] = horizontal_overflow(page)
    assert {name: px for name, px in too_wide.items() if px > 0} == {}


def test_the_chosen_language_is_remembered_across_pages_and_fits_a_phone(
    new_context: Callable[..., BrowserContext], live_server: LiveServer, world: World
) -> None:
    page = new_context(viewport=PHONE).new_page()  # the browser prefers English
    page.goto(live_server.at("/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh")
    assert page.url == live_server.at("/")  # back on the page where the language was chosen
    too_wide = {"landing": horizontal_overflow(page)}
    page.goto(live_server.at("/login"))
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
    too_wide["login"] = horizontal_overflow(page)
    log_in(page, live_server, world.owner_email)
    for name, path in signed_in_pages(world).items():
        page.goto(live_server.at(path))
        expect(page.locator("html")).to_have_attribute("lang", "zh")
        expect(page.locator("header").get_by_role("button", name="English")).to_be_visible()
        too_wide[name] = horizontal_overflow(page)
    assert {name: px for name, px in too_wide.items() if px > 0} == {}
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(live_server.at("/home"))
    expect(page.get_by_role("heading", name="Your organisations")).to_be_visible()


def test_no_console_errors_or_csp_violations(page: Page, live_server: LiveServer, world: World) -> None:
    console = ConsoleLog()
    console.watch(page)
    for path in ("/", "/login", "/signup"):
        page.goto(live_server.at(path))
    log_in(page, live_server, world.owner_email)
    for path in signed_in_pages(world).values():
        page.goto(live_server.at(path))
    # An htmx save swaps in fragments: they must not break the CSP either.
    page.goto(live_server.at(signed_in_pages(world)["questionnaire"]))
    page.locator("fieldset.practice").nth(1).locator('input[value="unknown"]').check()
    expect(page.locator("fieldset.practice").nth(1).locator(".save-status")).to_have_text("Saved")
    assert console.errors == []


def test_the_pdf_report_downloads_from_the_results(page: Page, live_server: LiveServer, world: World) -> None:
    log_in(page, live_server, world.owner_email)
    page.goto(live_server.at(f"/assessments/{world.finalized_id}/results"))
    page.get_by_role("button", name="Roadmap: what to improve first").click()
    with page.expect_download(timeout=30_000) as download_info:  # WeasyPrint takes seconds on a busy machine
        page.get_by_role("button", name="Download the PDF report").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
