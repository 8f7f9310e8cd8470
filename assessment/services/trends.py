"""A team's iterations over time: the trend page and its chart, as plain values.

The iterations are the team's finalized assessments, self-assessments and workshops alike,
oldest first (`tracking.finalized_iterations`: one query). Scores are what finalizing stored;
iterations answered on an older catalog version are re-scored onto the newest one among them
(`versions.comparable_results`), so the trend compares like with like. A fixed number of
queries whatever the number of iterations: the team, the role, the iterations, their catalog
versions, the answers of re-scored ones, and the accepted roadmap's targets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import force_locale, gettext

from ..engine.roadmap import default_targets
from ..engine.scoring import score
from ..store.models import Assessment, Roadmap, User
from .assessments import catalog_for
from .roadmaps import accepted_roadmap
from .teams import team_or_404
from .tracking import finalized_iterations
from .versions import answer_sets, comparable_results


@dataclass(frozen=True)
class IterationRow:
    assessment_id: int
    period: str
    kind: str  # "self" or "workshop"
    overall_score: float | None
    overall_level: int | None
    level_name: str  # empty below level 1 and without a score
    catalog_version: str
    change: float | None  # overall score change since the iteration before


@dataclass(frozen=True)
class DimensionTrend:
    id: str
    name: str
    scores: tuple[float | None, ...]  # one per iteration; None: not scored that time
    target: int | None


@dataclass(frozen=True)
class TrendContext:
    team_id: int
    team_name: str
    iterations: tuple[IterationRow, ...]  # oldest first
    dimensions: tuple[DimensionTrend, ...]  # the newest iteration's catalog order
    overall_target: float | None  # the mean of the targets, when every scored dimension has one
    targets_period: str | None  # the period of the assessment the accepted roadmap was made from
    versions: tuple[str, ...]  # distinct catalog versions the iterations were answered on, in their order
    version: str | None  # the version every score is on: the newest among them
    rescored: tuple[str, ...]  # periods of the iterations re-scored onto `version`

    @property
    def mixed_versions(self) -> bool:
        return len(self.versions) > 1


def team_trend(user: User, team_id: int, lang: str) -> TrendContext:
    """What the trend page shows, for any member of the team's organisation."""
    team, _role = team_or_404(user, team_id)
    iterations = finalized_iterations(team.id)
    roadmap = accepted_roadmap(team.id)
    targets = roadmap_targets(roadmap) if roadmap is not None else {}
    return trend_of(team.id, team.name, iterations, targets, roadmap.assessment.period if roadmap else None, lang)


def trend_of(
    team_id: int, team_name: str, iterations: Sequence[Assessment], targets: dict[str, int], targets_period: str | None, lang: str
) -> TrendContext:
    # Each iteration on the newest catalog version among them: the stored result when it is on
    # that version already, else re-scored from its answers (services.versions).
    comparable = comparable_results(iterations)
    rows, previous = [], None
    for assessment, found in zip(iterations, comparable):
        overall = found.result["overall"]
        score, level = overall["score"], overall["level"]
        change = None if score is None or previous is None else round(score - previous, 4)
        rows.append(
            IterationRow(
                assessment.id,
                assessment.period,
                assessment.kind,
                score,
                level,
                found.catalog.level_name(level, lang),
                found.answered_on,
                change,
            )
        )
        previous = score if score is not None else previous
    dimensions: tuple[DimensionTrend, ...] = ()
    if comparable:
        scores = [{d["id"]: d["score"] for d in found.result["dimensions"]} for found in comparable]
        dimensions = tuple(
            DimensionTrend(d.id, d.name.get(lang), tuple(s.get(d.id) for s in scores), targets.get(d.id))
            for d in comparable[-1].catalog.dimensions
        )
    return TrendContext(
        team_id=team_id,
        team_name=team_name,
        iterations=tuple(rows),
        dimensions=dimensions,
        overall_target=overall_target(dimensions),
        targets_period=targets_period if targets else None,
        versions=tuple(dict.fromkeys(found.answered_on for found in comparable)),
        version=comparable[-1].version if comparable else None,
        rescored=tuple(a.period for a, found in zip(iterations, comparable) if found.rescored),
    )


def overall_target(dimensions: Sequence[DimensionTrend]) -> float | None:
    """The mean of the dimension targets (the overall score is the mean of the dimensions), when
    every dimension scored last time has a target."""
    scored = [d for d in dimensions if d.scores and d.scores[-1] is not None]
    if not scored or any(d.target is None for d in scored):
        return None
    return round(sum(d.target for d in scored) / len(scored), 4)  # type: ignore[misc]


def roadmap_targets(roadmap: Roadmap) -> dict[str, int]:
    """The accepted roadmap's target level per dimension: as set, else its assessment's level + 1
    (engine.roadmap.default_targets, the same rule the plan was made with)."""
    given = {k: int(v) for k, v in (roadmap.targets or {}).items()}
    assessment = roadmap.assessment
    answers = answer_sets([assessment])[assessment.id]  # its rows in one query per table
    return default_targets(score(catalog_for(assessment), answers), given)


def trend_svg(user: User, team_id: int, lang: str) -> str:
    """The trend chart of the team's iterations as an SVG document, labelled in `lang`."""
    return trend_chart_of(team_trend(user, team_id, lang), lang)


def trend_chart_of(trend: TrendContext, lang: str) -> str:
    from reports.charts import TrendSeries, trend_chart

    with force_locale(lang):
        note = ""
        if not trend.iterations:
            note = gettext("No finalized iteration yet: the chart fills in as the team finalizes its assessments.")
        elif trend.rescored:
            note = gettext(
                "Iterations answered on an older version of the model (%(periods)s) are re-scored on version %(version)s.",
                periods=", ".join(trend.rescored),
                version=trend.version,
            )
        return trend_chart(
            [row.period for row in trend.iterations],
            [row.overall_score for row in trend.iterations],
            [TrendSeries(d.name, d.scores, d.target) for d in trend.dimensions],
            overall_target=trend.overall_target,
            titles=(gettext("Overall score"), gettext("Target")),
            note=note,
        )
