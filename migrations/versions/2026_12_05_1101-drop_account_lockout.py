"""Drop the per-account lock-out: sign-in is throttled by e-mail and client address instead
(rate_counters), which no one can use to lock another person out.

Revision ID: 0019_drop_account_lockout
Revises: 0018_rate_counters
Create Date: 2026-12-05 11:01:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from infrashare.core.db import UTCDateTime

revision: str = "0019_drop_account_lockout"
down_revision: str | None = "0018_rate_counters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("failed_logins")


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", UTCDateTime(timezone=True), nullable=True))
