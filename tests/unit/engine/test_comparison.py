"""Comparing two iterations; every expected value worked out by hand in the comments."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.engine.answers import AnswerSet, Response
from assessment.engine.comparison import Dip, compare
from assessment.engine.scoring import score
from tests.catalog_builder import build, dimension, metric_hours, metric_percent, practice
from tests.unit.engine.test_properties import scenario


def catalog():
    """Dimension a: one practice per level 1-5; dimension b: two level-1 practices; two metrics."""
    return build(
        [
            dimension("a", [practice(f"a.p{i}", i) for i in range(1, 6)]),
            dimension("b", [practice("b.p1", 1), practice("b.p2", 1)], "team"),
        ],
        metrics=[metric_hours(), metric_percent()],
    )


def one(answers, metrics=None):
    return AnswerSet((Response("r1", answers),), metrics=metrics or {})


# Before: a = 3, 3, ?, -, -   b = 3, na      lead time b0 (tier 5), change failure 5 % (tier 5)
#   a: coverage 1, 1, 0, 0, 0 -> score 2, level 2 ("don't know" counts 0)
#   b: level 1 counts b.p1 only (b.p2 is N/A) -> coverage 1 at every level -> score 5, level 5
#   overall (2 + 5) / 2 = 7/2, level 3
#   confidence: 7 asked, minus the response's own N/A = 6 counted; 3 numeric -> 1/2
#   delivery: tiers 5, 5 -> tier 5
BEFORE = one({"a.p1": 3, "a.p2": 3, "a.p3": "unknown", "b.p1": 3, "b.p2": "na"}, {"lead_time": "b0", "change_failure_rate": 5})
# After: a = 3, 3, 3, 1, 0   b = 1, 2      lead time b1 (tier 4), change failure 25 % (tier 1)
#   a: coverage 1, 1, 1, 1/3, 0 -> 1 + 1 + 1 + 1/3 + 0 = 10/3, level 3
#   b: level 1 (1/3 + 2/3) / 2 = 1/2, levels 2-5 have no practice (1) -> 5 * 1/2 = 5/2, level 2
#   overall (10/3 + 5/2) / 2 = (20/6 + 15/6) / 2 = 35/12, level 2
#   confidence 7 of 7 -> 1
#   delivery: tiers 4, 1 -> median 5/2 -> tier 2
AFTER = one(
    {"a.p1": 3, "a.p2": 3, "a.p3": 3, "a.p4": 1, "a.p5": 0, "b.p1": 1, "b.p2": 2},
    {"lead_time": "b1", "change_failure_rate": 25},
)


def results():
    cat = catalog()
    return score(cat, BEFORE), score(cat, AFTER)


def test_scores_levels_and_confidence_change():
    c = compare(*results())
    a, b = c.dimensions
    assert (a.id, a.before, a.after, a.change, a.level_before, a.level_after) == ("a", 2, Fraction(10, 3), Fraction(4, 3), 2, 3)
    assert (b.id, b.before, b.after, b.change) == ("b", 5, Fraction(5, 2), Fraction(-5, 2))
    assert (c.overall_before, c.overall_after) == (Fraction(7, 2), Fraction(35, 12))
    assert c.overall_change == Fraction(35, 12) - Fraction(42, 12) == Fraction(-7, 12)
    assert (c.level_before, c.level_after) == (3, 2)
    assert (c.confidence_before, c.confidence_after, c.confidence_change) == (Fraction(1, 2), 1, Fraction(1, 2))


def test_practices_move_on_the_number_scoring_counts():
    c = compare(*results())
    # a.p3 "don't know" (0) -> 3: +3; a.p4 no answer (0) -> 1: +1; a.p5 no answer (0) -> 0: no move;
    # b.p1 3 -> 1: -2; b.p2 N/A -> 2: N/A has no number, so it does not move.
    assert [(m.id, m.change) for m in c.moved_up] == [("a.p3", 3), ("a.p4", 1)]
    assert [(m.id, m.dimension, m.before, m.after, m.change) for m in c.moved_down] == [("b.p1", "b", 3, 1, -2)]
    assert c.moved_up[0].before == "unknown" and c.moved_up[1].before == "unanswered"


def test_percent_to_target_and_progress_to_date():
    c = compare(*results(), targets={"a": 4, "b": 5})
    # before: short (4 - 2) + (5 - 5) = 2 of 9 wanted -> 1 - 2/9 = 7/9
    # after: short (4 - 10/3) + (5 - 5/2) = 2/3 + 5/2 = 19/6 -> 1 - (19/6) / 9 = 1 - 19/54 = 35/54
    assert (c.percent_to_target_before, c.percent_to_target_after) == (Fraction(7, 9), Fraction(35, 54))
    # share of the gap closed: (35/54 - 42/54) / (1 - 42/54) = (-7/54) / (12/54) = -7/12 (it grew)
    assert c.progress == Fraction(-7, 12)
    a, b = c.dimensions
    assert (a.target, a.progress) == (4, Fraction(2, 3))  # (10/3 - 2) / (4 - 2) = (4/3) / 2
    assert (b.target, b.progress) == (5, None)  # the target is not above the baseline 5: no progress figure


def test_without_targets_there_is_no_percent_or_progress():
    c = compare(*results())
    assert (c.percent_to_target_before, c.percent_to_target_after, c.progress) == (None, None, None)
    assert all(d.target is None and d.progress is None for d in c.dimensions)


def test_every_dip_is_named():
    c = compare(*results())
    # overall 7/2 -> 35/12; b 5 -> 5/2; delivery tier 5 -> 2; lead time tier 5 -> 4; change failure 5 -> 1.
    # Dimension a went up, so it is not a dip.
    assert c.dips == (
        Dip("overall", None, Fraction(7, 2), Fraction(35, 12)),
        Dip("dimension", "b", Fraction(5), Fraction(5, 2)),
        Dip("delivery", None, Fraction(5), Fraction(2)),
        Dip("metric", "lead_time", Fraction(5), Fraction(4)),
        Dip("metric", "change_failure_rate", Fraction(5), Fraction(1)),
    )
    assert c.dipped
    assert (c.delivery_tier_before, c.delivery_tier_after, c.delivery_tier_change) == (5, 2, -3)
    lead, cfr = c.metrics
    # quick check: band b0 of 4 -> 10 * 3/3 = 10, band b1 -> 10 * 2/3 = 20/3; 5 % -> 10 - 1/2, 25 % -> 10 - 5/2
    assert (lead.quick_check_before, lead.quick_check_after) == (10, Fraction(20, 3))
    assert (cfr.quick_check_before, cfr.quick_check_after, cfr.tier_change) == (Fraction(19, 2), Fraction(15, 2), -4)


def test_improvement_has_no_dip():
    _before, after = results()
    c = compare(after, after)
    assert not c.dipped and c.dips == ()
    c = compare(score(catalog(), one({"a.p1": 1})), score(catalog(), one({"a.p1": 2})))
    # a: coverage 1/3, 0, 0, 0, 0 -> 1/3; then 2/3, 0, ... -> 2/3: +1/3. b unanswered (0) both times.
    assert [d.change for d in c.dimensions] == [Fraction(1, 3), 0]
    assert not c.dipped


def test_new_and_resolved_disagreements():
    cat = catalog()
    # before: a.p1 answered 0 and 2 (spread 2: disagreement), a.p2 1 and 1
    # after:  a.p1 1 and 1, a.p2 0 and 3 (spread 3: a new disagreement)
    before = AnswerSet((Response("x", {"a.p1": 0, "a.p2": 1}), Response("y", {"a.p1": 2, "a.p2": 1})))
    after = AnswerSet((Response("x", {"a.p1": 1, "a.p2": 0}), Response("y", {"a.p1": 1, "a.p2": 3})))
    c = compare(score(cat, before), score(cat, after))
    assert c.new_disagreements == ("a.p2",)
    assert c.resolved_disagreements == ("a.p1",)


def test_a_dimension_without_score_has_no_change():
    cat = catalog()
    before = AnswerSet((Response("r1", {"a.p1": 3}),), questionnaire=("a",))  # b not asked: not measured
    after = one({"a.p1": 3, "b.p1": 3, "b.p2": 3})
    c = compare(score(cat, before), score(cat, after))
    b = c.dimensions[1]
    assert (b.before, b.after, b.change) == (None, 5, None)
    # a: coverage 1, 0, 0, 0, 0 -> 1 both times; overall before 1 (a alone), after (1 + 5) / 2 = 3
    assert (c.overall_before, c.overall_after) == (1, 3)
    assert not c.dipped
    assert c.moved_up == ()  # b's practices were not asked before: no number then, so no move


@settings(max_examples=60, deadline=None)
@given(scenario())
def test_a_result_compared_with_itself_has_no_change(case):
    catalog, answers = case
    result = score(catalog, answers)
    c = compare(result, result, {d.id: 5 for d in catalog.dimensions})
    assert all(d.change in (None, 0) for d in c.dimensions)
    assert c.overall_change in (None, 0) and c.confidence_change in (None, 0)
    assert c.moved_up == c.moved_down == c.new_disagreements == c.resolved_disagreements == c.dips == ()
    assert c.progress in (None, 0)


@st.composite
def two_answer_sets(draw):
    catalog, first = draw(scenario())
    _, second = draw(scenario())
    # the second scenario's answers, kept to the first catalog's practices
    ids = set(catalog.practices)
    responses = tuple(Response(r.respondent, {k: v for k, v in r.answers.items() if k in ids}) for r in second.responses)
    return catalog, first, AnswerSet(responses, questionnaire=second.questionnaire)


@settings(max_examples=60, deadline=None)
@given(two_answer_sets())
def test_swapping_the_results_negates_the_change(case):
    catalog, first, second = case
    a, b = score(catalog, first), score(catalog, second)
    forward, backward = compare(a, b), compare(b, a)
    assert [d.change for d in forward.dimensions] == [None if d.change is None else -d.change for d in backward.dimensions]
    assert forward.overall_change == (None if backward.overall_change is None else -backward.overall_change)
    assert forward.confidence_change == (None if backward.confidence_change is None else -backward.confidence_change)
    assert [m.id for m in forward.moved_up] == [m.id for m in backward.moved_down]
    assert [m.change for m in forward.moved_up] == [-m.change for m in backward.moved_down]
    assert forward.new_disagreements == backward.resolved_disagreements
