"""Drop the assets' owner index: the unique (owner, external_id) index already leads with it.

Revision ID: 0013_asset_owner_index
Revises: 0012_match_notices
Create Date: 2026-11-28 07:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013_asset_owner_index"
down_revision: str | None = "0012_match_notices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_assets_owner_organisation_id", table_name="assets")


def downgrade() -> None:
    op.create_index("ix_assets_owner_organisation_id", "assets", ["owner_organisation_id"])
