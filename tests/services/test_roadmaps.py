"""Roadmap use cases: draft, configure, move, accept, track; without HTTP."""

from __future__ import annotations

import pytest

from assessment.extensions import db
from assessment.services import assessments, roadmaps
from assessment.services.errors import Conflict, Forbidden, Invalid, NotFound
from tests.factories import add_member, make_org, make_team, make_user, start


@pytest.fixture
def finalized(app):
    """A finalized quick assessment where one person answered every quick practice 1."""
    with app.test_request_context():  # refusal messages are translated for the request's locale
        owner = make_user()
        org = make_org(owner)
        team = make_team(org, lead=owner)
        assessment = start(app, owner, team, "quick", "2026-Q3")
        assessments.join_as_respondent(owner, assessment.id, "dev")
        for pid in sorted(assessments.asked(assessment)):
            assessments.save_answer(owner, assessment.id, pid, "1")
        assessments.finalize(owner, assessment.id)
        yield {"owner": owner, "org": org, "team": team, "assessment": assessment}


def test_draft_uses_the_defaults(app, finalized):
    roadmap = roadmaps.draft_for(finalized["owner"], finalized["assessment"].id)
    assert (roadmap.status, roadmap.capacity, roadmap.stages, roadmap.start_period) == ("draft", 6, 4, "2026-Q4")
    plan = roadmaps.plan_of(roadmap)
    # every quick practice (levels 1-3) answered 1: coverage 1/3 at levels 1-3, 0 above (not asked)
    # -> s = 3 * 1/3 = 1, level 1 in every dimension, target 2: every practice of levels 1-2 is a gap
    # (not asked ones count as 0), plus the prerequisites of those
    catalog = assessments.catalog_for(finalized["assessment"])
    assert set(plan.targets.values()) == {2}
    wanted = {p.id for p in catalog.practices.values() if p.level <= 2}
    assert wanted <= set(plan.priority)
    extra = set(plan.priority) - wanted
    assert all(any(pid in catalog.practices[other].requires for other in plan.priority) for pid in extra)
    assert [len(s.items) for s in plan.stages] == [6, 6, 6, 6]  # far more gaps than room
    assert roadmaps.draft_for(finalized["owner"], finalized["assessment"].id).id == roadmap.id  # one draft


def test_configure_validates_and_resets_moves(app, finalized):
    roadmap = roadmaps.draft_for(finalized["owner"], finalized["assessment"].id)
    with pytest.raises(Invalid):
        roadmaps.configure(finalized["owner"], roadmap.id, {"nope": 3}, 6, 4, "2027-Q1")
    with pytest.raises(Invalid):
        roadmaps.configure(finalized["owner"], roadmap.id, {}, 0, 4, "2027-Q1")
    with pytest.raises(Invalid):
        roadmaps.configure(finalized["owner"], roadmap.id, {}, 6, 4, "next year")
    roadmaps.configure(finalized["owner"], roadmap.id, {"build": 3}, 3, 2, "2027-Q1")
    plan = roadmaps.plan_of(db.session.get(type(roadmap), roadmap.id))
    assert plan.targets["build"] == 3 and all(len(s.items) <= 3 for s in plan.stages)
    assert [s.period for s in plan.stages] == ["2027-Q1", "2027-Q2"]


def test_move_refused_with_a_reason_naming_the_practices(app, finalized):
    owner = finalized["owner"]
    roadmap = roadmaps.draft_for(owner, finalized["assessment"].id)
    roadmaps.configure(owner, roadmap.id, {"release": 5}, 30, 4, "2026-Q4")
    plan = roadmaps.plan_of(roadmap)
    catalog = assessments.catalog_for(finalized["assessment"])
    dependent = next(i for s in plan.stages for i in s.items if i.requires and not i.unblocks)
    required = dependent.requires[0]
    with pytest.raises(Invalid) as refused:
        roadmaps.move(owner, roadmap.id, required, plan.stage_of(dependent.id))
    assert catalog.practices[required].statement.en in refused.value.message
    assert roadmap.edits == {}  # nothing was kept of the refused move
    roadmaps.move(owner, roadmap.id, dependent.id, None)  # dropping the dependent is fine
    assert [i.id for i in roadmaps.plan_of(roadmap).dropped] == [dependent.id]


def test_accept_stores_items_and_supersedes(app, finalized):
    owner = finalized["owner"]
    first = roadmaps.draft_for(owner, finalized["assessment"].id)
    plan = roadmaps.plan_of(first)
    roadmaps.accept(owner, first.id)
    assert first.status == "accepted" and first.accepted_by_id == owner.id and first.accepted_at is not None
    assert [i.practice_id for i in first.items] == list(plan.priority)
    assert {i.stage for i in first.items if i.stage} <= {1, 2, 3, 4}
    with pytest.raises(Conflict):
        roadmaps.move(owner, first.id, first.items[0].practice_id, 2)  # accepted plans do not move
    second = roadmaps.draft_for(owner, finalized["assessment"].id)
    roadmaps.accept(owner, second.id)
    assert (first.status, second.status) == ("superseded", "accepted")
    assert roadmaps.accepted_roadmap(finalized["team"].id).id == second.id


def test_accept_needs_a_finalized_assessment(app):
    with app.test_request_context():
        _accept_open(app)


def _accept_open(app):
    owner = make_user()
    team = make_team(make_org(owner), lead=owner)
    assessment = start(app, owner, team)
    roadmap = roadmaps.draft_for(owner, assessment.id)
    with pytest.raises(Conflict):
        roadmaps.accept(owner, roadmap.id)


def test_item_tracking_and_access(app, finalized):
    owner, org = finalized["owner"], finalized["org"]
    roadmap = roadmaps.draft_for(owner, finalized["assessment"].id)
    roadmaps.accept(owner, roadmap.id)
    item = roadmap.items[0]
    member, viewer, stranger = make_user(), make_user(), make_user()
    add_member(org, member, "member")
    add_member(org, viewer, "viewer")
    roadmaps.update_item(member, item.id, "in_progress", " Ann ", "Started in sprint 4")
    assert (item.status, item.owner, item.notes) == ("in_progress", "Ann", "Started in sprint 4")
    with pytest.raises(Forbidden):
        roadmaps.update_item(viewer, item.id, "done", None, None)
    with pytest.raises(NotFound):
        roadmaps.update_item(stranger, item.id, "done", None, None)
    with pytest.raises(Invalid):
        roadmaps.update_item(member, item.id, "finished", None, None)
    with pytest.raises(Forbidden):
        roadmaps.draft_for(member, finalized["assessment"].id)  # members do not plan; they may read
