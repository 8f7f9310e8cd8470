"""Two iterations of a team side by side, as plain values (the compare page and the review PDF).

Both iterations are scored again from their answers (`assessments.result_of`) so the engine's
comparison works on exact fractions; a finalized assessment's re-computed scores equal its
stored ones. When the two were answered on different versions of the catalog, the older one is
re-scored on the newer version (`versions.rescore_on`: renamed and merged practices follow, new
ones are not asked), and the comparison says so. Iterations of two different catalogs are not
compared at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from flask_babel import force_locale, gettext

from ..engine import comparison as engine
from ..engine.catalog import Catalog
from ..engine.scoring import Result, score
from ..engine.serialize import delivery_to_dict
from ..engine.versions import version_key
from ..store.models import Assessment, User
from .assessments import catalog_for, result_of
from .errors import NotFound
from .result_values import delivery_view
from .roadmaps import accepted_roadmap
from .teams import team_or_404
from .tracking import finalized_iterations
from .trends import roadmap_targets
from .versions import answer_sets, rescore_on


@dataclass(frozen=True)
class IterationChoice:
    assessment_id: int
    period: str
    kind: str  # "self" or "workshop"
    catalog_version: str


@dataclass(frozen=True)
class DimensionChangeView:
    id: str
    name: str
    before: float | None
    after: float | None
    change: float | None
    level_before: int | None
    level_after: int | None
    target: int | None
    progress: float | None  # progress to date toward the target (0..1, can be negative or above 1)


@dataclass(frozen=True)
class PracticeChangeView:
    id: str
    statement: str
    dimension_name: str
    before: str  # the aggregated answer: "0".."3", "1.5", "unknown", "unanswered"
    after: str
    change: float


@dataclass(frozen=True)
class DisagreementView:
    id: str
    statement: str
    dimension_name: str
    answers: Mapping[str, int]  # the raw answers of the later iteration: value -> how many
    spread: int | None


@dataclass(frozen=True)
class MetricChangeView:
    id: str
    name: str
    before: str  # the answer's band label, empty when unknown or not answered
    after: str
    tier_before: int | None
    tier_after: int | None
    tier_change: int | None


@dataclass(frozen=True)
class VersionNote:
    """The older iteration was answered on an older catalog version and re-scored on the newer."""

    period: str
    answered_on: str
    version: str
    new_practices: tuple[str, ...]  # statements: in the newer version only, not asked back then
    gone: tuple[str, ...]  # statements: in the older version only, left out


@dataclass(frozen=True)
class ComparisonView:
    base: IterationChoice
    now: IterationChoice
    overall_before: float | None
    overall_after: float | None
    overall_change: float | None
    level_before: int | None
    level_after: int | None
    level_name_before: str
    level_name_after: str
    confidence_before: float | None
    confidence_after: float | None
    confidence_change: float | None
    percent_to_target_before: float | None
    percent_to_target_after: float | None
    progress: float | None  # share of the gap to the targets closed since the base iteration
    dimensions: tuple[DimensionChangeView, ...]
    moved_up: tuple[PracticeChangeView, ...]
    moved_down: tuple[PracticeChangeView, ...]
    new_disagreements: tuple[DisagreementView, ...]
    resolved_disagreements: tuple[DisagreementView, ...]
    delivery_tier_before: int | None
    delivery_tier_after: int | None
    delivery_tier_change: int | None
    metrics: tuple[MetricChangeView, ...]
    dips: tuple[str, ...]  # each dip in one plain sentence; empty when nothing went down
    version_note: VersionNote | None = None

    @property
    def has_targets(self) -> bool:
        return any(d.target is not None for d in self.dimensions)


@dataclass(frozen=True)
class ComparePage:
    team_id: int
    team_name: str
    choices: tuple[IterationChoice, ...]  # every finalized iteration, oldest first
    base_id: int | None
    now_id: int | None
    comparison: ComparisonView | None  # None: fewer than two iterations, or different catalogs
    different_catalogs: bool  # the two iterations were answered on different models


def compare_iterations(user: User, team_id: int, base_id: int | None, now_id: int | None, lang: str) -> ComparePage:
    """Two finalized iterations of the team (by default the last two), for any member of its
    organisation; NotFound when an id is not a finalized iteration of this team."""
    team, _role = team_or_404(user, team_id)
    iterations = finalized_iterations(team.id)
    by_id = {a.id: a for a in iterations}
    if (base_id is not None and base_id not in by_id) or (now_id is not None and now_id not in by_id):
        raise NotFound()
    choices = tuple(choice_of(a) for a in iterations)
    if len(iterations) < 2:
        return ComparePage(team.id, team.name, choices, None, None, None, False)
    now = by_id[now_id] if now_id is not None else iterations[-1]
    if base_id is not None:
        base = by_id[base_id]
    else:
        base, now = _with_the_one_before(iterations, now)
    differ = not comparable(base, now)
    comparison = None
    if not differ:
        roadmap = accepted_roadmap(team.id)
        comparison = comparison_between(base, now, roadmap_targets(roadmap) if roadmap else {}, lang)
    return ComparePage(team.id, team.name, choices, base.id, now.id, comparison, differ)


def _with_the_one_before(iterations: Sequence[Assessment], now: Assessment) -> tuple[Assessment, Assessment]:
    """`now` and the iteration just before it; the oldest has none, so it is compared with the next."""
    index = iterations.index(now)
    return (iterations[index - 1], now) if index > 0 else (now, iterations[1])


def choice_of(assessment: Assessment) -> IterationChoice:
    return IterationChoice(assessment.id, assessment.period, assessment.kind, assessment.snapshot.version)


def comparable(base: Assessment, now: Assessment) -> bool:
    """Versions of one catalog: the older can be re-scored on the newer."""
    return base.snapshot.catalog_id == now.snapshot.catalog_id


def comparison_between(base: Assessment, now: Assessment, targets: Mapping[str, int], lang: str) -> ComparisonView:
    """The comparison of two iterations of one catalog, on the newer version of the two, in `lang`."""
    before, after, catalog, note = _on_one_version(base, now, lang)
    view = comparison_view(engine.compare(before, after, targets), before, after, catalog, choice_of(base), choice_of(now), lang)
    return replace(view, version_note=note)


def _on_one_version(base: Assessment, now: Assessment, lang: str) -> tuple[Result, Result, Catalog, VersionNote | None]:
    """Both results on one catalog version: their own when they share it, else the newer one's."""
    if base.snapshot.content_hash == now.snapshot.content_hash:
        catalog, answers = catalog_for(now), answer_sets([base, now])  # their rows in one query per table
        return score(catalog, answers[base.id]), score(catalog, answers[now.id]), catalog, None
    older, newer = sorted((base, now), key=lambda a: (version_key(a.snapshot.version), a.snapshot_id))
    catalog, pinned = catalog_for(newer), catalog_for(older)
    rescored, mapped = rescore_on(older, catalog)
    results = {older.id: rescored, newer.id: result_of(newer)}
    note = VersionNote(
        older.period,
        pinned.version,
        catalog.version,
        tuple(_statement(catalog, pid, lang) for pid in catalog.practices if pid in mapped.new_practices),
        tuple(_statement(pinned, pid, lang) for pid in pinned.practices if pid in mapped.gone),
    )
    return results[base.id], results[now.id], catalog, note


