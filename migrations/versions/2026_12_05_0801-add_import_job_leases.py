"""Add the file, attempts and lease of asset import jobs: any worker process runs a queued job.

Revision ID: 0016_import_job_leases
Revises: 0015_region_paths
Create Date: 2026-12-05 08:01:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from infrashare.core.db import UTCDateTime

revision: str = "0016_import_job_leases"
down_revision: str | None = "0015_region_paths"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("asset_import_jobs") as batch:
        batch.add_column(sa.Column("upload", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("claimed_by", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("lease_until", UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("asset_import_jobs") as batch:
        batch.alter_column("attempts", server_default=None)
    # Jobs left unfinished by a release that ran them in a server's memory never will be.
    jobs = sa.table(
        "asset_import_jobs",
        sa.column("status", sa.String),
        sa.column("detail", sa.Text),
        sa.column("finished_at", UTCDateTime(timezone=True)),
    )
    op.execute(
        jobs.update()
        .where(jobs.c.finished_at.is_(None), jobs.c.status.in_(["queued", "validating", "writing"]))
        .values(
            status="failed",
            detail="The server running this import stopped; nothing was written. Upload the file again.",
            finished_at=sa.func.now(),
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("asset_import_jobs") as batch:
        batch.drop_column("lease_until")
        batch.drop_column("claimed_by")
        batch.drop_column("attempts")
        batch.drop_column("upload")
