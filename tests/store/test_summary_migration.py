"""Migration 0003 fills the overview's columns (overall score, summary) of assessments finalized
before it, from their stored results, so an upgraded database shows its history."""

from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa
from flask_migrate import upgrade

from assessment.engine.serialize import summary_of
from assessment.extensions import db
from tests.org_scenario import result
from tests.store.test_migrations import _reset

NOW = datetime(2026, 11, 1)


def test_upgrade_fills_summaries_of_finalized_assessments(app):
    stored = result(2.0, 2, 3.0, 1.0, "not_applicable", {"config.trunk-based"})
    _reset(app)
    with app.app_context():
        upgrade(revision="0002")
        tables = sa.MetaData()
        tables.reflect(db.engine)
        t = tables.tables
        with db.engine.begin() as c:
            c.execute(sa.insert(t["organisation"]).values(id=1, name="Old", created_at=NOW))
            c.execute(sa.insert(t["team"]).values(id=1, organisation_id=1, name="T", profile={}, created_at=NOW))
            c.execute(
                sa.insert(t["catalog_snapshot"]).values(
                    id=1, catalog_id="cd-maturity", version="1", content_hash="x", content={}, created_at=NOW
                )
            )
            common = {"team_id": 1, "snapshot_id": 1, "kind": "self", "questionnaire": "full", "profile": {}, "created_at": NOW}
            c.execute(sa.insert(t["assessment"]).values(id=1, period="2026-Q3", status="finalized", result=stored, **common))
            c.execute(sa.insert(t["assessment"]).values(id=2, period="2026-Q4", status="open", result=None, **common))
        upgrade()
        with db.engine.connect() as c:
            rows = c.execute(sa.text("SELECT id, overall_score, summary FROM assessment ORDER BY id")).all()
        finalized, open_one = rows
        assert finalized.overall_score == 2.0
        summary = finalized.summary if isinstance(finalized.summary, dict) else json.loads(finalized.summary)
        assert (
            summary
            == summary_of(stored)
            == {
                "level": 2,
                "dimensions": {"config": 3.0, "testing": 1.0, "release": "not_applicable"},
                "below": ["config.trunk-based"],
            }
        )
        assert (open_one.overall_score, open_one.summary) == (None, None)
    _reset(app)
