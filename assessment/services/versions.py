"""A team's iterations made comparable across catalog versions (issue 6, "Model versions").

Each assessment is pinned to the catalog version it was answered on. To compare iterations
answered on different versions, the older ones are re-scored on the newest version among them:
their answers follow each version's `replaces` map (engine/versions.py); practices new in the
newest version are not asked for them, and practices it no longer has are gone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..engine.catalog import Catalog
from ..engine.scoring import Result, score
from ..engine.serialize import result_to_dict
from ..engine.versions import MappedAnswers, map_answers, rescore, version_key, version_map
from ..extensions import db
from ..store.models import Assessment, CatalogSnapshot, Response
from .assessments import answer_set
from .catalogs import catalogs_by_hash, version_chain


@dataclass(frozen=True)
class ComparableResult:
    """One assessment's numbers on the newest catalog version of the list it came in."""

    assessment_id: int
    result: dict[str, Any]  # `result_to_dict` shape (what finalizing stores), on `catalog`
    catalog: Catalog  # the version the numbers are on (the newest among the list, per catalog id)
    answered_on: str  # the version the assessment was answered on
    rescored: bool  # False: already on the newest version, the stored result as it is
    new_practices: tuple[str, ...]  # in `catalog`, with no counterpart in `answered_on`: not asked
    gone: tuple[str, ...]  # practices of `answered_on` that `catalog` no longer has

    @property
    def version(self) -> str:
        return self.catalog.version


def comparable_results(assessments: Sequence[Assessment]) -> list[ComparableResult]:
    """The assessments' results, in the order given, each on the newest catalog version among them.

    Meant for a team's finalized iterations (a trend, a comparison). Per catalog id, the newest
    version is the highest version number among the assessments' pinned snapshots (the latest
    snapshot on a tie). An assessment already on it keeps its stored result (no re-scoring);
    the others are re-scored from their answers. No permission check: callers pass assessments
    the user may read. A fixed number of queries, whatever the number of assessments."""
    if not assessments:
        return []
    rows = {
        row.id: row
        for row in db.session.execute(
            sa.select(
                CatalogSnapshot.id, CatalogSnapshot.catalog_id, CatalogSnapshot.version, CatalogSnapshot.content_hash
            ).where(CatalogSnapshot.id.in_({a.snapshot_id for a in assessments}))
        )
    }
    newest = {}
    for row in sorted(rows.values(), key=lambda r: (version_key(r.version), r.id)):
        newest[row.catalog_id] = row
    catalogs = catalogs_by_hash({row.content_hash for row in rows.values()})
    stale = {a.id for a in assessments if rows[a.snapshot_id].content_hash != newest[rows[a.snapshot_id].catalog_id].content_hash}
    answers = answer_sets([a for a in assessments if a.id in stale or not a.result])
    chains: dict[tuple[str, str], list[Catalog]] = {}
    results = []
    for assessment in assessments:
        own = rows[assessment.snapshot_id]
        target = newest[own.catalog_id]
        catalog, pinned = catalogs[target.content_hash], catalogs[own.content_hash]
        if assessment.id not in stale:
            result = assessment.result or result_to_dict(score(catalog, answers[assessment.id]), catalog)
            results.append(ComparableResult(assessment.id, result, catalog, own.version, False, (), ()))
            continue
        key = (own.content_hash, target.content_hash)
        if key not in chains:
            chains[key] = version_chain(pinned, catalog)
        mapped = map_answers(answers[assessment.id], version_map(chains[key]))
        result = result_to_dict(rescore(mapped), catalog)
        results.append(
            ComparableResult(
                assessment.id,
                result,
                catalog,
                own.version,
                True,
                _ordered(mapped.new_practices, catalog),
                _ordered(mapped.gone, pinned),
            )
        )
    return results


def rescore_on(assessment: Assessment, catalog: Catalog) -> tuple[Result, MappedAnswers]:
    """One assessment's answers scored on a newer version of its catalog (or its own: the same
    numbers as scoring it directly), with the practices new and gone on the way."""
    pinned = catalogs_by_hash({assessment.snapshot.content_hash})[assessment.snapshot.content_hash]
    mapped = map_answers(answer_set(assessment), version_map(version_chain(pinned, catalog)))
    return rescore(mapped), mapped


def answer_sets(assessments: Sequence[Assessment]) -> dict[int, Any]:
    """The answer sets of these assessments, their rows loaded in one query per table."""
    if not assessments:
        return {}
    loaded = db.session.scalars(
        sa.select(Assessment)
        .where(Assessment.id.in_([a.id for a in assessments]))
        .options(
            selectinload(Assessment.responses).selectinload(Response.answers),
            selectinload(Assessment.consensus),
            selectinload(Assessment.metric_answers),
        )
    )
    return {a.id: answer_set(a) for a in loaded}


def _ordered(practice_ids: frozenset[str], catalog: Catalog) -> tuple[str, ...]:
    return tuple(pid for pid in catalog.practices if pid in practice_ids)
