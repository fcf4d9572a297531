"""Sharing requests (which become agreements), their remarks, regulator-approval rules, notifications.

One row per request for its whole life: ``requested`` … ``active`` (then it *is* the agreement)
… ``terminated`` / ``expired``. The row holds the current terms; every change of state or terms
is in the hash-chained event log with before/after snapshots, and every human reason is its own
``SharingRequestRemark`` row. ``reserved_units`` is what the request holds of the asset's free
capacity right now (0 or ``units``), so releasing is decided by data, never by guessing the path.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from infrashare.assets.models import AssetKind
from infrashare.core.db import Base, Timestamps, UUIDPrimaryKey


class RequestStatus(enum.StrEnum):
    REQUESTED = "requested"
    COUNTERED = "countered"
    ACCEPTED = "accepted"
    REGULATOR_REVIEW = "regulator_review"
    ACTIVE = "active"
    DISPUTED = "disputed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    TERMINATED = "terminated"
    EXPIRED = "expired"


class RejectionReason(enum.StrEnum):
    """Why an owner rejects a request (always with free text beside it)."""

    NO_CAPACITY = "no_capacity"
    TECHNICAL = "technical_incompatibility"
    SAFETY = "safety"
    OWN_USE_PLANNED = "own_use_planned"
    TERMS_UNACCEPTABLE = "terms_unacceptable"
    TERM_UNACCEPTABLE = "term_unacceptable"
    REGULATORY = "regulatory"
    OTHER = "other"


class NotificationEvent(enum.StrEnum):
    """What a notification tells: a request was made (``created``) or an action of the request's
    workflow was taken on it (``sharing_request.<RequestAction>``, the event-log name of that move),
    or an asset could serve a published need (``match.new``). Clients word each one themselves."""

    CREATED = "sharing_request.created"
    ACCEPT = "sharing_request.accept"
    REJECT = "sharing_request.reject"
    COUNTER = "sharing_request.counter"
    WITHDRAW = "sharing_request.withdraw"
    ACCEPT_COUNTER = "sharing_request.accept_counter"
    REJECT_COUNTER = "sharing_request.reject_counter"
    REFER = "sharing_request.refer"
    ACTIVATE = "sharing_request.activate"
    APPROVE = "sharing_request.approve"
    REFUSE = "sharing_request.refuse"
    ESCALATE = "sharing_request.escalate"
    UPHOLD = "sharing_request.uphold"
    ORDER_ACCEPTANCE = "sharing_request.order_acceptance"
    TERMINATE = "sharing_request.terminate"
    EXPIRE = "sharing_request.expire"
    MATCH_NEW = "match.new"


class SharingRequest(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "sharing_requests"

    requester_organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    owner_organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    asset_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assets.id"), index=True)
    need_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("needs.id"), index=True)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The current terms (the requester's proposal, or the owner's counter once countered).
    units: Mapped[int]
    start_date: Mapped[date]
    end_date: Mapped[date] = mapped_column(index=True)
    terms: Mapped[str] = mapped_column(Text, default="")
    annual_fee_cny: Mapped[int | None]
    # Units of the asset's free capacity this request holds now: 0, or ``units``.
    reserved_units: Mapped[int] = mapped_column(default=0)

    status: Mapped[RequestStatus] = mapped_column(index=True)
    status_changed_at: Mapped[datetime]
    owner_due_at: Mapped[datetime]
    review_due_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    countered_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    referred_at: Mapped[datetime | None]
    activated_at: Mapped[datetime | None]
    disputed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Who rejected (owner, requester of a counter, regulator): only an owner's rejection may be disputed.
    rejected_by: Mapped[str | None] = mapped_column(String(16))
    notice_date: Mapped[date | None]
    review_rule_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("approval_rules.id"))
    last_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("units >= 1", name="units_positive"),
        CheckConstraint("end_date > start_date", name="term_ordered"),
        CheckConstraint("reserved_units = 0 OR reserved_units = units", name="reserved_all_or_nothing"),
        Index("ix_sharing_requests_status_due", "status", "owner_due_at"),
    )


class SharingRequestRemark(UUIDPrimaryKey, Base):
    """A human reason given with a transition (rejection, refusal, dispute…), on the timeline."""

    __tablename__ = "sharing_request_remarks"

    request_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sharing_requests.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[RequestStatus]
    to_status: Mapped[RequestStatus]
    reason_code: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    author_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[datetime]


class ApprovalRule(UUIDPrimaryKey, Timestamps, Base):
    """When an accepted request needs a regulator's approval. Every given condition must hold.

    ``region_code`` covers its descendant regions; ``asset_kind`` None means any kind;
    ``min_units`` None means any number; ``co_build_only`` limits the rule to requests linked
    to a ``co_build`` need.
    """

    __tablename__ = "approval_rules"

    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    asset_kind: Mapped[AssetKind | None]
    min_units: Mapped[int | None]
    co_build_only: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str] = mapped_column(String(300), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_by_organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))


class Notification(UUIDPrimaryKey, Base):
    """In-app news for an organisation: a request it is party to changed, or an asset could
    serve one of its published needs (``match.new``, naming the need and the asset).

    It stores data, not a sentence: the event (a :class:`NotificationEvent`) and its parameters
    (their shapes are the ``*NotificationParams`` of agreements/schemas.py); the web UI words them
    in the reader's language from its locale files."""

    __tablename__ = "notifications"

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    request_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("sharing_requests.id", ondelete="CASCADE"), index=True
    )
    need_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"))
    asset_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[RequestStatus | None]
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_notifications_unread", "organisation_id", "read_at"),)
