"""Database engine set-up shared by the app and the CLI."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event


def enable_sqlite_pragmas(engine: Engine) -> None:
    """SQLite: enforce foreign keys, use WAL so readers do not block the writer, wait on locks."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL is still corruption-safe and syncs at checkpoints, not at every
            # commit: an answer's save took 17-35 ms with FULL (one fsync each, the write lock
            # held meanwhile), 5-7 ms with NORMAL (benchmarks/workshop_load.py). A power cut may
            # lose the last commits; PostgreSQL is the production database.
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
