"""Builders for database rows in tests: sensible defaults plus overrides, no HTTP involved."""

from __future__ import annotations

import itertools
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from assessment.extensions import db
from assessment.services import assessments as assessment_service
from assessment.store.models import Assessment, Membership, Organisation, Team, TeamMember, User

PASSWORD = "correct horse battery"
_counter = itertools.count(1)
# Hashing is slow by design; tests share one hash of the common password.
_HASH: dict[str, str] = {}


def make_user(name: str | None = None, email: str | None = None, **overrides: Any) -> User:
    n = next(_counter)
    if "pw" not in _HASH:
        _HASH["pw"] = generate_password_hash(PASSWORD)
    user = User(name=name or f"User {n}", email=email or f"user{n}@example.com", password_hash=_HASH["pw"], **overrides)
    db.session.add(user)
    db.session.commit()
    return user


def make_org(owner: User | None = None, name: str | None = None) -> Organisation:
    organisation = Organisation(name=name or f"Org {next(_counter)}")
    db.session.add(organisation)
    db.session.flush()
    if owner is not None:
        db.session.add(Membership(user_id=owner.id, organisation_id=organisation.id, role="owner"))
    db.session.commit()
    return organisation


def add_member(organisation: Organisation, user: User, role: str = "member") -> Membership:
    membership = Membership(user_id=user.id, organisation_id=organisation.id, role=role)
    db.session.add(membership)
    db.session.commit()
    return membership


def make_team(
    organisation: Organisation, name: str | None = None, lead: User | None = None, profile: dict[str, str] | None = None
) -> Team:
    team = Team(organisation_id=organisation.id, name=name or f"Team {next(_counter)}", profile=profile or {})
    db.session.add(team)
    db.session.flush()
    if lead is not None:
        db.session.add(TeamMember(team_id=team.id, user_id=lead.id, lead=True))
    db.session.commit()
    return team


def start(app: Flask, user: User, team: Team, questionnaire: Any = "quick", period: str = "2026-Q4") -> Assessment:
    """An open assessment of the app's cd-maturity catalog, started by `user` (who must be allowed)."""
    catalog = app.extensions["cdcoach.catalogs"].get("cd-maturity")
    return assessment_service.start_assessment(user, team.id, catalog, questionnaire, period)


def login(client: FlaskClient, user: User) -> None:
    """Log the test client in as `user` (through the session, no form round trip)."""
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


def csrf_token(client: FlaskClient, path: str = "/catalogs") -> str:
    """A CSRF token valid for this client's session, taken from a rendered page."""
    page = client.get(path)
    return page.text.split('name="csrf_token" value="')[1].split('"')[0]


MEMBERSHIP_ROLES = ("owner", "facilitator", "member", "viewer")


def org_with_roles(name: str = "Acme") -> tuple[Organisation, dict[str, User]]:
    """An organisation with one user per membership role (the owner is "Olive Owner")."""
    people = {"owner": make_user("Olive Owner")}
    organisation = make_org(people["owner"], name=name)
    for role in MEMBERSHIP_ROLES[1:]:
        people[role] = make_user(f"{role.title()} Person")
        add_member(organisation, people[role], role)
    return organisation, people
