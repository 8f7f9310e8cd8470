"""Live workshops without HTTP: set-up, states, join codes, participants, live numbers, consensus, finish."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from assessment import clock
from assessment.extensions import db
from assessment.services import assessments, workshop_participants, workshops
from assessment.services.errors import Conflict, Forbidden, Invalid, NotFound
from assessment.services.workshop_consensus import ConsensusConflict, current_consensus, record_consensus
from assessment.services.workshop_live import build_live_view
from assessment.store.models import Answer, Assessment, Consensus, Response
from tests.factories import make_org, make_team, make_user, org_with_roles, start

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.fixture
def setup(app):
    clock.set_clock(lambda: NOW)
    with app.test_request_context():
        organisation, people = org_with_roles()
        team = make_team(organisation, "Payments")
        catalog = app.extensions["cdcoach.catalogs"].get("cd-maturity")
        yield app, catalog, people, team
    clock.set_clock(None)


def make_workshop(setup, questionnaire="quick", opened=True) -> Assessment:
    _, catalog, people, team = setup
    workshop = workshops.create_workshop(people["facilitator"], team.id, catalog, questionnaire)
    if opened:
        workshops.change_state(people["facilitator"], workshop.id, "open")
    return workshop


def open_practices(workshop: Assessment) -> list[str]:
    seat_page = assessments.catalog_for(workshop).dimension(workshop.open_dimension)
    asked = assessments.asked(workshop)
    return [p.id for p in sorted(seat_page.practices, key=lambda p: p.level) if p.id in asked]


def join(workshop: Assessment, role: str = "dev", name: str | None = None) -> str:
    _, token = workshop_participants.join(workshop.join_code, name, role)
    return token


# Set-up and states


def test_a_facilitator_creates_a_draft_workshop_with_a_short_unambiguous_code(setup):
    app, catalog, people, team = setup
    start(app, people["owner"], team, "quick", period="2026-Q4")  # a self-assessment of the same quarter
    workshop = workshops.create_workshop(people["facilitator"], team.id, catalog, "quick")
    assert (workshop.kind, workshop.status, workshop.period) == ("workshop", "draft", "2026-Q4")
    assert len(workshop.join_code) == 6 and set(workshop.join_code) <= set(workshops.CODE_ALPHABET)
    assert not set("0O1IL") & set(workshops.CODE_ALPHABET)
    assert workshop.open_dimension == "config"  # the first page of the quick questionnaire
    with pytest.raises(Conflict, match="2026-Q4"):  # one workshop per team and quarter
        workshops.create_workshop(people["owner"], team.id, catalog, "quick")
    with pytest.raises(Invalid):
        workshops.create_workshop(people["owner"], team.id, catalog, ["no-such-dimension"], "2027-Q1")
    workshops.change_state(people["owner"], workshop.id, "open")
    with pytest.raises(Conflict, match="join with its code"):  # not through an account's self-assessment path
        assessments.join_as_respondent(people["member"], workshop.id, "dev")


@pytest.mark.parametrize("role", ["member", "viewer"])
def test_members_and_viewers_cannot_run_workshops(setup, role):
    _, catalog, people, team = setup
    with pytest.raises(Forbidden):
        workshops.create_workshop(people[role], team.id, catalog, "quick")
    workshop = make_workshop(setup)
    for action in (
        lambda: workshops.change_state(people[role], workshop.id, "pause"),
        lambda: workshops.open_dimension(people[role], workshop.id, "build"),
        lambda: workshops.finish(people[role], workshop.id),
        lambda: record_consensus(people[role], workshop.id, open_practices(workshop)[0], "2", "", 0),
    ):
        with pytest.raises(Forbidden):
            action()


def test_another_organisation_gets_not_found(setup):
    workshop = make_workshop(setup)
    stranger = make_user("Stranger")
    make_org(stranger)
    with pytest.raises(NotFound):
        workshops.change_state(stranger, workshop.id, "pause")
    with pytest.raises(NotFound):
        workshops.workshop_or_404(stranger, workshop.id)


def test_states_follow_draft_open_paused_closed_finalized(setup):
    _, _, people, _ = setup
    facilitator = people["facilitator"]
    workshop = make_workshop(setup, opened=False)
    with pytest.raises(Conflict):
        workshops.change_state(facilitator, workshop.id, "pause")  # a draft cannot pause
    workshops.change_state(facilitator, workshop.id, "open")
    assert workshop.join_expires_at == NOW.replace(tzinfo=None) + timedelta(hours=12)
    assert workshops.change_state(facilitator, workshop.id, "pause").status == "paused"
    assert workshops.change_state(facilitator, workshop.id, "resume").status == "open"
    with pytest.raises(Conflict, match="Close the workshop first"):
        workshops.finish(facilitator, workshop.id)
    assert workshops.change_state(facilitator, workshop.id, "close").status == "closed"
    with pytest.raises(Invalid):
        workshops.change_state(facilitator, workshop.id, "explode")
    assert workshops.finish(facilitator, workshop.id).status == "finalized"
    with pytest.raises(Conflict):
        workshops.change_state(facilitator, workshop.id, "resume")


def test_the_open_dimension_must_be_part_of_the_workshop(setup):
    _, catalog, people, team = setup
    workshop = workshops.create_workshop(people["owner"], team.id, catalog, ["build", "testing"])
    assert workshop.open_dimension == "testing"  # the first page: process comes before tooling
    workshops.open_dimension(people["owner"], workshop.id, "build")
    assert workshop.open_dimension == "build"
    with pytest.raises(Invalid):
        workshops.open_dimension(people["owner"], workshop.id, "config")  # not chosen


# Join codes


def test_codes_that_cannot_admit_anyone_say_why(setup):
    _, _, people, _ = setup
    with pytest.raises(Invalid, match="Enter the code"):
        workshop_participants.workshop_for_code("  ")
    with pytest.raises(NotFound, match="no workshop with this code"):
        workshop_participants.workshop_for_code("ZZZZZZ")
    draft = make_workshop(setup, opened=False)
    with pytest.raises(Conflict, match="not started yet"):
        workshop_participants.workshop_for_code(draft.join_code)
    workshops.change_state(people["owner"], draft.id, "open")
    typed = " " + draft.join_code[:3].lower() + "-" + draft.join_code[3:].lower()
    assert workshop_participants.workshop_for_code(typed).id == draft.id  # lower case, spaces and dashes are fine
    workshops.change_state(people["owner"], draft.id, "pause")
    with pytest.raises(Conflict, match="paused"):
        workshop_participants.workshop_for_code(draft.join_code)
    workshops.change_state(people["owner"], draft.id, "close")
    with pytest.raises(Conflict, match="closed"):
        workshop_participants.workshop_for_code(draft.join_code)


def test_a_code_expires_twelve_hours_after_opening_and_resuming_renews_it(setup):
    _, _, people, _ = setup
    workshop = make_workshop(setup)
    clock.set_clock(lambda: NOW + timedelta(hours=12))  # expires_at == now: expired
    with pytest.raises(Conflict, match="expired"):
        workshop_participants.join(workshop.join_code, None, "dev")
    workshops.change_state(people["owner"], workshop.id, "pause")
    workshops.change_state(people["owner"], workshop.id, "resume")
    assert workshop_participants.workshop_for_code(workshop.join_code).id == workshop.id


# Participants


def test_a_participant_answers_the_open_dimension_only_and_reconnects_with_the_token(setup):
    _, _, people, _ = setup
    workshop = make_workshop(setup)
    first, second, *_ = open_practices(workshop)
    token = join(workshop, "ops", "  Ana  ")
    workshop_participants.answer(token, first, "2")
    workshop_participants.answer(token, second, "unknown")
    again, same = workshop_participants.join(workshop.join_code, "Ana B", "dev", token)
    assert same == token
    response = db.session.get(Response, again.id)
    assert (response.display_name, response.role, response.user_id) == ("Ana B", "dev", None)
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 1  # a reconnect is not a second person
    assert {a.practice_id: a.value for a in response.answers} == {first: "2", second: "unknown"}
    elsewhere = next(p.id for p in assessments.catalog_for(workshop).dimension("build").practices if p.quick)
    with pytest.raises(Conflict, match="moved on"):
        workshop_participants.answer(token, elsewhere, "3")
    with pytest.raises(Invalid):
        workshop_participants.answer(token, first, "7")
    workshops.open_dimension(people["owner"], workshop.id, "build")
    workshop_participants.answer(token, elsewhere, "3")
    assert db.session.scalar(sa.select(Answer.value).where(Answer.practice_id == elsewhere)) == "3"


def test_only_the_token_reaches_a_response_and_it_reaches_no_other(setup):
    workshop = make_workshop(setup)
    first = open_practices(workshop)[0]
    ana, ben = join(workshop, "dev"), join(workshop, "ops")
    workshop_participants.answer(ana, first, "1")
    workshop_participants.answer(ben, first, "3")
    workshop_participants.answer(ana, first, "0")  # Ana changes her own answer: Ben's stays
    values = dict(db.session.execute(sa.select(Response.role, Answer.value).join(Answer)).all())
    assert values == {"dev": "0", "ops": "3"}
    for token in (None, "", "forged-token"):
        with pytest.raises(Forbidden):
            workshop_participants.answer(token, first, "3")
    stored = db.session.scalars(sa.select(Response.participant_token_hash)).all()
    assert ana not in stored and workshop_participants.token_hash(ana) in stored  # only the hash is kept


def test_paused_removed_and_closed_participants_cannot_answer(setup):
    _, _, people, _ = setup
    workshop = make_workshop(setup)
    first = open_practices(workshop)[0]
    token, other = join(workshop), join(workshop)
    workshops.change_state(people["owner"], workshop.id, "pause")
    assert workshop_participants.seat_of(token).state == "paused"
    with pytest.raises(Conflict, match="paused"):
        workshop_participants.answer(token, first, "2")
    workshops.change_state(people["owner"], workshop.id, "resume")
    removed = workshop_participants.seat_of(other).response
    workshops.remove_participant(people["facilitator"], workshop.id, removed.id)
    with pytest.raises(Forbidden, match="took you out"):
        workshop_participants.answer(other, first, "2")
    with pytest.raises(Forbidden, match="took you out"):  # the same browser cannot simply join again
        workshop_participants.join(workshop.join_code, None, "dev", other)
    workshops.change_state(people["owner"], workshop.id, "close")
    with pytest.raises(Conflict, match="closed"):
        workshop_participants.answer(token, first, "2")


def test_removing_a_participant_of_another_workshop_is_not_found(setup):
    _, catalog, people, _ = setup
    workshop = make_workshop(setup)
    other_team = make_team(db.session.get(Assessment, workshop.id).team.organisation, "Other")
    other = workshops.create_workshop(people["owner"], other_team.id, catalog, "quick")
    workshops.change_state(people["owner"], other.id, "open")
    response = workshop_participants.seat_of(join(other)).response
    with pytest.raises(NotFound):
        workshops.remove_participant(people["owner"], workshop.id, response.id)


# The live view


def answer_all(workshop, answers: list[tuple[str, str | None]], practice: str) -> None:
    """One participant per (role, value); value None: joins but does not answer this practice."""
    for role, value in answers:
        token = join(workshop, role)
        if value is not None:
            workshop_participants.answer(token, practice, value)


def test_the_live_view_counts_distribution_median_spread_and_ranks_disagreements_first(setup):
    workshop = make_workshop(setup)
    first, second, third = open_practices(workshop)[:3]
    # first: 1, 3, na, unknown -> numeric 1, 3: median (1 + 3) / 2 = 2, spread 3 - 1 = 2: a disagreement
    # second: 2, 2 -> median 2, spread 0; third: nobody
    people = [join(workshop, role) for role in ("dev", "dev", "ops", "test")]
    for token, value in zip(people, ("1", "3", "na", "unknown"), strict=True):
        workshop_participants.answer(token, first, value)
    for token in people[:2]:
        workshop_participants.answer(token, second, "2")
    view = build_live_view(db.session.get(Assessment, workshop.id), "en")
    by_id = {p.id: p for p in view.practices}
    assert view.participants == 4
    assert view.practices[0].id == first  # the disagreement leads
    assert by_id[first].counts == (("0", 0), ("1", 1), ("2", 0), ("3", 1), ("na", 1), ("unknown", 1))
    assert (by_id[first].answered, by_id[first].median, by_id[first].spread, by_id[first].disagreement) == (4, "2", 2, True)
    assert (by_id[second].answered, by_id[second].median, by_id[second].spread, by_id[second].disagreement) == (2, "2", 0, False)
    assert (by_id[third].answered, by_id[third].median, by_id[third].default_consensus) == (0, "", None)
    assert by_id[first].roles == ()  # no role has 3 people: no split


def test_the_split_by_role_shows_only_groups_of_three(setup):
    workshop = make_workshop(setup)
    practice = open_practices(workshop)[0]
    # 3 devs say 3, 3 ops say 1 and 0, 0: medians dev 3, ops 0; 2 testers (1, 2) are too few, and
    # as "others" alone still fewer than 3, so they are left out of the split.
    answers = [("dev", "3"), ("dev", "3"), ("dev", "3"), ("ops", "1"), ("ops", "0"), ("ops", "0"), ("test", "1"), ("test", "2")]
    answer_all(workshop, answers, practice)
    live = next(p for p in build_live_view(workshop, "en").practices if p.id == practice)
    assert [(g.role, g.size, g.value) for g in live.roles] == [("dev", 3, "3"), ("ops", 3, "0")]


def test_no_split_when_only_one_group_reaches_three_or_people_did_not_answer(setup):
    workshop = make_workshop(setup)
    practice = open_practices(workshop)[0]
    # 3 devs answer, 3 ops joined but only 2 answered this practice: ops is not a group of 3 here
    answer_all(workshop, [("dev", "3"), ("dev", "2"), ("dev", "3"), ("ops", "0"), ("ops", "0"), ("ops", None)], practice)
    live = next(p for p in build_live_view(workshop, "en").practices if p.id == practice)
    assert live.roles == ()


# Consensus


def test_consensus_versions_and_a_stale_form_is_a_conflict_showing_the_other(setup):
    _, _, people, _ = setup
    workshop = make_workshop(setup)
    practice = open_practices(workshop)[0]
    first = record_consensus(people["facilitator"], workshop.id, practice, "2", " agreed after demo ", 0)
    assert (first.value, first.note, first.version, first.by) == ("2", "agreed after demo", 1, "Facilitator Person")
    second = record_consensus(people["owner"], workshop.id, practice, "3", "owner view", 1)
    assert second.version == 2
    with pytest.raises(ConsensusConflict) as stale:  # the facilitator's form was read at version 1
        record_consensus(people["facilitator"], workshop.id, practice, "1", "mine", 1)
    assert (stale.value.current.value, stale.value.current.note, stale.value.current.by) == ("3", "owner view", "Olive Owner")
    with pytest.raises(ConsensusConflict) as again:  # a second "first" save
        record_consensus(people["facilitator"], workshop.id, practice, "1", "mine", 0)
    assert again.value.current.version == 2
    assert current_consensus(workshop.id, practice).value == "3"  # nothing was overwritten
    with pytest.raises(Invalid):
        record_consensus(people["owner"], workshop.id, practice, "unknown", "", 2)


def other_writer(statement):
    """Run `statement` on its own connection just before the session flushes: the other
    facilitator's save landing between our read and our write."""
    fired = []

    def before_flush(session, _context, _instances):
        if not fired:
            fired.append(True)
            with db.engine.begin() as connection:
                connection.execute(statement)

    return before_flush


