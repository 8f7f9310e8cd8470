"""Scores from aggregated answers; every expected value worked out by hand in the comments."""

from __future__ import annotations

from fractions import Fraction

from assessment.engine.answers import AnswerSet, Response
from assessment.engine.scoring import percent_to_target, progress_to_date, score
from tests.catalog_builder import build, dimension, practice


def one(answers, **kwargs):
    return AnswerSet((Response("r1", answers),), **kwargs)


def five_levels(did="a", area="process", quick=()):
    return dimension(did, [practice(f"{did}.p{i}", i, quick=i in quick) for i in range(1, 6)], area)


def test_dimension_score_is_the_sum_of_running_minima():
    # c1 = 1; c2 = (1*1 + 2*0) / 3 = 1/3 (a.q2 weighs 2); c3 = 2/3; c4 = c5 = 1
    # s = 1 + min(1, 1/3) + min(.., 2/3) + 1/3 + 1/3 = 1 + 4 * 1/3 = 7/3, level 2
    dims = [
        dimension(
            "a",
            [
                practice("a.p1", 1),
                practice("a.p2", 2),
                practice("a.q2", 2, weight=2),
                practice("a.p3", 3),
                practice("a.p4", 4),
                practice("a.p5", 5),
            ],
        )
    ]
    result = score(build(dims), one({"a.p1": 3, "a.p2": 3, "a.q2": 0, "a.p3": 2, "a.p4": 3, "a.p5": 3}))
    dim = result.dimension("a")
    assert dim.coverage == (1, Fraction(1, 3), Fraction(2, 3), 1, 1)
    assert (dim.score, dim.level) == (Fraction(7, 3), 2)
    assert dim.lowest_incomplete == 2 and dim.capping == ("a.q2",)


def test_level_is_computed_exactly():
    # 1 + 2/3 + 2/3 + 2/3 + 0 = 3 exactly; in floats it would be 2.9999999999999996 -> level 2
    result = score(build([five_levels()]), one({"a.p1": 3, "a.p2": 2, "a.p3": 2, "a.p4": 2, "a.p5": 0}))
    assert result.dimension("a").score == 3
    assert result.dimension("a").level == 3


def test_no_jumps_higher_levels_count_only_as_far_as_the_lower_ones():
    # c = (1/3, 1, 1, 1, 1): every running minimum is 1/3 -> s = 5/3
    result = score(build([five_levels()]), one({"a.p1": 1, "a.p2": 3, "a.p3": 3, "a.p4": 3, "a.p5": 3}))
    assert result.dimension("a").score == Fraction(5, 3)
    assert result.dimension("a").level == 1


def test_level_without_practices_has_coverage_one():
    # levels 2, 4, 5 have no practice: coverage 1; c1 = 1, c3 = 0 -> s = 1 + 1 + 0 + 0 + 0 = 2
    dims = [dimension("a", [practice("a.p1", 1), practice("a.p3", 3)])]
    result = score(build(dims), one({"a.p1": 3, "a.p3": 0}))
    assert result.dimension("a").coverage == (1, 1, 0, 1, 1)
    assert result.dimension("a").score == 2


def test_level_whose_practices_are_all_na_has_coverage_one():
    # c2 is all N/A -> 1; c3 = 1/3 -> s = 1 + 1 + 1/3 + 1/3 + 1/3 = 3
    result = score(build([five_levels()]), one({"a.p1": 3, "a.p2": "na", "a.p3": 1, "a.p4": 3, "a.p5": 3}))
    assert result.dimension("a").coverage == (1, 1, Fraction(1, 3), 1, 1)
    assert result.dimension("a").score == 3


def test_unknown_and_unanswered_count_as_zero():
    # c1 = 0 (unknown) -> s = 0 whatever is above
    result = score(build([five_levels()]), one({"a.p1": "unknown", "a.p2": 3}))
    assert result.dimension("a").score == 0
    assert result.dimension("a").level == 0


