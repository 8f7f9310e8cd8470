"""The access matrix: EVERY route of the app (read from app.url_map, so new routes are covered
without touching this file), as an anonymous visitor, as a user of another organisation and as
a viewer, against real objects of organisation A. None of them may read or change what is not
theirs: a change is caught by comparing the content of every table before and after each request.

A route with a URL argument that this file does not know fails `test_every_route_argument_is_known`:
add the argument to `argument_values` (a real object of organisation A), never skip the route.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from assessment.extensions import db
from assessment.services import assessments, organisations, workshop_participants, workshops
from assessment.store.models import Invitation, Roadmap, Unit, User
from tests.factories import PASSWORD, add_member, csrf_token, login, make_org, make_team, make_user, start

# Pages anyone may use without logging in. Besides these: invitation pages (a URL with a token)
# and workshop join routes (blueprint workshop..., endpoint with "join").
PUBLIC = {
    "pages.landing",
    "auth.login",
    "auth.signup",
    "auth.logout",  # logging out when not logged in does nothing
    "catalogs.index",
    "catalogs.show",
    "catalogs.glossary",
    "catalogs.versions",
    "i18n.choose",
}
# Routes that act on the signed-in user's own things, not on an organisation's (creating an
# organisation, changing one's password, switching language, accepting an invitation).
SELF_SERVICE = {"orgs.home", "auth.account", "auth.own_branding", "auth.logout", "i18n.choose"}
# URL arguments that name an object belonging to organisation A.
ORG_OBJECTS = {
    "organisation_id",
    "org_id",
    "team_id",
    "assessment_id",
    "response_id",
    "member_id",
    "membership_id",
    "user_id",
    "invitation_id",
    "unit_id",
    "roadmap_id",
    "workshop_id",
}
SECRETS = ("Alpha Secret Org", "Alpha Secret Team")  # must never show to outsiders
LOGIN_PATH = "/login"
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


@dataclass
class World:
    """Organisation A with one of everything, its people, and an outsider with organisation B."""

    owner: int
    viewer: int
    outsider: int
    outsider_org: int
    values: dict[str, Any]
    form: dict[str, str] = field(default_factory=dict)


def build_world(app: Flask) -> World:
    """Organisation A with one of everything; URL argument names mapped to its objects."""
    catalog = app.extensions["cdcoach.catalogs"].get("cd-maturity")
    owner, member, viewer = make_user("Alpha Owner"), make_user("Alpha Member"), make_user("Alpha Viewer")
    org = make_org(owner, SECRETS[0])
    membership = add_member(org, member, "member")
    add_member(org, viewer, "viewer")
    team = make_team(org, SECRETS[1], lead=owner)
    assessment = start(app, owner, team, questionnaire="full")
    practice, metric = catalog.dimensions[0].practices[0], catalog.metrics[0]
    response = assessments.join_as_respondent(member, assessment.id, "dev")
    assessments.save_answer(member, assessment.id, practice.id, "2", "a comment", "shown")
    assessments.save_metric(member, assessment.id, metric.id, metric.bands[0].id)
    token = organisations.invite(owner, org.id, "member", "newcomer@example.com")
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.organisation_id == org.id))
    workshop = workshops.create_workshop(owner, team.id, catalog, "quick")  # open, with one participant's answer
    workshops.change_state(owner, workshop.id, "open")
    _, participant = workshop_participants.join(workshop.join_code, "Alpha Participant", "dev")
    workshop_participants.answer(participant, workshop_practice(workshop), "2")
    unit = Unit(organisation_id=org.id, name="Alpha Unit")
    db.session.add(unit)
    # an earlier (superseded) roadmap of the team: its review is read-only history
    roadmap = Roadmap(team_id=team.id, assessment_id=assessment.id, status="superseded", start_period="2027-Q1")
    db.session.add(roadmap)
    outsider = make_user("Bravo Owner")
    org_b = make_org(outsider, "Bravo Org")
    make_team(org_b, "Bravo Team", lead=outsider)
    values = {
        "organisation_id": org.id,
        "org_id": org.id,
        "team_id": team.id,
        "assessment_id": assessment.id,
        "response_id": response.id,
        "member_id": membership.id,  # orgs: a membership id
        "membership_id": membership.id,
        "user_id": member.id,  # teams: the member's user id
        "invitation_id": invitation.id,
        "unit_id": unit.id,
        "roadmap_id": roadmap.id,
        "token": token,
        "catalog_id": catalog.id,
        "dimension_id": catalog.dimensions[0].id,
        "practice_id": practice.id,
        "metric_id": metric.id,
        "code": "en",  # the language switch; a workshop join code would need its own value
        "period": "2026-Q4",
        "workshop_id": workshop.id,
    }
    form = plausible_form(values, practice.id, metric.id)
    return World(owner=owner.id, viewer=viewer.id, outsider=outsider.id, outsider_org=org_b.id, values=values, form=form)


def workshop_practice(workshop: Any) -> str:
    """A practice of the workshop's open dimension that its questionnaire asks."""
    dimension = assessments.catalog_for(workshop).dimension(workshop.open_dimension)
    return sorted(assessments.asked(workshop) & {p.id for p in dimension.practices})[0]


