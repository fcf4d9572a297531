"""Every model in one import, for Alembic and the schema-drift test."""

from infrashare.accounts.models import JurisdictionRegion, Membership, Organisation, User, WebSession
from infrashare.agreements.models import ApprovalRule, Notification, SharingRequest, SharingRequestRemark
from infrashare.assets.models import Asset, AssetImportJob
from infrashare.audit.models import Event, EventChainHead
from infrashare.core.db import Base
from infrashare.core.outbox import OutboxMessage
from infrashare.core.ratelimit import RateCounter
from infrashare.demo.models import DemoSeedRun
from infrashare.matching.models import MatchNotice
from infrashare.needs.models import Need, NeedKind, NeedRemark
from infrashare.oauth.models import DPoPProofSeen, OAuthAuthorizationCode, OAuthClient, OAuthToken, SigningKey
from infrashare.regions.models import Region
from infrashare.webhooks.models import WebhookDelivery, WebhookSubscription

__all__ = [
    "ApprovalRule",
    "Asset",
    "AssetImportJob",
    "Base",
    "DPoPProofSeen",
    "DemoSeedRun",
    "Event",
    "EventChainHead",
    "JurisdictionRegion",
    "MatchNotice",
    "Membership",
    "Need",
    "NeedKind",
    "NeedRemark",
    "Notification",
    "OAuthAuthorizationCode",
    "OAuthClient",
    "OAuthToken",
    "Organisation",
    "OutboxMessage",
    "RateCounter",
    "Region",
    "SharingRequest",
    "SharingRequestRemark",
    "SigningKey",
    "User",
    "WebSession",
    "WebhookDelivery",
    "WebhookSubscription",
]
