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
from ..store.models import Invitation, Membership, Organisation, User
from . import permissions
from .audit import record
from .errors import Conflict, Forbidden, Invalid, NotFound

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


def find_invitation(token: str) -> Invitation:
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.token_hash == _token_hash(token)))
    if invitation is None:
        raise NotFound(_("This invitation link is not valid."))
    if invitation.used_at is not None:
        raise Conflict(_("This invitation has already been used."))
    if invitation.expires_at < clock.now():
        raise Conflict(_("This invitation has expired. Ask for a new one."))
    return invitation


def accept_invitation(user: User, token: str) -> Organisation:
    invitation = find_invitation(token)
    existing = db.session.scalar(
        sa.select(Membership).where(Membership.user_id == user.id, Membership.organisation_id == invitation.organisation_id)
    )
    if existing is None:
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
    membership = db.session.scalar(
        sa.select(Membership).where(Membership.id == member_id, Membership.organisation_id == organisation_id)
    )
    if membership is None:
        raise NotFound()
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
