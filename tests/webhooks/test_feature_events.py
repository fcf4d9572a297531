"""Webhook events from the features, sent signed to receivers on 127.0.0.1 by the app's worker:
a need published (only to subscriptions whose regions and kinds cover it), a request received
(the owner), request and agreement state changes (both parties)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from infrashare.assets.models import AssetKind
from tests.agreements.helpers import OWNER, REGULATOR, REQUESTER, futian_tower, post_asset, post_request, verb
from tests.needs.helpers import FUTIAN, NANSHAN, Actors, act, post_need
from tests.sessions import Client
from tests.webhooks.receiver import Received, Receiver, receiver, verify

REQUEST_EVENTS = ["agreement.state_changed", "request.received", "request.state_changed"]


@dataclass
class Subscriber:
    hooks: Receiver
    subscription: dict[str, Any]

    def deliveries(self, count: int) -> list[Received]:
        received = self.hooks.wait_for(count)
        assert len(received) == count, [r.payload["type"] for r in received]
        for delivery in received:
            assert verify(
                self.subscription["secret"], delivery.headers["x-infrashare-signature"], delivery.body
            )
            assert delivery.headers["x-infrashare-event"] == delivery.payload["type"]
        return sorted(received, key=lambda r: (r.payload["type"], r.payload["data"].get("status", "")))


@pytest.fixture
def receivers() -> Iterator[list[Receiver]]:
    with receiver() as a, receiver() as b, receiver() as c, receiver() as d:
        yield [a, b, c, d]


async def _subscribe(actors: Actors, admin: str, hooks: Receiver, **body: Any) -> Subscriber:
    await actors.use(admin)
    response = await actors.client.post("/api/v1/webhooks", json={"url": hooks.url, **body})
    assert response.status_code == 201, response.text
    return Subscriber(hooks, response.json())


async def _log(actors: Actors, admin: str, subscriber: Subscriber) -> list[dict[str, Any]]:
    await actors.use(admin)
    response = await actors.client.get(f"/api/v1/webhooks/{subscriber.subscription['id']}/deliveries")
    assert response.status_code == 200, response.text
    log: list[dict[str, Any]] = response.json()["items"]
    return log


async def test_feature_events_reach_the_parties_signed(client: Client, receivers: list[Receiver]) -> None:
    actors = Actors(client)
    owner = await _subscribe(
        actors,
        OWNER,
        receivers[0],
        events=["need.published", *REQUEST_EVENTS],
        region_codes=[FUTIAN],
        asset_kinds=["tower"],
    )
    requester = await _subscribe(actors, "admin@mobile.example", receivers[1], events=REQUEST_EVENTS)
    nanshan_only = await _subscribe(
        actors, "admin@unicom.example", receivers[2], events=["need.published"], region_codes=[NANSHAN]
    )
    ducts_only = await _subscribe(
        actors, "admin@power.example", receivers[3], events=["need.published"], asset_kinds=["duct"]
    )

    await actors.use(REQUESTER)
    need = await post_need(client, title="福田 5G 宏站挂高", wanted_kinds=[AssetKind.TOWER], quantity=2)
    await act(client, need["id"], "submit")
    await actors.use(REGULATOR)
    await act(client, need["id"], "publish")
    await actors.use(OWNER)
    asset = await post_asset(client, futian_tower())
    await actors.use(REQUESTER)
    request = await post_request(client, asset["id"], units=2, need_id=need["id"])
    await actors.use(OWNER)
    await verb(client, request["id"], "accept")  # accepted, then active (no approval rule applies)

    agreement, published, received, accepted = owner.deliveries(4)
    assert published.payload["type"] == "need.published"
    assert published.payload["data"]["id"] == need["id"]
    assert published.payload["data"]["wanted_kinds"] == ["tower"]
    assert published.payload["data"]["region_code"] == FUTIAN
    assert received.payload["type"] == "request.received"
    assert (
        received.payload["data"]["id"] == request["id"] and received.payload["data"]["status"] == "requested"
    )
    assert accepted.payload["type"] == "request.state_changed"
    assert (accepted.payload["data"]["from_status"], accepted.payload["data"]["status"]) == (
        "requested",
        "accepted",
    )
    assert agreement.payload["type"] == "agreement.state_changed"
    assert (agreement.payload["data"]["from_status"], agreement.payload["data"]["status"]) == (
        "accepted",
        "active",
    )

    # The requester hears of the state changes, not of its own request's arrival.
    changes = requester.deliveries(2)
    assert [r.payload["type"] for r in changes] == ["agreement.state_changed", "request.state_changed"]
    assert {r.payload["data"]["id"] for r in changes} == {request["id"]}
    assert len({r.headers["x-infrashare-delivery"] for r in changes}) == 2

    # Queued in the same transaction as the change, so an empty log means none will ever come.
    assert await _log(actors, "admin@unicom.example", nanshan_only) == []
    assert await _log(actors, "admin@power.example", ducts_only) == []
    await asyncio.sleep(0.5)
    assert receivers[2].received == [] and receivers[3].received == []


async def test_a_failed_bulk_publish_sends_nothing(client: Client, hooks_receiver: Receiver) -> None:
    actors = Actors(client)
    watcher = await _subscribe(actors, OWNER, hooks_receiver, events=["need.published"])
    await actors.use(REQUESTER)
    submitted = await post_need(client, region_code=NANSHAN)
    await act(client, submitted["id"], "submit")
    draft = await post_need(client, region_code=NANSHAN)

    await actors.use(REGULATOR)
    response = await client.post("/api/v1/needs/bulk-publish", json={"ids": [submitted["id"], draft["id"]]})
    assert response.status_code == 409
    assert await _log(actors, OWNER, watcher) == []

    await actors.use(REGULATOR)
    await act(client, submitted["id"], "publish")
    [delivery] = watcher.deliveries(1)
    assert delivery.payload["data"]["id"] == submitted["id"]


@pytest.fixture
def hooks_receiver() -> Iterator[Receiver]:
    with receiver() as state:
        yield state
