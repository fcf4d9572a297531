"""The flat column layout shared by CSV import, CSV/GeoJSON export and the per-kind templates.

An export can be imported again unchanged: the export-only columns (id, owner, version, …)
are accepted and ignored by the import.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from infrashare.assets.models import AssetKind
from infrashare.assets.schemas import ATTRIBUTE_MODELS, CAPACITY_UNITS
from infrashare.core.geo import MAX_VERTICES


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    required: bool = False


COMMON_COLUMNS = (
    Column("external_id", "Your own id of the asset; rows are matched (upserted) by it", True),
    Column("kind", "tower, pole, duct, cable, machine_room or reserved_space", True),
    Column("name", "Name, up to 200 characters (Chinese welcome)", True),
    Column("description", "Free text"),
    Column("status", "planned, available (default), full or retired"),
    Column("ready_date", "YYYY-MM-DD; required when status is planned"),
    Column("region_code", "GB/T 2260 district code or 9-digit street code, e.g. 440305", True),
    Column("address", "Street address (shown to your organisation and granted partners only)"),
    Column("lon", "Sites: WGS84 longitude"),
    Column("lat", "Sites: WGS84 latitude"),
    Column("route", f"Routes: 'lon lat, lon lat, …' (2 to {MAX_VERTICES:,} vertices) or WKT LINESTRING"),
    Column("capacity_total", "Capacity units in total (the unit depends on the kind)", True),
    Column("capacity_free", "Capacity units free, at most capacity_total", True),
    Column("power_kw", "Power available, kW"),
    Column("power_guarantee", "true/false (or 是/否): a power supply guarantee is offered"),
    Column("visibility", "public (default), operators or regulators"),
    Column("sharing_terms", "Sharing terms, free text"),
    Column("indicative_price_cny", "Indicative price per capacity unit and year, whole CNY"),
    Column("lead_time_days", "Days from agreement to use"),
)
ATTRIBUTE_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(
        name for model in ATTRIBUTE_MODELS.values() for name in model.model_fields if name != "kind"
    )
)
IMPORT_COLUMNS: tuple[str, ...] = tuple(column.name for column in COMMON_COLUMNS) + ATTRIBUTE_COLUMNS
REQUIRED_COLUMNS = tuple(column.name for column in COMMON_COLUMNS if column.required)
EXPORT_ONLY_COLUMNS = frozenset(
    {
        "id",
        "owner_organisation_id",
        "capacity_unit",
        "location_precision",
        "version",
        "created_at",
        "updated_at",
    }
)
EXPORT_COLUMNS: tuple[str, ...] = (
    "id",
    "owner_organisation_id",
    *IMPORT_COLUMNS[:11],
    "capacity_unit",
    *IMPORT_COLUMNS[11:],
    "location_precision",
    "version",
    "updated_at",
)

_FIELD_COLUMNS = {
    "capacity.total": "capacity_total",
    "capacity.free": "capacity_free",
    "capacity.power_kw": "power_kw",
    "capacity.power_guarantee": "power_guarantee",
    "capacity.unit": "kind",
    "attributes.kind": "kind",
    "sharing.terms": "sharing_terms",
    "sharing.indicative_price_cny": "indicative_price_cny",
    "sharing.lead_time_days": "lead_time_days",
}


def column_for_field(field: str, geometry_column: str) -> str:
    """The upload column an AssetCreate field path comes from (for the error report)."""
    if field in _FIELD_COLUMNS:
        return _FIELD_COLUMNS[field]
    if field.startswith("geometry"):
        if geometry_column == "lon" and field.endswith(".1"):
            return "lat"
        return field if geometry_column == "geometry" else geometry_column
    if field.startswith(("capacity.", "sharing.")):
        return _FIELD_COLUMNS.get(field, field.split(".", 1)[1])
    if field.startswith("attributes."):
        return field.split(".")[1]
    return field


def template_columns(kind: AssetKind) -> list[str]:
    own = [name for name in ATTRIBUTE_MODELS[kind].model_fields if name != "kind"]
    return [column.name for column in COMMON_COLUMNS] + own


TEMPLATE_EXAMPLES: dict[AssetKind, dict[str, Any]] = {
    AssetKind.TOWER: {
        "external_id": "SZ-TWR-000123",
        "name": "南山科技园北区铁塔",
        "region_code": "440305",
        "lon": 113.9437,
        "lat": 22.5461,
        "height_m": 35,
        "structure_type": "lattice",
        "wind_load_class": "B",
        "mounting_heights_m": "30;33;35",
    },
    AssetKind.POLE: {
        "external_id": "SZ-POLE-004512",
        "name": "深南大道智慧杆 0451",
        "region_code": "440304",
        "lon": 114.0553,
        "lat": 22.5431,
        "height_m": 12,
        "structure_type": "smart_pole",
        "mounting_heights_m": "8;10",
    },
    AssetKind.DUCT: {
        "external_id": "SZ-DUCT-0071",
        "name": "科苑路管道 K12-K19",
        "region_code": "440305",
        "route": "113.9530 22.5300, 113.9535 22.5390, 113.9541 22.5480",
        "diameter_mm": 110,
        "material": "hdpe",
        "bores": 6,
    },
    AssetKind.CABLE: {
        "external_id": "SZ-CBL-2201",
        "name": "前海—后海 144 芯光缆",
        "region_code": "440305",
        "route": "113.8990 22.5300, 113.9250 22.5180, 113.9400 22.5150",
        "fibre_type": "G.652D",
        "length_km": 4.6,
        "laying": "duct",
    },
    AssetKind.MACHINE_ROOM: {
        "external_id": "SZ-MR-0031",
        "name": "福田中心站机房",
        "region_code": "440304",
        "address": "深圳市福田区福华三路 xx 号 B1",
        "lon": 114.0569,
        "lat": 22.5335,
        "floor_area_m2": 120,
        "cooling": "precision_ac",
        "access_hours": "24x7",
    },
    AssetKind.RESERVED_SPACE: {
        "external_id": "SZ-RS-L13-001",
        "name": "地铁13号线 区间通信预留槽位",
        "region_code": "440305",
        "status": "planned",
        "ready_date": "2027-12-31",
        "route": "113.9460 22.5160, 113.9480 22.5300, 113.9500 22.5450",
        "power_kw": 20,
        "power_guarantee": "true",
        "host_structure": "subway_line",
        "host_name": "地铁13号线",
        "section": "深圳湾口岸—科技园",
    },
}


def template_row(kind: AssetKind) -> dict[str, Any]:
    defaults: dict[str, Any] = {
        "kind": kind.value,
        "status": "available",
        "capacity_total": 12,
        "capacity_free": 5,
        "visibility": "public",
        "sharing_terms": "按年租用，可协商",
        "indicative_price_cny": 3000,
        "lead_time_days": 30,
        "description": f"capacity unit: {CAPACITY_UNITS[kind]}",
    }
    return defaults | TEMPLATE_EXAMPLES[kind]
