"""Issue 6's walk-through in a real browser: the demo's Payments lead runs the next quarterly review.

The demo (services/demo.py) gives Payments a roadmap accepted from its first quarter and tracked
by the two quarters after it. Alex Kim, the team's lead, starts the next review from the team
page: everyone's last answers are carried over. He keeps the carried-over answers of the first
page, changes his answer to 3 for one roadmap item that is not achieved yet, finalizes, and the
review page shows that item achieved in the new quarter.

Which item: one whose aggregated answer becomes 3 when only Alex's answer turns 3, worked out
from the last quarter's stored answers below (e.g. answers 3, 3, 2, unknown, 2 with Alex's 2:
median of 3, 3, 2, 2 is 2.5; with Alex's 3, median of 3, 3, 3, 2 is 3). Achieved uses the
aggregated answer, so a single person's 3 is not enough unless it tips the median.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest
import sqlalchemy as sa
from playwright.sync_api import BrowserContext, expect

from assessment.engine.aggregate import aggregate
from assessment.engine.answers import Response as EngineResponse
from assessment.engine.periods import next_period
from assessment.extensions import db
from assessment.services import assessments, demo, roadmaps
from assessment.services.demo_data import ORGANISATION, PASSWORD
from assessment.store.models import Organisation, Team, User
from tests.e2e.conftest import LiveServer, log_in

LEAD = "dev1@demo.example.com"


@dataclass
class Plan:
    team_id: int
    practice_id: str
    dimension_id: str
    statement: str
    first_dimension: str
    period: str  # of the review to come


@pytest.fixture(scope="module")
def plan(live_server: LiveServer) -> Plan:
    app = live_server.app
    with app.test_request_context():
        demo.create_demo(app.extensions["cdcoach.catalogs"].get("cd-maturity"))
        demo_co = sa.select(Organisation.id).where(Organisation.name == ORGANISATION)  # other tests have a "Payments" too
        team = db.session.scalar(sa.select(Team).where(Team.name == "Payments", Team.organisation_id.in_(demo_co)))
        lead = db.session.scalar(sa.select(User).where(User.email == LEAD))
        roadmap = roadmaps.accepted_roadmap(team.id)
        last = max(assessments.assessments_of_team(team), key=lambda a: a.period)
        catalog = assessments.catalog_for(last)
        answers = assessments.answer_set(last)
        mine = next(r.id for r in last.responses if r.user_id == lead.id)
        name = next(r.display_name for r in last.responses if r.id == mine)

        def tipped(practice_id: str) -> bool:
            """Would Alex's 3 make the aggregated answer 3?"""
            responses = tuple(
                EngineResponse(r.respondent, {**r.answers, practice_id: 3}, r.role) if r.respondent == name else r
                for r in answers.responses
            )
            return aggregate(catalog, replace(answers, responses=responses))[practice_id].value == 3

        found = next(
            i.practice_id for i in roadmap.items if i.tracking != "achieved" and i.status != "dropped" and tipped(i.practice_id)
        )
        practice = catalog.practices[found]
        dimension = next(d.id for d in catalog.dimensions if practice in d.practices)
        return Plan(team.id, found, dimension, practice.statement.en, catalog.dimensions[0].id, next_period(last.period))


def test_the_lead_runs_the_next_review_and_sees_the_item_achieved(
    live_server: LiveServer, new_context: Callable[..., BrowserContext], plan: Plan
) -> None:
    page = new_context().new_page()
    log_in(page, live_server, LEAD, PASSWORD)
    page.goto(live_server.at(f"/teams/{plan.team_id}"))
    page.get_by_role("button", name="Start the next review").click()
    expect(page.get_by_text(f"The review for {plan.period} is open")).to_be_visible()
    assessment_url = re.sub(r"[?#].*$", "", page.url)
    assert re.search(r"/assessments/\d+$", assessment_url)

    # the first page: answers carried over, kept as they are
    page.goto(f"{assessment_url}/dimensions/{plan.first_dimension}")
    expect(page.locator(".carried-badge").first).to_be_visible()
    page.get_by_role("button", name="Keep my carried-over answers on this page").click()
    expect(page.get_by_text(re.compile(r"\d+ carried-over answers? kept\."))).to_be_visible()
    expect(page.locator(".carried-badge")).to_have_count(0)

    # the roadmap item's page: change the carried-over answer to 3
    page.goto(f"{assessment_url}/dimensions/{plan.dimension_id}")
    practice = page.locator(f'fieldset.practice[hx-post$="/answers/{plan.practice_id}"]')
    expect(practice.locator(".carried-badge")).to_be_visible()
    practice.locator('input[type=radio][value="3"]').check()
    expect(practice.locator(".save-status")).to_have_text("Saved")

    page.goto(f"{assessment_url}/finalize")
    page.get_by_role("button", name="Yes, finalize now").click()
    expect(page.get_by_text("The assessment is finalized")).to_be_visible()

    page.goto(live_server.at(f"/teams/{plan.team_id}"))
    page.get_by_role("link", name="Review progress against it").click()
    expect(page.get_by_role("heading", name="Roadmap review: Payments")).to_be_visible()
    achieved = page.locator("section", has=page.get_by_role("heading", name="Achieved, stage by stage"))
    item = achieved.locator("li.review-item", has_text=plan.statement)
    expect(item).to_be_visible()
    expect(item.get_by_text(f"achieved in {plan.period}")).to_be_visible()
