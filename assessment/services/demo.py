"""Demo data: the organisation "Demo Co" with three teams and a year of quarterly assessments.

Everything is built through the use cases (sign up, invite, create team, start, join, answer,
finalize), so every rule holds for the demo as for real data. It is deterministic (a seeded
random generator per team and quarter) and idempotent: what exists already is left alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from .. import clock
from ..engine.aggregate import not_applicable_by_profile
from ..engine.catalog import Catalog, Practice
from ..engine.periods import next_period, quarter_of
from ..extensions import db
from ..store.models import Assessment, Team, User
from . import accounts, assessments, organisations, roadmaps, teams
from .demo_data import ORGANISATION as ORGANISATION_NAME
from .demo_data import OWNER_EMAIL, OWNER_NAME, PASSWORD, PEOPLE, TEAMS, DemoTeam, Respondent

LOGIN = f"Demo login: {OWNER_EMAIL} / {PASSWORD}"
PlannedAnswer = tuple[str, str | None, str | None]  # value, comment, evidence
Plan = dict[str, dict[str, PlannedAnswer]]  # respondent email -> practice id -> answer


@dataclass
class DemoSummary:
    """What a run created; all zero when the demo was there already."""

    users: int = 0
    teams: int = 0
    assessments: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.users or self.teams or self.assessments)


def demo_periods(today: date) -> list[str]:
    """The three quarters before the current one, oldest first."""
    current = quarter_of(today)
    return [next_period(current, -steps) for steps in (3, 2, 1)]


def demo_user() -> User | None:
    return accounts.find_user(OWNER_EMAIL)


def database_is_new() -> bool:
    """No user yet: a fresh database, where the demo gives a first look at the app."""
    return db.session.scalar(sa.select(User.id).limit(1)) is None


def create_demo(catalog: Catalog) -> DemoSummary:
    """Build whatever part of the demo is missing, through the use cases; say what was created."""
    summary = DemoSummary()
    owner = _user(OWNER_EMAIL, OWNER_NAME, summary)
    organisation_id = _organisation(owner)
    people = {OWNER_EMAIL: owner}
    for person in PEOPLE:
        people[person.email] = _user(person.email, person.name, summary)
        _join(owner, organisation_id, people[person.email], person.org_role)
    periods = demo_periods(clock.now().date())
    for spec in TEAMS:
        team = _team(owner, organisation_id, spec, catalog, people, summary)
        if team is None:
            continue  # built by an earlier run
        for quarter, period in enumerate(periods):
            _assessment(owner, team.id, catalog, spec, quarter, period, people)
            summary.assessments += 1
    return summary


def _user(email: str, name: str, summary: DemoSummary) -> User:
    user = accounts.find_user(email)
    if user is None:
        user = accounts.sign_up(email, name, PASSWORD, "en")
        summary.users += 1
    return user


def _organisation(owner: User) -> int:
    for organisation, role in organisations.organisations_of(owner):
        if organisation.name == ORGANISATION_NAME and role == "owner":
            return organisation.id
    return organisations.create_organisation(owner, ORGANISATION_NAME).id


def _join(owner: User, organisation_id: int, user: User, role: str) -> None:
    """Membership the way people get it: an owner's invitation, accepted."""
    if organisations.role_in(user, organisation_id) is None:
        token = organisations.invite(owner, organisation_id, role, user.email)
        organisations.accept_invitation(user, token)


def _team(
    owner: User, organisation_id: int, spec: DemoTeam, catalog: Catalog, people: dict[str, User], summary: DemoSummary
) -> Team | None:
    """A new team with its profile and members; None when it exists with finalized assessments."""
    existing = next((t for t in teams.teams_of(organisation_id) if t.name == spec.name), None)
    if existing is not None and _has_finalized(existing.id):
        return None
    team = existing or teams.create_team(owner, organisation_id, spec.name)
    summary.teams += existing is None
    teams.set_profile(owner, team.id, catalog, spec.profile)
    for respondent in spec.respondents:
        if respondent.email != OWNER_EMAIL:
            teams.set_member(owner, team.id, people[respondent.email].id, lead=respondent.email == spec.lead)
    return team


def _has_finalized(team_id: int) -> bool:
    query = sa.select(Assessment.id).where(Assessment.team_id == team_id, Assessment.status == "finalized")
    return db.session.scalar(query.limit(1)) is not None


