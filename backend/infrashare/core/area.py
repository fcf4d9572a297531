"""Some regions and everything below them: a region filter, or a regulator's jurisdiction.

Built once from the regions' materialised paths (``regions.service.area_of``); it renders
"inside" as one condition for SQL and Meilisearch (``core.conditions.Within``).
"""

from __future__ import annotations

from dataclasses import dataclass

from infrashare.core.conditions import Condition, Nothing, Within

# The attribute of every indexed document listing its region and that region's ancestors; in
# SQL the same name maps to a ``Tree`` over the region code column (``regions.service.region_tree``).
REGION_FIELD = "region_codes"


@dataclass(frozen=True)
class Area:
    roots: tuple[str, ...] = ()
    """The region codes as given (no descendants)."""
    paths: tuple[str, ...] = ()
    """Their materialised paths, in the same order."""

    def __bool__(self) -> bool:
        return bool(self.roots)

    def condition(self, field: str = REGION_FIELD) -> Condition:
        return Within(field, self.roots, self.paths) if self.roots else Nothing()

    def covers_path(self, path: str) -> bool:
        return any(path.startswith(root) for root in self.paths)


@dataclass(frozen=True)
class Jurisdiction(Area):
    """What a regulator oversees, with every code inside it (for checks on loaded rows: is
    this need's region mine?). Empty for everyone who is not a regulator."""

    codes: frozenset[str] = frozenset()
    """Every region inside, the roots included."""

    def __contains__(self, code: object) -> bool:
        return code in self.codes


NO_JURISDICTION = Jurisdiction()
