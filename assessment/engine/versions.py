"""Catalog versions: order them, and carry answers made on an older version onto a newer one.

A version's `replaces` maps the practice ids of the version just before it (its predecessor)
to its own: `old -> new`, or `old -> None` when the practice is removed. It is per step, not
cumulative, so each version says only what changed since the last one; answers made two
versions back are mapped step by step along the chain of versions (v1 -> v2 -> v3).
An id that is absent from `replaces` keeps its id when the newer version still has it, and is
gone otherwise.

Re-scoring an older iteration on a newer version must not count the newer version's additions
against history: practices with no old counterpart are *not asked* for the old iteration, so
they are left out of its level coverage instead of counting as 0. The scoring rules stay the
engine's: a level made only of new practices is *not measured* for the old iteration (coverage
0, as with the quick form, and the result says up to which level it measured), and a dimension
made only of new practices is not measured and left out of the means. Treating such a level as
complete instead would raise history on no evidence and make the next iteration look like a dip.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

from .answers import NA, UNKNOWN, AnswerSet, Questionnaire, asked_practices
from .catalog import Catalog, Metric
from .scoring import Result, score


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that compares versions part by part, numbers as numbers: "1.10" > "1.9" > "1.0".

    A numeric part sorts before a textual one at the same place ("1.0" < "1.0-rc")."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"[.+-]", version) if part)


@dataclass(frozen=True)
class VersionMap:
    """How the practices of an older catalog version become those of a newer one."""

    old: Catalog
    new: Catalog
    ids: Mapping[str, str | None]  # every practice of `old` -> its practice in `new`, or None (gone)

    @property
    def gone(self) -> frozenset[str]:
        """Old practices with no new counterpart."""
        return frozenset(old for old, new in self.ids.items() if new is None)

    @property
    def new_practices(self) -> frozenset[str]:
        """Practices of the new version with no old counterpart."""
        return frozenset(self.new.practices) - {new for new in self.ids.values() if new is not None}

    def sources(self, new_id: str) -> tuple[str, ...]:
        """The old practices that became `new_id` (two or more when practices were merged)."""
        return tuple(old for old, new in self.ids.items() if new == new_id)


def step_ids(old: Catalog, new: Catalog) -> dict[str, str | None]:
    """One step: each practice of `old` to its id in `new` by `new.replaces`, else its own id if kept."""
    return {pid: new.replaces.get(pid, pid if pid in new.practices else None) for pid in old.practices}


def version_map(chain: Sequence[Catalog]) -> VersionMap:
    """The map from the first catalog of `chain` to the last, through each version in between.

    `chain` holds consecutive versions of one catalog, oldest first; one catalog maps onto itself."""
    if not chain:
        raise ValueError("a version chain needs at least one catalog")
    ids: dict[str, str | None] = {pid: pid for pid in chain[0].practices}
    for older, newer in pairwise(chain):
        step = step_ids(older, newer)
        ids = {old: (step.get(current) if current is not None else None) for old, current in ids.items()}
    return VersionMap(chain[0], chain[-1], ids)


@dataclass(frozen=True)
class MappedAnswers:
    """An answer set moved onto a newer catalog version, with what changed on the way."""

    answers: AnswerSet  # practice ids of the new version; questionnaire: the new ids asked
    new_practices: frozenset[str]  # in the new version, no old counterpart: not asked
    gone: frozenset[str]  # old practices with no new one: their answers are dropped
    catalog: Catalog  # the new version


# Merging answers: the lowest in this order wins (see `combine`).
_RANK = {UNKNOWN: 0, 0: 1, 1: 2, 2: 3, 3: 4, NA: 5}


def combine(values: Sequence[object]) -> object:
    """One respondent's answers to practices that were merged into one: the lowest of them.

    The merged practice is in place only as far as each of its parts is, so the lower numeric
    answer wins; a part the respondent did not know (`unknown`) leaves the whole unknown; a part
    that does not apply (`na`) leaves the judgement to the parts that do. A part not answered
    (for example not in the quick form) gives no information and is left out before this."""
    return min(values, key=lambda v: _RANK[v])  # type: ignore[index]


def map_answers(answers: AnswerSet, vmap: VersionMap) -> MappedAnswers:
    """Answers made on `vmap.old` as answers on `vmap.new`.

    Renamed practices keep their answers, removed ones are dropped, merged ones combine per
    respondent (and per consensus) with `combine`. The questionnaire becomes the set of new
    practices that have an asked old counterpart: new practices are not asked, so they do not
    count as 0 against history. Profile and metric answers the new version no longer knows are
    dropped."""
    old_asked = asked_practices(vmap.old, answers.questionnaire)
    asked = frozenset(new for old, new in vmap.ids.items() if new is not None and old in old_asked)
    responses = tuple(replace(r, answers=_moved(r.answers, vmap.ids, old_asked, vmap.new)) for r in answers.responses)
    return MappedAnswers(
        answers=AnswerSet(
            responses=responses,
            questionnaire=asked,
            consensus=_moved(answers.consensus, vmap.ids, old_asked, vmap.new),
            profile=_profile(answers.profile, vmap.new),
            metrics={k: v for k, v in answers.metrics.items() if _metric_answer_fits(vmap.new, k, v)},
        ),
        new_practices=vmap.new_practices,
        gone=vmap.gone,
        catalog=vmap.new,
    )


def _moved(values: Mapping[str, object], ids: Mapping[str, str | None], asked: frozenset[str], new: Catalog) -> dict:
    """`values` keyed by new ids (in the new catalog's order), merged values combined."""
    gathered: dict[str, list[object]] = {}
    for old, value in values.items():
        target = ids.get(old)
        if target is not None and old in asked:
            gathered.setdefault(target, []).append(value)
    return {pid: combine(gathered[pid]) for pid in new.practices if pid in gathered}


def _profile(profile: Mapping[str, str], catalog: Catalog) -> dict[str, str]:
    options = {q.id: {o.id for o in q.options} for q in catalog.profile.questions}
    return {k: v for k, v in profile.items() if v in options.get(k, ())}


def _metric_answer_fits(catalog: Catalog, metric_id: str, value: object) -> bool:
    metric: Metric | None = next((m for m in catalog.metrics if m.id == metric_id), None)
    if metric is None:
        return False
    if value == UNKNOWN or metric.unit == "percent":
        return True
    return value in {b.id for b in metric.bands}


def map_questionnaire(questionnaire: Questionnaire, vmap: VersionMap) -> Questionnaire:
    """The questionnaire a next iteration on the new version asks, given the old iteration's.

    The full and the quick form stay what they are (new practices are asked from now on); chosen
    dimensions become the new dimensions holding a practice that was asked before, in catalog
    order; when none is left, the full questionnaire."""
    if isinstance(questionnaire, str):
        return questionnaire
    old_asked = asked_practices(vmap.old, questionnaire)
    kept = {vmap.new.dimension_of[new] for old, new in vmap.ids.items() if new is not None and old in old_asked}
    chosen = tuple(d.id for d in vmap.new.dimensions if d.id in kept)
    return chosen or "full"


def rescore(mapped: MappedAnswers) -> Result:
    """Score mapped answers on their new catalog version (plain engine scoring)."""
    return score(mapped.catalog, mapped.answers)


def rescore_answers(answers: AnswerSet, chain: Sequence[Catalog]) -> tuple[Result, MappedAnswers]:
    """Map answers made on `chain[0]` onto `chain[-1]` and score them there."""
    mapped = map_answers(answers, version_map(chain))
    return rescore(mapped), mapped


def replaces_problems(data: Mapping[str, Any], previous: Catalog | None) -> list[tuple[tuple[Any, ...], str]]:
    """`replaces` of a catalog's data checked against the version before it (per step: every key
    must be a practice id of `previous`); (key path, message) pairs as the loader reports them."""
    replaces = data.get("replaces")
    if not isinstance(replaces, dict) or not replaces:
        return []
    if previous is None:
        return [(("replaces",), f"there is no earlier version of catalog '{data.get('id')}' here to replace practices of")]
    return [
        (("replaces", old), f"'{old}' is not a practice of version {previous.version}, the previous version")
        for old in replaces
        if old not in previous.practices
    ]


def dropped_silently(previous: Catalog, catalog: Catalog) -> list[str]:
    """Practices of `previous` that `catalog` neither keeps nor names in `replaces` (taken as removed)."""
    return [pid for pid in previous.practices if pid not in catalog.practices and pid not in catalog.replaces]


@dataclass(frozen=True)
class Changes:
    """What one version changed from the one before it, in the newer version's practice order."""

    renamed: tuple[tuple[str, str], ...]  # (old id, new id)
    merged: tuple[tuple[tuple[str, ...], str], ...]  # (old ids, new id)
    removed: tuple[str, ...]  # old ids, in the older version's order
    added: tuple[str, ...]  # new ids with no old counterpart

    def __bool__(self) -> bool:
        return bool(self.renamed or self.merged or self.removed or self.added)


def changes(old: Catalog, new: Catalog) -> Changes:
    vmap = version_map([old, new])
    renamed, merged = [], []
    for pid in new.practices:
        sources = vmap.sources(pid)
        if len(sources) > 1:
            merged.append((sources, pid))
        elif sources and sources[0] != pid:
            renamed.append((sources[0], pid))
    removed = tuple(pid for pid in old.practices if pid in vmap.gone)
    added = tuple(pid for pid in new.practices if pid in vmap.new_practices)
    return Changes(tuple(renamed), tuple(merged), removed, added)
