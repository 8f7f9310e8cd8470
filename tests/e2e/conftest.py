"""Browser tests: the real app served on a free local port, driven by Debian's Chromium.

The server is the app of `create_app` (CSRF on, as in production) on a throw-away SQLite
database, served by werkzeug in a background thread for the whole session. Each test gets a
fresh browser context (its own cookies), so users do not leak between tests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from playwright import sync_api
from werkzeug.serving import BaseWSGIServer, make_server

from assessment.app import create_app
from assessment.extensions import db
from assessment.services import assessments as assessment_service
from tests import results_scenario
from tests.factories import PASSWORD, start

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 10_000  # generous: the machine that runs the suite may be busy
NO_CHROMIUM = f"{CHROMIUM} is missing (`make test-packages` installs Debian's chromium)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this folder `e2e`, and skip them all when there is no browser."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.e2e)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))


@dataclass
class LiveServer:
    app: Flask
    url: str

    def at(self, path: str) -> str:
        return self.url + path


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    database = tmp_path_factory.mktemp("e2e") / "e2e.sqlite"
    app = create_app({"SECRET_KEY": "e2e", "DATABASE_URL": f"sqlite:///{database}"})
    with app.app_context():
        db.create_all()
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[sync_api.Browser]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser: sync_api.Browser) -> Iterator[Callable[..., sync_api.BrowserContext]]:
    """Fresh contexts (one per user), all closed after the test."""
    opened: list[sync_api.BrowserContext] = []

    def make(**options: object) -> sync_api.BrowserContext:
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "en-GB")
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., sync_api.BrowserContext]) -> sync_api.Page:
    return new_context().new_page()


@dataclass
class World:
    """The quick assessment of tests/results_scenario.py (three respondents, finalized), and a
    later open quick assessment of the same team that its owner has joined."""

    owner_email: str
    organisation_id: int
    team_id: int
    finalized_id: int
    open_id: int


@pytest.fixture(scope="session")
def world(live_server: LiveServer) -> World:
    with live_server.app.test_request_context():
        scenario = results_scenario.build(live_server.app)
        assessment_service.finalize(scenario.owner, scenario.assessment.id)
        later = start(live_server.app, scenario.owner, scenario.team, "quick", period="2027-Q1")
        assessment_service.join_as_respondent(scenario.owner, later.id, "lead")
        return World(scenario.owner.email, scenario.organisation.id, scenario.team.id, scenario.assessment.id, later.id)


def log_in(page: sync_api.Page, server: LiveServer, email: str, password: str = PASSWORD) -> None:
    """Log in through the form (by field ids, so in either language)."""
    page.goto(server.at("/login"))
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/home")


@dataclass
class ConsoleLog:
    """Console errors, failed page errors and CSP violations seen by a page."""

    errors: list[str] = field(default_factory=list)

    def watch(self, page: sync_api.Page) -> None:
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        # A violation event also fires when the browser does not print it (e.g. a blocked
        # inline style in an htmx swap); the init script runs outside the page's CSP.
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e =>"
            " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
        )
