"""Who may do what: small pure predicates over a membership role (and team lead flag).

Services enforce them; views use them to hide links. Roles: owner (everything, incl. members
and settings), facilitator (runs assessments and workshops, sees individual answers), member
(answers, sees aggregates), viewer (reads results).
"""

from __future__ import annotations

Role = str | None  # None: not a member of the organisation

STAFF = ("owner", "facilitator")


def can_read(role: Role) -> bool:
    return role in ("owner", "facilitator", "member", "viewer")


def can_manage_organisation(role: Role) -> bool:
    return role == "owner"


def can_manage_units(role: Role) -> bool:
    """Create, rename, move and delete organisation units, and put teams in them."""
    return role == "owner"


def can_manage_teams(role: Role) -> bool:
    return role in STAFF


def can_edit_team(role: Role, lead: bool = False) -> bool:
    """Rename a team and answer its profile: staff, or a member who leads the team."""
    return role in STAFF or (role == "member" and lead)


def can_start_assessment(role: Role, lead: bool = False) -> bool:
    return role in STAFF or (role == "member" and lead)


def can_finalize(role: Role, lead: bool = False) -> bool:
    return can_start_assessment(role, lead)


def can_run_workshop(role: Role) -> bool:
    """Create, run and settle a live workshop (it shows who answered what): staff only."""
    return role in STAFF


def can_reopen(role: Role) -> bool:
    return role == "owner"


def can_answer(role: Role) -> bool:
    return role in ("owner", "facilitator", "member")


def can_see_individual_answers(role: Role) -> bool:
    return role in STAFF
