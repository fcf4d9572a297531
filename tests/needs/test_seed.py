"""The demo seed's needs: every review state, reasons on returned ones, real history; idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from infrashare.accounts.models import Organisation
from infrashare.audit.service import verify_chain
from infrashare.core.db import open_database
from infrashare.demo.needs import seed_needs
from infrashare.needs.models import Need, NeedMode, NeedStatus


async def test_the_demo_seed_has_needs_in_every_review_state(database_url: str) -> None:
    database = open_database(database_url)
    async with database.writer() as db:
        counts = dict(
            (await db.execute(select(Need.status, func.count()).group_by(Need.status))).tuples().all()
        )
        assert counts == {
            NeedStatus.DRAFT: 6,
            NeedStatus.SUBMITTED: 8,
            NeedStatus.RETURNED: 5,
            NeedStatus.PUBLISHED: 15,
            NeedStatus.MATCHED: 4,
            NeedStatus.FULFILLED: 2,
        }
        returned = (await db.scalars(select(Need).where(Need.status == NeedStatus.RETURNED))).all()
        assert all(need.last_return_reason for need in returned)
        districts = set((await db.scalars(select(func.substr(Need.region_code, 1, 6)))).all())
        assert districts == {f"4403{n:02d}" for n in range(3, 12)}
        industries = dict(
            (
                await db.execute(
                    select(Organisation.industry, func.count())
                    .join(Need, Need.organisation_id == Organisation.id)
                    .group_by(Organisation.industry)
                )
            )
            .tuples()
            .all()
        )
        assert industries["telecom"] > industries["power"] + industries["rail_metro"] > 0
        assert await db.scalar(select(func.count()).where(Need.mode == NeedMode.CO_BUILD)) > 0
        published = (await db.scalars(select(Need).where(Need.published_at.is_not(None)))).all()
        assert all(need.submitted_at and need.submitted_at < need.published_at for need in published)

        assert await seed_needs(db) == 0  # idempotent
        assert (await verify_chain(db)).ok
    await database.dispose()
