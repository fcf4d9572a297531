"""One visibility rule, two renderings: for every demo sign-in, the database and the search index
find the same assets and the same needs, for the same query (everything, and inside a region).

The index side is read from Meilisearch alone (no read-back through the database, which would
hide a filter that lets too much through), paging until the end.
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from meilisearch_python_sdk import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.assets.models import Asset, AssetStatus
from infrashare.assets.search import ASSETS_INDEX
from infrashare.assets.service import AssetFilters, filtered_query
from infrashare.assets.visibility import viewer_for
from infrashare.core.db import open_database
from infrashare.core.indexing import reindex
from infrashare.core.paging import Pagination
from infrashare.core.principal import Principal
from infrashare.core.search import MeilisearchProcess, SearchEngine
from infrashare.demo.seed import DemoLogin, demo_logins
from infrashare.matching.need_search import NeedQuery, need_index_filter
from infrashare.matching.search import AssetQuery, index_answer
from infrashare.needs.models import Need
from infrashare.needs.queries import NeedFilters, list_needs
from infrashare.needs.search import NEEDS_INDEX
from infrashare.regions.service import area_of
from tests.conftest import BACKENDS
from tests.needs.helpers import principal_for
from tests.servers import PostgresCluster

# Everywhere; Guangdong; Shenzhen (a regulator's jurisdiction); Nanshan (another's); a street
# in Nanshan (粤海街道); Futian; and Beijing, where the demo has nothing.
REGIONS = [None, "440000", "440300", "440305", "440305007", "440304", "110000"]
PAGE = 1000


@dataclass(frozen=True)
class Indexed:
    url: str
    prefix: str


async def _build_indexes(url: str, meilisearch: MeilisearchProcess, prefix: str) -> None:
    database = open_database(url)
    engine = SearchEngine(AsyncClient(meilisearch.url, meilisearch.master_key, timeout=60), prefix)
    try:
        for index in (ASSETS_INDEX, NEEDS_INDEX):
            await reindex(database, engine, index)
    finally:
        await engine.aclose()
        await database.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def indexed(
    request: pytest.FixtureRequest,
    meilisearch: MeilisearchProcess,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Indexed]:
    """The demo city in a database of the backend, and both indexes built from it (once for all
    sign-ins: nothing here writes)."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("parity") / "infrashare.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite+aiosqlite:///{path}"
    else:
        cluster: PostgresCluster = request.getfixturevalue("postgres")
        template: str = request.getfixturevalue("postgres_template")
        url = cluster.create_database(f"parity_{uuid.uuid4().hex[:12]}", template=template)
    prefix = f"p{uuid.uuid4().hex[:10]}_"
    asyncio.run(_build_indexes(url, meilisearch, prefix))
    yield Indexed(url, prefix)


async def _asset_ids_in_database(db: AsyncSession, principal: Principal, region: str | None) -> set[str]:
    viewer = await viewer_for(db, principal)
    area = await area_of(db, [region]) if region else None
    query = filtered_query(viewer, AssetFilters(region=area)).with_only_columns(Asset.id)
    return {str(asset_id) for asset_id in (await db.scalars(query)).all()}


async def _asset_ids_in_index(
    db: AsyncSession, engine: SearchEngine, principal: Principal, region: str | None
) -> set[str]:
    viewer = await viewer_for(db, principal, with_grants=False)
    found: set[str] = set()
    for page in range(1, 100):
        query = AssetQuery(region=region, pagination=Pagination(page, PAGE), facets=False)
        answer = await index_answer(engine, query, viewer)
        found |= set(answer.asset_ids)
        if len(answer.asset_ids) < PAGE:
            return found
    raise AssertionError("more pages than a demo city has")


async def _need_ids_in_database(db: AsyncSession, principal: Principal, region: str | None) -> set[str]:
    views, total = await list_needs(
        db, principal, NeedFilters(region=region, statuses=[]), Pagination(1, 10_000)
    )
    assert total == len(views)
    return {str(view.need.id) for view in views}


async def _need_ids_in_index(engine: SearchEngine, principal: Principal, region: str | None) -> set[str]:
    where = need_index_filter(NeedQuery(region=region), principal)
    found: set[str] = set()
    for page in range(1, 100):
        result = await engine.index(NEEDS_INDEX.uid).search(
            None, filter=where, page=page, hits_per_page=PAGE, attributes_to_retrieve=["need_id"]
        )
        found |= {hit["need_id"] for hit in result.hits}
        if len(result.hits) < PAGE:
            return found
    raise AssertionError("more pages than a demo city has")


@pytest.mark.parametrize("login", demo_logins(), ids=lambda login: login.email)
async def test_the_database_and_the_index_show_each_demo_sign_in_the_same_assets_and_needs(
    indexed: Indexed, meilisearch: MeilisearchProcess, login: DemoLogin
) -> None:
    database = open_database(indexed.url)
    engine = SearchEngine(AsyncClient(meilisearch.url, meilisearch.master_key, timeout=60), indexed.prefix)
    try:
        async with database.reader() as db:
            principal = await principal_for(db, login.email)
            live_assets = set(
                (await db.scalars(select(Asset.id).where(Asset.status != AssetStatus.RETIRED))).all()
            )
            all_needs = set((await db.scalars(select(Need.id))).all())
            seen: dict[str | None, tuple[set[str], set[str]]] = {}
            for region in REGIONS:
                assets = await _asset_ids_in_database(db, principal, region)
                needs = await _need_ids_in_database(db, principal, region)
                assert await _asset_ids_in_index(db, engine, principal, region) == assets, region
                assert await _need_ids_in_index(engine, principal, region) == needs, region
                seen[region] = assets, needs
    finally:
        await engine.aclose()
        await database.dispose()
    everywhere_assets, everywhere_needs = seen[None]
    # The comparison means something: each sign-in sees assets and needs, not every need
    # (other organisations' drafts stay hidden), and a region narrows what it sees.
    assert everywhere_assets and everywhere_needs
    assert everywhere_assets <= {str(i) for i in live_assets}
    assert everywhere_needs < {str(i) for i in all_needs}
    assert seen["110000"] == (set(), set())
    assert seen["440305"][0] < seen["440300"][0] <= seen["440000"][0] == everywhere_assets
    assert seen["440305007"][0] <= seen["440305"][0]
    assert not seen["440305"][0] & seen["440304"][0]
