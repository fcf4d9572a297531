"""Which version of the demo seed a database holds, so `make run` loads it only when it changed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from infrashare.core.clock import utc_now
from infrashare.core.db import Base


class DemoSeedRun(Base):
    """One row per seed version loaded: the fingerprint of the seed's code and data files."""

    __tablename__ = "demo_seed_runs"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    seeded_at: Mapped[datetime] = mapped_column(default=utc_now)
