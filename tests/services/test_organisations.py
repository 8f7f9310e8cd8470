"""Organisation use cases without HTTP: invitations, roles, members and the last-owner rule."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from assessment import clock
from assessment.extensions import db
from assessment.services import organisations
from assessment.services.errors import Conflict, Forbidden, Invalid, NotFound
from assessment.store.models import AuditEntry, Invitation, TeamMember
from tests.factories import add_member, make_org, make_team, make_user

START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def time() -> Iterator[Clock]:
    fake = Clock()
    clock.set_clock(lambda: fake.now)
    yield fake
    clock.set_clock(None)


@pytest.fixture
def ctx(app):
    # A request context: refusal messages are translated, and the locale comes from a request.
    with app.test_request_context():
        yield


@pytest.fixture
def org(ctx):
    owner = make_user("Olive Owner")
    return make_org(owner, name="Acme"), owner


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_an_invitation_makes_a_member_with_its_role(org, time):
    organisation, owner = org
    token = organisations.invite(owner, organisation.id, "facilitator", " Fay@Example.com ")
    fay = make_user("Fay")
    assert organisations.accept_invitation(fay, token).id == organisation.id
    assert organisations.role_in(fay, organisation.id) == "facilitator"
    invitation = db.session.scalar(sa.select(Invitation))
    assert invitation.email == "fay@example.com"
    assert invitation.used_by_id == fay.id and invitation.used_at == START.replace(tzinfo=None)
    assert actions() == ["invitation.create", "invitation.accept"]


def test_the_token_itself_is_not_stored(org):
    organisation, owner = org
    token = organisations.invite(owner, organisation.id, "member")
    assert db.session.scalar(sa.select(Invitation.token_hash)) != token


def test_an_invitation_works_once(org):
    organisation, owner = org
    token = organisations.invite(owner, organisation.id, "member")
    organisations.accept_invitation(make_user(), token)
    second = make_user()
    with pytest.raises(Conflict, match="already been used"):
        organisations.accept_invitation(second, token)
    assert organisations.role_in(second, organisation.id) is None


def test_an_invitation_expires_after_seven_days(org, time):
    organisation, owner = org
    token = organisations.invite(owner, organisation.id, "member")
    time.advance(days=7)
    assert organisations.find_invitation(token).role == "member"  # the last moment still counts
    time.advance(seconds=1)
    with pytest.raises(Conflict, match="expired"):
        organisations.accept_invitation(make_user(), token)


def test_an_unknown_token_is_not_found(ctx):
    with pytest.raises(NotFound):
        organisations.accept_invitation(make_user(), "no-such-token")
    invitation, problem = organisations.invitation_problem("no-such-token")
    assert invitation is None and problem.status == 404 and "not valid" in problem.message


def test_a_member_cannot_use_up_an_invitation(org):
    organisation, owner = org
    token = organisations.invite(owner, organisation.id, "viewer")
    with pytest.raises(Conflict, match="already belong"):
        organisations.accept_invitation(owner, token)
    assert organisations.role_in(owner, organisation.id) == "owner"
    assert organisations.find_invitation(token).used_at is None


@pytest.mark.parametrize("role", ["facilitator", "member", "viewer"])
def test_only_owners_invite(org, role):
    organisation, _ = org
    user = make_user()
    add_member(organisation, user, role)
    with pytest.raises(Forbidden):
        organisations.invite(user, organisation.id, "member")


def test_strangers_get_not_found(org):
    organisation, _ = org
    stranger = make_user()
    make_org(stranger)
    for call in (
        lambda: organisations.invite(stranger, organisation.id, "member"),
        lambda: organisations.pending_invitations(stranger, organisation.id),
        lambda: organisations.organisation_or_404(stranger, organisation.id),
        lambda: organisations.change_role(stranger, organisation.id, 1, "viewer"),
        lambda: organisations.remove_member(stranger, organisation.id, 1),
    ):
        with pytest.raises(NotFound):
            call()


def test_an_unknown_role_is_refused(org):
    organisation, owner = org
    with pytest.raises(Invalid):
        organisations.invite(owner, organisation.id, "admin")
    with pytest.raises(Invalid):
        organisations.change_role(owner, organisation.id, owner.memberships[0].id, "admin")


def test_pending_invitations_leave_out_used_and_expired_ones(org, time):
    organisation, owner = org
    organisations.invite(owner, organisation.id, "member", "old@example.com")
    time.advance(days=3)
    used = organisations.invite(owner, organisation.id, "member", "used@example.com")
    organisations.accept_invitation(make_user(), used)
    organisations.invite(owner, organisation.id, "viewer", "new@example.com")
    assert [i.email for i in organisations.pending_invitations(owner, organisation.id)] == [
        "old@example.com",
        "new@example.com",
    ]
    time.advance(days=5)  # the first one is now 8 days old
    assert [i.email for i in organisations.pending_invitations(owner, organisation.id)] == ["new@example.com"]


def test_pending_invitations_are_for_owners(org):
    organisation, _ = org
    facilitator = make_user()
    add_member(organisation, facilitator, "facilitator")
    with pytest.raises(Forbidden):
        organisations.pending_invitations(facilitator, organisation.id)


def test_a_withdrawn_invitation_stops_working(org):
    organisation, owner = org
    token = organisations.invite(owner, organisation.id, "member")
    invitation_id = organisations.find_invitation(token).id
    organisations.revoke_invitation(owner, organisation.id, invitation_id)
    with pytest.raises(NotFound):
        organisations.find_invitation(token)
    assert actions()[-1] == "invitation.revoke"


def test_withdrawing_is_refused_for_used_and_foreign_invitations(org):
    organisation, owner = org
    token = organisations.invite(owner, organisation.id, "member")
    invitation_id = organisations.find_invitation(token).id
    other_owner = make_user()
    other = make_org(other_owner)
    with pytest.raises(NotFound):
        organisations.revoke_invitation(other_owner, other.id, invitation_id)
    organisations.accept_invitation(make_user(), token)
    with pytest.raises(Conflict):
        organisations.revoke_invitation(owner, organisation.id, invitation_id)


def test_the_last_owner_cannot_be_demoted(org):
    organisation, owner = org
    membership = owner.memberships[0]
    with pytest.raises(Conflict, match="at least one owner"):
        organisations.change_role(owner, organisation.id, membership.id, "member")
    assert membership.role == "owner"


def test_an_owner_can_step_down_when_another_owner_exists(org):
    organisation, owner = org
    second = add_member(organisation, make_user(), "member")
    organisations.change_role(owner, organisation.id, second.id, "owner")
    organisations.change_role(owner, organisation.id, owner.memberships[0].id, "viewer")
    assert organisations.role_in(owner, organisation.id) == "viewer"
    assert actions() == ["membership.role", "membership.role"]


def test_change_role_needs_an_owner_and_a_membership_of_this_organisation(org):
    organisation, owner = org
    facilitator = make_user()
    membership = add_member(organisation, facilitator, "facilitator")
    with pytest.raises(Forbidden):
        organisations.change_role(facilitator, organisation.id, membership.id, "owner")
    elsewhere = add_member(make_org(make_user()), make_user(), "member")
    with pytest.raises(NotFound):
        organisations.change_role(owner, organisation.id, elsewhere.id, "viewer")


def test_removing_a_member_takes_them_out_of_this_organisations_teams_only(org):
    organisation, owner = org
    person = make_user()
    membership = add_member(organisation, person, "member")
    team = make_team(organisation, lead=person)
    other = make_org(person)
    other_team = make_team(other, lead=person)
    organisations.remove_member(owner, organisation.id, membership.id)
    assert organisations.role_in(person, organisation.id) is None
    teams_of_person = set(db.session.scalars(sa.select(TeamMember.team_id).where(TeamMember.user_id == person.id)))
    assert teams_of_person == {other_team.id} and team.id not in teams_of_person
    assert actions()[-1] == "membership.remove"


def test_the_last_owner_cannot_be_removed(org):
    organisation, owner = org
    with pytest.raises(Conflict):
        organisations.remove_member(owner, organisation.id, owner.memberships[0].id)


def test_remove_member_is_for_owners(org):
    organisation, owner = org
    facilitator = make_user()
    add_member(organisation, facilitator, "facilitator")
    with pytest.raises(Forbidden):
        organisations.remove_member(facilitator, organisation.id, owner.memberships[0].id)


def test_members_are_listed_by_role_then_name(org):
    organisation, _ = org
    add_member(organisation, make_user("Zoe"), "viewer")
    add_member(organisation, make_user("Adam"), "viewer")
    add_member(organisation, make_user("Mia"), "member")
    listed = [(m.user.name, m.role) for m in organisations.members_of(organisation.id)]
    assert listed == [("Olive Owner", "owner"), ("Mia", "member"), ("Adam", "viewer"), ("Zoe", "viewer")]


def test_organisation_or_404(org):
    organisation, owner = org
    assert organisations.organisation_or_404(owner, organisation.id) == (organisation, "owner")
    with pytest.raises(NotFound):
        organisations.organisation_or_404(owner, organisation.id + 1000)
