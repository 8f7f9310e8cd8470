"""A small quick-form assessment whose results are worked out by hand (tests of the results pages).

Three respondents answer two dimensions of the real catalog's quick form (one practice per
level 1-3 per dimension; levels 4 and 5 are not asked, so they count 0):

config      L1 version-control 3,3,3 -> 3;  L2 peer-review 1,2,3 -> 2 (spread 2);  L3 trunk-based 0,1,? -> 0.5
            coverage 1, 2/3, 1/6, 0, 0 -> score 1 + 2/3 + 1/6 = 11/6 = 1.83, level 1, capped by peer-review
testing     L1 regression-checklist 2,2,na -> 2;  L2 automated-unit na,na,1 -> N/A;  L3 automated-acceptance 3,3,3
            coverage 2/3, 1 (all N/A), 1, 0, 0 -> score 2/3 * 3 = 2 exactly, level 2
the other 8 dimensions: unanswered, score 0; the weakest is the first of them in catalog order: release.
overall     (11/6 + 2) / 10 = 23/60 = 0.38, level 0
confidence  each respondent: 30 asked practices, minus their own N/A answers = 29, so 87 counted;
            ratings: Ann 5, Bob 5, Cy 4 (one "don't know") = 14 -> 14/87 = 16%
delivery    deployment frequency weekly (tier 4, 6.0), change failure rate 12% (tier 3, 8.8), lead time
            unknown -> tier floor(median(3, 4)) = 3, Quick Check 7.4, throughput 6.0, instability 8.8
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from assessment.extensions import db
from assessment.services import assessments as assessment_service
from assessment.store.models import Assessment, Organisation, Team, User
from tests.factories import add_member, make_org, make_team, make_user, start

ANSWERS = {
    "config.version-control": ("3", "3", "3"),
    "config.peer-review": ("1", "2", "3"),
    "config.trunk-based": ("0", "1", "unknown"),
    "testing.regression-checklist": ("2", "2", "na"),
    "testing.automated-unit": ("na", "na", "1"),
    "testing.automated-acceptance": ("3", "3", "3"),
}
METRICS = {"deployment_frequency": "weekly", "change_failure_rate": "12", "lead_time": "unknown"}


@dataclass
class Scenario:
    organisation: Organisation
    team: Team
    assessment: Assessment
    owner: User
    facilitator: User
    member: User
    viewer: User
    respondents: tuple[User, ...]


def build(app: Flask) -> Scenario:
    owner = make_user("Olive Owner")
    organisation = make_org(owner)
    facilitator, member, viewer = make_user("Fay Facilitator"), make_user("Mo Member"), make_user("Vi Viewer")
    add_member(organisation, facilitator, "facilitator")
    add_member(organisation, member, "member")
    add_member(organisation, viewer, "viewer")
    team = make_team(organisation, "Payments", lead=owner)
    assessment = start(app, owner, team, "quick")
    people = (make_user("Ann Answerer"), make_user("Bob Builder"), make_user("Cy Operator"))
    for person, role in zip(people, ("dev", "dev", "ops")):
        add_member(organisation, person, "member")
        assessment_service.join_as_respondent(person, assessment.id, role)
    for practice_id, values in ANSWERS.items():
        for person, value in zip(people, values):
            assessment_service.save_answer(person, assessment.id, practice_id, value)
    for metric_id, value in METRICS.items():
        assessment_service.save_metric(owner, assessment.id, metric_id, value)
    return Scenario(organisation, team, assessment, owner, facilitator, member, viewer, people)


def add_respondents(organisation_id: int, assessment_id: int, roles: tuple[str, ...], value: str = "2") -> list[User]:
    """More respondents with the given roles, each answering `value` to every scenario practice."""
    organisation = db.session.get(Organisation, organisation_id)
    people = []
    for role in roles:
        person = make_user()
        add_member(organisation, person, "member")
        assessment_service.join_as_respondent(person, assessment_id, role)
        for practice_id in ANSWERS:
            assessment_service.save_answer(person, assessment_id, practice_id, value)
        people.append(person)
    return people
