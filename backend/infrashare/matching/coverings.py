"""Areas of interest as the grid terms asset documents carry (see assets/search.py).

An area — the cells within some metres of a point or a route, or the cells that meet a box or a
polygon — becomes a list of terms for ``cells IN [...]``: a block of 0.1° or 1° wherever the whole
block lies inside, single 0.01° cells along the edge. A cell belongs to a reach when its centre
does, which is how the grid shows an asset to those who see it coarsely. A very large area would need thousands of
edge cells, so past ``MAX_TERMS`` its edge is drawn with 0.1° blocks (≈ 11 km), then 1° blocks:
it may then take in a little more than asked, never less.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from infrashare.assets.search import BLOCK_SIDES, cell_term, grid_index
from infrashare.assets.visibility import GRID_DEGREES
from infrashare.core.geo import BBox, Polygon, Position, Ruler, padded, ring_box, vertices

MAX_TERMS = 1500  # a filter of 1,500 terms costs Meilisearch ~5 ms
Block = tuple[int, int, int]  # level, column, row


def cell_range(level: int, i: int, j: int) -> tuple[int, int, int, int]:
    """The grid cells (first and last column, first and last row) of a block."""
    side = BLOCK_SIDES[level]
    return i * side, i * side + side - 1, j * side, j * side + side - 1


class Area(Protocol):
    def cells(self) -> tuple[int, int, int, int]:
        """The grid cells the area may take in: first and last column, first and last row."""
        ...

    def holds(self, block: Block) -> bool:
        """Every cell of the block is in the area."""
        ...

    def touches(self, block: Block) -> bool:
        """Some cell of the block may be in the area."""
        ...


@dataclass(frozen=True)
class Box:
    """The cells whose centre lies in a lon/lat box padded by half a cell."""

    first_column: int
    last_column: int
    first_row: int
    last_row: int

    @classmethod
    def around(cls, min_lon: float, min_lat: float, max_lon: float, max_lat: float) -> Box:
        return cls(grid_index(min_lon), grid_index(max_lon), grid_index(min_lat), grid_index(max_lat))

    def cells(self) -> tuple[int, int, int, int]:
        return self.first_column, self.last_column, self.first_row, self.last_row

    def holds(self, block: Block) -> bool:
        i0, i1, j0, j1 = cell_range(*block)
        return (
            self.first_column <= i0
            and i1 <= self.last_column
            and self.first_row <= j0
            and j1 <= self.last_row
        )

    def touches(self, block: Block) -> bool:
        i0, i1, j0, j1 = cell_range(*block)
        return (
            i0 <= self.last_column
            and self.first_column <= i1
            and j0 <= self.last_row
            and self.first_row <= j1
        )


def _extent(block: Block) -> BBox:
    """The lon/lat box a block's cells cover (a cell reaches half a cell either side of its centre)."""
    i0, i1, j0, j1 = cell_range(*block)
    half = GRID_DEGREES / 2
    return (
        i0 * GRID_DEGREES - half,
        j0 * GRID_DEGREES - half,
        i1 * GRID_DEGREES + half,
        j1 * GRID_DEGREES + half,
    )


@dataclass(frozen=True)
class Shape:
    """The cells that meet a polygon, as ``Box`` takes the cells that meet a box."""

    polygon: Polygon
    box: BBox

    @classmethod
    def of(cls, ring: list[Position]) -> Shape:
        return cls(Polygon.of(ring), ring_box(ring) or (0.0, 0.0, 0.0, 0.0))

    def cells(self) -> tuple[int, int, int, int]:
        return Box.around(*self.box).cells()

    def holds(self, block: Block) -> bool:
        return self.polygon.holds_box(_extent(block))

    def touches(self, block: Block) -> bool:
        return self.polygon.meets_box(_extent(block))


@dataclass(frozen=True)
class Reach:
    """The cells whose centre lies within ``metres`` of a point or a route."""

    geometry: dict[str, Any]
    metres: float

    @cached_property
    def ruler(self) -> Ruler:
        return Ruler.to(self.geometry)

    def bounds(self) -> BBox:
        """min lon, min lat, max lon, max lat of everything within reach."""
        return padded(ring_box(vertices(self.geometry)) or (0.0, 0.0, 0.0, 0.0), self.metres)

    def cells(self) -> tuple[int, int, int, int]:
        return Box.around(*self.bounds()).cells()

    def _distance_and_spread(self, block: Block) -> tuple[float, float]:
        """Distance from the block's middle to the geometry, and from its middle to a corner cell."""
        i0, i1, j0, j1 = cell_range(*block)
        half = (i1 - i0) / 2 * GRID_DEGREES
        spread = math.hypot(half * self.ruler.per_lon, half * self.ruler.per_lat)
        return self.ruler.metres((i0 + i1) / 2 * GRID_DEGREES, (j0 + j1) / 2 * GRID_DEGREES), spread

    def holds(self, block: Block) -> bool:
        distance, spread = self._distance_and_spread(block)
        return distance + spread <= self.metres

    def touches(self, block: Block) -> bool:
        distance, spread = self._distance_and_spread(block)
        return distance - spread <= self.metres


def nearest_cell_m(ruler: Ruler, terms: list[str]) -> float:
    """Distance to the nearest of a document's grid cells (its level-0 terms)."""
    nearest = math.inf
    for term in terms:
        level, i, j = term.split(":")
        if level == "0":
            nearest = min(nearest, ruler.metres(int(i) * GRID_DEGREES, int(j) * GRID_DEGREES))
    return nearest


def covering(area: Area) -> list[str]:
    """The terms of the area: exact on the ~1 km grid, coarser only past ``MAX_TERMS``."""
    for finest in range(len(BLOCK_SIDES) - 1):
        terms = _cover(area, finest, MAX_TERMS)
        if terms is not None:
            return terms
    return _cover(area, len(BLOCK_SIDES) - 1, None) or []


def _cover(area: Area, finest: int, budget: int | None) -> list[str] | None:
    """Walks down from the 1° blocks; None once the terms exceed the budget."""
    top = len(BLOCK_SIDES) - 1
    side = BLOCK_SIDES[top]
    i0, i1, j0, j1 = area.cells()
    pending: list[Block] = [
        (top, i, j) for i in range(i0 // side, i1 // side + 1) for j in range(j0 // side, j1 // side + 1)
    ]
    terms: list[str] = []
    while pending:
        block = pending.pop()
        level, i, j = block
        b0, b1, c0, c1 = cell_range(*block)
        if b1 < i0 or i1 < b0 or c1 < j0 or j1 < c0:  # outside the area's cells: no need to measure
            continue
        if area.holds(block) or (level == finest and area.touches(block)):
            terms.append(cell_term(*block))
            if budget is not None and len(terms) > budget:
                return None
        elif level > finest and area.touches(block):
            ratio = BLOCK_SIDES[level] // BLOCK_SIDES[level - 1]
            pending.extend(
                (level - 1, i * ratio + di, j * ratio + dj) for di in range(ratio) for dj in range(ratio)
            )
    return terms
