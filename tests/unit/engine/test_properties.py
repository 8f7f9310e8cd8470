"""Properties of aggregation and scoring over generated catalogs and answers (hypothesis)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.engine.aggregate import aggregate
from assessment.engine.answers import AnswerSet, Response
from assessment.engine.catalog import Catalog
from assessment.engine.scoring import score
from tests.catalog_builder import build, dimension, practice

VALUES = st.sampled_from([0, 1, 2, 3, "na", "unknown"])
NUMERIC = st.integers(0, 3)


@st.composite
def catalogs(draw) -> Catalog:
    dims = []
    for d in range(draw(st.integers(1, 3))):
        levels = draw(st.lists(st.integers(1, 5), min_size=1, max_size=6))
        dims.append(
            dimension(
                f"d{d}",
                [
                    practice(f"d{d}.p{i}", level, weight=draw(st.sampled_from([1, 2, 0.5])), quick=draw(st.booleans()))
                    for i, level in enumerate(levels)
                ],
            )
        )
    return build(dims)


@st.composite
def scenario(draw, values=VALUES):
    catalog = draw(catalogs())
    ids = list(catalog.practices)
    responses = tuple(
        Response(f"r{r}", draw(st.dictionaries(st.sampled_from(ids), values))) for r in range(draw(st.integers(0, 4)))
    )
    questionnaire = draw(st.sampled_from(["full", "quick"]))
    return catalog, AnswerSet(responses, questionnaire=questionnaire)


def all_scores(result):
    return [d.score for d in result.dimensions] + [result.overall_score]


@settings(max_examples=150, deadline=None)
@given(scenario())
def test_scores_stay_between_zero_and_five(case):
    result = score(*case)
    for value in all_scores(result) + list(result.areas.values()):
        assert value is None or 0 <= value <= 5
    for dim in result.dimensions:
        assert all(0 <= c <= 1 for c in dim.coverage)
        assert dim.level is None or dim.level == int(dim.score)


@settings(max_examples=150, deadline=None)
@given(scenario(values=NUMERIC), st.data())
def test_raising_one_answer_never_lowers_any_score(case, data):
    catalog, answers = case
    candidates = [(i, pid) for i, r in enumerate(answers.responses) for pid, v in r.answers.items() if v < 3]
    if not candidates:
        return
    index, pid = data.draw(st.sampled_from(candidates))
    raised = list(answers.responses)
    changed = dict(raised[index].answers)
    changed[pid] += 1
    raised[index] = Response(raised[index].respondent, changed)
    before = score(catalog, answers)
    after = score(catalog, AnswerSet(tuple(raised), questionnaire=answers.questionnaire))
    for old, new in zip(all_scores(before), all_scores(after)):
        assert old is None or new >= old


@settings(max_examples=150, deadline=None)
@given(scenario(values=NUMERIC), st.data())
def test_na_on_a_practice_equals_removing_it(case, data):
    catalog, answers = case
    removable = [d for d in catalog.dimensions if len(d.practices) > 1]
    if not removable:
        return
    dim = data.draw(st.sampled_from(removable))
    pid = data.draw(st.sampled_from([p.id for p in dim.practices]))
    marked = AnswerSet(answers.responses, questionnaire="full", consensus={pid: "na"})
    smaller = build(
        [
            dimension(d.id, [practice(p.id, p.level, weight=p.weight) for p in d.practices if p.id != pid])
            for d in catalog.dimensions
        ]
    )
    without = AnswerSet(
        tuple(Response(r.respondent, {k: v for k, v in r.answers.items() if k != pid}) for r in answers.responses)
    )
    a, b = score(catalog, marked), score(smaller, without)
    assert [(d.score, d.coverage) for d in a.dimensions] == [(d.score, d.coverage) for d in b.dimensions]
    assert a.overall_score == b.overall_score


@settings(max_examples=100, deadline=None)
@given(scenario(), st.randoms(use_true_random=False))
def test_respondent_order_does_not_change_the_aggregate(case, random):
    catalog, answers = case
    shuffled = list(answers.responses)
    random.shuffle(shuffled)
    reordered = AnswerSet(tuple(shuffled), questionnaire=answers.questionnaire)
    assert aggregate(catalog, answers) == aggregate(catalog, reordered)
    assert score(catalog, answers) == score(catalog, reordered)


@settings(max_examples=50, deadline=None)
@given(scenario())
def test_same_input_same_output(case):
    assert score(*case) == score(*case)


def test_scores_are_fractions_not_floats():
    catalog = build([dimension("a", [practice("a.p1", 1)])])
    result = score(catalog, AnswerSet((Response("r", {"a.p1": 1}),)))
    assert isinstance(result.overall_score, Fraction)
