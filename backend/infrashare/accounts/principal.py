"""Who is calling: a signed-in user acting for one organisation (later also an OAuth client)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from litestar.di import NamedDependency

from infrashare.accounts.models import OrganisationKind, Role
from infrashare.audit.service import Actor
from infrashare.core.errors import PermissionDenied


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID
    organisation_id: uuid.UUID
    organisation_kind: OrganisationKind
    role: Role
    jurisdiction: frozenset[str] = frozenset()
    csrf_token: str | None = None
    session_token_hash: str | None = None

    @property
    def actor(self) -> Actor:
        return Actor(user_id=self.user_id, organisation_id=self.organisation_id)

    def require_role(self, *roles: Role) -> None:
        if self.role not in roles:
            wanted = " or ".join(role.value for role in roles)
            raise PermissionDenied(f"This needs the role {wanted}; you are {self.role.value}.")


CurrentPrincipal = NamedDependency[Principal]
"""The caller, injected by name as ``principal``; asking for it requires sign-in."""
