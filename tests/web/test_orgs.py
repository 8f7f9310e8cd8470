"""Organisation pages: home, the organisation page, members, roles and invitation links."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from assessment import clock
from assessment.extensions import db
from assessment.store.models import Invitation, Membership, Team, User
from tests.factories import (
    MEMBERSHIP_ROLES,
    PASSWORD,
    csrf_token,
    login,
    make_org,
    make_team,
    make_user,
    org_with_roles,
    start,
)

START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
ROLES = MEMBERSHIP_ROLES


@pytest.fixture
def acme(app) -> dict[str, int]:
    """Acme with one user per role, a team and an archived team; ids only (rows outlive no session)."""
    with app.app_context():
        organisation, people = org_with_roles()
        make_team(organisation, name="Payments")
        archived = make_team(organisation, name="Legacy")
        archived.archived_at = datetime(2026, 1, 1)
        db.session.commit()
        ids = {"org": organisation.id, **{role: user.id for role, user in people.items()}}
        ids["stranger"] = make_user("Stranger").id
        make_org(db.session.get(User, ids["stranger"]), name="Elsewhere")
        return ids


@pytest.fixture
def time() -> Iterator[list[datetime]]:
    now = [START]
    clock.set_clock(lambda: now[0])
    yield now
    clock.set_clock(None)


def sign_in(app, client, user_id: int) -> str:
    """Log the client in; returns a CSRF token of its session."""
    with app.app_context():
        login(client, db.session.get(User, user_id))
    return csrf_token(client)


def membership_id(app, org_id: int, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(Membership.id).where(Membership.organisation_id == org_id, Membership.user_id == user_id)
        )


def role_of(app, org_id: int, user_id: int) -> str | None:
    with app.app_context():
        return db.session.scalar(
            sa.select(Membership.role).where(Membership.organisation_id == org_id, Membership.user_id == user_id)
        )


def new_link(app, client, acme, role="member", email="") -> str:
    """Create an invitation as the owner and return its token, read from the page that shows it once."""
    token = sign_in(app, client, acme["owner"])
    created = client.post(f"/orgs/{acme['org']}/invitations", data={"csrf_token": token, "role": role, "email": email})
    assert created.status_code == 302
    page = client.get(created.headers["Location"])
    return page.text.split("/invite/")[1].split('"')[0]


# --- home and the organisation page ---------------------------------------------------------


def test_home_links_to_each_organisation(app, client, acme):
    sign_in(app, client, acme["stranger"])
    page = client.get("/home")
    assert "Elsewhere" in page.text and "Acme" not in page.text
    sign_in(app, client, acme["member"])
    page = client.get("/home")
    assert f'href="/orgs/{acme["org"]}"' in page.text and "Your role: Member" in page.text


def test_creating_an_organisation_opens_its_page(app, client, acme):
    token = sign_in(app, client, acme["member"])
    created = client.post("/home", data={"csrf_token": token, "name": "New Co"})
    assert created.status_code == 302 and created.headers["Location"].startswith("/orgs/")
    assert "New Co" in client.get(created.headers["Location"]).text


def test_organisation_page_shows_teams_and_members(app, client, acme):
    sign_in(app, client, acme["viewer"])
    page = client.get(f"/orgs/{acme['org']}")
    assert page.status_code == 200
    active, archived = page.text.split("<details>")
    assert "Payments" in active and "Legacy" not in active
    assert "Archived teams (1)" in archived and "Legacy" in archived
    for name in ("Olive Owner", "Facilitator Person", "Member Person", "Viewer Person"):
        assert name in page.text


def test_the_organisation_page_points_to_each_teams_open_assessment(app, client, acme):
    """Payments has a finalized 2026-Q3 and an open 2026-Q4: the page links the open one, as an
    invitation to answer for those who may answer, as a plain notice for a viewer."""
    with app.app_context():
        owner = db.session.get(User, acme["owner"])
        team = db.session.scalar(sa.select(Team).where(Team.name == "Payments"))
        done = start(app, owner, team, "quick", "2026-Q3")
        done.status = "finalized"
        db.session.commit()
        open_id = start(app, owner, team, "quick", "2026-Q4").id
    sign_in(app, client, acme["member"])
    page = client.get(f"/orgs/{acme['org']}").text
    assert f'href="/assessments/{open_id}"' in page and "Answer the 2026-Q4 assessment" in page
    assert "2026-Q3" not in page
    sign_in(app, client, acme["viewer"])
    page = client.get(f"/orgs/{acme['org']}").text
    assert "The 2026-Q4 assessment is open" in page and "Answer the" not in page


def test_a_viewer_sees_no_management(app, client, acme):
    sign_in(app, client, acme["viewer"])
    page = client.get(f"/orgs/{acme['org']}").text
    assert "Create team" not in page and "Invitations" not in page and "/role" not in page and "Remove" not in page


def test_a_facilitator_may_create_teams_but_not_invite(app, client, acme):
    sign_in(app, client, acme["facilitator"])
    page = client.get(f"/orgs/{acme['org']}").text
    assert "Create team" in page and "Invitations" not in page and "/role" not in page


def test_the_owner_sees_roles_and_invitations_but_the_last_owner_has_no_demote_form(app, client, acme):
    sign_in(app, client, acme["owner"])
    page = client.get(f"/orgs/{acme['org']}").text
    assert "Create invitation link" in page
    assert f"/members/{membership_id(app, acme['org'], acme['member'])}/role" in page
    assert f"/members/{membership_id(app, acme['org'], acme['owner'])}/role" not in page
    assert "The only owner" in page


def test_anonymous_visitors_are_sent_to_log_in(client, acme):
    for path in ("/home", f"/orgs/{acme['org']}"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_another_organisation_is_not_found(app, client, acme):
    token = sign_in(app, client, acme["stranger"])
    assert client.get(f"/orgs/{acme['org']}").status_code == 404
    assert client.get("/orgs/99999").status_code == 404
    member = membership_id(app, acme["org"], acme["member"])
    for path, data in (
        (f"/orgs/{acme['org']}/teams", {"name": "Mine"}),
        (f"/orgs/{acme['org']}/invitations", {"role": "owner"}),
        (f"/orgs/{acme['org']}/members/{member}/role", {"role": "owner"}),
        (f"/orgs/{acme['org']}/members/{member}/remove", {}),
    ):
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 404, path
    assert role_of(app, acme["org"], acme["stranger"]) is None


# --- teams -----------------------------------------------------------------------------------


def test_create_team_opens_the_team_page(app, client, acme):
    token = sign_in(app, client, acme["facilitator"])
    created = client.post(f"/orgs/{acme['org']}/teams", data={"csrf_token": token, "name": "Search"})
    assert created.status_code == 302
    with app.app_context():
        team = db.session.scalar(sa.select(Team).where(Team.name == "Search"))
        assert created.headers["Location"] == f"/teams/{team.id}"


def test_create_team_without_a_name_shows_the_form_again(app, client, acme):
    token = sign_in(app, client, acme["owner"])
    page = client.post(f"/orgs/{acme['org']}/teams", data={"csrf_token": token, "name": "   "})
    assert page.status_code == 200 and 'aria-invalid="true"' in page.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Team)) == 2


@pytest.mark.parametrize("role", ["member", "viewer"])
def test_members_and_viewers_cannot_create_teams(app, client, acme, role):
    token = sign_in(app, client, acme[role])
    assert client.post(f"/orgs/{acme['org']}/teams", data={"csrf_token": token, "name": "X"}).status_code == 403


def test_posts_need_a_csrf_token(app, client, acme):
    sign_in(app, client, acme["owner"])
    assert client.post(f"/orgs/{acme['org']}/teams", data={"name": "X"}).status_code == 400


# --- roles and members -----------------------------------------------------------------------


def test_the_owner_changes_a_role(app, client, acme):
    token = sign_in(app, client, acme["owner"])
    member = membership_id(app, acme["org"], acme["member"])
    changed = client.post(f"/orgs/{acme['org']}/members/{member}/role", data={"csrf_token": token, "role": "facilitator"})
    assert changed.status_code == 302
    assert role_of(app, acme["org"], acme["member"]) == "facilitator"


def test_an_unknown_role_shows_the_form_again(app, client, acme):
    token = sign_in(app, client, acme["owner"])
    member = membership_id(app, acme["org"], acme["member"])
    page = client.post(f"/orgs/{acme['org']}/members/{member}/role", data={"csrf_token": token, "role": "admin"})
    assert page.status_code == 200 and "Not a valid choice" in page.text
    assert role_of(app, acme["org"], acme["member"]) == "member"


def test_the_last_owner_cannot_be_demoted(app, client, acme):
    token = sign_in(app, client, acme["owner"])
    owner = membership_id(app, acme["org"], acme["owner"])
    refused = client.post(f"/orgs/{acme['org']}/members/{owner}/role", data={"csrf_token": token, "role": "member"})
    assert refused.status_code == 409 and "at least one owner" in refused.text
    assert role_of(app, acme["org"], acme["owner"]) == "owner"


def test_a_role_change_of_a_foreign_membership_is_not_found(app, client, acme):
    token = sign_in(app, client, acme["owner"])
    foreign = membership_id(app, db_org_of(app, acme["stranger"]), acme["stranger"])
    response = client.post(f"/orgs/{acme['org']}/members/{foreign}/role", data={"csrf_token": token, "role": "viewer"})
    assert response.status_code == 404


def db_org_of(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Membership.organisation_id).where(Membership.user_id == user_id))


@pytest.mark.parametrize("role", ["facilitator", "member", "viewer"])
def test_only_owners_change_roles_or_remove_members(app, client, acme, role):
    token = sign_in(app, client, acme[role])
    member = membership_id(app, acme["org"], acme["member"])
    assert (
        client.post(f"/orgs/{acme['org']}/members/{member}/role", data={"csrf_token": token, "role": "owner"}).status_code == 403
    )
    assert client.post(f"/orgs/{acme['org']}/members/{member}/remove", data={"csrf_token": token}).status_code == 403
    assert role_of(app, acme["org"], acme["member"]) == "member"


def test_the_owner_removes_a_member(app, client, acme):
    token = sign_in(app, client, acme["owner"])
    member = membership_id(app, acme["org"], acme["member"])
    removed = client.post(f"/orgs/{acme['org']}/members/{member}/remove", data={"csrf_token": token})
    assert removed.status_code == 302 and removed.headers["Location"].endswith("#members")
    assert role_of(app, acme["org"], acme["member"]) is None


def test_the_last_owner_cannot_be_removed(app, client, acme):
    token = sign_in(app, client, acme["owner"])
    owner = membership_id(app, acme["org"], acme["owner"])
    assert client.post(f"/orgs/{acme['org']}/members/{owner}/remove", data={"csrf_token": token}).status_code == 409


# --- invitations -----------------------------------------------------------------------------


def test_the_new_link_is_shown_once(app, client, acme):
    token = new_link(app, client, acme, role="viewer", email="vic@example.com")
    again = client.get(f"/orgs/{acme['org']}").text
    assert f"/invite/{token}" not in again
    assert "vic@example.com" in again  # still listed as pending, without its link
    with app.app_context():
        assert db.session.scalar(sa.select(Invitation.role)) == "viewer"


def test_a_bad_email_note_shows_the_form_again(app, client, acme):
    token = sign_in(app, client, acme["owner"])
    page = client.post(f"/orgs/{acme['org']}/invitations", data={"csrf_token": token, "role": "member", "email": "not-mail"})
    assert page.status_code == 200 and "Enter a valid email address" in page.text and 'value="not-mail"' in page.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


@pytest.mark.parametrize("role", ["facilitator", "member", "viewer"])
def test_only_owners_create_invitations(app, client, acme, role):
    token = sign_in(app, client, acme[role])
    response = client.post(f"/orgs/{acme['org']}/invitations", data={"csrf_token": token, "role": "owner"})
    assert response.status_code == 403


def test_pending_invitations_show_their_expiry(app, client, acme, time):
    new_link(app, client, acme)
    page = client.get(f"/orgs/{acme['org']}").text
    assert "Pending invitations" in page and "Dec 5, 2026" in page


def test_withdrawing_an_invitation_kills_its_link(app, client, acme):
    link = new_link(app, client, acme)
    with app.app_context():
        invitation_id = db.session.scalar(sa.select(Invitation.id))
    token = csrf_token(client)
    assert client.post(f"/orgs/{acme['org']}/invitations/{invitation_id}/revoke", data={"csrf_token": token}).status_code == 302
    assert client.get(f"/invite/{link}").status_code == 404


def test_a_viewer_cannot_withdraw_an_invitation(app, client, acme):
    new_link(app, client, acme)
    with app.app_context():
        invitation_id = db.session.scalar(sa.select(Invitation.id))
    token = sign_in(app, client, acme["viewer"])
    response = client.post(f"/orgs/{acme['org']}/invitations/{invitation_id}/revoke", data={"csrf_token": token})
    assert response.status_code == 403


def test_an_anonymous_visitor_is_asked_to_sign_up_or_log_in_first(app, client, acme):
    link = new_link(app, client, acme, role="facilitator")
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    page = client.get(f"/invite/{link}")
    assert page.status_code == 200
    assert "join Acme" in page.text and "as Facilitator" in page.text
    assert f"/signup?next=/invite/{link}" in page.text and f"/login?next=/invite/{link}" in page.text
    assert "Accept and join" not in page.text
    refused = client.post(f"/invite/{link}", data={"csrf_token": csrf_token(client)})
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]


def test_logging_in_from_an_invitation_comes_back_and_accepts(app, client, acme):
    link = new_link(app, client, acme, role="member")
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    with app.app_context():
        email = db.session.get(User, acme["stranger"]).email
    login_page = f"/login?next=/invite/{link}"
    form = {"csrf_token": csrf_token(client, login_page), "email": email, "password": PASSWORD}
    logged_in = client.post(login_page, data=form)
    assert logged_in.headers["Location"] == f"/invite/{link}"
    page = client.get(f"/invite/{link}")
    assert "Accept and join" in page.text
    accepted = client.post(f"/invite/{link}", data={"csrf_token": csrf_token(client, f"/invite/{link}")})
    assert accepted.status_code == 302 and accepted.headers["Location"] == f"/orgs/{acme['org']}"
    assert role_of(app, acme["org"], acme["stranger"]) == "member"
    assert "Acme" in client.get("/home").text


def test_a_used_link_gets_a_clear_message(app, client, acme):
    link = new_link(app, client, acme)
    token = sign_in(app, client, acme["stranger"])
    assert client.post(f"/invite/{link}", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        other = make_user("Late").id
    token = sign_in(app, client, other)
    for response in (client.get(f"/invite/{link}"), client.post(f"/invite/{link}", data={"csrf_token": token})):
        assert response.status_code == 409 and "already been used" in response.text and "Traceback" not in response.text
    assert role_of(app, acme["org"], other) is None


def test_an_expired_link_gets_a_clear_message(app, client, acme, time):
    link = new_link(app, client, acme)
    time[0] = START + timedelta(days=7, seconds=1)
    token = sign_in(app, client, acme["stranger"])
    assert client.get(f"/invite/{link}").status_code == 409
    response = client.post(f"/invite/{link}", data={"csrf_token": token})
    assert response.status_code == 409 and "expired" in response.text
    assert role_of(app, acme["org"], acme["stranger"]) is None


def test_a_bad_link_gets_a_clear_message(client):
    page = client.get("/invite/not-a-real-token")
    assert page.status_code == 404 and "not valid" in page.text


def test_a_member_opening_a_link_is_told_and_the_link_stays_usable(app, client, acme):
    link = new_link(app, client, acme)
    page = client.get(f"/invite/{link}")
    assert "already belong" in page.text and "Accept and join" not in page.text
    with app.app_context():
        assert db.session.scalar(sa.select(Invitation.used_at)) is None


def test_accepting_needs_a_csrf_token(app, client, acme):
    link = new_link(app, client, acme)
    sign_in(app, client, acme["stranger"])
    assert client.post(f"/invite/{link}").status_code == 400
    assert role_of(app, acme["org"], acme["stranger"]) is None
