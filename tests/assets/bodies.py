"""Request bodies for assets: valid defaults per kind, overridden per test."""

from __future__ import annotations

import copy
from typing import Any

from polyfactory.factories.pydantic_factory import ModelFactory

from infrashare.assets.schemas import SharingTerms

NANSHAN_POINT = [113.9437, 22.5461]  # 南山 科技园
NANSHAN_ROUTE = [[113.9530, 22.5300], [113.9535, 22.5390], [113.9541, 22.5480]]

_BASE: dict[str, Any] = {
    "name": "科技园北区铁塔",
    "region_code": "440305",
    "address": "深圳市南山区科苑路 15 号",
    "capacity": {"total": 6, "free": 3, "power_kw": 10, "power_guarantee": False},
    "sharing": {"terms": "按年租用", "indicative_price_cny": 3000, "lead_time_days": 30},
    "visibility": "public",
}
_KINDS: dict[str, dict[str, Any]] = {
    "tower": {
        "geometry": {"type": "Point", "coordinates": NANSHAN_POINT},
        "attributes": {"height_m": 35, "structure_type": "lattice", "wind_load_class": "B"},
    },
    "pole": {
        "geometry": {"type": "Point", "coordinates": NANSHAN_POINT},
        "attributes": {"height_m": 12, "structure_type": "smart_pole"},
    },
    "duct": {
        "geometry": {"type": "LineString", "coordinates": NANSHAN_ROUTE},
        "attributes": {"diameter_mm": 110, "material": "hdpe", "bores": 4},
    },
    "cable": {
        "geometry": {"type": "LineString", "coordinates": NANSHAN_ROUTE},
        "attributes": {"fibre_type": "G.652D", "length_km": 2.1},
    },
    "machine_room": {
        "geometry": {"type": "Point", "coordinates": NANSHAN_POINT},
        "attributes": {"floor_area_m2": 80, "cooling": "precision_ac"},
    },
    "reserved_space": {
        "geometry": {"type": "LineString", "coordinates": NANSHAN_ROUTE},
        "attributes": {"host_structure": "subway_line", "host_name": "地铁13号线"},
        "status": "planned",
        "ready_date": "2027-12-31",
    },
}


class SharingFactory(ModelFactory[SharingTerms]):
    __check_model__ = False


def asset_body(kind: str = "tower", **overrides: Any) -> dict[str, Any]:
    body = copy.deepcopy(_BASE) | {"kind": kind} | copy.deepcopy(_KINDS[kind])
    body["sharing"] = SharingFactory.build(lead_time_days=30).model_dump()
    body.update(overrides)
    return body
