"""What the facilitator's live view and the big screen show for the open dimension, as plain values.

Per practice: how many answered, the distribution of raw answers, the median and spread
(engine.aggregate, without the consensus, so the group's own view shows), the disagreement flag,
the median of each role group (only groups of at least 3: result_values.role_groups), and the
consensus recorded so far. Largest disagreements first.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from fractions import Fraction

from ..engine.aggregate import aggregate_practice
from ..engine.answers import Response as EngineResponse
from ..engine.catalog import Practice
from ..store.models import Assessment, Consensus, User
from .assessments import answer_set
from .progress import progress_of
from .result_values import role_groups
from .workshops import workshop_or_404

CODES = ("0", "1", "2", "3", "na", "unknown")


@dataclass(frozen=True)
class RoleMedian:
    role: str  # a respondent role, or "others"
    size: int
    value: str  # "2", "1.5", "na", "unknown"


@dataclass(frozen=True)
class PracticeLive:
    id: str
    level: int
    statement: str
    answered: int
    counts: tuple[tuple[str, int], ...]  # every code of CODES, in that order
    median: str  # "2", "1.5", "na", "unknown", or "" with no answer
    spread: int | None
    disagreement: bool
    roles: tuple[RoleMedian, ...]  # empty unless two groups of at least 3 answered
    consensus: str | None
    note: str

    @property
    def most(self) -> int:
        return max((n for _, n in self.counts), default=0)

    @property
    def default_consensus(self) -> str | None:
        """What the consensus form offers: the recorded value, else the median when it is a whole answer."""
        if self.consensus is not None:
            return self.consensus
        return self.median if self.median in ("0", "1", "2", "3", "na") else None


@dataclass(frozen=True)
class DimensionChoice:
    id: str
    name: str


@dataclass(frozen=True)
class LiveView:
    workshop_id: int
    team_name: str
    period: str
    status: str
    join_code: str
    dimension_id: str | None
    dimension_name: str
    dimensions: tuple[DimensionChoice, ...]
    participants: int
    practices: tuple[PracticeLive, ...]
    settled: int  # practices of the whole questionnaire with a consensus
    total: int  # practices of the whole questionnaire

    @property
    def key(self) -> str:
        """Changes whenever what the view shows may change (a cheap poll can skip rendering)."""
        shown = repr((self.status, self.dimension_id, self.participants, self.practices, self.settled))
        return hashlib.sha256(shown.encode()).hexdigest()[:16]


def live_view(user: User, workshop_id: int, lang: str) -> LiveView:
    return build_live_view(workshop_or_404(user, workshop_id), lang)


def build_live_view(workshop: Assessment, lang: str) -> LiveView:
    progress = progress_of(workshop, None)
    answers = answer_set(workshop)
    consensus = {c.practice_id: c for c in workshop.consensus}
    page = progress.page(workshop.open_dimension or "")
    practices = tuple(_practice(p, answers.responses, consensus.get(p.id), lang) for p in (page.practices if page else ()))
    order = {p.id: i for i, p in enumerate(practices)}
    ranked = sorted(practices, key=lambda p: (not p.disagreement, -(p.spread or 0), order[p.id]))
    shown = {p.id for page in progress.pages for p in page.practices}
    return LiveView(
        workshop_id=workshop.id,
        team_name=workshop.team.name,
        period=workshop.period,
        status=workshop.status,
        join_code=workshop.join_code or "",
        dimension_id=page.dimension.id if page else None,
        dimension_name=page.dimension.name.get(lang) if page else "",
        dimensions=tuple(DimensionChoice(p.dimension.id, p.dimension.name.get(lang)) for p in progress.pages),
        participants=len(answers.responses),
        practices=tuple(ranked),
        settled=sum(1 for pid in consensus if pid in shown),
        total=len(shown),
    )


def practice_live(workshop: Assessment, practice: Practice, lang: str) -> PracticeLive:
    """One practice's live numbers, whichever dimension is open (the consensus form shows them)."""
    consensus = next((c for c in workshop.consensus if c.practice_id == practice.id), None)
    return _practice(practice, answer_set(workshop).responses, consensus, lang)


def _practice(practice: Practice, responses: tuple[EngineResponse, ...], consensus: Consensus | None, lang: str) -> PracticeLive:
    raw = [r.answers[practice.id] for r in responses if practice.id in r.answers]
    stats = aggregate_practice(raw)
    return PracticeLive(
        id=practice.id,
        level=practice.level,
        statement=practice.statement.get(lang),
        answered=len(raw),
        counts=tuple((code, stats.counts.get(code, 0)) for code in CODES),
        median=_text(stats.value),
        spread=stats.spread,
        disagreement=stats.disagreement,
        roles=_role_medians(practice.id, responses),
        consensus=consensus.value if consensus is not None else None,
        note=(consensus.note or "") if consensus is not None else "",
    )


def _role_medians(practice_id: str, responses: tuple[EngineResponse, ...]) -> tuple[RoleMedian, ...]:
    """Each role group's own median; groups count only the people who answered this practice."""
    answering = tuple(r for r in responses if practice_id in r.answers)
    groups = role_groups(answering)
    if len(groups) < 2:
        return ()
    return tuple(
        RoleMedian(role, len(group), _text(aggregate_practice([r.answers[practice_id] for r in group]).value))
        for role, group in groups
    )


def _text(value: object) -> str:
    if isinstance(value, Fraction):
        return f"{float(value):g}"
    return "" if value == "unanswered" else str(value)
