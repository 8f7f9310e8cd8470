"""Workshops through HTTP: facilitator pages and who may use them, joining, answering, following, consensus, finish."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from assessment import clock
from assessment.extensions import db
from assessment.services import assessments, workshops
from assessment.store.models import Answer, Assessment, Consensus, Response, User
from assessment.web.workshop_join.views import PARTICIPANT
from tests.factories import csrf_token, login, make_org, make_team, make_user, org_with_roles

HTMX = {"HX-Request": "true"}


@dataclass
class World:
    people: dict[str, int]
    stranger: int
    team_id: int
    workshop_id: int
    code: str
    practices: list[str]  # the open dimension's practices, lowest level first


@pytest.fixture
def world(app):
    with app.test_request_context():
        organisation, people = org_with_roles()
        stranger = make_user("Stan Stranger")
        make_org(stranger)
        team = make_team(organisation, "Payments")
        catalog = app.extensions["cdcoach.catalogs"].get("cd-maturity")
        workshop = workshops.create_workshop(people["facilitator"], team.id, catalog, "quick")
        workshops.change_state(people["facilitator"], workshop.id, "open")
        dimension = catalog.dimension(workshop.open_dimension)
        asked = assessments.asked(workshop)
        practices = [p.id for p in sorted(dimension.practices, key=lambda p: p.level) if p.id in asked]
        ids = {role: user.id for role, user in people.items()}
        return World(ids, stranger.id, team.id, workshop.id, workshop.join_code, practices)


def as_user(app, user_id):
    client = app.test_client()
    with app.app_context():
        login(client, db.session.get(User, user_id))
    return client


def join(app, world, name="Ana", role="dev", code=None):
    """A participant's own browser (client) after joining through the form."""
    client = app.test_client()
    token = csrf_token(client, "/join")
    reply = client.post("/join", data={"csrf_token": token, "code": code or world.code, "name": name, "role": role})
    assert reply.status_code == 302 and reply.headers["Location"].endswith("/workshop"), reply.text
    return client


def answer(client, practice, value, **extra):
    token = csrf_token(client, "/join")  # one token per browser session, whatever the page
    return client.post(
        "/workshop/answers", data={"csrf_token": token, "practice": practice, "value": value, **extra}, headers=HTMX
    )


def stored_answers(app):
    with app.app_context():
        rows = db.session.execute(sa.select(Response.display_name, Answer.practice_id, Answer.value).join(Answer))
        return {(name, practice): value for name, practice, value in rows}


def set_status(app, world, action):
    with app.test_request_context():
        workshops.change_state(db.session.get(User, world.people["owner"]), world.workshop_id, action)


# Facilitator pages and who may use them


def facilitator_routes(world):
    base = f"/assessments/{world.workshop_id}/workshop"
    practice = world.practices[0]
    return [
        ("GET", f"/teams/{world.team_id}/workshops/new"),
        ("POST", f"/teams/{world.team_id}/workshops/new"),
        ("GET", base),
        ("POST", base + "/state"),
        ("POST", base + "/dimension"),
        ("POST", base + "/participants/1/remove"),
        ("POST", base + "/finish"),
        ("GET", base + "/live"),
        ("GET", base + "/live/update"),
        ("GET", base + "/screen"),
        ("GET", base + "/screen/update"),
        ("GET", base + f"/consensus/{practice}"),
        ("POST", base + f"/consensus/{practice}"),
    ]


@pytest.mark.parametrize(("who", "expected"), [("member", 403), ("viewer", 403), ("stranger", 404)])
def test_every_facilitator_route_is_refused_to_members_viewers_and_other_organisations(app, world, who, expected):
    client = as_user(app, world.stranger if who == "stranger" else world.people[who])
    token = csrf_token(client, "/catalogs")
    form = {
        "csrf_token": token,
        "action": "close",
        "dimension": "build",
        "value": "3",
        "note": "x",
        "version": "0",
        "questionnaire": "full",
        "period": "2027-Q1",
        "catalog": "cd-maturity",
    }
    for method, path in facilitator_routes(world):
        reply = client.open(path, method=method, data=form if method == "POST" else None)
        assert reply.status_code == expected, (method, path, reply.status_code)
    with app.app_context():
        workshop = db.session.get(Assessment, world.workshop_id)
        assert (workshop.status, workshop.open_dimension) == ("open", "config")
        assert db.session.scalar(sa.select(sa.func.count(Consensus.id))) == 0


@pytest.mark.parametrize("who", ["owner", "facilitator"])
def test_staff_reach_every_facilitator_page(app, world, who):
    client = as_user(app, world.people[who])
    for method, path in facilitator_routes(world):
        if method == "GET":
            assert client.get(path).status_code == 200, path


