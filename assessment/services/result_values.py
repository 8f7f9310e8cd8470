"""The parts of a results context: plain frozen dataclasses of strings and numbers.

Built from a result in its stored shape (`engine.serialize.result_to_dict`), the catalog (for
texts in one language) and the answers (for who said what, and splits by role).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..engine.answers import AnswerSet, Response
from ..engine.catalog import Catalog, Practice
from ..engine.scoring import LEVELS, score

MIN_GROUP = 3  # DESIGN.md, Privacy: no split for a group smaller than this
OTHER_ROLES = "others"
NO_NUMBER = ("na", "not_asked")


@dataclass(frozen=True)
class Guidance:
    why: str
    first_steps: str
    success: str
    pitfalls: str


@dataclass(frozen=True)
class PracticeView:
    id: str
    dimension_id: str
    dimension_name: str
    level: int
    statement: str
    value: str  # "0".."3", "1.5", "na", "unknown", "unanswered" or "not_asked"
    number: float | None  # the aggregated answer when it is a number
    answers: Mapping[str, int]  # raw answers: "0".."3", "na", "unknown" -> how many
    spread: int | None
    disagreement: bool
    source: str  # "consensus", "responses", "profile" or "none"
    guidance: Guidance

    @property
    def asked(self) -> bool:
        return self.value != "not_asked"


@dataclass(frozen=True)
class LevelCell:
    level: int
    coverage: float  # 0..1
    measured: bool

    @property
    def percent(self) -> int:
        return round(self.coverage * 100)


@dataclass(frozen=True)
class DimensionView:
    id: str
    name: str
    area: str
    status: str  # "scored", "not_applicable" or "not_measured"
    score: float | None
    level: int | None
    cells: tuple[LevelCell, ...]
    measured_up_to: int
    practices: tuple[PracticeView, ...]
    capping: tuple[str, ...]  # practices below 3 at the lowest incomplete level
    lowest_incomplete: int | None


@dataclass(frozen=True)
class IndividualRow:
    practice: PracticeView
    answers: tuple[str | None, ...]  # one per respondent, None: no answer


@dataclass(frozen=True)
class Respondent:
    name: str
    role: str


@dataclass(frozen=True)
class IndividualAnswers:
    respondents: tuple[Respondent, ...]
    rows: tuple[IndividualRow, ...]


@dataclass(frozen=True)
class RoleGroup:
    role: str  # a respondent role, or "others" for the smaller groups taken together
    size: int


@dataclass(frozen=True)
class RoleRow:
    dimension_name: str
    scores: tuple[float | None, ...]  # one per group
    gap: float | None  # highest minus lowest


@dataclass(frozen=True)
class RoleSplit:
    groups: tuple[RoleGroup, ...]
    rows: tuple[RoleRow, ...]


@dataclass(frozen=True)
class MetricView:
    id: str
    name: str
    factor: str
    answer: str | None  # None: not answered
    answer_label: str  # the band's label (and the percentage), empty when unknown or not answered
    tier: int | None
    quick_check: float | None


@dataclass(frozen=True)
class DeliveryView:
    tier: int | None
    quick_check: float | None
    throughput: float | None
    instability: float | None
    metrics: tuple[MetricView, ...]


def practice_view(data: Mapping[str, Any], practice: Practice, dimension_name: str, lang: str) -> PracticeView:
    value = data["value"]
    number = float(value) if isinstance(value, int | float) else None
    guidance = practice.guidance
    return PracticeView(
        id=practice.id,
        dimension_id=practice.id.split(".")[0],
        dimension_name=dimension_name,
        level=practice.level,
        statement=practice.statement.get(lang),
        value=f"{number:g}" if number is not None else str(value),
        number=number,
        answers=dict(data.get("answers", {})),
        spread=data.get("spread"),
        disagreement=bool(data.get("disagreement")),
        source=data.get("source", "none"),
        guidance=Guidance(*(t.get(lang) for t in (guidance.why, guidance.first_steps, guidance.success, guidance.pitfalls))),
    )


def dimension_view(data: Mapping[str, Any], catalog: Catalog, lang: str) -> DimensionView:
    dimension = catalog.dimension(data["id"])
    name = dimension.name.get(lang)
    by_id = {p.id: p for p in dimension.practices}
    practices = tuple(practice_view(p, by_id[p["id"]], name, lang) for p in data["practices"] if p["id"] in by_id)
    measured_up_to = data["measured_up_to"]
    cells = tuple(LevelCell(level, c, level <= measured_up_to) for level, c in zip(LEVELS, data["coverage"]))
    lowest, capping = capping_of(practices, cells) if data["status"] == "scored" else (None, ())
    return DimensionView(
        id=data["id"],
        name=name,
        area=data["area"],
        status=data["status"],
        score=data["score"],
        level=data["level"],
        cells=cells,
        measured_up_to=measured_up_to,
        practices=practices,
        capping=capping,
        lowest_incomplete=lowest,
    )


def capping_of(practices: tuple[PracticeView, ...], cells: tuple[LevelCell, ...]) -> tuple[int | None, tuple[str, ...]]:
    """The lowest incomplete level and its practices below 3, read from the answers (exact, no
    rounded coverage): a level is incomplete when a counted practice is below 3 or it was not asked."""
    for cell in cells:
        counted = [p for p in practices if p.level == cell.level and p.value not in NO_NUMBER]
        below = tuple(p.id for p in counted if p.number is None or p.number < 3)
        if below or not cell.measured:
            return cell.level, below
    return None, ()


def individual_answers(
    catalog: Catalog, answers: AnswerSet, practices: Mapping[str, PracticeView], lang: str
) -> IndividualAnswers:
    """Who answered what, practice by practice: for owners and facilitators only."""
    respondents = tuple(Respondent(r.respondent, r.role or "other") for r in answers.responses)
    rows = tuple(
        IndividualRow(practice, tuple(_raw(r, pid) for r in answers.responses))
        for pid, practice in practices.items()
        if practice.asked
    )
    return IndividualAnswers(respondents, rows)


def _raw(response: Response, practice_id: str) -> str | None:
    value = response.answers.get(practice_id)
    return None if value is None else str(value)


def role_groups(responses: tuple[Response, ...]) -> list[tuple[str, tuple[Response, ...]]]:
    """Responses by role; roles with fewer than MIN_GROUP respondents go together as "others",
    which is itself left out when still smaller than MIN_GROUP."""
    by_role: dict[str, list[Response]] = defaultdict(list)
    for response in responses:
        by_role[response.role or "other"].append(response)
    groups = [(role, tuple(group)) for role, group in by_role.items() if len(group) >= MIN_GROUP]
    rest = tuple(r for group in by_role.values() if len(group) < MIN_GROUP for r in group)
    if len(rest) >= MIN_GROUP:
        groups.append((OTHER_ROLES, rest))
    return groups


def role_split(catalog: Catalog, answers: AnswerSet, lang: str) -> RoleSplit | None:
    """Dimension scores as each role group alone sees them (raw answers, no consensus)."""
    groups = role_groups(answers.responses)
    if len(groups) < 2:
        return None
    results = [score(catalog, replace(answers, responses=group, consensus={})) for _, group in groups]
    rows = []
    for index, dimension in enumerate(catalog.dimensions):
        scores = tuple(_float(r.dimensions[index].score) for r in results)
        present = [s for s in scores if s is not None]
        if present:
            rows.append(RoleRow(dimension.name.get(lang), scores, round(max(present) - min(present), 4)))
    return RoleSplit(tuple(RoleGroup(role, len(group)) for role, group in groups), tuple(rows))


def _float(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)


def delivery_view(data: Mapping[str, Any], catalog: Catalog, lang: str) -> DeliveryView:
    metrics = []
    for item in data.get("metrics", []):
        metric = next((m for m in catalog.metrics if m.id == item["id"]), None)
        if metric is None:
            continue
        band = next((b for b in metric.bands if b.id == item.get("band")), None)
        answer = item.get("answer")
        label = band.label.get(lang) if band else ""
        if band and metric.unit == "percent":
            label = f"{answer}% ({label})"
        metrics.append(
            MetricView(
                metric.id,
                metric.name.get(lang),
                metric.factor,
                None if answer is None else str(answer),
                label,
                item.get("tier"),
                item.get("quick_check"),
            )
        )
    totals = (data.get(key) for key in ("tier", "quick_check", "throughput", "instability"))
    return DeliveryView(*totals, tuple(metrics))
