"""Roadmap tracking through the use cases: finalize tracks, reopen undoes, re-plan supersedes.

The story (worked by hand; DESIGN.md "Roadmap" and "Scoring"):
- 2026-Q3, quick: Olive (owner, team lead) answers every quick practice 1. Its roadmap, accepted
  with 30 items a stage from 2026-Q4, holds stage 1 = 2026-Q4 (due: its last period, 2026-Q4),
  stage 2 = 2027-Q1, ...; every baseline answer is 1 (quick) or not asked, i.e. 0 (the rest).
- 2026-Q4, full: Olive, Mia and Sam answer. Aggregated answers (median of three):
  ACHIEVED 3, 3, 1 -> 3: achieved.  NOT_YET 3, 1, 1 -> 1: not achieved, no better than 1.
  AGREED 3, 1, 1 -> 1, but a consensus of 3 overrides the median: achieved.
  BETTER 2, 2, 2 -> 2 > 1: progressing (2 is still a gap, not achieved).
  UNASKED_LATER (not quick) 2, 2, 1 -> 2 > 0: progressing.
- 2027-Q1, quick: everyone answers NOT_YET 1 and BETTER 2, ACHIEVED 1. 2027-Q1 lies after
  stage 1 (due 2026-Q4): NOT_YET and BETTER slip; ACHIEVED stays achieved with 2026-Q4 (it fell
  back); UNASKED_LATER is not in the quick form and nobody answers AGREED: no evidence, so they
  stay as 2026-Q4 left them.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from assessment.extensions import db
from assessment.services import assessments, roadmap_review, roadmaps
from assessment.services.errors import Conflict, Forbidden, NotFound
from assessment.store.models import Consensus, Roadmap
from tests.factories import add_member, make_org, make_team, make_user, start


@pytest.fixture
def story(app):
    with app.test_request_context():
        catalog = app.extensions["cdcoach.catalogs"].get("cd-maturity")
        olive, mia, sam = make_user("Olive"), make_user("Mia"), make_user("Sam")
        org = make_org(olive)
        add_member(org, mia)
        add_member(org, sam)
        team = make_team(org, lead=olive)
        baseline = start(app, olive, team, "quick", "2026-Q3")
        assessments.join_as_respondent(olive, baseline.id, "lead")
        assessments.save_answers(olive, baseline.id, {p: assessments.AnswerInput("1") for p in assessments.asked(baseline)})
        assessments.finalize(olive, baseline.id)
        draft = roadmaps.draft_for(olive, baseline.id)
        roadmaps.configure(olive, draft.id, {}, 30, 4, "2026-Q4")
        roadmap = roadmaps.accept(olive, draft.id)
        # level-1 practices: below 3 they are gaps for any target, so a re-plan plans them again
        stage_1 = [i.practice_id for i in roadmap.items if i.stage == 1 and catalog.practices[i.practice_id].level == 1]
        quick = [p for p in stage_1 if catalog.practices[p].quick]
        full_only = [p for p in stage_1 if not catalog.practices[p].quick]
        names = dict(zip(("ACHIEVED", "NOT_YET", "AGREED", "BETTER"), quick, strict=False))
        names["UNASKED_LATER"] = full_only[0]
        assert len(names) == 5 and len(set(names.values())) == 5
        yield {"app": app, "olive": olive, "mia": mia, "sam": sam, "org": org, "team": team, "roadmap": roadmap, "p": names}


def answer(user, assessment, answers):
    assessments.join_as_respondent(user, assessment.id, "dev")
    assessments.save_answers(user, assessment.id, {p: assessments.AnswerInput(v) for p, v in answers.items()})


def q4(story):
    """2026-Q4, full, finalized: see the module docstring."""
    p, app = story["p"], story["app"]
    iteration = start(app, story["olive"], story["team"], "full", "2026-Q4")
    for user, values in ((story["olive"], "33322"), (story["mia"], "31122"), (story["sam"], "11121")):
        answer(
            user,
            iteration,
            dict(zip((p["ACHIEVED"], p["NOT_YET"], p["AGREED"], p["BETTER"], p["UNASKED_LATER"]), values, strict=True)),
        )
    db.session.add(Consensus(assessment_id=iteration.id, practice_id=p["AGREED"], value="3", updated_by_id=story["olive"].id))
    db.session.commit()
    assessments.finalize(story["olive"], iteration.id)
    return iteration


def q1(story):
    """2027-Q1, quick, finalized."""
    p = story["p"]
    iteration = start(story["app"], story["olive"], story["team"], "quick", "2027-Q1")
    for user in (story["olive"], story["mia"], story["sam"]):
        answer(user, iteration, {p["NOT_YET"]: "1", p["BETTER"]: "2", p["ACHIEVED"]: "1"})
    assessments.finalize(story["olive"], iteration.id)
    return iteration


def tracked(roadmap):
    db.session.refresh(roadmap)
    return {i.practice_id: (i.tracking, i.tracked_assessment_id, i.tracked_value) for i in roadmap.items}


def test_finalizing_tracks_on_the_aggregated_answers(story):
    p, roadmap = story["p"], story["roadmap"]
    assert all(t == (None, None, None) for t in tracked(roadmap).values())  # nothing after 2026-Q3 yet
    iteration = q4(story)
    now = tracked(roadmap)
    assert now[p["ACHIEVED"]] == ("achieved", iteration.id, "3")  # median(3, 3, 1) = 3
    assert now[p["NOT_YET"]] == (None, None, None)  # median(3, 1, 1) = 1, as at the baseline
    assert now[p["AGREED"]] == ("achieved", iteration.id, "3")  # the consensus, not the median 1
    assert now[p["BETTER"]] == ("progressing", iteration.id, "2")  # 2 > 1, and 2 is not achieved
    assert now[p["UNASKED_LATER"]] == ("progressing", iteration.id, "2")  # median(2, 2, 1) = 2 > 0


def test_slipped_by_period_and_an_unasked_practice_keeps_its_tracking(story):
    p, roadmap = story["p"], story["roadmap"]
    first = q4(story)
    later = q1(story)
    now = tracked(roadmap)
    assert now[p["NOT_YET"]] == ("slipped", later.id, "1")  # 2027-Q1 is after stage 1 (2026-Q4)
    assert now[p["BETTER"]] == ("slipped", later.id, "2")  # still 2 after its stage
    assert now[p["ACHIEVED"]] == ("achieved", first.id, "3")  # kept, with the iteration that showed it
    assert now[p["UNASKED_LATER"]] == ("progressing", first.id, "2")  # the quick form did not ask it
    # the stage-2 items (due 2027-Q1) are not past due in 2027-Q1
    assert all(i.tracking != "slipped" for i in roadmap.items if i.stage == 2)


def test_the_review_lists_what_fell_back(story):
    p = story["p"]
    q4(story)
    q1(story)
    review = roadmap_review.review_context(story["olive"], story["team"].id, "en")
    fell = [i["practice_id"] for i in review["fell_back"]]
    assert fell == [p["ACHIEVED"]]  # achieved in 2026-Q4 at 3, rated 1 in 2027-Q1
    item = review["fell_back"][0]
    assert (item["tracked_period"], item["latest_value"], item["latest_period"]) == ("2026-Q4", "1", "2027-Q1")
    assert {i["practice_id"] for i in review["slipped"]} == {p["NOT_YET"], p["BETTER"]}
    stage_1 = review["stages"][0]
    assert (stage_1["first_period"], stage_1["last_period"], stage_1["over"]) == ("2026-Q4", "2026-Q4", True)
    # stage 1: ACHIEVED and AGREED achieved, UNASKED_LATER progressing, NOT_YET and BETTER slipped;
    # its other items were answered by nobody after 2026-Q3: no change
    in_stage_1 = sum(1 for i in story["roadmap"].items if i.stage == 1)
    assert stage_1["counts"] == {"planned": in_stage_1, "achieved": 2, "progressing": 1, "slipped": 2, "open": in_stage_1 - 5}


def test_reopening_undoes_the_tracking_it_recorded(story):
    p, roadmap = story["p"], story["roadmap"]
    first = q4(story)
    later = q1(story)
    assessments.reopen(story["olive"], later.id, "Sam answered for the wrong team")
    now = tracked(roadmap)
    assert all(assessment_id != later.id for _t, assessment_id, _v in now.values())
    assert now[p["NOT_YET"]] == (None, None, None)  # back to what 2026-Q4 showed
    assert now[p["BETTER"]] == ("progressing", first.id, "2")
    assessments.finalize(story["olive"], later.id)
    assert tracked(roadmap)[p["NOT_YET"]] == ("slipped", later.id, "1")


def test_reopening_the_only_later_iteration_clears_the_tracking(story):
    roadmap = story["roadmap"]
    first = q4(story)
    assessments.reopen(story["olive"], first.id, "wrong answers")
    assert all(t == (None, None, None) for t in tracked(roadmap).values())


def test_a_roadmap_accepted_late_is_tracked_at_once(app):
    """Accepting a roadmap after later iterations were finalized tracks it on them right away."""
    with app.test_request_context():
        olive = make_user()
        team = make_team(make_org(olive), lead=olive)
        baseline = start(app, olive, team, "quick", "2026-Q3")
        answer(olive, baseline, {p: "1" for p in assessments.asked(baseline)})
        assessments.finalize(olive, baseline.id)
        later = start(app, olive, team, "quick", "2026-Q4")
        answer(olive, later, {p: "3" for p in assessments.asked(later)})
        assessments.finalize(olive, later.id)
        roadmap = roadmaps.accept_draft(olive, baseline.id)
        asked = assessments.asked(later)
        # every quick practice is 3 in 2026-Q4: achieved; the rest were not asked: untouched
        assert all(
            i.tracking == "achieved" and i.tracked_assessment_id == later.id for i in roadmap.items if i.practice_id in asked
        )
        assert all(i.tracking is None for i in roadmap.items if i.practice_id not in asked)


def test_replan_supersedes_and_keeps_history(story):
    p, olive, old = story["p"], story["olive"], story["roadmap"]
    roadmaps.update_item(
        olive, next(i.id for i in old.items if i.practice_id == p["NOT_YET"]), "in_progress", "Mia", "blocked by CI"
    )
    with pytest.raises(Conflict):
        roadmap_review.replan(olive, story["team"].id)  # nothing finalized after 2026-Q3 yet
    q4(story)
    later = q1(story)
    before = tracked(old)
    draft = roadmap_review.replan(olive, story["team"].id)
    assert (draft.status, draft.assessment_id, draft.replanned_from_id) == ("draft", later.id, old.id)
    assert (draft.capacity, draft.stages, draft.start_period) == (30, 4, "2027-Q2")  # carried, from the next quarter
    assert roadmap_review.replan(olive, story["team"].id).id == draft.id  # one draft, not two
    new = roadmaps.accept_draft(olive, later.id)
    assert (old.status, new.status, new.replanned_from_id) == ("superseded", "accepted", old.id)
    planned = {i.practice_id: i for i in new.items}
    assert p["ACHIEVED"] in planned  # it fell back to 1: a gap again, so planned again
    assert (planned[p["NOT_YET"]].owner, planned[p["NOT_YET"]].notes) == ("Mia", "blocked by CI")
    assert planned[p["NOT_YET"]].status == "in_progress"
    assert tracked(old) == before  # the old roadmap's history stays as it was
    # a later iteration tracks the new roadmap only; the old one's window ended at 2027-Q1
    next_one = start(story["app"], olive, story["team"], "quick", "2027-Q2")
    answer(olive, next_one, {p["NOT_YET"]: "3"})
    assessments.finalize(olive, next_one.id)
    assert tracked(new)[p["NOT_YET"]] == ("achieved", next_one.id, "3")
    assert tracked(old) == before
    earlier = roadmap_review.review_context(olive, story["team"].id, "en", old.id)
    assert earlier["roadmap"]["status"] == "superseded" and earlier["roadmap"]["replaced_by_id"] == new.id
    assert earlier["replan"] is None  # read-only
    current = roadmap_review.review_context(olive, story["team"].id, "en")
    assert [h["id"] for h in current["history"]] == [old.id]


def test_who_may_read_and_replan(story):
    team, org = story["team"], story["org"]
    q4(story)
    viewer, facilitator, stranger = make_user(), make_user(), make_user()
    add_member(org, viewer, "viewer")
    add_member(org, facilitator, "facilitator")
    make_org(stranger)
    for reader in (story["mia"], viewer, facilitator, story["olive"]):
        assert roadmap_review.review_context(reader, team.id, "en")["roadmap"]["id"] == story["roadmap"].id
    assert roadmap_review.review_context(story["mia"], team.id, "en")["replan"] is None  # a member who does not lead
    assert roadmap_review.review_context(facilitator, team.id, "en")["replan"]["allowed"]
    with pytest.raises(NotFound):
        roadmap_review.review_context(stranger, team.id, "en")
    with pytest.raises(NotFound):
        roadmap_review.replan(stranger, team.id)
    for refused in (story["mia"], viewer):
        with pytest.raises(Forbidden):
            roadmap_review.replan(refused, team.id)
    assert roadmap_review.replan(facilitator, team.id).replanned_from_id == story["roadmap"].id
    second_owner = make_user()
    add_member(org, second_owner, "owner")  # an owner who does not lead the team re-plans too (the same draft)
    assert roadmap_review.replan(second_owner, team.id).id == roadmap_review.replan(facilitator, team.id).id
    draft = db.session.scalar(sa.select(Roadmap).where(Roadmap.team_id == team.id, Roadmap.status == "draft"))
    with pytest.raises(NotFound):  # a draft is no tracked roadmap
        roadmap_review.review_context(story["olive"], team.id, "en", draft.id)
    with pytest.raises(NotFound):
        roadmap_review.review_context(stranger, team.id, "en", story["roadmap"].id)


def test_jcurve_notes_say_a_dip_plainly(app):
    """Quick forms answered all 2, then all 1, then all 2 again by one person.

    All 2: each dimension's coverage is 2/3 at levels 1-3 and 0 at 4-5 (not asked), so its score is
    3 * 2/3 = 2 and the overall score 2.00; all 1: 3 * 1/3 = 1 everywhere, overall 1.00.
    Deployment frequency "daily" (tier 5) then "monthly" (tier 3): a worse tier.
    """
    with app.test_request_context():
        olive = make_user()
        team = make_team(make_org(olive), lead=olive)
        made = []
        for period, value, frequency in (("2026-Q2", "2", "daily"), ("2026-Q3", "1", "monthly"), ("2026-Q4", "2", "monthly")):
            iteration = start(app, olive, team, "quick", period)
            answer(olive, iteration, {p: value for p in assessments.asked(iteration)})
            assessments.save_metric(olive, iteration.id, "deployment_frequency", frequency)
            assessments.finalize(olive, iteration.id)
            made.append(iteration)
        assert roadmap_review.jcurve_notes(made[:1], "en") == []
        assert roadmap_review.jcurve_notes(made[1:], "en") == []  # 1.00 to 2.00, monthly to monthly: no dip
        assert roadmap_review.jcurve_notes(made, "en") == [
            "From 2026-Q2 to 2026-Q3 the overall score went down, from 2.00 to 1.00.",
            "Every dimension went down from 2026-Q2 to 2026-Q3.",
            "Delivery got worse from 2026-Q2 to 2026-Q3: "
            "Deployment frequency (About once a day → Between once a week and once a month).",
            "The overall score is back: 2.00 in 2026-Q4, against 2.00 in 2026-Q2 before the dip.",
            "A dip after a change is common (the J-curve): new ways of working cost time before they pay off.",
        ]
        # up to 2026-Q3 it has not recovered yet: the team is told to watch the next review
        assert roadmap_review.jcurve_notes(made[:2], "en")[-1] == (
            "A dip after a change is common (the J-curve): new ways of working cost time before they pay off. "
            "Watch whether the next review recovers; if it does not, look at what changed."
        )


def test_jcurve_notes_name_the_few_dimensions_that_went_down(app):
    """All 2 (overall 2.00), then the same but config and testing all 1: those two dimensions score
    3 * 1/3 = 1, the other eight 2, overall (8 * 2 + 2 * 1) / 10 = 1.80."""
    with app.test_request_context():
        olive = make_user()
        team = make_team(make_org(olive), lead=olive)
        made = []
        for period, lower in (("2026-Q2", ()), ("2026-Q3", ("config", "testing"))):
            iteration = start(app, olive, team, "quick", period)
            asked = assessments.asked(iteration)
            answer(olive, iteration, {p: "1" if p.split(".")[0] in lower else "2" for p in asked})
            assessments.finalize(olive, iteration.id)
            made.append(iteration)
        english = roadmap_review.jcurve_notes(made, "en")
        assert english[:2] == [
            "From 2026-Q2 to 2026-Q3 the overall score went down, from 2.00 to 1.80.",
            "Dimensions that went down from 2026-Q2 to 2026-Q3: Configuration and change management, Testing and quality.",
        ]
        assert len(english) == 3  # and why a dip is no surprise; no recovery yet
        chinese = roadmap_review.jcurve_notes(made, "zh")
        assert chinese[1] == "从2026-Q2到2026-Q3得分下降的维度：配置与变更管理、测试与质量。"
