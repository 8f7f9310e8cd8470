"""The organisation overview's context, on the hand-made organisation of tests/org_scenario.py
(its docstring has the arithmetic), and the summary that finalize keeps beside the result."""

from __future__ import annotations

import pytest

from assessment.engine.serialize import summary_of
from assessment.services import assessments, org_overview, units
from assessment.services.errors import NotFound
from assessment.services.org_overview import Cell, RollupRow, TeamRow
from assessment.services.organisations import organisations_of
from tests import catalog_versions, org_scenario, results_scenario
from tests.factories import make_team, org_with_roles


@pytest.fixture
def scenario(app):
    with app.test_request_context():
        yield org_scenario.build(app)


def _view(scenario, role="viewer"):
    return org_overview.overview(scenario.people[role], scenario.organisation.id, "en")


def _cells(row, count=3):
    return [(c.score, c.status) for c in row.cells[:count]]


def test_every_member_reads_it_and_strangers_do_not(app, scenario):
    for role in ("owner", "facilitator", "member", "viewer"):
        assert _view(scenario, role).teams == 4  # the archived team is left out
    with pytest.raises(NotFound):
        org_overview.overview(org_scenario.stranger(), scenario.organisation.id, "en")
    assert _view(scenario, "owner").may_manage_units and not _view(scenario, "facilitator").may_manage_units


def test_organisation_row_means(scenario):
    view = _view(scenario)
    org = view.organisation
    assert (org.teams, org.assessed, org.overall) == (4, 3, 2.0)
    assert _cells(org) == [(3.0, "scored"), (0.75, "scored"), (1.25, "scored")]
    assert org.cells[1].band == 0 and org.cells[1].text == "0.75"
    assert [d.id for d in view.dimensions][:3] == ["config", "testing", "release"]  # the catalog's order
    assert len(view.dimensions) == 10
    assert org.cells[3] == Cell(None, "none")  # measurement: no team has a result for it


def test_weakest_dimensions(scenario):
    weakest = _view(scenario).weakest
    assert [(w.id, w.mean, w.teams) for w in weakest] == [("testing", 0.75, 2), ("release", 1.25, 2), ("config", 3.0, 3)]
    assert weakest[0].name == "Testing and quality"


def test_practices_most_teams_lack(scenario):
    lacking = _view(scenario).lacking
    assert [(p.id, p.teams, p.of) for p in lacking] == [
        ("config.trunk-based", 3, 3),
        ("config.version-control", 1, 3),  # level 1 before automated-unit's level 2
        ("testing.automated-unit", 1, 3),
    ]
    assert lacking[1].share == pytest.approx(1 / 3)
    assert lacking[0].dimension == "Configuration and change management" and lacking[0].level == 3


def test_rows_in_tree_order_with_rollups(scenario):
    rows = _view(scenario).rows
    shape = [(r.kind, r.name, r.depth) if isinstance(r, RollupRow) else ("team", r.name, r.depth) for r in rows]
    assert shape == [
        ("unit", "Engineering", 0),
        ("team", "Bravo", 1),
        ("unit", "Platform", 1),
        ("team", "Alpha", 2),
        ("team", "Delta", 2),
        ("unit", "Sales", 0),
        ("team", "Charlie", 1),
    ]
    engineering, platform, sales = (r for r in rows if isinstance(r, RollupRow))
    assert (engineering.teams, engineering.assessed, engineering.overall) == (3, 2, 1.5)
    assert _cells(engineering) == [(2.5, "scored"), (0.75, "scored"), (0.5, "scored")]
    assert (platform.teams, platform.assessed, platform.overall) == (2, 1, 2.0)
    assert (sales.teams, sales.assessed, sales.overall) == (1, 1, 3.0)


def test_team_rows(scenario):
    rows = {r.name: r for r in _view(scenario).rows if isinstance(r, TeamRow)}
    alpha = rows["Alpha"]
    assert (alpha.period, alpha.level, alpha.level_name, alpha.overall) == ("2026-Q3", 2, "Foundational", 2.0)
    assert alpha.trend == (1.5, 2.0) and alpha.trend_periods == ("2026-Q2", "2026-Q3")
    assert _cells(alpha) == [(3.0, "scored"), (1.0, "scored"), (None, "not_applicable")]
    assert _cells(rows["Charlie"])[1] == (None, "not_measured")
    delta = rows["Delta"]
    assert (delta.period, delta.level, delta.overall, delta.trend) == (None, None, None, ())
    assert _cells(delta) == [(None, "none")] * 3


def test_teams_in_no_unit_come_last_under_their_own_row(app, scenario):
    from assessment.extensions import db

    scenario.teams["Charlie"].unit_id = None
    db.session.commit()
    rows = _view(scenario).rows
    assert isinstance(rows[-2], RollupRow) and rows[-2].kind == "none" and rows[-1].name == "Charlie"
    assert rows[-2].overall == 3.0


def test_without_units_only_team_rows(app, scenario):
    from assessment.extensions import db
    from assessment.store.models import Team, Unit

    db.session.execute(Team.__table__.update().values(unit_id=None))
    db.session.execute(Unit.__table__.delete())
    db.session.commit()
    view = _view(scenario)
    assert [r.name for r in view.rows] == ["Alpha", "Bravo", "Charlie", "Delta"] and not view.has_units


