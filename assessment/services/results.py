"""The results of an assessment as plain values, for the results page and (later) the PDF report.

The numbers come from one place: the stored snapshot (`assessment.result`) once the assessment is
finalized, else the same shape computed live from the answers (`result_to_dict`), so the page
reads both the same way. Catalog texts are picked in the requested language here, so templates
get strings, numbers and tuples only, never database rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale, gettext

from ..engine.answers import AnswerSet
from ..engine.catalog import Catalog
from ..engine.scoring import score
from ..engine.serialize import result_to_dict
from ..store.models import Assessment, User
from . import permissions
from .assessments import answer_set, assessment_or_404, catalog_for
from .result_values import (
    DeliveryView,
    DimensionView,
    IndividualAnswers,
    PracticeView,
    RoleSplit,
    delivery_view,
    dimension_view,
    individual_answers,
    role_split,
)

TOP_GAPS = 6
GAP_DIMENSIONS = 3


@dataclass(frozen=True)
class AreaView:
    id: str
    name: str
    score: float | None


@dataclass(frozen=True)
class LevelName:
    level: int
    name: str
    meaning: str


@dataclass(frozen=True)
class ResultsContext:
    assessment_id: int
    team_id: int
    team_name: str
    period: str
    status: str
    questionnaire: str  # "full", "quick" or "chosen"
    provisional: bool  # live numbers of an assessment that is not finalized yet
    finalized_on: str | None  # ISO date
    catalog_title: str
    catalog_version: str
    levels: tuple[LevelName, ...]
    overall_score: float | None
    overall_level: int | None
    confidence: float | None
    respondents: int
    submitted: int
    weakest: DimensionView | None
    weakest_capping: tuple[PracticeView, ...]
    dimensions: tuple[DimensionView, ...]
    areas: tuple[AreaView, ...]
    strengths: tuple[PracticeView, ...]
    gaps: tuple[PracticeView, ...]
    disagreements: tuple[PracticeView, ...]
    individual: IndividualAnswers | None  # owners and facilitators only
    role_split: RoleSplit | None  # only with groups of at least 3 respondents
    delivery: DeliveryView

    @property
    def overall_level_name(self) -> str:
        return next((lv.name for lv in self.levels if lv.level == self.overall_level), "")

    @property
    def common_measured_up_to(self) -> int | None:
        """The highest level every measured dimension was asked up to (the quick form: 3), if shared."""
        levels = {d.measured_up_to for d in self.dimensions if d.status != "not_measured"}
        return levels.pop() if len(levels) == 1 else None

    @property
    def scored(self) -> tuple[DimensionView, ...]:
        return tuple(d for d in self.dimensions if d.status == "scored")


def results_context(user: User, assessment_id: int, lang: str) -> ResultsContext:
    """What the results page shows, for any member of the assessment's organisation."""
    assessment, role = assessment_or_404(user, assessment_id)
    catalog = catalog_for(assessment)
    answers = answer_set(assessment)
    return build_context(assessment, catalog, answers, snapshot_of(assessment, catalog, answers), lang, role)


def snapshot_of(assessment: Assessment, catalog: Catalog, answers: AnswerSet) -> dict[str, Any]:
    """The stored numbers once finalized; before that, the same shape computed from the answers."""
    if assessment.status == "finalized" and assessment.result:
        return assessment.result
    return result_to_dict(score(catalog, answers), catalog)


def build_context(
    assessment: Assessment, catalog: Catalog, answers: AnswerSet, snapshot: dict[str, Any], lang: str, role: str
) -> ResultsContext:
    levels = tuple(LevelName(lv.level, lv.name.get(lang), lv.meaning.get(lang)) for lv in catalog.levels)
    dimensions = tuple(dimension_view(d, catalog, lang) for d in snapshot["dimensions"])
    practices = {p.id: p for d in dimensions for p in d.practices}
    weakest = next((d for d in dimensions if snapshot.get("weakest") and d.id == snapshot["weakest"]["id"]), None)
    staff = permissions.can_see_individual_answers(role)
    overall = snapshot["overall"]
    return ResultsContext(
        assessment_id=assessment.id,
        team_id=assessment.team_id,
        team_name=assessment.team.name,
        period=assessment.period,
        status=assessment.status,
        questionnaire=assessment.questionnaire if isinstance(assessment.questionnaire, str) else "chosen",
        provisional=assessment.status != "finalized",
        finalized_on=assessment.finalized_at.date().isoformat() if assessment.finalized_at else None,
        catalog_title=catalog.title.get(lang),
        catalog_version=catalog.version,
        levels=levels,
        overall_score=overall["score"],
        overall_level=overall["level"],
        confidence=overall["confidence"],
        respondents=len(answers.responses),
        submitted=sum(1 for r in assessment.responses if r.removed_at is None and r.submitted_at is not None),
        weakest=weakest,
        weakest_capping=tuple(practices[pid] for pid in weakest.capping) if weakest else (),
        dimensions=dimensions,
        areas=tuple(AreaView(a.id, a.name.get(lang), snapshot["areas"].get(a.id)) for a in catalog.areas),
        strengths=tuple(p for p in practices.values() if p.number == 3),
        gaps=top_gaps(dimensions),
        disagreements=tuple(p for p in practices.values() if p.disagreement),
        individual=individual_answers(catalog, answers, practices, lang) if staff else None,
        role_split=role_split(catalog, answers, lang),
        delivery=delivery_view(snapshot["delivery"], catalog, lang),
    )


def top_gaps(dimensions: tuple[DimensionView, ...]) -> tuple[PracticeView, ...]:
    """The practices that cap the weakest dimensions, weakest dimension first (ties: catalog order)."""
    weakest_first = sorted((d for d in dimensions if d.score is not None), key=lambda d: d.score)  # stable sort
    by_id = {p.id: p for d in dimensions for p in d.practices}
    gaps = [by_id[pid] for d in weakest_first[:GAP_DIMENSIONS] for pid in d.capping]
    return tuple(gaps[:TOP_GAPS])


def radar_svg(user: User, assessment_id: int, lang: str) -> str:
    """The radar chart of dimension scores as an SVG document, labelled in `lang`."""
    from reports.charts import radar_chart

    context = results_context(user, assessment_id, lang)
    with force_locale(lang):
        missing = [d.name for d in context.dimensions if d.score is None]
        note = gettext("No score: %(names)s.", names=", ".join(missing)) if missing else ""
        return radar_chart(
            [d.name for d in context.dimensions],
            [d.score for d in context.dimensions],
            legend=(gettext("Score"), gettext("Target")),
            note=note,
        )
