"""The real `cd-maturity` catalog: structure, both languages, profile rules and a golden scoring
case per dimension whose expected score is worked out by hand in the comments."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest

from assessment.engine.aggregate import NA, aggregate
from assessment.engine.answers import AnswerSet, Response
from assessment.engine.catalog import AREAS
from assessment.engine.loader import load_catalog, validate_catalog
from assessment.engine.scoring import score

ROOT = Path(__file__).resolve().parents[3]
CATALOG_DIR = ROOT / "questionnaires" / "cd-maturity"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CATALOG_DIR)


def texts(node, path=""):
    """Every {en, zh} text in a model_dump, with its key path."""
    if isinstance(node, dict):
        if set(node) == {"en", "zh"}:
            yield path, node
            return
        for key, value in node.items():
            yield from texts(value, f"{path}.{key}")
    elif isinstance(node, list | tuple):
        for i, value in enumerate(node):
            yield from texts(value, f"{path}[{i}]")


def levels_of(dim):
    return Counter(p.level for p in dim.practices)


# --- structure ---------------------------------------------------------------------------------


def test_catalog_validates():
    assert validate_catalog(CATALOG_DIR) == []


def test_ten_to_twelve_dimensions_in_the_three_areas(catalog):
    assert 10 <= len(catalog.dimensions) <= 12
    assert {a.id for a in catalog.areas} == set(AREAS)
    assert {d.area for d in catalog.dimensions} == set(AREAS)


def test_eighty_to_a_hundred_and_thirty_practices(catalog):
    assert 80 <= len(catalog.practices) <= 130


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_every_dimension_has_practices_at_every_level(catalog, level):
    minimum = 2 if level <= 3 else 1
    short = {d.id: levels_of(d)[level] for d in catalog.dimensions if levels_of(d)[level] < minimum}
    assert short == {}


def test_quick_questionnaire_has_twenty_to_thirty_practices(catalog):
    assert 20 <= len(catalog.quick_ids) <= 30


def test_quick_questionnaire_covers_levels_one_to_three_of_every_dimension(catalog):
    for dim in catalog.dimensions:
        quick_levels = {p.level for p in dim.practices if p.quick}
        assert {1, 2, 3} <= quick_levels, dim.id


def test_quick_form_measures_every_dimension_up_to_level_three(catalog):
    result = score(catalog, AnswerSet((Response("r1", {}),), questionnaire="quick"))
    assert {d.id: d.measured_up_to for d in result.dimensions} == {d.id: 3 for d in catalog.dimensions}


def test_every_text_has_both_languages(catalog):
    found = list(texts(catalog.model_dump()))
    assert len(found) > 8 * len(catalog.practices)  # statement, 3 scale hints and 4 guidance texts each, and more
    empty = [path for path, text in found if not text["en"].strip() or not text["zh"].strip()]
    assert empty == []


def test_chinese_lines_are_not_joined_with_spaces(catalog):
    # A YAML `>` block that wraps Chinese lines puts a space between them; that reads as a typo.
    cjk = r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef“”]"
    joined = [path for path, text in texts(catalog.model_dump()) if re.search(f"{cjk} +{cjk}", text["zh"])]
    assert joined == []


def test_no_requires_points_to_a_higher_level_of_the_same_dimension(catalog):
    wrong = [
        (p.id, r)
        for p in catalog.practices.values()
        for r in p.requires
        if catalog.dimension_of[r] == catalog.dimension_of[p.id] and catalog.practices[r].level > p.level
    ]
    assert wrong == []


def test_level_names(catalog):
    assert [lv.level for lv in catalog.levels] == [1, 2, 3, 4, 5]
    assert [lv.name.zh for lv in catalog.levels] == ["初始级", "基础级", "全面级", "优秀级", "卓越级"]


def test_five_dora_metrics_with_bands(catalog):
    factors = {m.id: m.factor for m in catalog.metrics}
    assert factors == {
        "deployment_frequency": "throughput",
        "lead_time": "throughput",
        "recovery_time": "throughput",
        "change_failure_rate": "instability",
        "rework_rate": "instability",
    }
    for metric in catalog.metrics:
        bands = metric.bands
        assert bands[0].lower == 0 and bands[-1].upper is None, metric.id
        assert all(a.upper == b.lower for a, b in itertools.pairwise(bands)), metric.id
        tiers = [b.tier for b in bands]
        assert tiers[0] == 5 and tiers[-1] == 1 and tiers == sorted(tiers, reverse=True), metric.id


def test_glossary_has_the_required_entries(catalog):
    ids = {g.id for g in catalog.glossary}
    assert {
        "continuous-integration",
        "continuous-delivery",
        "continuous-deployment",
        "integration-delivery-deployment-release",
        "cd-and-devops",
        "trunk-based-development",
        "feature-flags",
        "canary-release",
        "blue-green-deployment",
        "dora-metrics",
        "j-curve",
    } <= ids


# --- team profile ------------------------------------------------------------------------------


def profile_na(catalog, **profile):
    agg = aggregate(catalog, AnswerSet((Response("r1", {}),), profile=profile))
    return {pid for pid, a in agg.items() if a.value == NA and a.source == "profile"}


def test_a_library_has_no_production_to_roll_back(catalog):
    na = profile_na(catalog, product_kind="library", release="continuous")
    assert {"release.automated-rollback", "architecture.monitoring-alerting", "data.versioned-migrations"} <= na
    # building, testing and publishing releases still apply to a library
    assert not na & {"release.automated-deploy", "release.daily-release", "architecture.independent-deploy"}
    assert not na & {"data.test-data-set", "data.test-data-independent"}


def test_app_store_review_rules_out_daily_and_continuous_deployment(catalog):
    na = profile_na(catalog, product_kind="mobile-app", release="store")
    assert {"release.daily-release", "release.on-demand", "release.continuous-deployment"} <= na
    assert {"release.automated-rollback", "environments.containers"} <= na
    assert "release.weekly-release" not in na and "release.progressive-delivery" not in na


def test_customer_installed_products_are_not_operated_by_the_team(catalog):
    na = profile_na(catalog, product_kind="desktop", release="customer-installed")
    assert {"architecture.basic-monitoring", "collaboration.build-and-run", "release.continuous-deployment"} <= na


def test_a_web_service_releasing_continuously_has_nothing_not_applicable(catalog):
    assert profile_na(catalog, team_size="1-5", product_kind="web-service", regulated="yes", release="continuous") == set()


def test_rules_depend_only_on_the_kind_of_product_and_the_release_channel(catalog):
    # A small team or a regulated one gets the full model: the guidance explains how to scale down.
    assert {key for rule in catalog.profile.rules for key in rule.when} <= {"product_kind", "release"}


def test_no_profile_makes_a_whole_dimension_or_level_one_not_applicable(catalog):
    options = {q.id: [o.id for o in q.options] for q in catalog.profile.questions}
    for kind, release in itertools.product(options["product_kind"], options["release"]):
        na = profile_na(catalog, product_kind=kind, release=release)
        for dim in catalog.dimensions:
            level_one = {p.id for p in dim.practices if p.level == 1}
            assert not level_one <= na, (kind, release, dim.id)


# --- golden scoring cases ----------------------------------------------------------------------
# One case per dimension. Every practice weighs 1 in the catalog (checked below), so a level's
# coverage is the plain mean of answer/3 over its asked, applicable practices; unknown and no
# answer count 0; a level whose practices are all N/A has coverage 1; in the quick form, a level
# with no asked practice is not measured (coverage 0). s = sum over L of min(c1..cL).

GOLDEN = [
    pytest.param(
        "config",
        {},
        "full",
        [
            {
                "config.version-control": 3,
                "config.key-change-review": 3,  # c1 = (1 + 1) / 2 = 1
                "config.branching-strategy": 3,
                "config.peer-review": 3,
                "config.release-tagging": 1,  # c2 = (1 + 1 + 1/3) / 3 = 7/9
                "config.trunk-based": 2,
                "config.change-traceability": 2,
                "config.dependency-management": 2,  # c3 = 2/3
                "config.releasable-trunk": 3,
                "config.release-traceability": 0,  # c4 = (1 + 0) / 2 = 1/2
                "config.policy-review": 0,  # c5 = 0
            }
        ],
        # s = 1 + 7/9 + 2/3 + 1/2 + 0 = 18/18 + 14/18 + 12/18 + 9/18 = 53/18 (level 2)
        Fraction(53, 18),
        id="config",
    ),
    pytest.param(
        "testing",
        {},
        "full",
        [
            {
                "testing.regression-checklist": 3,
                "testing.defect-tracking": 2,  # c1 = (1 + 2/3) / 2 = 5/6
                "testing.test-strategy": 3,
                "testing.automated-unit": 3,  # c2 = 1
                "testing.automated-acceptance": 3,
                "testing.test-first": 3,
                "testing.flaky-tests": 3,  # c3 = 1
                "testing.nonfunctional-automated": 3,
                "testing.exploratory": 3,  # c4 = 1
                "testing.escaped-defect-learning": 3,
                "testing.production-testing": 3,  # c5 = 1
            }
        ],
        # every running minimum is c1 = 5/6: s = 5 * 5/6 = 25/6 (level 4); the gap at level 1 caps all
        Fraction(25, 6),
        id="testing-capped-by-level-1",
    ),
    pytest.param(
        "release",
        {"product_kind": "mobile-app", "release": "store"},
        "full",
        [
            {
                "release.release-checklist": 3,
                "release.monthly-release": 3,  # c1 = 1
                "release.scripted-deploy": 3,
                "release.weekly-release": 2,  # c2 = (1 + 2/3) / 2 = 5/6
                "release.automated-deploy": 2,
                "release.daily-release": 3,  # N/A by the store rule, the 3 is ignored
                "release.lightweight-approval": 1,  # c3 = (2/3 + 1/3) / 2 = 1/2
                "release.automated-rollback": 0,  # N/A (an installed app cannot be rolled back)
                "release.on-demand": 0,  # N/A (store): level 4 all N/A -> c4 = 1
                "release.continuous-deployment": 0,  # N/A (store)
                "release.progressive-delivery": 3,  # c5 = 1 (phased store rollout behind flags)
            }
        ],
        # s = 1 + 5/6 + 1/2 + min(.., 1) 1/2 + 1/2 = 6/6 + 5/6 + 9/6 = 20/6 = 10/3 (level 3)
        Fraction(10, 3),
        id="release-mobile-app-through-store",
    ),
    pytest.param(
        "measurement",
        {},
        "full",
        [
            {
                "measurement.pipeline-status-visible": 3,
                "measurement.delivery-baseline": 3,
                "measurement.delivery-metrics-reviewed": 3,
                "measurement.value-stream-map": 2,
                "measurement.user-feedback": 1,
                "measurement.dora-metrics": 2,
                "measurement.improvement-backlog": 0,
                "measurement.product-metrics": 0,
                "measurement.metrics-for-learning": 0,
                "measurement.product-experiments": 0,
                "measurement.j-curve-tracking": 0,
            },
            {
                "measurement.pipeline-status-visible": 3,
                "measurement.delivery-baseline": 1,
                "measurement.delivery-metrics-reviewed": 3,
                "measurement.value-stream-map": 2,
                "measurement.user-feedback": 3,
                "measurement.dora-metrics": 2,
                "measurement.improvement-backlog": 2,
            },
        ],
        # two respondents, the median of two is their mean:
        # L1: pipeline-status 3, baseline (3+1)/2 = 2           -> c1 = (1 + 2/3) / 2 = 5/6
        # L2: metrics-reviewed 3, vsm 2, user-feedback (1+3)/2 = 2 -> c2 = (1 + 2/3 + 2/3) / 3 = 7/9
        # L3: dora 2, improvement-backlog (0+2)/2 = 1           -> c3 = (2/3 + 1/3) / 2 = 1/2
        # L4, L5: only the first respondent answered, 0         -> c4 = c5 = 0
        # s = 5/6 + 7/9 + 1/2 + 0 + 0 = 15/18 + 14/18 + 9/18 = 38/18 = 19/9 (level 2)
        Fraction(19, 9),
        id="measurement-two-respondents",
    ),
    pytest.param(
        "collaboration",
        {},
        "full",
        [
            {
                "collaboration.shared-backlog": 3,
                "collaboration.named-sponsor": 3,  # c1 = 1
                "collaboration.small-batches": 3,
                "collaboration.shared-definition-of-done": 3,
                "collaboration.sponsor-review": 1,  # c2 = (1 + 1 + 1/3) / 3 = 7/9
                "collaboration.shared-goals": 2,
                "collaboration.wip-limits": 2,
                "collaboration.compliance-partnership": 2,  # c3 = 2/3
                "collaboration.build-and-run": 0,
                "collaboration.managed-dependencies": 0,  # c4 = 0
                "collaboration.team-design-by-data": 0,  # c5 = 0
            }
        ],
        # s = 1 + 7/9 + 2/3 + 0 + 0 = 9/9 + 7/9 + 6/9 = 22/9 (level 2)
        Fraction(22, 9),
        id="collaboration",
    ),
    pytest.param(
        "culture",
        {},
        "full",
        [
            {
                "culture.retrospectives": 3,
                "culture.release-skills-shared": 3,  # c1 = 1
                "culture.incident-reviews": 3,
                "culture.improvement-time": 3,
                "culture.knowledge-sharing": 3,  # c2 = 1
                "culture.blameless-reviews": 3,
                "culture.t-shaped-skills": 0,  # c3 = (1 + 0) / 2 = 1/2
                "culture.generative-culture": 3,
                "culture.team-experimentation": 3,  # c4 = 1
                "culture.communities-of-practice": 3,
                "culture.coaching-other-teams": 3,  # c5 = 1
            }
        ],
        # s = 1 + 1 + 1/2 + min(.., 1) 1/2 + 1/2 = 7/2 (level 3): levels 4 and 5 count only half
        Fraction(7, 2),
        id="culture-gap-at-level-3",
    ),
    pytest.param(
        "build",
        {},
        "full",
        [
            {
                "build.scripted-build": 3,
                "build.scheduled-server-build": 3,  # c1 = 1
                "build.ci-on-commit": 3,
                "build.artifact-repository": 3,
                "build.feedback-hours": 3,  # c2 = 1
                "build.broken-build-discipline": 3,
                "build.static-checks": 2,
                "build.standard-build-env": 1,  # c3 = (1 + 2/3 + 1/3) / 3 = 2/3
                "build.feedback-30min": 3,
                "build.self-service-ci": 3,  # c4 = 1
                "build.feedback-10min": 3,  # c5 = 1
            }
        ],
        # s = 1 + 1 + 2/3 + 2/3 + 2/3 = 4 exactly (level 4, never 3 through a float error)
        Fraction(4),
        id="build-exactly-four",
    ),
    pytest.param(
        "environments",
        {"product_kind": "library"},
        "full",
        [
            {
                "environments.documented": 2,
                "environments.separate-test": 0,  # N/A for a library -> c1 = 2/3
                "environments.scripted-provisioning": 3,
                "environments.externalised-config": 3,
                "environments.production-like": 0,  # N/A -> c2 = (1 + 1) / 2 = 1
                "environments.infrastructure-as-code": 3,
                "environments.provision-hours": 3,
                "environments.containers": 0,  # N/A (no server-side runtime) -> c3 = 1
                "environments.self-service": 3,
                "environments.ephemeral-per-change": 0,  # N/A -> c4 = 1
                "environments.elastic-cost": 3,  # c5 = 1
            }
        ],
        # every running minimum is c1 = 2/3: s = 5 * 2/3 = 10/3 (level 3)
        Fraction(10, 3),
        id="environments-library",
    ),
    pytest.param(
        "data",
        {},
        "quick",
        [
            {
                "data.scripted-changes": 3,  # the only quick practice at level 1: c1 = 1
                "data.test-data-set": 0,  # not asked in the quick form: ignored
                "data.versioned-migrations": 2,  # quick, level 2: c2 = 2/3
                "data.migrations-in-pipeline": 3,  # quick, level 3: c3 = 1
                "data.expand-contract": 3,  # not asked: levels 4 and 5 not measured, c4 = c5 = 0
            }
        ],
        # s = 1 + 2/3 + min(.., 1) 2/3 + 0 + 0 = 7/3 (level 2)
        Fraction(7, 3),
        id="data-quick-form",
    ),
    pytest.param(
        "architecture",
        {"product_kind": "web-service"},
        "full",
        [
            {
                "architecture.component-map": 3,
                "architecture.basic-monitoring": 3,  # c1 = 1
                "architecture.monitoring-alerting": 3,
                "architecture.modular-apis": "na",  # the respondent's own N/A
                "architecture.central-logging": 1,  # c2 = (1 + 1/3) / 2 = 2/3
                "architecture.independent-deploy": 3,
                "architecture.health-checks": 3,
                "architecture.tracing": "unknown",  # counts 0: c3 = (1 + 1 + 0) / 3 = 2/3
                "architecture.slos": 3,
                "architecture.internal-platform": 3,  # c4 = 1
                "architecture.resilience": 3,  # c5 = 1
            }
        ],
        # s = 1 + 2/3 + 2/3 + 2/3 + 2/3 = 11/3 (level 3)
        Fraction(11, 3),
        id="architecture-na-and-unknown",
    ),
]


def test_every_practice_has_the_default_weight(catalog):
    # the golden cases below rely on it; change them when a weight is set
    assert {p.weight for p in catalog.practices.values()} == {1}


def test_there_is_a_golden_case_for_every_dimension(catalog):
    assert sorted(case.values[0] for case in GOLDEN) == sorted(d.id for d in catalog.dimensions)


@pytest.mark.parametrize(("dimension", "profile", "questionnaire", "responses", "expected"), GOLDEN)
def test_golden_dimension_score(catalog, dimension, profile, questionnaire, responses, expected):
    # the cases name every practice of their dimension by level, so a renamed or moved practice fails here
    dim = catalog.dimension(dimension)
    named = {pid for answers in responses for pid in answers}
    if questionnaire == "full":
        assert named == {p.id for p in dim.practices}
    answers = AnswerSet(
        tuple(Response(f"r{i}", a) for i, a in enumerate(responses, 1)), questionnaire=questionnaire, profile=profile
    )
    result = score(catalog, answers).dimension(dimension)
    assert result.status == "scored"
    assert result.score == expected
    assert result.level == int(expected)
