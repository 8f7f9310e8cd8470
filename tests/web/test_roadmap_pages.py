"""The roadmap pages: the plan a planner drafts and a member reads, settings, moves, sign-off, tracking.

The scenario, worked out by hand: a team answers only the "measurement" dimension of the real
catalog (a questionnaire of chosen dimensions, so no other dimension is measured or targeted),
one respondent, period 2026-Q3 (so stage 1 is 2026-Q4 by default):

L1  pipeline-status-visible 3, delivery-baseline 3                        coverage 1
L2  delivery-metrics-reviewed 1 (S, impact 2), value-stream-map 0 (S, 3),
    user-feedback 3                                                        coverage (1/3 + 0 + 1) / 3 = 4/9
L3  dora-metrics 0 (M, impact 3), improvement-backlog 0 (S, impact 3; requires
    delivery-metrics-reviewed and value-stream-map)                       coverage 0
score 1 + 4/9 = 1.44, level 1; default target 2.

Target 2: gaps value-stream-map, delivery-metrics-reviewed (impact per effort 3 before 2).
Target 3: + improvement-backlog (3 per effort) before dora-metrics (1.5), both effective level 3.
  capacity 2: stage 1 [value-stream-map, delivery-metrics-reviewed], stage 2 [improvement-backlog,
              dora-metrics]; projected 2.00 after stage 1 (L2 complete), 3.00 after stage 2.
  capacity 3: stage 1 [value-stream-map, delivery-metrics-reviewed, dora-metrics] (improvement-backlog
              waits for its prerequisites), stage 2 [improvement-backlog].
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from assessment import clock
from assessment.extensions import db
from assessment.services import assessments
from assessment.store.models import Roadmap, RoadmapItem, User
from tests.factories import add_member, csrf_token, login, make_org, make_team, make_user, start

VSM, DMR = "measurement.value-stream-map", "measurement.delivery-metrics-reviewed"
IB, DORA = "measurement.improvement-backlog", "measurement.dora-metrics"
ANSWERS = {
    "measurement.pipeline-status-visible": "3",
    "measurement.delivery-baseline": "3",
    DMR: "1",
    VSM: "0",
    "measurement.user-feedback": "3",
    DORA: "0",
    IB: "0",
}


@dataclass
class World:
    assessment_id: int
    team_id: int
    owner: int
    member: int
    viewer: int
    stranger: int


@pytest.fixture
def world(app) -> Any:
    clock.set_clock(lambda: datetime(2026, 10, 2, 9, 0, tzinfo=UTC))
    with app.test_request_context():
        owner = make_user("Olive Owner")
        org = make_org(owner)
        member, viewer, stranger = make_user("Mo Member"), make_user("Vi Viewer"), make_user("Stan Stranger")
        add_member(org, member, "member")
        add_member(org, viewer, "viewer")
        make_org(stranger)
        team = make_team(org, "Payments", lead=owner)
        assessment = start(app, owner, team, ["measurement"], "2026-Q3")
        assessments.join_as_respondent(owner, assessment.id, "dev")
        for practice_id, value in ANSWERS.items():
            assessments.save_answer(owner, assessment.id, practice_id, value)
        built = World(assessment.id, team.id, owner.id, member.id, viewer.id, stranger.id)
    yield built  # outside the request context: each request of the test gets its own
    clock.set_clock(None)


def as_user(app, client, user_id: int) -> Any:
    with app.app_context():
        login(client, db.session.get(User, user_id))
    return client


def url(world: World, tail: str = "") -> str:
    return f"/assessments/{world.assessment_id}/roadmap{tail}"


def key(practice_id: str) -> str:
    return "i_" + practice_id.replace(".", "__").replace("-", "_")


def stages_of(html: str) -> dict[str, list[str]]:
    """Practice ids per section (stage-1, stage-2, ..., backlog, dropped), in page order."""
    found: dict[str, list[str]] = {}
    for section in re.split(r'<section class="stage[^"]*" id="', html)[1:]:
        name = section.split('"', 1)[0]
        ids = re.findall(r'<li class="item" id="i_([a-z0-9_]+)"', section)
        found[name] = [i.replace("__", ".").replace("_", "-") for i in ids]
    return {name: ids for name, ids in found.items() if ids}


def settings(client, world: World, target: str = "3", capacity: str = "2", htmx: bool = False, **extra: str) -> Any:
    data = {
        "csrf_token": csrf_token(client),
        "capacity": capacity,
        "stages": "4",
        "start_period": "2027-Q1",
        "stage_length": "1",
        "target_measurement": target,
        **extra,
    }
    return client.post(url(world, "/settings"), data=data, headers={"HX-Request": "true"} if htmx else {})


def move(client, world: World, practice_id: str, stage: str, htmx: bool = False) -> Any:
    data = {"csrf_token": csrf_token(client), f"{key(practice_id)}-stage": stage}
    return client.post(url(world, f"/items/{practice_id}/move"), data=data, headers={"HX-Request": "true"} if htmx else {})


def roadmap_rows(app) -> list[tuple[str, dict, int]]:
    with app.app_context():
        return [(r.status, dict(r.edits or {}), r.capacity) for r in db.session.scalars(sa.select(Roadmap))]


def finalize(app, world: World) -> None:
    with app.test_request_context():
        assessments.finalize(db.session.get(User, world.owner), world.assessment_id)


def accept(app, client, world: World) -> Any:
    finalize(app, world)
    as_user(app, client, world.owner)
    return client.post(url(world, "/accept"), data={"csrf_token": csrf_token(client)})


# Reading


def test_a_planner_sees_the_default_plan_and_viewing_stores_nothing(app, client, world):
    page = as_user(app, client, world.owner).get(url(world))
    assert page.status_code == 200
    assert stages_of(page.text) == {"stage-1": [VSM, DMR]}  # target 2, capacity 6
    assert 'name="capacity"' in page.text and 'value="2026-Q4"' in page.text  # the settings form, prefilled
    assert '<option selected value="2">2</option>' in page.text  # target = level 1 + 1
    assert "1.44" in page.text and "2.00" in page.text  # the score now, and after stage 1
    assert "Finalize" not in page.text and "once the assessment is finalized" in page.text
    assert roadmap_rows(app) == []  # a GET writes nothing: the first change makes the draft


def test_the_first_change_makes_the_planner_s_draft(app, client, world):
    as_user(app, client, world.owner)
    assert settings(client, world).status_code == 302
    assert roadmap_rows(app) == [("draft", {}, 2)]
    assert settings(client, world, capacity="3").status_code == 302
    assert roadmap_rows(app) == [("draft", {}, 3)]  # still the one draft


def test_members_and_viewers_read_the_proposed_plan_only(app, client, world):
    as_user(app, client, world.owner)
    settings(client, world)  # the owner's draft aims higher; readers do not see drafts
    for reader in (world.member, world.viewer):
        page = as_user(app, app.test_client(), reader).get(url(world))
        assert page.status_code == 200
        assert stages_of(page.text) == {"stage-1": [VSM, DMR]}
        assert "Proposed plan." in page.text
        assert 'name="capacity"' not in page.text and "/move" not in page.text and "/accept" not in page.text
    assert len(roadmap_rows(app)) == 1  # no draft of their own


# Settings


def test_settings_change_the_stages(app, client, world):
    as_user(app, client, world.owner)
    response = settings(client, world, capacity="2")
    assert response.headers["Location"].endswith(url(world))
    page = client.get(url(world))
    assert stages_of(page.text) == {"stage-1": [VSM, DMR], "stage-2": [IB, DORA]}
    assert "overall score afterwards: 2.00" in page.text and "overall score afterwards: 3.00" in page.text
    assert "2027-Q1" in page.text and "2027-Q4" in page.text
    settings(client, world, capacity="3")
    assert stages_of(client.get(url(world)).text) == {"stage-1": [VSM, DMR, DORA], "stage-2": [IB]}


def test_settings_by_htmx_answer_with_the_changed_part(app, client, world):
    as_user(app, client, world.owner)
    response = settings(client, world, capacity="3", htmx=True)
    assert response.status_code == 200 and "<html" not in response.text
    assert 'id="plan"' in response.text and 'name="capacity"' in response.text
    assert stages_of(response.text) == {"stage-1": [VSM, DMR, DORA], "stage-2": [IB]}


def test_bad_settings_are_shown_with_the_input_and_change_nothing(app, client, world):
    as_user(app, client, world.owner)
    page = settings(client, world, capacity="0", start_period="next year")
    assert page.status_code == 200
    assert "Enter a number from 1 to 30." in page.text and "Write a year and quarter, such as 2027-Q1." in page.text
    assert 'value="0"' in page.text and 'value="NEXT YEAR"' in page.text
    assert roadmap_rows(app) == []
    assert settings(client, world, target="9").status_code == 200  # not a level on offer
    assert roadmap_rows(app) == []


# Moves


def test_a_move_before_a_prerequisite_is_refused_with_the_reason(app, client, world):
    as_user(app, client, world.owner)
    settings(client, world, capacity="3")
    page = move(client, world, IB, "1")
    assert page.status_code == 200
    assert "Every quarter the team picks its improvement items" in page.text  # names the practice ...
    assert "At least once a month the team collects" in page.text and "in an earlier stage" in page.text  # ... and what it needs
    assert 'role="alert"' in page.text
    assert roadmap_rows(app) == [("draft", {}, 3)]  # nothing kept
    assert stages_of(client.get(url(world)).text) == {"stage-1": [VSM, DMR, DORA], "stage-2": [IB]}


def test_a_refused_move_by_htmx_shows_the_reason_in_the_fragment(app, client, world):
    as_user(app, client, world.owner)
    settings(client, world, capacity="3")
    response = move(client, world, VSM, "drop", htmx=True)  # improvement-backlog still needs it
    assert response.status_code == 200 and "<html" not in response.text
    assert "drop or move it after that one first" in response.text
    assert roadmap_rows(app) == [("draft", {}, 3)]


def test_moves_and_drops_are_kept_in_the_draft(app, client, world):
    as_user(app, client, world.owner)
    settings(client, world, capacity="3")
    assert move(client, world, DORA, "2").status_code == 302
    assert stages_of(client.get(url(world)).text) == {"stage-1": [VSM, DMR], "stage-2": [IB, DORA]}
    assert move(client, world, DORA, "drop").status_code == 302
    page = client.get(url(world))
    assert stages_of(page.text) == {"stage-1": [VSM, DMR], "stage-2": [IB], "dropped": [DORA]}
    assert roadmap_rows(app) == [("draft", {DORA: None}, 3)]


def test_the_first_move_drafts_the_plan(app, client, world):
    as_user(app, client, world.owner)
    assert move(client, world, DMR, "2").status_code == 302
    assert roadmap_rows(app) == [("draft", {DMR: 2}, 6)]


def test_moving_an_unknown_item_is_404(app, client, world):
    as_user(app, client, world.owner)
    assert move(client, world, "measurement.product-metrics", "1").status_code == 404  # level 4: not in the plan
    assert move(client, world, "nope.nothing", "1").status_code == 404


# Sign-off


def test_accepting_needs_a_finalized_assessment(app, client, world):
    as_user(app, client, world.owner)
    assert "once the assessment is finalized" in client.get(url(world, "/accept")).text
    response = client.post(url(world, "/accept"), data={"csrf_token": csrf_token(client)})
    assert response.status_code == 409 and "Finalize the assessment" in response.text
    assert roadmap_rows(app) == []


def test_accepting_signs_the_plan_off(app, client, world):
    finalize(app, world)
    as_user(app, client, world.owner)
    settings(client, world, capacity="2")
    confirm = client.get(url(world, "/accept"))
    assert "Yes, accept the roadmap" in confirm.text and "Stage 2 (2027-Q2): 2 items" in confirm.text
    assert client.post(url(world, "/accept"), data={"csrf_token": csrf_token(client)}).status_code == 302
    page = client.get(url(world))
    assert "Accepted by Olive Owner on 2026-10-02." in page.text
    assert stages_of(page.text) == {"stage-1": [VSM, DMR], "stage-2": [IB, DORA]}
    assert "/move" not in page.text and 'name="capacity"' not in page.text  # the plan no longer changes
    with app.app_context():
        items = db.session.scalars(sa.select(RoadmapItem).order_by(RoadmapItem.position)).all()
        assert [(i.practice_id, i.stage, i.status) for i in items] == [
            (VSM, 1, "planned"),
            (DMR, 1, "planned"),
            (IB, 2, "planned"),
            (DORA, 2, "planned"),
        ]


def test_the_team_page_shows_the_accepted_roadmap(app, client, world):
    accept(app, client, world)
    page = as_user(app, client, world.viewer).get(f"/teams/{world.team_id}")
    assert "Accepted by Olive Owner on 2026-10-02" in page.text and "0 of 2 planned items achieved so far" in page.text
    assert f'href="{url(world)}"' in page.text


def test_results_and_overview_link_to_the_roadmap(app, client, world):
    as_user(app, client, world.member)
    for path in (f"/assessments/{world.assessment_id}/results", f"/assessments/{world.assessment_id}"):
        assert f'href="{url(world)}"' in client.get(path).text


# Tracking


def test_a_member_tracks_an_item(app, client, world):
    accept(app, client, world)
    as_user(app, client, world.member)
    page = client.get(url(world))
    assert f'name="{key(VSM)}-status"' in page.text  # editable inline
    data = {
        "csrf_token": csrf_token(client),
        f"{key(VSM)}-status": "in_progress",
        f"{key(VSM)}-owner": " Ann ",
        f"{key(VSM)}-notes": "Mapping session booked",
    }
    assert client.post(url(world, f"/items/{VSM}"), data=data).status_code == 302
    with app.app_context():
        item = db.session.scalar(sa.select(RoadmapItem).where(RoadmapItem.practice_id == VSM))
        assert (item.status, item.owner, item.notes) == ("in_progress", "Ann", "Mapping session booked")
    data[f"{key(VSM)}-status"] = "done"
    response = client.post(url(world, f"/items/{VSM}"), data=data, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Saved." in response.text and "<html" not in response.text
    assert '<option selected value="done">' in response.text


def test_bad_tracking_input_is_shown_and_changes_nothing(app, client, world):
    accept(app, client, world)
    as_user(app, client, world.member)
    data = {"csrf_token": csrf_token(client), f"{key(VSM)}-status": "finished", f"{key(VSM)}-owner": "x" * 121}
    page = client.post(url(world, f"/items/{VSM}"), data=data)
    assert page.status_code == 200 and "At most 120 characters." in page.text
    with app.app_context():
        assert db.session.scalar(sa.select(RoadmapItem.status).where(RoadmapItem.practice_id == VSM)) == "planned"


def test_tracking_needs_an_accepted_roadmap(app, client, world):
    as_user(app, client, world.member)
    data = {"csrf_token": csrf_token(client), f"{key(VSM)}-status": "done"}
    assert client.post(url(world, f"/items/{VSM}"), data=data).status_code == 404


# Access


def test_a_viewer_changes_nothing(app, client, world):
    accept(app, client, world)
    viewer = as_user(app, app.test_client(), world.viewer)
    token = csrf_token(viewer)
    page = viewer.get(url(world))
    assert "Planned" in page.text and f'name="{key(VSM)}-status"' not in page.text  # read-only tracking
    assert viewer.post(url(world, f"/items/{VSM}"), data={"csrf_token": token, f"{key(VSM)}-status": "done"}).status_code == 403
    assert viewer.get(url(world, "/accept")).status_code == 403


def test_members_and_viewers_may_not_plan(app, client, world):
    for reader in (world.member, world.viewer):
        user = as_user(app, app.test_client(), reader)
        token = csrf_token(user)
        assert user.post(url(world, "/settings"), data={"csrf_token": token, "capacity": "3"}).status_code == 403
        assert user.post(url(world, f"/items/{VSM}/move"), data={"csrf_token": token}).status_code == 403
        assert user.post(url(world, "/accept"), data={"csrf_token": token}).status_code == 403
    assert roadmap_rows(app) == []


def test_another_organisation_gets_404(app, client, world):
    as_user(app, client, world.stranger)
    token = csrf_token(client)
    assert client.get(url(world)).status_code == 404
    assert client.get(url(world, "/accept")).status_code == 404
    assert client.post(url(world, "/settings"), data={"csrf_token": token, "capacity": "3"}).status_code == 404
    assert client.post(url(world, f"/items/{VSM}/move"), data={"csrf_token": token}).status_code == 404
    assert roadmap_rows(app) == []


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for path in (url(world), url(world, "/accept")):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_bad_settings_by_htmx_come_back_in_the_fragment(app, client, world):
    as_user(app, client, world.owner)
    response = settings(client, world, capacity="31", htmx=True)
    assert response.status_code == 200 and "<html" not in response.text
    assert "Enter a number from 1 to 30." in response.text and 'value="31"' in response.text
    assert roadmap_rows(app) == []


def test_an_accepted_plan_keeps_its_backlog_and_survives_tracking(app, client, world):
    finalize(app, world)
    as_user(app, client, world.owner)
    settings(client, world, capacity="1", stages="2")  # target 3: VSM, DMR in stages; IB, DORA left over
    client.post(url(world, "/accept"), data={"csrf_token": csrf_token(client)})
    page = client.get(url(world))
    assert stages_of(page.text) == {"stage-1": [VSM], "stage-2": [DMR], "backlog": [IB, DORA]}
    data = {"csrf_token": csrf_token(client), f"{key(VSM)}-status": "dropped"}  # IB still needs it
    assert client.post(url(world, f"/items/{VSM}"), data=data).status_code == 302
    page = client.get(url(world))
    assert page.status_code == 200
    assert stages_of(page.text) == {"stage-1": [VSM], "stage-2": [DMR], "backlog": [IB, DORA]}  # as accepted
    assert '<option selected value="dropped">' in page.text
