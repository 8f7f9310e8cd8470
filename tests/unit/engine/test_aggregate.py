"""Aggregation of several respondents (DESIGN.md, Scoring: Aggregation)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from assessment.engine.aggregate import aggregate, aggregate_practice
from assessment.engine.answers import AnswerSet, Response
from tests.catalog_builder import build, dimension, practice


@pytest.mark.parametrize(
    ("raw", "value", "spread", "disagreement"),
    [
        ([2], Fraction(2), 0, False),
        ([1, 2, 2], Fraction(2), 1, False),
        ([0, 3], Fraction(3, 2), 3, True),  # even count: mean of the two middle answers
        ([0, 1, 2, 3], Fraction(3, 2), 3, True),
        ([1, 3], Fraction(2), 2, True),  # spread 2 is a disagreement
        (["na", "na", 1], "na", 0, True),  # 2 of 3 say N/A; N/A beside a 1 disagrees
        (["na", 2], Fraction(2), 0, True),  # exactly half is not more than half
        (["na", "na", "unknown", 0], Fraction(0), 0, False),  # unknown counts as an answer; N/A beside 0 is fine
        (["unknown", "unknown"], "unknown", None, False),
        (["unknown", "na", "na"], "na", None, False),
        ([], "unanswered", None, False),
    ],
)
def test_aggregate_practice(raw, value, spread, disagreement):
    result = aggregate_practice(raw)
    assert (result.value, result.spread, result.disagreement) == (value, spread, disagreement)


def test_consensus_overrides_but_raw_answers_stay():
    result = aggregate_practice([0, 3, 3], consensus=1)
    assert (result.value, result.source) == (Fraction(1), "consensus")
    assert result.spread == 3 and result.disagreement
    assert dict(result.counts) == {"0": 1, "3": 2}


def test_consensus_can_say_not_applicable():
    assert aggregate_practice([2, 3], consensus="na").is_na


def test_adoption_of_aggregates():
    assert aggregate_practice([1, 2]).adoption == Fraction(1, 2)  # median 1.5 -> 1.5/3
    assert aggregate_practice(["unknown"]).adoption == 0
    assert aggregate_practice([]).adoption == 0


def catalog_with_profile():
    rules = {
        "questions": [
            {
                "id": "product_kind",
                "text": {"en": "Kind?", "zh": "类型？"},
                "options": [
                    {"id": "library", "label": {"en": "Library", "zh": "库"}},
                    {"id": "web-service", "label": {"en": "Web", "zh": "网站"}},
                ],
            }
        ],
        "rules": [
            {
                "id": "lib",
                "when": {"product_kind": ["library"]},
                "not_applicable": ["a.p2"],
                "reason": {"en": "No production.", "zh": "没有生产环境。"},
            }
        ],
    }
    dims = [dimension("a", [practice("a.p1", 1, quick=True), practice("a.p2", 2)])]
    return build(dims, profile=rules)


def test_profile_rule_marks_not_applicable_whatever_the_answers():
    catalog = catalog_with_profile()
    responses = (Response("x", {"a.p1": 2, "a.p2": 3}),)
    library = aggregate(catalog, AnswerSet(responses, profile={"product_kind": "library"}, consensus={"a.p2": 3}))
    web = aggregate(catalog, AnswerSet(responses, profile={"product_kind": "web-service"}))
    assert library["a.p2"].is_na and library["a.p2"].source == "profile"
    assert web["a.p2"].value == Fraction(3)


def test_practices_outside_the_questionnaire_are_not_asked():
    catalog = catalog_with_profile()
    result = aggregate(catalog, AnswerSet((Response("x", {"a.p1": 2, "a.p2": 3}),), questionnaire="quick"))
    assert result["a.p1"].value == Fraction(2)
    assert result["a.p2"].value == "not_asked"
