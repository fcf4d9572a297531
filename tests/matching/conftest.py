"""This feature's tests run the app's outbox worker, as `make run` does."""

from __future__ import annotations

import pytest

from infrashare.core.settings import Settings


@pytest.fixture
def settings(worker_settings: Settings) -> Settings:
    return worker_settings
