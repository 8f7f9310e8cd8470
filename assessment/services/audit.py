"""Recording who changed what (within the caller's transaction)."""

from __future__ import annotations

from typing import Any

from ..extensions import db
from ..store.models import AuditEntry, User


def record(user: User | None, organisation_id: int | None, action: str, target: str, /, **detail: Any) -> None:
    db.session.add(
        AuditEntry(
            organisation_id=organisation_id, user_id=user.id if user else None, action=action, target=target, detail=detail
        )
    )
