"""Downloading the PDF report from the web, and `cdcoach report`."""

from __future__ import annotations

from types import SimpleNamespace

from assessment.cli import main
from tests import results_scenario
from tests.factories import login, make_user


def built(app) -> tuple[int, SimpleNamespace, SimpleNamespace]:
    """The scenario's assessment id, a member and a stranger (ids read while the session is open)."""
    with app.test_request_context():
        scenario = results_scenario.build(app)
        return (scenario.assessment.id, SimpleNamespace(id=scenario.member.id), SimpleNamespace(id=make_user().id))


def test_download_in_the_chosen_language(app, client):
    assessment_id, member, _ = built(app)
    login(client, member)
    response = client.get(f"/assessments/{assessment_id}/report.pdf?lang=zh")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"].endswith('-zh.pdf"')
    assert "no-store" in response.headers["Cache-Control"]


def test_download_access(app, client):
    assessment_id, _, stranger = built(app)
    url = f"/assessments/{assessment_id}/report.pdf"
    assert client.get(url).status_code == 302  # to the login page
    login(client, stranger)
    assert client.get(url).status_code == 404


def test_cli_report(app, runner, tmp_path):
    assessment_id, _, _ = built(app)
    target = tmp_path / "report.pdf"
    result = runner.invoke(main, ["report", str(assessment_id), "-o", str(target), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF")
    missing = runner.invoke(main, ["report", "999999", "-o", str(target)])
    assert missing.exit_code == 1 and "no assessment with id 999999" in missing.output
