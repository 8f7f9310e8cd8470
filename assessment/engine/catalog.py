"""The catalog (maturity model) schema: what a valid catalog file holds.

Shape rules live here as pydantic models; rules that span the whole catalog (unique ids,
prerequisite cycles, metric bands) live in `checks`.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
PracticeId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+\.[a-z0-9][a-z0-9-]*$", max_length=80)]
OptionId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9+-]*$", max_length=60)]
MetricId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Level = Annotated[int, Field(ge=1, le=5)]

AREAS = ("process", "team", "tooling")
ROLES = ("dev", "test", "ops", "product", "lead", "other")
EFFORT_COST = {"S": 1, "M": 2, "L": 3}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text a person reads, in both languages."""

    en: NonEmpty
    zh: NonEmpty

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Scale(Strict):
    """What an answer of 1, 2 and 3 looks like for one practice."""

    started: Text
    mostly: Text
    fully: Text


class Guidance(Strict):
    why: Text
    first_steps: Text
    success: Text
    pitfalls: Text


class Practice(Strict):
    id: PracticeId
    level: Level
    statement: Text
    scale: Scale
    guidance: Guidance
    effort: Literal["S", "M", "L"]
    impact: Annotated[int, Field(ge=1, le=3)]
    requires: tuple[PracticeId, ...] = ()
    quick: bool = False
    weight: Annotated[float, Field(gt=0, le=10)] = 1
    roles: tuple[Literal["dev", "test", "ops", "product", "lead", "other"], ...] = ()
    references: tuple[NonEmpty, ...] = ()


class Dimension(Strict):
    id: Id
    area: Literal["process", "team", "tooling"]
    name: Text
    description: Text | None = None
    practices: tuple[Practice, ...] = Field(min_length=1)


class LevelInfo(Strict):
    level: Level
    name: Text
    meaning: Text


class Area(Strict):
    id: Literal["process", "team", "tooling"]
    name: Text


class Band(Strict):
    id: Id
    label: Text
    lower: Annotated[float, Field(ge=0)]
    upper: Annotated[float, Field(gt=0)] | None
    tier: Level

    def holds(self, value: float) -> bool:
        return self.lower <= value and (self.upper is None or value < self.upper)


class Metric(Strict):
    id: MetricId
    factor: Literal["throughput", "instability"]
    unit: Literal["hours", "percent"]
    name: Text
    question: Text
    bands: tuple[Band, ...] = Field(min_length=2)


class Option(Strict):
    id: OptionId
    label: Text


class ProfileQuestion(Strict):
    id: MetricId
    text: Text
    options: tuple[Option, ...] = Field(min_length=2)


class ProfileRule(Strict):
    id: Id
    when: dict[MetricId, tuple[OptionId, ...]] = Field(min_length=1)
    not_applicable: tuple[PracticeId, ...] = Field(min_length=1)
    reason: Text

    def matches(self, profile: dict[str, str]) -> bool:
        return all(profile.get(key) in values for key, values in self.when.items())


class Profile(Strict):
    questions: tuple[ProfileQuestion, ...] = ()
    rules: tuple[ProfileRule, ...] = ()


class GlossaryEntry(Strict):
    id: Id
    term: Text
    definition: Text


class Catalog(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    id: Id
    version: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z.+-]*$", max_length=30)]
    title: Text
    description: Text | None = None
    levels: tuple[LevelInfo, ...] = Field(min_length=5, max_length=5)
    areas: tuple[Area, ...] = Field(min_length=1, max_length=3)
    dimensions: tuple[Dimension, ...] = Field(min_length=1)
    metrics: tuple[Metric, ...] = ()
    profile: Profile = Profile()
    glossary: tuple[GlossaryEntry, ...] = ()
    replaces: dict[PracticeId, PracticeId | None] = {}

    @cached_property
    def practices(self) -> dict[str, Practice]:
        """Every practice by id, in catalog order (dimensions in file order)."""
        return {p.id: p for d in self.dimensions for p in d.practices}

    @cached_property
    def dimension_of(self) -> dict[str, str]:
        return {p.id: d.id for d in self.dimensions for p in d.practices}

    @cached_property
    def quick_ids(self) -> frozenset[str]:
        return frozenset(pid for pid, p in self.practices.items() if p.quick)

    def dimension(self, dimension_id: str) -> Dimension:
        return next(d for d in self.dimensions if d.id == dimension_id)

    def metric(self, metric_id: str) -> Metric:
        return next(m for m in self.metrics if m.id == metric_id)

    def level_name(self, level: int | None, lang: str) -> str:
        """The name of a level in `lang`; empty below level 1 (and for no level)."""
        return next((lv.name.get(lang) for lv in self.levels if lv.level == level), "")
