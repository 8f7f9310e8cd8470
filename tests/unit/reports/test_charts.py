"""Radar chart: valid, light, deterministic SVG with its labels kept as text in both languages."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from assessment.engine.library import load_library
from reports.charts import radar_chart

ROOT = Path(__file__).resolve().parents[3]
SVG = "{http://www.w3.org/2000/svg}"
SCORES = [2.5, 1.0, 3.2, 0.5, 4.0, 0.0, 5.0, 1.5, 2.0, 2.75]


@pytest.fixture(scope="module")
def catalog():
    return load_library(ROOT / "questionnaires").get("cd-maturity")


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg.encode())
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_radar_is_valid_svg_with_every_label_as_text(catalog, lang):
    labels = [d.name.get(lang) for d in catalog.dimensions]
    svg = radar_chart(labels, SCORES)
    root = ET.fromstring(svg.encode())
    assert root.tag == f"{SVG}svg"
    # a long label is wrapped over consecutive <text> lines; together they spell the label
    all_text = squeezed("".join(texts(svg)))
    for label in labels:
        assert squeezed(label) in all_text
    assert "<script" not in svg and "onload" not in svg
    assert "<path" in svg  # really drawn, not only text


def test_chinese_labels_name_the_cjk_font(catalog):
    svg = radar_chart([d.name.zh for d in catalog.dimensions], SCORES)
    assert "'DejaVu Sans', 'Noto Sans CJK SC', sans-serif" in svg


def test_same_data_same_bytes_and_no_date(catalog):
    labels = [d.name.en for d in catalog.dimensions]
    first = radar_chart(labels, SCORES, targets=[3] * 10)
    assert radar_chart(labels, SCORES, targets=[3] * 10) == first
    assert radar_chart(labels, [*SCORES[:-1], 3.0], targets=[3] * 10) != first
    assert "<dc:date>" not in first and "<metadata>" not in first


def test_chart_is_light(catalog):
    svg = radar_chart([d.name.en for d in catalog.dimensions], SCORES)
    assert len(svg) < 30_000
    assert " C " not in svg  # straight lines only: no curves (a polar axes would add many)


def test_missing_scores_leave_gaps_and_the_note_is_printed():
    labels = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"]
    svg = radar_chart(labels, [2.0, None, 3.0, 4.0, None], note="No score: Beta, Epsilon.")
    assert "No score: Beta, Epsilon." in texts(svg)
    assert texts(svg).count("Beta") == 1  # the label stays, greyed


def test_targets_add_a_legend_with_the_given_names():
    svg = radar_chart(["A", "B", "C"], [1.0, 2.0, 3.0], targets=[2.0, 3.0, 4.0], legend=("得分", "目标"))
    assert {"得分", "目标"} <= set(texts(svg))


def test_lengths_must_match():
    with pytest.raises(ValueError):
        radar_chart(["A", "B"], [1.0])
