"""The results pages: numbers worked out by hand (tests/results_scenario.py), privacy and access."""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from assessment.extensions import db
from assessment.services import assessments as assessment_service
from assessment.store.models import User
from tests import results_scenario
from tests.factories import login, make_org, make_user

ROUTES = ("/assessments/{id}/results", "/assessments/{id}/results/how", "/assessments/{id}/charts/radar.svg")


@dataclass(frozen=True)
class Ids:
    """The scenario by ids: each test request then runs in its own app context (and locale)."""

    organisation_id: int
    assessment_id: int
    owner: SimpleNamespace
    facilitator: SimpleNamespace
    member: SimpleNamespace
    viewer: SimpleNamespace


@pytest.fixture
def scenario(app) -> Ids:
    with app.test_request_context():
        s = results_scenario.build(app)
        users = (SimpleNamespace(id=u.id) for u in (s.owner, s.facilitator, s.member, s.viewer))
        return Ids(s.organisation.id, s.assessment.id, *users)


@pytest.fixture
def catalog(app):
    return app.extensions["cdcoach.catalogs"].get("cd-maturity")


def page(client, scenario, user=None, path="/assessments/{id}/results"):
    login(client, user or scenario.owner)
    response = client.get(path.format(id=scenario.assessment_id))
    assert response.status_code == 200
    return response.text


def plain(html: str) -> str:
    """The page's text with tags dropped and white space collapsed, for phrases split over tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_summary_numbers(client, scenario):
    text = plain(page(client, scenario))
    assert "0.38 / 5" in text and "Below level 1" in text
    assert "Weakest dimension Release and deployment" in text
    assert "Score 0.00, level 0 (Below level 1). Level 1 is held back by:" in text
    assert "16%" in text  # confidence 14/87
    assert "Respondents 3" in text
    assert "Provisional." in text and "Final." not in text


def test_dimension_table(client, scenario):
    text = plain(page(client, scenario))
    assert "asked about levels 1 to 3 only" in text  # the quick form, said once above the table
    assert "Configuration and change management 1.83 level 1: Initial" in text
    assert "Testing and quality 2.00 level 2: Foundational" in text
    assert "Level 2: 67%" in text and "Level 3: 17%" in text and "Level 4: not measured" in text
    assert "Process mean 0.96" in text  # (11/6 + 2 + 0 + 0) / 4 = 23/24


def test_gaps_strengths_and_disagreements(client, scenario, catalog):
    html = page(client, scenario)
    text = plain(html)
    monthly = catalog.practices["release.monthly-release"]
    assert "Release and deployment, level 1, now: No answer" in text
    assert monthly.guidance.first_steps.en.split("\n")[0][:60] in text
    assert "2 practices are fully in place" in text
    peer_review = catalog.practices["config.peer-review"].statement.en
    assert peer_review in text and "Answers 2 steps apart." in text
    assert "Some say it does not apply, others say it is in place." in text  # automated unit tests: na, na, 1


def test_delivery_section(client, scenario):
    text = plain(page(client, scenario))
    assert "Performance tier 3 / 5" in text
    assert "DORA Quick Check 7.4 / 10" in text and "Throughput 6.0, instability 8.8" in text
    assert "12% (11–20 %) 3 8.8" in text


def test_members_and_viewers_see_no_names(client, scenario):
    for user in (scenario.member, scenario.viewer):
        html = page(client, scenario, user)
        assert "Ann Answerer" not in html and "Individual answers" not in html


def test_facilitators_see_who_answered_what(client, scenario):
    text = plain(page(client, scenario, scenario.facilitator))
    assert "Individual answers" in text
    assert "Ann Answerer Development Bob Builder Development Cy Operator Operations" in text


def test_role_split_only_with_groups_of_three(app, client, scenario):
    assert "How each role sees it" not in page(client, scenario)
    with app.test_request_context():
        results_scenario.add_respondents(scenario.organisation_id, scenario.assessment_id, ("dev", "ops", "ops"), "1")
    text = plain(page(client, scenario))
    assert "How each role sees it" in text and "Development (3) Operations (3)" in text


def test_finalized_page_shows_the_stored_numbers(app, client, scenario):
    with app.test_request_context():
        assessment_service.finalize(db.session.get(User, scenario.owner.id), scenario.assessment_id)
    text = plain(page(client, scenario))
    assert "Final." in text and "Provisional." not in text
    assert "0.38 / 5" in text


def test_how_page_traces_the_arithmetic(client, scenario):
    text = plain(page(client, scenario, scenario.viewer, "/assessments/{id}/results/how?dimension=config"))
    assert "Step by step: Configuration and change management" in text
    assert "median of 0, 1" in text  # trunk-based: 0, 1 and a "don't know"
    assert "(1 × 0.17) ÷ 1 0.17 (1/6)" in text
    assert "Score = 1.00 + 0.67 + 0.17 + 0.00 + 0.00 = 1.83 (11/6)" in text
    assert "Level: 1.83 rounded down = 1." in text
    assert "14 ratings of 87 answers that count = 16%" in text


def test_how_page_defaults_to_the_weakest_and_explains_na_levels(client, scenario):
    assert "Step by step: Release and deployment" in plain(page(client, scenario, path="/assessments/{id}/results/how"))
    text = plain(page(client, scenario, path="/assessments/{id}/results/how?dimension=testing"))
    assert "Every practice is not applicable: counts as 1." in text
    assert "more than half said not applicable" in text


def test_how_page_unknown_dimension_is_404(client, scenario):
    login(client, scenario.owner)
    assert client.get(f"/assessments/{scenario.assessment_id}/results/how?dimension=nope").status_code == 404


def test_radar_chart_is_an_svg_image_with_its_own_policy(client, scenario, catalog):
    login(client, scenario.viewer)
    url = f"/assessments/{scenario.assessment_id}/charts/radar.svg"
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert "Configuration and change management" in plain(response.text)  # wrapped over <text> lines
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert client.get(url, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    client.set_cookie("cdcoach_lang", "zh")
    assert catalog.dimensions[1].name.zh in client.get(url).text


def test_pages_have_no_inline_style_or_script(client, scenario):
    for path in ROUTES[:2]:
        html = page(client, scenario, scenario.facilitator, path)
        assert " style=" not in html and "<script>" not in html and not re.search(r"\son\w+=", html)
    assert f'src="/assessments/{scenario.assessment_id}/charts/radar.svg' in page(client, scenario)


@pytest.mark.parametrize("path", ROUTES)
def test_anonymous_users_are_sent_to_log_in(client, scenario, path):
    response = client.get(path.format(id=scenario.assessment_id))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ROUTES)
def test_other_organisations_get_404(app, client, scenario, path):
    with app.app_context():
        stranger = make_user()
        make_org(stranger)
        login(client, SimpleNamespace(id=stranger.id))
    assert client.get(path.format(id=scenario.assessment_id)).status_code == 404
    assert client.get(path.format(id=999_999)).status_code == 404


@pytest.mark.parametrize("path", ROUTES)
def test_viewers_can_read(client, scenario, path):
    login(client, scenario.viewer)
    assert client.get(path.format(id=scenario.assessment_id)).status_code == 200
