"""Small hand-made catalogs for tests: a builder with defaults plus overrides."""

from __future__ import annotations

from typing import Any

import yaml

from assessment.engine.catalog import Catalog


def text(en: str, zh: str | None = None) -> dict[str, str]:
    return {"en": en, "zh": zh or f"中文：{en}"}


def practice(pid: str, level: int, **overrides: Any) -> dict[str, Any]:
    data = {
        "id": pid,
        "level": level,
        "statement": text(f"Practice {pid} is in place."),
        "scale": {"started": text("Started."), "mostly": text("Mostly."), "fully": text("Fully.")},
        "guidance": {k: text(f"{k} of {pid}.") for k in ("why", "first_steps", "success", "pitfalls")},
        "effort": "M",
        "impact": 2,
    }
    data.update(overrides)
    return data


def dimension(did: str, practices: list[dict[str, Any]], area: str = "process") -> dict[str, Any]:
    return {"id": did, "area": area, "name": text(f"Dimension {did}"), "practices": practices}


def catalog_data(dimensions: list[dict[str, Any]] | None = None, **overrides: Any) -> dict[str, Any]:
    """A valid catalog; by default one dimension 'a' with one practice per level."""
    data: dict[str, Any] = {
        "id": "tiny",
        "version": "1",
        "title": text("Tiny"),
        "levels": [{"level": i, "name": text(f"L{i}"), "meaning": text(f"Level {i}.")} for i in range(1, 6)],
        "areas": [{"id": a, "name": text(a)} for a in ("process", "team", "tooling")],
        "dimensions": dimensions or [dimension("a", [practice(f"a.p{i}", i) for i in range(1, 6)])],
    }
    data.update(overrides)
    return data


def build(dimensions: list[dict[str, Any]] | None = None, **overrides: Any) -> Catalog:
    return Catalog.model_validate(catalog_data(dimensions, **overrides))


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def metric_hours() -> dict[str, Any]:
    """A lead-time style metric: four bands, best first."""
    bounds = [(0, 24, 5), (24, 168, 4), (168, 720, 2), (720, None, 1)]
    return {
        "id": "lead_time",
        "factor": "throughput",
        "unit": "hours",
        "name": text("Lead time"),
        "question": text("How long?"),
        "bands": [
            {"id": f"b{i}", "label": text(f"band {i}"), "lower": lo, "upper": up, "tier": t}
            for i, (lo, up, t) in enumerate(bounds)
        ],
    }


def metric_percent() -> dict[str, Any]:
    bounds = [(0, 6, 5), (6, 21, 3), (21, None, 1)]
    return {
        "id": "change_failure_rate",
        "factor": "instability",
        "unit": "percent",
        "name": text("Change failure rate"),
        "question": text("What share?"),
        "bands": [
            {"id": f"p{i}", "label": text(f"band {i}"), "lower": lo, "upper": up, "tier": t}
            for i, (lo, up, t) in enumerate(bounds)
        ],
    }
