"""GB/T 2260 administrative divisions (and NBS street-level units) as reference data."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from infrashare.core.db import Base


def path_below(parent_path: str | None, code: str) -> str:
    """A region's materialised path: its ancestors' codes and its own, ``/440000/440300/440305/``."""
    return f"{parent_path or '/'}{code}/"


class Region(Base):
    __tablename__ = "regions"
    __table_args__ = (
        # "Inside region X" is ``path LIKE '<X's path>%'`` (GLOB on SQLite): the pattern opclass
        # lets PostgreSQL answer it from this index whatever the database's collation.
        Index("ix_regions_path", "path", postgresql_ops={"path": "varchar_pattern_ops"}),
    )

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(100))
    pinyin: Mapped[str] = mapped_column(String(200), default="")
    level: Mapped[str] = mapped_column(String(16), index=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    path: Mapped[str] = mapped_column(String(80))
    """Every ancestor's code and its own, from the province down: ``/440000/440300/440305/``."""
    lon: Mapped[float | None]
    lat: Mapped[float | None]
