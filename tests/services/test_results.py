"""The results context and the score trace, without HTTP, on a small hand-worked assessment.

The numbers are worked out in tests/results_scenario.py.
"""

from __future__ import annotations

import pytest

from assessment.engine.answers import Response
from assessment.engine.serialize import result_to_dict
from assessment.extensions import db
from assessment.services import assessments as assessment_service
from assessment.services import results, score_trace
from assessment.services.errors import NotFound
from assessment.services.result_values import OTHER_ROLES, role_groups
from tests import results_scenario
from tests.factories import make_org, make_user


@pytest.fixture
def scenario(app):
    with app.test_request_context():
        yield results_scenario.build(app)


def context_for(scenario, user=None, lang="en"):
    return results.results_context(user or scenario.owner, scenario.assessment.id, lang)


def test_the_quick_form_asks_one_practice_per_level_1_to_3(app, scenario):
    asked = assessment_service.asked(scenario.assessment)
    assert len(asked) == 30
    assert set(results_scenario.ANSWERS) <= asked


def test_headline_numbers(scenario):
    r = context_for(scenario)
    assert r.provisional and r.finalized_on is None
    assert r.overall_score == pytest.approx(23 / 60, abs=1e-4)
    assert r.overall_level == 0
    assert r.confidence == pytest.approx(14 / 87, abs=1e-4)
    assert (r.respondents, r.submitted) == (3, 0)
    assert r.weakest.id == "release"
    assert [p.id for p in r.weakest_capping] == ["release.monthly-release"]


def test_dimension_rows(scenario):
    dims = {d.id: d for d in context_for(scenario).dimensions}
    config, testing = dims["config"], dims["testing"]
    assert (config.score, config.level, config.measured_up_to) == (pytest.approx(11 / 6, abs=1e-4), 1, 3)
    assert [c.percent for c in config.cells] == [100, 67, 17, 0, 0]
    assert [c.measured for c in config.cells] == [True, True, True, False, False]
    assert (config.lowest_incomplete, config.capping) == (2, ("config.peer-review",))
    assert (testing.score, testing.level) == (2.0, 2)  # exactly 2: 2/3 three times
    assert [c.percent for c in testing.cells] == [67, 100, 100, 0, 0]
    assert testing.capping == ("testing.regression-checklist",)


def test_capping_agrees_with_the_engine_for_every_dimension(scenario):
    engine = assessment_service.result_of(scenario.assessment)
    for row in context_for(scenario).dimensions:
        expected = engine.dimension(row.id)
        assert (row.capping, row.lowest_incomplete) == (expected.capping, expected.lowest_incomplete)


def test_strengths_gaps_and_disagreements(scenario):
    r = context_for(scenario)
    assert [p.id for p in r.strengths] == ["config.version-control", "testing.automated-acceptance"]
    # the weakest three dimensions (score 0, catalog order) each capped by their level-1 practice
    assert [p.id for p in r.gaps] == [
        "release.monthly-release",
        "measurement.pipeline-status-visible",
        "collaboration.shared-backlog",
    ]
    disagreements = {p.id: p for p in r.disagreements}
    assert list(disagreements) == ["config.peer-review", "testing.regression-checklist", "testing.automated-unit"]
    assert disagreements["config.peer-review"].spread == 2
    assert disagreements["testing.automated-unit"].answers == {"1": 1, "na": 2}
    assert r.gaps[0].guidance.first_steps  # coaching comes along


def test_delivery(scenario):
    delivery = context_for(scenario).delivery
    assert (delivery.tier, delivery.quick_check, delivery.throughput, delivery.instability) == (3, 7.4, 6.0, 8.8)
    metrics = {m.id: m for m in delivery.metrics}
    assert (metrics["deployment_frequency"].tier, metrics["deployment_frequency"].quick_check) == (4, 6.0)
    assert metrics["change_failure_rate"].answer_label == "12% (11–20 %)"
    assert (metrics["lead_time"].answer, metrics["rework_rate"].answer) == ("unknown", None)


def test_texts_come_in_the_requested_language(app, scenario):
    catalog = assessment_service.catalog_for(scenario.assessment)
    r = context_for(scenario, lang="zh")
    assert r.dimensions[0].name == catalog.dimensions[0].name.zh
    assert r.weakest_capping[0].statement == catalog.practices["release.monthly-release"].statement.zh


def test_individual_answers_only_for_owners_and_facilitators(scenario):
    assert context_for(scenario, scenario.member).individual is None
    assert context_for(scenario, scenario.viewer).individual is None
    individual = context_for(scenario, scenario.facilitator).individual
    assert [p.name for p in individual.respondents] == ["Ann Answerer", "Bob Builder", "Cy Operator"]
    rows = {row.practice.id: row.answers for row in individual.rows}
    assert rows["config.trunk-based"] == ("0", "1", "unknown")
    assert rows["release.monthly-release"] == (None, None, None)
    assert len(rows) == 30  # asked practices only


