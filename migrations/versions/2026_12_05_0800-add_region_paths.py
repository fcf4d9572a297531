"""Store each region's ancestry as a materialised path, so "inside region X" is one indexed
predicate (``path LIKE '/440000/440300/%'``) instead of an IN list of every code below X.

Revision ID: 0015_region_paths
Revises: 0014_demo_seed_runs
Create Date: 2026-12-05 08:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_region_paths"
down_revision: str | None = "0014_demo_seed_runs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

regions = sa.table(
    "regions", sa.column("code", sa.String), sa.column("parent_code", sa.String), sa.column("path", sa.String)
)


def paths(parents: dict[str, str | None]) -> dict[str, str]:
    """Each code's ``/province/…/code/``, from the parent links (a few thousand rows)."""
    found: dict[str, str] = {}

    def path_of(code: str) -> str:
        if code not in found:
            parent = parents[code]
            found[code] = f"{path_of(parent) if parent else '/'}{code}/"
        return found[code]

    for code in parents:
        path_of(code)
    return found


def upgrade() -> None:
    with op.batch_alter_table("regions") as batch_op:
        batch_op.add_column(sa.Column("path", sa.String(length=80), nullable=True))
    connection = op.get_bind()
    parents = dict(connection.execute(sa.select(regions.c.code, regions.c.parent_code)).all())
    rows = [{"key": code, "path": path} for code, path in paths(parents).items()]
    if rows:
        connection.execute(
            regions.update().where(regions.c.code == sa.bindparam("key")).values(path=sa.bindparam("path")),
            rows,
        )
    with op.batch_alter_table("regions") as batch_op:
        batch_op.alter_column("path", existing_type=sa.String(length=80), nullable=False)
        batch_op.create_index(
            "ix_regions_path", ["path"], unique=False, postgresql_ops={"path": "varchar_pattern_ops"}
        )


def downgrade() -> None:
    with op.batch_alter_table("regions") as batch_op:
        batch_op.drop_index("ix_regions_path")
        batch_op.drop_column("path")
