"""Teams: create, rename, archive, profile, and who belongs to them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from .. import clock
from ..engine.catalog import Catalog
from ..extensions import db
from ..store.models import Assessment, Membership, Team, TeamMember, User
from . import permissions
from .audit import record
from .errors import Forbidden, Invalid, NotFound
from .organisations import require_role


def team_or_404(user: User, team_id: int) -> tuple[Team, str]:
    """The team and the user's role in its organisation; NotFound for strangers."""
    team = db.session.get(Team, team_id)
    if team is None:
        raise NotFound()
    return team, require_role(user, team.organisation_id)


def is_lead(user: User, team_id: int) -> bool:
    return bool(db.session.scalar(sa.select(TeamMember.lead).where(TeamMember.team_id == team_id, TeamMember.user_id == user.id)))


def teams_of(organisation_id: int, include_archived: bool = False) -> list[Team]:
    query = sa.select(Team).where(Team.organisation_id == organisation_id).order_by(Team.name)
    if not include_archived:
        query = query.where(Team.archived_at.is_(None))
    return list(db.session.scalars(query))


def open_self_assessments(organisation_id: int) -> dict[int, Assessment]:
    """Each team's open self-assessment (the latest period when there are several), by team id:
    what the organisation page points a new member to."""
    rows = db.session.scalars(
        sa.select(Assessment)
        .join(Team, Team.id == Assessment.team_id)
        .where(Team.organisation_id == organisation_id, Assessment.kind == "self", Assessment.status == "open")
        .order_by(Assessment.period, Assessment.id)
    )
    return {assessment.team_id: assessment for assessment in rows}


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise Invalid(_("Give the team a name."))
    return name[:120]


def create_team(user: User, organisation_id: int, name: str) -> Team:
    require_role(user, organisation_id, check=permissions.can_manage_teams)
    team = Team(organisation_id=organisation_id, name=_clean_name(name), profile={})
    db.session.add(team)
    db.session.flush()
    db.session.add(TeamMember(team_id=team.id, user_id=user.id, lead=True))
    record(user, organisation_id, "team.create", f"team:{team.id}", name=team.name)
    db.session.commit()
    return team


def rename_team(user: User, team_id: int, name: str) -> Team:
    team, role = team_or_404(user, team_id)
    _require_team_admin(user, team, role)
    team.name = _clean_name(name)
    record(user, team.organisation_id, "team.rename", f"team:{team.id}", name=team.name)
    db.session.commit()
    return team


def archive_team(user: User, team_id: int, archived: bool = True) -> Team:
    team, role = team_or_404(user, team_id)
    if not permissions.can_manage_teams(role):
        raise Forbidden()
    team.archived_at = clock.now() if archived else None
    record(user, team.organisation_id, "team.archive" if archived else "team.restore", f"team:{team.id}")
    db.session.commit()
    return team


def set_profile(user: User, team_id: int, catalog: Catalog, profile: dict[str, Any]) -> Team:
    """Store the team profile; only known questions and their options are accepted."""
    team, role = team_or_404(user, team_id)
    _require_team_admin(user, team, role)
    questions = {q.id: {o.id for o in q.options} for q in catalog.profile.questions}
    clean = {}
    for key, value in profile.items():
        if not value:
            continue
        if key not in questions or value not in questions[key]:
            raise Invalid(_("Choose one of the offered answers for each profile question."))
        clean[key] = value
    team.profile = clean
    record(user, team.organisation_id, "team.profile", f"team:{team.id}", profile=clean)
    db.session.commit()
    return team


def set_member(user: User, team_id: int, member_user_id: int, lead: bool) -> None:
    """Add an organisation member to the team (or change whether they lead it)."""
    team, role = team_or_404(user, team_id)
    if not permissions.can_manage_teams(role):
        raise Forbidden()
    in_org = db.session.scalar(
        sa.select(Membership.id).where(Membership.user_id == member_user_id, Membership.organisation_id == team.organisation_id)
    )
    if in_org is None:
        raise NotFound()
    row = db.session.scalar(sa.select(TeamMember).where(TeamMember.team_id == team.id, TeamMember.user_id == member_user_id))
    if row is None:
        db.session.add(TeamMember(team_id=team.id, user_id=member_user_id, lead=lead))
    else:
        row.lead = lead
    record(user, team.organisation_id, "team.member", f"team:{team.id}", user=member_user_id, lead=lead)
    db.session.commit()


def _require_team_admin(user: User, team: Team, role: str) -> None:
    if not permissions.can_edit_team(role, is_lead(user, team.id)):
        raise Forbidden()


def members_of_team(team_id: int) -> list[TeamMember]:
    """The team's members, leads first, then by name."""
    return list(
        db.session.scalars(
            sa.select(TeamMember)
            .join(User, User.id == TeamMember.user_id)
            .where(TeamMember.team_id == team_id)
            .order_by(TeamMember.lead.desc(), User.name, User.id)
        )
    )


def candidates_for(team: Team) -> list[User]:
    """Members of the team's organisation who are not in the team yet, by name."""
    in_team = sa.select(TeamMember.user_id).where(TeamMember.team_id == team.id)
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organisation_id == team.organisation_id, User.id.not_in(in_team))
            .order_by(User.name, User.id)
        )
    )


def remove_member(user: User, team_id: int, member_user_id: int) -> None:
    """Take a person out of the team (they stay in the organisation)."""
    team, role = team_or_404(user, team_id)
    if not permissions.can_manage_teams(role):
        raise Forbidden()
    row = db.session.scalar(sa.select(TeamMember).where(TeamMember.team_id == team.id, TeamMember.user_id == member_user_id))
    if row is None:
        raise NotFound()
    db.session.delete(row)
    record(user, team.organisation_id, "team.member.remove", f"team:{team.id}", user=member_user_id)
    db.session.commit()
