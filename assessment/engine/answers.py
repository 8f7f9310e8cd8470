"""What a team answered: responses, consensus, profile and delivery metrics, as plain data.

`parse_answers` turns an answers document (the JSON the CLI reads, or what a service builds
from the database) into an `AnswerSet`, checked against a catalog.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .catalog import ROLES, Catalog

NA: Literal["na"] = "na"
UNKNOWN: Literal["unknown"] = "unknown"
Value = int | Literal["na", "unknown"]
ConsensusValue = int | Literal["na"]
MetricAnswer = str | int  # a band id, a whole percentage, or "unknown"
# "full", "quick", the ids of the chosen dimensions, or (an older iteration re-scored on a newer
# catalog version, engine/versions.py) the frozenset of the practice ids it asked
Questionnaire = str | tuple[str, ...] | frozenset[str]


@dataclass(frozen=True)
class Response:
    respondent: str
    answers: Mapping[str, Value]
    role: str | None = None


@dataclass(frozen=True)
class AnswerSet:
    responses: tuple[Response, ...]
    questionnaire: Questionnaire = "full"
    consensus: Mapping[str, ConsensusValue] = field(default_factory=dict)
    profile: Mapping[str, str] = field(default_factory=dict)
    metrics: Mapping[str, MetricAnswer] = field(default_factory=dict)


class AnswersInvalid(ValueError):
    """An answers document does not fit its catalog; the message says where."""


def asked_practices(catalog: Catalog, questionnaire: Questionnaire) -> frozenset[str]:
    """The practice ids a questionnaire asks about."""
    if questionnaire == "full":
        return frozenset(catalog.practices)
    if questionnaire == "quick":
        return catalog.quick_ids
    if isinstance(questionnaire, frozenset):
        return frozenset(pid for pid in catalog.practices if pid in questionnaire)
    chosen = set(questionnaire)
    return frozenset(pid for pid, did in catalog.dimension_of.items() if did in chosen)


def parse_answers(data: Any, catalog: Catalog) -> AnswerSet:
    if not isinstance(data, dict):
        raise AnswersInvalid("the answers must be a JSON object")
    unknown_keys = set(data) - {"model", "questionnaire", "profile", "metrics", "responses", "consensus"}
    if unknown_keys:
        raise AnswersInvalid(f"unknown key '{sorted(unknown_keys)[0]}'")
    if "responses" not in data:
        raise AnswersInvalid("'responses' is missing")
    responses = data["responses"]
    if not isinstance(responses, list):
        raise AnswersInvalid("'responses' must be a list")
    return AnswerSet(
        responses=tuple(_response(item, i, catalog) for i, item in enumerate(responses)),
        questionnaire=_questionnaire(data.get("questionnaire", "full"), catalog),
        consensus=_consensus(data.get("consensus", {}), catalog),
        profile=_profile(data.get("profile", {}), catalog),
        metrics=_metrics(data.get("metrics", {}), catalog),
    )


def check_value(value: Any, where: str, allow: tuple[str, ...] = (NA, UNKNOWN)) -> Value:
    """An answer value, or AnswersInvalid naming `where` and what is allowed."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 3:
        return value
    if isinstance(value, str) and value in allow:
        return value  # type: ignore[return-value]
    allowed = ", ".join(["0", "1", "2", "3", *(f'"{a}"' for a in allow)])
    raise AnswersInvalid(f"{where}: {value!r} is not an answer (use {allowed})")


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise AnswersInvalid(f"{where} must be an object")
    return value


def _practice(pid: Any, catalog: Catalog, where: str) -> str:
    if pid not in catalog.practices:
        raise AnswersInvalid(f"{where}: unknown practice '{pid}' in catalog '{catalog.id}'")
    return pid


def _response(item: Any, index: int, catalog: Catalog) -> Response:
    where = f"responses[{index}]"
    item = _mapping(item, where)
    extra = set(item) - {"respondent", "role", "answers"}
    if extra:
        raise AnswersInvalid(f"{where}: unknown key '{sorted(extra)[0]}'")
    role = item.get("role")
    if role is not None and role not in ROLES:
        raise AnswersInvalid(f"{where}.role: '{role}' is not a role (use {', '.join(ROLES)})")
    answers = _mapping(item.get("answers", {}), f"{where}.answers")
    checked = {
        _practice(pid, catalog, f"{where}.answers"): check_value(value, f"{where}.answers.{pid}")
        for pid, value in answers.items()
    }
    return Response(str(item.get("respondent") or f"respondent {index + 1}"), checked, role)


def _questionnaire(value: Any, catalog: Catalog) -> Questionnaire:
    if value in ("full", "quick"):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        dims = {d.id for d in catalog.dimensions}
        for did in value:
            if did not in dims:
                raise AnswersInvalid(f"questionnaire: unknown dimension '{did}'")
        return tuple(value)
    raise AnswersInvalid('questionnaire: use "full", "quick" or a list of dimension ids')


def _consensus(value: Any, catalog: Catalog) -> dict[str, ConsensusValue]:
    consensus = _mapping(value, "consensus")
    return {
        _practice(pid, catalog, "consensus"): check_value(v, f"consensus.{pid}", allow=(NA,))  # type: ignore[misc]
        for pid, v in consensus.items()
    }


def _profile(value: Any, catalog: Catalog) -> dict[str, str]:
    profile = _mapping(value, "profile")
    questions = {q.id: {o.id for o in q.options} for q in catalog.profile.questions}
    for key, answer in profile.items():
        if key not in questions:
            raise AnswersInvalid(f"profile: unknown question '{key}'")
        if answer not in questions[key]:
            raise AnswersInvalid(f"profile.{key}: '{answer}' is not an option (use {', '.join(sorted(questions[key]))})")
    return dict(profile)


def _metrics(value: Any, catalog: Catalog) -> dict[str, MetricAnswer]:
    metrics = _mapping(value, "metrics")
    known = {m.id: m for m in catalog.metrics}
    for key, answer in metrics.items():
        if key not in known:
            raise AnswersInvalid(f"metrics: unknown metric '{key}'")
        metric = known[key]
        if answer == UNKNOWN:
            continue
        if metric.unit == "percent":
            if not (isinstance(answer, int) and not isinstance(answer, bool) and 0 <= answer <= 100):
                raise AnswersInvalid(f"metrics.{key}: {answer!r} is not a whole percentage from 0 to 100")
        elif answer not in {b.id for b in metric.bands}:
            bands = ", ".join(b.id for b in metric.bands)
            raise AnswersInvalid(f'metrics.{key}: {answer!r} is not one of {bands}, "unknown"')
    return dict(metrics)
