"""Rules that span a whole catalog, checked on the raw data so that they are reported
together with the shape errors (a catalog's author sees every problem in one pass).

Each check tolerates malformed parts: those are the shape validation's to report.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .yaml_source import KeyPath

Problem = tuple[KeyPath, str]


def cross_check(data: Any) -> list[Problem]:
    if not isinstance(data, dict):
        return []
    checks = (_levels, _areas, _ids, _requires, _cycles, _metric_bands, _profile, _replaces)
    return [problem for check in checks for problem in check(data)]


def _items(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _practices(data: dict[str, Any]) -> Iterator[tuple[KeyPath, dict[str, Any], dict[str, Any]]]:
    """(path, practice, dimension) for every practice written as a mapping."""
    for di, dim in _items(data, "dimensions"):
        for pi, practice in _items(dim, "practices"):
            yield ("dimensions", di, "practices", pi), practice, dim


def _levels(data: dict[str, Any]) -> list[Problem]:
    problems = []
    for index, entry in _items(data, "levels"):
        if entry.get("level") != index + 1:
            problems.append((("levels", index, "level"), f"levels must be numbered 1 to 5 in order; expected {index + 1}"))
    return problems


def _areas(data: dict[str, Any]) -> list[Problem]:
    declared = [a.get("id") for _, a in _items(data, "areas")]
    problems = _duplicates([(("areas", i, "id"), a.get("id")) for i, a in _items(data, "areas")], "area")
    for di, dim in _items(data, "dimensions"):
        if "area" in dim and declared and dim["area"] not in declared:
            problems.append((("dimensions", di, "area"), f"area '{dim['area']}' is not declared in areas"))
    return problems


def _ids(data: dict[str, Any]) -> list[Problem]:
    dims = [(("dimensions", i, "id"), d.get("id")) for i, d in _items(data, "dimensions")]
    practices = [((*path, "id"), p.get("id")) for path, p, _ in _practices(data)]
    problems = _duplicates(dims, "dimension") + _duplicates(practices, "practice")
    problems += _duplicates([(("metrics", i, "id"), m.get("id")) for i, m in _items(data, "metrics")], "metric")
    problems += _duplicates([(("glossary", i, "id"), g.get("id")) for i, g in _items(data, "glossary")], "glossary entry")
    for path, practice, dim in _practices(data):
        pid, did = practice.get("id"), dim.get("id")
        if isinstance(pid, str) and isinstance(did, str) and not pid.startswith(did + "."):
            problems.append(((*path, "id"), f"practice id must start with its dimension id: '{did}.'"))
    return problems


def _duplicates(entries: list[tuple[KeyPath, Any]], what: str) -> list[Problem]:
    seen: set[Any] = set()
    problems = []
    for path, value in entries:
        if isinstance(value, str) and value in seen:
            problems.append((path, f"duplicate {what} id '{value}'"))
        seen.add(value)
    return problems


def _requires(data: dict[str, Any]) -> list[Problem]:
    known = {p.get("id"): (p, d.get("id")) for _, p, d in _practices(data)}
    problems = []
    for path, practice, dim in _practices(data):
        requires = practice.get("requires")
        if not isinstance(requires, list):
            continue
        for index, rid in enumerate(requires):
            at = (*path, "requires", index)
            if rid == practice.get("id"):
                problems.append((at, "a practice cannot require itself"))
            elif rid not in known:
                problems.append((at, f"unknown practice '{rid}'"))
            else:
                required, required_dim = known[rid]
                level, required_level = practice.get("level"), required.get("level")
                if (
                    required_dim == dim.get("id")
                    and isinstance(level, int)
                    and isinstance(required_level, int)
                    and required_level > level
                ):
                    problems.append((at, f"requires '{rid}' of a higher level ({required_level}) in the same dimension"))
    return problems


def _cycles(data: dict[str, Any]) -> list[Problem]:
    graph: dict[str, list[str]] = {}
    where: dict[str, KeyPath] = {}
    for path, practice, _ in _practices(data):
        pid, requires = practice.get("id"), practice.get("requires")
        if isinstance(pid, str):
            graph[pid] = [r for r in requires if isinstance(r, str)] if isinstance(requires, list) else []
            where[pid] = (*path, "requires")
    problems: list[Problem] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: explored
    for start in graph:
        stack: list[str] = []
        cycle = _find_cycle(start, graph, state, stack)
        if cycle:
            problems.append((where[cycle[0]], "requires forms a cycle: " + " -> ".join([*cycle, cycle[0]])))
            state.update(dict.fromkeys(stack, 2))
    return problems


def _find_cycle(node: str, graph: dict[str, list[str]], state: dict[str, int], stack: list[str]) -> list[str] | None:
    if state.get(node) == 2 or node not in graph:
        return None
    if state.get(node) == 1:
        return stack[stack.index(node) :]
    state[node] = 1
    stack.append(node)
    for nxt in graph[node]:
        cycle = _find_cycle(nxt, graph, state, stack)
        if cycle:
            return cycle
    stack.pop()
    state[node] = 2
    return None


def _metric_bands(data: dict[str, Any]) -> list[Problem]:
    problems = []
    for mi, metric in _items(data, "metrics"):
        bands = _items(metric, "bands")
        problems += _duplicates([(("metrics", mi, "bands", i, "id"), b.get("id")) for i, b in bands], "band")
        expected_lower: float | None = 0
        for position, (bi, band) in enumerate(bands):
            at = ("metrics", mi, "bands", bi)
            lower, upper = band.get("lower"), band.get("upper")
            if not _is_number(lower) or not (upper is None or _is_number(upper)):
                expected_lower = None
                continue
            if expected_lower is not None and lower != expected_lower:
                kind = "a gap" if lower > expected_lower else "an overlap"
                problems.append(
                    (
                        (*at, "lower"),
                        f"bands leave {kind}: this band starts at {lower}, the previous one ends at {expected_lower}",
                    )
                )
            if upper is not None and upper <= lower:
                problems.append(((*at, "upper"), "upper must be greater than lower"))
            last = position == len(bands) - 1
            if upper is None and not last:
                problems.append(((*at, "upper"), "only the last band may be unbounded"))
            if upper is not None and last:
                problems.append(((*at, "upper"), "the last band must be unbounded (upper: null)"))
            expected_lower = upper
    return problems


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _profile(data: dict[str, Any]) -> list[Problem]:
    profile = data.get("profile")
    if not isinstance(profile, dict):
        return []
    options = {q.get("id"): {o.get("id") for _, o in _items(q, "options")} for _, q in _items(profile, "questions")}
    known = {p.get("id") for _, p, _ in _practices(data)}
    problems = []
    for ri, rule in _items(profile, "rules"):
        at = ("profile", "rules", ri)
        when = rule.get("when")
        for question, values in when.items() if isinstance(when, dict) else []:
            if question not in options:
                problems.append(((*at, "when", question), f"unknown profile question '{question}'"))
                continue
            for value in values if isinstance(values, list) else []:
                if value not in options[question]:
                    problems.append(((*at, "when", question), f"'{value}' is not an option of '{question}'"))
        for index, pid in enumerate(rule.get("not_applicable") or []):
            if pid not in known:
                problems.append(((*at, "not_applicable", index), f"unknown practice '{pid}'"))
    return problems


def _replaces(data: dict[str, Any]) -> list[Problem]:
    replaces = data.get("replaces")
    known = {p.get("id") for _, p, _ in _practices(data)}
    problems = []
    for old, new in replaces.items() if isinstance(replaces, dict) else []:
        if new is not None and new not in known:
            problems.append((("replaces", old), f"unknown practice '{new}'"))
        if old in known:
            # ids are never reused: a practice this version still has is not replaced
            problems.append((("replaces", old), f"practice '{old}' is still in this version: only former ids are replaced"))
    return problems
