"""The lifecycle engine on a table of its own (a door), apart from any feature's rules:
decide (409 / 403 / guards), allowed actions, and applying a move (reason, remark, event log)."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from infrashare.audit.models import Event
from infrashare.core import lifecycle
from infrashare.core.errors import InvalidInput, PermissionDenied
from infrashare.core.lifecycle import (
    Author,
    ChangedMeanwhile,
    Guard,
    IllegalTransition,
    Lifecycle,
    Move,
    Rule,
    Workflow,
)
from infrashare.core.principal import SYSTEM, Actor

NOON = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class DoorState(enum.StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    LOCKED = "locked"


class DoorAction(enum.StrEnum):
    OPEN = "open"
    CLOSE = "close"
    LOCK = "lock"
    UNLOCK = "unlock"
    FORCE = "force"


class Who(enum.StrEnum):
    VISITOR = "visitor"
    KEEPER = "keeper"
    SYSTEM = "system"


@dataclass
class Door:
    status: DoorState
    locked_until: datetime = NOON
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    status_changed_at: datetime = NOON - timedelta(days=1)
    colour: str = "green"


S, A, W = DoorState, DoorAction, Who
HOLD_OVER: Guard[Door] = Guard("the lock's hold time is over", lambda door, now: now >= door.locked_until)
DOOR: Lifecycle[DoorState, DoorAction, Who, Door] = Lifecycle(
    "front door",
    {
        (S.CLOSED, A.OPEN): Rule(S.OPEN, W.KEEPER, W.VISITOR),
        (S.CLOSED, A.LOCK): Rule(S.LOCKED, W.KEEPER, needs_reason=True),
        (S.OPEN, A.CLOSE): Rule(S.CLOSED, W.KEEPER, W.VISITOR, W.SYSTEM),
        (S.LOCKED, A.UNLOCK): Rule(S.CLOSED, W.KEEPER, guard=HOLD_OVER),
        (S.LOCKED, A.FORCE): Rule(S.CLOSED, W.SYSTEM),
    },
    short_noun="door",
)
KEEPER, VISITOR, SYSTEM_PARTY = frozenset({W.KEEPER}), frozenset({W.VISITOR}), frozenset({W.SYSTEM})


# --- decide and allowed actions -------------------------------------------------------------


def test_decide_gives_the_rule_of_an_allowed_move() -> None:
    rule = DOOR.decide(Door(S.CLOSED), A.LOCK, KEEPER)
    assert rule.to == S.LOCKED and rule.parties == {W.KEEPER} and rule.needs_reason and rule.guard is None
    assert DOOR.decide(Door(S.OPEN), A.CLOSE, VISITOR).parties == {W.KEEPER, W.VISITOR, W.SYSTEM}


def test_a_rule_names_at_least_one_party() -> None:
    with pytest.raises(ValueError, match="at least one party"):
        Rule(S.OPEN)


def test_a_move_the_state_does_not_allow_is_a_409_naming_what_the_caller_may_do() -> None:
    with pytest.raises(IllegalTransition) as caught:
        DOOR.decide(Door(S.CLOSED), A.CLOSE, KEEPER)
    error = caught.value
    assert error.status == 409 and error.slug == "illegal-transition"
    assert error.detail == "Cannot close a front door that is closed."
    assert error.extra == {"current_status": "closed", "action": "close", "allowed_actions": ["open", "lock"]}


def test_a_move_the_caller_may_not_make_is_a_403_naming_who_may() -> None:
    with pytest.raises(PermissionDenied) as caught:
        DOOR.decide(Door(S.CLOSED), A.LOCK, VISITOR)
    assert caught.value.status == 403
    assert caught.value.detail == "Only the keeper may lock this door."
    assert caught.value.extra == {"action": "lock"}
    with pytest.raises(PermissionDenied) as caught:
        DOOR.decide(Door(S.OPEN), A.CLOSE, frozenset())
    assert caught.value.detail == "Only the keeper or system or visitor may close this door."


def test_the_state_is_checked_before_the_caller() -> None:
    """A visitor who may not lock at all still learns first that an open door cannot be locked."""
    with pytest.raises(IllegalTransition) as caught:
        DOOR.decide(Door(S.OPEN), A.LOCK, VISITOR)
    assert caught.value.extra["allowed_actions"] == ["close"]


def test_allowed_actions_follow_the_table_order_and_the_callers_parties() -> None:
    closed = Door(S.CLOSED)
    assert DOOR.allowed_actions(closed, KEEPER) == [A.OPEN, A.LOCK]
    assert DOOR.allowed_actions(closed, VISITOR) == [A.OPEN]
    assert DOOR.allowed_actions(closed, KEEPER | VISITOR) == [A.OPEN, A.LOCK]
    assert DOOR.allowed_actions(closed, frozenset()) == []
    assert DOOR.allowed_actions(Door(S.OPEN), SYSTEM_PARTY) == [A.CLOSE]
    assert DOOR.allowed_actions(Door(S.LOCKED), SYSTEM_PARTY) == [A.FORCE]


def test_a_guard_that_does_not_hold_hides_the_action_and_is_named_in_the_409() -> None:
    door = Door(S.LOCKED, locked_until=NOON)
    before_noon, after_noon = NOON - timedelta(seconds=1), NOON + timedelta(seconds=1)
    assert DOOR.allowed_actions(door, KEEPER, before_noon) == []
    with pytest.raises(IllegalTransition) as caught:
        DOOR.decide(door, A.UNLOCK, KEEPER, before_noon)
    assert caught.value.detail == (
        "Cannot unlock a front door that is locked (the lock's hold time is over is not the case)."
    )
    assert caught.value.extra["allowed_actions"] == []
    assert DOOR.allowed_actions(door, KEEPER, after_noon) == [A.UNLOCK]
    assert DOOR.decide(door, A.UNLOCK, KEEPER, after_noon).to == S.CLOSED


def test_a_guard_is_checked_before_the_caller() -> None:
    with pytest.raises(IllegalTransition):
        DOOR.decide(Door(S.LOCKED), A.UNLOCK, VISITOR, NOON - timedelta(hours=1))
    with pytest.raises(PermissionDenied):
        DOOR.decide(Door(S.LOCKED), A.UNLOCK, VISITOR, NOON + timedelta(hours=1))


def test_a_guarded_rule_cannot_be_decided_without_the_time() -> None:
    with pytest.raises(ValueError, match="hold time"):
        DOOR.allowed_actions(Door(S.LOCKED), KEEPER)
    # Unguarded rules need no time.
    assert DOOR.allowed_actions(Door(S.LOCKED), SYSTEM_PARTY) == [A.FORCE]


def test_states_allowing_an_action() -> None:
    assert DOOR.states_allowing(A.CLOSE) == {S.OPEN}
    assert DOOR.states_allowing(A.OPEN) == {S.CLOSED}


# --- applying a move ------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    user_id: uuid.UUID
    organisation_id: uuid.UUID

    @property
    def actor(self) -> Actor:
        return Actor(user_id=self.user_id, organisation_id=self.organisation_id)


@dataclass
class Remark:
    door_id: uuid.UUID
    reason_code: str | None
    columns: dict[str, Any]


def remark_of(door: Door, move: Move[DoorState, DoorAction, Who], author: Author | None) -> Remark:
    return Remark(door.id, move.reason_code, move.remark_columns(author))


def snapshot_of(door: Door) -> dict[str, Any]:
    return {"status": door.status.value, "colour": door.colour}


WORKFLOW: Workflow[DoorState, DoorAction, Who, Door] = Workflow(
    DOOR,
    object_type="door",
    event_name=lambda action: f"door.{action.value}",
    snapshot=snapshot_of,
    remark=remark_of,
)


class FakeSession:
    """What ``finish`` asks of a session besides the event log: add and flush."""

    def __init__(self, *, stale: bool = False) -> None:
        self.added: list[object] = []
        self.flushes = 0
        self.stale = stale

    def add(self, row: object) -> None:
        self.added.append(row)

    async def flush(self) -> None:
        self.flushes += 1
        if self.stale:
            raise StaleDataError("version moved on")


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    recorded: list[dict[str, Any]] = []

    async def record(
        db: object, actor: Actor, action: str, object_type: str, object_id: object, **rest: Any
    ) -> None:
        recorded.append(
            {"actor": actor, "action": action, "object_type": object_type, "object_id": object_id, **rest}
        )

    monkeypatch.setattr(lifecycle, "record_event", record)
    return recorded


def test_begin_requires_a_reason_where_the_rule_does() -> None:
    for reason in (None, "", "   "):
        with pytest.raises(InvalidInput) as caught:
            WORKFLOW.begin(Door(S.CLOSED), A.LOCK, KEEPER, NOON, reason=reason)
        assert caught.value.status == 422
        assert caught.value.detail == "A reason is required to lock a front door."
        assert [(e.field, e.message) for e in caught.value.errors] == [("reason", "required")]


def test_begin_decides_first_then_checks_the_reason() -> None:
    with pytest.raises(PermissionDenied):
        WORKFLOW.begin(Door(S.CLOSED), A.LOCK, VISITOR, NOON)


def test_begin_keeps_the_state_the_reason_and_a_snapshot_from_before_any_change() -> None:
    door = Door(S.CLOSED)
    move = WORKFLOW.begin(door, A.LOCK, KEEPER, NOON, reason="  storm coming  ", reason_code="weather")
    door.colour = "red"  # the feature's own changes come after begin
    assert move.came_from == S.CLOSED and move.to == S.LOCKED and move.action == A.LOCK
    assert move.reason == "storm coming" and move.reason_code == "weather"
    assert move.before == {"status": "closed", "colour": "green"}
    assert move.now == NOON and door.status == S.CLOSED  # begin changes nothing


def test_the_acting_party_is_the_first_by_name_of_the_callers_parties_the_rule_allows() -> None:
    assert WORKFLOW.begin(Door(S.CLOSED), A.OPEN, KEEPER | VISITOR, NOON).party == Who.KEEPER
    assert WORKFLOW.begin(Door(S.CLOSED), A.OPEN, VISITOR | SYSTEM_PARTY, NOON).party == Who.VISITOR


async def test_finish_enters_the_state_keeps_the_reason_as_a_remark_and_records_the_event(
    events: list[dict[str, Any]],
) -> None:
    door, keeper = Door(S.CLOSED), Person(uuid.uuid4(), uuid.uuid4())
    session = FakeSession()
    move = WORKFLOW.begin(door, A.LOCK, KEEPER, NOON, reason="storm coming", reason_code="weather")
    door.colour = "red"
    await WORKFLOW.finish(cast(AsyncSession, session), keeper, door, move)

    assert door.status == S.LOCKED and door.status_changed_at == NOON
    assert session.added == [
        Remark(
            door.id,
            "weather",
            {
                "action": "lock",
                "from_status": S.CLOSED,
                "to_status": S.LOCKED,
                "text": "storm coming",
                "author_user_id": keeper.user_id,
                "author_organisation_id": keeper.organisation_id,
                "created_at": NOON,
            },
        )
    ]
    assert session.flushes == 1
    assert events == [
        {
            "actor": keeper.actor,
            "action": "door.lock",
            "object_type": "door",
            "object_id": door.id,
            "before": {"status": "closed", "colour": "green"},
            "after": {"status": "locked", "colour": "red"},
            "reason": "[weather] storm coming",
        }
    ]


async def test_a_move_without_reason_leaves_no_remark_and_the_system_acts_as_the_system(
    events: list[dict[str, Any]],
) -> None:
    door, session = Door(S.LOCKED), FakeSession()
    move = WORKFLOW.begin(door, A.FORCE, SYSTEM_PARTY, NOON)
    await WORKFLOW.finish(cast(AsyncSession, session), None, door, move)
    assert door.status == S.CLOSED
    assert session.added == [] and session.flushes == 1
    assert [(e["actor"], e["action"], e["reason"]) for e in events] == [(SYSTEM, "door.force", None)]


async def test_a_reason_without_code_is_recorded_as_it_is(events: list[dict[str, Any]]) -> None:
    door = Door(S.CLOSED)
    move = WORKFLOW.begin(door, A.LOCK, KEEPER, NOON, reason="storm coming")
    await WORKFLOW.finish(cast(AsyncSession, FakeSession()), None, door, move)
    assert events[0]["reason"] == "storm coming"


async def test_a_stale_version_is_a_409_changed_meanwhile_and_records_nothing(
    events: list[dict[str, Any]],
) -> None:
    door = Door(S.OPEN)
    move = WORKFLOW.begin(door, A.CLOSE, VISITOR, NOON)
    with pytest.raises(ChangedMeanwhile) as caught:
        await WORKFLOW.finish(cast(AsyncSession, FakeSession(stale=True)), None, door, move)
    assert caught.value.status == 409 and caught.value.slug == "changed-meanwhile"
    assert caught.value.detail == "The door was changed meanwhile; reload and retry."
    assert events == []


async def test_finish_appends_to_the_real_event_log(db: AsyncSession) -> None:
    door, keeper = Door(S.OPEN), Person(uuid.uuid4(), uuid.uuid4())
    last = await db.scalar(select(Event.seq).order_by(Event.seq.desc()).limit(1))
    move = WORKFLOW.begin(door, A.CLOSE, KEEPER, NOON)
    await WORKFLOW.finish(db, keeper, door, move)
    event = await db.scalar(select(Event).where(Event.object_type == "door"))
    assert event is not None and event.seq == (last or 0) + 1
    assert (event.action, event.object_id, event.reason) == ("door.close", str(door.id), None)
    assert (event.actor_user_id, event.actor_organisation_id) == (keeper.user_id, keeper.organisation_id)
    assert event.before == {"status": "open", "colour": "green"}
    assert event.after == {"status": "closed", "colour": "green"}
