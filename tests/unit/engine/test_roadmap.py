"""The roadmap engine: gap items, priority, staging, projections and edits, worked by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest

from assessment.engine.answers import AnswerSet, Response
from assessment.engine.roadmap import PlanInvalid, Settings, apply_edits, plan_roadmap
from tests.catalog_builder import build, dimension, practice


def two_dimensions():
    return build(
        [
            dimension(
                "a",
                [
                    practice("a.p1", 1, impact=3, effort="S"),
                    practice("a.p2", 2, impact=1, effort="L"),
                    practice("a.q2", 2, impact=2, effort="S"),
                    practice("a.p3", 3, impact=2, effort="M", requires=["b.p1"]),
                ],
            ),
            dimension("b", [practice("b.p1", 1), practice("b.p4", 4)]),
        ]
    )


ANSWERS = AnswerSet((Response("r", {"a.p1": 3, "a.p2": 1, "a.q2": 2, "a.p3": 0, "b.p1": 0, "b.p4": 0}),))


def ids(items):
    return [item.id for item in items]


def test_default_targets_gaps_priority_and_projection():
    # a: c = (1, (1/3 + 2/3)/2 = 1/2, 0, 1, 1) -> s = 3/2, level 1, target 2
    # b: c1 = 0 -> s = 0, level 0, target 1
    # gaps: a.p2 (1), a.q2 (2) at levels <= 2; b.p1 (0) at level 1; a.p3 is above a's target
    plan = plan_roadmap(two_dimensions(), ANSWERS, Settings(capacity=2, stages=1))
    assert plan.targets == {"a": 2, "b": 1}
    assert plan.current == {"a": Fraction(3, 2), "b": 0} and plan.current_overall == Fraction(3, 4)
    # b.p1 (effective level 1) first; then a.p2 (answer 1 < 2) before a.q2 (answer 2)
    [stage] = plan.stages
    assert ids(stage.items) == ["b.p1", "a.p2"]
    assert ids(plan.backlog) == ["a.q2"]
    # after stage 1: a: c2 = (1 + 2/3)/2 = 5/6 -> s = 1 + 5/6 = 11/6; b: c = (1, 1, 1, 0, 1) -> s = 3
    assert stage.projected == {"a": Fraction(11, 6), "b": 3}
    assert stage.projected_overall == Fraction(29, 12)


def test_higher_target_brings_prerequisites_and_reaches_the_target():
    plan = plan_roadmap(two_dimensions(), ANSWERS, Settings(targets={"a": 3}, capacity=2, stages=2))
    assert [ids(s.items) for s in plan.stages] == [["b.p1", "a.p2"], ["a.q2", "a.p3"]]
    assert plan.backlog == ()
    a_p3 = plan.stages[1].items[1]
    assert a_p3.requires == ("b.p1",)
    assert plan.stages[0].items[0].unblocks == ("a.p3",)
    # every practice of a up to level 3 is then at 3: coverage 1 at every level -> 5
    assert plan.stages[-1].projected["a"] == 5


def test_target_below_current_is_raised_and_capped_at_five():
    plan = plan_roadmap(two_dimensions(), ANSWERS, Settings(targets={"a": 0, "b": 9}))
    assert plan.targets == {"a": 1, "b": 5}
    assert "a.p2" not in ids(plan.items())  # a is at level 1 already: nothing of level 2 is asked for


def test_prerequisite_inherits_urgency_and_comes_strictly_earlier():
    catalog = build(
        [
            dimension("a", [practice("a.p2", 2, impact=3, effort="S", requires=["b.p4"])]),
            dimension("b", [practice("b.p0", 1), practice("b.p4", 4, impact=1, effort="L")]),
        ]
    )
    answers = AnswerSet((Response("r", {"a.p2": 0, "b.p0": 0, "b.p4": 0}),))
    plan = plan_roadmap(catalog, answers, Settings(capacity=2, stages=3))
    items = {item.id: item for item in plan.items()}
    # b's target is 1, but a.p2 needs b.p4: it joins the plan with a.p2's urgency (level 2, not 4)
    assert items["b.p4"].effective_level == 2
    # a.p2 ranks above b.p4 (impact per effort 3 vs 1/3) but must wait for it
    assert [ids(s.items) for s in plan.stages] == [["b.p0", "b.p4"], ["a.p2"], []]


def test_na_and_profile_na_prerequisites_count_as_met():
    catalog = build([dimension("a", [practice("a.p1", 1), practice("a.p2", 2, requires=["a.p1"])])])
    plan = plan_roadmap(catalog, AnswerSet((Response("r", {"a.p1": "na", "a.p2": 1}),)))
    [item] = plan.items()
    assert item.id == "a.p2" and item.requires == ()


def test_stage_periods_follow_the_start_period():
    plan = plan_roadmap(two_dimensions(), ANSWERS, Settings(stages=3, start_period="2026-Q4", stage_length=2))
    assert [s.period for s in plan.stages] == ["2026-Q4", "2027-Q2", "2027-Q4"]


def test_edits_move_and_drop():
    catalog = two_dimensions()
    plan = plan_roadmap(catalog, ANSWERS, Settings(targets={"a": 3}, capacity=2, stages=2))
    moved = apply_edits(catalog, ANSWERS, plan, {"a.p2": 2, "a.q2": 1})
    # within a stage, items keep their priority order
    assert [ids(s.items) for s in moved.stages] == [["b.p1", "a.q2"], ["a.p2", "a.p3"]]
    dropped = apply_edits(catalog, ANSWERS, plan, {"a.q2": None})
    assert ids(dropped.dropped) == ["a.q2"] and "a.q2" not in ids(dropped.items())


@pytest.mark.parametrize(
    ("moves", "reason"),
    [
        ({"b.p1": 2}, "'a.p3' needs 'b.p1' first, which would come in the same or a later stage"),
        ({"b.p1": None}, "'a.p3' needs 'b.p1', which is dropped"),
        ({"a.p1": 1}, "'a.p1' is not an item of this roadmap"),
        ({"a.p2": 3}, "there is no stage 3"),
        ({"a.p3": 1}, "'a.p3' needs 'b.p1' first, which would come in the same or a later stage"),
    ],
)
def test_edits_that_break_the_rules_are_refused(moves, reason):
    catalog = two_dimensions()
    plan = plan_roadmap(catalog, ANSWERS, Settings(targets={"a": 3}, capacity=2, stages=2))
    with pytest.raises(PlanInvalid) as refused:
        apply_edits(catalog, ANSWERS, plan, moves)
    assert str(refused.value) == reason


def test_capacity_is_held_on_edits():
    catalog = two_dimensions()
    plan = plan_roadmap(catalog, ANSWERS, Settings(targets={"a": 3}, capacity=2, stages=2))
    with pytest.raises(PlanInvalid, match="stage 2 would hold more than 2 items"):
        apply_edits(catalog, ANSWERS, plan, {"a.p2": 2})


def test_settings_must_be_positive():
    with pytest.raises(PlanInvalid):
        plan_roadmap(two_dimensions(), ANSWERS, Settings(capacity=0))
