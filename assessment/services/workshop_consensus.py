"""Consensus: the answer a workshop agreed on for a practice, with a note from the discussion.

Two facilitators may edit at once. The form carries the version it was read at (0: there was no
consensus yet); saving on an older version, losing the race of two first saves (the unique
constraint) or an update between our read and our write (`Consensus.version` is SQLAlchemy's
version counter, so a StaleDataError) all end in a ConsensusConflict that carries what the
other facilitator recorded. Nothing is overwritten without the facilitator having seen it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..store.models import Consensus, User
from .assessments import asked
from .audit import record
from .errors import Conflict, Invalid
from .workshops import workshop_or_404

VALUES = ("0", "1", "2", "3", "na")
NOTE_LENGTH = 4000


@dataclass(frozen=True)
class Recorded:
    """A consensus as stored, in plain values (what a conflict shows)."""

    value: str
    note: str
    version: int
    by: str


class ConsensusConflict(Conflict):
    """Another facilitator saved first; `current` is what they recorded."""

    def __init__(self, current: Recorded | None):
        super().__init__(_("Another facilitator recorded this practice while you were editing. Your answer is not saved yet."))
        self.current = current


def current_consensus(workshop_id: int, practice_id: str) -> Recorded | None:
    row = _row(workshop_id, practice_id)
    return None if row is None else _recorded(row)


def record_consensus(user: User, workshop_id: int, practice_id: str, value: str, note: str | None, version: int) -> Recorded:
    """Record the agreed answer read at `version` (0: none existed); ConsensusConflict when it changed since."""
    workshop = workshop_or_404(user, workshop_id)
    if workshop.status == "finalized":
        raise Conflict(_("This assessment is finalized: its answers can no longer change."))
    if practice_id not in asked(workshop):
        raise Invalid(_("This practice is not part of this questionnaire."))
    if value not in VALUES:
        raise Invalid(_("Choose the agreed answer: 0 to 3, or not applicable."))
    note = (note or "").strip()[:NOTE_LENGTH] or None
    row = _row(workshop.id, practice_id)
    if (row.version if row is not None else 0) != version:
        raise ConsensusConflict(None if row is None else _recorded(row))
    if row is None:
        row = Consensus(assessment_id=workshop.id, practice_id=practice_id)
        db.session.add(row)
    row.value, row.note, row.updated_by_id = value, note, user.id
    record(
        user, workshop.team.organisation_id, "workshop.consensus", f"assessment:{workshop.id}", practice=practice_id, value=value
    )
    try:
        db.session.commit()
    except (IntegrityError, StaleDataError):
        # The other save landed between our read and our write: show it, keep ours unsaved.
        db.session.rollback()
        raise ConsensusConflict(current_consensus(workshop_id, practice_id)) from None
    return _recorded(row)


def _row(workshop_id: int, practice_id: str) -> Consensus | None:
    query = sa.select(Consensus).where(Consensus.assessment_id == workshop_id, Consensus.practice_id == practice_id)
    return db.session.scalar(query.execution_options(populate_existing=True))


def _recorded(row: Consensus) -> Recorded:
    by = db.session.get(User, row.updated_by_id) if row.updated_by_id else None
    return Recorded(row.value, row.note or "", row.version, by.name if by else "")
