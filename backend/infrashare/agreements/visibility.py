"""Who sees which sharing request: its requester and owner organisations, and regulators whose
jurisdiction (descendant regions included) contains the asset's region. Everyone else gets 404.

``rule(principal)`` is the one definition; requests are not in a search index, so only its SQL
rendering is used (over a query that joins the request's asset).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from infrashare.agreements.models import SharingRequest
from infrashare.assets.models import Asset
from infrashare.core.area import REGION_FIELD
from infrashare.core.conditions import Columns, Condition, Eq, any_of
from infrashare.core.principal import Principal
from infrashare.regions.service import region_tree

SQL_FIELDS: Columns = {
    "requester_id": SharingRequest.requester_organisation_id,
    "owner_id": SharingRequest.owner_organisation_id,
    REGION_FIELD: region_tree(Asset.region_code),
}


def rule(principal: Principal) -> Condition:
    return any_of(
        Eq("requester_id", principal.organisation_id),
        Eq("owner_id", principal.organisation_id),
        principal.jurisdiction.condition(),
    )


def visible_clause(principal: Principal) -> ColumnElement[bool]:
    return rule(principal).sql(SQL_FIELDS)


def in_jurisdiction(principal: Principal) -> ColumnElement[bool]:
    """Requests on assets in the principal's jurisdiction (none for everyone but regulators)."""
    return principal.jurisdiction.condition().sql(SQL_FIELDS)
