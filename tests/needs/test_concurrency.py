"""Two reviewers publishing one need at the same moment: exactly one transition happens."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from infrashare.audit.models import Event
from infrashare.core.db import open_database
from infrashare.core.errors import DomainError
from infrashare.needs import service, workflow
from infrashare.needs.schemas import NeedCreate
from tests.needs.helpers import need_body, principal_for


async def test_concurrent_publishes_of_one_need_make_one_transition(database_url: str) -> None:
    database = open_database(database_url)
    async with database.writer() as db:
        requester = await principal_for(db, "engineer@mobile.example")
        need_id = (await service.create_need(db, requester, NeedCreate.model_validate(need_body()))).need.id
        await workflow.submit_need(db, requester, need_id)
        await db.commit()

    async def publish(email: str) -> str:
        async with database.writer() as db:
            reviewer = await principal_for(db, email)
            try:
                await workflow.publish_need(db, reviewer, need_id)
                await asyncio.sleep(0.05)  # hold the lock a moment, so the other one waits on it
                await db.commit()
                return "published"
            except DomainError as error:
                await db.rollback()
                return str(error.status)

    outcomes = await asyncio.gather(
        publish("reviewer@sz-ca.example"), publish("reviewer@sz-transport.example")
    )
    assert sorted(outcomes) == ["409", "published"]
    async with database.reader() as db:
        published = await db.scalar(
            select(func.count()).where(Event.object_id == str(need_id), Event.action == "need.published")
        )
    await database.dispose()
    assert published == 1
