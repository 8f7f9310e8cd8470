"""Organisation units: create, rename, move (never into a cycle), delete (children move up), put
teams in units; only owners manage them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from assessment.extensions import db
from assessment.services import org_overview, units
from assessment.services.errors import Conflict, Forbidden, Invalid, NotFound
from assessment.store.models import AuditEntry, Team, Unit
from tests.factories import make_team, org_with_roles
from tests.org_scenario import stranger


@pytest.fixture
def acme(app):
    with app.test_request_context():
        organisation, people = org_with_roles()
        yield organisation, people


def _tree(organisation_id):
    return [(n.path, n.depth) for n in units.tree(units.units_of(organisation_id))]


def test_create_a_tree(acme):
    org, people = acme
    owner = people["owner"]
    eng = units.create_unit(owner, org.id, "  Engineering ")
    platform = units.create_unit(owner, org.id, "Platform", eng.id)
    units.create_unit(owner, org.id, "Tools", platform.id)
    units.create_unit(owner, org.id, "Apps", eng.id)
    assert _tree(org.id) == [
        ("Engineering", 0),
        ("Engineering / Apps", 1),
        ("Engineering / Platform", 1),
        ("Engineering / Platform / Tools", 2),
    ]
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.organisation_id == org.id))
    assert list(actions).count("unit.create") == 4


def test_names_are_required_and_unique_among_siblings(acme):
    org, people = acme
    owner = people["owner"]
    eng = units.create_unit(owner, org.id, "Engineering")
    with pytest.raises(Invalid):
        units.create_unit(owner, org.id, "   ")
    with pytest.raises(Conflict):
        units.create_unit(owner, org.id, "engineering")
    units.create_unit(owner, org.id, "Engineering", eng.id)  # the same name elsewhere is fine
    sales = units.create_unit(owner, org.id, "Sales")
    with pytest.raises(Conflict):
        units.rename_unit(owner, org.id, sales.id, "ENGINEERING")
    assert units.rename_unit(owner, org.id, sales.id, "Sales and marketing").name == "Sales and marketing"


def test_move_never_makes_a_cycle(acme):
    org, people = acme
    owner = people["owner"]
    eng = units.create_unit(owner, org.id, "Engineering")
    platform = units.create_unit(owner, org.id, "Platform", eng.id)
    tools = units.create_unit(owner, org.id, "Tools", platform.id)
    for target in (eng.id, platform.id, tools.id):
        with pytest.raises(Invalid):
            units.move_unit(owner, org.id, eng.id, target)
    assert _tree(org.id)[0] == ("Engineering", 0)  # unchanged
    units.move_unit(owner, org.id, tools.id, None)
    units.move_unit(owner, org.id, eng.id, tools.id)
    assert _tree(org.id) == [
        ("Tools", 0),
        ("Tools / Engineering", 1),
        ("Tools / Engineering / Platform", 2),
    ]


def test_delete_moves_teams_and_units_up_and_teams_keep_working(app, acme):
    org, people = acme
    owner = people["owner"]
    eng = units.create_unit(owner, org.id, "Engineering")
    platform = units.create_unit(owner, org.id, "Platform", eng.id)
    tools = units.create_unit(owner, org.id, "Tools", platform.id)
    team = make_team(org, "Payments")
    inner = make_team(org, "Build")
    units.assign_teams(owner, org.id, [team.id], platform.id)
    units.assign_teams(owner, org.id, [inner.id], tools.id)
    units.delete_unit(owner, org.id, platform.id)
    assert _tree(org.id) == [("Engineering", 0), ("Engineering / Tools", 1)]
    assert db.session.get(Team, team.id).unit_id == eng.id
    assert db.session.get(Team, inner.id).unit_id == tools.id
    units.delete_unit(owner, org.id, eng.id)  # a top unit: its teams end in no unit
    assert _tree(org.id) == [("Tools", 0)]
    assert db.session.get(Team, team.id).unit_id is None
    view = org_overview.overview(owner, org.id, "en")
    assert {r.name for r in view.rows} >= {"Payments", "Build", "Tools"}


def test_delete_refuses_when_a_child_name_would_clash(acme):
    org, people = acme
    owner = people["owner"]
    eng = units.create_unit(owner, org.id, "Engineering")
    units.create_unit(owner, org.id, "Platform")
    units.create_unit(owner, org.id, "Platform", eng.id)
    with pytest.raises(Conflict):
        units.delete_unit(owner, org.id, eng.id)
    assert len(units.units_of(org.id)) == 3


def test_assign_teams(acme):
    org, people = acme
    owner = people["owner"]
    eng = units.create_unit(owner, org.id, "Engineering")
    a, b = make_team(org, "A"), make_team(org, "B")
    assert units.assign_teams(owner, org.id, [a.id, b.id], eng.id) == 2
    assert {db.session.get(Team, t).unit_id for t in (a.id, b.id)} == {eng.id}
    units.assign_teams(owner, org.id, [a.id], None)
    assert db.session.get(Team, a.id).unit_id is None
    with pytest.raises(Invalid):
        units.assign_teams(owner, org.id, [], eng.id)


def test_only_owners_manage_units(acme):
    org, people = acme
    eng = units.create_unit(people["owner"], org.id, "Engineering")
    team = make_team(org, "A")
    attempts = (
        lambda user: units.create_unit(user, org.id, "Mine"),
        lambda user: units.rename_unit(user, org.id, eng.id, "Mine"),
        lambda user: units.move_unit(user, org.id, eng.id, None),
        lambda user: units.delete_unit(user, org.id, eng.id),
        lambda user: units.assign_teams(user, org.id, [team.id], eng.id),
    )
    for role in ("facilitator", "member", "viewer"):
        for attempt in attempts:
            with pytest.raises(Forbidden):
                attempt(people[role])
    assert [u.name for u in units.units_of(org.id)] == ["Engineering"]


def test_other_organisations_units_and_teams_are_not_found(acme):
    org, people = acme
    owner = people["owner"]
    outsider = stranger()
    elsewhere = units.create_unit(outsider, _org_of(outsider), "Theirs")
    their_team = make_team(_org(outsider), "Their team")
    with pytest.raises(NotFound):
        units.create_unit(owner, org.id, "Mine", elsewhere.id)
    with pytest.raises(NotFound):
        units.rename_unit(owner, org.id, elsewhere.id, "Mine")
    with pytest.raises(NotFound):
        units.assign_teams(owner, org.id, [their_team.id], None)
    with pytest.raises(NotFound):
        units.create_unit(outsider, org.id, "Intruder")
    assert db.session.get(Unit, elsewhere.id).name == "Theirs"


def _org(user):
    from assessment.services.organisations import organisations_of

    return organisations_of(user)[0][0]


def _org_of(user):
    return _org(user).id
