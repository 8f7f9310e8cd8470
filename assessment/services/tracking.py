"""Roadmap tracking, kept up to date as iterations are finalized or reopened.

`retrack_team` derives every tracked roadmap's item tracking again from the team's finalized
iterations (`engine.tracking`): finalize and reopen call it, so nothing points at an iteration
that is no longer finalized. A roadmap's iterations are those after its own assessment's period
and, once it is superseded by a re-plan, up to the period the re-plan was made from: the old
roadmap's history ends where the new one starts.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from ..engine import tracking as engine
from ..engine.versions import version_key, version_map
from ..extensions import db
from ..store.models import Assessment, Roadmap
from .catalogs import catalog_of, version_chain

TRACKED = ("accepted", "superseded")


def finalized_iterations(team_id: int) -> list[Assessment]:
    """The team's finalized assessments (self and workshop), oldest first."""
    return list(
        db.session.scalars(
            sa.select(Assessment)
            .where(Assessment.team_id == team_id, Assessment.status == "finalized")
            .order_by(Assessment.period, Assessment.finalized_at, Assessment.id)
        )
    )


def window(roadmap: Roadmap, iterations: Sequence[Assessment], successor: Roadmap | None) -> list[Assessment]:
    """The iterations that count for a roadmap: after its assessment, up to its re-plan's."""
    start = roadmap.assessment.period
    end = successor.assessment.period if successor is not None else None
    return [a for a in iterations if a.period > start and (end is None or a.period <= end)]


def outcomes(roadmap: Roadmap, iterations: Sequence[Assessment]) -> dict[str, engine.Outcome]:
    """Each item's tracking over these iterations (oldest first), by practice id."""
    evidence = [engine.Iteration(a.id, a.period, _values_as_planned(roadmap, a)) for a in iterations]
    baseline = engine.practice_values(roadmap.assessment.result)
    return {
        item.practice_id: engine.track(
            engine.PlannedItem(item.practice_id, due_period(roadmap, item.stage, item.status), baseline.get(item.practice_id)),
            evidence,
        )
        for item in roadmap.items
    }


def _values_as_planned(roadmap: Roadmap, iteration: Assessment) -> dict[str, engine.StoredValue]:
    """The iteration's aggregated answers under the practice ids of the roadmap's catalog version:
    an iteration answered on a newer version reaches a renamed practice through `replaces`."""
    values = engine.practice_values(iteration.result)
    if iteration.snapshot_id == roadmap.assessment.snapshot_id:
        return values
    planned_on, answered_on = catalog_of(roadmap.assessment.snapshot), catalog_of(iteration.snapshot)
    if planned_on.id != answered_on.id or version_key(answered_on.version) <= version_key(planned_on.version):
        return values
    ids = version_map(version_chain(planned_on, answered_on)).ids
    return {old: values[new] for old, new in ids.items() if new is not None and new in values}


def due_period(roadmap: Roadmap, stage: int | None, status: str = "planned") -> str | None:
    """The last period of the item's stage; None for the backlog and dropped items (never due)."""
    if stage is None or status == "dropped":
        return None
    return engine.stage_last_period(roadmap.start_period, stage, roadmap.stage_length)


def successors(team_id: int) -> dict[int, Roadmap]:
    """Tracked roadmaps by the id of the roadmap each re-planned."""
    rows = db.session.scalars(
        sa.select(Roadmap).where(Roadmap.team_id == team_id, Roadmap.status.in_(TRACKED), Roadmap.replanned_from_id.is_not(None))
    )
    return {r.replanned_from_id: r for r in rows if r.replanned_from_id is not None}


def retrack_team(team_id: int) -> None:
    """Track every accepted and superseded roadmap of the team again; the caller commits."""
    roadmaps = list(db.session.scalars(sa.select(Roadmap).where(Roadmap.team_id == team_id, Roadmap.status.in_(TRACKED))))
    if not roadmaps:
        return
    iterations = finalized_iterations(team_id)
    after = successors(team_id)
    for roadmap in roadmaps:
        found = outcomes(roadmap, window(roadmap, iterations, after.get(roadmap.id)))
        for item in roadmap.items:
            outcome = found[item.practice_id]
            item.tracking, item.tracked_assessment_id, item.tracked_value = outcome.tracking, outcome.assessment_id, outcome.value
