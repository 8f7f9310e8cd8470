"""The questionnaire's autosave: an answer survives a reload; a failed save is reported and retried."""

from __future__ import annotations

from playwright.sync_api import Page, Route, expect

from tests.e2e.conftest import LiveServer, World, log_in

PRACTICE = "config.version-control"
ANSWER_URLS = "**/answers/**"


def radio(page: Page, value: str):
    return page.locator(f'fieldset.practice[hx-post$="/{PRACTICE}"] input[type=radio][value="{value}"]')


def status(page: Page):
    return page.locator(f'fieldset.practice[hx-post$="/{PRACTICE}"] .save-status')


def test_an_answer_survives_a_reload_and_a_failed_save_is_retried(page: Page, live_server: LiveServer, world: World) -> None:
    log_in(page, live_server, world.owner_email)
    page.goto(live_server.at(f"/assessments/{world.open_id}/dimensions/config"))

    radio(page, "3").check()
    expect(status(page)).to_have_text("Saved")
    page.reload()
    expect(radio(page, "3")).to_be_checked()
    expect(status(page)).to_have_text("")

    failed: list[str] = []

    def fail(route: Route) -> None:
        failed.append(route.request.url)
        route.fulfill(status=500, body="server down")

    page.context.route(ANSWER_URLS, fail)
    radio(page, "1").check()
    expect(status(page)).to_contain_text("Not saved: the connection or the server failed. Trying again in")
    assert failed  # the save did reach the (failing) server
    page.context.unroute(ANSWER_URLS)  # the server is back: the retry (after 1 s, or 2 s) goes through
    expect(status(page)).to_have_text("Saved")

    page.context.route(ANSWER_URLS, lambda route: route.abort("internetdisconnected"))  # the connection is lost
    radio(page, "2").check()
    expect(status(page)).to_contain_text("Not saved:")
    page.context.unroute(ANSWER_URLS)
    expect(status(page)).to_have_text("Saved")

    page.reload()
    expect(radio(page, "2")).to_be_checked()
