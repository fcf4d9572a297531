"""Who sees which asset, and how precisely: the one rule every read path goes through.

- The owner organisation sees its assets exactly, whatever their visibility.
- Regulators see every asset in their jurisdiction (descendant regions included) exactly;
  outside it, `public` and `regulators` assets at ~1 km precision.
- Other operators see `public` and `operators` assets at ~1 km precision, unless they hold an
  accepted request or an active agreement on the asset (``granted_assets``): then
  they see it exactly, whatever its visibility.
- Platform admins see every asset at ~1 km precision (they run the platform, they do not need
  to know where a duct runs).

At ~1 km precision every vertex is snapped to a 0.01° grid (≈ 1.1 km north–south, ≈ 1.0 km
east–west in Shenzhen), consecutive duplicates are dropped, and the address and external id
are withheld. An asset the caller may not see does not exist for them (404).

``Viewer.rule()`` is the one definition of "may see at all": the database's queries render it
as SQL (``can_see``), the search as a Meilisearch filter (``index_filter``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from infrashare.agreements.models import SharingRequest
from infrashare.assets.models import Asset, Visibility
from infrashare.core.area import NO_JURISDICTION, REGION_FIELD, Jurisdiction
from infrashare.core.conditions import Columns, Condition, Eq, In, Related, any_of
from infrashare.core.principal import OrganisationKind, Principal, Role
from infrashare.regions.service import region_tree

GRID_DEGREES = 0.01

SEEN_BY: dict[OrganisationKind, frozenset[Visibility]] = {
    OrganisationKind.OPERATOR: frozenset({Visibility.PUBLIC, Visibility.OPERATORS}),
    OrganisationKind.REGULATOR: frozenset({Visibility.PUBLIC, Visibility.REGULATORS}),
    OrganisationKind.PLATFORM: frozenset(Visibility),
}


# A request grants its requester the asset while it holds units of it (accepted, under regulator
# review, active, or disputed after acceptance): exactly the requests with ``reserved_units``.
HOLDS_UNITS = SharingRequest.reserved_units > 0


def granted_assets(organisation_id: uuid.UUID) -> Select[uuid.UUID]:
    """Assets this organisation holds an accepted sharing request or an active agreement on."""
    return select(SharingRequest.asset_id).where(
        SharingRequest.requester_organisation_id == organisation_id, HOLDS_UNITS
    )


def grant_holders(asset_ids: Sequence[uuid.UUID]) -> Select[uuid.UUID, uuid.UUID]:
    """(asset, organisation) for every organisation granted one of these assets."""
    return select(SharingRequest.asset_id, SharingRequest.requester_organisation_id).where(
        SharingRequest.asset_id.in_(asset_ids), HOLDS_UNITS
    )


async def assets_with_granted_access(db: AsyncSession, organisation_id: uuid.UUID) -> frozenset[uuid.UUID]:
    return frozenset((await db.scalars(granted_assets(organisation_id).distinct())).all())


# What the asset rule's field names stand for in SQL (in the index they are the documents'
# attributes of the same names, see assets/search.py).
SQL_FIELDS: Columns = {
    "owner_id": Asset.owner_organisation_id,
    "visibility": Asset.visibility,
    REGION_FIELD: region_tree(Asset.region_code),
    "granted_to": Related(Asset.id, lambda organisation: granted_assets(uuid.UUID(str(organisation)))),
}


@dataclass(frozen=True)
class Viewer:
    """The caller as the visibility rule needs it, resolved once per request."""

    organisation_id: uuid.UUID
    kind: OrganisationKind
    role: Role
    jurisdiction: Jurisdiction = NO_JURISDICTION  # the principal's, expanded once
    # The granted assets among those being presented: all of them (``viewer_for``), or only
    # those of a page, read along with it (``holds_grant``). SQL conditions never need them.
    granted: frozenset[uuid.UUID] = field(default_factory=frozenset)

    def rule(self) -> Condition:
        """The assets this viewer may see at all: the one definition, for SQL and the index.
        Each asset's document lists who holds units of it (``granted_to``): a filter as short
        for an operator with thousands of agreements as for one with none."""
        organisation = self.organisation_id
        return any_of(
            Eq("owner_id", organisation),
            In("visibility", tuple(sorted(SEEN_BY[self.kind]))),
            self.jurisdiction.condition(),
            Eq("granted_to", organisation),
        )

    def can_see(self) -> ColumnElement[bool]:
        """SQL condition: the assets this viewer may see at all."""
        return self.rule().sql(SQL_FIELDS)

    def index_filter(self) -> str:
        """Meilisearch filter: the assets this viewer may see at all."""
        return self.rule().meili()

    def holds_grant(self) -> ColumnElement[bool]:
        """SQL condition: the viewer's organisation holds units of the asset."""
        return Asset.id.in_(granted_assets(self.organisation_id))

    def sees(self, asset: Asset) -> bool:
        return (
            self.sees_exactly(asset)
            or asset.visibility in SEEN_BY[self.kind]
            or asset.region_code in self.jurisdiction
        )

    def sees_exactly(self, asset: Asset) -> bool:
        return (
            asset.owner_organisation_id == self.organisation_id
            or asset.id in self.granted
            or asset.region_code in self.jurisdiction
        )

    def is_owner(self, asset: Asset) -> bool:
        return asset.owner_organisation_id == self.organisation_id


async def viewer_for(db: AsyncSession, principal: Principal, with_grants: bool = True) -> Viewer:
    """The caller as the visibility rule sees them; ``with_grants=False`` for a search, which
    reads the grants of its page only, with the page (one query fewer per search)."""
    granted = await assets_with_granted_access(db, principal.organisation_id) if with_grants else frozenset()
    return Viewer(
        organisation_id=principal.organisation_id,
        kind=principal.organisation_kind,
        role=principal.role,
        jurisdiction=principal.jurisdiction,
        granted=granted,
    )


def snap(value: float) -> float:
    return round(round(value / GRID_DEGREES) * GRID_DEGREES, 2)


def coarsen_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    """The geometry on the ~1 km grid. A route that collapses to one cell becomes that Point."""
    if geometry["type"] == "Point":
        lon, lat = geometry["coordinates"][:2]
        return {"type": "Point", "coordinates": [snap(lon), snap(lat)]}
    snapped: list[list[float]] = []
    for lon, lat, *_ in geometry["coordinates"]:
        vertex = [snap(lon), snap(lat)]
        if not snapped or snapped[-1] != vertex:
            snapped.append(vertex)
    if len(snapped) == 1:
        return {"type": "Point", "coordinates": snapped[0]}
    return {"type": "LineString", "coordinates": snapped}


@dataclass(frozen=True)
class Presented:
    """What of an asset's location a viewer gets."""

    geometry: dict[str, Any]
    exact: bool
    address: str | None
    external_id: str | None


def present(viewer: Viewer, asset: Asset) -> Presented:
    if viewer.sees_exactly(asset):
        return Presented(asset.geometry, True, asset.address, asset.external_id)
    return Presented(coarsen_geometry(asset.geometry), False, None, None)
