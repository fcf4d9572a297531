"""One list kit: every list answers a ``Page[T]`` and reads ``page`` and ``page_size`` through
the ``pagination`` dependency, with one default and one maximum.

Offset pages for every list, searches included (their index pages by number too), as Polar's
``ListResource``, litestar-fullstack's ``OffsetPagination`` and Dispatch's ``Pagination`` do.
Litestar's own containers (``litestar.pagination``) are dataclasses with other names
(``limit``/``offset``, ``current_page``/``total_pages``, ``results_per_page``/``cursor``), none of
them with a total *and* a page number, and cannot carry a search's facets: ``Page`` is a pydantic
generic that a search page extends. Its OpenAPI name is the item's with ``Page``
(``AssetRead`` → ``AssetPage``), so generated clients read ``AssetPage``, not ``Page_AssetRead_``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, Self, TypeVar

from litestar.di import NamedDependency
from litestar.params import QueryParameter
from pydantic import BaseModel, Field
from sqlalchemy import Select

T = TypeVar("T")
Query = TypeVar("Query", bound=Select)  # type: ignore[type-arg]  # any row shape

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
MAX_PAGE = 100_000


class Page(BaseModel, Generic[T]):
    """A page of a list: its items, how many match in all, and which page this is."""

    items: list[T]
    total: int = Field(description="Items matching, among those the caller may see (all pages)")
    page: int = Field(description="This page's number, from 1")
    page_size: int = Field(description="Items per page asked for; the last page may hold fewer")

    @classmethod
    def model_parametrized_name(cls, params: tuple[Any, ...]) -> str:
        """``Page[AssetRead]`` is ``AssetPage`` (in Python and in the OpenAPI document)."""
        item = params[0].__name__
        return f"{item.removesuffix('Read')}Page"

    @classmethod
    def of(cls, items: Sequence[T], total: int, pagination: Pagination, **more: Any) -> Self:
        return cls(
            items=list(items), total=total, page=pagination.page, page_size=pagination.page_size, **more
        )


@dataclass(frozen=True)
class Pagination:
    """Which page of a list the caller asked for."""

    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def rows(self, query: Query) -> Query:
        """The page's rows of an ordered query."""
        return query.offset(self.offset).limit(self.page_size)

    def window(self, items: Sequence[T]) -> list[T]:
        """The page's part of a list already in memory (a search the database answered)."""
        return list(items[self.offset : self.offset + self.page_size])


PageNumber = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE, description="From 1")]
PageSize = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE, description="Items per page")]


async def provide_pagination(page: PageNumber = 1, page_size: PageSize = DEFAULT_PAGE_SIZE) -> Pagination:
    """The ``pagination`` dependency: a handler that takes it documents ``page`` and ``page_size``."""
    return Pagination(page, page_size)


Paging = NamedDependency[Pagination]
"""The page asked for, injected by name as ``pagination`` (its query parameters ``page``, ``page_size``)."""
