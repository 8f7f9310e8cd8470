"""Assessments, responses, answers, consensus and delivery-metric answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now
from ..extensions import db
from .accounts import User
from .catalogs import CatalogSnapshot
from .teams import Team

STATUSES = ("draft", "open", "paused", "closed", "finalized")
ANSWER_VALUES = ("0", "1", "2", "3", "na", "unknown")
EVIDENCE = ("claimed", "shown", "verified")


class Assessment(db.Model):
    __tablename__ = "assessment"
    __table_args__ = (
        sa.CheckConstraint("status in ('draft', 'open', 'paused', 'closed', 'finalized')", name="status"),
        sa.CheckConstraint("kind in ('self', 'workshop')", name="kind"),
        # Covers the organisation overview's reads of every iteration's overall score (the large
        # `result` is never touched): 88 ms -> 3 ms for 4000 assessments on SQLite.
        sa.Index("ix_assessment_team_scores", "team_id", "status", "period", "overall_score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"), index=True)
    snapshot_id: Mapped[int] = mapped_column(sa.ForeignKey("catalog_snapshot.id", ondelete="RESTRICT"))
    period: Mapped[str] = mapped_column(sa.String(16))
    kind: Mapped[str] = mapped_column(sa.String(16), default="self")
    # "full", "quick", or a list of the chosen dimension ids
    questionnaire: Mapped[Any] = mapped_column(sa.JSON, default="full")
    status: Mapped[str] = mapped_column(sa.String(16), default="open")
    profile: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)  # the stored snapshot once finalized
    # What pages across many teams read, copied from `result` at finalize (engine.serialize.summary_of),
    # so an organisation page never parses whole snapshots: the overall score (sparklines) and
    # {"level", "dimensions": {id: score or status}, "below": [practices asked, applicable, below 3]}
    overall_score: Mapped[float | None] = mapped_column(sa.Float)
    summary: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    finalized_at: Mapped[datetime | None]
    finalized_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    # workshops: the short code participants join with, until it expires, and the dimension
    # the facilitator has opened (participants answer one dimension at a time)
    join_code: Mapped[str | None] = mapped_column(sa.String(12), unique=True)
    join_expires_at: Mapped[datetime | None]
    open_dimension: Mapped[str | None] = mapped_column(sa.String(80))

    team: Mapped[Team] = relationship()
    snapshot: Mapped[CatalogSnapshot] = relationship()
    responses: Mapped[list[Response]] = relationship(back_populates="assessment", cascade="all, delete-orphan")
    consensus: Mapped[list[Consensus]] = relationship(back_populates="assessment", cascade="all, delete-orphan")
    metric_answers: Mapped[list[MetricAnswer]] = relationship(back_populates="assessment", cascade="all, delete-orphan")


class Response(db.Model):
    """One respondent's answers: a user, or an anonymous workshop participant (cookie token)."""

    __tablename__ = "response"
    __table_args__ = (sa.UniqueConstraint("assessment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    participant_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(sa.String(80))
    role: Mapped[str] = mapped_column(sa.String(16), default="other")
    submitted_at: Mapped[datetime | None]
    removed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)

    assessment: Mapped[Assessment] = relationship(back_populates="responses")
    user: Mapped[User | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(back_populates="response", cascade="all, delete-orphan")


class Answer(db.Model):
    __tablename__ = "answer"
    __table_args__ = (
        sa.UniqueConstraint("response_id", "practice_id"),
        sa.CheckConstraint("value in ('0', '1', '2', '3', 'na', 'unknown')", name="value"),
        sa.CheckConstraint("evidence is null or evidence in ('claimed', 'shown', 'verified')", name="evidence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("response.id", ondelete="CASCADE"), index=True)
    practice_id: Mapped[str] = mapped_column(sa.String(80))
    value: Mapped[str] = mapped_column(sa.String(8))
    comment: Mapped[str | None] = mapped_column(sa.Text)
    evidence: Mapped[str | None] = mapped_column(sa.String(16))
    carried_over: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    response: Mapped[Response] = relationship(back_populates="answers")


class Consensus(db.Model):
    """The answer a facilitator recorded for the group; `version` guards concurrent edits."""

    __tablename__ = "consensus"
    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "practice_id"),
        sa.CheckConstraint("value in ('0', '1', '2', '3', 'na')", name="value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    practice_id: Mapped[str] = mapped_column(sa.String(80))
    value: Mapped[str] = mapped_column(sa.String(8))
    note: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    assessment: Mapped[Assessment] = relationship(back_populates="consensus")

    __mapper_args__ = {"version_id_col": version}


class MetricAnswer(db.Model):
    """The team's answer to one delivery-outcome question (a band id, a percentage, or unknown)."""

    __tablename__ = "metric_answer"
    __table_args__ = (sa.UniqueConstraint("assessment_id", "metric_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    metric_id: Mapped[str] = mapped_column(sa.String(60))
    value: Mapped[str] = mapped_column(sa.String(30))
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    assessment: Mapped[Assessment] = relationship(back_populates="metric_answers")
