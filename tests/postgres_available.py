"""Exit 0 when the PostgreSQL server at the given URL answers (used by scripts/run-tests.sh)."""

from __future__ import annotations

import sys

from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError


def answers(url: str) -> bool:
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        return True
    except SQLAlchemyError:
        return False
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(0 if answers(sys.argv[1]) else 1)
