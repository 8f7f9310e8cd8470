"""Trend chart: valid, light, deterministic SVG with its labels kept as text in both languages."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from assessment.engine.library import load_library
from reports.charts import TrendSeries, trend_chart

ROOT = Path(__file__).resolve().parents[3]
SVG = "{http://www.w3.org/2000/svg}"
PERIODS = ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"]


@pytest.fixture(scope="module")
def catalog():
    return load_library(ROOT / "questionnaires").get("cd-maturity")


def series(catalog, lang, periods=PERIODS):
    return [
        TrendSeries(d.name.get(lang), [round(1 + 0.3 * i + 0.1 * n, 2) for i in range(len(periods))], 3 if n % 2 else None)
        for n, d in enumerate(catalog.dimensions)
    ]


def texts(svg: str) -> list[str]:
    return [element.text or "" for element in ET.fromstring(svg.encode()).iter(f"{SVG}text")]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_period_and_dimension_name_is_text(catalog, lang):
    dims = series(catalog, lang)
    svg = trend_chart(PERIODS, [2.0] * 8, dims, overall_target=2.5, titles=("Overall", "Target"))
    joined = "".join("".join(texts(svg)).split())
    for name in (d.name for d in dims):
        assert "".join(name.split()) in joined
    assert all(period in texts(svg) for period in PERIODS)  # the overall panel names every period
    assert "2.0" in texts(svg)  # the overall scores are labelled
    assert "<script" not in svg


def test_light_and_deterministic(catalog):
    dims = series(catalog, "en")
    first = trend_chart(PERIODS, [2.0] * 8, dims)
    assert trend_chart(PERIODS, [2.0] * 8, dims) == first
    assert trend_chart(PERIODS, [2.0] * 7 + [2.5], dims) != first
    # eight periods, ten dimensions: well under 60 KB, with few paths (one for the whole grid)
    assert len(first) < 60_000
    assert first.count("<path") < 80


def test_gaps_targets_and_no_iterations(catalog):
    dims = [TrendSeries("A", [1.0, None, 2.0], 3), TrendSeries("B", [None, None, None])]
    svg = trend_chart(PERIODS[:3], [1.0, None, 2.0], dims, note="One iteration did not measure A.")
    assert "One iteration did not measure A." in texts(svg)
    empty = trend_chart([], [], [], note="No finalized iteration yet.")
    assert "No finalized iteration yet." in texts(empty)
    with pytest.raises(ValueError):
        trend_chart(PERIODS[:2], [1.0], dims)
