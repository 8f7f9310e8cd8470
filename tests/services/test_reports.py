"""The PDF report: read back with pypdf in both languages; cached by what it is built from."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from assessment.extensions import db
from assessment.services import assessments as assessment_service
from assessment.services import reports
from assessment.services.errors import NotFound
from tests import results_scenario
from tests.factories import make_user


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def squeeze(text: str) -> str:
    """Text without any white space: PDF extraction breaks lines (and CJK runs) anywhere."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def scenario(app):
    with app.test_request_context():
        yield results_scenario.build(app)


def test_english_report_has_its_sections_team_numbers_and_stage_items(app, scenario):
    pdf, name = reports.build_report(scenario.assessment, "en", show_names=False)
    assert pdf.startswith(b"%PDF") and name == f"cd-coach-payments-{scenario.assessment.period}-en.pdf"
    text = text_of(pdf)
    for section in (
        "Contents",
        "Executive summary",
        "Maturity profile",
        "Coverage by level",
        "Dimensions",
        "Where the team disagreed",
        "Improvement roadmap",
        "Delivery performance",
        "Appendix",
    ):
        assert section in text
    assert "Payments" in text and scenario.organisation.name in text
    # overall 23/60 = 0.38 -> "0.4"; config 11/6 -> "1.8"; testing exactly 2 -> "2.0" (results_scenario)
    assert "score of 0.4 out of 5" in text
    assert "Score 1.8" in text and "Score 2.0" in text
    roadmap = reports.roadmap_view(scenario.assessment, assessment_service.catalog_for(scenario.assessment), "en")
    first = roadmap.stages[0].items[0].statement
    assert squeeze(first) in squeeze(text)
    assert "Ann Answerer" not in text  # no names in the report


def test_chinese_report_renders_chinese_text(app, scenario):
    with app.test_request_context():
        pdf, name = reports.build_report(scenario.assessment, "zh", show_names=False)
    text = squeeze(text_of(pdf))
    catalog = assessment_service.catalog_for(scenario.assessment)
    assert name.endswith("-zh.pdf")
    assert squeeze(catalog.dimension("config").name.zh) in text  # 配置与变更管理
    assert squeeze(catalog.practices["config.version-control"].statement.zh)[:20] in text
    assert "Payments" in text


def test_finalized_report_is_cached_by_content(app, scenario, monkeypatch):
    owner = scenario.owner
    assessment_service.finalize(owner, scenario.assessment.id)
    first, _ = reports.build_report(scenario.assessment, "en", show_names=False)

    def no_rendering(*args, **kwargs):
        raise AssertionError("a cached report must not be rendered again")

    monkeypatch.setattr("reports.assessment_report.render_report", no_rendering)
    again, _ = reports.build_report(scenario.assessment, "en", show_names=False)
    assert again == first
    scenario.team.name = "Payments Core"  # what the report is built from changed: a new PDF
    db.session.commit()
    with pytest.raises(AssertionError, match="must not be rendered again"):
        reports.build_report(scenario.assessment, "en", show_names=False)


def test_open_assessments_are_never_cached(app, scenario, monkeypatch):
    reports.build_report(scenario.assessment, "en", show_names=False)
    calls = []
    real = __import__("reports.assessment_report", fromlist=["render_report"]).render_report
    monkeypatch.setattr("reports.assessment_report.render_report", lambda *a: calls.append(1) or real(*a))
    reports.build_report(scenario.assessment, "en", show_names=False)
    assert calls == [1]


def test_report_access(app, scenario):
    stranger = make_user()
    with pytest.raises(NotFound):
        reports.report_for(stranger, scenario.assessment.id, "en")
    pdf, _ = reports.report_for(scenario.viewer, scenario.assessment.id, "en")
    assert pdf.startswith(b"%PDF")
