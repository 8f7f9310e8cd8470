"""The workshop section of the assessment PDF: participants by role, what was agreed, perception
gaps by role; read back with pypdf in both languages. Workshops are built here directly through
the store models (kind "workshop", anonymous responses with roles, consensus rows).

The workshop asks the "config" dimension; seven participants: dev x3, ops x3, test x1.
  config.version-control   dev 3,3,3  ops 1,1,1  test 2  -> raw 1,1,1,2,3,3,3: median 2, spread 2,
                           disagreement; consensus 2 with a note; dev median 3 vs ops 1: gap 2
  config.key-change-review dev 2,2,2  ops 2,2,2  test 2  -> median 2, spread 0; consensus 3, no note
                           (recorded differently from the median: shown)
  config.branching-strategy dev 0,1,0 ops 1,1,1  test 1  -> median 1, spread 1; no consensus: not shown
                           (dev median 0 vs ops 1: gap 1, below 2)
  config.peer-review       everyone 2; consensus 2, no note -> nothing to show
  config.release-tagging   dev na,na,na ops 3,3,2 test 3 -> 3 of 7 say na (not more than half), numeric
                           3,3,2,3: median 3, spread 1; some say na while others rate 1+: disagreement
The test participant alone is under 3 people: no group of its own, and no "others" group either
(1 < 3), so the roles compared are dev and ops.
"""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from pypdf import PdfReader

from assessment.extensions import db
from assessment.services import assessments as assessment_service
from assessment.services import reports
from assessment.services.catalogs import snapshot_for
from assessment.services.workshop_summary import workshop_view
from assessment.store.models import Answer, Assessment, Consensus, Response
from tests.factories import add_member, make_org, make_team, make_user

ROLES = ("dev", "dev", "dev", "ops", "ops", "ops", "test")
NAMES = ("Zelda Zebra", "Yannick Yak", "Xavier Xerus", "Wanda Walrus", "Victor Vole", "Ursula Urchin", "Tariq Tapir")
ANSWERS = {
    "config.version-control": ("3", "3", "3", "1", "1", "1", "2"),
    "config.key-change-review": ("2",) * 7,
    "config.branching-strategy": ("0", "1", "0", "1", "1", "1", "1"),
    "config.peer-review": ("2",) * 7,
    "config.release-tagging": ("na", "na", "na", "3", "3", "2", "3"),
}
CONSENSUS = {
    "config.version-control": ("2", "Ops cannot see the infrastructure repository yet"),
    "config.key-change-review": ("3", None),
    "config.peer-review": ("2", None),
}
NOTE_ZH = "运维还看不到基础设施仓库"


