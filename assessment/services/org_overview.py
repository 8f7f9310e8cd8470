"""The organisation overview: every team's latest level, score and trend, a heatmap of teams by
dimension rolled up by unit, the weakest dimensions and the practices most teams lack.

Numbers come from what finalize stored (`Assessment.overall_score` and `Assessment.summary`,
copies of parts of `Assessment.result`); nothing is re-scored here. The page reads a fixed number
of queries whatever the number of teams and iterations: the teams, the units, every finalized
iteration's overall score (sparklines), each team's latest summary (one window query) and the
catalog versions those pin.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import defer

from ..engine.catalog import Catalog
from ..engine.rollup import (
    Mean,
    TeamScores,
    dimension_means,
    overall_mean,
    practices_lacking,
    teams_by_unit,
    weakest_dimensions,
)
from ..extensions import db
from ..store.models import Assessment, CatalogSnapshot, Team, Unit, User
from . import permissions, units
from .catalogs import catalog_of
from .errors import NotFound
from .organisations import organisation_or_404

WEAKEST = 3
LACKING = 10


class Cell(NamedTuple):
    """One heatmap cell: a score with its band (0-5, for the colour) and text, or why there is none.

    A named tuple, not a dataclass: a page of 500 teams makes 5000 of them.
    """

    score: float | None
    status: str  # "scored", "not_applicable", "not_measured", or "none" (no result)
    band: int | None = None
    text: str = ""  # the score as the page shows it

    @classmethod
    def of(cls, score: float | None, status: str) -> Cell:
        if score is None:
            return cls(None, status)
        return cls(score, "scored", min(5, max(0, math.floor(score))), f"{score:.2f}")


@dataclass(frozen=True)
class TeamRow:
    id: int
    name: str
    depth: int  # indentation under its unit
    period: str | None  # of the latest finalized assessment
    level: int | None
    level_name: str
    overall: float | None
    trend: tuple[float, ...]  # overall score of every finalized iteration, oldest first
    trend_periods: tuple[str, str] | None  # first and last
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class RollupRow:
    """The organisation, a unit (with every unit below it) or the teams in no unit."""

    kind: str  # "organisation", "unit" or "none"
    id: int | None
    name: str
    depth: int
    teams: int
    assessed: int
    overall: float | None
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class DimensionHead:
    id: str
    name: str


@dataclass(frozen=True)
class WeakDimension:
    id: str
    name: str
    mean: float
    teams: int


@dataclass(frozen=True)
class LackingPractice:
    id: str
    statement: str
    dimension: str
    level: int
    teams: int
    of: int

    @property
    def share(self) -> float:
        return self.teams / self.of if self.of else 0.0


@dataclass(frozen=True)
class Overview:
    organisation_id: int
    organisation_name: str
    role: str
    may_manage_units: bool
    dimensions: tuple[DimensionHead, ...]
    organisation: RollupRow
    rows: tuple[RollupRow | TeamRow, ...]  # in tree order: a unit's row, its own teams, then its units
    weakest: tuple[WeakDimension, ...]
    lacking: tuple[LackingPractice, ...]
    has_units: bool
    focus: units.UnitNode | None = None  # the unit the page is narrowed to (with the units inside it)

    @property
    def teams(self) -> int:
        return self.organisation.teams

    @property
    def assessed(self) -> int:
        return self.organisation.assessed


def overview(user: User, organisation_id: int, lang: str, unit_id: int | None = None) -> Overview:
    """Every member may read it (viewers too: leaders read); `unit_id` narrows it to that unit's teams."""
    organisation, role = organisation_or_404(user, organisation_id)
    team_rows = _teams(organisation_id)
    unit_list = units.units_of(organisation_id)
    focus = None
    if unit_id is not None:
        focus = next((n for n in units.tree(unit_list) if n.id == unit_id), None)
        if focus is None:
            raise NotFound()
        inside = units.descendants(unit_list, unit_id)
        unit_list = [u for u in unit_list if u.id in inside]
        team_rows = [t for t in team_rows if t.unit_id in inside]
    trends = _trends(organisation_id)
    shown = {t.id for t in team_rows}
    latest = {team_id: row for team_id, row in _latest(organisation_id).items() if team_id in shown}
    catalogs = _catalogs({row.snapshot_id for row in latest.values()})
    scores = [_scores(team, latest.get(team.id)) for team in team_rows]
    main = _main_catalog(latest, catalogs)
    dims = _dimension_order(main, scores)
    names = _names(main, catalogs.values(), lang)
    heads = tuple(DimensionHead(d, names.get(d, d)) for d in dims)
    return Overview(
        organisation_id=organisation.id,
        organisation_name=organisation.name,
        role=role,
        may_manage_units=permissions.can_manage_units(role),
        dimensions=heads,
        organisation=_rollup("organisation", None, organisation.name, 0, scores, dims),
        rows=tuple(_rows(team_rows, unit_list, scores, trends, latest, dims, main, lang)),
        weakest=tuple(_weakest(scores, dims, names)),
        lacking=tuple(_lacking(scores, main, catalogs.values(), lang)),
        has_units=bool(unit_list),
        focus=focus,
    )


