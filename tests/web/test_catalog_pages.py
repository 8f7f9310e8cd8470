"""Public catalog pages: list, contents, glossary, language switch and error pages."""

from __future__ import annotations


def test_index_lists_the_catalogs(client):
    page = client.get("/catalogs")
    assert page.status_code == 200
    assert "Continuous Delivery Maturity" in page.text
    assert "/catalogs/cd-maturity" in page.text


def test_catalog_page_shows_levels_and_dimensions(client, app):
    catalog = app.extensions["cdcoach.catalogs"].get("cd-maturity")
    page = client.get("/catalogs/cd-maturity")
    assert page.status_code == 200
    for level in catalog.levels:
        assert level.name.en in page.text
    for dimension in catalog.dimensions:
        assert dimension.name.en in page.text


def test_unknown_catalog_is_404_without_traceback(client):
    page = client.get("/catalogs/no-such-thing")
    assert page.status_code == 404
    assert "does not exist" in page.text and "Traceback" not in page.text


def test_glossary(client, app):
    catalog = app.extensions["cdcoach.catalogs"].get("cd-maturity")
    page = client.get("/catalogs/cd-maturity/glossary")
    assert page.status_code == 200
    assert catalog.glossary[0].term.en in page.text


def test_language_switch_is_remembered(client, app):
    catalog = app.extensions["cdcoach.catalogs"].get("cd-maturity")
    page = client.get("/")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    switched = client.post("/language/zh", data={"csrf_token": token, "next": "/catalogs/cd-maturity"})
    assert switched.status_code == 302 and switched.headers["Location"] == "/catalogs/cd-maturity"
    page = client.get("/catalogs/cd-maturity")
    assert catalog.title.zh in page.text and 'lang="zh"' in page.text


def test_language_switch_refuses_foreign_redirects(client):
    page = client.get("/")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    switched = client.post("/language/en", data={"csrf_token": token, "next": "https://evil.example/"})
    assert switched.headers["Location"] == "/"  # the landing page


def test_language_switch_needs_csrf(client):
    assert client.post("/language/zh").status_code == 400


def test_browser_language_is_the_default(client):
    page = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert 'lang="zh"' in page.text


def test_strict_content_security_policy(client):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]


def test_a_logged_in_users_language_follows_them_to_another_browser(app, client):
    from types import SimpleNamespace

    from tests.factories import csrf_token, login, make_user

    with app.app_context():
        user = SimpleNamespace(id=make_user().id)
    login(client, user)
    client.post("/language/zh", data={"csrf_token": csrf_token(client), "next": "/home"})
    other = app.test_client()  # no language cookie, an English browser
    login(other, user)
    page = other.get("/home", headers={"Accept-Language": "en"})
    assert 'lang="zh"' in page.text
