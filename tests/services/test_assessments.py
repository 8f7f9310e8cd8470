"""Answering use cases without HTTP: batch saves, skipping levels, metrics, progress, reopen rules."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from assessment.extensions import db
from assessment.services import assessments
from assessment.services.assessments import AnswerInput
from assessment.services.errors import Conflict, Forbidden, Invalid, NotFound
from assessment.services.progress import progress_of
from assessment.store.models import Answer, MetricAnswer
from tests.factories import add_member, make_org, make_team, make_user, start


@pytest.fixture
def setup(app):
    with app.test_request_context():
        owner, member = make_user("Olive"), make_user("Mia")
        organisation = make_org(owner)
        add_member(organisation, member)
        team = make_team(organisation)
        assessment = start(app, owner, team, "quick")
        assessments.join_as_respondent(member, assessment.id, "dev")
        yield app, owner, member, assessment, team


def quick(catalog, dimension_id):
    """The quick practice ids of a dimension, lowest level first."""
    practices = sorted((p for p in catalog.dimension(dimension_id).practices if p.quick), key=lambda p: p.level)
    return [p.id for p in practices]


def stored():
    return dict(db.session.execute(sa.select(Answer.practice_id, Answer.value)).all())


def test_save_and_clear_one_answer_keeps_its_behaviour(setup):
    _, _, member, assessment, _ = setup
    catalog = assessments.catalog_for(assessment)
    first = quick(catalog, "config")[0]
    answer = assessments.save_answer(member, assessment.id, first, "2", " note ", "verified")
    assert (answer.value, answer.comment, answer.evidence) == ("2", "note", "verified")
    assert assessments.save_answer(member, assessment.id, first, "") is None
    assert stored() == {}


def test_a_batch_with_one_bad_answer_saves_nothing(setup):
    _, _, member, assessment, _ = setup
    catalog = assessments.catalog_for(assessment)
    first, second, _ = quick(catalog, "config")
    with pytest.raises(Invalid):
        assessments.save_answers(member, assessment.id, {first: AnswerInput("1"), second: AnswerInput("5")})
    not_quick = next(p.id for p in catalog.dimension("config").practices if not p.quick)
    with pytest.raises(Invalid, match="not part of this questionnaire"):
        assessments.save_answers(member, assessment.id, {first: AnswerInput("1"), not_quick: AnswerInput("1")})
    assert stored() == {}


def test_only_respondents_answer_and_only_their_own(setup):
    _, owner, member, assessment, _ = setup
    first = quick(assessments.catalog_for(assessment), "config")[0]
    with pytest.raises(Forbidden):
        assessments.save_answer(owner, assessment.id, first, "3")  # the owner has not joined
    assessments.join_as_respondent(owner, assessment.id, "lead")
    assessments.save_answer(owner, assessment.id, first, "3")
    assessments.save_answer(member, assessment.id, first, "0")
    values = sorted(db.session.scalars(sa.select(Answer.value)))
    assert values == ["0", "3"]


def test_progress_counts_the_quick_form_by_hand(setup):
    _, _, member, assessment, _ = setup
    catalog = assessments.catalog_for(assessment)
    config = quick(catalog, "config")
    assessments.save_answers(member, assessment.id, {config[0]: AnswerInput("0"), config[2]: AnswerInput("unknown")})
    progress = progress_of(assessment, assessments.own_response(member, assessment))
    assert progress.total == len(catalog.quick_ids) == 30
    assert progress.answered == 2 and progress.percent == 7  # 2/30 = 6.7 %
    page = progress.page("config")
    assert (page.answered, page.total, [p.id for p in page.missing]) == (2, 3, [config[1]])
    assert progress.resume_page().dimension.id == "config"
    assert page.zero_level() == 1 and [p.id for p in page.open_above(1)] == [config[1]]


def test_mark_not_in_place_fills_only_the_open_practices_above(setup):
    _, _, member, assessment, _ = setup
    catalog = assessments.catalog_for(assessment)
    level1, level2, level3 = quick(catalog, "testing")
    assessments.save_answers(member, assessment.id, {level1: AnswerInput("0"), level3: AnswerInput("2")})
    assert assessments.mark_not_in_place(member, assessment.id, "testing", 1) == 1
    assert stored() == {level1: "0", level2: "0", level3: "2"}
    with pytest.raises(Invalid):
        assessments.mark_not_in_place(member, assessment.id, "testing", 1)  # nothing left to skip
    with pytest.raises(NotFound):
        assessments.mark_not_in_place(member, assessment.id, "nope", 1)


def test_metrics_batch_is_all_or_nothing_and_normalises_percentages(setup):
    _, owner, member, assessment, _ = setup
    with pytest.raises(Invalid):
        assessments.save_metrics(member, assessment.id, {"lead_time": "lt-1d", "rework_rate": "120"})
    assert db.session.scalar(sa.select(sa.func.count(MetricAnswer.id))) == 0
    assessments.save_metrics(member, assessment.id, {"lead_time": "lt-1d", "rework_rate": "007"})
    assessments.save_metric(owner, assessment.id, "lead_time", "lt-1w")  # one shared answer per metric
    rows = dict(db.session.execute(sa.select(MetricAnswer.metric_id, MetricAnswer.value)).all())
    assert rows == {"lead_time": "lt-1w", "rework_rate": "7"}
    with pytest.raises(NotFound):
        assessments.save_metrics(member, assessment.id, {"happiness": "high"})


def test_finalize_locks_answers_and_reopen_rules(setup):
    app, owner, member, assessment, team = setup
    first = quick(assessments.catalog_for(assessment), "config")[0]
    assessments.save_answer(member, assessment.id, first, "3")
    with pytest.raises(Forbidden):
        assessments.finalize(member, assessment.id)
    assessments.finalize(owner, assessment.id)
    assert assessment.result["dimensions"][0]["id"] == "config"
    with pytest.raises(Conflict, match="finalized"):
        assessments.save_answer(member, assessment.id, first, "0")
    with pytest.raises(Conflict):
        assessments.mark_not_in_place(member, assessment.id, "config", 1)
    with pytest.raises(Forbidden):
        assessments.reopen(member, assessment.id, "why")
    with pytest.raises(Invalid):
        assessments.reopen(owner, assessment.id, " ")
    assert not assessments.later_assessment_exists(assessment)
    start(app, owner, team, "quick", period="2027-Q1")
    assert assessments.later_assessment_exists(assessment)
    with pytest.raises(Conflict, match="later"):
        assessments.reopen(owner, assessment.id, "why")
    assert stored() == {first: "3"}
