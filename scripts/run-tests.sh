#!/usr/bin/env bash
# The whole suite on SQLite, then the database-backed tests again on PostgreSQL when it answers
# (in a database the suite creates and drops itself).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
$BIN/ruff check --quiet . || exit 1
$BIN/pytest "$@"
status=$?
[ $status -ne 0 ] && exit $status
PG_URL=${CDCOACH_TEST_POSTGRES:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres}
if $BIN/python -m tests.postgres_available "$PG_URL"; then
  echo "== again on PostgreSQL"
  CDCOACH_TEST_POSTGRES=$PG_URL $BIN/pytest -m "db" "$@"
  status=$?
  [ $status -eq 5 ] && status=0  # no database-backed test selected
else
  echo "== PostgreSQL does not answer at $PG_URL: SQLite only"
fi
exit $status
