"""The schema built by the Alembic migrations equals the models, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from infrashare.core.db import sync_url
from infrashare.models import Base


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    engine = create_engine(sync_url(database_url))
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
        tables = set(inspect(connection).get_table_names())
    engine.dispose()
    assert differences == []
    assert set(Base.metadata.tables) <= tables


def test_reference_regions_are_loaded(database_url: str) -> None:
    engine = create_engine(sync_url(database_url))
    with engine.connect() as connection:
        levels = dict(connection.execute(text("SELECT level, count(*) FROM regions GROUP BY level")).all())
        nanshan = connection.execute(
            text("SELECT name, parent_code FROM regions WHERE code = '440305'")
        ).one()
    engine.dispose()
    assert levels == {"province": 34, "city": 338, "county": 2846, "street": 79}
    assert tuple(nanshan) == ("南山区", "440300")
