"""The `cdcoach` command: validate, show and score, errors included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assessment.app import create_app
from assessment.cli import main
from tests.catalog_builder import catalog_data, dump


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    path = folder / "tiny.yaml"
    path.write_text(dump(catalog_data()), encoding="utf-8")
    return path


@pytest.fixture
def runner(tmp_path: Path, tiny: Path):
    """The CLI of an app whose only catalog is the tiny one."""
    app = create_app(
        {"TESTING": True, "QUESTIONNAIRES_DIR": str(tiny.parent), "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}"}
    )
    return app.test_cli_runner()


def answers_file(tmp_path: Path, content: object) -> str:
    path = tmp_path / "answers.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def test_validate_a_valid_and_a_broken_catalog(runner, tmp_path, tiny):
    ok = runner.invoke(main, ["questionnaire", "validate", str(tiny)])
    assert ok.exit_code == 0 and "valid" in ok.output
    broken = catalog_data()
    broken["dimensions"][0]["practices"][1]["requires"] = ["a.missing"]
    broken["dimensions"][0]["practices"][2]["impact"] = 9
    bad = tmp_path / "bad.yaml"
    bad.write_text(dump(broken), encoding="utf-8")
    result = runner.invoke(main, ["questionnaire", "validate", str(tiny), str(bad)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "bad.yaml:" in line]
    assert len(lines) == 2
    assert any(line.endswith("dimensions[0].practices[1].requires[0]: unknown practice 'a.missing'") for line in lines)
    assert "Traceback" not in result.output


def test_validate_a_missing_path(runner, tmp_path):
    result = runner.invoke(main, ["questionnaire", "validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "no catalog found here" in result.output


def test_score_prints_the_result(runner, tmp_path, tiny):
    data = {
        "model": "tiny",
        "responses": [
            {"respondent": "ann", "role": "dev", "answers": {"a.p1": 3, "a.p2": 3, "a.p3": 1}},
            {"respondent": "bob", "role": "ops", "answers": {"a.p1": 3, "a.p2": 1, "a.p3": 3}},
        ],
    }
    result = runner.invoke(main, ["score", "--model", str(tiny), answers_file(tmp_path, data)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    # a.p2: median of 3 and 1 = 2 -> c2 = 2/3; a.p3: median 2 -> c3 = 2/3; s = 1 + 2/3 + 2/3 + 0 + 0 = 7/3
    assert out["overall"] == {"score": 2.3333, "level": 2, "confidence": 0.6}  # 6 numeric of 10 asked
    dim = out["dimensions"][0]
    assert dim["coverage"] == [1.0, 0.6667, 0.6667, 0.0, 0.0]
    p2 = dim["practices"][1]
    assert (p2["id"], p2["value"], p2["spread"], p2["disagreement"]) == ("a.p2", 2.0, 2, True)
    assert out["weakest"]["id"] == "a" and out["weakest"]["capping"] == ["a.p2"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ({"model": "tiny", "responses": [{"answers": {"a.zz": 1}}]}, "unknown practice 'a.zz'"),
        ({"model": "tiny", "responses": [{"answers": {"a.p1": 4}}]}, "4 is not an answer"),
        ({"model": "tiny", "responses": [{"answers": {"a.p1": "3"}}]}, "'3' is not an answer"),
        ({"model": "tiny", "responses": {"a.p1": 1}}, "'responses' must be a list"),
        ({"model": "tiny"}, "'responses' is missing"),
        ({"model": "tiny", "responses": [], "consensus": {"a.p1": "unknown"}}, "is not an answer"),
    ],
)
def test_score_bad_answers_give_one_clear_line(runner, tmp_path, tiny, content, message):
    result = runner.invoke(main, ["score", "--model", str(tiny), answers_file(tmp_path, content)])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_score_missing_answers_file(runner, tmp_path, tiny):
    result = runner.invoke(main, ["score", "--model", str(tiny), str(tmp_path / "none.json")])
    assert result.exit_code == 1 and "file not found" in result.output


def test_score_unknown_model(runner, tmp_path):
    result = runner.invoke(main, ["score", "--model", "no-such-model", answers_file(tmp_path, {"responses": []})])
    assert result.exit_code == 1 and "unknown model 'no-such-model'" in result.output


def test_score_broken_model_file(runner, tmp_path):
    broken = catalog_data()
    broken["levels"] = broken["levels"][:3]
    path = tmp_path / "broken.yaml"
    path.write_text(dump(broken), encoding="utf-8")
    result = runner.invoke(main, ["score", "--model", str(path), answers_file(tmp_path, {"responses": []})])
    assert result.exit_code == 1
    assert "is invalid" in result.output and "levels: " in result.output


def test_score_by_model_id_from_the_answers(runner, tmp_path):
    result = runner.invoke(main, ["score", answers_file(tmp_path, {"model": "tiny", "responses": []})])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["overall"] == {"score": 0.0, "level": 0, "confidence": None}


def test_show_json(runner):
    result = runner.invoke(main, ["questionnaire", "show", "tiny", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert (data["id"], data["version"]) == ("tiny", "1")
    assert [(p["id"], p["level"], p["weight"], p["quick"]) for p in data["dimensions"][0]["practices"]][:2] == [
        ("a.p1", 1, 1.0, False),
        ("a.p2", 2, 1.0, False),
    ]
    assert data["dimensions"][0]["area"] == "process"


def test_show_unknown_id(runner):
    result = runner.invoke(main, ["questionnaire", "show", "nope", "--json"])
    assert result.exit_code == 1 and "unknown model 'nope' (known: tiny)" in result.output


def test_roadmap_prints_stages_backlog_and_projections(runner, tmp_path):
    # tiny: one practice per level 1..5; answers p1 3, p2 1, rest 0 -> s = 1 + 1/3 = 4/3, level 1, target 2
    data = {"model": "tiny", "responses": [{"answers": {"a.p1": 3, "a.p2": 1}}]}
    result = runner.invoke(
        main, ["roadmap", answers_file(tmp_path, data), "--capacity", "1", "--stages", "2", "--start", "2027-Q1", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["targets"] == {"a": 2}
    assert [[i["practice"] for i in s["items"]] for s in out["stages"]] == [["a.p2"], []]
    assert [s["period"] for s in out["stages"]] == ["2027-Q1", "2027-Q2"]
    assert out["stages"][0]["projected_overall"] == 2.0  # c = (1, 1, 0, 0, 0) -> 2
    assert out["backlog"] == []
    item = out["stages"][0]["items"][0]
    assert item["statement"] == "Practice a.p2 is in place." and item["guidance"]["first_steps"] == "first_steps of a.p2."


def test_roadmap_with_target_fills_the_backlog(runner, tmp_path):
    data = {"model": "tiny", "responses": [{"answers": {"a.p1": 3}}]}
    result = runner.invoke(main, ["roadmap", answers_file(tmp_path, data), "--target", "a=5", "--capacity", "2", "--stages", "1"])
    out = json.loads(result.output)
    assert [i["practice"] for i in out["stages"][0]["items"]] == ["a.p2", "a.p3"]
    assert [i["practice"] for i in out["backlog"]] == ["a.p4", "a.p5"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target", "zz=3"], "use DIMENSION=LEVEL"),
        (["--target", "a=9"], "use DIMENSION=LEVEL"),
        (["--start", "2027-5"], "use a year and quarter"),
        (["--capacity", "0"], "0 is not in the range"),
    ],
)
def test_roadmap_bad_options(runner, tmp_path, args, message):
    result = runner.invoke(main, ["roadmap", answers_file(tmp_path, {"model": "tiny", "responses": []}), *args])
    assert result.exit_code == 2 and message in result.output