def plausible_form(values: dict[str, Any], practice_id: str, metric_id: str) -> dict[str, str]:
    """Form fields that the app's forms use, filled as an intruder would: the point is the access check."""
    return {
        "name": "Changed by an intruder",
        "email": "intruder@example.com",
        "role": "owner",
        "value": "3",
        "comment": "intruder",
        "evidence": "verified",
        "period": "2026-Q1",
        "questionnaire": "full",
        "kind": "self",
        "reason": "intruder",
        "note": "intruder",
        "lead": "y",
        "team_size": "51+",
        "product_kind": "library",
        "regulated": "yes",
        "release": "store",
        "current": PASSWORD,
        "password": PASSWORD,
        "new": "intruder-password",
        "confirm": "intruder-password",
        "team_id": str(values["team_id"]),
        "organisation_id": str(values["organisation_id"]),
        "user_id": str(values["user_id"]),
        "member_id": str(values["member_id"]),
        practice_id: "3",
        metric_id: "on-demand",
    }


@pytest.fixture
def world(app: Flask) -> World:
    with app.test_request_context():
        return build_world(app)


# Walking the routes


def routes(app: Flask) -> list[Rule]:
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: (r.rule, r.endpoint))


def methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def is_public(rule: Rule) -> bool:
    blueprint, _, name = rule.endpoint.partition(".")
    workshop_join = blueprint.startswith("workshop") and "join" in name
    return rule.endpoint in PUBLIC or "token" in rule.arguments or workshop_join


def may_change_anonymously(rule: Rule) -> bool:
    return rule.endpoint == "auth.signup" or (rule.endpoint.startswith("workshop") and "join" in rule.endpoint)


def touches_org_objects(rule: Rule) -> bool:
    """Whether the URL names something of organisation A (an invitation token is a credential, not a name)."""
    return bool(set(rule.arguments) & ORG_OBJECTS) and "token" not in rule.arguments


def path_of(rule: Rule, values: dict[str, Any], **override: Any) -> str:
    missing = set(rule.arguments) - set(values)
    assert not missing, f"{rule.rule} takes {sorted(missing)}: add them to argument_values in {__file__}"
    built = rule.build({**{a: values[a] for a in rule.arguments}, **override}, append_unknown=False)
    assert built is not None
    return built[1]


def table_contents() -> dict[str, list[str]]:
    """Every row of every table, through a fresh connection (no open transaction's old snapshot)."""
    with db.engine.connect() as connection:
        return {t.name: sorted(repr(tuple(row)) for row in connection.execute(sa.select(t))) for t in db.metadata.sorted_tables}


class Walk:
    """Sends requests as one client and collects every broken rule, so that one run reports all."""

    def __init__(self, app: Flask, client: FlaskClient, who: str, form: dict[str, str], strangers: bool = False):
        """`strangers`: the client is no member of organisation A, so no page may show A's names."""
        self.app, self.client, self.who, self.form, self.strangers = app, client, who, form, strangers
        self.token = csrf_token(client, "/catalogs")
        self.problems: list[str] = []
        self.requests = 0
        with app.app_context():
            self.tables = table_contents()

    def forget(self) -> None:
        """Start again as a new visitor (signing up or logging in leaves the client logged in)."""
        self.client = self.app.test_client()
        self.token = csrf_token(self.client, "/catalogs")

    def send(self, method: str, path: str, csrf: bool = True) -> Any:
        data = None if method == "GET" else {**self.form, **({"csrf_token": self.token} if csrf else {})}
        self.requests += 1
        try:
            return self.client.open(path, method=method, data=data)
        except Exception as error:  # a crash is a finding like any other
            self.problems.append(f"{self.who}: {method} {path} raised {error!r}")
            return None

    def expect(
        self,
        method: str,
        path: str,
        allowed: Callable[[Any], bool],
        what: str,
        changes: bool = False,
        csrf: bool = True,
        names_org: bool = False,
    ) -> Any:
        """One request; `changes`: it may write; `names_org`: it may show A's name (an invitation page)."""
        response = self.send(method, path, csrf)
        if response is not None and not allowed(response):
            self.problems.append(f"{self.who}: {method} {path} -> {response.status_code} {_where(response)}; expected {what}")
        if response is not None and self.strangers and not names_org:
            self._check_no_secrets(method, path, response)
        self._check_unchanged(method, path, changes)
        return response

    def _check_no_secrets(self, method: str, path: str, response: Any) -> None:
        if response.mimetype in ("text/html", "application/json", "text/plain"):
            leaked = [s for s in SECRETS if s in response.get_data(as_text=True)]
            if leaked:
                self.problems.append(f"{self.who}: {method} {path} shows {leaked} of organisation A")

    def _check_unchanged(self, method: str, path: str, allowed: bool) -> None:
        with self.app.app_context():
            now = table_contents()
        changed = sorted(name for name in now if now[name] != self.tables.get(name))
        if changed and not allowed:
            self.problems.append(f"{self.who}: {method} {path} changed the tables {changed}")
        self.tables = now

    def report(self) -> None:
        assert not self.problems, f"{len(self.problems)} access problems:\n" + "\n".join(self.problems)


