"""An organisation of four teams with stored results written by hand (tests of the overview).

Only config, testing and release have results (the other seven dimensions: no result, left out).

         unit                       period   overall config testing       release  below 3
Alpha    Platform (in Engineering)  2026-Q2  1.5     2.0    1.0           N/A      trunk-based
         (the latest:)              2026-Q3  2.0     3.0    1.0           N/A      trunk-based, automated-unit
Bravo    Engineering                2026-Q3  1.0     2.0    0.5           0.5      trunk-based, automated-unit, scripted-deploy
Charlie  Sales                      2026-Q3  3.0     4.0    not measured  2.0      trunk-based, version-control
Delta    Platform                   no finalized assessment (an open one)
Archived (archived)                 2026-Q3  0.0     0.0 ...                       left out everywhere
(N/A: the dimension is not applicable to the team)

Organisation: overall (2 + 1 + 3) / 3 = 2.0 over 3 of 4 teams;
  config (3 + 2 + 4) / 3 = 3.0; testing (1 + 0.5) / 2 = 0.75; release (0.5 + 2) / 2 = 1.25
  weakest: testing 0.75 (2 teams), release 1.25 (2 teams), config 3.0 (3 teams)
  lacking (a team counts a practice up to its dimension's next level, floor(score) + 1):
           trunk-based (config, level 3): Alpha (3.0: up to 4), Bravo (2.0: 3), Charlie (4.0: 5) = 3 of 3
           version-control (config, level 1): Charlie = 1 of 3
           automated-unit (testing, level 2): Alpha (1.0: up to 2) = 1 of 3; not Bravo (0.5: up to 1)
           scripted-deploy (release, level 2): not Bravo (0.5: up to 1); the archived team's not at all
Engineering (Alpha, Bravo, Delta): overall (2 + 1) / 2 = 1.5, 2 of 3 assessed;
  config (3 + 2) / 2 = 2.5; testing (1 + 0.5) / 2 = 0.75; release 0.5 (Bravo only)
Platform (Alpha, Delta): 2.0, 1 of 2;  Sales (Charlie): 3.0, 1 of 1
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask

from assessment.engine.catalog import Catalog
from assessment.engine.serialize import summary_of
from assessment.extensions import db
from assessment.services.catalogs import snapshot_for
from assessment.store.models import Assessment, Organisation, Team, Unit, User
from tests.factories import make_org, make_team, make_user, org_with_roles


def practice(pid: str, value: Any) -> dict[str, Any]:
    return {"id": pid, "value": value}


def result(overall: float, level: int, config: Any, testing: Any, release: Any, below: set[str]) -> dict[str, Any]:
    """A stored result (engine.serialize shape) with only what the overview reads."""
    practices = {
        "config": ["config.version-control", "config.trunk-based"],
        "testing": ["testing.automated-unit"],
        "release": ["release.scripted-deploy"],
    }
    dimensions = []
    for dim, value in (("config", config), ("testing", testing), ("release", release)):
        scored = isinstance(value, float)
        dimensions.append(
            {
                "id": dim,
                "status": "scored" if scored else value,
                "score": value if scored else None,
                "practices": [practice(p, 1.0 if p in below else 3.0) for p in practices[dim]] if scored else [],
            }
        )
    return {"overall": {"score": overall, "level": level}, "dimensions": dimensions}


@dataclass
class OrgScenario:
    organisation: Organisation
    people: dict[str, User]
    teams: dict[str, Team]
    units: dict[str, Unit]


def finalized(
    app: Flask, team: Team, period: str, stored: dict[str, Any], status: str = "finalized", catalog: Catalog | None = None
) -> Assessment:
    """An assessment with the stored result (and the summary finalize keeps), of cd-maturity or `catalog`."""
    catalog = catalog or app.extensions["cdcoach.catalogs"].get("cd-maturity")
    assessment = Assessment(
        team_id=team.id,
        snapshot_id=snapshot_for(catalog).id,
        period=period,
        status=status,
        result=stored if status == "finalized" else None,
        overall_score=stored["overall"]["score"] if status == "finalized" else None,
        summary=summary_of(stored) if status == "finalized" else None,
        finalized_at=datetime(2026, 10, 1) if status == "finalized" else None,
    )
    db.session.add(assessment)
    db.session.commit()
    return assessment


def build(app: Flask) -> OrgScenario:
    organisation, people = org_with_roles("Umbrella")
    units = {"Engineering": Unit(organisation_id=organisation.id, name="Engineering")}
    db.session.add(units["Engineering"])
    db.session.flush()
    units["Platform"] = Unit(organisation_id=organisation.id, name="Platform", parent_id=units["Engineering"].id)
    units["Sales"] = Unit(organisation_id=organisation.id, name="Sales")
    db.session.add_all([units["Platform"], units["Sales"]])
    db.session.commit()
    teams = {name: make_team(organisation, name) for name in ("Alpha", "Bravo", "Charlie", "Delta", "Archived")}
    for name, unit in (("Alpha", "Platform"), ("Bravo", "Engineering"), ("Charlie", "Sales"), ("Delta", "Platform")):
        teams[name].unit_id = units[unit].id
    teams["Archived"].archived_at = datetime(2026, 11, 1)
    db.session.commit()
    # the latest first, so that "latest" is not just the last row written
    finalized(
        app,
        teams["Alpha"],
        "2026-Q3",
        result(2.0, 2, 3.0, 1.0, "not_applicable", {"config.trunk-based", "testing.automated-unit"}),
    )
    finalized(app, teams["Alpha"], "2026-Q2", result(1.5, 1, 2.0, 1.0, "not_applicable", {"config.trunk-based"}))
    below_b = {"config.trunk-based", "testing.automated-unit", "release.scripted-deploy"}
    finalized(app, teams["Bravo"], "2026-Q3", result(1.0, 1, 2.0, 0.5, 0.5, below_b))
    below_c = {"config.trunk-based", "config.version-control"}
    finalized(app, teams["Charlie"], "2026-Q3", result(3.0, 3, 4.0, "not_measured", 2.0, below_c))
    finalized(app, teams["Delta"], "2026-Q3", result(0.0, 0, 0.0, 0.0, 0.0, set()), status="open")
    finalized(app, teams["Archived"], "2026-Q3", result(0.0, 0, 0.0, 0.0, 0.0, {"release.scripted-deploy"}))
    return OrgScenario(organisation, people, teams, units)


def stranger() -> User:
    user = make_user("Stranger")
    make_org(user, "Elsewhere")
    return user