def test_quick_form_measures_up_to_its_highest_level():
    # quick asks levels 1 and 2 only: c3 is not measured (0) -> s = 1 + 1 = 2, measured up to level 2
    catalog = build([five_levels(quick=(1, 2))])
    result = score(catalog, one({"a.p1": 3, "a.p2": 3, "a.p3": 3}, questionnaire="quick"))
    dim = result.dimension("a")
    assert dim.coverage == (1, 1, 0, 0, 0)
    assert dim.score == 2 and dim.measured_up_to == 2
    assert dim.lowest_incomplete == 3 and dim.capping == ()  # nothing asked there to name


def test_areas_overall_weakest_and_excluded_dimensions():
    dims = [
        five_levels("a", "process"),
        five_levels("b", "process"),
        five_levels("c", "tooling"),
        five_levels("d", "team"),
        five_levels("e", "team"),
    ]
    answers = {
        "a.p1": 3,
        "a.p2": 3,  # a: 1 + 1 = 2
        "b.p1": 3,
        "b.p2": 3,
        "b.p3": 3,
        "b.p4": 3,  # b: 4
        "c.p1": 3,  # c: 1
        **{f"d.p{i}": "na" for i in range(1, 6)},  # d: not applicable
    }
    # e is outside the chosen questionnaire: not measured
    result = score(build(dims), one(answers, questionnaire=("a", "b", "c", "d")))
    assert [d.status for d in result.dimensions] == ["scored", "scored", "scored", "not_applicable", "not_measured"]
    assert result.areas == {"process": 3, "team": None, "tooling": 1}
    # overall = (2 + 4 + 1) / 3 = 7/3, level 2; the weakest is c (1)
    assert result.overall_score == Fraction(7, 3) and result.overall_level == 2
    assert result.weakest == "c"


def test_weakest_ties_go_to_catalog_order():
    dims = [five_levels("a"), five_levels("b")]
    result = score(build(dims), one({"a.p1": 3, "b.p1": 3}))
    assert result.weakest == "a"
    assert result.dimension("a").capping == ("a.p2",)


def test_confidence_counts_numeric_answers():
    rules = {
        "questions": [
            {
                "id": "kind",
                "text": {"en": "?", "zh": "？"},
                "options": [{"id": "x", "label": {"en": "x", "zh": "x"}}, {"id": "y", "label": {"en": "y", "zh": "y"}}],
            }
        ],
        "rules": [{"id": "r", "when": {"kind": ["x"]}, "not_applicable": ["a.p3"], "reason": {"en": ".", "zh": "。"}}],
    }
    catalog = build([dimension("a", [practice("a.p1", 1), practice("a.p2", 2), practice("a.p3", 3)])], profile=rules)
    responses = (Response("r1", {"a.p1": 3, "a.p2": "na", "a.p3": 1}), Response("r2", {"a.p1": "unknown", "a.p2": 2}))
    # a.p3 is N/A by profile: left out. r1: a.p1 numeric, a.p2 its own N/A (left out). r2: a.p1 unknown, a.p2 numeric.
    # numeric 2 of 3 counted
    assert score(catalog, AnswerSet(responses, profile={"kind": "x"})).confidence == Fraction(2, 3)
    # without the profile rule a.p3 counts: r1 numeric, r2 no answer -> 3 of 5
    assert score(catalog, AnswerSet(responses)).confidence == Fraction(3, 5)


def test_confidence_without_responses_is_unknown():
    assert score(build([five_levels()]), AnswerSet(())).confidence is None


def test_percent_to_target():
    # shortfall: a 3 - 2 = 1, b none -> 1 - 1/6 = 5/6
    assert percent_to_target({"a": Fraction(2), "b": Fraction(7, 2)}, {"a": 3, "b": 3}) == Fraction(5, 6)
    assert percent_to_target({"a": Fraction(4)}, {"a": 3}) == 1


def test_progress_to_date():
    # (2 - 3/2) / (3 - 3/2) = 1/3
    assert progress_to_date(Fraction(3, 2), Fraction(2), Fraction(3)) == Fraction(1, 3)
    assert progress_to_date(Fraction(1), Fraction(1, 2), Fraction(3)) == Fraction(-1, 4)  # a dip shows as negative
    assert progress_to_date(Fraction(3), Fraction(4), Fraction(3)) is None  # target not above baseline
