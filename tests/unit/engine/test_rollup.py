"""Organisation roll-up rules (engine.rollup) on three hand-made teams and a small unit tree.

Team A: overall 2.0; config 3.0, testing 1.0, release not applicable; below 3: trunk-based, automated-unit
Team B: overall 1.0; config 2.0, testing 0.5, release 0.5; below 3: trunk-based, automated-unit, scripted-deploy
Team C: overall 3.0; config 4.0, testing not measured, release 2.0; below 3: trunk-based, version-control
Team D: no finalized assessment.
"""

from __future__ import annotations

import pytest

from assessment.engine.rollup import (
    Lacking,
    Mean,
    TeamScores,
    dimension_means,
    makes_cycle,
    overall_mean,
    practices_lacking,
    subtree,
    teams_by_unit,
    tree_order,
    weakest_dimensions,
)
from assessment.engine.serialize import summary_of

DIMS = ["config", "testing", "release"]
ORDER = ["config.version-control", "config.trunk-based", "testing.automated-unit", "release.scripted-deploy"]
LEVELS = {"config.version-control": 1, "config.trunk-based": 3, "testing.automated-unit": 2, "release.scripted-deploy": 2}

A = TeamScores(1, 10, 2.0, 2, {"config": 3.0, "testing": 1.0, "release": "not_applicable"},
               frozenset({"config.trunk-based", "testing.automated-unit"}))  # fmt: skip
B = TeamScores(2, 11, 1.0, 1, {"config": 2.0, "testing": 0.5, "release": 0.5},
               frozenset({"config.trunk-based", "testing.automated-unit", "release.scripted-deploy"}))  # fmt: skip
C = TeamScores(3, 12, 3.0, 3, {"config": 4.0, "testing": "not_measured", "release": 2.0},
               frozenset({"config.trunk-based", "config.version-control"}))  # fmt: skip
D = TeamScores(4, 10)
TEAMS = [A, B, C, D]


def test_overall_mean_counts_each_assessed_team_once():
    # (2.0 + 1.0 + 3.0) / 3 = 2.0; D has no result and is left out
    assert overall_mean(TEAMS) == Mean(2.0, 3)


def test_dimension_means_leave_out_not_measured_and_not_applicable():
    means = dimension_means(TEAMS, DIMS)
    assert means["config"] == Mean(3.0, 3)  # (3 + 2 + 4) / 3
    assert means["testing"] == Mean(0.75, 2)  # (1 + 0.5) / 2: C did not measure it
    assert means["release"] == Mean(1.25, 2)  # (0.5 + 2) / 2: not applicable to A


def test_no_team_with_a_number_gives_no_mean():
    assert dimension_means([D], ["config"])["config"] == Mean(None, 0)


def test_weakest_dimensions_lowest_mean_first():
    means = dimension_means(TEAMS, DIMS)
    assert [d for d, _m in weakest_dimensions(means, DIMS, 2)] == ["testing", "release"]


def test_weakest_dimensions_ties_in_catalog_order():
    means = {"config": Mean(1.0, 2), "testing": Mean(1.0, 1), "release": Mean(None, 0)}
    assert [d for d, _m in weakest_dimensions(means, ["testing", "config", "release"])] == ["testing", "config"]
    assert [d for d, _m in weakest_dimensions(means, ["config", "testing", "release"])] == ["config", "testing"]


DIMENSION_OF = {p: p.split(".")[0] for p in ORDER}


def test_practices_most_teams_lack():
    # A team counts a practice below 3 up to its dimension's next level (floor(score) + 1):
    # trunk-based (config, level 3): A (config 3.0: up to 4), B (2.0: up to 3), C (4.0: up to 5) = 3
    # automated-unit (testing, level 2): A (1.0: up to 2) counts; B (0.5: up to 1) does not = 1
    # scripted-deploy (release, level 2): B (0.5: up to 1) does not = 0, left out
    # version-control (config, level 1): C = 1, before automated-unit: lower level first
    assert practices_lacking(TEAMS, ORDER, LEVELS, DIMENSION_OF) == [
        Lacking("config.trunk-based", 3, 3),
        Lacking("config.version-control", 1, 3),
        Lacking("testing.automated-unit", 1, 3),
    ]
    assert len(practices_lacking(TEAMS, ORDER, LEVELS, DIMENSION_OF, count=2)) == 2


def test_same_count_and_level_in_catalog_order():
    levels = dict.fromkeys(ORDER, 2)
    one_each = [TeamScores(1, None, 1.0, 1, {}, frozenset({"release.scripted-deploy", "config.version-control"}))]
    # no dimension scores: every level counts
    assert [x.practice_id for x in practices_lacking(one_each, ORDER, levels, DIMENSION_OF)] == [
        "config.version-control",
        "release.scripted-deploy",
    ]


# Units: 10 Engineering > 11 Platform > 13 Tools; 12 Sales; (14 is a root too)
PARENTS = {10: None, 11: 10, 12: None, 13: 11, 14: None}
NAMES = {10: "Engineering", 11: "Platform", 12: "Sales", 13: "Tools", 14: "analytics"}


def test_subtree_and_cycles():
    assert subtree(PARENTS, 10) == {10, 11, 13}
    assert subtree(PARENTS, 13) == {13}
    assert makes_cycle(PARENTS, 10, 13)  # Engineering under its own grandchild
    assert makes_cycle(PARENTS, 11, 11)  # under itself
    assert not makes_cycle(PARENTS, 13, 12)
    assert not makes_cycle(PARENTS, 10, None)


def test_tree_order_depth_first_siblings_by_name():
    # roots by name, case-insensitive: analytics, Engineering, Sales
    assert tree_order(PARENTS, NAMES) == [(14, 0), (10, 0), (11, 1), (13, 2), (12, 0)]


def test_a_unit_rolls_up_its_descendants_teams():
    teams = teams_by_unit(PARENTS, TEAMS)
    assert [t.team_id for t in teams[10]] == [1, 2, 4]  # A and D in Engineering itself, B in Platform
    assert [t.team_id for t in teams[11]] == [2]
    assert [t.team_id for t in teams[12]] == [3]
    assert overall_mean(teams[10]) == Mean(1.5, 2)  # (2 + 1) / 2, D not assessed


def _result(dimensions: list[dict], score: float | None = 1.5, level: int = 1) -> dict:
    return {"overall": {"score": score, "level": level}, "dimensions": dimensions}


def test_summary_of_a_stored_result():
    practices = [
        {"id": "p.three", "value": 3.0},
        {"id": "p.mostly", "value": 2.5},
        {"id": "p.na", "value": "na"},
        {"id": "p.unknown", "value": "unknown"},
        {"id": "p.blank", "value": "unanswered"},
        {"id": "p.quick", "value": "not_asked"},
        {"id": "p.zero", "value": 0.0},
    ]
    result = _result(
        [
            {"id": "a", "status": "scored", "score": 2.25, "practices": practices},
            {"id": "b", "status": "not_applicable", "score": None, "practices": []},
            {"id": "c", "status": "not_measured", "score": None, "practices": []},
        ]
    )
    assert summary_of(result) == {
        "level": 1,
        "dimensions": {"a": 2.25, "b": "not_applicable", "c": "not_measured"},
        "below": ["p.mostly", "p.unknown", "p.blank", "p.zero"],
    }


@pytest.mark.parametrize("value", [3, 3.0, "na", "not_asked"])
def test_not_lacking(value):
    result = _result([{"id": "a", "status": "scored", "score": 1.0, "practices": [{"id": "p", "value": value}]}])
    assert summary_of(result)["below"] == []
