"""The quarterly review PDF: its content in both languages, its cache, and who may have it."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from assessment.extensions import db
from assessment.services import review_reports
from assessment.services.errors import Conflict, NotFound
from assessment.store.models import RoadmapItem
from tests import trend_scenario
from tests.factories import make_org, make_team, make_user


@pytest.fixture
def scenario(app):
    with app.test_request_context():
        yield trend_scenario.build(app)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def squeezed(text: str) -> str:
    return "".join(text.split())


def test_the_english_review_shows_what_changed_the_plan_and_the_dip(scenario):
    pdf, name = review_reports.review_report_for(scenario.viewer, scenario.team.id, "en")
    assert name == "cd-coach-review-payments-2026-Q3-en.pdf"
    text = squeezed(text_of(pdf))
    for expected in (
        "Quarterly progress review",
        "Payments",
        "What changed since the last review",
        "Configuration and change management",
        "Practices that moved down",
        "New disagreements",
        "Progress over time",  # the trend chapter, chart text included
        "Planned versus achieved",
        "The next stages",
        "Some things went down",
        "0.23 to 0.20",  # the overall dip of Q3, said plainly (7/30 -> 1/5)
        "J-curve",
    ):
        assert squeezed(expected) in text, expected


def test_the_chinese_review_is_in_chinese(scenario):
    pdf, name = review_reports.review_report_for(scenario.viewer, scenario.team.id, "zh")
    assert name.endswith("-zh.pdf")
    text = squeezed(text_of(pdf))
    for expected in ("季度进展回顾", "自上次回顾以来的变化", "配置与变更管理", "计划与达成对比", "后续阶段", "J曲线"):
        assert expected in text, expected
    assert "What changed since the last review" not in text_of(pdf)


def test_a_first_iteration_without_a_roadmap(app):
    with app.test_request_context():
        owner = make_user()
        team = make_team(make_org(owner), "Solo", lead=owner)
        trend_scenario.finalized(app, owner, owner, team, "2026-Q1", {trend_scenario.VC: "3"}, {}, "weekly")
        text = squeezed(text_of(review_reports.review_report_for(owner, team.id, "en")[0]))
    assert squeezed("This is the team's first finalized iteration") in text
    assert squeezed("The team has no accepted roadmap yet") in text
    assert squeezed("The next stages") not in text and squeezed("Some things went down") not in text


def test_a_second_download_comes_from_the_cache(scenario, monkeypatch):
    first, _ = review_reports.review_report_for(scenario.owner, scenario.team.id, "en")

    def no_rendering(*_args):
        raise AssertionError("rendered again")

    monkeypatch.setattr(review_reports, "render", no_rendering)
    again, _ = review_reports.review_report_for(scenario.viewer, scenario.team.id, "en")
    assert again == first


def test_a_changed_note_on_the_roadmap_makes_a_new_report(scenario):
    key = review_reports.review_input_key(scenario.team, scenario.iterations, "en")
    item = db.session.query(RoadmapItem).first()
    item.notes = "Blocked by the platform team."
    db.session.commit()
    assert review_reports.review_input_key(scenario.team, scenario.iterations, "en") != key
    assert review_reports.review_input_key(scenario.team, scenario.iterations, "zh") != key


def test_a_team_without_a_finalized_iteration_has_no_review(app):
    with app.test_request_context():
        owner = make_user()
        team = make_team(make_org(owner), lead=owner)
        with pytest.raises(Conflict):
            review_reports.review_report_for(owner, team.id, "en")


def test_strangers_get_no_review(scenario):
    outsider = make_user()
    make_org(outsider)
    with pytest.raises(NotFound):
        review_reports.review_report_for(outsider, scenario.team.id, "en")
