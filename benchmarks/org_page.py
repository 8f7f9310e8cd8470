"""How fast the organisation overview and a team's trend page render, and how many SQL queries they
take, for a large organisation against a small one in the same run.

Builds, in a throw-away SQLite file, an organisation of 500 teams x 8 finalized quarterly
assessments (in 12 units, two levels deep) and one of 50 teams x 2, straight into the tables:
stored results are real scoring results (a pool of 240 scored answer sets; each team-quarter takes
the one nearest to its maturity, which grows over the quarters with a dip now and then). Then,
through the Flask test client, the median and 95th percentile of N requests and the number of
SQL statements of one request. The query count must be the same for both organisations (no N+1),
and the large organisation's overview must render in under 300 ms (median).
Run: `make bench` or `.venv/bin/python benchmarks/org_page.py [--requests N] [--teams N --quarters N]`.
"""

from __future__ import annotations

import argparse
import bisect
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assessment.app import create_app
from assessment.engine.answers import AnswerSet, Response
from assessment.engine.catalog import Catalog
from assessment.engine.scoring import score
from assessment.engine.serialize import result_to_dict, summary_of
from assessment.extensions import db
from assessment.services.catalogs import snapshot_for
from assessment.store.models import Assessment, Membership, Organisation, Team, Unit, User

POOL = 240
TARGET_MS = 300


def scored_pool(catalog: Catalog, rng: random.Random) -> list[tuple[float, dict[str, Any]]]:
    """Stored results of teams from hardly started to very mature, sorted by overall score."""
    pool = []
    for n in range(POOL):
        truth = 0.3 + 4.4 * n / POOL  # how far along the levels the team is
        responses = tuple(
            Response(f"r{k}", {p.id: _answer(rng, truth, p.level) for d in catalog.dimensions for p in d.practices}, "dev")
            for k in range(3)
        )
        result = result_to_dict(score(catalog, AnswerSet(responses)), catalog)
        pool.append((result["overall"]["score"] or 0.0, result))
    return sorted(pool, key=lambda item: item[0])


def _answer(rng: random.Random, truth: float, level: int) -> int | str:
    if rng.random() < 0.02:
        return "unknown"
    return max(0, min(3, round(1.5 * (truth - level + 1) + rng.gauss(0, 0.9))))


def periods(count: int) -> list[str]:
    year, quarter = 2025, 1
    found = []
    for _ in range(count):
        found.append(f"{year}-Q{quarter}")
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return found


def build_organisation(
    name: str, owner_id: int, snapshot_id: int, teams: int, quarters: int, pool: list, rng: random.Random, units: int
) -> tuple[int, int]:
    """Bulk-insert an organisation; returns its id and the id of one of its teams."""
    organisation = Organisation(name=name)
    db.session.add(organisation)
    db.session.flush()
    db.session.add(Membership(user_id=owner_id, organisation_id=organisation.id, role="owner"))
    unit_ids = _units(organisation.id, units)
    first_team = (db.session.scalar(sa.select(sa.func.max(Team.id))) or 0) + 1
    team_rows = [
        {
            "id": first_team + n,
            "organisation_id": organisation.id,
            "unit_id": unit_ids[n % len(unit_ids)] if unit_ids and n % 10 else None,  # a tenth in no unit
            "name": f"Team {n + 1:03d}",
            "profile": {},
            "created_at": datetime(2025, 1, 1),
        }
        for n in range(teams)
    ]
    db.session.execute(sa.insert(Team), team_rows)
    scores = [s for s, _r in pool]
    rows = []
    for team in team_rows:
        maturity, pace = rng.uniform(0.3, 3.2), rng.uniform(0.0, 0.25)
        for quarter, period in enumerate(periods(quarters)):
            dip = 0.3 if rng.random() < 0.15 else 0.0  # the J-curve after a change
            wanted = maturity + pace * quarter - dip
            _s, result = pool[min(len(pool) - 1, bisect.bisect_left(scores, wanted))]
            rows.append(
                {
                    "team_id": team["id"],
                    "snapshot_id": snapshot_id,
                    "period": period,
                    "kind": "self",
                    "questionnaire": "full",
                    "status": "finalized",
                    "profile": {},
                    "result": result,
                    "overall_score": result["overall"]["score"],
                    "summary": summary_of(result),
                    "created_by_id": owner_id,
                    "created_at": datetime(2025, 1, 1),
                    "finalized_at": datetime(2025, 1, 2),
                    "finalized_by_id": owner_id,
                }
            )
    for start in range(0, len(rows), 500):
        db.session.execute(sa.insert(Assessment), rows[start : start + 500])
    db.session.commit()
    return organisation.id, first_team


