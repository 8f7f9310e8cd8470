"""A team with three finalized quarters whose comparison is worked out by hand (trend, compare and
review report tests).

Quick questionnaire of the real catalog; only the config dimension is answered (its quick
practices are one per level: L1 version-control, L2 peer-review, L3 trunk-based). The other nine
dimensions are asked and unanswered: score 0 each. So overall = config / 10.

2026-Q1  Olive: vc 3, pr 1, tb 0         config coverage 1, 1/3, 0 -> 4/3       overall 2/15 (0.13)
         deployment frequency weekly (tier 4)
2026-Q2  Olive: vc 3, pr 3, tb 1         coverage 1, 1, 1/3 -> 7/3              overall 7/30 (0.23)
         deployment frequency monthly (tier 3)
2026-Q3  Olive: vc 2, pr 3, tb 3; Mia: tb 1
         tb: median of 3 and 1 = 2, spread 2 (a new disagreement)
         coverage 2/3, 1, 2/3 -> 2/3 + 2/3 + 2/3 = 2                           overall 1/5 (0.20)
         deployment frequency monthly (tier 3)
Q2 -> Q3: config 7/3 -> 2 and overall 7/30 -> 6/30 went down (the J-curve); vc 3 -> 2 moved down,
tb 1 -> 2 moved up; confidence 3 of 30 = 1/10 -> (3 + 1) of 60 = 1/15.
A roadmap accepted from 2026-Q1 sets the targets: config level 1 -> 2, the others level 0 -> 1;
overall target (2 + 9) / 10 = 1.1.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from assessment.engine.catalog import Catalog
from assessment.services import assessments, roadmaps
from assessment.store.models import Assessment, Organisation, Team, User
from tests.factories import add_member, make_org, make_team, make_user, start

VC, PR, TB = "config.version-control", "config.peer-review", "config.trunk-based"
QUARTERS = (
    ("2026-Q1", {VC: "3", PR: "1", TB: "0"}, {}, "weekly"),
    ("2026-Q2", {VC: "3", PR: "3", TB: "1"}, {}, "monthly"),
    ("2026-Q3", {VC: "2", PR: "3", TB: "3"}, {TB: "1"}, "monthly"),
)


@dataclass
class TrendScenario:
    organisation: Organisation
    team: Team
    owner: User
    member: User
    viewer: User
    iterations: list[Assessment]  # oldest first


def build(app: Flask, roadmap: bool = True) -> TrendScenario:
    owner, member, viewer = make_user("Olive Owner"), make_user("Mia Member"), make_user("Vic Viewer")
    organisation = make_org(owner)
    add_member(organisation, member, "member")
    add_member(organisation, viewer, "viewer")
    team = make_team(organisation, "Payments", lead=owner)
    iterations = []
    for period, olive, mia, frequency in QUARTERS:
        iterations.append(finalized(app, owner, member, team, period, olive, mia, frequency))
        if roadmap and period == "2026-Q1":
            roadmaps.accept_draft(owner, iterations[0].id)
    return TrendScenario(organisation, team, owner, member, viewer, iterations)


def finalized(
    app: Flask,
    owner: User,
    member: User,
    team: Team,
    period: str,
    olive: dict,
    mia: dict,
    frequency: str,
    catalog: Catalog | None = None,
) -> Assessment:
    """A finalized quick assessment with these answers (on `catalog`, by default the bundled one)."""
    if catalog is None:
        assessment = start(app, owner, team, "quick", period)
    else:
        assessment = assessments.start_assessment(owner, team.id, catalog, "quick", period)
    for user, answers, role in ((owner, olive, "lead"), (member, mia, "dev")):
        if answers:
            assessments.join_as_respondent(user, assessment.id, role)
            for practice_id, value in answers.items():
                assessments.save_answer(user, assessment.id, practice_id, value)
    assessments.save_metric(owner, assessment.id, "deployment_frequency", frequency)
    assessments.finalize(owner, assessment.id)
    return assessment
