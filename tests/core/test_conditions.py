"""One condition, two renderings: SQL for each database and a Meilisearch filter string."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, MetaData, String, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from infrashare.core.conditions import (
    Columns,
    Eq,
    Everything,
    Flag,
    In,
    Nothing,
    StartsWith,
    Tree,
    Within,
    all_of,
    any_of,
    quoted,
)

metadata = MetaData()
things = Table("things", metadata, Column("id", String), Column("owner", String), Column("place", String))
places = Table("places", metadata, Column("code", String), Column("path", String))
COLUMNS: Columns = {
    "owner": things.c.owner,
    "place_codes": Tree(things.c.place, places.c.code, places.c.path),
}


def sql(condition: object, dialect: object) -> str:
    query = select(things.c.id).where(condition)  # type: ignore[arg-type]
    return str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))  # type: ignore[arg-type]


def test_values_are_quoted_for_meilisearch() -> None:
    assert quoted('say "hi" \\ 你好') == '"say \\"hi\\" \\\\ 你好"'
    assert quoted(True) == "true"
    assert quoted(3) == "3"
    assert Eq("owner", 'a"b').meili() == 'owner = "a\\"b"'
    assert In("kind", ("tower", "duct")).meili() == 'kind IN ["tower", "duct"]'


def test_any_and_all_drop_what_cannot_matter() -> None:
    owner = Eq("owner", "o1")
    assert any_of(owner, In("kind", ())) == owner
    assert any_of() == Nothing()
    assert all_of(owner, Nothing()) == Nothing()
    assert all_of(owner, Everything()) == owner
    assert any_of(owner, Flag("published")).meili() == '(owner = "o1") OR (published = true)'
    with pytest.raises(ValueError, match="nothing"):
        Nothing().meili()


def test_inside_a_place_is_one_path_predicate_in_sql_and_one_term_in_the_index() -> None:
    inside = Within("place_codes", ("440300",), ("/440000/440300/",))
    assert inside.meili() == 'place_codes IN ["440300"]'
    on_sqlite = sql(inside.sql(COLUMNS), sqlite.dialect())
    on_postgresql = sql(inside.sql(COLUMNS), postgresql.dialect())
    assert "places.path GLOB '/440000/440300/*'" in on_sqlite
    assert "places.path LIKE '/440000/440300/%" in on_postgresql
    assert "things.place IN (SELECT places.code" in on_postgresql


def test_a_prefix_with_wildcards_is_refused() -> None:
    with pytest.raises(ValueError, match="plain prefix"):
        StartsWith(places.c.path, "/44%/")
