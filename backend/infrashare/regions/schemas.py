"""Region bodies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from infrashare.core.paging import Page

if TYPE_CHECKING:
    from infrashare.regions.models import Region

REGION_CODE_PATTERN = r"^\d{6}(\d{3})?$"
"""A GB/T 2260 division code (6 digits), or a township's 9."""
RegionCode = Annotated[str, StringConstraints(pattern=REGION_CODE_PATTERN)]


class RegionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    short_name: str
    pinyin: str
    level: str
    parent_code: str | None
    lon: float | None
    lat: float | None


class RegionDetail(RegionRead):
    ancestors: list[RegionRead]
    children: list[RegionRead]

    @classmethod
    def from_model(cls, region: Region, ancestors: list[Region], children: list[Region]) -> RegionDetail:
        return cls.model_validate(
            {
                **RegionRead.model_validate(region).model_dump(),
                "ancestors": ancestors,
                "children": children,
            }
        )


RegionPage = Page[RegionRead]


class RegionSearchPage(Page[RegionRead]):
    degraded: bool = Field(description="True when Meilisearch was unreachable and the database answered.")
