"""Organisations, memberships and invitations."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from .. import clock
from ..extensions import db
from ..store.accounts import ROLES
from ..store.models import Invitation, Membership, Organisation, Team, TeamMember, User
from . import permissions
from .audit import record
from .errors import Conflict, Forbidden, Invalid, NotFound, ServiceError

INVITATION_DAYS = 7


def role_in(user: User | None, organisation_id: int) -> str | None:
    """The user's role in the organisation, or None when not a member."""
    if user is None or not getattr(user, "id", None):
        return None
    return db.session.scalar(
        sa.select(Membership.role).where(Membership.user_id == user.id, Membership.organisation_id == organisation_id)
    )


def organisations_of(user: User) -> list[tuple[Organisation, str]]:
    rows = db.session.execute(
        sa.select(Organisation, Membership.role)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user.id)
        .order_by(Organisation.name)
    )
    return [(org, role) for org, role in rows]


def create_organisation(user: User, name: str) -> Organisation:
    name = name.strip()
    if not name:
        raise Invalid(_("Give the organisation a name."))
    organisation = Organisation(name=name[:120])
    db.session.add(organisation)
    db.session.flush()
    db.session.add(Membership(user_id=user.id, organisation_id=organisation.id, role="owner"))
    record(user, organisation.id, "organisation.create", f"organisation:{organisation.id}", name=name)
    db.session.commit()
    return organisation


def require_role(user: User, organisation_id: int, check: Callable[[str], bool] | None = None) -> str:
    """The acting user's role; NotFound when not a member, Forbidden when `check` says no."""
    role = role_in(user, organisation_id)
    if role is None:
        raise NotFound()
    if check is not None and not check(role):
        raise Forbidden()
    return role


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invite(user: User, organisation_id: int, role: str, email: str | None = None) -> str:
    """Create a single-use invitation; returns the secret token for the link (shown once)."""
    require_role(user, organisation_id, check=permissions.can_manage_organisation)
    if role not in ROLES:
        raise Invalid(_("Choose a role."))
    token = secrets.token_urlsafe(24)
    db.session.add(
        Invitation(
            organisation_id=organisation_id,
            token_hash=_token_hash(token),
            role=role,
            email=(email or "").strip().lower() or None,
            created_by_id=user.id,
            expires_at=clock.now() + timedelta(days=INVITATION_DAYS),
        )
    )
    record(user, organisation_id, "invitation.create", f"organisation:{organisation_id}", role=role)
    db.session.commit()
    return token


def invitation_problem(token: str) -> tuple[Invitation | None, ServiceError | None]:
    """The invitation behind a link, or why the link cannot be used (without raising)."""
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.token_hash == _token_hash(token)))
    if invitation is None:
        return None, NotFound(_("This invitation link is not valid. Check that you copied the whole link."))
    if invitation.used_at is not None:
        return invitation, Conflict(_("This invitation has already been used. Each link works only once."))
    if invitation.expires_at < clock.now():
        return invitation, Conflict(_("This invitation has expired. Ask the person who invited you for a new one."))
    return invitation, None


def find_invitation(token: str) -> Invitation:
    """The usable invitation behind a link; NotFound or Conflict (with the reason) otherwise."""
    invitation, problem = invitation_problem(token)
    if problem is not None:
        raise problem
    assert invitation is not None
    return invitation


def accept_invitation(user: User, token: str) -> Organisation:
    """Make the user a member with the invitation's role; the link is used up."""
    invitation = find_invitation(token)
    if role_in(user, invitation.organisation_id) is not None:
        # A member keeps the role they have; the link stays usable for the person it was meant for.
        raise Conflict(_("You already belong to this organisation."))
    db.session.add(Membership(user_id=user.id, organisation_id=invitation.organisation_id, role=invitation.role))
    invitation.used_at = clock.now()
    invitation.used_by_id = user.id
    record(user, invitation.organisation_id, "invitation.accept", f"invitation:{invitation.id}", role=invitation.role)
    db.session.commit()
    return invitation.organisation


def change_role(user: User, organisation_id: int, member_id: int, role: str) -> None:
    require_role(user, organisation_id, check=permissions.can_manage_organisation)
    if role not in ROLES:
        raise Invalid(_("Choose a role."))
    membership = _membership_or_404(organisation_id, member_id)
    if membership.role == "owner" and role != "owner" and _owner_count(organisation_id) == 1:
        raise Conflict(_("An organisation needs at least one owner."))
    membership.role = role
    record(user, organisation_id, "membership.role", f"membership:{member_id}", role=role)
    db.session.commit()


def _owner_count(organisation_id: int) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Membership)
            .where(Membership.organisation_id == organisation_id, Membership.role == "owner")
        )
        or 0
    )


def _membership_or_404(organisation_id: int, member_id: int) -> Membership:
    membership = db.session.scalar(
        sa.select(Membership).where(Membership.id == member_id, Membership.organisation_id == organisation_id)
    )
    if membership is None:
        raise NotFound()
    return membership


def organisation_or_404(user: User, organisation_id: int) -> tuple[Organisation, str]:
    """The organisation and the user's role in it; NotFound for strangers."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound()
    return organisation, require_role(user, organisation_id)


def members_of(organisation_id: int) -> list[Membership]:
    """Every membership of the organisation, owners first, then by name."""
    order = sa.case({role: index for index, role in enumerate(ROLES)}, value=Membership.role)
    return list(
        db.session.scalars(
            sa.select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(Membership.organisation_id == organisation_id)
            .order_by(order, User.name, User.id)
        )
    )


def pending_invitations(user: User, organisation_id: int) -> list[Invitation]:
    """Invitations not yet used and not expired, soonest expiry first (owners only)."""
    require_role(user, organisation_id, check=permissions.can_manage_organisation)
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .where(
                Invitation.organisation_id == organisation_id,
                Invitation.used_at.is_(None),
                Invitation.expires_at >= clock.now(),
            )
            .order_by(Invitation.expires_at, Invitation.id)
        )
    )


def revoke_invitation(user: User, organisation_id: int, invitation_id: int) -> None:
    """Withdraw an unused invitation: its link stops working."""
    require_role(user, organisation_id, check=permissions.can_manage_organisation)
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.id == invitation_id, Invitation.organisation_id == organisation_id)
    )
    if invitation is None:
        raise NotFound()
    if invitation.used_at is not None:
        raise Conflict(_("This invitation has already been used."))
    db.session.delete(invitation)
    record(user, organisation_id, "invitation.revoke", f"invitation:{invitation_id}", role=invitation.role)
    db.session.commit()


def remove_member(user: User, organisation_id: int, member_id: int) -> None:
    """Take a person out of the organisation and its teams; the last owner stays."""
    require_role(user, organisation_id, check=permissions.can_manage_organisation)
    membership = _membership_or_404(organisation_id, member_id)
    if membership.role == "owner" and _owner_count(organisation_id) == 1:
        raise Conflict(_("An organisation needs at least one owner."))
    team_ids = sa.select(Team.id).where(Team.organisation_id == organisation_id)
    db.session.execute(sa.delete(TeamMember).where(TeamMember.user_id == membership.user_id, TeamMember.team_id.in_(team_ids)))
    record(user, organisation_id, "membership.remove", f"membership:{member_id}", user=membership.user_id)
    db.session.delete(membership)
    db.session.commit()
