"""Searching needs through the API on a real Meilisearch: words, synonyms, visibility, filters, geo."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from infrashare.app import create_app
from infrashare.core.settings import Settings
from tests.needs.helpers import FUTIAN, NANSHAN, POINTS, Actors, act, post_need, utc_today
from tests.sessions import Client, sign_in

MOBILE, UNICOM, POWER = "admin@mobile.example", "admin@unicom.example", "admin@power.example"
CITY_REVIEWER, NANSHAN_REVIEWER = "reviewer@sz-ca.example", "reviewer@ns-iit.example"
PLATFORM = "admin@platform.example"
# A route need along 科苑路 (南山), ~2 km north–south; a point ~350 m east of its middle.
ROUTE = [[113.9530, 22.5200], [113.9535, 22.5300], [113.9541, 22.5400]]
EAST_OF_MIDDLE = "113.9570,22.5300"


async def search(client: Client, **params: Any) -> dict[str, Any]:
    response = await client.get("/api/v1/search/needs", params=params)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def ids(result: dict[str, Any]) -> set[str]:
    return {hit["need"]["id"] for hit in result["items"]}


async def settle(actors: Actors, as_email: str, expected: dict[str, str], within_seconds: float = 30) -> None:
    """The app's worker indexes from the outbox; wait until the index has these needs in these
    states (filtered by the index's own status: a hit's body is read from the database)."""
    await actors.use(as_email)
    deadline = time.monotonic() + within_seconds
    while time.monotonic() < deadline:
        settled = True
        for state in set(expected.values()):
            found = await search(actors.client, status=state, page_size=200)
            wanted = {need_id for need_id, s in expected.items() if s == state}
            settled = settled and not found["degraded"] and wanted <= ids(found)
        if settled:
            return
        await asyncio.sleep(0.2)
    raise TimeoutError("needs never became searchable")


async def publish(actors: Actors, email: str, **overrides: Any) -> dict[str, Any]:
    await actors.use(email)
    need = await post_need(actors.client, **overrides)
    await act(actors.client, need["id"], "submit")
    await actors.use(CITY_REVIEWER)
    await act(actors.client, need["id"], "publish")
    return need


async def test_chinese_and_english_words_and_synonyms_find_needs(client: Client) -> None:
    actors = Actors(client)
    tower = await publish(
        actors, MOBILE, title="科技园 5G 宏站共享铁塔", purpose="macro_site", wanted_kinds=["tower"]
    )
    room = await publish(
        actors, MOBILE, title="后海 MEC 节点", purpose="edge_computing_room", wanted_kinds=["machine_room"]
    )
    duct = await publish(
        actors,
        UNICOM,
        title="科苑路主干光缆路由",
        purpose="fibre_route",
        wanted_kinds=["duct"],
        region_code=NANSHAN,
        geometry={"type": "LineString", "coordinates": ROUTE},
        radius_m=None,
        corridor_m=50,
    )
    await settle(actors, MOBILE, {n["id"]: "published" for n in (tower, room, duct)})

    assert tower["id"] in ids(await search(client, q="铁塔"))
    assert tower["id"] in ids(await search(client, q="宏站"))
    assert tower["id"] in ids(await search(client, q="macro site"))
    assert room["id"] in ids(await search(client, q="机房"))
    assert room["id"] in ids(await search(client, q="computer room"))  # a synonym of 机房 only
    assert room["id"] in ids(await search(client, q="edge computing"))
    assert duct["id"] in ids(await search(client, q="管道"))
    assert duct["id"] in ids(await search(client, q="conduit"))  # synonym of 管道 / duct
    assert duct["id"] in ids(await search(client, q="光缆"))
    assert duct["id"] in ids(await search(client, q="南山区"))  # the need's region, by name
    assert ids(await search(client, q="机房", kind="tower")) == set()
    assert tower["id"] not in ids(await search(client, q="管道"))


async def test_only_needs_the_caller_may_see_count_in_hits_totals_and_facets(client: Client) -> None:
    actors = Actors(client)
    await actors.use(MOBILE)
    draft = await post_need(client, title="福田 草稿需求 可见性", region_code=FUTIAN)
    submitted = await post_need(client, title="福田 待审需求 可见性", region_code=FUTIAN)
    await act(client, submitted["id"], "submit")
    in_nanshan = await post_need(client, title="南山 待审需求 可见性", region_code=NANSHAN)
    await act(client, in_nanshan["id"], "submit")
    published = await publish(actors, MOBILE, title="南山 已发布需求 可见性", region_code=NANSHAN)
    expected = {
        draft["id"]: "draft",
        submitted["id"]: "submitted",
        in_nanshan["id"]: "submitted",
        published["id"]: "published",
    }
    await settle(actors, MOBILE, expected)
    me = await actors.use(MOBILE)
    mine = await search(client, q="可见性", organisation=me["organisation"]["id"])
    assert ids(mine) == set(expected) and mine["total"] == 4
    assert mine["facets"]["status"] == {"draft": 1, "submitted": 2, "published": 1}

    def seen_by(result: dict[str, Any]) -> set[str]:
        return {need_id for need_id in ids(result) if need_id in expected}

    cases = [
        (UNICOM, {published["id"]}),  # another operator: the published one only
        (CITY_REVIEWER, {submitted["id"], in_nanshan["id"], published["id"]}),
        (NANSHAN_REVIEWER, {in_nanshan["id"], published["id"]}),  # 福田 is outside its jurisdiction
        (PLATFORM, {submitted["id"], in_nanshan["id"], published["id"]}),
    ]
    for email, visible in cases:
        await actors.use(email)
        result = await search(client, q="可见性", organisation=me["organisation"]["id"])
        assert seen_by(result) == visible, email
        assert result["total"] == len(visible), email
        assert sum(result["facets"]["status"].values()) == len(visible), email
        assert "draft" not in result["facets"]["status"], email
        assert (await search(client, q="草稿需求"))["total"] == 0, email

    await actors.use(UNICOM)
    other = await search(client, q="可见性", status="submitted")
    assert other["total"] == 0 and other["facets"].get("status", {}) == {}


async def test_filters_geo_sorts_and_pages(client: Client) -> None:
    actors = Actors(client)
    soon, later = utc_today() + timedelta(days=40), utc_today() + timedelta(days=200)
    route = await publish(
        actors,
        UNICOM,
        title="筛选测试 科苑路光缆",
        purpose="fibre_route",
        wanted_kinds=["duct", "cable"],
        region_code=NANSHAN,
        geometry={"type": "LineString", "coordinates": ROUTE},
        radius_m=None,
        corridor_m=30,
        needed_by=later.isoformat(),
    )
    nanshan = await publish(
        actors,
        MOBILE,
        title="筛选测试 南山宏站",
        purpose="macro_site",
        wanted_kinds=["tower"],
        region_code="440305007",  # 粤海街道
        geometry={"type": "Point", "coordinates": [113.9440, 22.5230]},
        needed_by=soon.isoformat(),
    )
    futian = await publish(
        actors,
        POWER,
        title="筛选测试 福田监测终端",
        purpose="other",
        mode="co_build",
        wanted_kinds=["pole"],
        region_code=FUTIAN,
        geometry={"type": "Point", "coordinates": POINTS[FUTIAN]},
        needed_by=(soon + timedelta(days=20)).isoformat(),
    )
    everyone = {route["id"], nanshan["id"], futian["id"]}
    await settle(actors, UNICOM, dict.fromkeys(everyone, "published"))

    async def found(**params: Any) -> set[str]:
        return ids(await search(client, q="筛选测试", page_size=50, **params)) & everyone

    assert await found(region="440300") == everyone  # the city
    assert await found(region=NANSHAN) == {route["id"], nanshan["id"]}  # a district
    assert await found(region="440305007") == {nanshan["id"]}  # a street
    assert await found(kind="cable") == {route["id"]}
    assert await found(kind=["tower", "pole"]) == {nanshan["id"], futian["id"]}
    assert await found(purpose="macro_site") == {nanshan["id"]}
    assert await found(mode="co_build") == {futian["id"]}
    assert await found(industry="power") == {futian["id"]}
    assert await found(needed_by_to=(soon + timedelta(days=30)).isoformat()) == {nanshan["id"], futian["id"]}
    assert await found(needed_by_from=(soon + timedelta(days=10)).isoformat()) == {route["id"], futian["id"]}
    assert await found(status="published") == everyone

    # Near the route's middle: found there, ~1 km from either end; the distance is to the line.
    near = await search(client, q="筛选测试", near=EAST_OF_MIDDLE, radius_m=500)
    assert ids(near) & everyone == {route["id"]}
    assert near["items"][0]["distance_m"] < 400
    assert await found(bbox="113.93,22.51,113.96,22.54") == {route["id"], nanshan["id"]}
    triangle = "113.950,22.525;113.960,22.525;113.955,22.535"
    assert await found(polygon=triangle) == {route["id"]}

    by_distance = await search(client, q="筛选测试", near=EAST_OF_MIDDLE, sort="distance")
    assert [h["need"]["id"] for h in by_distance["items"]] == [route["id"], nanshan["id"], futian["id"]]
    distances = [hit["distance_m"] for hit in by_distance["items"]]
    assert distances == sorted(distances)
    by_date = await search(client, q="筛选测试", sort="needed_by")
    assert [h["need"]["id"] for h in by_date["items"]] == [nanshan["id"], futian["id"], route["id"]]
    first = await search(client, q="筛选测试", sort="needed_by", page_size=2)
    second = await search(client, q="筛选测试", sort="needed_by", page_size=2, page=2)
    assert first["total"] == second["total"] == 3
    assert [h["need"]["id"] for h in first["items"] + second["items"]] == [
        h["need"]["id"] for h in by_date["items"]
    ]
    facets = (await search(client, q="筛选测试"))["facets"]
    assert facets["kinds"] == {"duct": 1, "cable": 1, "tower": 1, "pole": 1}
    assert facets["district_code"] == {NANSHAN: 2, FUTIAN: 1}
    assert facets["industry"] == {"telecom": 2, "power": 1}


async def test_bad_parameters_are_named(client: Client) -> None:
    await sign_in(client, MOBILE)
    lonely = await client.get("/api/v1/search/needs", params={"sort": "distance"})
    assert lonely.status_code == 422 and lonely.json()["errors"][0]["field"] == "near"
    unknown = await client.get("/api/v1/search/needs", params={"region": "999999"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "region"
    bad_kind = await client.get("/api/v1/search/needs", params={"kind": "spaceship"})
    assert bad_kind.status_code in (400, 422) and "kind" in bad_kind.text


async def test_needs_search_answers_from_the_database_when_meilisearch_is_down(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"meili_url": "http://127.0.0.1:9", "run_worker": False}))
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as client:
        actors = Actors(client)
        published = await publish(
            actors,
            MOBILE,
            title="降级模式 南山需求",
            region_code=NANSHAN,
            wanted_kinds=["tower"],
            geometry={"type": "Point", "coordinates": POINTS[NANSHAN]},
        )
        await actors.use(MOBILE)
        draft = await post_need(client, title="降级模式 草稿", region_code=NANSHAN)
        mine = await search(client, q="降级模式")
        assert mine["degraded"] is True and ids(mine) == {published["id"], draft["id"]}
        near = f"{POINTS[NANSHAN][0] + 0.003},{POINTS[NANSHAN][1]}"
        around = await search(client, q="降级模式", near=near, radius_m=500, status="published")
        assert ids(around) == {published["id"]} and around["items"][0]["distance_m"] < 500
        assert ids(await search(client, q="降级模式", near=near, radius_m=100)) == set()
        await actors.use(UNICOM)
        theirs = await search(client, q="降级模式", region=NANSHAN, kind="tower")
        assert ids(theirs) == {published["id"]} and theirs["total"] == 1
