"""Who sees which need: the one rule the lists, reads, workflow and search go through.

- The requesting organisation sees its own needs in every state.
- Everyone sees published needs (published once; they stay visible when matched, fulfilled…).
- Regulators also see submitted needs in their jurisdiction (descendant regions included), to
  review them; platform admins see every submitted need.

``rule(principal)`` is the one definition; ``visible_clause`` renders it as SQL, and
``index_filter`` as a Meilisearch filter over the needs index's attributes of the same names.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from infrashare.core.area import REGION_FIELD
from infrashare.core.conditions import Columns, Condition, Eq, Flag, Predicate, all_of, any_of
from infrashare.core.principal import Principal, Role
from infrashare.needs.models import Need
from infrashare.regions.service import region_tree

SQL_FIELDS: Columns = {
    "organisation_id": Need.organisation_id,
    "published": Predicate(Need.published_at.is_not(None)),
    "submitted": Predicate(Need.submitted_at.is_not(None)),
    REGION_FIELD: region_tree(Need.region_code),
}


def rule(principal: Principal) -> Condition:
    """Own needs always; others' once published; submitted ones for those who review them."""
    return any_of(
        Eq("organisation_id", principal.organisation_id),
        Flag("published"),
        all_of(Flag("submitted"), principal.jurisdiction.condition()),
        Flag("submitted") if principal.role == Role.PLATFORM_ADMIN else any_of(),
    )


def visible_clause(principal: Principal) -> ColumnElement[bool]:
    return rule(principal).sql(SQL_FIELDS)


def index_filter(principal: Principal) -> str:
    return rule(principal).meili()


def in_jurisdiction(principal: Principal) -> ColumnElement[bool]:
    """SQL: needs in the principal's jurisdiction (none for everyone but regulators)."""
    return principal.jurisdiction.condition().sql(SQL_FIELDS)
