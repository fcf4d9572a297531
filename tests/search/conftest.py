"""These tests run the app's outbox worker and let it rebuild empty indexes, as `make run` does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from infrashare.core.search import MeilisearchProcess, meilisearch_binary
from infrashare.core.settings import Settings


@pytest.fixture
def settings(worker_settings: Settings) -> Settings:
    return worker_settings.model_copy(update={"search_rebuild_empty": True})


@pytest.fixture
def private_meilisearch(tmp_path: Path) -> Iterator[MeilisearchProcess]:
    """A Meilisearch of the test's own, to stop, kill and restart."""
    process = MeilisearchProcess(
        binary=meilisearch_binary(Settings()),
        data_dir=tmp_path / "meili",
        master_key="private-key-0123456789abcdef",
    ).start()
    yield process
    process.stop()
