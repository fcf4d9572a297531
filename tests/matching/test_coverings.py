"""Areas as grid terms: the same cells a brute-force walk over the grid finds, in far fewer terms."""

from __future__ import annotations

from typing import Any

from infrashare.assets.search import BLOCK_SIDES, cell_terms
from infrashare.core.geo import Ruler
from infrashare.matching.coverings import MAX_TERMS, Box, Reach, Shape, covering, nearest_cell_m

FUTIAN = {"type": "Point", "coordinates": [114.0503, 22.5411]}
# A duct of ~12 km from 南山 to 福田, with a bend.
ROUTE = {"type": "LineString", "coordinates": [[113.93, 22.52], [113.99, 22.55], [114.05, 22.54]]}


def grid_cells(terms: list[str]) -> set[tuple[int, int]]:
    """The 0.01° cells the terms stand for (a block stands for all of its cells)."""
    cells = set()
    for term in terms:
        level, i, j = (int(part) for part in term.split(":"))
        side = BLOCK_SIDES[level]
        cells |= {(i * side + di, j * side + dj) for di in range(side) for dj in range(side)}
    return cells


def within(geometry: dict[str, Any], metres: float) -> set[tuple[int, int]]:
    """Brute force: every cell of a wide window whose centre is within ``metres``."""
    area = Reach(geometry, metres)
    i0, i1, j0, j1 = area.cells()
    return {
        (i, j)
        for i in range(i0 - 5, i1 + 6)
        for j in range(j0 - 5, j1 + 6)
        if area.ruler.metres(i / 100, j / 100) <= metres
    }


def test_a_radius_is_exactly_the_cells_whose_centre_is_within_it() -> None:
    for metres in (300, 1_800, 25_000):
        terms = covering(Reach(FUTIAN, metres))
        assert grid_cells(terms) == within(FUTIAN, metres)
        assert len(terms) == len(set(terms))
    assert any(term.startswith("1:") for term in covering(Reach(FUTIAN, 25_000)))  # blocks inside


def test_a_corridor_follows_the_whole_route() -> None:
    terms = covering(Reach(ROUTE, 1_000))
    assert grid_cells(terms) == within(ROUTE, 1_000)
    middle = (11396, 2254)  # the cell ~500 m off the middle of the first leg, 3.5 km from its ends
    assert middle in grid_cells(terms)
    ends = [Ruler.to({"type": "Point", "coordinates": ROUTE["coordinates"][n]}) for n in (0, -1)]
    assert min(end.metres(middle[0] / 100, middle[1] / 100) for end in ends) > 3_000


def test_a_box_is_the_cells_whose_centre_lies_in_it_padded_by_half_a_cell() -> None:
    terms = covering(Box.around(113.9, 22.45, 114.35, 22.8))
    expected = {(i, j) for i in range(11390, 11436) for j in range(2245, 2281)}
    assert grid_cells(terms) == expected
    assert len(terms) < len(expected) / 3  # 0.1° blocks inside, cells along the edge only


def test_a_very_large_area_draws_its_edge_with_blocks_never_losing_a_cell() -> None:
    metres = 150_000
    terms = covering(Reach(FUTIAN, metres))
    assert len(terms) <= MAX_TERMS
    assert grid_cells(terms) >= within(FUTIAN, metres)


def test_a_document_carries_its_cells_and_the_blocks_they_lie_in() -> None:
    terms = cell_terms(ROUTE)
    cells = [term for term in terms if term.startswith("0:")]
    assert len(cells) > 10 and len(terms) == len(set(terms))
    assert {term.split(":")[0] for term in terms} == {"0", "1", "2"}
    assert grid_cells([term for term in terms if term.startswith("1:")]) >= grid_cells(cells)
    # Distance to the nearest cell of the route, not to its first point.
    near_the_end = {"type": "Point", "coordinates": [114.05, 22.54]}
    assert nearest_cell_m(Ruler.to(near_the_end), terms) < 800


def test_a_polygon_takes_the_cells_it_meets_not_its_bounding_box() -> None:
    # An L: a bar along the bottom and a bar up the left; edges off the cell boundaries (x.xx5).
    bottom = (113.903, 22.503, 113.957, 22.527)
    left = (113.903, 22.503, 113.927, 22.577)
    ring = [
        (113.903, 22.503),
        (113.957, 22.503),
        (113.957, 22.527),
        (113.927, 22.527),
        (113.927, 22.577),
        (113.903, 22.577),
    ]

    def meets(i: int, j: int, box: tuple[float, float, float, float]) -> bool:
        # cell (i, j) spans its centre (i/100, j/100) ± half a cell
        return (
            (i - 0.5) / 100 <= box[2]
            and (i + 0.5) / 100 >= box[0]
            and (j - 0.5) / 100 <= box[3]
            and (j + 0.5) / 100 >= box[1]
        )

    expected = {
        (i, j)
        for i in range(11385, 11400)
        for j in range(2245, 2262)
        if meets(i, j, bottom) or meets(i, j, left)
    }
    terms = covering(Shape.of(ring))
    assert grid_cells(terms) == expected
    assert (11395, 2257) not in grid_cells(terms)  # inside the bounding box, outside the L
