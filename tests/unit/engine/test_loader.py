"""Catalog validation: every rule, with file, line and key path in each error."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment.engine.errors import CatalogInvalid
from assessment.engine.loader import catalog_hash, find_catalogs, load_catalog, validate_catalog
from tests.catalog_builder import catalog_data, dimension, dump, metric_hours, metric_percent, practice


def write(tmp_path: Path, data: dict, name: str = "catalog.yaml") -> Path:
    path = tmp_path / name
    path.write_text(dump(data), encoding="utf-8")
    return path


def messages(path: Path) -> list[str]:
    return [f"{e.path}: {e.message}" for e in validate_catalog(path)]


def test_a_valid_catalog_loads(tmp_path):
    catalog = load_catalog(write(tmp_path, catalog_data(metrics=[metric_hours(), metric_percent()])))
    assert catalog.id == "tiny"
    assert list(catalog.practices) == ["a.p1", "a.p2", "a.p3", "a.p4", "a.p5"]
    assert catalog.practices["a.p3"].weight == 1 and catalog.practices["a.p3"].requires == ()


def test_error_names_file_line_and_path(tmp_path):
    data = catalog_data()
    data["dimensions"][0]["practices"][2]["level"] = 7
    path = write(tmp_path, data)
    [error] = validate_catalog(path)
    assert error.path == "dimensions[0].practices[2].level"
    assert error.file.endswith("catalog.yaml")
    # the offending line really holds that key
    assert path.read_text().splitlines()[error.line - 1].strip() == "level: 7"
    assert str(error).startswith(f"{error.file}:{error.line}: dimensions[0].practices[2].level: ")


def test_all_errors_are_reported_at_once(tmp_path):
    data = catalog_data()
    data["dimensions"][0]["practices"][0]["effort"] = "XL"
    data["dimensions"][0]["practices"][1]["requires"] = ["a.nope"]
    data["dimensions"][0]["practices"][4]["statement"] = {"en": "Only English."}
    found = messages(write(tmp_path, data))
    assert len(found) == 3
    assert any(m.startswith("dimensions[0].practices[0].effort:") for m in found)
    assert "dimensions[0].practices[1].requires[0]: unknown practice 'a.nope'" in found
    assert "dimensions[0].practices[4].statement.zh: required key is missing" in found


def test_duplicate_practice_and_dimension_ids(tmp_path):
    dims = [
        dimension("a", [practice("a.p1", 1), practice("a.p1", 2)]),
        dimension("a", [practice("a.p9", 1)]),
    ]
    found = messages(write(tmp_path, catalog_data(dims)))
    assert "dimensions[0].practices[1].id: duplicate practice id 'a.p1'" in found
    assert "dimensions[1].id: duplicate dimension id 'a'" in found


def test_practice_id_must_start_with_its_dimension(tmp_path):
    found = messages(write(tmp_path, catalog_data([dimension("a", [practice("b.p1", 1)])])))
    assert found == ["dimensions[0].practices[0].id: practice id must start with its dimension id: 'a.'"]


def test_requires_cycle_is_found(tmp_path):
    dims = [
        dimension(
            "a",
            [practice("a.x", 2, requires=["a.y"]), practice("a.y", 2, requires=["a.z"]), practice("a.z", 2, requires=["a.x"])],
        )
    ]
    found = messages(write(tmp_path, catalog_data(dims)))
    assert found == ["dimensions[0].practices[0].requires: requires forms a cycle: a.x -> a.y -> a.z -> a.x"]


def test_self_requirement_is_refused(tmp_path):
    dims = [dimension("a", [practice("a.x", 2, requires=["a.x"])])]
    found = messages(write(tmp_path, catalog_data(dims)))
    assert "dimensions[0].practices[0].requires[0]: a practice cannot require itself" in found


def test_requiring_a_higher_level_in_the_same_dimension(tmp_path):
    dims = [
        dimension("a", [practice("a.low", 2, requires=["a.high", "b.high"]), practice("a.high", 3)]),
        dimension("b", [practice("b.high", 5)]),
    ]
    found = messages(write(tmp_path, catalog_data(dims)))
    # only the same-dimension requirement is wrong; another dimension may be at any level
    assert found == ["dimensions[0].practices[0].requires[0]: requires 'a.high' of a higher level (3) in the same dimension"]


@pytest.mark.parametrize("level", [0, 6])
def test_levels_outside_one_to_five(tmp_path, level):
    data = catalog_data()
    data["dimensions"][0]["practices"][0]["level"] = level
    [message] = messages(write(tmp_path, data))
    assert message.startswith("dimensions[0].practices[0].level: input should be")


def test_catalog_levels_must_be_numbered_in_order(tmp_path):
    data = catalog_data()
    data["levels"][1]["level"] = 3
    assert "levels[1].level: levels must be numbered 1 to 5 in order; expected 2" in messages(write(tmp_path, data))


def test_empty_text_is_refused(tmp_path):
    data = catalog_data()
    data["dimensions"][0]["name"] = {"en": "Build", "zh": "  "}
    assert messages(write(tmp_path, data)) == ["dimensions[0].name.zh: must not be empty"]


def test_unknown_key_is_refused(tmp_path):
    data = catalog_data()
    data["dimensions"][0]["practices"][0]["weigth"] = 2
    assert messages(write(tmp_path, data)) == ["dimensions[0].practices[0].weigth: unknown key"]


def test_metric_bands_with_a_gap_and_an_overlap(tmp_path):
    gap, overlap = metric_hours(), metric_percent()
    gap["bands"][2]["lower"] = 200  # previous band ends at 168
    overlap["bands"][1]["lower"] = 4  # previous band ends at 6
    found = messages(write(tmp_path, catalog_data(metrics=[gap, overlap])))
    assert found == [
        "metrics[0].bands[2].lower: bands leave a gap: this band starts at 200, the previous one ends at 168",
        "metrics[1].bands[1].lower: bands leave an overlap: this band starts at 4, the previous one ends at 6",
    ]


def test_metric_bands_must_start_at_zero_and_end_unbounded(tmp_path):
    metric = metric_hours()
    metric["bands"][0]["lower"] = 1
    metric["bands"][-1]["upper"] = 9000
    found = messages(write(tmp_path, catalog_data(metrics=[metric])))
    assert "metrics[0].bands[0].lower: bands leave a gap: this band starts at 1, the previous one ends at 0" in found
    assert "metrics[0].bands[3].upper: the last band must be unbounded (upper: null)" in found


def test_profile_rules_refer_to_known_questions_options_and_practices(tmp_path):
    profile = {
        "questions": [
            {
                "id": "product_kind",
                "text": {"en": "Kind?", "zh": "类型？"},
                "options": [
                    {"id": "library", "label": {"en": "Library", "zh": "库"}},
                    {"id": "web-service", "label": {"en": "Web", "zh": "网站"}},
                ],
            }
        ],
        "rules": [
            {
                "id": "r",
                "when": {"product_kind": ["libary"], "size": ["1-5"]},
                "not_applicable": ["a.p9"],
                "reason": {"en": "No.", "zh": "不。"},
            }
        ],
    }
    found = messages(write(tmp_path, catalog_data(profile=profile)))
    assert sorted(found) == [
        "profile.rules[0].not_applicable[0]: unknown practice 'a.p9'",
        "profile.rules[0].when.product_kind: 'libary' is not an option of 'product_kind'",
        "profile.rules[0].when.size: unknown profile question 'size'",
    ]


def test_duplicate_yaml_keys_are_refused(tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text(dump(catalog_data()).replace("version: '1'", "version: '1'\nversion: '2'"), encoding="utf-8")
    [error] = validate_catalog(path)
    assert (error.path, error.message, error.line) == ("version", "duplicate key", 3)


def test_yaml_syntax_error_gives_its_line(tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text("id: x\nversion: [1\ntitle: y\n", encoding="utf-8")
    [error] = validate_catalog(path)
    assert error.path == "(file)" and error.message.startswith("YAML syntax error")
    assert error.line == 3


def test_missing_file(tmp_path):
    [error] = validate_catalog(tmp_path / "nope.yaml")
    assert error.message == "file not found"


def test_folder_catalog_includes_files_and_keeps_their_lines(tmp_path):
    main = catalog_data()
    extra_dims = main.pop("dimensions")
    main["include"] = ["dims/a.yaml", "dims/b.yaml"]
    (tmp_path / "dims").mkdir()
    write(tmp_path, main)
    write(tmp_path, {"dimensions": extra_dims}, "dims/a.yaml")
    broken = dimension("b", [practice("b.p1", 1, impact=5)])
    write(tmp_path, {"dimensions": [broken]}, "dims/b.yaml")
    [error] = validate_catalog(tmp_path)
    assert error.file.endswith("dims/b.yaml")
    assert error.path == "dimensions[1].practices[0].impact"
    lines = (tmp_path / "dims" / "b.yaml").read_text().splitlines()
    assert lines[error.line - 1].strip() == "impact: 5"


def test_missing_include_points_at_the_include_line(tmp_path):
    data = catalog_data()
    data["include"] = ["dims/missing.yaml"]
    path = write(tmp_path, data)
    [error] = validate_catalog(path)
    assert (error.path, error.message) == ("include[0]", "included file not found: dims/missing.yaml")
    assert "dims/missing.yaml" in path.read_text().splitlines()[error.line - 1]


def test_included_file_may_only_hold_lists(tmp_path):
    data = catalog_data()
    data["include"] = ["more.yaml"]
    write(tmp_path, data)
    write(tmp_path, {"title": {"en": "x", "zh": "x"}}, "more.yaml")
    [error] = validate_catalog(tmp_path)
    assert error.path == "title" and "may only hold lists" in error.message


def test_load_raises_with_every_error(tmp_path):
    data = catalog_data()
    data["id"] = "Bad Id"
    data["version"] = ""
    with pytest.raises(CatalogInvalid) as raised:
        load_catalog(write(tmp_path, data))
    assert {e.path for e in raised.value.errors} == {"id", "version"}


def test_find_catalogs_in_a_folder_of_catalogs(tmp_path):
    (tmp_path / "one").mkdir()
    write(tmp_path / "one", catalog_data())
    write(tmp_path, catalog_data(), "two.yaml")
    (tmp_path / "not-a-catalog").mkdir()
    assert [p.name for p in find_catalogs(tmp_path)] == ["one", "two.yaml"]


def test_hash_changes_with_content_only(tmp_path):
    first = load_catalog(write(tmp_path, catalog_data(), "a.yaml"))
    same = load_catalog(write(tmp_path, catalog_data(), "b.yaml"))
    changed_data = catalog_data()
    changed_data["dimensions"][0]["practices"][0]["impact"] = 3
    changed = load_catalog(write(tmp_path, changed_data, "c.yaml"))
    assert catalog_hash(first) == catalog_hash(same) != catalog_hash(changed)