def test_the_team_page_offers_a_workshop_to_staff_only(app, world):
    for who, shown in (("owner", True), ("facilitator", True), ("member", False), ("viewer", False)):
        page = as_user(app, world.people[who]).get(f"/teams/{world.team_id}").text
        assert ("Run a workshop" in page) is shown, who


def test_a_facilitator_sets_up_a_workshop_and_gets_code_link_and_qr_code(app, world):
    client = as_user(app, world.people["facilitator"])
    token = csrf_token(client, f"/teams/{world.team_id}/workshops/new")
    data = {
        "csrf_token": token,
        "catalog": "cd-maturity",
        "period": "2027-Q1",
        "questionnaire": "dimensions",
        "dimensions": ["build", "testing"],
    }
    reply = client.post(f"/teams/{world.team_id}/workshops/new", data=data)
    assert reply.status_code == 302
    with app.app_context():
        workshop = db.session.scalar(sa.select(Assessment).where(Assessment.period == "2027-Q1"))
        assert (workshop.kind, workshop.status, workshop.questionnaire) == ("workshop", "draft", ["testing", "build"])
    page = client.get(reply.headers["Location"]).text
    assert workshop.join_code in page
    assert f"http://localhost/join/{workshop.join_code}" in page
    assert (
        '<svg viewBox="0 0 ' in page and 'class="segno"' in page and "style=" not in page.split("<svg", 1)[1].split("</svg>")[0]
    )
    again = client.post(f"/teams/{world.team_id}/workshops/new", data=data)  # the quarter is taken now
    assert again.status_code == 400 and "already has an assessment" in again.text


def test_state_buttons_and_the_open_dimension(app, world):
    client = as_user(app, world.people["facilitator"])
    base = f"/assessments/{world.workshop_id}/workshop"
    token = csrf_token(client, base)
    assert client.post(base + "/state", data={"csrf_token": token, "action": "pause"}).status_code == 302
    assert "Resume" in client.get(base).text
    assert (
        client.post(base + "/state", data={"csrf_token": token, "action": "open"}).status_code == 409
    )  # paused: resume, not open
    assert client.post(base + "/dimension", data={"csrf_token": token, "dimension": "build"}).status_code == 302
    assert client.post(base + "/dimension", data={"csrf_token": token, "dimension": "nope"}).status_code == 400
    with app.app_context():
        workshop = db.session.get(Assessment, world.workshop_id)
        assert (workshop.status, workshop.open_dimension) == ("paused", "build")


# Joining


def test_the_join_link_fills_in_the_code(client, world):
    page = client.get(f"/join/{world.code}")
    assert page.status_code == 200 and f'value="{world.code}"' in page.text and "flash-error" not in page.text


@pytest.mark.parametrize(
    ("case", "status", "message"),
    [
        ("unknown", 404, "There is no workshop with this code"),
        ("empty", 400, "Enter the code shown by the facilitator"),
        ("paused", 409, "This workshop is paused. Wait for the facilitator"),
        ("closed", 409, "This workshop is closed"),
        ("expired", 409, "This code has expired"),
    ],
)
def test_joining_with_a_code_that_admits_nobody_says_why(app, client, world, case, status, message):
    code = {"unknown": "ZZZZZZ", "empty": ""}.get(case, world.code)
    if case in ("paused", "closed"):
        set_status(app, world, "pause" if case == "paused" else "close")
    if case == "expired":
        clock.set_clock(lambda: datetime.now(UTC) + timedelta(hours=13))
    try:
        token = csrf_token(client, "/join")
        reply = client.post("/join", data={"csrf_token": token, "code": code, "role": "dev"})
        link = client.get(f"/join/{code or 'x'}")
    finally:
        clock.set_clock(None)
    assert reply.status_code == status
    assert message in reply.text and "Traceback" not in reply.text
    assert PARTICIPANT not in reply.headers.get("Set-Cookie", "")
    if case != "empty":
        assert link.status_code == 200 and message in link.text  # the link says it at once
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 0