def test_an_update_between_read_and_write_is_a_conflict_not_a_lost_update(setup):
    _, _, people, _ = setup
    workshop = make_workshop(setup)
    practice = open_practices(workshop)[0]
    record_consensus(people["owner"], workshop.id, practice, "2", "first", 0)
    bump = sa.update(Consensus).where(Consensus.practice_id == practice).values(value="0", note="theirs", version=2)
    hook = other_writer(bump)
    sa.event.listen(db.session(), "before_flush", hook)
    try:
        with pytest.raises(ConsensusConflict) as conflict:  # StaleDataError inside: the row is at version 2 now
            record_consensus(people["facilitator"], workshop.id, practice, "3", "mine", 1)
    finally:
        sa.event.remove(db.session(), "before_flush", hook)
    assert (conflict.value.current.value, conflict.value.current.note, conflict.value.current.version) == ("0", "theirs", 2)
    assert current_consensus(workshop.id, practice).note == "theirs"


def test_two_first_saves_racing_end_in_a_conflict_for_the_second(setup):
    _, _, people, _ = setup
    workshop = make_workshop(setup)
    practice = open_practices(workshop)[0]
    theirs = sa.insert(Consensus).values(
        assessment_id=workshop.id, practice_id=practice, value="1", note="theirs", version=1, updated_at=NOW.replace(tzinfo=None)
    )
    hook = other_writer(theirs)
    sa.event.listen(db.session(), "before_flush", hook)
    try:
        with pytest.raises(ConsensusConflict) as conflict:  # the unique constraint refuses our insert
            record_consensus(people["facilitator"], workshop.id, practice, "3", "mine", 0)
    finally:
        sa.event.remove(db.session(), "before_flush", hook)
    assert (conflict.value.current.value, conflict.value.current.note) == ("1", "theirs")
    assert db.session.scalar(sa.select(sa.func.count(Consensus.id))) == 1


