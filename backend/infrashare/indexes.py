"""Every search index, for the indexer and `infrashare reindex` (features declare theirs in search.py)."""

from infrashare.assets.search import ASSETS_INDEX
from infrashare.core.indexing import SearchIndex
from infrashare.regions.search import REGIONS_INDEX

SEARCH_INDEXES: tuple[SearchIndex, ...] = (REGIONS_INDEX, ASSETS_INDEX)


def search_index(uid: str) -> SearchIndex:
    for index in SEARCH_INDEXES:
        if index.uid == uid:
            return index
    raise KeyError(uid)
