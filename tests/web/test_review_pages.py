"""The roadmap review pages: who reads them, what they show, re-planning, earlier roadmaps.

The scenario (the one of tests/web/test_roadmap_pages.py, worked by hand there): the team answers
only the "measurement" dimension; in 2026-Q3 value-stream-map is 0 and delivery-metrics-reviewed
1, so the accepted default roadmap (target 2) holds both in stage 1 = 2026-Q4. In 2026-Q4 the
team answers value-stream-map 3 (achieved, shown by 2026-Q4) and delivery-metrics-reviewed 1
(no better; 2026-Q4 is still within stage 1, so it has not slipped).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from assessment.extensions import db
from assessment.services import assessments, roadmaps
from assessment.store.models import Roadmap, User
from tests.factories import add_member, csrf_token, login, make_org, make_team, make_user, start
from tests.web.test_roadmap_pages import ANSWERS, DMR, VSM


@dataclass
class World:
    team_id: int
    roadmap_id: int
    later_id: int
    owner: int
    lead: int
    member: int
    viewer: int
    stranger: int
    vsm: str  # the statement of value-stream-map
    dmr: str


def iteration(app, owner, team, period, answers):
    assessment = start(app, owner, team, ["measurement"], period)
    assessments.join_as_respondent(owner, assessment.id, "lead")
    assessments.save_answers(owner, assessment.id, {p: assessments.AnswerInput(v) for p, v in answers.items()})
    assessments.finalize(owner, assessment.id)
    return assessment


@pytest.fixture
def world(app) -> World:
    with app.test_request_context():
        catalog = app.extensions["cdcoach.catalogs"].get("cd-maturity")
        owner, lead, member, viewer, stranger = (make_user(n) for n in ("Olive", "Lea", "Max", "Vic", "Sid"))
        org = make_org(owner)
        add_member(org, lead)
        add_member(org, member)
        add_member(org, viewer, "viewer")
        make_org(stranger)
        team = make_team(org, lead=lead)
        first = iteration(app, owner, team, "2026-Q3", ANSWERS)
        roadmap = roadmaps.accept_draft(owner, first.id)
        assert [(i.practice_id, i.stage) for i in roadmap.items] == [(VSM, 1), (DMR, 1)]
        later = iteration(app, owner, team, "2026-Q4", {**ANSWERS, VSM: "3"})
        statement = {p: catalog.practices[p].statement.en for p in (VSM, DMR)}
        return World(
            team.id, roadmap.id, later.id, owner.id, lead.id, member.id, viewer.id, stranger.id, statement[VSM], statement[DMR]
        )


def as_user(app, client, user_id):
    with app.app_context():
        login(client, db.session.get(User, user_id))


def test_members_and_viewers_read_the_review(app, client, world):
    for reader in (world.member, world.viewer):
        as_user(app, client, reader)
        page = client.get(f"/teams/{world.team_id}/review")
        assert page.status_code == 200
        text = page.text
        assert "Roadmap review: " in text and world.vsm in text
        assert "achieved in 2026-Q4" in text  # value-stream-map, shown by 2026-Q4
        assert "answer 0 in 2026-Q3, 3 in 2026-Q4" in text
        assert "answer 1 in 2026-Q3, 1 in 2026-Q4" in text  # delivery-metrics-reviewed: no change yet
        assert "1 item with no change yet" in text
        assert f'href="/teams/{world.team_id}/review.pdf"' in text
        assert "Re-plan" not in text  # only leads, owners and facilitators re-plan


def test_strangers_get_404(app, client, world):
    as_user(app, client, world.stranger)
    assert client.get(f"/teams/{world.team_id}/review").status_code == 404
    assert client.get(f"/teams/{world.team_id}/review/roadmaps/{world.roadmap_id}").status_code == 404
    token = csrf_token(client)
    assert client.post(f"/teams/{world.team_id}/review/replan", data={"csrf_token": token}).status_code == 404


def test_members_who_do_not_lead_may_not_replan(app, client, world):
    for refused in (world.member, world.viewer):
        as_user(app, client, refused)
        token = csrf_token(client)
        assert client.post(f"/teams/{world.team_id}/review/replan", data={"csrf_token": token}).status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(Roadmap).where(Roadmap.status == "draft")) is None


def test_the_lead_replans_and_the_old_roadmap_stays_readable(app, client, world):
    as_user(app, client, world.lead)
    page = client.get(f"/teams/{world.team_id}/review")
    assert "Re-plan from 2026-Q4" in page.text
    token = csrf_token(client)
    sent = client.post(f"/teams/{world.team_id}/review/replan", data={"csrf_token": token})
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/assessments/{world.later_id}/roadmap")
    assert "Re-plan of the roadmap from 2026-Q3." in client.get(sent.headers["Location"]).text  # the draft says so
    with app.test_request_context():
        draft = db.session.scalar(sa.select(Roadmap).where(Roadmap.status == "draft"))
        assert (draft.assessment_id, draft.replanned_from_id) == (world.later_id, world.roadmap_id)
        draft_id = roadmaps.accept(db.session.get(User, world.lead), draft.id).id
    old = client.get(f"/teams/{world.team_id}/review/roadmaps/{world.roadmap_id}")
    assert old.status_code == 200
    assert "An earlier roadmap, replaced by a re-plan." in old.text and "Re-plan from" not in old.text
    assert "achieved in 2026-Q4" in old.text  # its history as tracked
    current = client.get(f"/teams/{world.team_id}/review")
    assert "No assessment has been finalized since this roadmap was made." in current.text
    assert "Achieved, stage by stage" not in current.text and "Re-plan from" not in current.text
    assert f"/teams/{world.team_id}/review/roadmaps/{world.roadmap_id}" in current.text  # linked as history
    # the first assessment's roadmap page points to the roadmap it accepted, now re-planned
    with app.app_context():
        first_id = db.session.get(Roadmap, world.roadmap_id).assessment_id
    page = client.get(f"/assessments/{first_id}/roadmap").text
    assert "The roadmap accepted from this assessment was re-planned later." in page
    assert f'href="/teams/{world.team_id}/review/roadmaps/{world.roadmap_id}"' in page
    assert "re-planned later" not in client.get(f"/assessments/{world.later_id}/roadmap").text  # the current one
    # the current roadmap under the history URL goes to the current review
    assert (
        client.get(f"/teams/{world.team_id}/review/roadmaps/{draft_id}")
        .headers["Location"]
        .endswith(f"/teams/{world.team_id}/review")
    )


def test_a_team_without_a_roadmap(client, app):
    with app.test_request_context():
        owner = make_user()
        team_id = make_team(make_org(owner), lead=owner).id
        login(client, owner)
    page = client.get(f"/teams/{team_id}/review")
    assert page.status_code == 200 and "This team has no accepted roadmap yet." in page.text


def test_the_team_page_links_the_review(app, client, world):
    as_user(app, client, world.member)
    page = client.get(f"/teams/{world.team_id}").text
    assert f'href="/teams/{world.team_id}/review"' in page
    assert "1 of 2 planned items achieved so far" in page  # value-stream-map, by 2026-Q4
