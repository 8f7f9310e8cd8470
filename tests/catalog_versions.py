"""Catalog versions for tests: three small versions of one catalog, and a "1.1" of cd-maturity.

Tiny versions (id "tiny"):
  v1  a: a.p1 L1 (quick), a.p2 L2 (quick), a.p3 L3, a.p4 L4, a.p5 L5
      b: b.x1 L1 (quick), b.y1 L1, b.z2 L2, b.old3 L3
  v2  renames a.p2 -> a.build2, removes a.p4 and b.old3, merges b.x1 + b.y1 -> b.xy1,
      adds a.new4 (L4), b.fresh3 (L3) and a whole dimension c (c.p1, quick)
  v3  renames a.build2 -> a.ci2 (its `replaces` maps only v2's ids: per step)
"""

from __future__ import annotations

import copy
from typing import Any

from assessment.engine.catalog import Catalog
from tests.catalog_builder import build, dimension, practice


def v1() -> Catalog:
    return build(
        [
            dimension(
                "a",
                [
                    practice("a.p1", 1, quick=True),
                    practice("a.p2", 2, quick=True),
                    practice("a.p3", 3),
                    practice("a.p4", 4),
                    practice("a.p5", 5),
                ],
            ),
            dimension(
                "b",
                [practice("b.x1", 1, quick=True), practice("b.y1", 1), practice("b.z2", 2), practice("b.old3", 3)],
                area="tooling",
            ),
        ],
        version="1",
    )


V2_REPLACES = {"a.p2": "a.build2", "a.p4": None, "b.x1": "b.xy1", "b.y1": "b.xy1", "b.old3": None}


def v2_dimensions(level2: str = "a.build2") -> list[dict[str, Any]]:
    return [
        dimension(
            "a",
            [
                practice("a.p1", 1, quick=True),
                practice(level2, 2, quick=True),
                practice("a.p3", 3),
                practice("a.new4", 4),
                practice("a.p5", 5),
            ],
        ),
        dimension("b", [practice("b.xy1", 1, quick=True), practice("b.z2", 2), practice("b.fresh3", 3)], area="tooling"),
        dimension("c", [practice("c.p1", 1, quick=True)], area="team"),
    ]


def v2() -> Catalog:
    return build(v2_dimensions(), version="2", replaces=V2_REPLACES)


def v3() -> Catalog:
    return build(v2_dimensions("a.ci2"), version="3", replaces={"a.build2": "a.ci2"})


def cd_maturity_next(bundled: Catalog, version: str = "1.1") -> dict[str, Any]:
    """A next version of the bundled cd-maturity as catalog data (for imports), made from its content.

    In the first dimension: its first practice is renamed (id + "-v2"), its fourth and fifth (same
    level) are merged into the fourth's id + "-merged", its last one is removed; a new level-1
    practice is added to the last dimension. The bundled catalog stays as it is."""
    from assessment.engine.serialize import catalog_to_dict

    data = copy.deepcopy(catalog_to_dict(bundled))
    data["version"] = version
    first = data["dimensions"][0]["practices"]
    renamed, merged_a, merged_b, removed = first[0]["id"], first[3]["id"], first[4]["id"], first[-1]["id"]
    ids = {renamed: renamed + "-v2", merged_a: merged_a + "-merged", merged_b: merged_a + "-merged"}
    first[0]["id"], first[3]["id"] = ids[renamed], ids[merged_a]
    del first[4]
    first.pop()  # the removed one
    # keep `requires` and profile rules pointing at ids that exist in the new version
    for dim in data["dimensions"]:
        for p in dim["practices"]:
            moved = [ids.get(r, r) for r in p.get("requires", []) if r != removed]
            p["requires"] = [r for r in dict.fromkeys(moved) if r != p["id"]]
    for rule in data.get("profile", {}).get("rules", []):
        rule["not_applicable"] = [ids.get(r, r) for r in rule["not_applicable"] if r != removed]
    last = data["dimensions"][-1]
    last["practices"].append(practice(f"{last['id']}.brand-new", 1))
    data["replaces"] = {**ids, removed: None}
    return data