def test_role_split_needs_two_groups_of_three(app, scenario):
    assert context_for(scenario).role_split is None  # dev 2, ops 1
    results_scenario.add_respondents(scenario.organisation.id, scenario.assessment.id, ("dev",), "2")
    assert context_for(scenario).role_split is None  # dev 3, but ops only 1
    results_scenario.add_respondents(scenario.organisation.id, scenario.assessment.id, ("ops", "ops"), "1")
    split = context_for(scenario).role_split
    assert [(g.role, g.size) for g in split.groups] == [("dev", 3), ("ops", 3)]
    config = split.rows[0]
    # dev: 3,3,2 -> 3; 1,2,2 -> 2; 0,1,2 -> 1  => 1 + 2/3 + 1/3 = 2
    # ops: 3,1,1 -> 1; 3,1,1 -> 1; ?,1,1 -> 1  => 3 x 1/3 = 1
    assert (config.scores, config.gap) == ((2.0, 1.0), 1.0)


def test_small_role_groups_go_together_only_when_they_make_three():
    def people(*roles):
        return tuple(Response(f"p{i}", {}, role) for i, role in enumerate(roles))

    groups = role_groups(people("dev", "dev", "dev", "ops", "test", "test"))
    assert [(role, len(group)) for role, group in groups] == [("dev", 3), (OTHER_ROLES, 3)]
    assert [role for role, _ in role_groups(people("dev", "dev", "dev", "ops", "test"))] == ["dev"]


def test_finalized_shows_the_stored_snapshot_which_recomputing_reproduces(app, scenario):
    assessment = assessment_service.finalize(scenario.owner, scenario.assessment.id)
    catalog = assessment_service.catalog_for(assessment)
    assert result_to_dict(assessment_service.result_of(assessment), catalog) == assessment.result
    r = context_for(scenario)
    assert not r.provisional and r.finalized_on
    assert r.overall_score == pytest.approx(23 / 60, abs=1e-4)
    # the page reads the snapshot, not a recomputation
    assessment.result = {**assessment.result, "overall": {**assessment.result["overall"], "score": 4.2}}
    db.session.commit()
    assert context_for(scenario).overall_score == 4.2


def test_strangers_get_not_found(scenario):
    stranger = make_user()
    make_org(stranger)
    with pytest.raises(NotFound):
        context_for(scenario, stranger)
    with pytest.raises(NotFound):
        score_trace.score_trace(stranger, scenario.assessment.id, None, "en")


def test_trace_of_a_dimension(scenario):
    trace = score_trace.score_trace(scenario.member, scenario.assessment.id, "config", "en")
    levels = trace.dimension.levels
    assert [lv.kind for lv in levels] == ["weighted", "weighted", "weighted", "not_measured", "not_measured"]
    assert [lv.coverage.text for lv in levels] == ["1", "2/3", "1/6", "0", "0"]
    assert [lv.running_min.text for lv in levels] == ["1", "2/3", "1/6", "0", "0"]
    assert (trace.dimension.score.text, trace.dimension.level) == ("11/6", 1)
    practices = {p.id: p for p in trace.dimension.practices}
    trunk = practices["config.trunk-based"]
    assert (trunk.numeric, trunk.rule, trunk.value, trunk.adoption.text) == ((0, 1), "median", "0.5", "1/6")
    assert practices["config.key-change-review"].rule == "not_asked"
    assert (trace.numeric_answers, trace.counted_answers, trace.confidence.text) == (14, 87, "14/87")
    assert (trace.overall.mean.text, trace.overall_level) == ("23/60", 0)


def test_trace_shows_why_a_level_counts_as_one(scenario):
    trace = score_trace.score_trace(scenario.member, scenario.assessment.id, "testing", "en")
    assert trace.dimension.levels[1].kind == "all_na"
    unit = next(p for p in trace.dimension.practices if p.id == "testing.automated-unit")
    assert (unit.rule, unit.counted) == ("majority_na", False)
    assert (trace.dimension.score.text, trace.dimension.level) == ("2", 2)


def test_trace_defaults_to_the_weakest_dimension_and_refuses_unknown_ones(scenario):
    assert score_trace.score_trace(scenario.member, scenario.assessment.id, None, "en").dimension.id == "release"
    with pytest.raises(NotFound):
        score_trace.score_trace(scenario.member, scenario.assessment.id, "no-such-dimension", "en")


def test_radar_svg_is_labelled_in_the_language(app, scenario):
    catalog = assessment_service.catalog_for(scenario.assessment)
    svg = results.radar_svg(scenario.viewer, scenario.assessment.id, "zh")
    assert catalog.dimensions[0].name.zh in svg
    assert results.radar_svg(scenario.viewer, scenario.assessment.id, "zh") == svg
