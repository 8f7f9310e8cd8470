"""Roadmap tracking rules (DESIGN.md, "Roadmap"), worked by hand on stored aggregated answers."""

from __future__ import annotations

import pytest

from assessment.engine.tracking import (
    Iteration,
    Outcome,
    PlannedItem,
    answer_text,
    practice_values,
    stage_last_period,
    track,
)

P = "release.automated-deploy"


def it(assessment_id: int, period: str, value: object) -> Iteration:
    """An iteration whose stored aggregated answer for P is `value` (None: P unknown to it)."""
    return Iteration(assessment_id, period, {} if value is None else {P: value})


def item(due: str | None = "2026-Q2", baseline: object = 1.0) -> PlannedItem:
    return PlannedItem(P, due, baseline)


@pytest.mark.parametrize(
    ("start", "stage", "length", "last"),
    [
        ("2026-Q2", 1, 1, "2026-Q2"),  # one quarter per stage: stage 1 is its start quarter
        ("2026-Q2", 3, 1, "2026-Q4"),  # Q2 + 2 quarters
        ("2026-Q4", 2, 1, "2027-Q1"),  # across the year
        ("2027-Q1", 1, 2, "2027-Q2"),  # two quarters per stage: Q1 and Q2
        ("2027-Q1", 2, 2, "2027-Q4"),  # Q3 and Q4
    ],
)
def test_stage_last_period(start, stage, length, last):
    assert stage_last_period(start, stage, length) == last


def test_no_iteration_means_no_tracking():
    assert track(item(), []) == Outcome(None, None, None)


def test_a_3_is_achieved_with_the_iteration_that_showed_it():
    assert track(item(), [it(7, "2026-Q2", 3.0)]) == Outcome("achieved", 7, "3", 7, "3")


def test_a_2_is_still_a_gap_not_achieved():
    # the issue said "2 or more"; DESIGN says 3: at 2 the practice is only "mostly" in place.
    # 2 > baseline 1 and Q2 is within stage 1 (due Q2): progressing
    assert track(item(), [it(7, "2026-Q2", 2.0)]) == Outcome("progressing", 7, "2", 7, "2")


def test_no_better_than_the_baseline_is_no_change():
    assert track(item(), [it(7, "2026-Q2", 1.0)]) == Outcome(None, None, None, 7, "1")


def test_slipped_once_an_iteration_lies_after_the_stage():
    # due 2026-Q2: an iteration of Q2 is within the stage, one of Q3 is after it
    assert track(item(), [it(7, "2026-Q2", 1.0)]).tracking is None
    assert track(item(), [it(8, "2026-Q3", 2.5)]) == Outcome("slipped", 8, "2.5", 8, "2.5")


def test_slipped_wins_over_progressing_and_achieving_later_wins_over_slipped():
    iterations = [it(7, "2026-Q2", 2.0), it(8, "2026-Q3", 2.0)]
    assert track(item(), iterations).tracking == "slipped"  # improved, but past its stage
    assert track(item(), [*iterations, it(9, "2026-Q4", 3.0)]) == Outcome("achieved", 9, "3", 9, "3")


def test_backlog_items_never_slip():
    assert track(item(due=None), [it(8, "2027-Q4", 1.5)]) == Outcome("progressing", 8, "1.5", 8, "1.5")


@pytest.mark.parametrize("silent", ["not_asked", "unanswered", "na", None])
def test_an_iteration_that_did_not_ask_it_changes_nothing(silent):
    # Q2 progressing at 2; Q3 (after the stage) did not ask it, nobody answered it, it is N/A, or the
    # iteration's catalog does not know the id: no evidence, so it is neither slipped nor reset
    outcome = track(item(), [it(7, "2026-Q2", 2.0), it(8, "2026-Q3", silent)])
    assert outcome == Outcome("progressing", 7, "2", 7, "2")


def test_dont_know_counts_as_0():
    # asked, and "don't know" was the answer: 0, as in scoring; after the stage, so slipped
    assert track(item(baseline=0.0), [it(8, "2026-Q3", "unknown")]) == Outcome("slipped", 8, "unknown", 8, "unknown")


def test_achieved_is_kept_and_a_later_dip_shows_as_fell_back():
    outcome = track(item(), [it(7, "2026-Q2", 3.0), it(8, "2026-Q3", 1.5)])
    assert outcome == Outcome("achieved", 7, "3", 8, "1.5")
    assert outcome.fell_back
    recovered = track(item(), [it(7, "2026-Q2", 3.0), it(8, "2026-Q3", 1.5), it(9, "2026-Q4", 3.0)])
    assert recovered == Outcome("achieved", 7, "3", 9, "3") and not recovered.fell_back


def test_a_baseline_that_was_not_asked_counts_as_0():
    # a roadmap from a quick assessment plans unasked practices as answer 0: 1 later is progress
    assert track(item(baseline="not_asked"), [it(7, "2026-Q2", 1.0)]).tracking == "progressing"


def test_answer_text_and_stored_values():
    assert [answer_text(v) for v in (3.0, 1.5, 2, "unknown", None)] == ["3", "1.5", "2", "unknown", "unanswered"]
    stored = {"dimensions": [{"practices": [{"id": "a.x", "value": 2.0}, {"id": "a.y", "value": "na"}]}]}
    assert practice_values(stored) == {"a.x": 2.0, "a.y": "na"}
    assert practice_values(None) == {}
