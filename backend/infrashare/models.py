"""Every model in one import, for Alembic and the schema-drift test."""

from infrashare.accounts.models import JurisdictionRegion, Membership, Organisation, User, WebSession
from infrashare.assets.models import Asset, AssetImportJob
from infrashare.audit.models import Event, EventChainHead
from infrashare.core.db import Base
from infrashare.regions.models import Region

__all__ = [
    "Asset",
    "AssetImportJob",
    "Base",
    "Event",
    "EventChainHead",
    "JurisdictionRegion",
    "Membership",
    "Organisation",
    "Region",
    "User",
    "WebSession",
]
