"""Catalog versions stored as immutable snapshots (content and hash), pinned by assessments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db


class CatalogSnapshot(db.Model):
    __tablename__ = "catalog_snapshot"
    __table_args__ = (sa.UniqueConstraint("catalog_id", "version", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    catalog_id: Mapped[str] = mapped_column(sa.String(60), index=True)
    version: Mapped[str] = mapped_column(sa.String(30))
    content_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # Loaded only when read: the parsed catalog is cached by content_hash (services.catalogs), so
    # most requests need the hash alone, not half a megabyte of JSON to decode.
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