def comparison_view(
    c: engine.Comparison, before: Result, after: Result, catalog: Catalog, base: IterationChoice, now: IterationChoice, lang: str
) -> ComparisonView:
    names = {d.id: d.name.get(lang) for d in catalog.dimensions}
    metrics_before = {m.id: m for m in delivery_view(delivery_to_dict(before.delivery), catalog, lang).metrics}
    metrics_after = {m.id: m for m in delivery_view(delivery_to_dict(after.delivery), catalog, lang).metrics}

    def practice(move: engine.PracticeMove) -> PracticeChangeView:
        return PracticeChangeView(
            move.id,
            _statement(catalog, move.id, lang),
            names.get(move.dimension, move.dimension),
            _answer(move.before),
            _answer(move.after),
            _f(move.change),
        )

    def disagreement(pid: str, result: Result) -> DisagreementView:
        aggregate = result.practices[pid]
        return DisagreementView(
            pid, _statement(catalog, pid, lang), names.get(pid.split(".")[0], ""), dict(aggregate.counts), aggregate.spread
        )

    return ComparisonView(
        base=base,
        now=now,
        overall_before=_f(c.overall_before),
        overall_after=_f(c.overall_after),
        overall_change=_f(c.overall_change),
        level_before=c.level_before,
        level_after=c.level_after,
        level_name_before=catalog.level_name(c.level_before, lang),
        level_name_after=catalog.level_name(c.level_after, lang),
        confidence_before=_f(c.confidence_before),
        confidence_after=_f(c.confidence_after),
        confidence_change=_f(c.confidence_change),
        percent_to_target_before=_f(c.percent_to_target_before),
        percent_to_target_after=_f(c.percent_to_target_after),
        progress=_f(c.progress),
        dimensions=tuple(
            DimensionChangeView(
                d.id,
                names.get(d.id, d.id),
                _f(d.before),
                _f(d.after),
                _f(d.change),
                d.level_before,
                d.level_after,
                d.target,
                _f(d.progress),
            )
            for d in c.dimensions
        ),
        moved_up=tuple(practice(m) for m in sorted(c.moved_up, key=lambda m: -m.change)),  # stable: catalog order on ties
        moved_down=tuple(practice(m) for m in sorted(c.moved_down, key=lambda m: m.change)),
        new_disagreements=tuple(disagreement(pid, after) for pid in c.new_disagreements),
        resolved_disagreements=tuple(disagreement(pid, before) for pid in c.resolved_disagreements),
        delivery_tier_before=c.delivery_tier_before,
        delivery_tier_after=c.delivery_tier_after,
        delivery_tier_change=c.delivery_tier_change,
        metrics=tuple(
            MetricChangeView(
                m.id,
                metrics_after[m.id].name if m.id in metrics_after else m.id,
                _metric_answer(metrics_before.get(m.id)),
                _metric_answer(metrics_after.get(m.id)),
                m.tier_before,
                m.tier_after,
                m.tier_change,
            )
            for m in c.metrics
        ),
        dips=dip_statements(c.dips, names, {m.id: m.name for m in metrics_after.values()}, lang),
    )


