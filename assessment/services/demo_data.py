"""The demo organisation as data: people, teams, how mature each team is and how it moves.

Strengths are dimension scores (0-5) in the latest quarter; `offsets` shift them for the three
quarters, oldest first, so a team improves (Payments dips in the middle quarter: the J-curve
after it automated its deployments). Practice ids that the catalog does not know are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PASSWORD = "cdcoach-demo"
OWNER_EMAIL = "demo@example.com"
OWNER_NAME = "Demo Owner"
ORGANISATION = "Demo Co"


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    org_role: str  # owner, facilitator, member, viewer


@dataclass(frozen=True)
class Respondent:
    email: str
    role: str  # the respondent role tag: dev, test, ops, product, lead, other


@dataclass(frozen=True)
class DemoTeam:
    name: str
    profile: dict[str, str]
    lead: str | None  # a member who leads the team (the owner leads every team it creates)
    respondents: tuple[Respondent, ...]  # the first quarter leaves out the last one
    strengths: dict[str, float]
    offsets: tuple[float, float, float]
    na: tuple[str, ...] = ()  # practices the team answers N/A (most respondents)
    gaps: tuple[str, ...] = ()  # practices where dev and ops see it 2 apart
    comments: dict[str, tuple[str, str]] = field(default_factory=dict)  # practice -> (role, text)
    metrics: tuple[dict[str, str], ...] = ()  # one per quarter, oldest first
    # a roadmap accepted from the first quarter, tracked by the later ones: practice -> (owner, notes)
    # for the items that have an owner (practices not in the plan are skipped)
    roadmap: dict[str, tuple[str, str | None]] | None = None


def outcomes(frequency: str, lead_time: str, recovery: str, failures: str, rework: str) -> dict[str, str]:
    """A quarter's delivery-metric answers: band ids, and whole percentages for the two rates."""
    return {
        "deployment_frequency": frequency,
        "lead_time": lead_time,
        "recovery_time": recovery,
        "change_failure_rate": failures,
        "rework_rate": rework,
    }


PEOPLE = (
    Person("coach@demo.example.com", "Mei Chen", "facilitator"),
    Person("dev1@demo.example.com", "Alex Kim", "member"),
    Person("dev2@demo.example.com", "Priya Nair", "member"),
    Person("dev3@demo.example.com", "Liam Walsh", "member"),
    Person("test1@demo.example.com", "Jonas Weber", "member"),
    Person("ops1@demo.example.com", "Sara Lopez", "member"),
    Person("product1@demo.example.com", "Tom Baker", "member"),
    Person("viewer@demo.example.com", "Helen Park", "viewer"),
)

