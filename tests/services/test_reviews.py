"""The next quarterly review: a new assessment pre-filled from each respondent's last finalized answers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from assessment import clock
from assessment.extensions import db
from assessment.services import assessments, reviews
from assessment.services.errors import Conflict, Forbidden, NotFound
from assessment.store.models import Answer, AuditEntry, Response
from tests.factories import add_member, make_org, make_team, make_user, start


@pytest.fixture
def review(app):
    """Q3 finalized: Mia (dev, three answers), Olive (product), Sam (ops, removed), Lee (left); Q4 taken."""
    with app.test_request_context():
        catalog = app.extensions["cdcoach.catalogs"].get("cd-maturity")
        owner, mia, sam, lee, viewer = (make_user(n) for n in ("Olive", "Mia", "Sam", "Lee", "Vic"))
        organisation = make_org(owner)
        for person in (mia, sam, lee):
            add_member(organisation, person)
        add_member(organisation, viewer, "viewer")
        team = make_team(organisation, lead=mia)
        last = start(app, owner, team, "quick", "2026-Q3")
        config = quick_ids(catalog, "config")
        assessments.join_as_respondent(mia, last.id, "dev")
        assessments.save_answer(mia, last.id, config[0], "2", "pipelines as code", "verified")
        assessments.save_answer(mia, last.id, config[1], "na")
        assessments.save_answer(mia, last.id, config[2], "unknown", None, "claimed")
        assessments.join_as_respondent(sam, last.id, "ops")
        assessments.save_answer(sam, last.id, config[0], "3")
        db.session.get(Response, assessments.own_response(sam, last).id).removed_at = clock.now()
        assessments.join_as_respondent(owner, last.id, "product")
        assessments.save_answer(owner, last.id, config[0], "1")
        assessments.join_as_respondent(lee, last.id, "test")
        assessments.save_answer(lee, last.id, config[0], "1")
        db.session.commit()
        assessments.finalize(owner, last.id)
        start(app, owner, team, "quick", "2026-Q4")  # the next quarter is taken, so the review takes 2027-Q1
        db.session.execute(sa.text("delete from membership where user_id = :id"), {"id": lee.id})
        db.session.commit()
        yield {"catalog": catalog, "owner": owner, "mia": mia, "sam": sam, "viewer": viewer, "team": team, "last": last}


def quick_ids(catalog, dimension_id):
    return [p.id for p in sorted((p for p in catalog.dimension(dimension_id).practices if p.quick), key=lambda p: p.level)]


def answers_of(response):
    return {a.practice_id: (a.value, a.comment, a.evidence, a.carried_over) for a in response.answers}


def test_the_next_review_carries_each_live_respondents_answers_over(review):
    new = reviews.start_next_review(review["owner"], review["team"].id, review["catalog"])
    assert (new.period, new.questionnaire, new.status, new.kind) == ("2027-Q1", "quick", "open", "self")
    config = quick_ids(review["catalog"], "config")
    responses = {r.display_name: r for r in new.responses}
    assert set(responses) == {"Mia", "Olive"}  # Sam was removed, Lee left the organisation
    assert (responses["Mia"].role, responses["Olive"].role) == ("dev", "product")
    assert answers_of(responses["Olive"]) == {config[0]: ("1", None, None, True)}
    assert answers_of(responses["Mia"]) == {
        config[0]: ("2", "pipelines as code", "verified", True),
        config[1]: ("na", None, None, True),
        config[2]: ("unknown", None, "claimed", True),
    }
    audit = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "assessment.next_review"))
    assert audit.target == f"assessment:{new.id}" and audit.detail["answers"] == 4


def test_only_practices_the_new_questionnaire_asks_are_carried_over(review, app):
    config = quick_ids(review["catalog"], "config")
    answer = db.session.scalar(sa.select(Answer).where(Answer.practice_id == config[1]))
    answer.practice_id = "gone-from-the-model"
    db.session.commit()
    new = reviews.start_next_review(review["owner"], review["team"].id, review["catalog"])
    mia = next(r for r in new.responses if r.user_id == review["mia"].id)
    assert set(answers_of(mia)) == {config[0], config[2]}


def test_a_team_lead_may_start_it_a_viewer_may_not_and_a_stranger_gets_404(review):
    with pytest.raises(Forbidden):
        reviews.start_next_review(review["viewer"], review["team"].id, review["catalog"])
    stranger = make_user("Stranger")
    make_org(stranger)
    with pytest.raises(NotFound):
        reviews.start_next_review(stranger, review["team"].id, review["catalog"])
    assert reviews.start_next_review(review["mia"], review["team"].id, review["catalog"]).period == "2027-Q1"


def test_a_plain_member_may_not_start_it(review):
    with pytest.raises(Forbidden):
        reviews.start_next_review(review["sam"], review["team"].id, review["catalog"])


def test_without_a_finalized_assessment_there_is_nothing_to_carry_over(app, review):
    other = make_team(review["team"].organisation, name="Fresh")
    start(app, review["owner"], other, "quick", "2026-Q3")
    with pytest.raises(Conflict, match="no finalized assessment"):
        reviews.start_next_review(review["owner"], other.id, review["catalog"])


def test_the_period_follows_the_latest_finalized_one(review):
    first = reviews.start_next_review(review["owner"], review["team"].id, review["catalog"])
    second = reviews.start_next_review(review["owner"], review["team"].id, review["catalog"])
    assert (first.period, second.period) == ("2027-Q1", "2027-Q2")


def test_keeping_a_page_clears_the_flags_and_keeps_the_values(review):
    new = reviews.start_next_review(review["owner"], review["team"].id, review["catalog"])
    mia = review["mia"]
    config = quick_ids(review["catalog"], "config")
    assessments.save_answer(mia, new.id, config[0], "3", "better now", "shown")
    assert reviews.confirm_carried_over(mia, new.id, "config") == 2
    response = assessments.own_response(mia, new)
    assert answers_of(response) == {
        config[0]: ("3", "better now", "shown", False),
        config[1]: ("na", None, None, False),
        config[2]: ("unknown", None, "claimed", False),
    }
    assert reviews.confirm_carried_over(mia, new.id, "config") == 0


def test_saving_an_answer_clears_its_flag_only(review):
    new = reviews.start_next_review(review["owner"], review["team"].id, review["catalog"])
    config = quick_ids(review["catalog"], "config")
    assessments.save_answer(review["mia"], new.id, config[1], "1")
    flags = {a.practice_id: a.carried_over for a in assessments.own_response(review["mia"], new).answers}
    assert flags == {config[0]: True, config[1]: False, config[2]: True}


def test_keeping_needs_an_own_response_and_a_known_page(review):
    new = reviews.start_next_review(review["owner"], review["team"].id, review["catalog"])
    with pytest.raises(Forbidden):
        reviews.confirm_carried_over(review["viewer"], new.id, "config")
    with pytest.raises(NotFound):
        reviews.confirm_carried_over(review["mia"], new.id, "no-such-dimension")
