"""The sharing-request lifecycle as ONE table: ``(state, action) -> (next state, parties allowed)``.

::

    requested ─accept(owner)──────────▶ accepted ─activate(system)─▶ active ─terminate(either)─▶ terminated
      │  │  └─counter(owner)─▶ countered ─accept_counter(requester)─▶ accepted   │  └─expire(system)─▶ expired
      │  └─reject(owner)─▶ rejected      └─reject_counter(requester)─▶ rejected  │
      └─withdraw(requester)─▶ withdrawn   accepted ─refer(system)─▶ regulator_review
                                          regulator_review ─approve(regulator)─▶ active
                                          regulator_review ─refuse(regulator)──▶ rejected
    escalate(requester) ─▶ disputed, from: requested once the owner is overdue; rejected when the owner
                            rejected and it was never disputed; regulator_review once the regulator is overdue
    disputed ─uphold(regulator)─▶ rejected (final)     disputed ─order_acceptance(regulator)─▶ active

Parties are relations between the caller and one request: the *requester* is an operator user
of the requesting organisation, the *owner* an operator user of the asset's owner organisation,
the *regulator* a regulator whose jurisdiction (descendants included) contains the asset's
region, *system* the service itself (the step after acceptance, expiry).

``accepted`` is entered when the owner accepts (or the requester accepts a counter); in the
same unit of work the system either refers it to ``regulator_review`` (an approval rule
matches) or activates it. Both steps are rows of this table and entries in the event log.

Capacity (see ``capacity_effect``): units are reserved on entering ``accepted`` or ``active``
unless already held, held through ``regulator_review`` and ``disputed``, and released on
entering any final state (``rejected``, ``withdrawn``, ``terminated``, ``expired``).
"""

from __future__ import annotations

import enum
from datetime import datetime

from infrashare.agreements.models import RequestStatus, SharingRequest
from infrashare.core.lifecycle import Guard, Lifecycle, Rule


class RequestAction(enum.StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    COUNTER = "counter"
    WITHDRAW = "withdraw"
    ACCEPT_COUNTER = "accept_counter"
    REJECT_COUNTER = "reject_counter"
    REFER = "refer"
    ACTIVATE = "activate"
    APPROVE = "approve"
    REFUSE = "refuse"
    ESCALATE = "escalate"
    UPHOLD = "uphold"
    ORDER_ACCEPTANCE = "order_acceptance"
    TERMINATE = "terminate"
    EXPIRE = "expire"


class Party(enum.StrEnum):
    REQUESTER = "requester"
    OWNER = "owner"
    REGULATOR = "regulator"
    SYSTEM = "system"


RequestRule = Rule[RequestStatus, Party, SharingRequest]


def _owner_overdue(request: SharingRequest, now: datetime) -> bool:
    return now > request.owner_due_at


def _review_overdue(request: SharingRequest, now: datetime) -> bool:
    return request.review_due_at is not None and now > request.review_due_at


def _owner_rejection_never_disputed(request: SharingRequest, now: datetime) -> bool:
    return request.rejected_by == Party.OWNER.value and request.disputed_at is None


OWNER_OVERDUE = Guard("the owner's answer is overdue", _owner_overdue)
REVIEW_OVERDUE = Guard("the regulator's review is overdue", _review_overdue)
OWNER_REJECTION = Guard("the owner rejected it and it was never disputed", _owner_rejection_never_disputed)


S, A, P = RequestStatus, RequestAction, Party

TRANSITIONS: dict[tuple[RequestStatus, RequestAction], RequestRule] = {
    (S.REQUESTED, A.ACCEPT): Rule(S.ACCEPTED, P.OWNER),
    (S.REQUESTED, A.REJECT): Rule(S.REJECTED, P.OWNER, needs_reason=True),
    (S.REQUESTED, A.COUNTER): Rule(S.COUNTERED, P.OWNER),
    (S.REQUESTED, A.WITHDRAW): Rule(S.WITHDRAWN, P.REQUESTER),
    (S.REQUESTED, A.ESCALATE): Rule(S.DISPUTED, P.REQUESTER, needs_reason=True, guard=OWNER_OVERDUE),
    (S.COUNTERED, A.ACCEPT_COUNTER): Rule(S.ACCEPTED, P.REQUESTER),
    (S.COUNTERED, A.REJECT_COUNTER): Rule(S.REJECTED, P.REQUESTER),
    (S.ACCEPTED, A.REFER): Rule(S.REGULATOR_REVIEW, P.SYSTEM),
    (S.ACCEPTED, A.ACTIVATE): Rule(S.ACTIVE, P.SYSTEM),
    (S.REGULATOR_REVIEW, A.APPROVE): Rule(S.ACTIVE, P.REGULATOR),
    (S.REGULATOR_REVIEW, A.REFUSE): Rule(S.REJECTED, P.REGULATOR, needs_reason=True),
    (S.REGULATOR_REVIEW, A.ESCALATE): Rule(S.DISPUTED, P.REQUESTER, needs_reason=True, guard=REVIEW_OVERDUE),
    (S.REJECTED, A.ESCALATE): Rule(S.DISPUTED, P.REQUESTER, needs_reason=True, guard=OWNER_REJECTION),
    (S.DISPUTED, A.UPHOLD): Rule(S.REJECTED, P.REGULATOR, needs_reason=True),
    (S.DISPUTED, A.ORDER_ACCEPTANCE): Rule(S.ACTIVE, P.REGULATOR, needs_reason=True),
    (S.ACTIVE, A.TERMINATE): Rule(S.TERMINATED, P.REQUESTER, P.OWNER, needs_reason=True),
    (S.ACTIVE, A.EXPIRE): Rule(S.EXPIRED, P.SYSTEM),
}
LIFECYCLE: Lifecycle[RequestStatus, RequestAction, Party, SharingRequest] = Lifecycle(
    "sharing request", TRANSITIONS, short_noun="request"
)

FINAL = frozenset({S.REJECTED, S.WITHDRAWN, S.TERMINATED, S.EXPIRED})
# Entering these states needs the units held (reserved now unless already held).
HOLDS_CAPACITY = frozenset({S.ACCEPTED, S.ACTIVE})
# Entering these states releases whatever is held.
RELEASES_CAPACITY = FINAL
# States in which the request is an agreement (for the document and the webhook event name).
AGREEMENT_STATES = frozenset({S.ACTIVE, S.TERMINATED, S.EXPIRED})
# Who must act next, for overdue flags: the owner's answer, the regulator's review or decision.
OWNER_ANSWER_STATES = frozenset({S.REQUESTED})
REGULATOR_STATES = frozenset({S.REGULATOR_REVIEW, S.DISPUTED})


def capacity_effect(request: SharingRequest, to: RequestStatus) -> str | None:
    """``reserve``, ``release`` or None for the move of ``request`` into ``to``."""
    if to in HOLDS_CAPACITY and request.reserved_units == 0:
        return "reserve"
    if to in RELEASES_CAPACITY and request.reserved_units > 0:
        return "release"
    return None
