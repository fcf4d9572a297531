"""Add demo_seed_runs: the fingerprint of each demo seed version loaded into the database.

Revision ID: 0014_demo_seed_runs
Revises: 0013_asset_owner_index
Create Date: 2026-12-04 16:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from infrashare.core.db import UTCDateTime

revision: str = "0014_demo_seed_runs"
down_revision: str | None = "0013_asset_owner_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "demo_seed_runs",
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("seeded_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_demo_seed_runs")),
    )


def downgrade() -> None:
    op.drop_table("demo_seed_runs")
