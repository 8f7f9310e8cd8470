"""Every database model, importable from one place (migrations and services use this)."""

from .accounts import Invitation, Membership, Organisation, User
from .assessments import Answer, Assessment, Consensus, MetricAnswer, Response
from .audit import AuditEntry
from .catalogs import CatalogSnapshot
from .teams import Team, TeamMember, Unit

__all__ = [
    "Answer",
    "Assessment",
    "AuditEntry",
    "CatalogSnapshot",
    "Consensus",
    "Invitation",
    "Membership",
    "MetricAnswer",
    "Organisation",
    "Response",
    "Team",
    "TeamMember",
    "Unit",
    "User",
]
