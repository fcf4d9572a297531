"""One lifecycle engine: a workflow is a table of rules, and this decides and applies its moves.

A feature writes its table in ``<feature>/lifecycle.py``: ``(state, action) -> Rule`` — the next
state, the parties who may act (relations between the caller and one object, such as requester,
owner, reviewer or system, not bare roles), whether a human reason is required, and an optional
``Guard`` (a condition on the object beyond its state, such as a deadline, named in the 409).

``Lifecycle.decide`` answers one move: its rule, or 409 ``illegal-transition`` naming the
current status and the actions the caller may take now when the state (or a guard) forbids it,
or 403 when the state allows it but the caller is not one of its parties.
``Lifecycle.allowed_actions`` is what a caller may do now, in the table's order.

A move is applied in two steps around the feature's own effects (``<feature>/workflow.py``):
``Workflow.begin`` decides, checks the reason (422 on ``reason`` when one is required and
missing) and snapshots the object; the feature then changes it (milestone times, capacity);
``Workflow.finish`` enters the new state, keeps the reason as a remark row, flushes (a stale
version is 409 ``changed-meanwhile``) and appends the event to the log.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar, cast

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from infrashare.audit.service import record_event
from infrashare.core.errors import Conflict, FieldError, InvalidInput, PermissionDenied
from infrashare.core.principal import SYSTEM, Actor

StateT = TypeVar("StateT", bound=enum.StrEnum)


class Stateful(Protocol[StateT]):
    """An object with a lifecycle: its id (for the event log), its state and when that last changed."""

    @property
    def id(self) -> uuid.UUID: ...

    status: StateT
    status_changed_at: datetime


class Author(Protocol):
    """Who makes a move (a ``Principal``); None in its place is the system."""

    @property
    def user_id(self) -> uuid.UUID | None: ...

    @property
    def organisation_id(self) -> uuid.UUID: ...

    @property
    def actor(self) -> Actor: ...


S = TypeVar("S", bound=enum.StrEnum)
A = TypeVar("A", bound=enum.StrEnum)
P = TypeVar("P", bound=enum.StrEnum)
T = TypeVar("T")
"""The kind of object a lifecycle is of: a ``Stateful`` (not a bound, as mypy cannot check a
mapped class against a protocol in a type argument; ``_stateful`` reads it as one)."""


def _stateful(subject: object) -> Stateful[Any]:
    return cast("Stateful[Any]", subject)


class IllegalTransition(Conflict):
    """The action does not apply to the object now; the problem lists what does."""

    slug, title = "illegal-transition", "Not possible in this state"


class ChangedMeanwhile(Conflict):
    """Someone else changed the object between reading and writing it (its version moved on)."""

    slug, title = "changed-meanwhile", "Changed by someone else"


@dataclass(frozen=True)
class Guard(Generic[T]):
    """A condition on the object beyond its state (deadlines, who did what); named for the 409."""

    name: str
    holds: Callable[[T, datetime], bool]


@dataclass(frozen=True, init=False)
class Rule(Generic[S, P, T]):
    """The move's next state ``to`` and the ``parties`` who may make it, as in
    ``Rule(S.ACTIVE, Party.REQUESTER, Party.OWNER, needs_reason=True)``."""

    to: S
    parties: frozenset[P]
    needs_reason: bool
    guard: Guard[T] | None

    def __init__(self, to: S, *parties: P, needs_reason: bool = False, guard: Guard[T] | None = None) -> None:
        if not parties:
            raise ValueError("a rule names at least one party who may make the move")
        object.__setattr__(self, "to", to)
        object.__setattr__(self, "parties", frozenset(parties))
        object.__setattr__(self, "needs_reason", needs_reason)
        object.__setattr__(self, "guard", guard)


class Lifecycle(Generic[S, A, P, T]):
    """A table of rules for objects of one kind, called ``noun`` in messages (``short_noun``
    after "this", as in "Only the owner may accept this request")."""

    def __init__(
        self, noun: str, table: Mapping[tuple[S, A], Rule[S, P, T]], *, short_noun: str = ""
    ) -> None:
        self.noun = noun
        self.short_noun = short_noun or noun
        self.table = dict(table)

    def states_allowing(self, action: A) -> frozenset[S]:
        """The states in which ``action`` is a rule of the table (whoever may take it)."""
        return frozenset(state for (state, candidate) in self.table if candidate == action)

    def allowed_actions(self, subject: T, parties: frozenset[P], now: datetime | None = None) -> list[A]:
        """What these parties may do with ``subject`` now, in the table's order."""
        state = _stateful(subject).status
        return [
            action
            for (source, action), rule in self.table.items()
            if source == state and rule.parties & parties and _guard_holds(rule, subject, now)
        ]

    def decide(
        self, subject: T, action: A, parties: frozenset[P], now: datetime | None = None
    ) -> Rule[S, P, T]:
        """The rule for this move, or the typed error: 409 when the state (or a guard) forbids it,
        403 when the caller is not a party allowed to make it."""
        state: S = _stateful(subject).status
        rule = self.table.get((state, action))
        if rule is None or not _guard_holds(rule, subject, now):
            why = f" ({rule.guard.name} is not the case)" if rule and rule.guard else ""
            raise IllegalTransition(
                f"Cannot {action.value} a {self.noun} that is {state.value}{why}.",
                current_status=state.value,
                action=action.value,
                allowed_actions=[a.value for a in self.allowed_actions(subject, parties, now)],
            )
        if not rule.parties & parties:
            who = " or ".join(sorted(p.value for p in rule.parties))
            raise PermissionDenied(
                f"Only the {who} may {action.value} this {self.short_noun}.", action=action.value
            )
        return rule