def _units(organisation_id: int, count: int) -> list[int]:
    """`count` units: a third at the top, the rest below them."""
    tops = max(1, count // 3) if count else 0
    ids: list[int] = []
    for n in range(count):
        unit = Unit(organisation_id=organisation_id, name=f"Unit {n + 1:02d}", parent_id=ids[n % tops] if n >= tops else None)
        db.session.add(unit)
        db.session.flush()
        ids.append(unit.id)
    return ids


@contextmanager
def counting(engine: sa.Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def measure(client: Any, engine: sa.Engine, url: str, requests: int) -> tuple[float, float, float, int, int]:
    """(median ms, p95 ms, median CPU ms, SQL statements of one request, response bytes).

    The CPU time of this process says how much work a request is when other jobs share the machine
    (its wall time then includes waiting for a core).
    """
    first = client.get(url)  # warm-up: templates compiled, catalog parsed
    assert first.status_code == 200, (url, first.status_code)
    with counting(engine) as statements:
        client.get(url)
    times, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, statistics.median(cpu), len(statements), len(first.data)


def trend_url(app: Any, team_id: int) -> tuple[str, str]:
    """The team trend page when the app has it, else the team page."""
    rules = {r.rule for r in app.url_map.iter_rules()}
    if "/teams/<int:team_id>/trend" in rules:
        return f"/teams/{team_id}/trend", "team trend"
    return f"/teams/{team_id}", "team page (no trend page yet)"


def build(app: Any, sizes: tuple[tuple[int, int, int], ...], rng: random.Random) -> tuple[int, list[tuple[int, ...]]]:
    """The owner's id and, per size, (teams, quarters, organisation id, a team id)."""
    with app.app_context():
        db.create_all()
        catalog = app.extensions["cdcoach.catalogs"].get("cd-maturity")
        snapshot_id = snapshot_for(catalog).id
        owner = User(name="Bench Owner", email="owner@bench.example.com", password_hash=generate_password_hash("x"))
        db.session.add(owner)
        db.session.commit()
        pool = scored_pool(catalog, rng)
        built = [
            (
                teams,
                quarters,
                *build_organisation(f"Org {teams}x{quarters}", owner.id, snapshot_id, teams, quarters, pool, rng, units),
            )
            for teams, quarters, units in sizes
        ]
        return owner.id, built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--teams", type=int, default=500)
    parser.add_argument("--quarters", type=int, default=8)
    args = parser.parse_args()
    rng = random.Random(20261128)
    with tempfile.TemporaryDirectory(prefix="org-bench-", dir="/tmp") as folder:
        app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite"})
        started = time.perf_counter()
        sizes = ((args.teams, args.quarters, 12), (50, 2, 4))
        owner_id, built = build(app, sizes, rng)
        print(
            f"built {sizes[0][0]} teams x {sizes[0][1]} and {sizes[1][0]} x {sizes[1][1]}"
            f" in {time.perf_counter() - started:.1f} s"
        )
        gc.collect()  # what building left behind, as a server process would not have it
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = str(owner_id)
        results = {}
        for teams, quarters, org_id, team_id in built:
            trend, trend_name = trend_url(app, team_id)
            for page, url in (("organisation overview", f"/orgs/{org_id}/overview"), (trend_name, trend)):
                with app.app_context():
                    median, p95, cpu, queries, size = measure(client, db.engine, url, args.requests)
                results[(page, teams)] = median, queries
                print(
                    f"{page:<30} {teams:>3} teams x {quarters}: median {median:6.1f} ms  p95 {p95:6.1f} ms"
                    f"  (CPU {cpu:6.1f} ms)  {queries:2d} SQL queries  {size / 1024:4.0f} KiB"
                )
        big, small = sizes[0][0], sizes[1][0]
        for page in sorted({p for p, _t in results}):
            (t_big, q_big), (t_small, q_small) = results[(page, big)], results[(page, small)]
            same = "same" if q_big == q_small else "DIFFERENT"
            print(
                f"{page:<30} {big} vs {small} teams: time ratio {t_big / t_small:5.2f}x,"
                f" query count {same} ({q_big} vs {q_small})"
            )
        overview = results[("organisation overview", big)][0]
        verdict = "within" if overview < TARGET_MS else "OVER"
        print(f"organisation overview of {big} teams: median {overview:.1f} ms, {verdict} the {TARGET_MS} ms target")
        print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores while measuring)")


if __name__ == "__main__":
    main()
