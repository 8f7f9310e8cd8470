"""Every database model, importable from one place (migrations and services use this)."""

from .accounts import Invitation, Membership, Organisation, User
from .assessments import Answer, Assessment, Consensus, MetricAnswer, Response
from .audit import AuditEntry
from .catalogs import CatalogSnapshot
from .roadmaps import Roadmap, RoadmapItem
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
    "Roadmap",
    "RoadmapItem",
    "Team",
    "TeamMember",
    "Unit",
    "User",
]
