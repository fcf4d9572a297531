"""Who is calling: a signed-in user or an OAuth client acting for one organisation.

Every feature asks for the principal; it lives in core so that no feature (oauth, audit,
regions) imports accounts for it. Accounts and oauth build principals (``session_principal``,
``token_principal``); ``core.authentication`` picks one per request.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime

from litestar.di import NamedDependency

from infrashare.core.area import NO_JURISDICTION, Jurisdiction
from infrashare.core.errors import PermissionDenied


class OrganisationKind(enum.StrEnum):
    OPERATOR = "operator"
    REGULATOR = "regulator"
    PLATFORM = "platform"


class Role(enum.StrEnum):
    OPERATOR_ADMIN = "operator_admin"
    OPERATOR_MEMBER = "operator_member"
    REGULATOR = "regulator"
    PLATFORM_ADMIN = "platform_admin"


@dataclass(frozen=True)
class Actor:
    """Who did it (the event log's word): a user of an organisation, an OAuth client, or the
    system itself."""

    user_id: uuid.UUID | None = None
    organisation_id: uuid.UUID | None = None
    client_id: str | None = None


SYSTEM = Actor()


@dataclass(frozen=True)
class Principal:
    """A person (``user_id``) or a partner system (``client_id``) acting for one organisation.

    ``scopes`` is None for people signed in to the web UI (their role alone decides) and the
    token's scopes for bearer tokens (role and scope must both allow).
    """

    user_id: uuid.UUID | None
    organisation_id: uuid.UUID
    organisation_kind: OrganisationKind
    role: Role
    jurisdiction: Jurisdiction = NO_JURISDICTION
    """Expanded once, when the principal is built (``accounts.service.principal_jurisdiction``);
    empty for everyone but regulators."""
    csrf_token: str | None = None
    session_token_hash: str | None = None
    client_id: str | None = None
    scopes: frozenset[str] | None = None
    expires_at: datetime | None = None
    """When the session or token behind it ends."""

    @property
    def actor(self) -> Actor:
        return Actor(user_id=self.user_id, organisation_id=self.organisation_id, client_id=self.client_id)

    def require_role(self, *roles: Role) -> None:
        if self.role not in roles:
            wanted = " or ".join(role.value for role in roles)
            raise PermissionDenied(f"This needs the role {wanted}; you are {self.role.value}.")


CurrentPrincipal = NamedDependency[Principal]
"""The caller, injected by name as ``principal``; asking for it requires sign-in."""
