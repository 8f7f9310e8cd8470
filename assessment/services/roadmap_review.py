"""The roadmap review: planned versus achieved, what slipped, what progressed, what fell back,
the J-curve said plainly, and re-planning what is left (DESIGN.md, "Quarterly progress review").

`review_context` gives plain values (strings, numbers, lists, dicts) for the review page and the
review PDF. `replan` starts a draft from the latest finalized iteration; accepting it (the
roadmap pages' accept) supersedes the old roadmap, whose history stays readable.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _

from ..engine import tracking as engine
from ..engine.catalog import Catalog
from ..engine.comparison import Comparison, compare
from ..engine.delivery import MetricResult
from ..engine.periods import next_period
from ..engine.scoring import Result
from ..extensions import db
from ..store.models import Assessment, Roadmap, RoadmapItem, User
from . import permissions, roadmaps
from .assessments import catalog_for, result_of
from .audit import record
from .errors import Conflict, Forbidden, NotFound
from .teams import is_lead, team_or_404
from .tracking import TRACKED, due_period, finalized_iterations, outcomes, successors, window

TRACKING_LABELS = {
    "achieved": _("Achieved"),
    "progressing": _("Progressing"),
    "slipped": _("Slipped"),
    None: _("No change yet"),
}


def review_context(user: User, team_id: int, lang: str, roadmap_id: int | None = None) -> dict[str, Any]:
    """The review of the team's accepted roadmap (or, with `roadmap_id`, of an earlier one, read-only).

    Plain values, statements and sentences in `lang`:
    - `team`: {id, name}; `roadmap`: None when the team has no accepted roadmap, else {id, status
      ("accepted" or "superseded"), assessment_id, period (the assessment it was made from),
      accepted_by, accepted_on (ISO date), start_period, stage_length, replanned_from_id,
      replaced_by_id (the re-plan that superseded it, or None)}.
    - `iterations`: [{assessment_id, period, overall}] the roadmap's assessment, then every later
      finalized one that counts for it (oldest first); `latest`: the last of them or None.
    - `stages`: [{number, first_period, last_period, over (its last period lies before the latest
      iteration's), items, counts: {planned, achieved, progressing, slipped, open}}]; `backlog`:
      items without a stage. Dropped items are left out.
    - an item: {practice_id, statement, dimension_id, dimension_name, level, stage, due_period,
      status (planned, in_progress, done, dropped), owner, notes, tracking (achieved,
      progressing, slipped or None), tracking_label, tracked_assessment_id, tracked_period,
      tracked_value (the aggregated answer then, "0".."3", "1.5", "unknown"), baseline_value,
      latest_value, latest_period (None when no later iteration asked it), fell_back}.
    - `achieved`, `slipped`, `progressing`, `fell_back`: the items in that state, in plan order.
    - `totals`: counts over the stages; `notes`: J-curve sentences (empty when nothing dipped);
    - `history`: the team's other tracked roadmaps [{id, status, period, accepted_on}], newest first;
    - `replan`: {allowed (the user may re-plan now), from_assessment_id, from_period} or None.
    """
    team, role = team_or_404(user, team_id)
    roadmap = _roadmap(team.id, roadmap_id)
    base = {"team": {"id": team.id, "name": team.name}, "lang": lang, "history": _history(team.id, roadmap)}
    if roadmap is None:
        empty: dict[str, Any] = {
            k: [] for k in ("iterations", "stages", "backlog", "achieved", "slipped", "progressing", "fell_back", "notes")
        }
        return {**base, **empty, "roadmap": None, "latest": None, "totals": {}, "replan": None}
    every = finalized_iterations(team.id)
    replaced_by = successors(team.id).get(roadmap.id)
    counted = window(roadmap, every, replaced_by)
    found = outcomes(roadmap, counted)
    periods = {a.id: a.period for a in every}
    look = _Lookup(catalog_for(roadmap.assessment), engine.practice_values(roadmap.assessment.result), periods, lang)
    with force_locale(lang):
        items = [_item(roadmap, i, found[i.practice_id], look) for i in roadmap.items if i.status != "dropped"]
        notes = jcurve_notes([roadmap.assessment, *counted], lang)
    latest = counted[-1] if counted else None
    stages = [_stage(roadmap, n, [i for i in items if i["stage"] == n], latest) for n in range(1, roadmap.stages + 1)]
    return {
        **base,
        "roadmap": {
            "id": roadmap.id,
            "status": roadmap.status,
            "assessment_id": roadmap.assessment_id,
            "period": roadmap.assessment.period,
            "accepted_by": roadmap.accepted_by.name if roadmap.accepted_by else None,
            "accepted_on": roadmap.accepted_at.date().isoformat() if roadmap.accepted_at else None,
            "start_period": roadmap.start_period,
            "stage_length": roadmap.stage_length,
            "replanned_from_id": roadmap.replanned_from_id,
            "replaced_by_id": replaced_by.id if replaced_by is not None else None,
        },
        "iterations": [
            {"assessment_id": a.id, "period": a.period, "overall": (a.result or {}).get("overall", {}).get("score")}
            for a in [roadmap.assessment, *counted]
        ],
        "latest": {"assessment_id": latest.id, "period": latest.period} if latest is not None else None,
        "stages": stages,
        "backlog": [i for i in items if i["stage"] is None],
        "achieved": [i for i in items if i["tracking"] == "achieved"],
        "slipped": [i for i in items if i["tracking"] == "slipped"],
        "progressing": [i for i in items if i["tracking"] == "progressing"],
        "fell_back": [i for i in items if i["fell_back"]],
        "totals": {key: sum(s["counts"][key] for s in stages) for key in stages[0]["counts"]} if stages else {},
        "notes": notes,
        "replan": _replan_state(user, role, roadmap, every),
    }


def _roadmap(team_id: int, roadmap_id: int | None) -> Roadmap | None:
    if roadmap_id is None:
        return roadmaps.accepted_roadmap(team_id)
    roadmap = db.session.get(Roadmap, roadmap_id)
    if roadmap is None or roadmap.team_id != team_id or roadmap.status not in TRACKED:
        raise NotFound()
    return roadmap


def _history(team_id: int, shown: Roadmap | None) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(Roadmap)
        .where(Roadmap.team_id == team_id, Roadmap.status.in_(TRACKED))
        .order_by(Roadmap.accepted_at.desc(), Roadmap.id.desc())
    )
    return [
        {
            "id": r.id,
            "status": r.status,
            "period": r.assessment.period,
            "accepted_on": r.accepted_at.date().isoformat() if r.accepted_at else None,
        }
        for r in rows
        if shown is None or r.id != shown.id
    ]


@dataclass(frozen=True)
class _Lookup:
    catalog: Catalog  # the roadmap's assessment's
    baseline: dict[str, engine.StoredValue]  # its aggregated answers
    periods: dict[int, str]  # assessment id -> period
    lang: str


def _item(roadmap: Roadmap, item: RoadmapItem, outcome: engine.Outcome, look: _Lookup) -> dict[str, Any]:
    practice = look.catalog.practices.get(item.practice_id)
    dimension = item.practice_id.split(".")[0]  # a practice id is "<dimension>.<name>"
    found = next((d for d in look.catalog.dimensions if d.id == dimension), None)
    lang, periods = look.lang, look.periods
    return {
        "practice_id": item.practice_id,
        "statement": practice.statement.get(lang) if practice else item.practice_id,
        "dimension_id": dimension,
        "dimension_name": found.name.get(lang) if found else dimension,
        "level": practice.level if practice else None,
        "stage": item.stage,
        "due_period": due_period(roadmap, item.stage, item.status),
        "status": item.status,
        "owner": item.owner,
        "notes": item.notes,
        "tracking": outcome.tracking,
        "tracking_label": str(TRACKING_LABELS[outcome.tracking]),
        "tracked_assessment_id": outcome.assessment_id,
        "tracked_period": periods.get(outcome.assessment_id) if outcome.assessment_id else None,
        "tracked_value": outcome.value,
        "baseline_value": engine.answer_text(look.baseline.get(item.practice_id)),
        "latest_value": outcome.latest_value,
        "latest_period": periods.get(outcome.latest_assessment_id) if outcome.latest_assessment_id else None,
        "fell_back": outcome.fell_back,
    }


def _stage(roadmap: Roadmap, number: int, items: list[dict[str, Any]], latest: Assessment | None) -> dict[str, Any]:
    last = engine.stage_last_period(roadmap.start_period, number, roadmap.stage_length)
    states = [i["tracking"] for i in items]
    return {
        "number": number,
        "first_period": next_period(roadmap.start_period, (number - 1) * roadmap.stage_length),
        "last_period": last,
        "over": latest is not None and latest.period > last,
        "items": items,
        "counts": {
            "planned": len(items),
            "achieved": states.count("achieved"),
            "progressing": states.count("progressing"),
            "slipped": states.count("slipped"),
            "open": states.count(None),
        },
    }


def _replan_state(user: User, role: str, roadmap: Roadmap, iterations: Sequence[Assessment]) -> dict[str, Any] | None:
    if roadmap.status != "accepted" or not permissions.can_start_assessment(role, is_lead(user, roadmap.team_id)):
        return None
    latest = iterations[-1] if iterations else None
    possible = latest is not None and latest.period > roadmap.assessment.period
    return {
        "allowed": possible,
        "from_assessment_id": latest.id if possible and latest else None,
        "from_period": latest.period if possible and latest else None,
    }


def jcurve_notes(iterations: Sequence[Assessment], lang: str) -> list[str]:
    """Plain sentences on what got worse from one iteration to the next (oldest first), whether
    it recovered, and why a dip is no surprise; empty when nothing dipped. In `lang`."""
    with force_locale(lang):
        results = [(a, result_of(a)) for a in iterations]
        notes: list[str] = []
        before_dip: tuple[Fraction, str] | None = None  # the overall score before the first dip
        for (before, old), (after, new) in itertools.pairwise(results):
            comparison = compare(old, new)
            notes += _step_notes(before.period, after.period, comparison, old, new, catalog_for(after), lang)
            if before_dip is None and comparison.overall_before is not None and any(d.kind == "overall" for d in comparison.dips):
                before_dip = (comparison.overall_before, before.period)
        if not notes:
            return []
        last, now = results[-1][0], results[-1][1].overall_score
        if before_dip is not None and now is not None and now >= before_dip[0]:
            recovered = _(
                "The overall score is back: %(score)s in %(period)s, against %(before)s in %(earlier)s before the dip.",
                score=f"{float(now):.2f}",
                period=last.period,
                before=f"{float(before_dip[0]):.2f}",
                earlier=before_dip[1],
            )
            explained = _("A dip after a change is common (the J-curve): new ways of working cost time before they pay off.")
            return [*notes, str(recovered), str(explained)]
        explained = _(
            "A dip after a change is common (the J-curve): new ways of working cost time before they pay off. "
            "Watch whether the next review recovers; if it does not, look at what changed."
        )
        return [*notes, str(explained)]


def _step_notes(
    before: str, after: str, comparison: Comparison, old: Result, new: Result, catalog: Catalog, lang: str
) -> list[str]:
    notes = []
    overall = next((d for d in comparison.dips if d.kind == "overall"), None)
    if overall is not None:
        notes.append(
            _(
                "From %(before)s to %(after)s the overall score went down, from %(old)s to %(new)s.",
                before=before,
                after=after,
                old=f"{float(overall.before):.2f}",
                new=f"{float(overall.after):.2f}",
            )
        )
    names = {d.id: d.name.get(lang) for d in catalog.dimensions}
    lower = [names.get(d.id or "", d.id or "") for d in comparison.dips if d.kind == "dimension"]
    scored = sum(1 for d in comparison.dimensions if d.change is not None)
    if lower and len(lower) == scored:
        notes.append(_("Every dimension went down from %(before)s to %(after)s.", before=before, after=after))
    elif len(lower) > 3:  # a list of most dimensions says less than how many
        notes.append(
            _(
                "%(count)s of %(total)s dimensions went down from %(before)s to %(after)s.",
                count=len(lower),
                total=scored,
                before=before,
                after=after,
            )
        )
    elif lower:
        notes.append(
            _(
                "Dimensions that went down from %(before)s to %(after)s: %(names)s.",
                before=before,
                after=after,
                names=_join(lower, lang),
            )
        )
    worse = [d.id for d in comparison.dips if d.kind == "metric"]
    if worse:
        answers = {m.id: m for m in old.delivery.metrics}, {m.id: m for m in new.delivery.metrics}
        described = [_metric_change(catalog, mid, answers[0].get(mid), answers[1].get(mid), lang) for mid in worse if mid]
        notes.append(
            _(
                "Delivery got worse from %(before)s to %(after)s: %(metrics)s.",
                before=before,
                after=after,
                metrics=_join(described, lang),
            )
        )
    return [str(n) for n in notes]


def _join(parts: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(parts)


def _metric_change(catalog: Catalog, metric_id: str, old: MetricResult | None, new: MetricResult | None, lang: str) -> str:
    metric = next((m for m in catalog.metrics if m.id == metric_id), None)
    name = metric.name.get(lang) if metric else metric_id

    def answer(result: MetricResult | None) -> str:
        if result is None or result.answer is None:
            return "–"
        if metric is not None and metric.unit == "percent":
            return f"{result.answer}%"
        band = next((b for b in metric.bands if b.id == result.band), None) if metric else None
        return band.label.get(lang) if band else str(result.answer)

    return str(_("%(metric)s (%(before)s → %(after)s)", metric=name, before=answer(old), after=answer(new)))


def replan(user: User, team_id: int) -> Roadmap:
    """A draft roadmap from the team's latest finalized iteration, to re-stage what is left of the
    accepted one: its targets, capacity and stages carried over, starting the quarter after.
    Accepting the draft supersedes the old roadmap (`roadmaps.accept`)."""
    team, role = team_or_404(user, team_id)
    if not permissions.can_start_assessment(role, is_lead(user, team.id)):
        raise Forbidden()
    current = roadmaps.accepted_roadmap(team.id)
    if current is None:
        raise Conflict(_("This team has no accepted roadmap to re-plan."))
    every = finalized_iterations(team.id)
    latest = every[-1] if every else None
    if latest is None or latest.period <= current.assessment.period:
        raise Conflict(_("Finalize the next review first: a re-plan starts from the latest finalized assessment."))
    existing = db.session.scalar(sa.select(Roadmap).where(Roadmap.assessment_id == latest.id, Roadmap.status == "draft"))
    draft = existing or roadmaps.draft_for(user, latest.id)
    if existing is None:  # a draft someone already adjusted keeps its settings
        roadmaps.configure(
            user,
            draft.id,
            dict(current.targets or {}),
            current.capacity,
            current.stages,
            next_period(latest.period),
            current.stage_length,
        )
    draft.replanned_from_id = current.id
    record(user, team.organisation_id, "roadmap.replan", f"roadmap:{draft.id}", replans=f"roadmap:{current.id}")
    db.session.commit()
    return draft
