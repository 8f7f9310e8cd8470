"""The branding pages: the organisation's settings (owners only) and a consultant's own on the
account page; uploads checked, errors shown at the field, the saved logo previewed as a data: URI."""

from __future__ import annotations

import io

import pytest

from assessment.extensions import db
from assessment.store.models import Organisation, User
from tests.factories import csrf_token, login, make_org, make_user, org_with_roles
from tests.services.test_branding import SVG, image_bytes


@pytest.fixture
def acme(app) -> dict[str, int]:
    with app.app_context():
        organisation, people = org_with_roles()
        ids = {"org": organisation.id, **{role: user.id for role, user in people.items()}}
        stranger = make_user("Stranger")
        make_org(stranger, "Elsewhere")
        ids["stranger"] = stranger.id
        return ids


def sign_in(app, client, user_id: int) -> str:
    with app.app_context():
        login(client, db.session.get(User, user_id))
    return csrf_token(client)


def upload(data: bytes, name: str) -> tuple[io.BytesIO, str]:
    return io.BytesIO(data), name


def saved(app, org_id: int) -> tuple[str | None, str | None, bytes | None]:
    with app.app_context():
        organisation = db.session.get(Organisation, org_id)
        return organisation.brand_name, organisation.brand_color, organisation.brand_logo


def test_owner_saves_branding_and_sees_the_logo_preview(app, client, acme):
    token = sign_in(app, client, acme["owner"])
    url = f"/orgs/{acme['org']}/settings"
    page = client.get(url)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text and "data:image" not in page.text
    logo = image_bytes("PNG")
    form = {"csrf_token": token, "brand_name": "Acme Consulting", "brand_color": "#B4285A", "logo": upload(logo, "logo.png")}
    response = client.post(url, data=form, content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    assert saved(app, acme["org"]) == ("Acme Consulting", "#b4285a", logo)
    page = client.get(url)
    assert 'src="data:image/png;base64,' in page.text  # the CSP allows img-src data:
    assert 'fill="#b4285a"' in page.text  # the colour swatch
    assert "The branding is saved" in page.text
    assert f'href="{url}"' in client.get(f"/orgs/{acme['org']}").text  # linked from the organisation page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"brand_color": "crimson"}, "six hexadecimal digits"),
        ({"logo": (SVG, "logo.svg")}, "must be a PNG or JPEG"),
        ({"logo": (SVG, "logo.png")}, "must be a PNG or JPEG"),  # the content decides, not the name
        ({"logo": (image_bytes("PNG", (400, 400), noise=True), "big.png")}, "at most 300 KB"),
        (
            {"brand_color": "#abc", "logo": (SVG, "x.png")},
            ("six hexadecimal digits", "must be a PNG or JPEG"),
        ),  # both said at once
    ],
)
def test_bad_input_is_shown_at_its_field_and_nothing_is_saved(app, client, acme, fields, message):
    token = sign_in(app, client, acme["owner"])
    form = {"csrf_token": token, "brand_name": "Half Saved?", "brand_color": "#123456", **fields}
    if "logo" in form:
        form["logo"] = upload(*form["logo"])
    response = client.post(f"/orgs/{acme['org']}/settings", data=form, content_type="multipart/form-data")
    assert response.status_code == 200 and 'class="field-error"' in response.text
    for expected in (message,) if isinstance(message, str) else message:
        assert expected in response.text
    assert saved(app, acme["org"]) == (None, None, None)


@pytest.mark.parametrize("role", ["facilitator", "member", "viewer"])
def test_only_owners_reach_the_settings(app, client, acme, role):
    token = sign_in(app, client, acme[role])
    url = f"/orgs/{acme['org']}/settings"
    assert client.get(url).status_code == 403
    form = {"csrf_token": token, "brand_name": "Intruder", "brand_color": "#000000"}
    assert client.post(url, data=form).status_code == 403
    assert saved(app, acme["org"]) == (None, None, None)
    assert f'href="{url}"' not in client.get(f"/orgs/{acme['org']}").text


def test_strangers_and_anonymous_visitors_are_refused(app, client, acme):
    url = f"/orgs/{acme['org']}/settings"
    assert client.get(url).status_code == 302  # to the login page
    sign_in(app, client, acme["stranger"])
    assert client.get(url).status_code == 404


def test_a_consultant_sets_their_own_branding_on_the_account_page(app, client, acme):
    token = sign_in(app, client, acme["facilitator"])
    assert "Your branding" in client.get("/account").text
    logo = image_bytes("JPEG")
    form = {"csrf_token": token, "brand_name": "Northwind", "brand_color": "#00aa00", "logo": upload(logo, "n.jpg")}
    response = client.post("/account/branding", data=form, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, acme["facilitator"])
        assert (user.brand_name, user.brand_color, user.brand_logo) == ("Northwind", "#00aa00", logo)
    assert 'src="data:image/jpeg;base64,' in client.get("/account").text
    bad = {"csrf_token": token, "brand_name": "Changed", "brand_color": "#zzzzzz"}
    response = client.post("/account/branding", data=bad, content_type="multipart/form-data")
    assert response.status_code == 200 and "six hexadecimal digits" in response.text
    with app.app_context():
        assert db.session.get(User, acme["facilitator"]).brand_name == "Northwind"
    remove = {"csrf_token": token, "brand_name": "Northwind", "brand_color": "#00aa00", "remove_logo": "y"}
    client.post("/account/branding", data=remove, content_type="multipart/form-data")
    with app.app_context():
        assert db.session.get(User, acme["facilitator"]).brand_logo is None


def test_own_branding_needs_a_login(app, client):
    token = csrf_token(client)
    response = client.post("/account/branding", data={"csrf_token": token, "brand_name": "Anon"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
