"""Importing catalog versions, which version new assessments use, and history across versions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from assessment.engine.errors import CatalogInvalid
from assessment.engine.serialize import catalog_to_dict
from assessment.extensions import db
from assessment.services import assessments, catalogs, reviews
from assessment.services.errors import Conflict
from assessment.services.versions import comparable_results, rescore_on
from assessment.store.models import AuditEntry, CatalogSnapshot
from tests.catalog_builder import dump
from tests.catalog_versions import cd_maturity_next, v1, v2, v3
from tests.factories import add_member, make_org, make_team, make_user, start


def write(tmp_path: Path, data: dict, name: str = "catalog.yaml") -> Path:
    path = tmp_path / name
    path.write_text(dump(data), encoding="utf-8")
    return path


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield app


def bundled(app):
    return app.extensions["cdcoach.catalogs"].get("cd-maturity")


def test_import_stores_a_new_version_and_new_assessments_use_the_newest(ctx, tmp_path):
    first = catalogs.import_catalog(write(tmp_path, catalog_to_dict(v1()), "v1.yaml"))
    assert (first.created, first.previous, first.catalog.version) == (True, None, "1")
    second = catalogs.import_catalog(write(tmp_path, catalog_to_dict(v2()), "v2.yaml"))
    assert (second.created, second.previous) == (True, "1")
    assert catalogs.current_catalog("tiny").version == "2"
    assert [v.version for v in catalogs.versions_of("tiny")] == ["1", "2"]
    assert [c.id for c in catalogs.current_catalogs()] == ["cd-maturity", "tiny"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "catalog.import")) == 2


def test_importing_the_same_content_twice_changes_nothing(ctx, tmp_path):
    path = write(tmp_path, catalog_to_dict(v1()))
    catalogs.import_catalog(path)
    again = catalogs.import_catalog(path)
    assert again.created is False
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CatalogSnapshot)) == 1


def test_importing_the_bundled_catalog_changes_nothing(ctx, tmp_path):
    imported = catalogs.import_catalog(write(tmp_path, catalog_to_dict(bundled(ctx))))
    assert imported.created is False and catalogs.current_catalog("cd-maturity") is bundled(ctx)


def test_a_version_never_changes(ctx, tmp_path):
    catalogs.import_catalog(write(tmp_path, catalog_to_dict(v1()), "v1.yaml"))
    changed = catalog_to_dict(v1())
    changed["title"] = {"en": "Another title", "zh": "另一个标题"}
    with pytest.raises(Conflict, match="already exists with other content"):
        catalogs.import_catalog(write(tmp_path, changed, "changed.yaml"))


def test_the_bundled_version_never_changes_either(ctx, tmp_path):
    changed = catalog_to_dict(bundled(ctx))
    changed["title"] = {"en": "Another title", "zh": "另一个标题"}
    with pytest.raises(Conflict, match="already exists with other content"):
        catalogs.import_catalog(write(tmp_path, changed))


def test_an_older_version_is_refused(ctx, tmp_path):
    catalogs.import_catalog(write(tmp_path, catalog_to_dict(v1()), "v1.yaml"))
    catalogs.import_catalog(write(tmp_path, catalog_to_dict(v2()), "v2.yaml"))
    older = {**catalog_to_dict(v1()), "version": "1.5"}
    with pytest.raises(Conflict, match="older than 2"):
        catalogs.import_catalog(write(tmp_path, older, "v15.yaml"))


def test_versions_compare_as_numbers(ctx, tmp_path):
    catalogs.import_catalog(write(tmp_path, {**catalog_to_dict(v1()), "version": "1.9"}, "a.yaml"))
    catalogs.import_catalog(write(tmp_path, {**catalog_to_dict(v1()), "version": "1.10", "replaces": {}}, "b.yaml"))
    # as text "1.10" < "1.9"; as numbers 10 > 9
    assert catalogs.current_catalog("tiny").version == "1.10"


def test_replaces_must_map_from_the_previous_versions_ids(ctx, tmp_path):
    catalogs.import_catalog(write(tmp_path, catalog_to_dict(v1()), "v1.yaml"))
    # v3 maps from v2's ids, but the latest version here is v1: a.build2 is not one of its practices
    with pytest.raises(CatalogInvalid) as refused:
        catalogs.import_catalog(write(tmp_path, catalog_to_dict(v3()), "v3.yaml"))
    [error] = refused.value.errors
    assert error.path == "replaces.a.build2" and error.line > 0
    assert error.message == "'a.build2' is not a practice of version 1, the previous version"


def test_replaces_without_any_earlier_version_is_refused(ctx, tmp_path):
    with pytest.raises(CatalogInvalid, match="no earlier version of catalog 'tiny'"):
        catalogs.import_catalog(write(tmp_path, catalog_to_dict(v2())))


def test_practices_gone_without_a_replaces_entry_are_named(ctx, tmp_path):
    catalogs.import_catalog(write(tmp_path, catalog_to_dict(v1()), "v1.yaml"))
    data = catalog_to_dict(v2())
    del data["replaces"]["b.old3"]
    imported = catalogs.import_catalog(write(tmp_path, data, "v2.yaml"))
    assert imported.dropped == ("b.old3",)


@pytest.fixture
def history(ctx, tmp_path):
    """Q3 finalized on the bundled 1.0 (quick form: Mia and Olive answer the first dimension's
    quick practices), then cd-maturity 1.1 imported (see tests/catalog_versions.cd_maturity_next)."""
    catalog = bundled(ctx)
    owner, mia = make_user("Olive"), make_user("Mia")
    organisation = make_org(owner)
    add_member(organisation, mia)
    team = make_team(organisation, lead=mia)
    last = start(ctx, owner, team, "full", "2026-Q3")
    first = [p.id for p in catalog.dimensions[0].practices]
    for user, values in ((mia, ("3", "2", "1", "3", "1", "2")), (owner, ("2", "2", "3", "0", "unknown", "na"))):
        assessments.join_as_respondent(user, last.id, "dev")
        for pid, value in zip(first[:5] + first[-1:], values):
            assessments.save_answer(user, last.id, pid, value)
    assessments.finalize(owner, last.id)
    stored = dict(last.result)
    path = write(tmp_path, cd_maturity_next(catalog))
    newer = catalogs.import_catalog(path).catalog
    return {
        "owner": owner,
        "mia": mia,
        "team": team,
        "last": last,
        "stored": stored,
        "old": catalog,
        "new": newer,
        "first": first,
    }


def test_a_finalized_assessment_keeps_its_version_and_scores(history):
    last = history["last"]
    assert catalogs.current_catalog("cd-maturity").version == "1.1"
    assert assessments.catalog_for(last).version == "1.0"
    recomputed = catalogs_result(last)
    assert last.result == history["stored"] == recomputed


def catalogs_result(assessment):
    from assessment.engine.serialize import result_to_dict

    catalog = assessments.catalog_for(assessment)
    return result_to_dict(assessments.result_of(assessment), catalog)


def test_an_open_assessment_keeps_its_version(history, ctx):
    other = make_team(db.session.get(type(history["team"]), history["team"].id).organisation, lead=history["mia"])
    before = start(ctx, history["owner"], other, "full", "2026-Q3")  # started with the bundled 1.0 object
    assert assessments.catalog_for(before).version == "1.0"
    fresh = assessments.start_assessment(history["owner"], other.id, catalogs.current_catalog("cd-maturity"), "full", "2026-Q4")
    assert assessments.catalog_for(fresh).version == "1.1" and assessments.catalog_for(before).version == "1.0"


def test_the_next_review_moves_to_the_new_version_with_answers_mapped(history):
    first, new = history["first"], history["new"]
    review = reviews.start_next_review(history["owner"], history["team"].id)
    assert assessments.catalog_for(review).version == "1.1"
    answers = {r.display_name: {a.practice_id: (a.value, a.carried_over) for a in r.answers} for r in review.responses}
    renamed, merged = first[0] + "-v2", first[3] + "-merged"
    # Mia: renamed keeps 3; merged = lower of 3 (first[3]) and 1 (first[4]) = 1; removed first[-1] dropped
    assert answers["Mia"] == {
        renamed: ("3", True),
        first[1]: ("2", True),
        first[2]: ("1", True),
        merged: ("1", True),
    }
    # Olive: merged = lower of 0 and unknown: unknown (a part not known leaves the whole unknown)
    assert answers["Olive"][merged] == ("unknown", True) and answers["Olive"][renamed] == ("2", True)
    brand_new = f"{new.dimensions[-1].id}.brand-new"
    assert all(brand_new not in a for a in answers.values())  # new practices start empty
    assert brand_new in assessments.asked(review)  # ... and are asked from now on


def test_a_roadmap_planned_on_the_old_version_tracks_a_renamed_practice(history):
    """Q3 (1.0): first[0] answered 3 by Mia and 2 by Olive -> median 2.5, a gap of the roadmap.
    The next review runs on 1.1, where first[0] is renamed: both now answer 3 -> median 3, so
    the item planned under the old id is achieved by the review that showed it."""
    from assessment.services import roadmaps

    owner, mia, first = history["owner"], history["mia"], history["first"]
    draft = roadmaps.draft_for(owner, history["last"].id)
    roadmaps.configure(owner, draft.id, {}, 30, 4, "2026-Q4")
    roadmap = roadmaps.accept(owner, draft.id)
    assert first[0] in {item.practice_id for item in roadmap.items}
    review = reviews.start_next_review(owner, history["team"].id)
    for user in (owner, mia):
        assessments.save_answer(user, review.id, first[0] + "-v2", "3")
    assessments.finalize(owner, review.id)
    item = next(i for i in roadmap.items if i.practice_id == first[0])
    assert (item.tracking, item.tracked_assessment_id, item.tracked_value) == ("achieved", review.id, "3")


def test_comparable_results_rescore_older_iterations_on_the_newest_version(history):
    last, first = history["last"], history["first"]
    review = reviews.start_next_review(history["owner"], history["team"].id)
    assessments.finalize(history["owner"], review.id)
    old_result, new_result = comparable_results([last, review])
    assert (old_result.rescored, old_result.answered_on, old_result.version) == (True, "1.0", "1.1")
    assert (new_result.rescored, new_result.result) == (False, review.result)  # stored result as it is
    assert old_result.gone == (first[-1],)
    assert old_result.new_practices == (f"{history['new'].dimensions[-1].id}.brand-new",)
    # the carried-over answers are the mapped ones, so both iterations have the same numbers;
    # only the new practice differs: not asked for the old iteration, unanswered in the new one
    before, after = old_result.result["dimensions"], new_result.result["dimensions"]
    assert before[:-1] == after[:-1]
    assert [p["value"] for p in before[-1]["practices"]][-1] == "not_asked"
    assert [p["value"] for p in after[-1]["practices"]][-1] == "unanswered"
    assert before[-1]["score"] == after[-1]["score"] == 0  # nobody answered that dimension
    assert old_result.result["overall"]["score"] == new_result.result["overall"]["score"]
    # confidence: 1.1 has 110 - 1 (merge) - 1 (removed) + 1 (new) = 109 practices, 108 asked for the old
    # iteration; numeric answers: Mia 4 (3, 2, 1, merged 1), Olive 3 (2, 2, 3; merged unknown)
    # old: 7 / (2 * 108) = 0.0324; new review: 7 / (2 * 109) = 0.0321
    assert (old_result.result["overall"]["confidence"], new_result.result["overall"]["confidence"]) == (0.0324, 0.0321)


def test_comparable_results_on_one_version_are_the_stored_ones(history):
    [only] = comparable_results([history["last"]])
    assert (only.rescored, only.result, only.version) == (False, history["stored"], "1.0")


def test_rescore_on_the_own_version_equals_the_stored_scores(history):
    from assessment.engine.serialize import result_to_dict

    result, mapped = rescore_on(history["last"], history["old"])
    assert result_to_dict(result, history["old"]) == history["stored"]
    assert mapped.new_practices == frozenset() and mapped.gone == frozenset()


def test_comparable_results_use_a_fixed_number_of_queries(history, ctx):
    owner, team = history["owner"], history["team"]
    iterations = [history["last"]]
    for period in ("2027-Q1", "2027-Q2"):
        started = assessments.start_assessment(owner, team.id, history["old"], "full", period)
        assessments.join_as_respondent(owner, started.id, "dev")
        assessments.save_answer(owner, started.id, history["first"][0], "2")
        assessments.finalize(owner, started.id)
        iterations.append(started)
    newest = reviews.start_next_review(owner, team.id)
    assessments.finalize(owner, newest.id)
    ids = [a.id for a in [*iterations, newest]]

    def measure(n):
        db.session.expire_all()
        chosen = [db.session.get(type(newest), i) for i in ids[-n:]]
        statements = []

        def counted(*_args):
            statements.append(1)

        sa.event.listen(db.engine, "before_cursor_execute", counted)
        try:
            comparable_results(chosen)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", counted)
        return len(statements)

    # 2 re-scored + the newest versus 3 re-scored + the newest: the same number of queries
    assert measure(3) == measure(4)


def test_cli_import_reports_each_outcome_in_one_line(app, runner, tmp_path):
    from assessment.cli import main

    path = write(tmp_path, catalog_to_dict(v1()), "v1.yaml")
    first = runner.invoke(main, ["questionnaire", "import", str(path)])
    assert first.exit_code == 0 and first.output == f"{path}: imported tiny 1; new assessments of tiny now use it.\n"
    again = runner.invoke(main, ["questionnaire", "import", str(path)])
    assert again.exit_code == 0 and again.output == f"{path}: tiny 1 is already there with this content: nothing changed.\n"
    data = catalog_to_dict(v2())
    del data["replaces"]["b.old3"]
    second = runner.invoke(main, ["questionnaire", "import", str(write(tmp_path, data, "v2.yaml"))])
    assert second.exit_code == 0 and "(follows 1)" in second.output
    assert "note: not in tiny 2 and not in its replaces, so taken as removed: b.old3" in second.output


def test_cli_import_refusals(app, runner, tmp_path):
    from assessment.cli import main

    bad = write(tmp_path, {**catalog_to_dict(v1()), "version": ""}, "bad.yaml")
    invalid = runner.invoke(main, ["questionnaire", "import", str(bad)])
    assert (
        invalid.exit_code == 1
        and invalid.output.count("\n") == 1
        and "bad.yaml:2: version: string should match" in invalid.output
    )
    assert "Traceback" not in invalid.output
    v3_path = write(tmp_path, catalog_to_dict(v3()), "v3.yaml")
    runner.invoke(main, ["questionnaire", "import", str(write(tmp_path, catalog_to_dict(v1()), "v1.yaml"))])
    wrong = runner.invoke(main, ["questionnaire", "import", str(v3_path)])
    [line] = wrong.output.splitlines()
    assert wrong.exit_code == 1
    # the validator's format, FILE:LINE: PATH: message, with the line of the replaces key
    assert re.fullmatch(
        r".*v3\.yaml:\d+: replaces\.a\.build2: 'a\.build2' is not a practice of version 1, the previous version", line
    )
    changed = write(tmp_path, {**catalog_to_dict(v1()), "title": {"en": "Other", "zh": "其他"}}, "changed.yaml")
    conflict = runner.invoke(main, ["questionnaire", "import", str(changed)])
    assert conflict.exit_code == 1 and conflict.output.startswith(f"{changed}: Version 1 of tiny already exists")
