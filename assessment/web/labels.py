"""Translated labels for the codes that the data uses (roles, answers, statuses, evidence)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MEMBERSHIP_ROLES = {
    "owner": _l("Owner"),
    "facilitator": _l("Facilitator"),
    "member": _l("Member"),
    "viewer": _l("Viewer"),
}

RESPONDENT_ROLES = {
    "dev": _l("Development"),
    "test": _l("Testing"),
    "ops": _l("Operations"),
    "product": _l("Product"),
    "lead": _l("Team lead"),
    "other": _l("Other"),
}

ANSWERS = {
    "0": _l("Not in place"),
    "1": _l("Started"),
    "2": _l("Mostly"),
    "3": _l("Fully"),
    "na": _l("Not applicable"),
    "unknown": _l("Don't know"),
}

EVIDENCE = {
    "claimed": _l("Claimed"),
    "shown": _l("Shown"),
    "verified": _l("Verified"),
}

STATUSES = {
    "draft": _l("Draft"),
    "open": _l("Open"),
    "paused": _l("Paused"),
    "closed": _l("Closed"),
    "finalized": _l("Finalized"),
}


def role_label(role: str | None) -> str:
    return str(MEMBERSHIP_ROLES.get(role or "", role or ""))


def respondent_role_label(role: str | None) -> str:
    return str(RESPONDENT_ROLES.get(role or "", role or ""))


QUESTIONNAIRES = {
    "full": _l("Full"),
    "quick": _l("Quick"),
}


def questionnaire_label(questionnaire: str | list[str] | None) -> str:
    """The label of a questionnaire: full, quick, or how many dimensions were chosen."""
    if isinstance(questionnaire, list):
        return str(_l("%(count)d chosen dimensions", count=len(questionnaire)))
    return str(QUESTIONNAIRES.get(questionnaire or "", questionnaire or ""))


ROADMAP_ITEM_STATUSES = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "dropped": _l("Dropped"),
}

EFFORTS = {
    "S": _l("small effort"),
    "M": _l("medium effort"),
    "L": _l("large effort"),
}