def test_finalize_keeps_the_summary_and_reopen_clears_it(app):
    with app.test_request_context():
        s = results_scenario.build(app)
        done = assessments.finalize(s.owner, s.assessment.id)
        # the scenario's hand-worked overall score: 23/60 = 0.3833
        assert done.overall_score == done.result["overall"]["score"] == 0.3833
        assert done.summary == summary_of(done.result)
        assert done.summary["dimensions"]["testing"] == 2.0 and done.summary["level"] == 0
        assert "config.peer-review" in done.summary["below"]  # aggregated 2
        assert "config.version-control" not in done.summary["below"]  # 3
        assert "testing.automated-unit" not in done.summary["below"]  # N/A
        reopened = assessments.reopen(s.owner, s.assessment.id, "a wrong answer")
        assert (reopened.result, reopened.overall_score, reopened.summary) == (None, None, None)


def test_narrowed_to_a_unit(scenario):
    """Engineering holds Bravo, and Platform with Alpha and Delta (not assessed)."""
    view = org_overview.overview(scenario.people["viewer"], scenario.organisation.id, "en", scenario.units["Engineering"].id)
    assert view.focus.path == "Engineering"
    assert [r.name for r in view.rows] == ["Engineering", "Bravo", "Platform", "Alpha", "Delta"]
    assert (view.teams, view.assessed, view.organisation.overall) == (3, 2, 1.5)  # (2 + 1) / 2
    # config (3 + 2) / 2 = 2.5; testing (1 + 0.5) / 2 = 0.75; release: Bravo's 0.5 (N/A to Alpha)
    assert [(w.id, w.mean, w.teams) for w in view.weakest] == [("release", 0.5, 1), ("testing", 0.75, 2), ("config", 2.5, 2)]
    # trunk-based: Alpha and Bravo; automated-unit: Alpha only (Bravo's testing 0.5 aims at level 1)
    assert [(p.id, p.teams, p.of) for p in view.lacking] == [("config.trunk-based", 2, 2), ("testing.automated-unit", 1, 2)]
    platform = org_overview.overview(scenario.people["viewer"], scenario.organisation.id, "en", scenario.units["Platform"].id)
    assert platform.focus.path == "Engineering / Platform" and [r.name for r in platform.rows] == ["Platform", "Alpha", "Delta"]


def test_a_unit_of_another_organisation_is_not_found(scenario):
    outsider = org_scenario.stranger()
    theirs = units.create_unit(outsider, organisations_of(outsider)[0][0].id, "Theirs")
    with pytest.raises(NotFound):
        org_overview.overview(scenario.people["owner"], scenario.organisation.id, "en", theirs.id)


def test_teams_on_different_catalog_versions(app):
    """Two teams on tiny v2 (dimensions a, b, c), one on v1 (a, b; a.p4 is gone in v2)."""
    with app.test_request_context():
        organisation, people = org_with_roles("Versions")
        teams = [make_team(organisation, name) for name in ("New 1", "New 2", "Old")]

        def stored(dimensions: dict[str, float], below: list[str]) -> dict:
            return {
                "overall": {"score": 1.0, "level": 1},
                "dimensions": [
                    {"id": d, "status": "scored", "score": v, "practices": [{"id": p, "value": 0.0} for p in below if p[0] == d]}
                    for d, v in dimensions.items()
                ],
            }

        org_scenario.finalized(
            app, teams[0], "2026-Q3", stored({"a": 1.0, "b": 2.0, "c": 3.0}, ["a.p1"]), catalog=catalog_versions.v2()
        )
        org_scenario.finalized(
            app, teams[1], "2026-Q3", stored({"a": 2.0, "b": 2.0, "c": 1.0}, ["a.p1"]), catalog=catalog_versions.v2()
        )
        org_scenario.finalized(
            app, teams[2], "2026-Q3", stored({"a": 4.0, "b": 1.0}, ["a.p1", "a.p4"]), catalog=catalog_versions.v1()
        )
        view = org_overview.overview(people["viewer"], organisation.id, "en")
        assert [(d.id, d.name) for d in view.dimensions] == [("a", "Dimension a"), ("b", "Dimension b"), ("c", "Dimension c")]
        # a: (1 + 2 + 4) / 3 = 2.33; b: (2 + 2 + 1) / 3 = 1.67; c: (3 + 1) / 2 = 2.0, the old team did not have it
        assert [(w.id, round(w.mean, 2), w.teams) for w in view.weakest] == [("b", 1.67, 3), ("c", 2.0, 2), ("a", 2.33, 3)]
        old = next(r for r in view.rows if r.name == "Old")
        assert [c.status for c in old.cells] == ["scored", "scored", "none"]
        # a.p1 (level 1) in all three; a.p4 (level 4, only in v1): the old team's a is 4.0, up to level 5
        assert [(p.id, p.teams, p.statement) for p in view.lacking] == [
            ("a.p1", 3, "Practice a.p1 is in place."),
            ("a.p4", 1, "Practice a.p4 is in place."),
        ]
