"""Workshop participants: join with a code (no account), answer the open dimension, follow along.

A participant is a Response with no user; the browser holds a random token (a cookie) whose
sha256 is stored, so the database never holds a usable token. Whoever holds the token can
change that response's answers and no other: the token is the only way in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from .. import clock
from ..engine.catalog import ROLES
from ..extensions import db
from ..store.models import Assessment, Response
from .assessments import AnswerInput, save_response_answers
from .errors import Conflict, Forbidden, Invalid, NotFound
from .progress import Page, progress_of
from .workshops import normalise_code

NAME_LENGTH = 80


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def workshop_for_code(code: str | None) -> Assessment:
    """The workshop a code admits newcomers to now, else a refusal that says why."""
    code = normalise_code(code)
    if not code:
        raise Invalid(_("Enter the code shown by the facilitator."))
    workshop = db.session.scalar(sa.select(Assessment).where(Assessment.join_code == code, Assessment.kind == "workshop"))
    if workshop is None:
        raise NotFound(_("There is no workshop with this code. Check the code on the facilitator's screen."))
    if workshop.status == "draft":
        raise Conflict(_("This workshop has not started yet. Try again when the facilitator opens it."))
    if workshop.status == "paused":
        raise Conflict(_("This workshop is paused. Wait for the facilitator, then try again."))
    if workshop.status in ("closed", "finalized"):
        raise Conflict(_("This workshop is closed: it takes no more answers."))
    if workshop.join_expires_at is None or workshop.join_expires_at <= clock.now():
        raise Conflict(_("This code has expired. Ask the facilitator for a new one."))
    return workshop


def join(code: str | None, display_name: str | None, role: str | None, token: str | None = None) -> tuple[Response, str]:
    """Join a workshop; returns the response and the token for the cookie.

    With the token of a live response of the same workshop (a reconnect), that response is
    kept (its name and role updated) rather than counted twice.
    """
    workshop = workshop_for_code(code)
    if role not in ROLES:
        raise Invalid(_("Choose your role."))
    name = (display_name or "").strip()[:NAME_LENGTH] or None
    response = participant(token) if token else None
    if response is not None and response.assessment_id == workshop.id and response.removed_at is not None:
        raise Forbidden(_("The facilitator took you out of this workshop."))  # the same browser, back again
    if response is None or response.assessment_id != workshop.id:
        token = secrets.token_urlsafe(32)
        response = Response(assessment_id=workshop.id, participant_token_hash=token_hash(token))
        db.session.add(response)
    response.display_name, response.role = name, role
    db.session.commit()
    assert token is not None
    return response, token


def participant(token: str | None) -> Response | None:
    """The response a cookie token belongs to, if any."""
    if not token:
        return None
    return db.session.scalar(sa.select(Response).where(Response.participant_token_hash == token_hash(token)))


@dataclass(frozen=True)
class Seat:
    """What a participant's page shows: the workshop's state and, when open, the questions."""

    response: Response
    workshop: Assessment
    page: Page | None  # the open dimension with the participant's answers; None unless answering is possible

    @property
    def state(self) -> str:
        """ "removed", or the workshop's status."""
        return "removed" if self.response.removed_at is not None else self.workshop.status

    @property
    def key(self) -> str:
        """Changes exactly when the page must change (the poll compares it)."""
        return f"{self.state}:{self.workshop.open_dimension or ''}"


def seat_of(token: str | None, questions: bool = True) -> Seat:
    """The participant's seat; `questions=False` leaves the page out (a poll only compares the key)."""
    response = participant(token)
    if response is None:
        raise Forbidden(_("Join the workshop with its code first."))
    workshop = response.assessment
    page = None
    if questions and workshop.status == "open" and response.removed_at is None and workshop.open_dimension:
        page = progress_of(workshop, response).page(workshop.open_dimension)
    return Seat(response, workshop, page)


def answer(token: str | None, practice_id: str, value: str | None) -> None:
    """Save (or with no value, clear) the participant's answer to one practice of the open dimension."""
    seat = seat_of(token)
    if seat.state == "removed":
        raise Forbidden(_("The facilitator took you out of this workshop."))
    if seat.state == "paused":
        raise Conflict(_("The workshop is paused: wait for the facilitator."))
    if seat.state != "open":
        raise Conflict(_("This workshop is closed: it takes no more answers."))
    if seat.page is None or practice_id not in {p.id for p in seat.page.practices}:
        raise Conflict(_("The facilitator has moved on to another dimension; this answer was not saved."))
    save_response_answers(seat.response, {practice_id: AnswerInput(value)})
