"""Migrations: an empty database upgraded to head matches the models exactly (no drift)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from assessment.extensions import db


def _reset(app) -> None:
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


def test_upgrade_to_head_has_no_drift(app):
    _reset(app)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == []
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"user", "organisation", "assessment", "answer", "consensus"} <= tables
    _reset(app)


def test_downgrade_to_base_removes_everything(app):
    _reset(app)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
    _reset(app)
