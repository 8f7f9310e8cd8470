"""Shared fixtures: the app on a throw-away database, its test client and CLI runner.

Tests that use the database carry the `db` marker (added automatically to every test that
uses the `app` fixture). With CDCOACH_TEST_POSTGRES set to a server URL, they run against a
PostgreSQL database that the session creates and drops itself.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from assessment.app import create_app
from assessment.extensions import db

POSTGRES = os.environ.get("CDCOACH_TEST_POSTGRES")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "app" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not POSTGRES:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        return
    server = make_url(POSTGRES)
    name = f"cdcoach_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    options = {"connect_args": {"options": "-c synchronous_commit=off"}} if POSTGRES else {}  # no fsync wait per commit
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": database_url, "SQLALCHEMY_ENGINE_OPTIONS": options})
    with app.app_context():
        db.create_all()  # once per database; later calls only check that the tables are there
    yield app
    with app.app_context():
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _empty_tables() -> None:
    """Delete every row (much faster than dropping and creating the schema for each test)."""
    existing = set(sa.inspect(db.engine).get_table_names())
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name in existing]
    with db.engine.begin() as connection:
        for table in tables:
            connection.execute(table.delete())


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()