# Queries: one each, whatever the size of the organisation


def _rows_of(query: sa.Select) -> Sequence[sa.Row]:
    """Plain rows through the session's connection: no ORM row processing (a third of the time here)."""
    return db.session.connection().execute(query).all()


def _active_teams(organisation_id: int) -> sa.Select:
    return sa.select(Team.id).where(Team.organisation_id == organisation_id, Team.archived_at.is_(None))


def _teams(organisation_id: int) -> list[sa.Row]:
    return list(
        _rows_of(
            sa.select(Team.id, Team.name, Team.unit_id).where(Team.organisation_id == organisation_id, Team.archived_at.is_(None))
        )
    )


def _trends(organisation_id: int) -> dict[int, list[tuple[str, float | None]]]:
    """Each team's finalized iterations, oldest first: (period, overall score)."""
    rows = _rows_of(
        sa.select(Assessment.team_id, Assessment.period, Assessment.overall_score)
        .where(Assessment.team_id.in_(_active_teams(organisation_id)), Assessment.status == "finalized")
        .order_by(Assessment.team_id, Assessment.period, Assessment.id)
    )
    trends: dict[int, list[tuple[str, float | None]]] = {}
    for team_id, period, overall in rows:
        trends.setdefault(team_id, []).append((period, overall))
    return trends


def _latest(organisation_id: int) -> dict[int, sa.Row]:
    """Each team's latest finalized assessment (latest period; the later one within a period)."""
    ranked = (
        sa.select(
            Assessment.id,
            sa.func.row_number()
            .over(partition_by=Assessment.team_id, order_by=(Assessment.period.desc(), Assessment.id.desc()))
            .label("rank"),
        )
        .where(Assessment.team_id.in_(_active_teams(organisation_id)), Assessment.status == "finalized")
        .subquery()
    )
    rows = _rows_of(
        sa.select(Assessment.team_id, Assessment.period, Assessment.overall_score, Assessment.summary, Assessment.snapshot_id)
        .join(ranked, ranked.c.id == Assessment.id)
        .where(ranked.c.rank == 1)
    )
    return {row.team_id: row for row in rows}


def _catalogs(snapshot_ids: set[int]) -> dict[int, Catalog]:
    """The catalog versions the latest results pin; content is read only when not parsed before."""
    if not snapshot_ids:
        return {}
    snapshots = db.session.scalars(
        sa.select(CatalogSnapshot).options(defer(CatalogSnapshot.content)).where(CatalogSnapshot.id.in_(snapshot_ids))
    )
    return {s.id: catalog_of(s) for s in snapshots}


# Building the page


def _scores(team: sa.Row, latest: sa.Row | None) -> TeamScores:
    if latest is None or latest.summary is None:
        return TeamScores(team.id, team.unit_id)
    summary = latest.summary
    return TeamScores(
        team.id,
        team.unit_id,
        latest.overall_score,
        summary.get("level"),
        summary.get("dimensions", {}),
        frozenset(summary.get("below", ())),
    )


def _main_catalog(latest: Mapping[int, sa.Row], catalogs: Mapping[int, Catalog]) -> Catalog | None:
    """The catalog most teams' latest results use (the newest on a tie): its order and names lead."""
    if not latest:
        return None
    counts: dict[int, int] = {}
    for row in latest.values():
        counts[row.snapshot_id] = counts.get(row.snapshot_id, 0) + 1
    return catalogs[max(counts, key=lambda s: (counts[s], s))]


def _dimension_order(main: Catalog | None, scores: Sequence[TeamScores]) -> list[str]:
    """The main catalog's dimensions, then any others the teams' results have, as first met."""
    order = {d.id: None for d in main.dimensions} if main else {}
    for team in scores:
        order.update(dict.fromkeys(team.dimensions))  # a dict keeps the order first met
    return list(order)


