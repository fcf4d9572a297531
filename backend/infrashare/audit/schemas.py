"""Event log bodies."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class EventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    occurred_at: datetime
    actor_user_id: uuid.UUID | None
    actor_organisation_id: uuid.UUID | None
    actor_client_id: str | None
    action: str
    object_type: str
    object_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None
    hash: str


class ChainReportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    ok: bool
    checked: int
    broken_at: int | None
    problem: str | None
