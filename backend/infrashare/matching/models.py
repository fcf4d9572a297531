"""What reverse matching remembers: which asset was announced to which need, so once is enough."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from infrashare.core.db import Base


class MatchNotice(Base):
    """The need's organisation was told (in-app and by webhook) that this asset could serve it."""

    __tablename__ = "match_notices"

    asset_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True)
    need_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    distance_m: Mapped[float]
    created_at: Mapped[datetime]
