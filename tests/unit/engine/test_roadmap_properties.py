"""Roadmap invariants over generated catalogs (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.engine.answers import AnswerSet, Response
from assessment.engine.roadmap import Settings, plan_roadmap
from tests.catalog_builder import build, dimension, practice


@st.composite
def cases(draw):
    dims, earlier = [], []
    for d in range(draw(st.integers(1, 3))):
        practices = []
        for i, level in enumerate(sorted(draw(st.lists(st.integers(1, 5), min_size=1, max_size=7)))):
            pid = f"d{d}.p{i}"
            # requires only earlier practices (no cycles); within the dimension, sorted levels keep them lower
            requires = draw(st.lists(st.sampled_from(earlier), unique=True, max_size=2)) if earlier else []
            practices.append(
                practice(pid, level, requires=requires, impact=draw(st.integers(1, 3)), effort=draw(st.sampled_from("SML")))
            )
            earlier.append(pid)
        dims.append(dimension(f"d{d}", practices))
    catalog = build(dims)
    answers = draw(st.fixed_dictionaries({pid: st.sampled_from([0, 1, 2, 3, "na", "unknown"]) for pid in earlier}))
    plan_settings = Settings(
        targets=draw(st.dictionaries(st.sampled_from([d["id"] for d in dims]), st.integers(1, 5))),
        capacity=draw(st.integers(1, 4)),
        stages=draw(st.integers(1, 4)),
    )
    return catalog, AnswerSet((Response("r", answers),)), plan_settings


@settings(max_examples=200, deadline=None)
@given(cases())
def test_roadmap_invariants(case):
    catalog, answers, plan_settings = case
    plan = plan_roadmap(catalog, answers, plan_settings)
    placed = [item.id for stage in plan.stages for item in stage.items]
    everything = placed + [item.id for item in plan.backlog]
    assert len(everything) == len(set(everything))  # each gap item once
    stage_of = {item.id: stage.number for stage in plan.stages for item in stage.items}
    for stage in plan.stages:
        assert len(stage.items) <= plan_settings.capacity
        for item in stage.items:
            assert all(stage_of[r] < stage.number for r in item.requires)  # strictly earlier
    if not plan.backlog:
        final = plan.stages[-1].projected
        for dim, target in plan.targets.items():
            assert final[dim] is None or final[dim] >= target
    assert plan == plan_roadmap(catalog, answers, plan_settings)  # deterministic
