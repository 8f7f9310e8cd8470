"""Demo data: built once per module (it takes seconds), then checked from every side."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from assessment import clock
from assessment.app import create_app
from assessment.cli import main
from assessment.extensions import db
from assessment.services import demo
from assessment.services.demo_data import TEAMS
from assessment.store.models import Answer, Assessment, Membership, Organisation, Response, Roadmap, Team, User
from tests.factories import csrf_token

pytestmark = pytest.mark.db
NOW = datetime(2026, 11, 15, 10, 0, tzinfo=UTC)  # in 2026-Q4: the demo covers Q1 to Q3
PERIODS = ["2026-Q1", "2026-Q2", "2026-Q3"]


@pytest.fixture(scope="module")
def built(database_url: str) -> Iterator[tuple[Flask, demo.DemoSummary, float]]:
    """An app whose database holds the demo, with the first run's summary and its CPU seconds."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": database_url})
    clock.set_clock(lambda: NOW)
    with app.app_context():
        db.drop_all()
        db.create_all()
        # CPU time of this process: the demo's own cost, whatever else the machine is running.
        started = time.process_time()
        summary = demo.create_demo(app.extensions["cdcoach.catalogs"].get("cd-maturity"))
        seconds = time.process_time() - started
    yield app, summary, seconds
    clock.set_clock(None)
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def demo_app(built) -> Iterator[Flask]:
    app = built[0]
    with app.app_context():
        yield app
        db.session.remove()


def assessments() -> list[Assessment]:
    return list(db.session.scalars(sa.select(Assessment).order_by(Assessment.team_id, Assessment.period)))


def row_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table)) for table in db.metadata.sorted_tables}


def test_periods_are_the_three_quarters_before_the_current_one():
    assert demo.demo_periods(date(2026, 11, 15)) == PERIODS
    assert demo.demo_periods(date(2027, 2, 1)) == ["2026-Q2", "2026-Q3", "2026-Q4"]


def test_first_run_creates_everything(built):
    _, summary, _ = built
    assert (summary.users, summary.teams, summary.assessments) == (9, 3, 9)


def test_organisation_people_and_teams(demo_app):
    organisations = list(db.session.scalars(sa.select(Organisation)))
    assert [o.name for o in organisations] == ["Demo Co"]
    roles = Counter(db.session.scalars(sa.select(Membership.role)))
    assert roles == {"owner": 1, "facilitator": 1, "member": 6, "viewer": 1}
    owner = demo.demo_user()
    assert owner is not None and owner.name == "Demo Owner"
    teams = {t.name: t for t in db.session.scalars(sa.select(Team))}
    assert set(teams) == {"Payments", "Mobile App", "Data Platform"}
    assert teams["Mobile App"].profile["product_kind"] == "mobile-app"
    assert teams["Data Platform"].profile["product_kind"] == "data-pipeline"
    assert all(len(t.profile) == 4 for t in teams.values())


def test_nine_finalized_quarterly_assessments(demo_app):
    found = assessments()
    assert len(found) == 9
    assert all(a.status == "finalized" and a.result and a.questionnaire == "full" for a in found)
    by_team = Counter((a.team.name, a.period) for a in found)
    assert set(by_team) == {(t.name, p) for t in TEAMS for p in PERIODS}


def test_respondents_have_several_roles(demo_app):
    for assessment in assessments():
        roles = [r.role for r in assessment.responses]
        assert 3 <= len(roles) <= 5
        assert {"dev", "ops"} <= set(roles)
        assert all(r.submitted_at is not None for r in assessment.responses)
        assert all(len(r.answers) == 110 for r in assessment.responses)


def test_results_are_plausible_and_improve_with_one_dip(demo_app):
    scores: dict[str, list[float]] = {}
    for assessment in assessments():
        overall = assessment.result["overall"]
        assert 1.0 <= overall["score"] <= 3.5 and 1 <= overall["level"] <= 3
        assert overall["confidence"] > 0.8
        assert assessment.result["delivery"]["tier"] is not None
        scores.setdefault(assessment.team.name, []).append(overall["score"])
    for name, trend in scores.items():
        assert trend[-1] > trend[0], name
    payments = scores["Payments"]
    assert payments[1] < payments[0] < payments[2]  # the J-curve
    assert scores["Mobile App"] == sorted(scores["Mobile App"])


def test_every_assessment_has_disagreement(demo_app):
    for assessment in assessments():
        practices = [p for d in assessment.result["dimensions"] for p in d["practices"]]
        spread_two = [p["id"] for p in practices if p["spread"] is not None and p["spread"] >= 2]
        assert spread_two, f"{assessment.team.name} {assessment.period}: no disagreement"
        assert all(p["disagreement"] for p in practices if p["id"] in spread_two)


def test_answers_include_unknowns_na_comments_and_evidence(demo_app):
    values = Counter(db.session.scalars(sa.select(Answer.value)))
    assert values["na"] > 0 and values["unknown"] > 0
    assert set(values) == {"0", "1", "2", "3", "na", "unknown"}
    assert db.session.scalar(sa.select(sa.func.count()).where(Answer.comment.is_not(None))) >= 5
    assert db.session.scalar(sa.select(sa.func.count()).where(Answer.evidence.is_not(None))) >= 5
    mobile = [a for a in assessments() if a.team.name == "Mobile App"][-1]
    statuses = {d["id"]: d["status"] for d in mobile.result["dimensions"]}
    practice = next(p for d in mobile.result["dimensions"] for p in d["practices"] if p["id"] == "environments.containers")
    assert practice["value"] == "na" and practice["source"] == "profile"  # a mobile app runs no containers
    assert set(statuses.values()) == {"scored"}


