"""Areas of interest as the grid terms asset documents carry (see assets/search.py).

An area — the cells within some metres of a point or a route, or the cells of a box — becomes a
list of terms for ``cells IN [...]``: a block of 0.1° or 1° wherever the whole block lies inside,
single 0.01° cells along the edge. A cell belongs to the area when its centre does, which is how
the grid shows an asset to those who see it coarsely. A very large area would need thousands of
edge cells, so past ``MAX_TERMS`` its edge is drawn with 0.1° blocks (≈ 11 km), then 1° blocks:
it may then take in a little more than asked, never less.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from infrashare.assets.search import BLOCK_SIDES, cell_term, grid_index
from infrashare.assets.visibility import GRID_DEGREES
from infrashare.matching.geometry import vertices

MAX_TERMS = 1500  # a filter of 1,500 terms costs Meilisearch ~5 ms
METRES_PER_DEGREE = 111_320.0
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


@dataclass(frozen=True)
class Ruler:
    """Distances to a point or a route on a flat projection about its first vertex: a few
    multiplications per distance, and within a fraction of a percent over tens of kilometres."""

    line: tuple[tuple[float, float], ...]  # the geometry's vertices, in metres
    per_lon: float  # metres per degree east–west, at the geometry's latitude
    per_lat: float

    @classmethod
    def to(cls, geometry: dict[str, Any]) -> Ruler:
        points = vertices(geometry)
        per_lon = METRES_PER_DEGREE * math.cos(math.radians(points[0][1]))
        return cls(
            tuple((lon * per_lon, lat * METRES_PER_DEGREE) for lon, lat in points), per_lon, METRES_PER_DEGREE
        )

    def metres(self, lon: float, lat: float) -> float:
        x, y = lon * self.per_lon, lat * self.per_lat
        if len(self.line) == 1:
            return math.hypot(x - self.line[0][0], y - self.line[0][1])
        return min(_to_segment(x, y, a, b) for a, b in itertools.pairwise(self.line))

    def nearest_cell_m(self, terms: list[str]) -> float:
        """Distance to the nearest of a document's grid cells (its level-0 terms)."""
        nearest = math.inf
        for term in terms:
            level, i, j = term.split(":")
            if level == "0":
                nearest = min(nearest, self.metres(int(i) * GRID_DEGREES, int(j) * GRID_DEGREES))
        return nearest


def _to_segment(x: float, y: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((x - a[0]) * dx + (y - a[1]) * dy) / length2))
    return math.hypot(x - a[0] - t * dx, y - a[1] - t * dy)


@dataclass(frozen=True)
class Reach:
    """The cells whose centre lies within ``metres`` of a point or a route."""

    geometry: dict[str, Any]
    metres: float

    @cached_property
    def ruler(self) -> Ruler:
        return Ruler.to(self.geometry)

    def bounds(self) -> tuple[float, float, float, float]:
        """min lon, min lat, max lon, max lat of everything within reach."""
        points = vertices(self.geometry)
        lat_pad = self.metres / METRES_PER_DEGREE
        widest = max(abs(lat) for _, lat in points) + lat_pad
        lon_pad = lat_pad / max(0.01, math.cos(math.radians(min(89.0, widest))))
        lons, lats = [lon for lon, _ in points], [lat for _, lat in points]
        return (
            max(-180.0, min(lons) - lon_pad),
            max(-90.0, min(lats) - lat_pad),
            min(180.0, max(lons) + lon_pad),
            min(90.0, max(lats) + lat_pad),
        )

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