def dip_statements(
    dips: Sequence[engine.Dip], names: Mapping[str, str], metrics: Mapping[str, str], lang: str
) -> tuple[str, ...]:
    """What went down, said plainly in `lang` (DESIGN.md: the review says so instead of hiding
    it): the overall score, the dimensions in one sentence, the delivery tier, the metrics."""
    with force_locale(lang):
        said = []
        for dip in (d for d in dips if d.kind == "overall"):
            said.append(
                gettext(
                    "The overall score went down from %(before)s to %(after)s.",
                    before=_score(dip.before),
                    after=_score(dip.after),
                )
            )
        lower = [
            gettext(
                "%(metric)s (%(before)s → %(after)s)",
                metric=names.get(d.id or "", d.id),
                before=_score(d.before),
                after=_score(d.after),
            )
            for d in dips
            if d.kind == "dimension"
        ]
        if lower:
            said.append(gettext("Dimensions that went down: %(list)s.", list=_list(lower, lang)))
        for dip in (d for d in dips if d.kind == "delivery"):
            said.append(
                gettext(
                    "Delivery performance fell from tier %(before)s to tier %(after)s.",
                    before=int(dip.before),
                    after=int(dip.after),
                )
            )
        worse = [
            gettext(
                "%(name)s (tier %(before)s → %(after)s)",
                name=metrics.get(d.id or "", d.id),
                before=int(d.before),
                after=int(d.after),
            )
            for d in dips
            if d.kind == "metric"
        ]
        if worse:
            said.append(gettext("Delivery metrics that got worse: %(list)s.", list=_list(worse, lang)))
        return tuple(said)


def _list(items: Sequence[str], lang: str) -> str:
    return ("；" if lang == "zh" else "; ").join(items)


def _statement(catalog: Catalog, practice_id: str, lang: str) -> str:
    practice = catalog.practices.get(practice_id)
    return practice.statement.get(lang) if practice else practice_id


def _answer(value: object) -> str:
    return f"{float(value):g}" if isinstance(value, Fraction) else str(value)


def _metric_answer(view: object) -> str:
    return getattr(view, "answer_label", "") if view is not None else ""


def _score(value: Fraction) -> str:
    return f"{float(value):.2f}"


def _f(value: Fraction | int | None) -> float | None:
    return None if value is None else round(float(value), 4)