def _names(main: Catalog | None, catalogs: Sequence[Catalog], lang: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for catalog in [c for c in catalogs if c is not main] + ([main] if main else []):  # the main one wins
        names.update({d.id: d.name.get(lang) for d in catalog.dimensions})
    return names


def _cells(team: TeamScores, dims: Sequence[str]) -> tuple[Cell, ...]:
    cells = []
    for d in dims:
        value = team.dimensions.get(d)
        cells.append(Cell.of(value, "scored") if isinstance(value, int | float) else Cell(None, value or "none"))
    return tuple(cells)


def _rollup(kind: str, unit_id: int | None, name: str, depth: int, teams: Sequence[TeamScores], dims: Sequence[str]) -> RollupRow:
    means = dimension_means(teams, dims)
    return RollupRow(
        kind,
        unit_id,
        name,
        depth,
        len(teams),
        sum(1 for t in teams if t.assessed),
        overall_mean(teams).value,
        tuple(_mean_cell(means[d]) for d in dims),
    )


def _mean_cell(mean: Mean) -> Cell:
    return Cell.of(mean.value, "none")


def _rows(
    team_rows: Sequence[sa.Row],
    unit_list: Sequence[Unit],
    scores: Sequence[TeamScores],
    trends: Mapping[int, list[tuple[str, float | None]]],
    latest: Mapping[int, sa.Row],
    dims: Sequence[str],
    main: Catalog | None,
    lang: str,
) -> list[RollupRow | TeamRow]:
    """A unit's roll-up row, then its own teams, then the units below it; last the teams in no unit."""
    by_team = {s.team_id: s for s in scores}
    names = {t.id: t.name for t in team_rows}
    ordered = sorted(scores, key=lambda s: (names[s.team_id].casefold(), s.team_id))

    def team_row(team: TeamScores, depth: int) -> TeamRow:
        trend = [(p, v) for p, v in trends.get(team.team_id, ()) if v is not None]
        row = latest.get(team.team_id)
        return TeamRow(
            team.team_id,
            names[team.team_id],
            depth,
            row.period if row else None,
            team.level,
            main.level_name(team.level, lang) if main else "",
            team.overall,
            tuple(v for _p, v in trend),
            (trend[0][0], trend[-1][0]) if trend else None,
            _cells(by_team[team.team_id], dims),
        )

    if not unit_list:
        return [team_row(t, 0) for t in ordered]
    parents = {u.id: u.parent_id for u in unit_list}
    within = teams_by_unit(parents, ordered)
    rows: list[RollupRow | TeamRow] = []
    for node in units.tree(unit_list):
        rows.append(_rollup("unit", node.id, node.name, node.depth, within[node.id], dims))
        rows.extend(team_row(t, node.depth + 1) for t in ordered if t.unit_id == node.id)
    loose = [t for t in ordered if t.unit_id not in parents]
    if loose:
        rows.append(_rollup("none", None, "", 0, loose, dims))
        rows.extend(team_row(t, 1) for t in loose)
    return rows


def _weakest(scores: Sequence[TeamScores], dims: Sequence[str], names: Mapping[str, str]) -> list[WeakDimension]:
    means = dimension_means(scores, dims)
    return [WeakDimension(d, names.get(d, d), m.value, m.teams) for d, m in weakest_dimensions(means, dims, WEAKEST)]  # type: ignore[arg-type]


def _lacking(scores: Sequence[TeamScores], main: Catalog | None, catalogs: Sequence[Catalog], lang: str) -> list[LackingPractice]:
    practices, dimension_names = {}, {}
    for catalog in [c for c in catalogs if c is not main] + ([main] if main else []):  # the main one wins
        for dimension in catalog.dimensions:
            dimension_names[dimension.id] = dimension.name.get(lang)
            practices.update({p.id: (p, dimension.id) for p in dimension.practices})
    order = [p.id for d in main.dimensions for p in d.practices] if main else []
    levels = {pid: practice.level for pid, (practice, _d) in practices.items()}
    dimension_of = {pid: dimension_id for pid, (_p, dimension_id) in practices.items()}
    found = []
    for item in practices_lacking(scores, order, levels, dimension_of, LACKING):
        practice, dimension_id = practices.get(item.practice_id, (None, ""))
        statement = practice.statement.get(lang) if practice else item.practice_id
        level = practice.level if practice else 0
        found.append(
            LackingPractice(item.practice_id, statement, dimension_names.get(dimension_id, ""), level, item.teams, item.of)
        )
    return found