def _assessment(
    owner: User, team_id: int, catalog: Catalog, spec: DemoTeam, quarter: int, period: str, people: dict[str, User]
) -> None:
    assessment = db.session.scalar(
        sa.select(Assessment).where(Assessment.team_id == team_id, Assessment.period == period, Assessment.kind == "self")
    )
    if assessment is None:
        assessment = assessments.start_assessment(owner, team_id, catalog, "full", period)
    assessment_id = assessment.id
    plan = plan_answers(catalog, spec, quarter)
    for respondent in respondents_of(spec, quarter):
        user = people[respondent.email]
        assessments.join_as_respondent(user, assessment_id, respondent.role)
        given = {pid: assessments.AnswerInput(*answer) for pid, answer in plan[respondent.email].items()}
        assessments.save_answers(user, assessment_id, given)  # one transaction per response
        assessments.submit_response(user, assessment_id)
    assessments.save_metrics(owner, assessment_id, spec.metrics[quarter])
    assessments.finalize(owner, assessment_id)
    if quarter == 0 and spec.roadmap is not None:
        _accept_roadmap(owner, assessment_id, spec.roadmap)


def _accept_roadmap(owner: User, assessment_id: int, owners: dict[str, tuple[str, str | None]]) -> None:
    """The sponsor accepts the proposed plan; later quarters' finalizing then tracks it."""
    roadmap = roadmaps.accept_draft(owner, assessment_id)
    for item in roadmap.items:
        if item.practice_id in owners:
            name, notes = owners[item.practice_id]
            roadmaps.update_item(owner, item.id, "in_progress", name, notes)


def respondents_of(spec: DemoTeam, quarter: int) -> tuple[Respondent, ...]:
    """Everyone answers, except that the first quarter had one respondent fewer."""
    return spec.respondents[:-1] if quarter == 0 else spec.respondents


def plan_answers(catalog: Catalog, spec: DemoTeam, quarter: int) -> Plan:
    """Every respondent's answers for one quarter: a pure function of its arguments."""
    rng = random.Random(f"{spec.name}/{quarter}")
    not_applicable = set(spec.na) | not_applicable_by_profile(catalog, spec.profile)
    respondents = respondents_of(spec, quarter)
    plan: Plan = {r.email: {} for r in respondents}
    for dimension in catalog.dimensions:
        strength = spec.strengths.get(dimension.id, 2.0) + spec.offsets[quarter]
        for practice in dimension.practices:
            truth = 3 * min(1.0, max(0.0, strength - (practice.level - 1)))
            for respondent in respondents:
                value = _answer(rng, truth, respondent.role, practice, practice.id in not_applicable)
                evidence = _evidence(rng, value, respondent.role in practice.roles)
                plan[respondent.email][practice.id] = (value, None, evidence)
    _add_gaps(plan, respondents, spec, not_applicable, catalog)
    if quarter > 0:
        _add_comments(plan, respondents, spec)
    return plan


def _answer(rng: random.Random, truth: float, role: str, practice: Practice, not_applicable: bool) -> str:
    """One person's view: close to the truth for those whose role judges it best, vaguer for others."""
    if not_applicable:
        return "na" if rng.random() < 0.85 else str(rng.choice((0, 1)))
    expert = role in practice.roles
    unsure = 0.3 if role == "product" else 0.06
    if not expert and rng.random() < unsure:
        return "unknown"
    optimism = 0.4 if role == "lead" else 0.0  # leads tend to see their team a little rosier
    noisy = truth + optimism + rng.gauss(0, 0.4 if expert else 0.65)
    return str(min(3, max(0, round(noisy))))


def _evidence(rng: random.Random, value: str, expert: bool) -> str | None:
    if expert and value in ("2", "3") and rng.random() < 0.1:
        return rng.choice(("claimed", "shown", "shown", "verified"))
    return None


def _add_gaps(
    plan: Plan, respondents: tuple[Respondent, ...], spec: DemoTeam, not_applicable: set[str], catalog: Catalog
) -> None:
    """Practices where development and operations see things two steps apart."""
    dev = next(r.email for r in respondents if r.role == "dev")
    ops = next(r.email for r in respondents if r.role == "ops")
    for practice_id in spec.gaps:
        if practice_id not in catalog.practices or practice_id in not_applicable:
            continue
        given = plan[dev][practice_id][0]
        seen_by_dev = min(3, max(2, int(given) + 1)) if given.isdigit() else 2  # one step rosier than they thought
        plan[dev][practice_id] = (str(seen_by_dev), None, None)
        plan[ops][practice_id] = (str(seen_by_dev - 2), None, None)


def _add_comments(plan: Plan, respondents: tuple[Respondent, ...], spec: DemoTeam) -> None:
    by_role = {r.role: r.email for r in respondents}
    for practice_id, (role, text) in spec.comments.items():
        email = by_role.get(role)
        if email is not None and practice_id in plan[email]:
            value, _, evidence = plan[email][practice_id]
            plan[email][practice_id] = (value, text, evidence)
