"""Across the teams of an organisation: means, the weakest dimensions, the practices most teams
lack, and roll-up over a tree of units. Plain data in (each team's latest stored summary), plain
data out; the rules are worded for the page in the organisation overview's template.

- A mean over teams counts each team once, and only the teams with a number for it: a team
  without a finalized assessment has no overall score; a dimension it did not measure, or that
  is not applicable to it, has no score.
- The weakest dimensions: lowest mean first; ties in catalog order.
- A team lacks a practice when its latest result asked it, the practice applies to the team, its
  aggregated answer is below 3 (unknown and unanswered count as 0), and the practice's level is
  at most the next level of its dimension for that team (current level + 1: the roadmap's default
  target), so that a team far from level 5 does not count every level-5 practice. Most teams
  first; ties: lower practice level first (foundations first), then catalog order.
- A unit's teams are its own and those of every unit below it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TeamScores:
    """A team's latest finalized result in short (engine.serialize.summary_of); none: no result yet."""

    team_id: int
    unit_id: int | None = None
    overall: float | None = None
    level: int | None = None
    dimensions: Mapping[str, float | str] = field(default_factory=dict)  # score, or a status
    below: frozenset[str] = frozenset()

    @property
    def assessed(self) -> bool:
        return self.overall is not None or bool(self.dimensions)


@dataclass(frozen=True)
class Mean:
    value: float | None  # None: no team has a number for it
    teams: int  # how many teams the mean is over


@dataclass(frozen=True)
class Lacking:
    practice_id: str
    teams: int  # how many teams lack it
    of: int  # how many teams have a finalized assessment


def mean(values: Iterable[float | None]) -> Mean:
    numbers = [v for v in values if v is not None]
    return Mean(sum(numbers) / len(numbers) if numbers else None, len(numbers))


def score_of(team: TeamScores, dimension_id: str) -> float | None:
    value = team.dimensions.get(dimension_id)
    return value if isinstance(value, int | float) else None


def overall_mean(teams: Iterable[TeamScores]) -> Mean:
    return mean(t.overall for t in teams)


def dimension_means(teams: Sequence[TeamScores], dimension_ids: Sequence[str]) -> dict[str, Mean]:
    return {d: mean(score_of(t, d) for t in teams) for d in dimension_ids}


def weakest_dimensions(means: Mapping[str, Mean], order: Sequence[str], count: int = 3) -> list[tuple[str, Mean]]:
    """The `count` dimensions with the lowest mean; ties in `order` (the catalog's)."""
    measured = [(d, means[d]) for d in order if d in means and means[d].value is not None]
    return sorted(measured, key=lambda item: item[1].value)[:count]  # stable: ties keep catalog order


def practices_lacking(
    teams: Sequence[TeamScores],
    order: Sequence[str],
    levels: Mapping[str, int],
    dimension_of: Mapping[str, str],
    count: int = 10,
) -> list[Lacking]:
    """The practices below 3 in the most teams' latest results, up to their next level (see the module)."""
    assessed = [t for t in teams if t.assessed]
    position = {p: i for i, p in enumerate(order)}
    counts: Counter[str] = Counter()
    for team in assessed:
        targets = {d: next_level(team, d) for d in team.dimensions}
        counts.update(p for p in team.below if levels.get(p, 0) <= targets.get(dimension_of.get(p, ""), 5))
    ranked = sorted(counts, key=lambda p: (-counts[p], levels.get(p, 6), position.get(p, len(position)), p))
    return [Lacking(p, counts[p], len(assessed)) for p in ranked[:count]]


def next_level(team: TeamScores, dimension_id: str) -> int:
    """The level the team's dimension works towards: its current level + 1 (5 at most; 5 when unknown)."""
    score = score_of(team, dimension_id)
    return 5 if score is None else min(5, math.floor(score) + 1)


# Units: a tree given as {unit id: parent id or None}


def subtree(parents: Mapping[int, int | None], unit_id: int) -> set[int]:
    """The unit and every unit below it."""
    children: dict[int | None, list[int]] = {}
    for unit, parent in parents.items():
        children.setdefault(parent, []).append(unit)
    found, todo = set(), [unit_id]
    while todo:
        unit = todo.pop()
        if unit not in found:
            found.add(unit)
            todo.extend(children.get(unit, ()))
    return found


def makes_cycle(parents: Mapping[int, int | None], unit_id: int, new_parent: int | None) -> bool:
    """Whether putting the unit under `new_parent` would make it its own ancestor."""
    return new_parent is not None and new_parent in subtree(parents, unit_id)


def tree_order(parents: Mapping[int, int | None], names: Mapping[int, str]) -> list[tuple[int, int]]:
    """(unit id, depth) depth first, siblings by name; a unit whose parent is unknown is a root."""
    children: dict[int | None, list[int]] = {}
    for unit, parent in parents.items():
        children.setdefault(parent if parent in parents else None, []).append(unit)
    ordered: list[tuple[int, int]] = []

    def visit(parent: int | None, depth: int) -> None:
        for unit in sorted(children.get(parent, ()), key=lambda u: (names[u].casefold(), u)):
            ordered.append((unit, depth))
            visit(unit, depth + 1)

    visit(None, 0)
    return ordered


def teams_by_unit(parents: Mapping[int, int | None], teams: Sequence[TeamScores]) -> dict[int, list[TeamScores]]:
    """Each unit's teams, including those of the units below it; each team once per unit."""
    return {unit: [t for t in teams if t.unit_id in below] for unit in parents for below in [subtree(parents, unit)]}
