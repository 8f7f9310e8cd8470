"""Roadmaps: a staged plan made from an assessment, drafted, accepted (signed off) and tracked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now
from ..extensions import db
from .accounts import User
from .assessments import Assessment

ITEM_STATUSES = ("planned", "in_progress", "done", "dropped")
TRACKING = ("achieved", "progressing", "slipped")


class Roadmap(db.Model):
    __tablename__ = "roadmap"
    __table_args__ = (sa.CheckConstraint("status in ('draft', 'accepted', 'superseded')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"), index=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="draft")
    targets: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)  # only the ones the user set
    # a draft's moves on top of the computed plan: {practice id: stage number, or null for dropped}
    edits: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    capacity: Mapped[int] = mapped_column(default=6)
    stages: Mapped[int] = mapped_column(default=4)
    stage_length: Mapped[int] = mapped_column(default=1)
    start_period: Mapped[str] = mapped_column(sa.String(16))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    accepted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    accepted_at: Mapped[datetime | None]
    # a re-plan supersedes the roadmap it was made from; the chain keeps the history
    replanned_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("roadmap.id", ondelete="SET NULL"))

    assessment: Mapped[Assessment] = relationship()
    accepted_by: Mapped[User | None] = relationship(foreign_keys=[accepted_by_id])
    items: Mapped[list[RoadmapItem]] = relationship(
        back_populates="roadmap", cascade="all, delete-orphan", order_by="RoadmapItem.position"
    )


class RoadmapItem(db.Model):
    __tablename__ = "roadmap_item"
    __table_args__ = (
        sa.UniqueConstraint("roadmap_id", "practice_id"),
        sa.CheckConstraint("status in ('planned', 'in_progress', 'done', 'dropped')", name="status"),
        sa.CheckConstraint("tracking is null or tracking in ('achieved', 'progressing', 'slipped')", name="tracking"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    roadmap_id: Mapped[int] = mapped_column(sa.ForeignKey("roadmap.id", ondelete="CASCADE"), index=True)
    practice_id: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int]  # priority order
    stage: Mapped[int | None]  # None: backlog (or dropped)
    status: Mapped[str] = mapped_column(sa.String(16), default="planned")
    owner: Mapped[str | None] = mapped_column(sa.String(120))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    tracking: Mapped[str | None] = mapped_column(sa.String(16))
    tracked_assessment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("assessment.id", ondelete="SET NULL"))
    tracked_value: Mapped[str | None] = mapped_column(sa.String(8))  # the aggregated answer it was tracked on
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    roadmap: Mapped[Roadmap] = relationship(back_populates="items")
