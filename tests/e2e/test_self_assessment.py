"""Issue 4's walk-through in a real browser: two people fill a quick assessment, the owner sees the results.

The answers, and the results they give (DESIGN.md, "Scoring"). The quick questionnaire asks one
practice per level 1-3 in each of the 10 dimensions (30 practices); levels 4 and 5 are not asked,
so their coverage is 0.
- Olive (owner) answers 2 everywhere; Ben (invited member) answers 2 everywhere but 0 for
  architecture.independent-deploy (level 3).
- Medians: 2 everywhere, except independent-deploy: median(2, 0) = 1 (spread 2: a disagreement).
- 9 dimensions: coverage 2/3, 2/3, 2/3, 0, 0 -> score 2/3 * 3 = 2.
- Architecture: coverage 2/3, 2/3, 1/3, 0, 0 -> score 2/3 + 2/3 + 1/3 = 5/3 (level 1): the weakest.
- Overall: (9 * 2 + 5/3) / 10 = 59/30 = 1.9667, shown as "1.97", level 1.
- Confidence: every answer is a rating: 100%.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import LiveServer

OWNER_ANSWER = "2"
DIFFERENT = "architecture.independent-deploy"
PASSWORD = "a long enough password"


def sign_up(page: Page, name: str, email: str) -> None:
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()


def answer_every_page(page: Page, answers: Callable[[str], str]) -> int:
    """Click an answer for each practice, page by page, waiting for the autosaves; returns the count."""
    count = 0
    while "/dimensions/" in page.url:
        practices = page.locator("fieldset.practice").all()
        for practice in practices:
            practice_id = practice.get_attribute("hx-post").rsplit("/", 1)[1]
            practice.locator(f'input[type=radio][value="{answers(practice_id)}"]').check()
        for practice in practices:
            expect(practice.locator(".save-status")).to_have_text("Saved")
        count += len(practices)
        page.get_by_role("button", name=re.compile("^Save and continue")).click()
        page.wait_for_load_state()
    return count


def test_two_people_fill_a_quick_assessment_and_the_owner_sees_the_results(
    live_server: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    owner = new_context().new_page()
    owner.goto(live_server.at("/"))
    owner.get_by_role("button", name="Start a free assessment").click()
    sign_up(owner, "Olive Owner", "olive@e2e.example")
    expect(owner).to_have_url(re.compile(r"/home$"))

    owner.get_by_label("Organisation name").fill("Acme")
    owner.get_by_role("button", name="Create", exact=True).click()
    expect(owner.get_by_role("heading", name="Acme")).to_be_visible()
    owner.get_by_role("button", name="Create invitation link").click()
    invitation_link = owner.locator("#new-link").input_value()
    assert "/invite/" in invitation_link

    owner.get_by_label("Team name").fill("Payments")
    owner.get_by_role("button", name="Create team").click()
    expect(owner.get_by_role("heading", name="Payments")).to_be_visible()
    owner.get_by_label("Quick: the key practices").check()
    owner.get_by_role("button", name="Start assessment").click()
    expect(owner.get_by_text("is open. Invite your team to answer.")).to_be_visible()
    assessment_url = owner.url

    owner.get_by_label("Team lead").check()
    owner.get_by_role("button", name="Start answering").click()
    assert answer_every_page(owner, lambda _practice: OWNER_ANSWER) == 30

    member = new_context().new_page()
    member.goto(invitation_link)
    expect(member.get_by_role("heading", name="Join Acme")).to_be_visible()
    member.get_by_role("button", name="Sign up").click()
    sign_up(member, "Ben Builder", "ben@e2e.example")
    member.get_by_role("button", name="Accept and join").click()
    expect(member.get_by_text("Welcome to Acme.")).to_be_visible()
    member.get_by_role("link", name="Payments").click()
    member.get_by_role("link", name=re.compile(r"^\d{4}-Q\d$")).click()
    assert member.url == assessment_url
    member.get_by_label("Development").check()
    member.get_by_role("button", name="Start answering").click()
    assert answer_every_page(member, lambda practice: "0" if practice == DIFFERENT else OWNER_ANSWER) == 30
    member.goto(assessment_url.rstrip("/") + "/review")
    expect(member.get_by_text("You have answered every practice.")).to_be_visible()
    member.get_by_role("button", name="Submit my answers").click()
    expect(member.get_by_text("Your answers are submitted.")).to_be_visible()

    owner.goto(assessment_url)
    owner.get_by_role("button", name="Finalize the assessment…").click()
    owner.get_by_role("button", name="Yes, finalize now").click()
    expect(owner.get_by_text("The assessment is finalized")).to_be_visible()
    owner.get_by_role("button", name="See the results").click()
    check_results(owner, live_server)


def check_results(page: Page, live_server: LiveServer) -> None:
    catalog = live_server.app.extensions["cdcoach.catalogs"].get("cd-maturity")
    summary = page.locator("section.summary")
    expect(summary.locator("article.stat").nth(0).locator(".big")).to_have_text(re.compile(r"^1\.97\s*/ 5$"))
    expect(summary.locator("article.stat").nth(0)).to_contain_text("Level 1,")
    expect(summary.locator("article.stat").nth(1).locator(".big-name")).to_have_text(catalog.dimension("architecture").name.en)
    expect(summary.locator("article.stat").nth(2).locator(".big")).to_have_text("100%")
    expect(summary.locator("article.stat").nth(3).locator(".big")).to_have_text("2")

    radar = page.locator("figure.radar img")
    radar.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=radar.element_handle())

    disagreements = page.locator("ul.disagreements > li")
    expect(disagreements).to_have_count(1)
    expect(disagreements.first).to_contain_text(catalog.practices[DIFFERENT].statement.en)
    expect(disagreements.first).to_contain_text("Answers 2 steps apart.")
