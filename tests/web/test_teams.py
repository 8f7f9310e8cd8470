"""Team pages: assessments, starting one, rename, archive, profile and team members."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from markupsafe import escape

from assessment import clock
from assessment.extensions import db
from assessment.store.models import Assessment, Team, TeamMember, User
from tests.factories import MEMBERSHIP_ROLES, add_member, csrf_token, login, make_org, make_team, make_user, org_with_roles, start

ROLES = MEMBERSHIP_ROLES


@pytest.fixture
def acme(app) -> dict[str, int]:
    """Acme with one user per role, a lead member, a plain member in the team, and a stranger."""
    with app.app_context():
        organisation, people = org_with_roles()
        people["lead"] = make_user("Lea Lead")
        add_member(organisation, people["lead"], "member")
        team = make_team(organisation, name="Payments", lead=people["lead"], profile={"team_size": "6-15"})
        db.session.add(TeamMember(team_id=team.id, user_id=people["member"].id, lead=False))
        people["stranger"] = make_user("Stranger")
        make_org(people["stranger"], name="Elsewhere")
        db.session.commit()
        return {"org": organisation.id, "team": team.id, **{key: user.id for key, user in people.items()}}


@pytest.fixture
def autumn() -> Iterator[None]:
    clock.set_clock(lambda: datetime(2026, 8, 14, 10, 0, tzinfo=UTC))
    yield
    clock.set_clock(None)


def sign_in(app, client, user_id: int) -> str:
    with app.app_context():
        login(client, db.session.get(User, user_id))
    return csrf_token(client)


def team_row(app, team_id: int) -> Team:
    with app.app_context():
        team = db.session.get(Team, team_id)
        db.session.expunge(team)
        return team


def assessments_of(app, team_id: int) -> list[tuple[str, object]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(Assessment.period, Assessment.questionnaire).where(Assessment.team_id == team_id).order_by(Assessment.id)
        )
        return [tuple(row) for row in rows]


def post(client, path: str, token: str, **data):
    return client.post(path, data={"csrf_token": token, **data})


# --- reading ---------------------------------------------------------------------------------


def test_the_team_page_lists_assessments_with_their_status(app, client, acme):
    with app.app_context():
        started = start(app, db.session.get(User, acme["owner"]), db.session.get(Team, acme["team"]), "quick", "2026-Q3")
        link = f'href="/assessments/{started.id}"'
    sign_in(app, client, acme["viewer"])
    page = client.get(f"/teams/{acme['team']}")
    assert page.status_code == 200 and link in page.text
    assert "Payments" in page.text and "2026-Q3" in page.text and "Quick" in page.text and "Open" in page.text


def test_a_viewer_sees_no_actions(app, client, acme):
    sign_in(app, client, acme["viewer"])
    page = client.get(f"/teams/{acme['team']}").text
    for action in ("Start assessment", "Rename", "Archive team", "Save profile", "Add to team", "Make lead"):
        assert action not in page, action
    assert "6 to 15 people" in page  # the profile, read only


def test_a_plain_member_sees_no_actions_but_a_lead_may_start_rename_and_set_the_profile(app, client, acme):
    sign_in(app, client, acme["member"])
    assert "Start assessment" not in client.get(f"/teams/{acme['team']}").text
    sign_in(app, client, acme["lead"])
    page = client.get(f"/teams/{acme['team']}").text
    assert "Start assessment" in page and "Rename" in page and "Save profile" in page
    assert "Archive team" not in page and "Add to team" not in page


def test_staff_see_every_action(app, client, acme):
    sign_in(app, client, acme["facilitator"])
    page = client.get(f"/teams/{acme['team']}").text
    for action in ("Start assessment", "Rename", "Archive team", "Save profile", "Add to team", "Make lead"):
        assert action in page, action


def test_anonymous_and_strangers(app, client, acme):
    response = client.get(f"/teams/{acme['team']}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    token = sign_in(app, client, acme["stranger"])
    assert client.get(f"/teams/{acme['team']}").status_code == 404
    assert client.get("/teams/99999").status_code == 404
    base = f"/teams/{acme['team']}"
    for path in ("/assessments", "/rename", "/archive", "/restore", "/profile", "/members", f"/members/{acme['lead']}/remove"):
        assert post(client, base + path, token, name="Mine", lead="yes").status_code == 404, path
    assert team_row(app, acme["team"]).name == "Payments"


# --- starting an assessment ------------------------------------------------------------------


def test_the_period_defaults_to_the_current_quarter(app, client, acme, autumn):
    sign_in(app, client, acme["lead"])
    assert 'value="2026-Q3"' in client.get(f"/teams/{acme['team']}").text


def test_the_dimension_choice_is_grouped_by_area(app, client, acme):
    catalog = app.extensions["cdcoach.catalogs"].get("cd-maturity")
    sign_in(app, client, acme["lead"])
    page = client.get(f"/teams/{acme['team']}").text
    section = page.split('class="dimension-choice"')[1].split("</fieldset>")[0]
    for area in catalog.areas:
        first = next(d for d in catalog.dimensions if d.area == area.id)
        assert section.index(area.name.en) < section.index(f'value="{first.id}"')


@pytest.mark.parametrize(("choice", "expected"), [("full", "full"), ("quick", "quick")])
def test_start_the_full_or_the_quick_questionnaire(app, client, acme, autumn, choice, expected):
    token = sign_in(app, client, acme["lead"])
    started = post(
        client, f"/teams/{acme['team']}/assessments", token, catalog="cd-maturity", period="2026-Q3", questionnaire=choice
    )
    assert started.status_code == 302
    assert assessments_of(app, acme["team"]) == [("2026-Q3", expected)]


def test_start_with_chosen_dimensions(app, client, acme):
    catalog = app.extensions["cdcoach.catalogs"].get("cd-maturity")
    first, second = catalog.dimensions[0].id, catalog.dimensions[2].id
    token = sign_in(app, client, acme["facilitator"])
    data = {"csrf_token": token, "catalog": "cd-maturity", "period": " 2026-Q4 ", "questionnaire": "dimensions"}
    started = client.post(f"/teams/{acme['team']}/assessments", data={**data, "dimensions": [second, first]})
    assert started.status_code == 302
    assert assessments_of(app, acme["team"]) == [("2026-Q4", [first, second])]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period": "Q4 2026", "questionnaire": "full"}, "such as 2026-Q4"),
        ({"period": "2026-Q4", "questionnaire": "dimensions"}, "Choose at least one dimension"),
        ({"period": "2026-Q4", "questionnaire": "dimensions", "dimensions": "no-such"}, "not a valid choice"),
        ({"period": "2026-Q4", "questionnaire": "everything"}, "Not a valid choice"),
    ],
)
def test_bad_start_input_shows_the_form_again(app, client, acme, data, message):
    token = sign_in(app, client, acme["owner"])
    page = post(client, f"/teams/{acme['team']}/assessments", token, catalog="cd-maturity", **data)
    assert page.status_code == 200 and message in page.text
    assert f'value="{data["period"]}"' in page.text
    assert assessments_of(app, acme["team"]) == []


def test_a_period_already_assessed_is_refused_on_the_form(app, client, acme):
    token = sign_in(app, client, acme["owner"])
    post(client, f"/teams/{acme['team']}/assessments", token, catalog="cd-maturity", period="2026-Q4", questionnaire="quick")
    page = post(
        client, f"/teams/{acme['team']}/assessments", token, catalog="cd-maturity", period="2026-Q4", questionnaire="full"
    )
    assert page.status_code == 200 and "already has an assessment for this period" in page.text
    assert assessments_of(app, acme["team"]) == [("2026-Q4", "quick")]


@pytest.mark.parametrize("who", ["member", "viewer"])
def test_plain_members_and_viewers_cannot_start(app, client, acme, who):
    token = sign_in(app, client, acme[who])
    response = post(
        client, f"/teams/{acme['team']}/assessments", token, catalog="cd-maturity", period="2026-Q4", questionnaire="full"
    )
    assert response.status_code == 403
    assert assessments_of(app, acme["team"]) == []


def test_an_archived_team_offers_no_start_and_refuses_one(app, client, acme):
    token = sign_in(app, client, acme["owner"])
    post(client, f"/teams/{acme['team']}/archive", token)
    page = client.get(f"/teams/{acme['team']}").text
    assert "Start assessment" not in page and "Restore team" in page
    response = post(
        client, f"/teams/{acme['team']}/assessments", token, catalog="cd-maturity", period="2026-Q4", questionnaire="full"
    )
    assert response.status_code == 409 and "archived" in response.text


# --- rename, archive, profile ----------------------------------------------------------------


def test_rename(app, client, acme):
    token = sign_in(app, client, acme["lead"])
    assert post(client, f"/teams/{acme['team']}/rename", token, name="Payments Core").status_code == 302
    assert team_row(app, acme["team"]).name == "Payments Core"


def test_rename_needs_a_name(app, client, acme):
    token = sign_in(app, client, acme["owner"])
    page = post(client, f"/teams/{acme['team']}/rename", token, name="")
    assert page.status_code == 200 and 'aria-invalid="true"' in page.text
    assert team_row(app, acme["team"]).name == "Payments"


@pytest.mark.parametrize("who", ["member", "viewer"])
def test_rename_is_refused_to_plain_members_and_viewers(app, client, acme, who):
    token = sign_in(app, client, acme[who])
    assert post(client, f"/teams/{acme['team']}/rename", token, name="Mine").status_code == 403


def test_archive_and_restore(app, client, acme):
    token = sign_in(app, client, acme["facilitator"])
    assert post(client, f"/teams/{acme['team']}/archive", token).status_code == 302
    assert team_row(app, acme["team"]).archived_at is not None
    assert post(client, f"/teams/{acme['team']}/restore", token).status_code == 302
    assert team_row(app, acme["team"]).archived_at is None


@pytest.mark.parametrize("who", ["lead", "viewer"])
def test_archive_is_for_staff(app, client, acme, who):
    token = sign_in(app, client, acme[who])
    assert post(client, f"/teams/{acme['team']}/archive", token).status_code == 403
    assert post(client, f"/teams/{acme['team']}/restore", token).status_code == 403


def test_the_profile_form_offers_each_question_with_its_options(app, client, acme):
    catalog = app.extensions["cdcoach.catalogs"].get("cd-maturity")
    sign_in(app, client, acme["owner"])
    page = client.get(f"/teams/{acme['team']}").text
    for question in catalog.profile.questions:
        assert str(escape(question.text.en)) in page
        assert str(escape(question.options[-1].label.en)) in page
    assert '<option selected value="6-15">' in page


def test_save_the_profile(app, client, acme):
    token = sign_in(app, client, acme["lead"])
    saved = post(client, f"/teams/{acme['team']}/profile", token, team_size="51+", product_kind="mobile-app", regulated="")
    assert saved.status_code == 302
    assert team_row(app, acme["team"]).profile == {"team_size": "51+", "product_kind": "mobile-app"}


def test_an_unknown_profile_answer_shows_the_form_again(app, client, acme):
    token = sign_in(app, client, acme["owner"])
    page = post(client, f"/teams/{acme['team']}/profile", token, team_size="huge")
    assert page.status_code == 200 and "Not a valid choice" in page.text
    assert team_row(app, acme["team"]).profile == {"team_size": "6-15"}


def test_the_profile_is_refused_to_plain_members(app, client, acme):
    token = sign_in(app, client, acme["member"])
    assert post(client, f"/teams/{acme['team']}/profile", token, team_size="1-5").status_code == 403


# --- team members ----------------------------------------------------------------------------


def lead_flags(app, team_id: int) -> dict[int, bool]:
    with app.app_context():
        return dict(db.session.execute(sa.select(TeamMember.user_id, TeamMember.lead).where(TeamMember.team_id == team_id)).all())


def test_add_an_organisation_member_as_lead(app, client, acme):
    token = sign_in(app, client, acme["owner"])
    page = client.get(f"/teams/{acme['team']}").text
    options = page.split('name="user"')[1].split("</select>")[0]
    assert "Viewer Person" in options and "Lea Lead" not in options and "Stranger" not in options
    assert post(client, f"/teams/{acme['team']}/members", token, user=acme["viewer"], lead="y").status_code == 302
    assert lead_flags(app, acme["team"])[acme["viewer"]] is True


def test_a_stranger_cannot_be_added(app, client, acme):
    token = sign_in(app, client, acme["owner"])
    page = post(client, f"/teams/{acme['team']}/members", token, user=acme["stranger"])
    assert page.status_code == 200 and "Not a valid choice" in page.text
    assert acme["stranger"] not in lead_flags(app, acme["team"])


def test_mark_and_unmark_a_lead(app, client, acme):
    token = sign_in(app, client, acme["facilitator"])
    assert post(client, f"/teams/{acme['team']}/members/{acme['member']}/lead", token, lead="yes").status_code == 302
    assert post(client, f"/teams/{acme['team']}/members/{acme['lead']}/lead", token, lead="no").status_code == 302
    flags = lead_flags(app, acme["team"])
    assert flags[acme["member"]] is True and flags[acme["lead"]] is False


def test_lead_needs_a_team_member_and_a_clear_value(app, client, acme):
    token = sign_in(app, client, acme["owner"])
    assert post(client, f"/teams/{acme['team']}/members/{acme['viewer']}/lead", token, lead="yes").status_code == 404
    assert post(client, f"/teams/{acme['team']}/members/{acme['member']}/lead", token, lead="maybe").status_code == 400
    assert lead_flags(app, acme["team"])[acme["member"]] is False


def test_remove_from_the_team(app, client, acme):
    token = sign_in(app, client, acme["owner"])
    assert post(client, f"/teams/{acme['team']}/members/{acme['member']}/remove", token).status_code == 302
    assert acme["member"] not in lead_flags(app, acme["team"])
    assert post(client, f"/teams/{acme['team']}/members/{acme['member']}/remove", token).status_code == 404


@pytest.mark.parametrize("who", ["lead", "member", "viewer"])
def test_team_membership_is_managed_by_staff_only(app, client, acme, who):
    token = sign_in(app, client, acme[who])
    base = f"/teams/{acme['team']}/members"
    assert post(client, base, token, user=acme["viewer"]).status_code == 403
    assert post(client, f"{base}/{acme['member']}/lead", token, lead="yes").status_code == 403
    assert post(client, f"{base}/{acme['member']}/remove", token).status_code == 403
    assert lead_flags(app, acme["team"]) == {acme["lead"]: True, acme["member"]: False}
