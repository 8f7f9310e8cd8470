"""The assessment report (PDF): its context of plain values, built once per content, cached.

The context reuses the results page's values (services.results) and adds the roadmap, the
comments and the charts; reports/ renders it without knowing about the database.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, is_dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, get_translations, gettext

from ..engine import roadmap as engine_roadmap
from ..engine.catalog import Catalog
from ..engine.periods import next_period
from ..extensions import db
from ..store.models import Answer, Assessment, Response, User
from . import permissions
from .assessments import answer_set, assessment_or_404, catalog_for
from .results import ResultsContext, build_context, snapshot_of
from .roadmaps import accepted_roadmap, plan_of

NEXT_STEPS = 3


@dataclass(frozen=True)
class RoadmapItemView:
    statement: str
    dimension: str
    level: int
    effective_level: int
    answer: float
    impact: int
    effort: str
    unblocks: tuple[str, ...]
    first_steps: str
    success: str
    pitfalls: str


@dataclass(frozen=True)
class StageView:
    number: int
    period: str | None
    items: tuple[RoadmapItemView, ...]
    projected_overall: float | None


@dataclass(frozen=True)
class RoadmapView:
    accepted_by: str | None
    accepted_on: str | None
    capacity: int
    stages: tuple[StageView, ...]
    backlog: tuple[RoadmapItemView, ...]
    targets: tuple[tuple[str, int], ...]  # (dimension name, target level)


@dataclass(frozen=True)
class CommentView:
    statement: str
    role: str
    comment: str


def report_for(user: User, assessment_id: int, lang: str) -> tuple[bytes, str]:
    """The PDF for a member of the assessment's organisation; names only for owners and facilitators."""
    assessment, role = assessment_or_404(user, assessment_id)
    return build_report(assessment, lang, show_names=permissions.can_see_individual_answers(role))


def build_report(assessment: Assessment, lang: str, show_names: bool) -> tuple[bytes, str]:
    """(PDF bytes, file name); a finalized assessment's PDF comes from the cache when its
    content is unchanged (the key hashes the whole context, the language and the templates)."""
    from reports.assessment_report import TEMPLATE_VERSION, render_report

    context = report_context(assessment, lang, show_names)
    name = f"cd-coach-{_slug(assessment.team.name)}-{assessment.period}-{lang}.pdf"
    key = hashlib.sha256(
        json.dumps([_plain(context), lang, TEMPLATE_VERSION], sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    cache = Path(current_app.instance_path) / "report-cache" / f"{key}.pdf"
    if assessment.status == "finalized" and cache.is_file():
        return cache.read_bytes(), name
    with force_locale(lang):
        pdf = render_report(context, lang, get_translations())
    if assessment.status == "finalized":
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_suffix(".tmp")
        temporary.write_bytes(pdf)
        temporary.replace(cache)  # atomic: a reader never sees half a file
    return pdf, name


def report_context(assessment: Assessment, lang: str, show_names: bool) -> dict[str, Any]:
    catalog = catalog_for(assessment)
    answers = answer_set(assessment)
    with force_locale(lang):
        results = build_context(
            assessment, catalog, answers, snapshot_of(assessment, catalog, answers), lang, "owner" if show_names else "member"
        )
        roadmap = roadmap_view(assessment, catalog, lang)
        organisation = assessment.team.organisation
        return {
            "organisation": organisation.name,
            "brand": {"name": organisation.brand_name or "", "colour": organisation.brand_color or "#1f6f8b"},
            "results": results,
            "roadmap": roadmap,
            "next_steps": [i for s in roadmap.stages for i in s.items][:NEXT_STEPS],
            "comments": comments(assessment, catalog, lang),
            "radar": radar(results, dict(roadmap.targets)),
            "generated": gettext("Finalized on %(date)s", date=results.finalized_on)
            if results.finalized_on
            else gettext("Provisional: the assessment is still open"),
        }


def roadmap_view(assessment: Assessment, catalog: Catalog, lang: str) -> RoadmapView:
    """The team's accepted roadmap when it was made from this assessment, else the default plan."""
    stored = accepted_roadmap(assessment.team_id)
    if stored is not None and stored.assessment_id == assessment.id:
        plan = plan_of(stored)
        accepted_by = stored.accepted_by.name if stored.accepted_by else None
        accepted_on = stored.accepted_at.date().isoformat() if stored.accepted_at else None
    else:
        settings = engine_roadmap.Settings(start_period=next_period(assessment.period))
        plan = engine_roadmap.plan_roadmap(catalog, answer_set(assessment), settings)
        accepted_by = accepted_on = None
    names = {d.id: d.name.get(lang) for d in catalog.dimensions}
    return RoadmapView(
        accepted_by=accepted_by,
        accepted_on=accepted_on,
        capacity=plan.settings.capacity,
        stages=tuple(
            StageView(s.number, s.period, tuple(_item(i, catalog, names, lang) for i in s.items), _float(s.projected_overall))
            for s in plan.stages
        ),
        backlog=tuple(_item(i, catalog, names, lang) for i in plan.backlog),
        targets=tuple((names[d], t) for d, t in plan.targets.items()),
    )


def _item(item: engine_roadmap.Item, catalog: Catalog, names: dict[str, str], lang: str) -> RoadmapItemView:
    guidance = item.practice.guidance
    return RoadmapItemView(
        statement=item.practice.statement.get(lang),
        dimension=names[item.dimension],
        level=item.practice.level,
        effective_level=item.effective_level,
        answer=float(item.value),
        impact=item.practice.impact,
        effort=item.practice.effort,
        unblocks=tuple(catalog.practices[pid].statement.get(lang) for pid in item.unblocks),
        first_steps=guidance.first_steps.get(lang),
        success=guidance.success.get(lang),
        pitfalls=guidance.pitfalls.get(lang),
    )


def comments(assessment: Assessment, catalog: Catalog, lang: str) -> tuple[CommentView, ...]:
    """Every answer's comment, in catalog order, with the respondent's role but never a name."""
    rows = db.session.execute(
        sa.select(Answer.practice_id, Answer.comment, Response.role)
        .join(Response, Answer.response_id == Response.id)
        .where(Response.assessment_id == assessment.id, Response.removed_at.is_(None), Answer.comment.is_not(None))
    )
    order = {pid: i for i, pid in enumerate(catalog.practices)}
    found = sorted(rows, key=lambda row: (order.get(row.practice_id, len(order)), row.role, row.comment))
    return tuple(
        CommentView(catalog.practices[r.practice_id].statement.get(lang), r.role, r.comment)
        for r in found
        if r.practice_id in catalog.practices
    )


def radar(results: ResultsContext, targets: dict[str, int]) -> str:
    from reports.charts import radar_chart

    names = [d.name for d in results.dimensions]
    return radar_chart(
        names,
        [d.score for d in results.dimensions],
        [targets.get(name) for name in names] if targets else None,
        legend=(gettext("Now"), gettext("Target")),
    )


def _float(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _slug(name: str) -> str:
    cleaned = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    return "-".join(part for part in cleaned.split("-") if part) or "team"


def _plain(value: Any) -> Any:
    """JSON-ready form of the context, for the cache key."""
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
