"""A team's trend and two iterations compared (tests/trend_scenario.py has the arithmetic)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from assessment.extensions import db
from assessment.services import catalogs, comparisons, trends
from assessment.services.catalogs import snapshot_for
from assessment.services.errors import NotFound
from assessment.store.models import Assessment
from tests import trend_scenario
from tests.catalog_builder import dump
from tests.catalog_versions import cd_maturity_next
from tests.factories import make_org, make_team, make_user, start


@pytest.fixture
def scenario(app):
    with app.test_request_context():
        yield trend_scenario.build(app)


def test_the_trend_lists_every_finalized_iteration_oldest_first(scenario):
    trend = trends.team_trend(scenario.viewer, scenario.team.id, "en")
    rows = trend.iterations
    assert [r.period for r in rows] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    # overall 2/15, 7/30, 1/5 as stored (4 places); changes 7/30 - 2/15 = 1/10, 1/5 - 7/30 = -1/30
    assert [r.overall_score for r in rows] == [0.1333, 0.2333, 0.2]
    assert [r.change for r in rows] == [None, 0.1, -0.0333]
    assert [r.overall_level for r in rows] == [0, 0, 0]
    config = next(d for d in trend.dimensions if d.id == "config")
    assert config.scores == (1.3333, 2.3333, 2.0)  # 4/3, 7/3, 2
    assert (config.target, trend.overall_target, trend.targets_period) == (2, 1.1, "2026-Q1")
    assert all(d.target == 1 for d in trend.dimensions if d.id != "config")
    assert not trend.mixed_versions


def test_open_assessments_are_not_iterations(app, scenario):
    start(app, scenario.owner, scenario.team, "quick", "2026-Q4")
    assert len(trends.team_trend(scenario.owner, scenario.team.id, "en").iterations) == 3


def test_without_an_accepted_roadmap_there_are_no_targets(app):
    with app.test_request_context():
        built = trend_scenario.build(app, roadmap=False)
        trend = trends.team_trend(built.owner, built.team.id, "en")
        assert trend.overall_target is None and trend.targets_period is None
        assert all(d.target is None for d in trend.dimensions)


def test_the_trend_is_for_members_of_the_organisation_only(scenario):
    outsider = make_user("Oscar Outsider")
    make_org(outsider)
    with pytest.raises(NotFound):
        trends.team_trend(outsider, scenario.team.id, "en")
    with pytest.raises(NotFound):
        comparisons.compare_iterations(outsider, scenario.team.id, None, None, "en")


@contextmanager
def counted_queries():
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def test_the_trend_takes_the_same_number_of_queries_for_more_iterations(app, scenario):
    def queries() -> int:
        db.session.expire_all()  # nothing cached from building the scenario
        with counted_queries() as statements:
            trends.team_trend(scenario.viewer, scenario.team.id, "en")
        return len(statements)

    three = queries()
    for period in ("2026-Q4", "2027-Q1", "2027-Q2"):
        trend_scenario.finalized(app, scenario.owner, scenario.member, scenario.team, period, {}, {}, "weekly")
    assert len(trends.team_trend(scenario.viewer, scenario.team.id, "en").iterations) == 6
    assert queries() == three


def test_the_chart_is_svg_with_the_periods_and_dimension_names(scenario):
    svg = trends.trend_svg(scenario.viewer, scenario.team.id, "zh")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for text in ("2026-Q1", "2026-Q3", "配置与变更管理", "总体得分"):
        assert text in svg


def test_compare_defaults_to_the_last_two_iterations(scenario):
    page = comparisons.compare_iterations(scenario.viewer, scenario.team.id, None, None, "en")
    _q1, q2, q3 = scenario.iterations
    assert (page.base_id, page.now_id) == (q2.id, q3.id)
    assert [c.period for c in page.choices] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    c = page.comparison
    assert (c.overall_before, c.overall_after, c.overall_change) == (0.2333, 0.2, -0.0333)  # 7/30 -> 1/5
    config = next(d for d in c.dimensions if d.id == "config")
    assert (config.before, config.after, config.change, config.target) == (2.3333, 2.0, -0.3333, 2)
    assert config.progress is None  # the target 2 is not above the baseline 7/3
    assert [(p.id, p.before, p.after) for p in c.moved_up] == [("config.trunk-based", "1", "2")]
    assert [(p.id, p.before, p.after) for p in c.moved_down] == [("config.version-control", "3", "2")]
    assert [d.id for d in c.new_disagreements] == ["config.trunk-based"]
    assert c.new_disagreements[0].answers == {"1": 1, "3": 1}
    # confidence 3/30 -> 4/60: change 1/15 - 1/10 = -1/30
    assert (c.confidence_before, c.confidence_after, c.confidence_change) == (0.1, 0.0667, -0.0333)
    # percent to target: 9 of 11 short both times (config is at its target 2 or above) -> 2/11; no progress
    assert (c.percent_to_target_before, c.percent_to_target_after, c.progress) == (0.1818, 0.1818, 0)


def test_a_dip_is_said_plainly(scenario):
    c = comparisons.compare_iterations(scenario.viewer, scenario.team.id, None, None, "en").comparison
    assert c.dips == (
        "The overall score went down from 0.23 to 0.20.",
        "Dimensions that went down: Configuration and change management (2.33 → 2.00).",
    )
    first = comparisons.compare_iterations(
        scenario.viewer, scenario.team.id, scenario.iterations[0].id, scenario.iterations[1].id, "en"
    )
    # Q1 -> Q2: weekly (tier 4) -> monthly (tier 3), while the scores rose
    assert first.comparison.dips == (
        "Delivery performance fell from tier 4 to tier 3.",
        "Delivery metrics that got worse: Deployment frequency (tier 4 → 3).",
    )
    # config 4/3 -> 7/3 toward the target 2: (7/3 - 4/3) / (2 - 4/3) = 1 / (2/3) = 3/2
    assert next(d for d in first.comparison.dimensions if d.id == "config").progress == 1.5


def test_dips_in_chinese(scenario):
    c = comparisons.compare_iterations(scenario.viewer, scenario.team.id, None, None, "zh").comparison
    assert c.dips[0] == "总体得分从0.23降至0.20。"
    assert c.dips[1] == "得分下降的维度：配置与变更管理（2.33 → 2.00）。"


def test_the_oldest_iteration_is_compared_with_the_next(scenario):
    q1, q2, _q3 = scenario.iterations
    page = comparisons.compare_iterations(scenario.viewer, scenario.team.id, None, q1.id, "en")
    assert (page.base_id, page.now_id) == (q1.id, q2.id)


def test_only_finalized_iterations_of_the_team_can_be_compared(app, scenario):
    draft = start(app, scenario.owner, scenario.team, "quick", "2026-Q4")
    with pytest.raises(NotFound):
        comparisons.compare_iterations(scenario.viewer, scenario.team.id, draft.id, None, "en")
    other = trend_scenario.build(app).iterations[0]  # another organisation's iteration
    with pytest.raises(NotFound):
        comparisons.compare_iterations(scenario.viewer, scenario.team.id, None, other.id, "en")


def test_one_iteration_is_not_enough_to_compare(app):
    with app.test_request_context():
        owner = make_user()
        team = make_team(make_org(owner), lead=owner)
        trend_scenario.finalized(app, owner, owner, team, "2026-Q1", {trend_scenario.VC: "3"}, {}, "weekly")
        page = comparisons.compare_iterations(owner, team.id, None, None, "en")
        assert page.comparison is None and len(page.choices) == 1


def test_an_iteration_on_an_older_version_is_rescored_on_the_newer(app, scenario, tmp_path):
    bundled = app.extensions["cdcoach.catalogs"].get("cd-maturity")
    path = tmp_path / "catalog.yaml"
    # 1.1 renames config.version-control (-v2) and merges config.peer-review with release-tagging (-merged)
    path.write_text(dump(cd_maturity_next(bundled)), encoding="utf-8")
    newer = catalogs.import_catalog(path).catalog
    renamed = {trend_scenario.VC + "-v2": "2", trend_scenario.PR + "-merged": "3", trend_scenario.TB: "3"}
    q4 = trend_scenario.finalized(
        app, scenario.owner, scenario.member, scenario.team, "2026-Q4", renamed, {trend_scenario.TB: "1"}, "monthly", newer
    )
    page = comparisons.compare_iterations(scenario.viewer, scenario.team.id, None, None, "en")
    assert page.now_id == q4.id and not page.different_catalogs
    c = page.comparison
    note = c.version_note
    assert (note.period, note.answered_on, note.version) == ("2026-Q3", bundled.version, "1.1")
    assert newer.practices[f"{newer.dimensions[-1].id}.brand-new"].statement.en in note.new_practices
    # the same answers under the new ids: nothing moved, no score changed (a renaming is no move)
    assert c.moved_up == c.moved_down == () and c.overall_change == 0
    assert all(d.change in (0, None) for d in c.dimensions)
    trend = trends.team_trend(scenario.viewer, scenario.team.id, "en")
    assert trend.version == "1.1" and trend.rescored == ("2026-Q1", "2026-Q2", "2026-Q3")
    assert [r.catalog_version for r in trend.iterations] == [bundled.version] * 3 + ["1.1"]
    assert [r.overall_score for r in trend.iterations][-2:] == [0.2, 0.2]


def test_iterations_of_different_catalogs_are_not_compared(app, scenario):
    catalog = app.extensions["cdcoach.catalogs"].get("cd-maturity")
    other = snapshot_for(catalog.model_copy(update={"id": "other-model"}))
    db.session.get(Assessment, scenario.iterations[1].id).snapshot_id = other.id
    db.session.commit()
    page = comparisons.compare_iterations(scenario.viewer, scenario.team.id, None, None, "en")
    assert page.different_catalogs and page.comparison is None
