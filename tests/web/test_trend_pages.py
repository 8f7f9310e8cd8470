"""The progress-over-time page, its chart, the compare page and the review PDF download, from the web."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests import trend_scenario
from tests.factories import login, make_org, make_team, make_user


@pytest.fixture
def ids(app) -> SimpleNamespace:
    """The scenario's ids, read while the session is open; a stranger with an organisation of their own."""
    with app.test_request_context():
        built = trend_scenario.build(app)
        stranger = make_user("Sid Stranger")
        make_org(stranger)
        lonely = make_team(built.organisation, "New Team", lead=built.owner)
        return SimpleNamespace(
            team=built.team.id,
            lonely=lonely.id,
            iterations=[a.id for a in built.iterations],
            owner=built.owner.id,
            viewer=built.viewer.id,
            stranger=stranger.id,
        )


def as_user(client, user_id: int) -> None:
    login(client, SimpleNamespace(id=user_id))


def test_the_trend_page_shows_the_chart_and_every_iteration(client, ids):
    as_user(client, ids.viewer)
    page = client.get(f"/teams/{ids.team}/trend")
    assert page.status_code == 200
    html = page.text
    assert f'src="/teams/{ids.team}/charts/trend.svg"' in html
    for text in ("2026-Q1", "2026-Q2", "2026-Q3", "0.13", "0.23", "0.20", "+0.10", "-0.03"):
        assert text in html
    _q1, q2, q3 = ids.iterations
    assert f"/teams/{ids.team}/compare?base={q2}&amp;now={q3}" in html  # each row compares with the one before
    assert f"/teams/{ids.team}/review.pdf" in html


def test_the_chart_is_an_svg_image_with_its_own_policy(client, ids):
    as_user(client, ids.viewer)
    chart = client.get(f"/teams/{ids.team}/charts/trend.svg")
    assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
    assert chart.headers["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert b"2026-Q3" in chart.data and b"<script" not in chart.data
    again = client.get(f"/teams/{ids.team}/charts/trend.svg", headers={"If-None-Match": chart.headers["ETag"]})
    assert again.status_code == 304


def test_the_compare_page_shows_the_changes_and_the_dip(client, ids):
    as_user(client, ids.viewer)
    html = client.get(f"/teams/{ids.team}/compare").text
    q1, q2, q3 = ids.iterations
    assert f'<option value="{q2}" selected>' in html and f'<option value="{q3}" selected>' in html
    for text in (
        "Some things went down",
        "The overall score went down from 0.23 to 0.20.",
        "Practices that moved up",
        "Practices that moved down",
        "New disagreements",
        "Deployment frequency",
    ):
        assert text in html, text
    chosen = client.get(f"/teams/{ids.team}/compare?base={q1}&now={q2}").text
    assert "Delivery performance fell from tier 4 to tier 3." in chosen
    assert client.get(f"/teams/{ids.team}/compare?base=999999").status_code == 404
    same = client.get(f"/teams/{ids.team}/compare?base={q3}&now={q3}").text  # one iteration with itself: no change
    assert "Some things went down" not in same and "No new disagreement." in same


def test_the_compare_page_in_chinese(client, ids):
    as_user(client, ids.viewer)
    client.set_cookie("cdcoach_lang", "zh")  # the language switch's cookie
    html = client.get(f"/teams/{ids.team}/compare").text
    assert "总体得分从0.23降至0.20。" in html and "上升的实践" in html
    assert "The overall score went down" not in html


def test_a_team_without_iterations(client, ids):
    as_user(client, ids.owner)
    assert "No finalized iteration yet" in client.get(f"/teams/{ids.lonely}/trend").text
    assert "A comparison needs two finalized iterations" in client.get(f"/teams/{ids.lonely}/compare").text
    assert client.get(f"/teams/{ids.lonely}/charts/trend.svg").status_code == 200
    download = client.get(f"/teams/{ids.lonely}/review.pdf")
    assert download.status_code == 302 and download.headers["Location"].endswith(f"/teams/{ids.lonely}/trend")


def test_the_review_pdf_downloads_in_the_chosen_language(client, ids):
    as_user(client, ids.viewer)
    response = client.get(f"/teams/{ids.team}/review.pdf?lang=zh")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == 'attachment; filename="cd-coach-review-payments-2026-Q3-zh.pdf"'
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", ["trend", "charts/trend.svg", "compare", "review.pdf"])
def test_only_members_of_the_organisation(client, ids, path):
    url = f"/teams/{ids.team}/{path}"
    assert client.get(url).status_code == 302  # to the login page
    as_user(client, ids.stranger)
    assert client.get(url).status_code == 404


def test_team_and_results_pages_link_here(client, ids):
    as_user(client, ids.viewer)
    team = client.get(f"/teams/{ids.team}").text
    assert f"/teams/{ids.team}/trend" in team and f"/teams/{ids.team}/compare" in team
    assert f"/teams/{ids.team}/review.pdf" in team
    q3 = ids.iterations[-1]
    results = client.get(f"/assessments/{q3}/results").text
    assert f"/teams/{ids.team}/compare?now={q3}" in results
