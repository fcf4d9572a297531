"""GB/T 2260 reference data through the API."""

from __future__ import annotations

from tests.sessions import Client, sign_in


async def test_region_detail_has_ancestors_and_children(client: Client) -> None:
    await sign_in(client, "engineer@tower.example")
    nanshan = (await client.get("/api/v1/regions/440305")).json()
    assert nanshan["name"] == "南山区" and nanshan["level"] == "county"
    assert [a["code"] for a in nanshan["ancestors"]] == ["440000", "440300"]
    assert len(nanshan["children"]) >= 6
    assert all(
        child["level"] == "street" and child["parent_code"] == "440305" for child in nanshan["children"]
    )
    assert 113.8 < nanshan["lon"] < 114.1 and 22.4 < nanshan["lat"] < 22.7


async def test_list_children_of_shenzhen(client: Client) -> None:
    await sign_in(client, "engineer@tower.example")
    districts = (await client.get("/api/v1/regions", params={"parent": "440300"})).json()
    codes = [f"4403{n:02d}" for n in (3, 4, 5, 6, 7, 8, 9, 10, 11)]
    assert [d["code"] for d in districts["items"]] == codes and districts["total"] == len(codes)
    second = (
        await client.get("/api/v1/regions", params={"parent": "440300", "page_size": 4, "page": 2})
    ).json()
    assert [d["code"] for d in second["items"]] == codes[4:8]
    assert (second["total"], second["page"], second["page_size"]) == (len(codes), 2, 4)


async def test_search_by_name_or_pinyin(client: Client) -> None:
    await sign_in(client, "engineer@tower.example")
    by_name = (await client.get("/api/v1/regions", params={"q": "福田"})).json()
    by_pinyin = (await client.get("/api/v1/regions", params={"q": "fu tian"})).json()
    assert "440304" in [r["code"] for r in by_name["items"]]
    assert "440304" in [r["code"] for r in by_pinyin["items"]]


async def test_unknown_region_is_404(client: Client) -> None:
    await sign_in(client, "engineer@tower.example")
    response = await client.get("/api/v1/regions/999999")
    assert response.status_code == 404


async def test_regions_need_sign_in(client: Client) -> None:
    assert (await client.get("/api/v1/regions")).status_code == 401
