"""Bind refresh tokens to DPoP keys (RFC 9449): the key thumbprint on each issued token, and the
DPoP proofs already used at the token endpoint (replay check, kept for the proof's lifetime).

Revision ID: 0011_dpop
Revises: 0010_agreements
Create Date: 2026-11-25 10:09:07.373956+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from infrashare.core.db import UTCDateTime

revision: str = "0011_dpop"
down_revision: str | None = "0010_agreements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "oauth_dpop_proofs",
        sa.Column("proof_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("proof_hash", name=op.f("pk_oauth_dpop_proofs")),
    )
    with op.batch_alter_table("oauth_dpop_proofs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_oauth_dpop_proofs_expires_at"), ["expires_at"], unique=False)
    with op.batch_alter_table("oauth_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dpop_jkt", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("oauth_tokens", schema=None) as batch_op:
        batch_op.drop_column("dpop_jkt")
    with op.batch_alter_table("oauth_dpop_proofs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oauth_dpop_proofs_expires_at"))
    op.drop_table("oauth_dpop_proofs")
