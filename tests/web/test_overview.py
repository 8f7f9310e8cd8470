"""The organisation overview page and the units page through the test client: who may see and
change what, what the page shows (tests/org_scenario.py has the arithmetic), and that the number of
SQL queries does not grow with teams or iterations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from assessment.extensions import db
from assessment.store.models import Team, Unit, User
from assessment.web.overview.sparkline import Scale, scale_of, sparkline
from tests import org_scenario
from tests.factories import csrf_token, login, make_team, org_with_roles


@pytest.fixture
def scenario(app):
    with app.app_context():
        s = org_scenario.build(app)
        ids = {
            "org": s.organisation.id,
            **{role: u.id for role, u in s.people.items()},
            **{name: t.id for name, t in s.teams.items()},
            **{name: u.id for name, u in s.units.items()},
        }
        ids["stranger"] = org_scenario.stranger().id
        return ids


def as_user(app, client, user_id):
    with app.app_context():
        login(client, db.session.get(User, user_id))
    return csrf_token(client)


def test_every_member_sees_the_overview(app, client, scenario):
    url = f"/orgs/{scenario['org']}/overview"
    for role in ("viewer", "member", "facilitator", "owner"):
        as_user(app, client, scenario[role])
        page = client.get(url)
        assert page.status_code == 200
        assert ("Manage units" in page.text) == (role == "owner")
    as_user(app, client, scenario["stranger"])
    assert client.get(url).status_code == 404


def test_anonymous_visitors_go_to_the_login_page(client, scenario):
    response = client.get(f"/orgs/{scenario['org']}/overview")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_page_shows_the_hand_worked_numbers_and_the_rules(app, client, scenario):
    as_user(app, client, scenario["viewer"])
    text = client.get(f"/orgs/{scenario['org']}/overview").text
    assert "4 teams, 3 with a finalized assessment." in text
    # weakest: testing 0.75, release 1.25, config 3.00
    weakest = text.split('id="weakest"')[1].split("</section>")[0]
    assert weakest.index("Testing and quality") < weakest.index("Release and deployment") < weakest.index("Configuration")
    assert "0.75" in weakest and "1.25" in weakest
    lacking = text.split('id="lacking"')[1].split("</section>")[0]
    assert "3 of 3" in lacking and "1 of 3" in lacking and "33%" in lacking and "2 of 3" not in lacking
    # the organisation row: 2.00 overall; config 3.00 (band 3), testing 0.75 (band 0)
    org_row = text.split('class="rollup organisation depth-0"')[1].split("</tr>")[0]
    assert '<td class="cell band-3">3.00</td><td class="cell band-0">0.75</td><td class="cell band-1">1.25</td>' in org_row
    assert "<strong>2.00</strong>" in org_row
    assert "mean of the latest overall scores of its teams" in text  # the roll-up rule, in words
    assert 'title="Not applicable">N/A</td>' in text  # Alpha's release
    assert "Archived" not in text
    assert "<style" not in text and "style=" not in text  # strict CSP


def test_sparkline_is_an_svg_polyline_with_a_text_alternative(app, client, scenario):
    as_user(app, client, scenario["viewer"])
    text = client.get(f"/orgs/{scenario['org']}/overview").text
    alpha = text.split(">Alpha</a>")[1].split("</tr>")[0]
    assert "Overall score of 2 finalized assessments, from 1.50 (2026-Q2) to 2.00 (2026-Q3)" in alpha
    # the page's scores run from 1.0 (Bravo) to 3.0 (Charlie); 2 points on a 96 x 24 box with 3 of
    # padding: x 3 and 93; y = 21 - (score - 1) / 2 * 18: 1.5 -> 16.5, 2.0 -> 12.0
    assert 'points="3.0,16.5 93.0,12.0"' in alpha
    delta = text.split(">Delta</a>")[1].split("</tr>")[0]
    assert "<svg" not in delta and "No finalized assessment yet" in delta


def test_a_unit_row_narrows_the_page_to_that_unit(app, client, scenario):
    as_user(app, client, scenario["viewer"])
    org = scenario["org"]
    page = client.get(f"/orgs/{org}/overview").text
    narrowed = f"/orgs/{org}/overview?unit={scenario['Platform']}"
    assert f'href="{narrowed}"' in page
    text = client.get(narrowed).text
    assert "Only Engineering / Platform and the units inside it." in text
    assert ">Alpha</a>" in text and ">Delta</a>" in text and ">Bravo</a>" not in text and ">Charlie</a>" not in text
    assert "2 teams, 1 with a finalized assessment." in text
    assert client.get(f"/orgs/{org}/overview?unit=999999").status_code == 404


def test_the_organisation_page_links_to_the_overview(app, client, scenario):
    as_user(app, client, scenario["viewer"])
    assert f'href="/orgs/{scenario["org"]}/overview"' in client.get(f"/orgs/{scenario['org']}").text


def test_only_owners_reach_the_units_page_and_its_actions(app, client, scenario):
    org = scenario["org"]
    posts = [
        (f"/orgs/{org}/units", {"name": "New"}),
        (f"/orgs/{org}/units/{scenario['Sales']}/rename", {"name": "New"}),
        (f"/orgs/{org}/units/{scenario['Sales']}/move", {"parent": str(scenario["Engineering"])}),
        (f"/orgs/{org}/units/{scenario['Sales']}/delete", {}),
        (f"/orgs/{org}/units/teams", {"teams": str(scenario["Alpha"]), "unit": ""}),
    ]
    for role, status in (("facilitator", 403), ("member", 403), ("viewer", 403), ("stranger", 404)):
        token = as_user(app, client, scenario[role])
        assert client.get(f"/orgs/{org}/units").status_code == status
        for url, data in posts:
            assert client.post(url, data={**data, "csrf_token": token}).status_code == status, (role, url)
    with app.app_context():
        assert sorted(u.name for u in db.session.scalars(sa.select(Unit))) == ["Engineering", "Platform", "Sales"]
        assert db.session.get(Team, scenario["Alpha"]).unit_id == scenario["Platform"]


def test_an_owner_manages_units(app, client, scenario):
    org = scenario["org"]
    token = as_user(app, client, scenario["owner"])
    page = client.get(f"/orgs/{org}/units")
    assert page.status_code == 200 and "Engineering / Platform" in page.text
    created = client.post(f"/orgs/{org}/units", data={"name": "Data", "parent": str(scenario["Sales"]), "csrf_token": token})
    assert created.status_code == 302
    with app.app_context():
        data = db.session.scalar(sa.select(Unit).where(Unit.name == "Data"))
        assert data.parent_id == scenario["Sales"]
        data_id = data.id
    client.post(f"/orgs/{org}/units/{data_id}/rename", data={"name": "Data science", "csrf_token": token})
    client.post(f"/orgs/{org}/units/{data_id}/move", data={"parent": "", "csrf_token": token})
    moved = client.post(
        f"/orgs/{org}/units/teams",
        data={"teams": [str(scenario["Alpha"]), str(scenario["Bravo"])], "unit": str(data_id), "csrf_token": token},
    )
    assert moved.status_code == 302
    assert "2 teams moved." in client.get(moved.headers["Location"]).text
    client.post(f"/orgs/{org}/units/{scenario['Engineering']}/delete", data={"csrf_token": token})
    with app.app_context():
        data = db.session.get(Unit, data_id)
        assert (data.name, data.parent_id) == ("Data science", None)
        assert {db.session.get(Team, scenario[t]).unit_id for t in ("Alpha", "Bravo")} == {data_id}
        assert db.session.get(Unit, scenario["Engineering"]) is None
        assert db.session.get(Unit, scenario["Platform"]).parent_id is None  # moved up to the top
        assert db.session.get(Team, scenario["Delta"]).unit_id == scenario["Platform"]


def test_a_refused_move_says_why(app, client, scenario):
    org = scenario["org"]
    token = as_user(app, client, scenario["owner"])
    response = client.post(
        f"/orgs/{org}/units/{scenario['Engineering']}/move", data={"parent": str(scenario["Platform"]), "csrf_token": token}
    )
    assert response.status_code == 400
    assert "cannot be moved under itself or under a unit that belongs to it" in response.text
    empty = client.post(f"/orgs/{org}/units/teams", data={"unit": "", "csrf_token": token})
    assert empty.status_code == 400 and "Choose at least one team." in empty.text
    with app.app_context():
        assert db.session.get(Unit, scenario["Engineering"]).parent_id is None


def test_sparklines_share_one_scale_at_least_one_point_tall():
    assert scale_of([(1.5, 2.0), (1.0,), (3.0,)]) == Scale(1.0, 3.0)
    assert scale_of([(2.25, 2.75)]) == Scale(2.0, 3.0)  # widened around the middle, 2.5
    assert scale_of([(0.1,)]) == Scale(0.0, 1.0)  # and kept within 0-5
    assert scale_of([(4.9, 5.0)]) == Scale(4.0, 5.0)
    assert scale_of([]) == Scale(0.0, 5.0)
    line = sparkline([1.0, 2.0, 3.0], Scale(1.0, 3.0))
    assert line.points == "3.0,21.0 48.0,12.0 93.0,3.0" and (line.last_x, line.last_y) == (93.0, 3.0)
    assert sparkline([2.0], Scale(1.0, 3.0)).points == "48.0,12.0"  # one point: in the middle
    assert sparkline([], Scale(1.0, 3.0)) is None


# The number of SQL queries does not depend on the organisation's size


@contextmanager
def counting(app) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def _organisation(app, teams: int, iterations: int, units: int) -> tuple[int, int]:
    with app.app_context():
        organisation, people = org_with_roles(f"Size {teams}x{iterations}")
        unit_ids = []
        for n in range(units):
            unit = Unit(organisation_id=organisation.id, name=f"Unit {n}", parent_id=unit_ids[0] if unit_ids else None)
            db.session.add(unit)
            db.session.flush()
            unit_ids.append(unit.id)
        for n in range(teams):
            team = make_team(organisation, f"Team {n}")
            team.unit_id = unit_ids[n % units] if units else None
            for i in range(iterations):
                stored = org_scenario.result(1.0 + i / 2, 1, 2.0, 1.0, 0.5, {"config.trunk-based"})
                org_scenario.finalized(app, team, f"2026-Q{i + 1}", stored)
        return organisation.id, people["viewer"].id


def test_the_query_count_does_not_grow_with_teams_or_iterations(app):
    small = _organisation(app, 2, 1, 1)
    large = _organisation(app, 6, 3, 3)
    counts = []
    for org_id, viewer in (small, large):
        client = app.test_client()
        with app.app_context():
            login(client, db.session.get(User, viewer))
        assert client.get(f"/orgs/{org_id}/overview").status_code == 200  # catalogs parsed, templates compiled
        with counting(app) as statements:
            assert client.get(f"/orgs/{org_id}/overview").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
    assert counts[0] <= 10


def test_an_organisation_without_teams(app, client):
    with app.app_context():
        organisation, people = org_with_roles("Empty")
        org_id = organisation.id
        login(client, people["viewer"])
    page = client.get(f"/orgs/{org_id}/overview")
    assert page.status_code == 200 and "No team has a finalized assessment yet." in page.text
