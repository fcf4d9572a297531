"""These tests run the app's outbox worker and let it rebuild empty indexes, as `make run` does."""

from __future__ import annotations

import pytest

from infrashare.core.settings import Settings


@pytest.fixture
def settings(worker_settings: Settings) -> Settings:
    return worker_settings.model_copy(update={"search_rebuild_empty": True})
