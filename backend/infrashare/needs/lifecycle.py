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

from infrashare.core.lifecycle import IllegalTransition, Lifecycle, Rule
from infrashare.needs.models import Need, NeedStatus


class NeedAction(enum.StrEnum):
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


NeedRule = Rule[NeedStatus, Party, Need]


S, A, P = NeedStatus, NeedAction, Party

TRANSITIONS: dict[tuple[NeedStatus, NeedAction], NeedRule] = {
    (S.DRAFT, A.EDIT): Rule(S.DRAFT, P.REQUESTER),
    (S.DRAFT, A.SUBMIT): Rule(S.SUBMITTED, P.REQUESTER),
    (S.DRAFT, A.WITHDRAW): Rule(S.WITHDRAWN, P.REQUESTER),
    (S.DRAFT, A.EXPIRE): Rule(S.EXPIRED, P.SYSTEM),
    (S.SUBMITTED, A.PUBLISH): Rule(S.PUBLISHED, P.REVIEWER),
    (S.SUBMITTED, A.RETURN): Rule(S.RETURNED, P.REVIEWER, needs_reason=True),
    (S.SUBMITTED, A.WITHDRAW): Rule(S.WITHDRAWN, P.REQUESTER),
    (S.SUBMITTED, A.EXPIRE): Rule(S.EXPIRED, P.SYSTEM),
    (S.RETURNED, A.EDIT): Rule(S.RETURNED, P.REQUESTER),
    (S.RETURNED, A.RESUBMIT): Rule(S.SUBMITTED, P.REQUESTER),
    (S.RETURNED, A.WITHDRAW): Rule(S.WITHDRAWN, P.REQUESTER),
    (S.RETURNED, A.EXPIRE): Rule(S.EXPIRED, P.SYSTEM),
    (S.PUBLISHED, A.MATCH): Rule(S.MATCHED, P.REQUESTER, P.SYSTEM),
    (S.PUBLISHED, A.WITHDRAW): Rule(S.WITHDRAWN, P.REQUESTER),
    (S.PUBLISHED, A.EXPIRE): Rule(S.EXPIRED, P.SYSTEM),
    # A matched need is in an agreement's hands: it is fulfilled or withdrawn, never expired.
    (S.MATCHED, A.FULFIL): Rule(S.FULFILLED, P.REQUESTER, P.SYSTEM),
    (S.MATCHED, A.WITHDRAW): Rule(S.WITHDRAWN, P.REQUESTER),
}
LIFECYCLE: Lifecycle[NeedStatus, NeedAction, Party, Need] = Lifecycle("need", TRANSITIONS)

FINAL = frozenset({S.FULFILLED, S.WITHDRAWN, S.EXPIRED})
EXPIRABLE = LIFECYCLE.states_allowing(A.EXPIRE)
EDITABLE = LIFECYCLE.states_allowing(A.EDIT)


def require_edit_since_return(need: Need, parties: frozenset[Party]) -> None:
    """A returned need is resubmitted only once edited: the reviewer's remark must be answered.

    Checked on resubmitting rather than as a guard of the table, so ``resubmit`` stays among a
    returned need's allowed actions before the edit (the web UI saves the edit, then resubmits)."""
    if need.status == S.RETURNED and not need.edited_since_return:
        raise IllegalTransition(
            "Edit the returned need to answer the reviewer before resubmitting it.",
            current_status=need.status.value,
            action=A.RESUBMIT.value,
            allowed_actions=[a.value for a in LIFECYCLE.allowed_actions(need, parties) if a != A.RESUBMIT],
        )
