"""One list kit: every paged list takes ``page`` and ``page_size`` (one maximum) and answers a page
named after its item, with ``items``, ``total``, ``page`` and ``page_size``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from infrashare.app import openapi_json
from infrashare.core.settings import Settings

PAGE_FIELDS = {"items", "total", "page", "page_size"}
# Other names for a page's size or position that no operation may take any more.
RETIRED = {"per_page", "cursor", "offset"}
PAGED = {
    "/api/v1/assets": "AssetPage",
    "/api/v1/needs": "NeedPage",
    "/api/v1/needs/review-queue": "NeedPage",
    "/api/v1/sharing-requests": "RequestPage",
    "/api/v1/sharing-requests/overdue": "RequestPage",
    "/api/v1/notifications": "NotificationPage",
    "/api/v1/regions": "RegionPage",
    "/api/v1/webhooks/{subscription_id}/deliveries": "DeliveryPage",
    "/api/v1/search/assets": "AssetSearchPage",
    "/api/v1/search/needs": "NeedSearchPage",
    "/api/v1/search/regions": "RegionSearchPage",
}


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    var = Path(tmp_path_factory.mktemp("openapi")) / "var"
    loaded: dict[str, Any] = json.loads(openapi_json(Settings(var_dir=var)))
    return loaded


def _answer_schema(operation: dict[str, Any]) -> str:
    reference: str = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    return reference.rsplit("/", 1)[-1]


def _parameters(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {parameter["name"]: parameter for parameter in operation.get("parameters", [])}


@pytest.mark.parametrize("path", sorted(PAGED))
def test_a_paged_list_takes_page_and_page_size_and_answers_a_named_page(
    document: dict[str, Any], path: str
) -> None:
    operation = document["paths"][path]["get"]
    parameters = _parameters(operation)
    assert parameters["page"]["schema"]["minimum"] == 1
    assert (parameters["page_size"]["schema"]["minimum"], parameters["page_size"]["schema"]["maximum"]) == (
        1,
        500,
    )
    assert parameters["page_size"]["schema"]["default"] == 50
    name = _answer_schema(operation)
    assert name == PAGED[path]
    schema = document["components"]["schemas"][name]
    assert set(schema["properties"]) >= PAGE_FIELDS and set(schema["required"]) >= PAGE_FIELDS
    assert "hits" not in schema["properties"] and "per_page" not in schema["properties"]


def test_no_operation_takes_another_name_for_the_page(document: dict[str, Any]) -> None:
    offending = {
        (path, name)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "responses" in operation
        for name in _parameters(operation)
        if name in RETIRED
    }
    assert offending == set()


def test_every_operation_that_takes_page_size_is_a_paged_list(document: dict[str, Any]) -> None:
    paged = {
        path for path, item in document["paths"].items() if "page_size" in _parameters(item.get("get", {}))
    }
    assert paged == set(PAGED)


def test_generic_pages_are_named_after_their_items(document: dict[str, Any]) -> None:
    names = set(document["components"]["schemas"])
    assert not {name for name in names if "[" in name or name.startswith("Page_")}
