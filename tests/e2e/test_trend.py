"""The progress-over-time page in a real browser: the chart, an SVG image with its own policy,
loads under the page's strict CSP, in both languages, and the page fits a phone."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import BrowserContext, expect

from tests.e2e.conftest import PHONE, ConsoleLog, LiveServer, World, log_in


def test_the_trend_chart_loads_under_the_strict_policy(
    new_context: Callable[..., BrowserContext], live_server: LiveServer, world: World
) -> None:
    for options in ({}, {"viewport": PHONE, "locale": "zh-CN"}):
        page = new_context(**options).new_page()
        page.route("**/favicon.ico", lambda route: route.fulfill(status=204))  # the app has none: not this test's concern
        console = ConsoleLog()
        console.watch(page)
        log_in(page, live_server, world.owner_email)
        page.goto(live_server.at(f"/teams/{world.team_id}/trend"))
        chart = page.locator("figure.trend img")
        expect(chart).to_be_visible()
        assert chart.evaluate("img => img.complete && img.naturalWidth > 0")  # the SVG really loaded
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0  # the chart scrolls in its box
        assert console.errors == []
