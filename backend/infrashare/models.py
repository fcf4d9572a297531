"""Every model in one import, for Alembic and the schema-drift test."""

from infrashare.accounts.models import JurisdictionRegion, Membership, Organisation, User, WebSession
from infrashare.assets.models import Asset, AssetImportJob
from infrashare.audit.models import Event, EventChainHead
from infrashare.core.db import Base
from infrashare.core.outbox import OutboxMessage
from infrashare.needs.models import Need, NeedKind, NeedRemark
from infrashare.oauth.models import OAuthAuthorizationCode, OAuthClient, OAuthToken, SigningKey
from infrashare.regions.models import Region
from infrashare.webhooks.models import WebhookDelivery, WebhookSubscription

__all__ = [
    "Asset",
    "AssetImportJob",
    "Base",
    "Event",
    "EventChainHead",
    "JurisdictionRegion",
    "Membership",
    "Need",
    "NeedKind",
    "NeedRemark",
    "OAuthAuthorizationCode",
    "OAuthClient",
    "OAuthToken",
    "Organisation",
    "OutboxMessage",
    "Region",
    "SigningKey",
    "User",
    "WebSession",
    "WebhookDelivery",
    "WebhookSubscription",
]
