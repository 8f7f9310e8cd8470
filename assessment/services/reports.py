"""The assessment report (PDF): its context of plain values, built once per content, cached.

The context reuses the results page's values (services.results) and adds the roadmap, the
comments and the charts; reports/ renders it without knowing about the database.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, get_translations, gettext

from .. import __version__
from ..engine import roadmap as engine_roadmap
from ..engine.catalog import Catalog
from ..engine.periods import next_period
from ..extensions import db
from ..store.models import Answer, Assessment, Response, User
from . import permissions
from .assessments import answer_set, assessment_or_404, catalog_for
from .branding import report_brand
from .results import ResultsContext, build_context, snapshot_of
from .roadmaps import accepted_roadmap, plan_of
from .workshop_summary import fingerprint, workshop_view

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
    """(PDF bytes, file name). A finalized assessment's PDF is cached under a hash of everything
    it is built from, so a second download needs neither scoring nor rendering."""
    from reports.assessment_report import render_report

    name = f"cd-coach-{_slug(assessment.team.name)}-{assessment.period}-{lang}.pdf"
    key = input_key(assessment, lang, show_names) if assessment.status == "finalized" else None
    if key is not None and (cached := cached_pdf(key)) is not None:
        return cached, name
    context = report_context(assessment, lang, show_names)
    with force_locale(lang):
        pdf = render_report(context, lang, get_translations())
    if key is not None:
        store_pdf(key, pdf)
    return pdf, name


def _cache_file(key: str) -> Path:
    return Path(current_app.instance_path) / "report-cache" / f"{key}.pdf"


def cached_pdf(key: str) -> bytes | None:
    """A report cached under its input key (a hash of everything it is made of), if any."""
    cache = _cache_file(key)
    return cache.read_bytes() if cache.is_file() else None


def store_pdf(key: str, pdf: bytes) -> None:
    cache = _cache_file(key)
    cache.parent.mkdir(parents=True, exist_ok=True)
    temporary = cache.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(pdf)
    temporary.replace(cache)  # atomic: a reader never sees half a file


def input_key(assessment: Assessment, lang: str, show_names: bool) -> str:
    """A hash of what a finalized assessment's report is made of: its stored result, the catalog
    version, names and branding, the accepted roadmap, the language, the report code and wording."""
    from reports.assessment_report import TEMPLATE_VERSION

    team, organisation = assessment.team, assessment.team.organisation
    brand = report_brand(assessment)
    roadmap = accepted_roadmap(assessment.team_id)
    roadmap_state = None
    if roadmap is not None and roadmap.assessment_id == assessment.id:
        roadmap_state = [
            roadmap.id,
            str(roadmap.accepted_at),
            roadmap.accepted_by.name if roadmap.accepted_by else None,
            [(i.practice_id, i.stage, i.status == "dropped") for i in roadmap.items],
        ]
    inputs = [
        assessment.id,
        assessment.result,
        str(assessment.finalized_at),
        assessment.snapshot.content_hash,
        team.name,
        organisation.name,
        [brand.source, brand.name, brand.colour, brand.logo_hash],  # the branding actually used
        fingerprint(assessment.id) if assessment.kind == "workshop" else None,
        roadmap_state,
        lang,
        show_names,
        TEMPLATE_VERSION,
        _messages_version(lang),
        __version__,
    ]
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _messages_version(lang: str) -> str:
    """The translations' fingerprint: new wording makes new PDFs, like new templates do."""
    compiled = Path(current_app.root_path) / "translations" / lang / "LC_MESSAGES" / "messages.mo"
    return hashlib.sha256(compiled.read_bytes()).hexdigest()[:16] if compiled.is_file() else ""


def report_context(assessment: Assessment, lang: str, show_names: bool) -> dict[str, Any]:
    catalog = catalog_for(assessment)
    answers = answer_set(assessment)
    with force_locale(lang):
        results = build_context(
            assessment, catalog, answers, snapshot_of(assessment, catalog, answers), lang, "owner" if show_names else "member"
        )
        roadmap = roadmap_view(assessment, catalog, lang)
        brand = report_brand(assessment)
        return {
            "organisation": assessment.team.organisation.name,
            "brand": {"name": brand.name, "colour": brand.colour, "logo": brand.logo_uri},
            "workshop": workshop_view(assessment, catalog, answers, lang),
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
