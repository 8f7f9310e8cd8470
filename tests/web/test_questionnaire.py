"""The questionnaire flow: join, answer page by page (htmx and plain form), metrics, review, finalize, reopen."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from assessment.extensions import db
from assessment.store.models import Answer, Assessment, AuditEntry, MetricAnswer, Response, User
from tests.factories import add_member, csrf_token, login, make_org, make_team, make_user, start

HTMX = {"HX-Request": "true"}


@dataclass
class World:
    owner: User
    member: User
    viewer: User
    stranger: User
    assessment_id: int
    team_id: int


@pytest.fixture
def world(app):
    with app.app_context():
        owner, member, viewer, stranger = (make_user(n) for n in ("Olive", "Mia", "Vic", "Stan"))
        organisation = make_org(owner)
        add_member(organisation, member, "member")
        add_member(organisation, viewer, "viewer")
        make_org(stranger)
        team = make_team(organisation)
        assessment = start(app, owner, team, "quick")
        yield World(owner, member, viewer, stranger, assessment.id, team.id)


@pytest.fixture
def catalog(app):
    return app.extensions["cdcoach.catalogs"].get("cd-maturity")


def quick_practices(catalog, dimension_id):
    """The quick practices of a dimension, lowest level first (the order of the page)."""
    return sorted((p for p in catalog.dimension(dimension_id).practices if p.quick), key=lambda p: p.level)


def key(practice_id):
    return "p_" + practice_id.replace(".", "__").replace("-", "_")


def joined(client, world, user, role="dev"):
    """Log `user` in and join the assessment with `role`; returns a CSRF token."""
    login(client, user)
    token = csrf_token(client)
    client.post(f"/assessments/{world.assessment_id}/join", data={"csrf_token": token, "role": role})
    return token


def save(client, world, token, practice_id, value, htmx=True, **extra):
    data = {"csrf_token": token, f"{key(practice_id)}-value": value, **extra}
    return client.post(f"/assessments/{world.assessment_id}/answers/{practice_id}", data=data, headers=HTMX if htmx else {})


def answers_of(user):
    rows = db.session.execute(sa.select(Answer.practice_id, Answer.value).join(Response).where(Response.user_id == user.id)).all()
    return dict(rows)


# --- access --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["", "/dimensions/config", "/metrics", "/review", "/finalize", "/reopen"])
def test_anonymous_is_sent_to_login(client, world, path):
    page = client.get(f"/assessments/{world.assessment_id}{path}")
    assert page.status_code == 302 and "/login" in page.location


@pytest.mark.parametrize("path", ["", "/dimensions/config", "/metrics", "/review", "/finalize", "/reopen"])
def test_another_organisation_gets_404(client, world, path):
    login(client, world.stranger)
    assert client.get(f"/assessments/{world.assessment_id}{path}").status_code == 404


def test_another_organisation_cannot_answer(client, world, catalog):
    login(client, world.stranger)
    token = csrf_token(client)
    practice = quick_practices(catalog, "config")[0]
    assert save(client, world, token, practice.id, "2").status_code == 404
    join = client.post(f"/assessments/{world.assessment_id}/join", data={"csrf_token": token, "role": "dev"})
    assert join.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 0


def test_a_viewer_reads_the_overview_but_cannot_answer(client, world, catalog):
    login(client, world.viewer)
    token = csrf_token(client)
    overview = client.get(f"/assessments/{world.assessment_id}")
    assert overview.status_code == 200 and "Start answering" not in overview.text
    assert client.get(f"/assessments/{world.assessment_id}/dimensions/config").status_code == 403
    join = client.post(f"/assessments/{world.assessment_id}/join", data={"csrf_token": token, "role": "dev"})
    assert join.status_code == 403
    assert save(client, world, token, quick_practices(catalog, "config")[0].id, "2").status_code == 403
    metric = client.post(
        f"/assessments/{world.assessment_id}/metrics", data={"csrf_token": token, "deployment_frequency": "daily"}
    )
    assert metric.status_code == 403
    assert client.get(f"/assessments/{world.assessment_id}/metrics").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(MetricAnswer.id))) == 0


def test_a_member_cannot_finalize_or_reopen(client, world):
    token = joined(client, world, world.member)
    assert client.get(f"/assessments/{world.assessment_id}/finalize").status_code == 403
    assert client.post(f"/assessments/{world.assessment_id}/finalize", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/assessments/{world.assessment_id}/reopen", data={"csrf_token": token, "reason": "x"}).status_code == 403
    assert db.session.get(Assessment, world.assessment_id).status == "open"


# --- overview and joining -------------------------------------------------------------------


def test_overview_offers_to_join_and_joining_leads_to_the_first_page(client, world, catalog):
    login(client, world.member)
    overview = client.get(f"/assessments/{world.assessment_id}")
    assert overview.status_code == 200
    assert "2026-Q4" in overview.text and "Start answering" in overview.text and catalog.version in overview.text
    token = csrf_token(client)
    joined_page = client.post(f"/assessments/{world.assessment_id}/join", data={"csrf_token": token, "role": "test"})
    first_dimension = next(d for a in catalog.areas for d in catalog.dimensions if d.area == a.id)
    assert joined_page.status_code == 302
    assert joined_page.location.endswith(f"/assessments/{world.assessment_id}/dimensions/{first_dimension.id}")
    response = db.session.scalar(sa.select(Response).where(Response.user_id == world.member.id))
    assert response.role == "test"


def test_joining_with_an_unknown_role_rerenders_with_a_message(client, world):
    login(client, world.member)
    token = csrf_token(client)
    page = client.post(f"/assessments/{world.assessment_id}/join", data={"csrf_token": token, "role": "boss"})
    assert page.status_code == 400 and "field-error" in page.text
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 0


def test_the_dimension_page_before_joining_sends_to_the_overview(client, world):
    login(client, world.member)
    page = client.get(f"/assessments/{world.assessment_id}/dimensions/config")
    assert page.status_code == 302 and page.location.endswith(f"/assessments/{world.assessment_id}")


# --- the dimension page ---------------------------------------------------------------------


def test_a_page_asks_only_the_quick_practices_with_their_scale(client, world, catalog):
    joined(client, world, world.member)
    page = client.get(f"/assessments/{world.assessment_id}/dimensions/config")
    assert page.status_code == 200
    asked = quick_practices(catalog, "config")
    for practice in asked:
        assert practice.statement.en in page.text
        assert practice.scale.started.en in page.text and practice.scale.fully.en in page.text
    not_asked = [p for p in catalog.dimension("config").practices if not p.quick]
    assert not any(p.statement.en in page.text for p in not_asked)
    assert page.text.count('class="practice"') == len(asked)
    assert '<details class="guidance">' in page.text and "hx-post" in page.text


def test_an_unknown_dimension_is_404(client, world):
    joined(client, world, world.member)
    assert client.get(f"/assessments/{world.assessment_id}/dimensions/nope").status_code == 404


def test_an_htmx_save_returns_a_fragment_with_the_progress(client, world, catalog):
    token = joined(client, world, world.member)
    practice = quick_practices(catalog, "config")[0]
    reply = save(client, world, token, practice.id, "2")
    total = len(catalog.quick_ids)
    assert reply.status_code == 200
    assert "Saved" in reply.text and "<html" not in reply.text
    assert 'id="questionnaire-progress"' in reply.text and 'hx-swap-oob="true"' in reply.text
    assert f"1 of {total} practices answered" in reply.text
    assert "1 of 3 answered" in reply.text
    assert answers_of(world.member) == {practice.id: "2"}


def test_a_plain_save_redirects_back_to_the_practice(client, world, catalog):
    token = joined(client, world, world.member)
    practice = quick_practices(catalog, "config")[0]
    reply = save(client, world, token, practice.id, "1", htmx=False)
    assert reply.status_code == 302 and reply.location.endswith(f"/dimensions/config#{key(practice.id)}")
    assert answers_of(world.member) == {practice.id: "1"}


def test_comment_and_evidence_are_saved_and_clear_removes_the_answer(client, world, catalog):
    token = joined(client, world, world.member)
    practice = quick_practices(catalog, "config")[0]
    k = key(practice.id)
    save(client, world, token, practice.id, "3", **{f"{k}-comment": " All in Git ", f"{k}-evidence": "shown"})
    answer = db.session.scalar(sa.select(Answer))
    assert (answer.value, answer.comment, answer.evidence) == ("3", "All in Git", "shown")
    cleared = save(client, world, token, practice.id, "3", clear=k)
    assert cleared.status_code == 200 and 'class="practice"' in cleared.text and "checked>" not in cleared.text
    assert answers_of(world.member) == {}


@pytest.mark.parametrize("field, value", [("value", "4"), ("value", "yes"), ("evidence", "rumour"), ("comment", "x" * 2001)])
def test_bad_input_is_400_and_nothing_is_saved(client, world, catalog, field, value):
    token = joined(client, world, world.member)
    practice = quick_practices(catalog, "config")[0]
    data = {f"{key(practice.id)}-{field}": value}
    if field != "value":
        data[f"{key(practice.id)}-value"] = "2"
    reply = client.post(
        f"/assessments/{world.assessment_id}/answers/{practice.id}", data={"csrf_token": token, **data}, headers=HTMX
    )
    assert reply.status_code == 400 and "data-error-message" in reply.text
    assert answers_of(world.member) == {}


def test_a_comment_without_an_answer_is_refused_with_a_reason(client, world, catalog):
    token = joined(client, world, world.member)
    practice = quick_practices(catalog, "config")[0]
    reply = save(client, world, token, practice.id, "", **{f"{key(practice.id)}-comment": "why"})
    assert reply.status_code == 400 and "Choose an answer first" in reply.text
    assert answers_of(world.member) == {}


def test_a_practice_outside_the_questionnaire_is_404_and_not_saved(client, world, catalog):
    token = joined(client, world, world.member)
    not_quick = next(p for p in catalog.dimension("config").practices if not p.quick)
    assert save(client, world, token, not_quick.id, "2").status_code == 404
    assert save(client, world, token, "config.no-such-practice", "2").status_code == 404
    assert answers_of(world.member) == {}


def test_the_page_works_as_a_plain_form_and_leaves_blank_practices_alone(client, world, catalog):
    token = joined(client, world, world.member)
    first, second, third = quick_practices(catalog, "config")
    save(client, world, token, third.id, "1")
    data = {"csrf_token": token, f"{key(first.id)}-value": "3", f"{key(second.id)}-value": "na", "go": "next"}
    reply = client.post(f"/assessments/{world.assessment_id}/dimensions/config", data=data)
    assert reply.status_code == 302 and reply.location.endswith("/dimensions/testing")
    assert answers_of(world.member) == {first.id: "3", second.id: "na", third.id: "1"}


def test_a_bad_full_page_post_saves_nothing_and_keeps_the_input(client, world, catalog):
    token = joined(client, world, world.member)
    first, second, _ = quick_practices(catalog, "config")
    data = {"csrf_token": token, f"{key(first.id)}-value": "3", f"{key(second.id)}-value": "7"}
    reply = client.post(f"/assessments/{world.assessment_id}/dimensions/config", data=data)
    assert reply.status_code == 400 and "Choose one of the answers." in reply.text
    assert f'name="{key(first.id)}-value" value="3" checked' in reply.text
    assert answers_of(world.member) == {}


def test_progress_by_hand_for_the_quick_form(client, world, catalog):
    token = joined(client, world, world.member)
    total = len(catalog.quick_ids)  # 30 in catalog 1.0: three per dimension, ten dimensions
    config, testing = quick_practices(catalog, "config"), quick_practices(catalog, "testing")
    for practice, value in ((config[0], "1"), (config[1], "unknown"), (testing[0], "na"), (testing[2], "0")):
        save(client, world, token, practice.id, value)
    overview = client.get(f"/assessments/{world.assessment_id}")
    assert f"4 of {total} practices answered" in overview.text
    assert overview.text.count("2 of 3 answered") == 2  # config and testing
    assert overview.text.count("0 of 3 answered") == len(catalog.dimensions) - 2
    # the first page with an open practice is config (catalog areas and order: process first)
    assert "Continue where you left off: Configuration and change management" in overview.text


def test_answering_never_touches_someone_elses_answers(client, app, world, catalog):
    practice = quick_practices(catalog, "config")[0]
    token = joined(client, world, world.owner)
    save(client, world, token, practice.id, "3")
    other = app.test_client()
    token = joined(other, world, world.member)
    save(other, world, token, practice.id, "0")
    save(other, world, token, practice.id, "", clear=key(practice.id))
    assert answers_of(world.owner) == {practice.id: "3"}
    assert answers_of(world.member) == {}


# --- skipping higher levels ------------------------------------------------------------------


def test_a_level_answered_all_zero_offers_to_skip_the_levels_above(client, world, catalog):
    token = joined(client, world, world.member)
    level1, level2, level3 = quick_practices(catalog, "config")
    page = client.get(f"/assessments/{world.assessment_id}/dimensions/config")
    assert "Mark these 2 as not in place" not in page.text
    reply = save(client, world, token, level1.id, "0")
    assert 'id="skip-offer"' in reply.text and "Mark these 2 as not in place" in reply.text
    skip = client.post(f"/assessments/{world.assessment_id}/dimensions/config/skip", data={"csrf_token": token, "level": "1"})
    assert skip.status_code == 302 and skip.location.endswith("/dimensions/testing")
    assert answers_of(world.member) == {level1.id: "0", level2.id: "0", level3.id: "0"}


def test_skipping_is_refused_when_the_level_is_not_all_zero(client, world, catalog):
    token = joined(client, world, world.member)
    level1 = quick_practices(catalog, "config")[0]
    save(client, world, token, level1.id, "1")
    skip = client.post(f"/assessments/{world.assessment_id}/dimensions/config/skip", data={"csrf_token": token, "level": "1"})
    assert skip.status_code == 400
    assert answers_of(world.member) == {level1.id: "1"}


# --- delivery metrics ------------------------------------------------------------------------


def test_metrics_are_saved_for_the_whole_team(client, world):
    token = joined(client, world, world.member)
    data = {
        "csrf_token": token,
        "deployment_frequency": "weekly",
        "lead_time": "unknown",
        "change_failure_rate-percent": "15",
    }
    reply = client.post(f"/assessments/{world.assessment_id}/metrics", data=data)
    assert reply.status_code == 302
    stored = dict(db.session.execute(sa.select(MetricAnswer.metric_id, MetricAnswer.value)).all())
    assert stored == {"deployment_frequency": "weekly", "lead_time": "unknown", "change_failure_rate": "15"}
    page = client.get(f"/assessments/{world.assessment_id}/metrics")
    assert 'value="weekly" checked' in page.text and 'value="15"' in page.text


@pytest.mark.parametrize(
    "data",
    [
        {"deployment_frequency": "hourly"},
        {"change_failure_rate-percent": "101"},
        {"change_failure_rate-percent": "lots"},
        {"change_failure_rate-percent": "10", "change_failure_rate-unknown": "y"},
    ],
)
def test_bad_metric_answers_are_400_and_nothing_is_saved(client, world, data):
    token = joined(client, world, world.member)
    reply = client.post(f"/assessments/{world.assessment_id}/metrics", data={"csrf_token": token, "lead_time": "lt-1d", **data})
    assert reply.status_code == 400 and "field-error" in reply.text
    assert db.session.scalar(sa.select(sa.func.count(MetricAnswer.id))) == 0


# --- review and submit -----------------------------------------------------------------------


def test_review_lists_what_is_unanswered_and_submit_records_it(client, world, catalog):
    token = joined(client, world, world.member)
    config = quick_practices(catalog, "config")
    for practice in config:
        save(client, world, token, practice.id, "2")
    review = client.get(f"/assessments/{world.assessment_id}/review")
    assert review.status_code == 200
    assert not any(p.statement.en in review.text for p in config)
    testing = quick_practices(catalog, "testing")
    assert all(p.statement.en in review.text for p in testing)
    assert f"/dimensions/testing#{key(testing[0].id)}" in review.text
    submitted = client.post(f"/assessments/{world.assessment_id}/submit", data={"csrf_token": token})
    assert submitted.status_code == 302
    assert db.session.scalar(sa.select(Response.submitted_at)) is not None
    # still open: answers can change after submitting
    assert save(client, world, token, config[0].id, "3").status_code == 200


# --- finalize and reopen ----------------------------------------------------------------------


def test_finalize_asks_for_confirmation_stores_the_result_and_locks_everything(client, world, catalog):
    practice = quick_practices(catalog, "config")[0]
    token = joined(client, world, world.owner)
    save(client, world, token, practice.id, "3")
    confirm = client.get(f"/assessments/{world.assessment_id}/finalize")
    assert confirm.status_code == 200 and "Yes, finalize now" in confirm.text
    done = client.post(f"/assessments/{world.assessment_id}/finalize", data={"csrf_token": token})
    assert done.status_code == 302
    db.session.expire_all()
    assessment = db.session.get(Assessment, world.assessment_id)
    assert assessment.status == "finalized" and assessment.result["model"] == "cd-maturity"
    config = next(d for d in assessment.result["dimensions"] if d["id"] == "config")
    assert config["coverage"][0] == 1.0  # the one level-1 quick practice, answered 3

    page = client.get(f"/assessments/{world.assessment_id}/dimensions/config")
    assert page.status_code == 200 and "read-only" in page.text and "hx-post" not in page.text
    refused = [
        save(client, world, token, practice.id, "0"),
        client.post(f"/assessments/{world.assessment_id}/dimensions/config", data={"csrf_token": token}),
        client.post(f"/assessments/{world.assessment_id}/metrics", data={"csrf_token": token, "lead_time": "lt-1d"}),
        client.post(f"/assessments/{world.assessment_id}/submit", data={"csrf_token": token}),
        client.post(f"/assessments/{world.assessment_id}/finalize", data={"csrf_token": token}),
        client.post(f"/assessments/{world.assessment_id}/dimensions/config/skip", data={"csrf_token": token, "level": "1"}),
    ]
    assert [r.status_code for r in refused] == [409] * len(refused)
    assert "finalized" in refused[0].text
    assert answers_of(world.owner) == {practice.id: "3"}
    assert db.session.scalar(sa.select(sa.func.count(MetricAnswer.id))) == 0


def test_reopen_needs_a_reason_and_is_logged(client, world):
    token = joined(client, world, world.owner)
    client.post(f"/assessments/{world.assessment_id}/finalize", data={"csrf_token": token})
    blank = client.post(f"/assessments/{world.assessment_id}/reopen", data={"csrf_token": token, "reason": "  "})
    assert blank.status_code == 400 and "field-error" in blank.text
    assert db.session.get(Assessment, world.assessment_id).status == "finalized"
    done = client.post(f"/assessments/{world.assessment_id}/reopen", data={"csrf_token": token, "reason": "Typo"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Assessment, world.assessment_id).status == "open"
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "assessment.reopen"))
    assert entry.detail == {"reason": "Typo"}


def test_reopen_is_refused_once_a_later_period_exists(client, app, world):
    token = joined(client, world, world.owner)
    client.post(f"/assessments/{world.assessment_id}/finalize", data={"csrf_token": token})
    team = db.session.get(Assessment, world.assessment_id).team
    start(app, world.owner, team, "quick", period="2027-Q1")
    overview = client.get(f"/assessments/{world.assessment_id}")
    assert "Reopen the assessment" not in overview.text
    refused = client.post(f"/assessments/{world.assessment_id}/reopen", data={"csrf_token": token, "reason": "Typo"})
    assert refused.status_code == 409
    db.session.expire_all()
    assert db.session.get(Assessment, world.assessment_id).status == "finalized"


def test_a_team_lead_may_finalize(client, app, world):
    from assessment.store.models import TeamMember

    db.session.add(TeamMember(team_id=world.team_id, user_id=world.member.id, lead=True))
    db.session.commit()
    token = joined(client, world, world.member)
    assert client.post(f"/assessments/{world.assessment_id}/finalize", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Assessment, world.assessment_id).status == "finalized"