TEAMS = (
    DemoTeam(
        name="Payments",
        profile={"team_size": "6-15", "product_kind": "web-service", "regulated": "yes", "release": "windows"},
        lead="dev1@demo.example.com",
        respondents=(
            Respondent("dev1@demo.example.com", "dev"),
            Respondent("ops1@demo.example.com", "ops"),
            Respondent("test1@demo.example.com", "test"),
            Respondent(OWNER_EMAIL, "lead"),
            Respondent("product1@demo.example.com", "product"),
        ),
        strengths={
            "config": 3.6,
            "testing": 3.4,
            "release": 2.5,
            "measurement": 1.8,
            "collaboration": 2.2,
            "culture": 1.3,
            "build": 3.9,
            "environments": 2.8,
            "data": 1.2,
            "architecture": 2.6,
        },
        offsets=(-0.5, -0.8, 0.0),
        gaps=("release.automated-rollback", "environments.production-like", "architecture.health-checks"),
        comments={
            "release.lightweight-approval": ("lead", "Every release still needs a change-board slot on Thursdays."),
            "testing.flaky-tests": ("test", "The payment-provider stubs time out now and then; we quarantine those tests."),
            "data.versioned-migrations": ("ops", "Schema changes are still run by hand by the DBA on release night."),
            "culture.blameless-reviews": ("dev", "Incident reviews tend to end with a name, not a fix."),
        },
        metrics=(
            outcomes("weekly", "lt-1w", "lt-1d", "18", "12"),
            outcomes("daily", "lt-1w", "lt-1d", "27", "16"),
            outcomes("daily", "lt-1d", "lt-1h", "9", "6"),
        ),
        roadmap={
            "measurement.value-stream-map": (
                "Tom Baker",
                "The mapping workshop was postponed twice: release nights took the people we needed.",
            ),
            "release.automated-deploy": (
                "Sara Lopez",
                "The pipeline deploys to staging; production still waits for the change board.",
            ),
            "architecture.health-checks": ("Alex Kim", None),
            "data.scripted-changes": ("Sara Lopez", None),
        },
    ),
    DemoTeam(
        name="Mobile App",
        profile={"team_size": "6-15", "product_kind": "mobile-app", "regulated": "no", "release": "store"},
        lead="dev2@demo.example.com",
        respondents=(
            Respondent("dev2@demo.example.com", "dev"),
            Respondent("ops1@demo.example.com", "ops"),
            Respondent("product1@demo.example.com", "product"),
            Respondent("test1@demo.example.com", "test"),
        ),
        strengths={
            "config": 3.1,
            "testing": 2.0,
            "release": 1.7,
            "measurement": 2.6,
            "collaboration": 3.1,
            "culture": 2.9,
            "build": 3.0,
            "environments": 1.8,
            "data": 1.6,
            "architecture": 2.2,
        },
        offsets=(-0.9, -0.4, 0.0),
        na=("release.continuous-deployment", "data.expand-contract"),
        gaps=("architecture.monitoring-alerting", "release.scripted-deploy"),
        comments={
            "release.weekly-release": ("product", "Store review adds one to three days to every release."),
            "testing.automated-acceptance": ("test", "UI tests run on two emulators only; real devices are tested by hand."),
            "measurement.user-feedback": ("product", "Store ratings and crash reports are reviewed every sprint."),
        },
        metrics=(
            outcomes("monthly", "lt-1mo", "lt-1w", "22", "15"),
            outcomes("weekly", "lt-1w", "lt-1w", "15", "12"),
            outcomes("weekly", "lt-1w", "lt-1d", "10", "unknown"),
        ),
    ),
    DemoTeam(
        name="Data Platform",
        profile={"team_size": "1-5", "product_kind": "data-pipeline", "regulated": "no", "release": "continuous"},
        lead=None,
        respondents=(
            Respondent("dev3@demo.example.com", "dev"),
            Respondent("ops1@demo.example.com", "ops"),
            Respondent("product1@demo.example.com", "product"),
            Respondent("test1@demo.example.com", "test"),
        ),
        strengths={
            "config": 2.7,
            "testing": 1.4,
            "release": 2.3,
            "measurement": 1.5,
            "collaboration": 1.8,
            "culture": 2.1,
            "build": 2.5,
            "environments": 3.2,
            "data": 3.3,
            "architecture": 1.8,
        },
        offsets=(-0.8, -0.3, 0.0),
        na=("release.progressive-delivery", "measurement.product-experiments"),
        gaps=("data.migration-rehearsal", "environments.infrastructure-as-code"),
        comments={
            "data.test-data-masked": ("dev", "We copy a masked sample of last week's events into staging."),
            "testing.automated-acceptance": ("test", "Pipelines are checked by comparing row counts, nothing more yet."),
            "architecture.tracing": ("ops", "We cannot follow one record through the pipeline stages."),
        },
        metrics=(
            outcomes("weekly", "lt-1w", "lt-1d", "25", "20"),
            outcomes("daily", "lt-1d", "lt-1d", "15", "unknown"),
            outcomes("on-demand", "lt-1d", "lt-1h", "8", "10"),
        ),
    ),
)
