"""Live workshops run by a facilitator: create, open, pause, resume, close, finalize.

A workshop is an assessment of kind "workshop" (DESIGN.md, "Consultant-led workshop"):
draft -> open <-> paused -> closed -> finalized. Participants join with a short code while it
is open; the facilitator opens one dimension at a time; once closed, no more answers come in
and the facilitator settles the remaining consensus before finalizing (services.assessments.finalize).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from .. import clock
from ..engine.catalog import Catalog
from ..extensions import db
from ..store.models import Assessment, Response, User
from . import assessments, permissions
from .audit import record
from .errors import Conflict, Forbidden, Invalid, NotFound
from .progress import progress_of
from .teams import team_or_404

# No 0/O, 1/I/L: a code read off a projector or a phone photo cannot be mistyped into another one.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6  # 31**6, about 887 million codes
# The code admits newcomers for this long after the workshop is opened or resumed (a session
# lasts an hour or two; a code photographed today is useless tomorrow). People who already
# joined keep their seat through their cookie.
JOIN_WINDOW = timedelta(hours=12)

# action -> (states it may start from, the state it leads to)
TRANSITIONS = {
    "open": (("draft",), "open"),
    "pause": (("open",), "paused"),
    "resume": (("paused", "closed"), "open"),
    "close": (("open", "paused"), "closed"),
}


def workshop_or_404(user: User, workshop_id: int) -> Assessment:
    """The workshop, for its organisation's owners and facilitators; NotFound for strangers and other kinds."""
    assessment, role = assessments.assessment_or_404(user, workshop_id)
    if assessment.kind != "workshop":
        raise NotFound()
    if not permissions.can_run_workshop(role):
        raise Forbidden()
    return assessment


def create_workshop(
    user: User, team_id: int, catalog: Catalog, questionnaire: Any = "full", period: str | None = None
) -> Assessment:
    """A draft workshop for the team with a fresh join code; the first dimension is the open one."""
    team, role = team_or_404(user, team_id)
    if not permissions.can_run_workshop(role):
        raise Forbidden()
    workshop = assessments.new_assessment(user, team, catalog, questionnaire, period, "workshop", status="draft")
    workshop.join_code = new_join_code()
    first = progress_of(workshop, None).pages
    workshop.open_dimension = first[0].dimension.id if first else None
    db.session.commit()
    return workshop


def new_join_code() -> str:
    """A random code that no workshop uses (the unique constraint catches the rare race)."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(sa.select(Assessment.id).where(Assessment.join_code == code)) is None:
            return code


def normalise_code(text: str | None) -> str:
    """What a person typed, as a code: upper case, without spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch not in " -\t")


def change_state(user: User, workshop_id: int, action: str) -> Assessment:
    """open, pause, resume or close; opening or resuming starts a new join window."""
    workshop = workshop_or_404(user, workshop_id)
    if action not in TRANSITIONS:
        raise Invalid(_("This action is not allowed here."))
    sources, target = TRANSITIONS[action]
    if workshop.status not in sources:
        raise Conflict(_("The workshop is %(status)s: it cannot do that now.", status=_status_word(workshop.status)))
    workshop.status = target
    if target == "open":
        workshop.join_expires_at = clock.now() + JOIN_WINDOW
    record(user, workshop.team.organisation_id, f"workshop.{action}", f"assessment:{workshop.id}")
    db.session.commit()
    return workshop


def _status_word(status: str) -> str:
    words = {
        "draft": _("not started"),
        "open": _("open"),
        "paused": _("paused"),
        "closed": _("closed"),
        "finalized": _("finalized"),
    }
    return str(words.get(status, status))


def open_dimension(user: User, workshop_id: int, dimension_id: str) -> Assessment:
    """The dimension participants answer now (one of the questionnaire's pages)."""
    workshop = workshop_or_404(user, workshop_id)
    if workshop.status == "finalized":
        raise Conflict(_("This assessment is finalized: its answers can no longer change."))
    if progress_of(workshop, None).page(dimension_id) is None:
        raise Invalid(_("This dimension is not part of this workshop."))
    workshop.open_dimension = dimension_id
    record(user, workshop.team.organisation_id, "workshop.dimension", f"assessment:{workshop.id}", dimension=dimension_id)
    db.session.commit()
    return workshop


def remove_participant(user: User, workshop_id: int, response_id: int) -> Response:
    """Take a participant out: their answers no longer count (they stay stored), their cookie stops working."""
    workshop = workshop_or_404(user, workshop_id)
    response = db.session.get(Response, response_id)
    if response is None or response.assessment_id != workshop.id:
        raise NotFound()
    if workshop.status == "finalized":
        raise Conflict(_("This assessment is finalized: its answers can no longer change."))
    if response.removed_at is None:
        response.removed_at = clock.now()
        record(user, workshop.team.organisation_id, "workshop.remove_participant", f"response:{response.id}")
        db.session.commit()
    return response


def finish(user: User, workshop_id: int) -> Assessment:
    """Finalize a closed workshop into a normal finalized assessment (answers, consensus and notes kept)."""
    workshop = workshop_or_404(user, workshop_id)
    if workshop.status != "closed":
        raise Conflict(_("Close the workshop first: then no more answers come in while you finalize."))
    return assessments.finalize(user, workshop.id)


def participants(workshop: Assessment) -> list[Response]:
    """Everyone who joined, in the order they joined (removed ones too, marked)."""
    return sorted(workshop.responses, key=lambda r: r.id)


def workshops_of_team(team_id: int) -> list[Assessment]:
    return list(
        db.session.scalars(
            sa.select(Assessment)
            .where(Assessment.team_id == team_id, Assessment.kind == "workshop")
            .order_by(Assessment.period.desc(), Assessment.id.desc())
        )
    )
