"""Organisation units: a parent/child tree that holds teams (owners manage it, every member sees it).

Deleting a unit never loses anything: its teams and the units below it move up to its parent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from ..engine.rollup import makes_cycle, subtree, tree_order
from ..extensions import db
from ..store.models import Team, Unit, User
from . import permissions
from .audit import record
from .errors import Conflict, Invalid, NotFound
from .organisations import require_role

PATH_SEPARATOR = " / "


@dataclass(frozen=True)
class UnitNode:
    id: int
    name: str
    parent_id: int | None
    depth: int
    path: str  # "Engineering / Platform": names from the top, for choices


def units_of(organisation_id: int) -> list[Unit]:
    return list(db.session.scalars(sa.select(Unit).where(Unit.organisation_id == organisation_id)))


def tree(units: Sequence[Unit]) -> list[UnitNode]:
    """The units depth first, siblings by name, each with its depth and path."""
    by_id = {u.id: u for u in units}
    parents = {u.id: u.parent_id for u in units}
    paths: dict[int, str] = {}
    nodes = []
    for unit_id, depth in tree_order(parents, {u.id: u.name for u in units}):
        unit = by_id[unit_id]
        paths[unit_id] = unit.name if unit.parent_id not in paths else paths[unit.parent_id] + PATH_SEPARATOR + unit.name
        nodes.append(UnitNode(unit.id, unit.name, unit.parent_id, depth, paths[unit_id]))
    return nodes


def _parents(organisation_id: int) -> dict[int, int | None]:
    return {u.id: u.parent_id for u in units_of(organisation_id)}


def _unit_or_404(organisation_id: int, unit_id: int) -> Unit:
    unit = db.session.scalar(sa.select(Unit).where(Unit.id == unit_id, Unit.organisation_id == organisation_id))
    if unit is None:
        raise NotFound()
    return unit


def _parent_or_404(organisation_id: int, parent_id: int | None) -> int | None:
    return None if parent_id is None else _unit_or_404(organisation_id, parent_id).id


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise Invalid(_("Give the unit a name."))
    return name[:120]


def _check_unique(organisation_id: int, parent_id: int | None, name: str, unit_id: int | None = None) -> None:
    """Two units with the same name under the same parent could not be told apart."""
    for other in units_of(organisation_id):
        if other.id != unit_id and other.parent_id == parent_id and other.name.casefold() == name.casefold():
            raise Conflict(_("A unit with this name already exists here."))


def create_unit(user: User, organisation_id: int, name: str, parent_id: int | None = None) -> Unit:
    require_role(user, organisation_id, check=permissions.can_manage_units)
    name, parent_id = _clean_name(name), _parent_or_404(organisation_id, parent_id)
    _check_unique(organisation_id, parent_id, name)
    unit = Unit(organisation_id=organisation_id, parent_id=parent_id, name=name)
    db.session.add(unit)
    db.session.flush()
    record(user, organisation_id, "unit.create", f"unit:{unit.id}", name=name, parent=parent_id)
    db.session.commit()
    return unit


def rename_unit(user: User, organisation_id: int, unit_id: int, name: str) -> Unit:
    require_role(user, organisation_id, check=permissions.can_manage_units)
    unit, name = _unit_or_404(organisation_id, unit_id), _clean_name(name)
    _check_unique(organisation_id, unit.parent_id, name, unit.id)
    unit.name = name
    record(user, organisation_id, "unit.rename", f"unit:{unit.id}", name=name)
    db.session.commit()
    return unit


def move_unit(user: User, organisation_id: int, unit_id: int, parent_id: int | None) -> Unit:
    """Put the unit under another one (None: at the top); never under itself or a unit below it."""
    require_role(user, organisation_id, check=permissions.can_manage_units)
    unit, parent_id = _unit_or_404(organisation_id, unit_id), _parent_or_404(organisation_id, parent_id)
    if makes_cycle(_parents(organisation_id), unit.id, parent_id):
        raise Invalid(_("A unit cannot be moved under itself or under a unit that belongs to it."))
    _check_unique(organisation_id, parent_id, unit.name, unit.id)
    unit.parent_id = parent_id
    record(user, organisation_id, "unit.move", f"unit:{unit.id}", parent=parent_id)
    db.session.commit()
    return unit


def delete_unit(user: User, organisation_id: int, unit_id: int) -> None:
    """Delete the unit; its teams and the units directly below it move up to its parent."""
    require_role(user, organisation_id, check=permissions.can_manage_units)
    unit = _unit_or_404(organisation_id, unit_id)
    parent_id = unit.parent_id
    for child in db.session.scalars(sa.select(Unit).where(Unit.parent_id == unit.id)):
        _check_unique(organisation_id, parent_id, child.name, child.id)
    db.session.execute(sa.update(Unit).where(Unit.parent_id == unit.id).values(parent_id=parent_id))
    db.session.execute(sa.update(Team).where(Team.unit_id == unit.id).values(unit_id=parent_id))
    record(user, organisation_id, "unit.delete", f"unit:{unit.id}", name=unit.name, parent=parent_id)
    db.session.delete(unit)
    db.session.commit()


def assign_teams(user: User, organisation_id: int, team_ids: Sequence[int], unit_id: int | None) -> int:
    """Put the organisation's teams in the unit (None: in no unit); returns how many moved."""
    require_role(user, organisation_id, check=permissions.can_manage_units)
    unit_id = _parent_or_404(organisation_id, unit_id)
    if not team_ids:
        raise Invalid(_("Choose at least one team."))
    found = list(db.session.scalars(sa.select(Team).where(Team.id.in_(team_ids), Team.organisation_id == organisation_id)))
    if len(found) != len(set(team_ids)):
        raise NotFound()
    for team in found:
        team.unit_id = unit_id
    record(user, organisation_id, "unit.assign", f"unit:{unit_id}", teams=sorted(t.id for t in found))
    db.session.commit()
    return len(found)


def descendants(units: Sequence[Unit], unit_id: int) -> set[int]:
    """The unit and every unit below it (for choices that must not make a cycle)."""
    return subtree({u.id: u.parent_id for u in units}, unit_id)
