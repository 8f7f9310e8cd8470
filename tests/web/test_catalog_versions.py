"""The catalog versions page, and a finalized assessment's pages after a new version is imported."""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from pypdf import PdfReader

from assessment.engine.serialize import result_to_dict
from assessment.extensions import db
from assessment.services import assessments, catalogs
from assessment.services.reports import get_translations, report_context
from assessment.store.models import Assessment
from reports.assessment_report import render_report
from tests import results_scenario
from tests.catalog_builder import dump
from tests.catalog_versions import cd_maturity_next
from tests.factories import csrf_token, login


def import_next(app, tmp_path):
    """cd-maturity 1.1: the first dimension's first practice renamed, 4th + 5th merged, last removed."""
    bundled = app.extensions["cdcoach.catalogs"].get("cd-maturity")
    path = tmp_path / "next.yaml"
    path.write_text(dump(cd_maturity_next(bundled)), encoding="utf-8")
    with app.test_request_context():
        return bundled, catalogs.import_catalog(path).catalog


def test_only_the_bundled_version(client):
    page = client.get("/catalogs/cd-maturity/versions")
    assert page.status_code == 200
    assert "Version 1.0" in page.text and "The first version here." in page.text
    assert "Used by new assessments" in page.text and "Ships with the app" in page.text
    assert "cdcoach questionnaire import" in page.text  # importing is the operator's, not a web action
    assert "<form" not in page.text.split("<main")[1]


def test_the_versions_page_says_what_changed(app, client, tmp_path):
    old, new = import_next(app, tmp_path)
    first = old.dimensions[0].practices
    page = client.get("/catalogs/cd-maturity/versions").text
    assert page.index("Version 1.1") < page.index("Version 1.0")  # newest first
    assert "Changes since version 1.0" in page and "Imported" in page
    changes = page.split("Changes since version 1.0")[1].split("Version 1.0")[0]
    renamed = changes.split("Renamed practices")[1].split("Merged practices")[0]
    assert f"{first[0].id}-v2" in renamed and f"was {first[0].id}" in renamed
    merged = changes.split("Merged practices")[1].split("Removed practices")[0]
    assert first[3].statement.en in merged and first[4].statement.en in merged and f"{first[3].id}-merged" in merged
    removed = changes.split("Removed practices")[1].split("New practices")[0]
    assert first[-1].statement.en in removed
    assert f"{new.dimensions[-1].id}.brand-new" in changes.split("New practices")[1]
    # the list and the model page show the current version
    assert "Version 1.1" in client.get("/catalogs/cd-maturity").text
    assert "2 versions" in client.get("/catalogs").text


def test_the_changes_in_chinese(app, client, tmp_path):
    old, _ = import_next(app, tmp_path)
    client.post("/language/zh", data={"csrf_token": csrf_token(client), "next": "/catalogs"})
    page = client.get("/catalogs/cd-maturity/versions").text
    assert old.dimensions[0].practices[-1].statement.zh in page
    assert old.dimensions[0].practices[-1].statement.en not in page


def test_an_unknown_catalog_has_no_versions_page(client):
    page = client.get("/catalogs/no-such-thing/versions")
    assert page.status_code == 404 and "Traceback" not in page.text


@pytest.fixture
def finalized(app):
    with app.test_request_context():
        scenario = results_scenario.build(app)
        assessments.finalize(scenario.owner, scenario.assessment.id)
        return SimpleNamespace(id=scenario.assessment.id, owner=SimpleNamespace(id=scenario.owner.id))


def without_tokens(html):
    """The page without its CSRF tokens (signed with a timestamp, so they differ between requests)."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


def pdf_text(app, assessment_id, lang):
    """The report's context and its PDF's text, rendered afresh (not from the report cache)."""
    with app.test_request_context():
        assessment = db.session.get(Assessment, assessment_id)
        context = report_context(assessment, lang, True)
        with force_locale(lang):
            pdf = render_report(context, lang, get_translations())
        return context, "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_finalized_assessment_is_unchanged_by_an_import(app, client, tmp_path, finalized):
    login(client, finalized.owner)
    url = f"/assessments/{finalized.id}/results"
    before_page = without_tokens(client.get(url).text)
    before_context, before_pdf = pdf_text(app, finalized.id, "en")
    with app.test_request_context():
        stored = dict(db.session.get(Assessment, finalized.id).result)
    import_next(app, tmp_path)
    with app.test_request_context():
        assessment = db.session.get(Assessment, finalized.id)
        catalog = assessments.catalog_for(assessment)
        assert catalog.version == "1.0" and catalogs.current_catalog("cd-maturity").version == "1.1"
        # stored scores, and the scores computed again on its pinned version, are equal
        assert assessment.result == stored == result_to_dict(assessments.result_of(assessment), catalog)
    after_page = without_tokens(client.get(url).text)
    assert after_page == before_page and "Continuous Delivery Maturity 1.0" in after_page
    after_context, after_pdf = pdf_text(app, finalized.id, "en")
    assert after_context == before_context and after_pdf == before_pdf


def test_the_team_page_starts_new_assessments_and_reviews_on_the_newest_version(app, client, tmp_path, finalized):
    import_next(app, tmp_path)
    login(client, finalized.owner)
    with app.test_request_context():
        team_id = db.session.get(Assessment, finalized.id).team_id
    page = client.get(f"/teams/{team_id}")
    assert page.status_code == 200
    token = csrf_token(client, f"/teams/{team_id}")
    started = client.post(
        f"/teams/{team_id}/assessments",
        data={"csrf_token": token, "catalog": "cd-maturity", "period": "2027-Q3", "questionnaire": "full"},
    )
    assert started.status_code == 302
    review = client.post(f"/teams/{team_id}/next-review", data={"csrf_token": token})
    assert review.status_code == 302
    with app.test_request_context():
        versions = {a.period: assessments.catalog_for(a).version for a in db.session.query(Assessment).filter_by(team_id=team_id)}
    # the finalized 2026-Q4 stays on 1.0; the new assessment and the next review use 1.1
    assert versions == {"2026-Q4": "1.0", "2027-Q3": "1.1", "2027-Q1": "1.1"}
