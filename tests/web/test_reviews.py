"""The next review on the web: the team page's button, the carried-over badge and "keep" button."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from assessment.extensions import db
from assessment.services import assessments
from assessment.store.models import Answer, Assessment, Response, Team, User
from tests.factories import add_member, csrf_token, login, make_org, make_team, make_user, start

BADGE = "carried over from last review"
KEEP = "Keep my carried-over answers on this page"


@dataclass
class World:
    owner: int
    member: int
    viewer: int
    stranger: int
    team: int
    practices: list[str]


@pytest.fixture
def world(app) -> World:
    """A team whose 2026-Q3 assessment is finalized, with Mia's two answers to the config page."""
    with app.app_context():
        catalog = app.extensions["cdcoach.catalogs"].get("cd-maturity")
        owner, member, viewer, stranger = (make_user(n) for n in ("Olive", "Mia", "Vic", "Stan"))
        organisation = make_org(owner)
        add_member(organisation, member)
        add_member(organisation, viewer, "viewer")
        make_org(stranger)
        team = make_team(organisation, name="Payments")
        last = start(app, owner, team, "quick", "2026-Q3")
        practices = [p.id for p in sorted((p for p in catalog.dimension("config").practices if p.quick), key=lambda p: p.level)]
        assessments.join_as_respondent(member, last.id, "dev")
        assessments.save_answer(member, last.id, practices[0], "2", "as code")
        assessments.save_answer(member, last.id, practices[1], "1")
        assessments.finalize(owner, last.id)
        return World(owner.id, member.id, viewer.id, stranger.id, team.id, practices[:2])


def as_user(app, client, user_id: int) -> str:
    with app.app_context():
        login(client, db.session.get(User, user_id))
    return csrf_token(client)


def next_review(app, client, world) -> int:
    token = as_user(app, client, world.owner)
    response = client.post(f"/teams/{world.team}/next-review", data={"csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        new = db.session.scalar(sa.select(Assessment).where(Assessment.period == "2026-Q4"))
        assert response.headers["Location"].endswith(f"/assessments/{new.id}")
        return new.id


def test_the_team_page_offers_the_next_review_to_those_who_may_start_one(app, client, world):
    as_user(app, client, world.owner)
    page = client.get(f"/teams/{world.team}").get_data(as_text=True)
    assert "Start the next review" in page and "answers from 2026-Q3 carried over" in page
    as_user(app, client, world.member)
    assert "Start the next review" not in client.get(f"/teams/{world.team}").get_data(as_text=True)


def test_no_button_without_a_finalized_assessment(app, client, world):
    with app.app_context():
        other = make_team(db.session.get(Team, world.team).organisation)
        other_id = other.id
    as_user(app, client, world.owner)
    assert "Start the next review" not in client.get(f"/teams/{other_id}").get_data(as_text=True)
    token = csrf_token(client)
    assert client.post(f"/teams/{other_id}/next-review", data={"csrf_token": token}).status_code == 409


def test_starting_it_opens_the_next_period_with_answers_carried_over(app, client, world):
    new_id = next_review(app, client, world)
    with app.app_context():
        values = dict(db.session.execute(sa.select(Answer.value, Answer.carried_over).where(Answer.carried_over)).all())
    assert values == {"2": True, "1": True}
    token = as_user(app, client, world.member)
    page = client.get(f"/assessments/{new_id}/dimensions/config").get_data(as_text=True)
    assert page.count(BADGE) == 2 and KEEP in page
    client.post(f"/assessments/{new_id}/answers/{world.practices[0]}", data={"csrf_token": token, "value": "3"})
    page = client.get(f"/assessments/{new_id}/dimensions/config").get_data(as_text=True)
    assert page.count(BADGE) == 1


def test_keeping_the_page_removes_badges_and_keeps_values(app, client, world):
    new_id = next_review(app, client, world)
    token = as_user(app, client, world.member)
    response = client.post(f"/assessments/{new_id}/dimensions/config/keep", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/assessments/{new_id}/dimensions/config")
    page = client.get(f"/assessments/{new_id}/dimensions/config").get_data(as_text=True)
    assert "2 carried-over answers kept." in page and BADGE not in page and KEEP not in page
    with app.app_context():
        query = sa.select(Answer.value, Answer.carried_over).join(Response).where(Response.assessment_id == new_id)
        rows = db.session.execute(query).all()
    assert sorted(rows) == [("1", False), ("2", False)]


def test_access_to_the_new_routes(app, client, world):
    new_id = next_review(app, client, world)
    token = as_user(app, client, world.viewer)
    assert client.post(f"/teams/{world.team}/next-review", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/assessments/{new_id}/dimensions/config/keep", data={"csrf_token": token}).status_code == 403
    token = as_user(app, client, world.member)  # a plain member answers but does not start reviews
    assert client.post(f"/teams/{world.team}/next-review", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/assessments/{new_id}/dimensions/nope/keep", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/assessments/{new_id}/dimensions/config/keep", data={}).status_code == 400
    token = as_user(app, client, world.stranger)
    assert client.post(f"/teams/{world.team}/next-review", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/assessments/{new_id}/dimensions/config/keep", data={"csrf_token": token}).status_code == 404
    anonymous = app.test_client()
    assert anonymous.post(f"/teams/{world.team}/next-review").status_code in (302, 400)