def test_joining_sets_an_httponly_lax_cookie_and_the_answers_survive_a_reload(app, world):
    token = csrf_token(participant := app.test_client(), "/join")
    reply = participant.post("/join", data={"csrf_token": token, "code": world.code.lower(), "name": "Ana", "role": "ops"})
    cookie = reply.headers["Set-Cookie"]
    assert cookie.startswith(PARTICIPANT + "=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    first = world.practices[0]
    saved = answer(participant, first, "2")
    assert saved.status_code == 200 and "Saved" in saved.text
    page = participant.get("/workshop").text  # a reload
    assert "You take part as Ana (Operations)" in page
    assert 'value="2" checked' in page.split(f'id="p-{first}"')[1].split("</form>")[0]
    assert stored_answers(app) == {("Ana", first): "2"}
    assert "Back to your workshop" in participant.get("/join").text  # a second visit to /join offers the way back
    assert "Back to your workshop" not in app.test_client().get("/join").text


def test_a_plain_form_post_saves_and_comes_back_to_the_page(app, world):
    participant = join(app, world)
    token = csrf_token(participant, "/workshop")
    reply = participant.post("/workshop/answers", data={"csrf_token": token, "practice": world.practices[0], "value": "1"})
    assert reply.status_code == 302 and "/workshop#p-" in reply.headers["Location"]
    assert stored_answers(app) == {("Ana", world.practices[0]): "1"}


# Only one's own answers


def test_a_participant_changes_only_their_own_answers(app, world):
    ana, ben = join(app, world, "Ana"), join(app, world, "Ben", "ops")
    first = world.practices[0]
    answer(ana, first, "1")
    answer(ben, first, "3")
    with app.app_context():
        ben_id = db.session.scalar(sa.select(Response.id).where(Response.display_name == "Ben"))
    # a forged response id in the form is ignored: the cookie alone says whose answer it is
    assert answer(ana, first, "0", response_id=str(ben_id), response=str(ben_id)).status_code == 200
    # a browser without the cookie reaches nobody's answers
    stranger = app.test_client()
    refused = answer(stranger, first, "2")
    assert refused.status_code == 403 and "Join the workshop with its code first" in refused.text
    # a practice outside the open dimension is refused, as is a made-up one
    other = next(p.id for p in app.extensions["cdcoach.catalogs"].get("cd-maturity").dimension("build").practices if p.quick)
    assert answer(ana, other, "3").status_code == 409
    assert answer(ana, "config.made-up", "3").status_code == 409
    assert stored_answers(app) == {("Ana", first): "0", ("Ben", first): "3"}


# Following the facilitator


def seen_key(page_text):
    return page_text.split("/workshop/poll?seen=")[1].split('"')[0]


def test_participants_follow_the_facilitator_through_a_small_poll(app, world):
    participant = join(app, world)
    page = participant.get("/workshop").text
    key = seen_key(page)
    assert participant.get(f"/workshop/poll?seen={key}").status_code == 204  # nothing changed: nothing to swap
    set_status(app, world, "pause")
    paused = participant.get(f"/workshop/poll?seen={key}")
    assert paused.status_code == 200 and "The workshop is paused: wait for the facilitator." in paused.text
    assert "The workshop is paused: wait for the facilitator." in participant.get("/workshop").text
    set_status(app, world, "resume")
    with app.test_request_context():
        workshops.open_dimension(db.session.get(User, world.people["owner"]), world.workshop_id, "build")
    moved = participant.get(f"/workshop/poll?seen={seen_key(paused.text)}")
    assert moved.status_code == 200 and 'name="practice" value="build.' in moved.text


def test_a_removed_participant_is_told_and_cannot_answer(app, world):
    participant = join(app, world)
    with app.app_context():
        response_id = db.session.scalar(sa.select(Response.id))
    client = as_user(app, world.people["facilitator"])
    token = csrf_token(client, f"/assessments/{world.workshop_id}/workshop")
    reply = client.post(
        f"/assessments/{world.workshop_id}/workshop/participants/{response_id}/remove", data={"csrf_token": token}
    )
    assert reply.status_code == 302
    assert "took you out of this workshop" in participant.get("/workshop").text
    assert answer(participant, world.practices[0], "2").status_code == 403


# The facilitator's live view and the big screen


def test_the_big_screen_shows_no_names_while_the_control_page_does(app, world):
    for name, role, value in (("Secret Sam", "dev", "0"), ("Hidden Hal", "dev", "3"), ("Quiet Quinn", "dev", "3")):
        answer(join(app, world, name, role), world.practices[0], value)
    client = as_user(app, world.people["facilitator"])
    base = f"/assessments/{world.workshop_id}/workshop"
    assert "Secret Sam" in client.get(base).text
    for path in (base + "/screen", base + "/screen/update", base + "/live", base + "/live/update"):
        text = client.get(path).text
        assert not any(name in text for name in ("Secret Sam", "Hidden Hal", "Quiet Quinn")), path
    # 0, 3, 3: median 3, spread 3, a disagreement; the distribution's description counts them
    screen = client.get(base + "/screen").text
    assert "0 = 1, 1 = 0, 2 = 0, 3 = 2, N/A = 0, ? = 0" in screen


def test_the_live_view_updates_through_a_fragment_and_hides_small_role_groups(app, world):
    client = as_user(app, world.people["facilitator"])
    base = f"/assessments/{world.workshop_id}/workshop"
    first = world.practices[0]
    for role, value in (("dev", "3"), ("dev", "3"), ("ops", "1"), ("ops", "1")):  # two groups of 2: no split
        answer(join(app, world, None, role), first, value)
    live = client.get(base + "/live").text
    key = live.split("/live/update?seen=")[1].split('"')[0]
    assert "By role:" not in live
    assert client.get(base + f"/live/update?seen={key}").status_code == 204
    answer(join(app, world, None, "ops"), first, "0")  # ops is 3 now, dev still 2: one group is no split
    assert "By role:" not in client.get(base + f"/live/update?seen={key}").text
    answer(join(app, world, None, "dev"), first, "2")  # dev 3, 3, 2 -> 3; ops 1, 1, 0 -> 1
    update = client.get(base + f"/live/update?seen={key}")
    assert update.status_code == 200 and "By role:" in update.text
    roles = update.text.split("By role:")[1].split("</p>")[0]
    assert "Development 3" in roles and "Operations 1" in roles


# Consensus


def consensus_post(client, world, value, note, version, htmx=False):
    path = f"/assessments/{world.workshop_id}/workshop/consensus/{world.practices[0]}"
    token = csrf_token(client, f"/assessments/{world.workshop_id}/workshop")
    data = {"csrf_token": token, "value": value, "note": note, "version": str(version)}
    return client.post(path, data=data, headers=HTMX if htmx else {})


def test_the_consensus_form_offers_the_median(app, world):
    for value in ("1", "2", "2"):
        answer(join(app, world, None), world.practices[0], value)
    client = as_user(app, world.people["facilitator"])
    form = client.get(f"/assessments/{world.workshop_id}/workshop/consensus/{world.practices[0]}").text
    assert 'checked id="value-2"' in form and 'name="version" type="hidden" value="0"' in form


def test_a_second_facilitator_on_a_stale_version_sees_the_other_answer_and_keeps_their_own(app, world):
    owner, facilitator = as_user(app, world.people["owner"]), as_user(app, world.people["facilitator"])
    assert consensus_post(facilitator, world, "2", "Agreed after the demo", 0).status_code == 302
    clash = consensus_post(owner, world, "3", "My own words", 0)  # read before the first save
    assert clash.status_code == 409
    assert "Facilitator Person recorded: 2 · Mostly" in clash.text and "Agreed after the demo" in clash.text
    assert "My own words</textarea>" in clash.text and 'checked id="value-3"' in clash.text
    assert 'name="version" type="hidden" value="1"' in clash.text  # saving again now replaces it knowingly
    htmx = consensus_post(owner, world, "3", "My own words", 0, htmx=True)
    assert htmx.status_code == 200 and "Another facilitator recorded this practice" in htmx.text
    assert consensus_post(owner, world, "3", "My own words", 1, htmx=True).headers["HX-Trigger"] == "consensus-saved"
    with app.app_context():
        row = db.session.scalar(sa.select(Consensus))
        assert (row.value, row.note, row.version) == ("3", "My own words", 2)


# Finish


def test_closing_and_finalizing_gives_a_normal_assessment_with_results_roadmap_and_pdf(app, world):
    for value in ("0", "3", "3"):
        answer(join(app, world, None), world.practices[0], value)
    client = as_user(app, world.people["facilitator"])
    base = f"/assessments/{world.workshop_id}/workshop"
    assert consensus_post(client, world, "2", "Most services deploy from the pipeline", 0).status_code == 302
    token = csrf_token(client, base)
    assert client.post(base + "/finish", data={"csrf_token": token}).status_code == 409  # still open
    client.post(base + "/state", data={"csrf_token": token, "action": "close"})
    assert "Finalize the workshop" in client.get(base).text
    reply = client.post(base + "/finish", data={"csrf_token": token})
    assert reply.status_code == 302 and reply.headers["Location"].endswith(f"/assessments/{world.workshop_id}/results")
    assert client.get(f"/assessments/{world.workshop_id}/results").status_code == 200
    assert client.get(f"/assessments/{world.workshop_id}/roadmap").status_code == 200
    pdf = client.get(f"/assessments/{world.workshop_id}/report.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    with app.app_context():
        kept = db.session.scalars(sa.select(Answer.value).where(Answer.practice_id == world.practices[0]))
        assert sorted(kept) == ["0", "3", "3"]


def test_the_assessment_overview_of_a_workshop_points_to_the_workshop_not_to_answering(app, world):
    page = as_user(app, world.people["facilitator"]).get(f"/assessments/{world.workshop_id}").text
    assert "This is a live workshop" in page and f"/assessments/{world.workshop_id}/workshop" in page
    assert "Start answering" not in page  # participants join with the code, not with an account
    member = as_user(app, world.people["member"]).get(f"/assessments/{world.workshop_id}").text
    assert "Start answering" not in member and f"/assessments/{world.workshop_id}/workshop" not in member