def text_of(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def build_workshop(app, roles=ROLES, names=NAMES, answers=ANSWERS, consensus=CONSENSUS, status="finalized") -> Assessment:
    catalog = app.extensions["cdcoach.catalogs"].get("cd-maturity")
    owner, facilitator = make_user("Olive Owner"), make_user("Fred Facilitator")
    organisation = make_org(owner, "Acme Workshop Org")
    add_member(organisation, facilitator, "facilitator")
    team = make_team(organisation, "Payments", lead=owner)
    workshop = Assessment(
        team_id=team.id,
        snapshot_id=snapshot_for(catalog).id,
        period="2026-Q4",
        kind="workshop",
        questionnaire=["config"],
        status="closed",
        profile={},
        created_by_id=facilitator.id,
    )
    db.session.add(workshop)
    db.session.flush()
    for index, (role, name) in enumerate(zip(roles, names)):
        response = Response(
            assessment_id=workshop.id,
            participant_token_hash=hashlib.sha256(f"token-{workshop.id}-{index}".encode()).hexdigest(),
            display_name=name,
            role=role,
        )
        response.answers = [Answer(practice_id=pid, value=values[index]) for pid, values in answers.items()]
        db.session.add(response)
    for pid, (value, note) in consensus.items():
        db.session.add(
            Consensus(assessment_id=workshop.id, practice_id=pid, value=value, note=note, updated_by_id=facilitator.id)
        )
    db.session.commit()
    if status == "finalized":
        assessment_service.finalize(facilitator, workshop.id)
    return workshop


@pytest.fixture
def workshop(app):
    with app.test_request_context():
        yield build_workshop(app)


def view_of(workshop: Assessment, lang: str = "en"):
    return workshop_view(workshop, assessment_service.catalog_for(workshop), assessment_service.answer_set(workshop), lang)


def test_the_section_values_are_worked_out_from_the_raw_answers_and_the_consensus(app, workshop):
    view = view_of(workshop)
    assert view.participants == 7
    assert [(r.role, r.count) for r in view.roles] == [("dev", 3), ("test", 1), ("ops", 3)]  # catalog role order
    rows = {r.statement: r for r in view.agreed}
    catalog = assessment_service.catalog_for(workshop)
    statement = {pid: catalog.practices[pid].statement.en for pid in ANSWERS}
    assert list(rows) == [
        statement["config.version-control"],
        statement["config.key-change-review"],
        statement["config.release-tagging"],
    ]
    vc = rows[statement["config.version-control"]]
    assert (vc.median, vc.spread, vc.disagreement, vc.agreed) == ("2", 2, True, "2")
    assert vc.note == CONSENSUS["config.version-control"][1]
    assert dict(vc.answers) == {"1": 3, "2": 1, "3": 3}
    kcr = rows[statement["config.key-change-review"]]
    assert (kcr.median, kcr.spread, kcr.disagreement, kcr.agreed, kcr.note) == ("2", 0, False, "3", "")
    tagging = rows[statement["config.release-tagging"]]
    assert (tagging.median, tagging.spread, tagging.disagreement, tagging.agreed) == ("3", 1, True, None)
    assert [(g.role, g.count) for g in view.groups] == [("dev", 3), ("ops", 3)]
    assert [(g.statement, g.medians, g.gap) for g in view.gaps] == [(statement["config.version-control"], ("3", "1"), 2.0)]


def test_english_pdf_has_the_workshop_section_without_names(app, workshop):
    pdf, _ = reports.build_report(workshop, "en", show_names=True)  # even for staff: no names in a PDF
    text = text_of(pdf)
    assert "The workshop" in text and "Participants by role" in text
    assert "7 people took part." in text
    assert "Development 3" in text and "Operations 3" in text and "Testing 1" in text
    assert "Disagreements and what was agreed" in text
    assert squeeze("Ops cannot see the infrastructure repository yet") in squeeze(text)
    assert "Perception gaps by role" in text
    for name in NAMES:
        assert name not in text
    assert "Where the team disagreed" not in text  # the workshop section takes its place


def test_chinese_pdf_has_the_workshop_section_and_a_chinese_note(app):
    with app.test_request_context():
        consensus = {**CONSENSUS, "config.version-control": ("2", NOTE_ZH)}
        workshop = build_workshop(app, consensus=consensus)
        pdf, _ = reports.build_report(workshop, "zh", show_names=False)
    text = squeeze(text_of(pdf))
    assert NOTE_ZH in text
    for heading in ("研讨会", "按角色的参与者", "分歧与达成的共识", "各角色的认知差异"):
        assert heading in text
    assert "7人参加。" in text
    assert "开发3" in text and "运维3" in text and "测试1" in text
    for name in NAMES:
        assert squeeze(name) not in text


def test_small_role_groups_are_not_compared(app):
    """Two per role: no group reaches 3 and the rest together (4) make one group only, so no gaps."""
    roles, names = ("dev", "dev", "ops", "ops"), NAMES[:4]
    answers = {"config.version-control": ("3", "3", "0", "0")}
    with app.test_request_context():
        workshop = build_workshop(app, roles, names, answers, consensus={})
        view = view_of(workshop)
        assert view.groups == (view.groups[0],) and view.groups[0].role == "others"
        assert not view.gaps_shown and view.gaps == ()
        text = text_of(reports.build_report(workshop, "en", show_names=False)[0])
    assert "Not shown: roles are compared only when at least two of them have 3 or more participants" in text


def test_a_self_assessment_report_has_no_workshop_section(app):
    from tests import results_scenario

    with app.test_request_context():
        scenario = results_scenario.build(app)
        assert view_of(scenario.assessment) is None
        text = text_of(reports.build_report(scenario.assessment, "en", show_names=False)[0])
    assert "The workshop" not in text and "Participants by role" not in text
    assert "Where the team disagreed" in text


def test_a_new_consensus_note_makes_a_new_cached_pdf(app, workshop):
    first = reports.input_key(workshop, "en", False)
    row = next(c for c in workshop.consensus if c.practice_id == "config.version-control")
    row.note = "Settled after a second look"
    db.session.commit()
    assert reports.input_key(workshop, "en", False) != first
