"""Answers made on an older catalog version, mapped onto a newer one and re-scored.

The versions are in tests/catalog_versions.py: v2 renames a.p2 -> a.build2, removes a.p4 and
b.old3, merges b.x1 + b.y1 -> b.xy1 and adds a.new4, b.fresh3 and dimension c; v3 renames
a.build2 -> a.ci2. Every expected score is worked out by hand in the comments.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings

from assessment.engine.answers import AnswerSet, Response
from assessment.engine.checks import cross_check
from assessment.engine.scoring import score
from assessment.engine.serialize import catalog_to_dict
from assessment.engine.versions import (
    changes,
    combine,
    map_answers,
    map_questionnaire,
    rescore,
    rescore_answers,
    step_ids,
    version_key,
    version_map,
)
from tests.catalog_builder import build, dimension, practice
from tests.catalog_versions import v1, v2, v3
from tests.unit.engine.test_properties import scenario

R1 = {"a.p1": 3, "a.p2": 3, "a.p3": 2, "a.p4": 0, "a.p5": 1, "b.x1": 3, "b.y1": 1, "b.z2": 3, "b.old3": 0}
R2 = {"a.p1": 3, "a.p2": 1, "a.p3": 2, "a.p4": 0, "a.p5": 1, "b.x1": 2, "b.y1": "unknown", "b.z2": 3, "b.old3": 0}


def two_respondents(**kwargs):
    return AnswerSet((Response("r1", R1), Response("r2", R2)), **kwargs)


def test_versions_compare_part_by_part_as_numbers():
    assert version_key("1.10") > version_key("1.9") > version_key("1.0")
    assert version_key("2") > version_key("1.99")
    assert version_key("1.0") < version_key("1.0.1")
    assert sorted(["1.10", "1.2", "1.9", "10.0", "2.0"], key=version_key) == ["1.2", "1.9", "1.10", "2.0", "10.0"]


def test_one_step_renames_removes_merges_and_keeps():
    assert step_ids(v1(), v2()) == {
        "a.p1": "a.p1",  # absent from `replaces`, still there: kept
        "a.p2": "a.build2",  # renamed
        "a.p3": "a.p3",
        "a.p4": None,  # removed (null)
        "a.p5": "a.p5",
        "b.x1": "b.xy1",  # merged
        "b.y1": "b.xy1",
        "b.z2": "b.z2",
        "b.old3": None,
    }


def test_new_and_gone_practices():
    vmap = version_map([v1(), v2()])
    assert vmap.new_practices == {"a.new4", "b.fresh3", "c.p1"}
    assert vmap.gone == {"a.p4", "b.old3"}
    assert vmap.sources("b.xy1") == ("b.x1", "b.y1")


def test_a_chain_maps_step_by_step():
    # v3's `replaces` only knows v2's a.build2; a.p2 reaches a.ci2 through v2
    vmap = version_map([v1(), v2(), v3()])
    assert vmap.ids["a.p2"] == "a.ci2"
    assert vmap.ids["b.y1"] == "b.xy1" and vmap.ids["a.p4"] is None
    assert vmap.new_practices == {"a.new4", "b.fresh3", "c.p1"}


def test_an_id_gone_without_a_replaces_entry_is_gone():
    old = build(version="1")  # a.p1 .. a.p5
    new = build([dimension("a", [practice(f"a.p{i}", i) for i in range(1, 5)])], version="2")  # no a.p5
    assert version_map([old, new]).gone == {"a.p5"}


def test_merged_answers_take_the_lower_per_respondent():
    assert combine([3, 1]) == 1
    assert combine([2, "unknown"]) == "unknown"  # a part not known leaves the whole unknown
    assert combine([2, "na"]) == 2  # a part that does not apply leaves it to the other
    assert combine(["na", "na"]) == "na"


def test_mapping_moves_answers_and_consensus():
    answers = two_respondents(consensus={"b.x1": 2, "b.y1": "na", "a.p4": 3})
    mapped = map_answers(answers, version_map([v1(), v2()]))
    r1, r2 = mapped.answers.responses
    assert r1.answers == {"a.p1": 3, "a.build2": 3, "a.p3": 2, "a.p5": 1, "b.xy1": 1, "b.z2": 3}
    assert r2.answers == {"a.p1": 3, "a.build2": 1, "a.p3": 2, "a.p5": 1, "b.xy1": "unknown", "b.z2": 3}
    assert mapped.answers.consensus == {"b.xy1": 2}  # a.p4 is gone
    assert mapped.answers.questionnaire == {"a.p1", "a.build2", "a.p3", "a.p5", "b.xy1", "b.z2"}
    assert mapped.new_practices == {"a.new4", "b.fresh3", "c.p1"} and mapped.gone == {"a.p4", "b.old3"}


def test_direct_score_on_the_old_version():
    # a: c = (1, median(3,1)=2 -> 2/3, 2/3, 0, 1/3); s = 1 + 2/3 + 2/3 + 0 + 0 = 7/3
    # b: L1: b.x1 median(3,2) = 5/2 -> 5/6, b.y1 numeric [1] -> 1/3; c1 = (5/6 + 2/6) / 2 = 7/12
    #    c2 = 1, c3 = 0 (b.old3), levels 4 and 5 have no practice: s = 7/12 + 7/12 + 0 + 0 + 0 = 7/6
    # overall = (7/3 + 7/6) / 2 = 21/12 = 7/4
    result = score(v1(), two_respondents())
    assert result.dimension("a").score == Fraction(7, 3)
    assert result.dimension("b").score == Fraction(7, 6)
    assert result.overall_score == Fraction(7, 4)


def test_rescoring_on_the_new_version():
    # a: a.build2 keeps a.p2's answers: c1 1, c2 2/3, c3 2/3; level 4 holds only a.new4, new and
    #    not asked: not measured, coverage 0 (as in the quick form); s = 1 + 2/3 + 2/3 = 7/3
    # b: b.xy1: r1 min(3, 1) = 1, r2 unknown -> numeric [1] -> 1/3; c2 = 1; level 3 holds only
    #    b.fresh3 (new): not measured; s = 1/3 + 1/3 = 2/3
    # c: only c.p1, new: not measured, out of the means; overall = (7/3 + 2/3) / 2 = 3/2
    result, _ = rescore_answers(two_respondents(), [v1(), v2()])
    a, b, c = (result.dimension(d) for d in "abc")
    assert (a.score, a.measured_up_to) == (Fraction(7, 3), 3)
    assert (b.score, b.measured_up_to) == (Fraction(2, 3), 2)
    assert c.status == "not_measured"
    assert result.overall_score == Fraction(3, 2)
    assert result.catalog_version == "2"
    assert result.practices["a.new4"].value == "not_asked"


def test_new_practices_do_not_count_as_zero_at_a_level_that_has_old_ones():
    # v2 with a second level-1 practice a.extra1 in dimension a: unasked for the v1 iteration, so
    # c1 stays 3/3 = 1 (not (1 + 0) / 2), and a keeps s = 7/3 as in test_rescoring_on_the_new_version
    dims = [
        {**d, "practices": [*d["practices"], {**d["practices"][0], "id": "a.extra1", "quick": False}]} if d["id"] == "a" else d
        for d in catalog_to_dict(v2())["dimensions"]
    ]
    newer = build(dims, version="2", replaces=dict(v2().replaces))
    result, mapped = rescore_answers(two_respondents(), [v1(), newer])
    assert "a.extra1" in mapped.new_practices
    assert result.dimension("a").coverage[0] == 1
    assert result.dimension("a").score == Fraction(7, 3)


def test_rescoring_across_two_steps_equals_rescoring_on_v2_with_renamed_ids():
    # v3 only renames a.build2 -> a.ci2: the same numbers as on v2
    on_v3, mapped = rescore_answers(two_respondents(), [v1(), v2(), v3()])
    assert mapped.answers.responses[0].answers["a.ci2"] == 3
    assert [d.score for d in on_v3.dimensions] == [Fraction(7, 3), Fraction(2, 3), None]
    assert on_v3.catalog_version == "3"


def test_the_quick_form_maps_onto_what_it_asked():
    # asked on v1: a.p1, a.p2, b.x1 (b.y1 was not asked, so b.xy1 takes b.x1's 3 alone)
    # v1 directly: a: c1 1, c2 2/3, c3 not measured -> s = 5/3; b: c1 = 1, c2 not measured -> 1
    # v2: a.build2 2/3 -> same 5/3; b.xy1 3 -> 1; c.p1 is quick in v2 but new: not asked
    # overall both = (5/3 + 1) / 2 = 4/3
    answers = AnswerSet((Response("r1", {"a.p1": 3, "a.p2": 2, "b.x1": 3}),), questionnaire="quick")
    result, mapped = rescore_answers(answers, [v1(), v2()])
    assert mapped.answers.questionnaire == {"a.p1", "a.build2", "b.xy1"}
    assert mapped.answers.responses[0].answers["b.xy1"] == 3
    assert result.dimension("c").status == "not_measured"
    assert result.overall_score == score(v1(), answers).overall_score == Fraction(4, 3)


def test_chosen_dimensions_map_onto_the_new_dimensions():
    vmap = version_map([v1(), v2()])
    assert map_questionnaire(("b",), vmap) == ("b",)  # c is new: not chosen
    assert map_questionnaire(("a", "b"), vmap) == ("a", "b")
    assert map_questionnaire("quick", vmap) == "quick"
    assert map_questionnaire("full", vmap) == "full"


def test_profile_and_metrics_the_new_version_does_not_know_are_dropped():
    answers = AnswerSet((), profile={"size": "small"}, metrics={"lead_time": "b0"})
    mapped = map_answers(answers, version_map([v1(), v2()]))
    assert mapped.answers.profile == {} and mapped.answers.metrics == {}


def test_replaces_must_not_name_a_practice_the_version_still_has():
    data = catalog_to_dict(v2())
    data["replaces"] = {"a.p1": "a.build2"}  # a.p1 is still in v2
    assert cross_check(data) == [(("replaces", "a.p1"), "practice 'a.p1' is still in this version: only former ids are replaced")]


@settings(max_examples=100, deadline=None)
@given(scenario())
def test_mapping_onto_the_same_version_changes_nothing(case):
    catalog, answers = case
    direct = score(catalog, answers)
    mapped = map_answers(answers, version_map([catalog]))
    assert mapped.new_practices == frozenset() and mapped.gone == frozenset()
    again = rescore(mapped)
    assert again.dimensions == direct.dimensions
    assert (again.overall_score, again.confidence, again.weakest) == (direct.overall_score, direct.confidence, direct.weakest)
    assert again.practices == direct.practices


def test_an_empty_chain_is_refused():
    with pytest.raises(ValueError):
        version_map([])


def test_changes_between_two_versions():
    found = changes(v1(), v2())
    assert found.renamed == (("a.p2", "a.build2"),)
    assert found.merged == ((("b.x1", "b.y1"), "b.xy1"),)
    assert found.removed == ("a.p4", "b.old3")
    assert found.added == ("a.new4", "b.fresh3", "c.p1")
    assert not changes(v1(), v1())
