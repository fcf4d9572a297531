"""Every model in one import, for Alembic and the schema-drift test."""

from infrashare.accounts.models import JurisdictionRegion, Membership, Organisation, User, WebSession
from infrashare.audit.models import Event, EventChainHead
from infrashare.core.db import Base
from infrashare.needs.models import Need, NeedKind, NeedRemark
from infrashare.regions.models import Region

__all__ = [
    "Base",
    "Event",
    "EventChainHead",
    "JurisdictionRegion",
    "Membership",
    "Need",
    "NeedKind",
    "NeedRemark",
    "Organisation",
    "Region",
    "User",
    "WebSession",
]
