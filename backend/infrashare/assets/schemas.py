"""Asset bodies: geometry, capacity, one attribute schema per kind, create/update/read, imports.

Field-level rules (types, ranges, vertex counts) live here; rules that combine fields or need
the database (free ≤ total, geometry type per kind, region exists) live in ``service.check_rules``
so the API and the bulk import report them the same way.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from infrashare.assets.models import Asset, AssetImportJob, AssetKind, AssetStatus, ImportStatus, Visibility
from infrashare.assets.visibility import Viewer, present
from infrashare.core.geo import Geometry
from infrashare.core.paging import Page
from infrashare.regions.schemas import RegionCode

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]

CAPACITY_UNITS: dict[AssetKind, str] = {
    AssetKind.TOWER: "mounting_positions",
    AssetKind.POLE: "mounting_positions",
    AssetKind.DUCT: "sub_ducts",
    AssetKind.CABLE: "fibre_cores",
    AssetKind.MACHINE_ROOM: "rack_positions",
    AssetKind.RESERVED_SPACE: "slots",
}
GEOMETRY_TYPES: dict[AssetKind, frozenset[str]] = {
    AssetKind.TOWER: frozenset({"Point"}),
    AssetKind.POLE: frozenset({"Point"}),
    AssetKind.MACHINE_ROOM: frozenset({"Point"}),
    AssetKind.DUCT: frozenset({"LineString"}),
    AssetKind.CABLE: frozenset({"LineString"}),
    AssetKind.RESERVED_SPACE: frozenset({"Point", "LineString"}),
}


# --- kind-specific attributes: one schema per kind, discriminated by `kind` ---------------------


class _Attributes(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TowerAttributes(_Attributes):
    kind: Literal["tower"] = "tower"
    height_m: float = Field(gt=0, le=400, description="Height above ground, metres")
    structure_type: Literal["lattice", "monopole", "guyed", "camouflaged", "rooftop"]
    wind_load_class: ShortText | None = Field(default=None, description="Design wind load class, e.g. 'B'")
    mounting_heights_m: list[Annotated[float, Field(gt=0, le=400)]] = Field(
        default_factory=list, max_length=50, description="Heights of the mounting positions, metres"
    )


class PoleAttributes(_Attributes):
    kind: Literal["pole"] = "pole"
    height_m: float = Field(gt=0, le=60, description="Height above ground, metres")
    structure_type: Literal["concrete", "steel", "wood", "composite", "smart_pole", "street_light"]
    wind_load_class: ShortText | None = None
    mounting_heights_m: list[Annotated[float, Field(gt=0, le=60)]] = Field(
        default_factory=list, max_length=20
    )


class DuctAttributes(_Attributes):
    kind: Literal["duct"] = "duct"
    diameter_mm: int = Field(gt=0, le=2000, description="Inner diameter of a bore, millimetres")
    material: Literal["pvc", "hdpe", "steel", "concrete", "cast_iron", "other"]
    bores: int | None = Field(default=None, ge=1, le=100, description="Number of bores in the duct bank")


class CableAttributes(_Attributes):
    kind: Literal["cable"] = "cable"
    fibre_type: Literal["G.652D", "G.654E", "G.655", "G.657A1", "G.657A2", "OM3", "OM4", "other"]
    length_km: float = Field(gt=0, le=5000, description="Cable length, kilometres")
    laying: Literal["duct", "aerial", "direct_buried", "tunnel"] | None = None


class MachineRoomAttributes(_Attributes):
    kind: Literal["machine_room"] = "machine_room"
    floor_area_m2: float = Field(gt=0, le=100_000, description="Floor area, square metres")
    cooling: Literal["none", "ventilation", "split_ac", "precision_ac", "liquid"]
    access_hours: ShortText = Field(default="24x7", description="When a sharer's staff may enter")


class ReservedSpaceAttributes(_Attributes):
    kind: Literal["reserved_space"] = "reserved_space"
    host_structure: Literal["subway_line", "tunnel", "bridge"]
    host_name: Text200 = Field(description="The subway line, tunnel or bridge, e.g. 地铁13号线")
    section: ShortText | None = Field(default=None, description="Section or station range")


AssetAttributes = Annotated[
    TowerAttributes
    | PoleAttributes
    | DuctAttributes
    | CableAttributes
    | MachineRoomAttributes
    | ReservedSpaceAttributes,
    Field(discriminator="kind"),
]
ATTRIBUTE_MODELS: dict[AssetKind, type[_Attributes]] = {
    AssetKind.TOWER: TowerAttributes,
    AssetKind.POLE: PoleAttributes,
    AssetKind.DUCT: DuctAttributes,
    AssetKind.CABLE: CableAttributes,
    AssetKind.MACHINE_ROOM: MachineRoomAttributes,
    AssetKind.RESERVED_SPACE: ReservedSpaceAttributes,
}


class Capacity(BaseModel):
    unit: str | None = Field(
        default=None, description="Fixed by the kind (mounting_positions, sub_ducts, fibre_cores, …)"
    )
    total: int = Field(ge=0, le=1_000_000)
    free: int = Field(ge=0, le=1_000_000, description="At most `total`")
    power_kw: float | None = Field(default=None, ge=0, le=100_000, description="Power available, kW")
    power_guarantee: bool = Field(default=False, description="Whether a power supply guarantee is offered")


class SharingTerms(BaseModel):
    terms: str = Field(default="", max_length=5000)
    indicative_price_cny: int | None = Field(
        default=None, ge=0, description="Indicative price per capacity unit and year, whole CNY"
    )
    lead_time_days: int | None = Field(default=None, ge=0, le=3650)


def _fill_attribute_kind(data: Any) -> Any:
    """`attributes.kind` defaults to the asset's kind, so callers need not repeat it."""
    attributes = data.get("attributes") if isinstance(data, dict) else None
    if isinstance(attributes, dict) and "kind" in data and "kind" not in attributes:
        data = {**data, "attributes": {**attributes, "kind": data["kind"]}}
    return data


class AssetCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: AssetKind
    name: Text200
    description: str = Field(default="", max_length=5000)
    geometry: Geometry
    region_code: RegionCode
    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None
    status: AssetStatus = AssetStatus.AVAILABLE
    ready_date: date | None = Field(default=None, description="Required when status is planned")
    external_id: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None
    ) = Field(default=None, description="The owner's own id; unique within the organisation")
    capacity: Capacity
    attributes: AssetAttributes
    sharing: SharingTerms = Field(default_factory=SharingTerms)
    visibility: Visibility = Visibility.PUBLIC

    _fill = model_validator(mode="before")(_fill_attribute_kind)


class AssetUpdate(BaseModel):
    """Every field optional. `capacity`, `sharing` and `attributes` merge into the stored values."""

    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(default=None, ge=1, description="The version you read; or send If-Match")
    name: Text200 | None = None
    description: str | None = Field(default=None, max_length=5000)
    geometry: Geometry | None = None
    region_code: RegionCode | None = None
    address: str | None = Field(default=None, max_length=300)
    status: AssetStatus | None = None
    ready_date: date | None = None
    external_id: str | None = Field(default=None, max_length=100)
    capacity: dict[str, Any] | None = Field(default=None, description="Fields of Capacity to change")
    attributes: dict[str, Any] | None = Field(default=None, description="Fields of the kind's attributes")
    sharing: dict[str, Any] | None = Field(default=None, description="Fields of SharingTerms to change")
    visibility: Visibility | None = None


class RetireRequest(BaseModel):
    version: int | None = Field(default=None, ge=1)
    reason: str | None = Field(default=None, max_length=2000)


class CapacityRead(BaseModel):
    unit: str
    total: int
    free: int
    power_kw: float | None
    power_guarantee: bool


class AssetRead(BaseModel):
    id: uuid.UUID
    owner_organisation_id: uuid.UUID
    kind: AssetKind
    name: str
    description: str
    geometry: dict[str, Any]
    location_precision: Literal["exact", "approx_1km"] = Field(
        description="approx_1km: coordinates snapped to a 0.01° grid, address and external_id withheld"
    )
    region_code: str
    address: str | None
    status: AssetStatus
    ready_date: date | None
    external_id: str | None
    capacity: CapacityRead
    attributes: dict[str, Any]
    sharing: SharingTerms
    visibility: Visibility
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, asset: Asset, viewer: Viewer) -> AssetRead:
        """What ``viewer`` may see of ``asset`` (exact or coarsened location: ``visibility.present``)."""
        shown = present(viewer, asset)
        return cls(
            id=asset.id,
            owner_organisation_id=asset.owner_organisation_id,
            kind=asset.kind,
            name=asset.name,
            description=asset.description,
            geometry=shown.geometry,
            location_precision="exact" if shown.exact else "approx_1km",
            region_code=asset.region_code,
            address=shown.address,
            status=asset.status,
            ready_date=asset.ready_date,
            external_id=shown.external_id,
            capacity=CapacityRead(
                unit=asset.capacity_unit,
                total=asset.capacity_total,
                free=asset.capacity_free,
                power_kw=asset.power_kw,
                power_guarantee=asset.power_guarantee,
            ),
            attributes=asset.attributes,
            sharing=SharingTerms(
                terms=asset.sharing_terms,
                indicative_price_cny=asset.indicative_price_cny,
                lead_time_days=asset.lead_time_days,
            ),
            visibility=asset.visibility,
            version=asset.version,
            created_at=asset.created_at,
            updated_at=asset.updated_at,
        )


AssetPage = Page[AssetRead]


class ImportErrorItem(BaseModel):
    row: int = Field(
        description="The row as a spreadsheet shows it (CSV: the header is row 1, the first data row 2), or feature index + 1"
    )
    column: str
    message: str


class ImportJobRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    status: ImportStatus
    format: str
    filename: str | None
    content_digest: str
    rows_total: int
    rows_validated: int
    rows_written: int
    created_count: int
    updated_count: int
    unchanged_count: int
    error_count: int
    detail: str | None
    created_at: datetime
    finished_at: datetime | None
    errors: list[ImportErrorItem] = Field(default_factory=list)

    @classmethod
    def from_model(cls, job: AssetImportJob) -> ImportJobRead:
        """The job as stored: its progress is written by whichever process runs it."""
        data: dict[str, Any] = {name: getattr(job, name) for name in cls.model_fields if name != "errors"}
        data["errors"] = (job.errors or {}).get("items", [])
        return cls.model_validate(data)