def _where(response: Any) -> str:
    return f"to {response.headers['Location']}" if response.status_code in (301, 302, 303) else ""


def to_login(response: Any) -> bool:
    return response.status_code == 302 and urlsplit(response.headers["Location"]).path == LOGIN_PATH


def refused(response: Any) -> bool:
    return response.status_code in (403, 404)


def read_or_refused(response: Any) -> bool:
    return response.status_code in (200, 403) or (response.status_code in (302, 303) and not to_login(response))


def reached(response: Any) -> bool:
    return response.status_code not in (403, 404) and response.status_code < 500 and not to_login(response)


def logged_in(app: Flask, user_id: int) -> FlaskClient:
    client = app.test_client()
    with app.app_context():
        login(client, db.session.get(User, user_id))
    return client


# The matrix


def test_every_route_argument_is_known(app, world):
    unknown = {(r.rule, a) for r in routes(app) for a in r.arguments if a not in world.values}
    assert not unknown, (
        f"routes with URL arguments that tests/web/test_access.py does not know: {sorted(unknown)}. "
        "Add each to argument_values there (a real object of organisation A), so that the access matrix covers the route."
    )


def test_the_matrix_covers_the_app(app):
    covered = {r.endpoint for r in routes(app)}
    assert {"pages.landing", "auth.account", "orgs.home"} <= covered
    assert all(methods(r) for r in routes(app))


def test_anonymous_reads_public_pages_only_and_changes_nothing(app, world):
    walk = Walk(app, app.test_client(), "anonymous", world.form, strangers=True)
    for rule in routes(app):
        for method in methods(rule):
            path = path_of(rule, world.values)
            if is_public(rule):
                ok = (lambda r: r.status_code < 400) if method == "GET" else (lambda r: r.status_code < 500)
                invitation = "token" in rule.arguments  # names the organisation to whoever holds the link
                walk.expect(method, path, ok, "a public page", changes=may_change_anonymously(rule), names_org=invitation)
                walk.forget()
            elif method == "GET":
                walk.expect(method, path, to_login, "a redirect to the login page")
            else:
                walk.expect(method, path, lambda r: to_login(r) or r.status_code in (400, 401, 403, 404), "a refusal")
    walk.report()


def test_another_organisation_gets_404_or_403_and_changes_nothing(app, world):
    walk = Walk(app, logged_in(app, world.outsider), "outsider", world.form, strangers=True)
    for rule in routes(app):
        if is_public(rule) or rule.endpoint in SELF_SERVICE:
            continue
        for method in methods(rule):
            if touches_org_objects(rule):
                walk.expect(method, path_of(rule, world.values), refused, "404 or 403")
                for org_arg in {"organisation_id", "org_id"} & set(rule.arguments):
                    if len(set(rule.arguments) & ORG_OBJECTS) > 1:  # A's object under B's own organisation
                        walk.expect(method, path_of(rule, world.values, **{org_arg: world.outsider_org}), refused, "404 or 403")
            else:
                walk.expect(method, path_of(rule, world.values), lambda r: r.status_code < 500, "no error")
    walk.report()


def test_a_viewer_reads_but_changes_nothing(app, world):
    walk = Walk(app, logged_in(app, world.viewer), "viewer", world.form)
    for rule in routes(app):
        if is_public(rule):
            continue
        for method in methods(rule):
            path = path_of(rule, world.values)
            if method == "GET":
                walk.expect(method, path, read_or_refused, "200, 403 or a redirect within the app")
            elif rule.endpoint not in SELF_SERVICE:
                walk.expect(method, path, refused, "403 (or 404)")
    walk.report()


def test_the_owner_reaches_every_page_so_the_ids_are_real(app, world):
    """Otherwise a 404 above could come from a wrong id rather than from an access check."""
    walk = Walk(app, logged_in(app, world.owner), "owner", world.form)
    for rule in routes(app):
        if "GET" in methods(rule) and touches_org_objects(rule):
            walk.expect(
                "GET", path_of(rule, world.values), lambda r: r.status_code not in (403, 404) and r.status_code < 500, "a page"
            )
    walk.report()


def test_post_without_csrf_token_is_refused(app, world):
    walk = Walk(app, logged_in(app, world.owner), "owner without CSRF token", world.form)
    for rule in routes(app):
        for method in set(methods(rule)) & set(UNSAFE):
            walk.expect(method, path_of(rule, world.values), lambda r: r.status_code == 400, "400", csrf=False)
    assert walk.requests >= 10
    walk.report()
