"""Results and catalogs as JSON-ready plain data (for the CLI, stored snapshots and exports)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from .aggregate import Aggregate
from .catalog import Catalog
from .delivery import DeliveryResult
from .roadmap import Item, Roadmap
from .scoring import DimensionResult, Result


def number(value: Fraction | None, places: int = 4) -> float | None:
    return None if value is None else round(float(value), places)


def aggregate_value(value: Any) -> float | str:
    return number(value) if isinstance(value, Fraction) else value  # type: ignore[return-value]


def result_to_dict(result: Result, catalog: Catalog) -> dict[str, Any]:
    return {
        "model": result.catalog_id,
        "version": result.catalog_version,
        "overall": {
            "score": number(result.overall_score),
            "level": result.overall_level,
            "confidence": number(result.confidence),
        },
        "weakest": _weakest(result),
        "areas": {area: number(value) for area, value in result.areas.items()},
        "dimensions": [_dimension(d, catalog, result.practices) for d in result.dimensions],
        "delivery": delivery_to_dict(result.delivery),
    }


# Aggregated answers that count as 0 (DESIGN.md, Scores) besides numbers: a practice lacks with them.
COUNTS_AS_ZERO = ("unknown", "unanswered")


def summary_of(result: dict[str, Any]) -> dict[str, Any]:
    """The small part of a stored result that views across many teams read (kept beside it).

    `dimensions`: each dimension's score, or its status when it is not applicable or not measured;
    `below`: practices asked and applicable whose aggregated answer is below 3.
    """
    return {
        "level": result["overall"]["level"],
        "dimensions": {d["id"]: d["score"] if d["status"] == "scored" else d["status"] for d in result["dimensions"]},
        "below": [p["id"] for d in result["dimensions"] for p in d["practices"] if _below_3(p["value"])],
    }


def _below_3(value: Any) -> bool:
    return value in COUNTS_AS_ZERO or (isinstance(value, int | float) and value < 3)


def _weakest(result: Result) -> dict[str, Any] | None:
    if result.weakest is None:
        return None
    dim = result.dimension(result.weakest)
    return {
        "id": dim.id,
        "score": number(dim.score),
        "level": dim.level,
        "lowest_incomplete_level": dim.lowest_incomplete,
        "capping": list(dim.capping),
    }


def _dimension(dim: DimensionResult, catalog: Catalog, aggregates: dict[str, Aggregate]) -> dict[str, Any]:
    return {
        "id": dim.id,
        "area": dim.area,
        "status": dim.status,
        "score": number(dim.score),
        "level": dim.level,
        "coverage": [number(c) for c in dim.coverage],
        "measured_up_to": dim.measured_up_to,
        "practices": [_practice(p.id, p.level, aggregates[p.id]) for p in catalog.dimension(dim.id).practices],
    }


def _practice(pid: str, level: int, agg: Aggregate) -> dict[str, Any]:
    return {
        "id": pid,
        "level": level,
        "value": aggregate_value(agg.value),
        "source": agg.source,
        "answers": dict(agg.counts),
        "spread": agg.spread,
        "disagreement": agg.disagreement,
    }


def delivery_to_dict(delivery: DeliveryResult) -> dict[str, Any]:
    return {
        "tier": delivery.tier,
        "quick_check": number(delivery.quick_check, 2),
        "throughput": number(delivery.throughput, 2),
        "instability": number(delivery.instability, 2),
        "metrics": [
            {
                "id": m.id,
                "factor": m.factor,
                "answer": m.answer,
                "band": m.band,
                "tier": m.tier,
                "quick_check": number(m.quick_check, 2),
            }
            for m in delivery.metrics
        ],
    }


def catalog_to_dict(catalog: Catalog) -> dict[str, Any]:
    """The normalised catalog: every key with its default filled in."""
    return catalog.model_dump(mode="json")


def roadmap_to_dict(roadmap: Roadmap, lang: str | None = None) -> dict[str, Any]:
    """The roadmap as plain data; each item carries why it is where it is and its guidance."""
    return {
        "targets": dict(roadmap.targets),
        "current": {k: number(v) for k, v in roadmap.current.items()},
        "current_overall": number(roadmap.current_overall),
        "capacity": roadmap.settings.capacity,
        "stages": [
            {
                "stage": stage.number,
                "period": stage.period,
                "items": [_item(item, lang) for item in stage.items],
                "projected": {k: number(v) for k, v in stage.projected.items()},
                "projected_overall": number(stage.projected_overall),
            }
            for stage in roadmap.stages
        ],
        "backlog": [_item(item, lang) for item in roadmap.backlog],
        "dropped": [_item(item, lang) for item in roadmap.dropped],
    }


def _item(item: Item, lang: str | None) -> dict[str, Any]:
    practice = item.practice
    guidance = practice.guidance.model_dump()
    return {
        "practice": practice.id,
        "dimension": item.dimension,
        "level": practice.level,
        "effective_level": item.effective_level,
        "answer": number(item.value),
        "impact": practice.impact,
        "effort": practice.effort,
        "requires": list(item.requires),
        "unblocks": list(item.unblocks),
        "statement": practice.statement.get(lang) if lang else practice.statement.model_dump(),
        "guidance": {k: v[lang] for k, v in guidance.items()} if lang else guidance,
    }