def test_delivery_metrics_improve(demo_app):
    payments = [a for a in assessments() if a.team.name == "Payments"]
    frequency = [
        next(m["answer"] for m in a.result["delivery"]["metrics"] if m["id"] == "deployment_frequency") for a in payments
    ]
    assert frequency == ["weekly", "daily", "daily"]


def test_second_run_changes_nothing(demo_app):
    before = row_counts()
    summary = demo.create_demo(demo_app.extensions["cdcoach.catalogs"].get("cd-maturity"))
    assert not summary.changed
    assert row_counts() == before


def test_demo_command_says_nothing_changed(demo_app):
    result = demo_app.test_cli_runner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    assert "nothing changed" in result.output
    assert result.output.strip().endswith("Demo login: demo@example.com / cdcoach-demo")


def test_demo_login_works(demo_app):
    client = demo_app.test_client()
    token = csrf_token(client, "/login")
    page = client.post("/login", data={"csrf_token": token, "email": "demo@example.com", "password": "cdcoach-demo"})
    assert page.status_code == 302 and page.headers["Location"] == "/home"
    assert "Demo Co" in client.get("/home").text


def test_everyone_can_log_in_with_the_demo_password(demo_app):
    users = list(db.session.scalars(sa.select(User)))
    assert len(users) == 9
    from assessment.services.accounts import authenticate

    assert authenticate("viewer@demo.example.com", "cdcoach-demo") is not None


def test_plan_is_deterministic_and_varies_by_quarter(demo_app):
    catalog = demo_app.extensions["cdcoach.catalogs"].get("cd-maturity")
    team = TEAMS[0]
    assert demo.plan_answers(catalog, team, 1) == demo.plan_answers(catalog, team, 1)
    assert demo.plan_answers(catalog, team, 1) != demo.plan_answers(catalog, team, 2)
    stored = db.session.scalars(
        sa.select(Answer.value)
        .join(Response)
        .join(Assessment)
        .join(User, User.id == Response.user_id)
        .where(Assessment.period == "2026-Q2", User.email == "dev1@demo.example.com")
        .order_by(Answer.practice_id)
    )
    planned = demo.plan_answers(catalog, team, 1)["dev1@demo.example.com"]
    assert list(stored) == [planned[pid][0] for pid in sorted(planned)]


# `setup` on a database of its own (migrations), with the demo replaced by a stand-in: fast.


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Flask, list[int]]]:
    calls: list[int] = []
    monkeypatch.setattr(demo, "create_demo", lambda catalog: calls.append(1) or demo.DemoSummary(9, 3, 9))
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite'}"})
    yield app, calls
    with app.app_context():
        db.engine.dispose()


def test_setup_runs_the_demo_on_a_new_database(fresh):
    app, calls = fresh
    result = app.test_cli_runner().invoke(main, ["setup", "--url", "http://127.0.0.1:5000/"])
    assert result.exit_code == 0, result.output
    assert calls == [1]
    assert "Demo data created: 9 users, 3 teams, 9 assessments." in result.output
    assert "Open http://127.0.0.1:5000/ in your browser." in result.output


def test_setup_leaves_a_database_with_users_alone(fresh):
    app, calls = fresh
    app.test_cli_runner().invoke(main, ["setup"])
    with app.app_context():
        db.session.add(User(email="real@example.com", name="Real", password_hash="x"))
        db.session.commit()
    result = app.test_cli_runner().invoke(main, ["setup"])
    assert result.exit_code == 0, result.output
    assert calls == [1]  # only the first, empty database got the demo
    assert "No demo data" in result.output and "Open http://127.0.0.1:5000/" in result.output


def test_payments_roadmap_is_tracked_by_the_later_quarters(demo_app):
    """Payments accepted the proposed roadmap of 2026-Q1 (stages of a quarter from 2026-Q2);
    finalizing 2026-Q2 and 2026-Q3 tracked it: some items achieved, some progressing, and stage-1
    items below 3 in 2026-Q3 (after their stage, due 2026-Q2) slipped."""
    found = list(db.session.scalars(sa.select(Roadmap)))
    assert len(found) == 1
    roadmap = found[0]
    periods = {a.id: a.period for a in assessments()}
    assert (roadmap.status, roadmap.assessment.team.name, roadmap.assessment.period) == ("accepted", "Payments", "2026-Q1")
    assert roadmap.start_period == "2026-Q2"
    states = Counter(i.tracking for i in roadmap.items)
    assert states["achieved"] and states["progressing"] and states["slipped"]
    for item in roadmap.items:
        if item.tracking == "slipped":
            assert (item.stage, periods[item.tracked_assessment_id]) == (1, "2026-Q3")
            assert float(item.tracked_value) < 3
        elif item.tracking == "achieved":
            assert periods[item.tracked_assessment_id] in ("2026-Q2", "2026-Q3") and item.tracked_value == "3"
    owned = {i.practice_id: i.owner for i in roadmap.items if i.owner}
    planned = next(t for t in TEAMS if t.name == "Payments").roadmap or {}
    assert owned == {pid: owner for pid, (owner, _notes) in planned.items()}  # every one of them is in the plan
