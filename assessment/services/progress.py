"""What a respondent still has to answer: the questionnaire's pages and the progress through them.

Read-only: nothing here writes. A page is one dimension; it holds the practices the
questionnaire asks about, minus those the team profile makes not applicable (they are N/A
whatever anyone answers, so asking them would waste the team's time).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.aggregate import not_applicable_by_profile
from ..engine.answers import asked_practices
from ..engine.catalog import Area, Catalog, Dimension, Practice
from ..store.models import Assessment, Response
from .catalogs import catalog_of


@dataclass(frozen=True)
class Page:
    """One dimension of the questionnaire and one respondent's answers to it."""

    dimension: Dimension
    practices: tuple[Practice, ...]  # asked and applicable, lowest level first
    answers: dict[str, str]  # practice id -> stored value, for this page's practices

    @property
    def total(self) -> int:
        return len(self.practices)

    @property
    def answered(self) -> int:
        return len(self.answers)

    @property
    def missing(self) -> tuple[Practice, ...]:
        return tuple(p for p in self.practices if p.id not in self.answers)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100

    def levels(self) -> list[int]:
        return sorted({p.level for p in self.practices})

    def zero_level(self) -> int | None:
        """The lowest level whose practices are all answered 0, when a higher level is still open.

        No level counts above one with coverage 0 (DESIGN.md, Scoring), so the questionnaire can
        offer to skip the levels above it.
        """
        for level in self.levels():
            at_level = [p for p in self.practices if p.level == level]
            if all(self.answers.get(p.id) == "0" for p in at_level):
                return level if self.open_above(level) else None
        return None

    def open_above(self, level: int) -> tuple[Practice, ...]:
        """The unanswered practices above `level`."""
        return tuple(p for p in self.missing if p.level > level)


@dataclass(frozen=True)
class Progress:
    """A respondent's way through the questionnaire: its pages in area order."""

    catalog: Catalog
    pages: tuple[Page, ...]
    profile_na: frozenset[str]

    @property
    def total(self) -> int:
        return sum(p.total for p in self.pages)

    @property
    def answered(self) -> int:
        return sum(p.answered for p in self.pages)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100

    def page(self, dimension_id: str) -> Page | None:
        return next((p for p in self.pages if p.dimension.id == dimension_id), None)

    def neighbours(self, dimension_id: str) -> tuple[Page | None, Page | None]:
        index = next(i for i, p in enumerate(self.pages) if p.dimension.id == dimension_id)
        before = self.pages[index - 1] if index > 0 else None
        after = self.pages[index + 1] if index + 1 < len(self.pages) else None
        return before, after

    def resume_page(self) -> Page | None:
        """Where the respondent left off: the first page with an unanswered practice."""
        return next((p for p in self.pages if p.missing), None)

    def by_area(self) -> list[tuple[Area, list[Page]]]:
        grouped = [(area, [p for p in self.pages if p.dimension.area == area.id]) for area in self.catalog.areas]
        return [(area, pages) for area, pages in grouped if pages]


def progress_of(assessment: Assessment, response: Response | None) -> Progress:
    """The questionnaire's pages with the answers of `response` (none when it is None)."""
    catalog = catalog_of(assessment.snapshot)
    asked = asked_practices(catalog, questionnaire_of(assessment))
    profile_na = not_applicable_by_profile(catalog, assessment.profile or {}) & asked
    shown = asked - profile_na
    stored = {a.practice_id: a.value for a in response.answers} if response is not None else {}
    pages = []
    for area in catalog.areas:
        for dimension in catalog.dimensions:
            practices = tuple(sorted((p for p in dimension.practices if p.id in shown), key=lambda p: p.level))
            if dimension.area == area.id and practices:
                answers = {p.id: stored[p.id] for p in practices if p.id in stored}
                pages.append(Page(dimension, practices, answers))
    return Progress(catalog, tuple(pages), profile_na)


def questionnaire_of(assessment: Assessment) -> str | tuple[str, ...]:
    """The stored questionnaire as the engine takes it ("full", "quick" or dimension ids)."""
    questionnaire = assessment.questionnaire
    return tuple(questionnaire) if isinstance(questionnaire, list) else questionnaire