# Finish


def test_finishing_keeps_raw_answers_consensus_and_notes_and_scores_with_the_consensus(setup):
    _, _, people, _ = setup
    workshop = make_workshop(setup)
    practice = open_practices(workshop)[0]
    answer_all(workshop, [("dev", "0"), ("ops", "1"), ("test", "3")], practice)  # median 1
    record_consensus(people["facilitator"], workshop.id, practice, "2", "the pipeline covers most services", 0)
    workshops.change_state(people["facilitator"], workshop.id, "close")
    finished = workshops.finish(people["facilitator"], workshop.id)
    assert finished.status == "finalized" and finished.kind == "workshop"
    assert sorted(db.session.scalars(sa.select(Answer.value).where(Answer.practice_id == practice))) == ["0", "1", "3"]
    assert current_consensus(workshop.id, practice).note == "the pipeline covers most services"
    dimension = next(d for d in finished.result["dimensions"] if d["id"] == workshop.open_dimension)
    stored = next(p for p in dimension["practices"] if p["id"] == practice)
    assert (stored["value"], stored["source"], stored["spread"]) == (2, "consensus", 3)  # spread 3 - 0 from the raw answers
    with pytest.raises(Conflict):
        record_consensus(people["facilitator"], workshop.id, practice, "3", "", 1)
