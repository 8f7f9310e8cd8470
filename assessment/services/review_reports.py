"""The quarterly review report (PDF) of a team: what changed since the last review, planned
versus achieved, what slipped, the trend, and the next stages of the plan.

Built like the assessment report (services.reports): a context of plain values from the
comparison (services.comparisons), the trend (services.trends) and the roadmap review
(services.roadmap_review), rendered by reports/ without the database, and cached under a hash
of everything it is made of, so a second download needs neither scoring nor rendering.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale, get_translations, gettext
from flask_babel import lazy_gettext as _

from .. import __version__
from ..extensions import db
from ..store.models import Assessment, Roadmap, Team, User
from .branding import report_brand
from .comparisons import ComparisonView, comparable, comparison_between
from .errors import Conflict
from .reports import _messages_version, _slug, cached_pdf, store_pdf
from .roadmap_review import review_context
from .roadmaps import accepted_roadmap
from .teams import team_or_404
from .tracking import TRACKED, finalized_iterations
from .trends import roadmap_targets, trend_chart_of, trend_of


def review_report_for(user: User, team_id: int, lang: str) -> tuple[bytes, str]:
    """(PDF bytes, file name) of the team's latest review, for any member of its organisation."""
    team, _role = team_or_404(user, team_id)
    iterations = finalized_iterations(team.id)
    if not iterations:
        raise Conflict(_("This team has no finalized assessment yet: a review report needs at least one."))
    name = f"cd-coach-review-{_slug(team.name)}-{iterations[-1].period}-{lang}.pdf"
    key = review_input_key(team, iterations, lang)
    cached = cached_pdf(key)
    if cached is not None:
        return cached, name
    pdf = render(review_report_context(user, team, iterations, lang), lang)
    store_pdf(key, pdf)
    return pdf, name


def render(context: dict[str, Any], lang: str) -> bytes:
    from reports.review_report import render_review

    with force_locale(lang):
        return render_review(context, lang, get_translations())


def review_input_key(team: Team, iterations: list[Assessment], lang: str) -> str:
    """A hash of what the review is made of: the finalized iterations (immutable while finalized;
    reopening changes `finalized_at`), every tracked roadmap with its items' state, names and
    branding, the language, and the report code and wording."""
    from reports.assessment_report import TEMPLATE_VERSION

    brand = report_brand(iterations[-1])
    roadmaps = db.session.scalars(
        sa.select(Roadmap).where(Roadmap.team_id == team.id, Roadmap.status.in_(TRACKED)).order_by(Roadmap.id)
    )
    roadmap_state = [
        [
            r.id,
            r.status,
            str(r.accepted_at),
            r.accepted_by.name if r.accepted_by else None,
            r.replanned_from_id,
            [
                (i.practice_id, i.stage, i.status, i.owner, i.notes, i.tracking, i.tracked_assessment_id, i.tracked_value)
                for i in r.items
            ],
        ]
        for r in roadmaps
    ]
    inputs = [
        "review",
        team.id,
        team.name,
        team.organisation.name,
        [brand.source, brand.name, brand.colour, brand.logo_hash],
        [(a.id, a.period, a.kind, str(a.finalized_at), a.snapshot.content_hash) for a in iterations],
        roadmap_state,
        lang,
        TEMPLATE_VERSION,
        _messages_version(lang),
        __version__,
    ]
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def review_report_context(user: User, team: Team, iterations: list[Assessment], lang: str) -> dict[str, Any]:
    latest = iterations[-1]
    previous = iterations[-2] if len(iterations) > 1 else None
    roadmap = accepted_roadmap(team.id)
    targets = roadmap_targets(roadmap) if roadmap is not None else {}
    trend = trend_of(team.id, team.name, iterations, targets, roadmap.assessment.period if roadmap else None, lang)
    comparison = None
    if previous is not None and comparable(previous, latest):
        comparison = comparison_between(previous, latest, targets, lang)
    current = review_context(user, team.id, lang)
    past = _planned_versus_achieved(user, team.id, current, lang)
    brand = report_brand(latest)
    latest_row = trend.iterations[-1]
    with force_locale(lang):
        return {
            "organisation": team.organisation.name,
            "brand": {"name": brand.name, "colour": brand.colour, "logo": brand.logo_uri},
            "team": team.name,
            "period": latest.period,
            "previous": previous.period if previous is not None else None,
            "overall": {
                "score": latest_row.overall_score,
                "level": latest_row.overall_level,
                "level_name": latest_row.level_name,
                "change": latest_row.change,
            },
            "generated": gettext("Latest iteration finalized on %(date)s", date=latest.finalized_at.date().isoformat())
            if latest.finalized_at
            else "",
            "comparison": comparison,
            "different_catalogs": previous is not None and comparison is None,
            "trend": trend,
            "trend_chart": trend_chart_of(trend, lang),
            "review": past,
            "next_stages": next_stages(current),
            "replanned": past is not current,
            "jcurve": jcurve(past, comparison, lang),
        }


def _planned_versus_achieved(user: User, team_id: int, current: dict[str, Any], lang: str) -> dict[str, Any]:
    """The roadmap whose outcome the review reports: the accepted one, unless it is a fresh
    re-plan with nothing tracked yet; then the roadmap it re-planned, which the iterations since
    were measured against."""
    roadmap = current.get("roadmap")
    if roadmap and roadmap["replanned_from_id"] and current.get("latest") is None:
        return review_context(user, team_id, lang, roadmap_id=roadmap["replanned_from_id"])
    return current


def next_stages(review: dict[str, Any]) -> list[dict[str, Any]]:
    """The accepted roadmap's stages still ahead (not over) with what is not achieved yet; a stage
    with nothing left is left out."""
    stages = []
    for stage in review.get("stages", []):
        items = [i for i in stage["items"] if i["tracking"] != "achieved"]
        if not stage["over"] and items:
            stages.append({**stage, "items": items})
    return stages


def jcurve(review: dict[str, Any], comparison: ComparisonView | None, lang: str) -> list[str]:
    """What went down, said plainly: the roadmap review's notes (they cover every iteration since
    the roadmap), else the dips since the last review; empty when nothing dipped."""
    if review.get("notes"):
        return list(review["notes"])
    if comparison is None or not comparison.dips:
        return []
    with force_locale(lang):
        explained = gettext(
            "A dip after a change is common (the J-curve): new ways of working cost time before they pay off. "
            "Watch whether the next review recovers; if it does not, look at what changed."
        )
    return [*comparison.dips, explained]
