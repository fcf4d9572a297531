"""The need lifecycle as one table: ``(state, action) -> (next state, parties allowed)``.

``draft → submitted → published | returned``, ``returned → submitted`` after edits,
``published → matched → fulfilled``, ``withdrawn`` by the requester, ``expired`` by the system
when the needed-by date passes. ``edit`` is in the table too (a self-transition), so who may
change a need's fields while in which state is decided in the same place.

Parties are relations between the caller and one need, not bare roles: the *requester* is an
operator user of the requesting organisation, the *reviewer* a regulator whose jurisdiction
(descendant regions included) contains the need's region, *system* the scheduler (expiry, and
the agreements feature when it marks needs matched or fulfilled).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from infrashare.core.errors import Conflict, PermissionDenied
from infrashare.needs.models import NeedStatus


class Action(enum.StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    RESUBMIT = "resubmit"
    PUBLISH = "publish"
    RETURN = "return"
    WITHDRAW = "withdraw"
    MATCH = "match"
    FULFIL = "fulfil"
    EXPIRE = "expire"


class Party(enum.StrEnum):
    REQUESTER = "requester"
    REVIEWER = "reviewer"
    SYSTEM = "system"


@dataclass(frozen=True)
class Rule:
    to: NeedStatus
    parties: frozenset[Party]
    needs_reason: bool = False


S = NeedStatus
REQUESTER = frozenset({Party.REQUESTER})
REVIEWER = frozenset({Party.REVIEWER})
SYSTEM = frozenset({Party.SYSTEM})
REQUESTER_OR_SYSTEM = frozenset({Party.REQUESTER, Party.SYSTEM})

TRANSITIONS: dict[tuple[NeedStatus, Action], Rule] = {
    (S.DRAFT, Action.EDIT): Rule(S.DRAFT, REQUESTER),
    (S.DRAFT, Action.SUBMIT): Rule(S.SUBMITTED, REQUESTER),
    (S.DRAFT, Action.WITHDRAW): Rule(S.WITHDRAWN, REQUESTER),
    (S.DRAFT, Action.EXPIRE): Rule(S.EXPIRED, SYSTEM),
    (S.SUBMITTED, Action.PUBLISH): Rule(S.PUBLISHED, REVIEWER),
    (S.SUBMITTED, Action.RETURN): Rule(S.RETURNED, REVIEWER, needs_reason=True),
    (S.SUBMITTED, Action.WITHDRAW): Rule(S.WITHDRAWN, REQUESTER),
    (S.SUBMITTED, Action.EXPIRE): Rule(S.EXPIRED, SYSTEM),
    (S.RETURNED, Action.EDIT): Rule(S.RETURNED, REQUESTER),
    (S.RETURNED, Action.RESUBMIT): Rule(S.SUBMITTED, REQUESTER),
    (S.RETURNED, Action.WITHDRAW): Rule(S.WITHDRAWN, REQUESTER),
    (S.RETURNED, Action.EXPIRE): Rule(S.EXPIRED, SYSTEM),
    (S.PUBLISHED, Action.MATCH): Rule(S.MATCHED, REQUESTER_OR_SYSTEM),
    (S.PUBLISHED, Action.WITHDRAW): Rule(S.WITHDRAWN, REQUESTER),
    (S.PUBLISHED, Action.EXPIRE): Rule(S.EXPIRED, SYSTEM),
    # A matched need is in an agreement's hands: it is fulfilled or withdrawn, never expired.
    (S.MATCHED, Action.FULFIL): Rule(S.FULFILLED, REQUESTER_OR_SYSTEM),
    (S.MATCHED, Action.WITHDRAW): Rule(S.WITHDRAWN, REQUESTER),
}

FINAL = frozenset({S.FULFILLED, S.WITHDRAWN, S.EXPIRED})
EXPIRABLE = frozenset(state for (state, action) in TRANSITIONS if action == Action.EXPIRE)
EDITABLE = frozenset(state for (state, action) in TRANSITIONS if action == Action.EDIT)


class IllegalTransition(Conflict):
    """The action does not apply to the need's current state; the problem lists what does."""

    slug, title = "illegal-transition", "Not possible in this state"


def allowed_actions(state: NeedStatus, parties: frozenset[Party]) -> list[Action]:
    """What these parties may do from this state, in the table's order."""
    return [
        action for (source, action), rule in TRANSITIONS.items() if source == state and rule.parties & parties
    ]


def decide(state: NeedStatus, action: Action, parties: frozenset[Party]) -> Rule:
    """The rule for this move, or the typed error: 409 when the state forbids it, 403 when the caller may not."""
    rule = TRANSITIONS.get((state, action))
    if rule is None:
        allowed = allowed_actions(state, parties)
        raise IllegalTransition(
            f"Cannot {action.value} a need that is {state.value}.",
            current_status=state.value,
            action=action.value,
            allowed_actions=[a.value for a in allowed],
        )
    if not rule.parties & parties:
        who = " or ".join(sorted(p.value for p in rule.parties))
        raise PermissionDenied(f"Only the {who} may {action.value} this need.", action=action.value)
    return rule
