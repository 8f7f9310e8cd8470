"""Team use cases without HTTP: create, rename, archive, profile and members."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from assessment import clock
from assessment.extensions import db
from assessment.services import teams
from assessment.services.errors import Forbidden, Invalid, NotFound
from assessment.store.models import AuditEntry, TeamMember
from tests.factories import add_member, make_org, make_team, make_user

NOW = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)


@pytest.fixture
def ctx(app):
    # A request context: refusal messages are translated, and the locale comes from a request.
    with app.test_request_context():
        yield


@pytest.fixture
def frozen():
    clock.set_clock(lambda: NOW)
    yield
    clock.set_clock(None)


@pytest.fixture
def org(ctx):
    owner = make_user("Olive")
    return make_org(owner), owner


@pytest.fixture
def catalog(app):
    return app.extensions["cdcoach.catalogs"].get("cd-maturity")


def member(organisation, role: str = "member", name: str | None = None):
    user = make_user(name)
    add_member(organisation, user, role)
    return user


def last_action() -> str:
    return db.session.scalar(sa.select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1))


@pytest.mark.parametrize("role", ["owner", "facilitator"])
def test_staff_create_a_team_and_lead_it(org, role):
    organisation, owner = org
    user = owner if role == "owner" else member(organisation, role)
    team = teams.create_team(user, organisation.id, "  Payments   Core ")
    assert team.name == "Payments Core"
    assert teams.is_lead(user, team.id)
    assert last_action() == "team.create"


@pytest.mark.parametrize("role", ["member", "viewer"])
def test_members_and_viewers_cannot_create_teams(org, role):
    organisation, _ = org
    with pytest.raises(Forbidden):
        teams.create_team(member(organisation, role), organisation.id, "Team")


def test_a_stranger_gets_not_found(org):
    organisation, owner = org
    team = make_team(organisation)
    stranger = make_user()
    make_org(stranger)
    with pytest.raises(NotFound):
        teams.create_team(stranger, organisation.id, "Team")
    with pytest.raises(NotFound):
        teams.rename_team(stranger, team.id, "Mine")
    with pytest.raises(NotFound):
        teams.team_or_404(owner, team.id + 1000)


def test_a_team_needs_a_name(org):
    organisation, owner = org
    with pytest.raises(Invalid):
        teams.create_team(owner, organisation.id, "   ")


def test_a_lead_member_may_rename_but_a_plain_member_may_not(org):
    organisation, _ = org
    lead, plain = member(organisation), member(organisation)
    team = make_team(organisation, name="Old", lead=lead)
    teams.set_member(org[1], team.id, plain.id, lead=False)
    with pytest.raises(Forbidden):
        teams.rename_team(plain, team.id, "Plain's name")
    assert teams.rename_team(lead, team.id, "New").name == "New"
    assert last_action() == "team.rename"


def test_archive_and_restore(org, frozen):
    organisation, owner = org
    team = make_team(organisation)
    teams.archive_team(owner, team.id)
    assert team.archived_at == NOW.replace(tzinfo=None)
    assert teams.teams_of(organisation.id) == []
    assert teams.teams_of(organisation.id, include_archived=True) == [team]
    teams.archive_team(owner, team.id, archived=False)
    assert team.archived_at is None
    assert last_action() == "team.restore"


def test_a_lead_member_cannot_archive(org):
    organisation, _ = org
    lead = member(organisation)
    team = make_team(organisation, lead=lead)
    with pytest.raises(Forbidden):
        teams.archive_team(lead, team.id)


def test_the_profile_keeps_known_answers_and_drops_blanks(org, catalog):
    organisation, owner = org
    team = make_team(organisation)
    teams.set_profile(owner, team.id, catalog, {"team_size": "6-15", "regulated": ""})
    assert team.profile == {"team_size": "6-15"}


@pytest.mark.parametrize("profile", [{"team_size": "huge"}, {"no_such_question": "yes"}])
def test_the_profile_refuses_unknown_answers(org, catalog, profile):
    organisation, owner = org
    team = make_team(organisation, profile={"team_size": "1-5"})
    with pytest.raises(Invalid):
        teams.set_profile(owner, team.id, catalog, profile)
    assert team.profile == {"team_size": "1-5"}


def test_a_viewer_cannot_set_the_profile(org, catalog):
    organisation, _ = org
    team = make_team(organisation)
    with pytest.raises(Forbidden):
        teams.set_profile(member(organisation, "viewer"), team.id, catalog, {"team_size": "1-5"})


def test_set_member_adds_and_changes_the_lead_flag(org):
    organisation, owner = org
    team = make_team(organisation)
    person = member(organisation)
    teams.set_member(owner, team.id, person.id, lead=False)
    assert not teams.is_lead(person, team.id)
    teams.set_member(owner, team.id, person.id, lead=True)
    assert teams.is_lead(person, team.id)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TeamMember)) == 1


def test_only_organisation_members_join_a_team(org):
    organisation, owner = org
    team = make_team(organisation)
    outsider = make_user()
    with pytest.raises(NotFound):
        teams.set_member(owner, team.id, outsider.id, lead=False)


def test_remove_member(org):
    organisation, owner = org
    person = member(organisation)
    team = make_team(organisation, lead=person)
    teams.remove_member(owner, team.id, person.id)
    assert teams.members_of_team(team.id) == []
    assert last_action() == "team.member.remove"
    with pytest.raises(NotFound):
        teams.remove_member(owner, team.id, person.id)


def test_a_lead_member_cannot_change_membership(org):
    organisation, _ = org
    lead, other = member(organisation), member(organisation)
    team = make_team(organisation, lead=lead)
    with pytest.raises(Forbidden):
        teams.set_member(lead, team.id, other.id, lead=False)
    with pytest.raises(Forbidden):
        teams.remove_member(lead, team.id, lead.id)


def test_members_leads_first_and_candidates(org):
    organisation, owner = org
    bea, cid, dan = member(organisation, name="Bea"), member(organisation, name="Cid"), member(organisation, name="Dan")
    make_org(make_user("Elsewhere"))
    team = make_team(organisation, lead=dan)
    teams.set_member(owner, team.id, bea.id, lead=False)
    assert [m.user.name for m in teams.members_of_team(team.id)] == ["Dan", "Bea"]
    assert [u.name for u in teams.candidates_for(team)] == ["Cid", "Olive"]
    assert cid in teams.candidates_for(team)
