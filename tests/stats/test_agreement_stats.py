"""Agreement figures in the regulator's statistics: by state, and owner answers past their deadline."""

from __future__ import annotations

from datetime import timedelta

from infrashare.core.clock import utc_now
from infrashare.core.db import open_database
from infrashare.stats import service as stats_service
from tests.agreements.helpers import futian_tower, post_asset, post_request, verb
from tests.needs.helpers import Actors, principal_for
from tests.sessions import Client


async def test_agreements_by_state_and_overdue_answers_in_jurisdiction_only(
    client: Client, database_url: str
) -> None:
    actors = Actors(client)
    await actors.use("admin@tower.example")
    tower = await post_asset(client, futian_tower(external_id="STATS-1"))
    await actors.use("admin@mobile.example")
    waiting = await post_request(client, tower["id"])
    await actors.use("admin@unicom.example")
    answered = await post_request(client, tower["id"], units=1)
    await actors.use("admin@telecom.example")
    withdrawn = await post_request(client, tower["id"], units=1)
    await verb(client, withdrawn["id"], "withdraw")
    await actors.use("admin@tower.example")
    accepted = await verb(client, answered["id"], "accept")

    database = open_database(database_url)
    async with database.reader() as db:
        shenzhen = await principal_for(db, "reviewer@sz-ca.example")
        nanshan = await principal_for(db, "reviewer@ns-iit.example")
        today = await stats_service.need_stats(db, shenzhen)
        later = await stats_service.need_stats(db, shenzhen, now=utc_now() + timedelta(days=31))
        elsewhere = await stats_service.need_stats(db, nanshan)
    await database.dispose()

    counts = dict(zip(today.agreements_by_status.keys, today.agreements_by_status.values, strict=True))
    assert counts["requested"] == 1 and counts["withdrawn"] == 1 and counts[accepted["status"]] == 1
    assert sum(counts.values()) == 3
    assert (today.overdue_owner_answers, later.overdue_owner_answers) == (0, 1)
    assert waiting["status"] == "requested"
    assert sum(elsewhere.agreements_by_status.values) == 0  # the tower is in 福田, not 南山
