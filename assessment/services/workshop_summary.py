"""The workshop section of the assessment report, as plain values: who took part (counts by role,
never names), where people disagreed and what the group agreed, and the perception gaps by role.

Medians, spreads and disagreement come from engine.aggregate over the raw answers (consensus
left out), so the report states the same numbers as the results page; role groups follow
DESIGN.md "Privacy in groups" through result_values.role_groups (no group under 3 people).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction

import sqlalchemy as sa

from ..engine.aggregate import Aggregate, aggregate
from ..engine.answers import AnswerSet
from ..engine.catalog import ROLES, Catalog
from ..extensions import db
from ..store.models import Assessment, Consensus, Response
from .result_values import MIN_GROUP, role_groups

GAP = 2  # a perception gap: role medians that differ by this much or more


@dataclass(frozen=True)
class RoleCount:
    role: str
    count: int


@dataclass(frozen=True)
class AgreedRow:
    """One practice people disagreed on, or where the facilitator recorded an answer that differs
    from the median or added a note."""

    statement: str
    dimension: str
    answers: Mapping[str, int]  # raw answers -> how many
    median: str  # the raw answers' aggregate: "2", "1.5", "na", "unknown" or "unanswered"
    spread: int | None
    disagreement: bool
    agreed: str | None  # the consensus value, "0".."3" or "na"; None: none recorded
    note: str


@dataclass(frozen=True)
class GapRow:
    statement: str
    dimension: str
    medians: tuple[str | None, ...]  # one per role group, as `AgreedRow.median`; None: no numeric answer
    gap: float


@dataclass(frozen=True)
class WorkshopView:
    participants: int
    roles: tuple[RoleCount, ...]
    agreed: tuple[AgreedRow, ...]
    groups: tuple[RoleCount, ...]  # the role groups compared (roles under 3 people together as "others")
    gaps: tuple[GapRow, ...]
    min_group: int = MIN_GROUP

    @property
    def gaps_shown(self) -> bool:
        """Whether role groups could be compared at all (at least two groups of MIN_GROUP)."""
        return len(self.groups) >= 2


def workshop_view(assessment: Assessment, catalog: Catalog, answers: AnswerSet, lang: str) -> WorkshopView | None:
    """The section's values for a workshop; None for a self-assessment."""
    if assessment.kind != "workshop":
        return None
    raw = aggregate(catalog, replace(answers, consensus={}))
    names = {d.id: d.name.get(lang) for d in catalog.dimensions}
    dimension_of = catalog.dimension_of
    recorded = {c.practice_id: c for c in consensus_rows(assessment.id)}
    agreed = []
    for pid, stats in raw.items():
        consensus = recorded.get(pid)
        if stats.value == "not_asked" or not _worth_showing(stats, consensus):
            continue
        practice = catalog.practices[pid]
        agreed.append(
            AgreedRow(
                statement=practice.statement.get(lang),
                dimension=names[dimension_of[pid]],
                answers=stats.counts,
                median=_shown(stats),
                spread=stats.spread,
                disagreement=stats.disagreement,
                agreed=consensus.value if consensus else None,
                note=(consensus.note or "").strip() if consensus else "",
            )
        )
    groups = role_groups(answers.responses)
    return WorkshopView(
        participants=len(answers.responses),
        roles=role_counts(answers),
        agreed=tuple(agreed),
        groups=tuple(RoleCount(role, len(members)) for role, members in groups),
        gaps=perception_gaps(catalog, answers, groups, names, lang) if len(groups) >= 2 else (),
    )


def consensus_rows(assessment_id: int) -> list[Consensus]:
    return list(db.session.scalars(sa.select(Consensus).where(Consensus.assessment_id == assessment_id)))


def _worth_showing(stats: Aggregate, consensus: Consensus | None) -> bool:
    if stats.disagreement:
        return True
    if consensus is None:
        return False
    return bool((consensus.note or "").strip()) or consensus.value != _shown(stats)


def _shown(stats: Aggregate) -> str:
    value = stats.value
    return f"{float(value):g}" if isinstance(value, Fraction) else str(value)


def role_counts(answers: AnswerSet) -> tuple[RoleCount, ...]:
    """How many took part in each role, in the catalog's role order (counts only, never names)."""
    counts = Counter(r.role or "other" for r in answers.responses)
    order = {role: i for i, role in enumerate(ROLES)}
    return tuple(RoleCount(role, n) for role, n in sorted(counts.items(), key=lambda item: order.get(item[0], len(order))))


def perception_gaps(
    catalog: Catalog,
    answers: AnswerSet,
    groups: list[tuple[str, tuple]],
    names: Mapping[str, str],
    lang: str,
) -> tuple[GapRow, ...]:
    """Practices whose median differs by GAP or more between role groups, largest gap first."""
    by_group = [aggregate(catalog, replace(answers, responses=members, consensus={})) for _, members in groups]
    rows = []
    for pid in catalog.practices:
        values = [g[pid] for g in by_group]
        numbers = [v.value for v in values if isinstance(v.value, Fraction)]
        if len(numbers) < 2 or max(numbers) - min(numbers) < GAP:
            continue
        rows.append(
            GapRow(
                statement=catalog.practices[pid].statement.get(lang),
                dimension=names[catalog.dimension_of[pid]],
                medians=tuple(_shown(v) if v.value != "unanswered" else None for v in values),
                gap=float(max(numbers) - min(numbers)),
            )
        )
    return tuple(sorted(rows, key=lambda row: -row.gap))  # stable: catalog order among equal gaps


def fingerprint(assessment_id: int) -> list[object]:
    """What the section is made of beyond the stored result: roles and consensus notes (for the
    report cache key)."""
    roles = db.session.execute(
        sa.select(Response.id, Response.role, Response.removed_at)
        .where(Response.assessment_id == assessment_id)
        .order_by(Response.id)
    )
    consensus = sorted((c.practice_id, c.value, c.note, c.version) for c in consensus_rows(assessment_id))
    return [[list(row) for row in roles], consensus]