def _guard_holds(rule: Rule[Any, Any, T], subject: T, now: datetime | None) -> bool:
    if rule.guard is None:
        return True
    if now is None:
        raise ValueError(f"the guard '{rule.guard.name}' needs the time: pass now")
    return rule.guard.holds(subject, now)


@dataclass(frozen=True)
class Move(Generic[S, A, P]):
    """A move under way, as ``Workflow.begin`` decided it, for the feature's effects and ``finish``."""

    action: A
    rule: Rule[S, P, Any]
    party: P
    """The party the caller acts as: of the rule's parties the caller is, the first by name."""
    came_from: S
    reason: str | None
    reason_code: str | None
    before: dict[str, Any]
    now: datetime

    @property
    def to(self) -> S:
        return self.rule.to

    @property
    def event_reason(self) -> str | None:
        """The reason as the event log keeps it: prefixed with its code when there is one."""
        if self.reason_code and self.reason:
            return f"[{self.reason_code}] {self.reason}"
        return self.reason

    def remark_columns(self, author: Author | None) -> dict[str, Any]:
        """The columns every remark row has (the feature adds its object's key)."""
        return {
            "action": self.action.value,
            "from_status": self.came_from,
            "to_status": self.to,
            "text": self.reason,
            "author_user_id": author.user_id if author else None,
            "author_organisation_id": author.organisation_id if author else None,
            "created_at": self.now,
        }


class Workflow(Generic[S, A, P, T]):
    """Applies one lifecycle's moves and records them: each as ``object_type`` events named by
    ``event_name``, with ``snapshot`` before and after, and the reason as a ``remark`` row."""

    def __init__(
        self,
        lifecycle: Lifecycle[S, A, P, T],
        *,
        object_type: str,
        event_name: Callable[[A], str],
        snapshot: Callable[[T], dict[str, Any]],
        remark: Callable[[T, Move[S, A, P], Author | None], object],
    ) -> None:
        self.lifecycle = lifecycle
        self.object_type = object_type
        self.event_name = event_name
        self.snapshot = snapshot
        self.remark = remark

    def begin(
        self,
        subject: T,
        action: A,
        parties: frozenset[P],
        now: datetime,
        *,
        reason: str | None = None,
        reason_code: str | None = None,
    ) -> Move[S, A, P]:
        """Decides the move (409 / 403), checks its reason (422) and snapshots ``subject``."""
        rule = self.lifecycle.decide(subject, action, parties, now)
        reason = (reason or "").strip() or None
        if rule.needs_reason and reason is None:
            raise InvalidInput(
                f"A reason is required to {action.value} a {self.lifecycle.noun}.",
                errors=[FieldError("reason", "required")],
            )
        party = sorted(rule.parties & parties)[0]
        came_from: S = _stateful(subject).status
        return Move(action, rule, party, came_from, reason, reason_code, self.snapshot(subject), now)

    async def finish(self, db: AsyncSession, author: Author | None, subject: T, move: Move[S, A, P]) -> None:
        """Enters the new state, keeps the reason as a remark, flushes and records the event."""
        stateful = _stateful(subject)
        stateful.status, stateful.status_changed_at = move.to, move.now
        if move.reason:
            db.add(self.remark(subject, move, author))
        try:
            await db.flush()
        except StaleDataError as exc:
            noun = self.lifecycle.short_noun
            raise ChangedMeanwhile(f"The {noun} was changed meanwhile; reload and retry.") from exc
        await record_event(
            db,
            author.actor if author else SYSTEM,
            self.event_name(move.action),
            self.object_type,
            stateful.id,
            before=move.before,
            after=self.snapshot(subject),
            reason=move.event_reason,
        )
