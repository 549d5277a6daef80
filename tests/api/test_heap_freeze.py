"""A server process freezes the heap it started with, so that full collections do not
walk it and pause every request in flight (issue 18); an app built by a test does not."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.conftest import settings
from nseers.api.app import create_app
from nseers.services.context import Registry


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.usefixtures("unfrozen")
def test_a_server_app_freezes_the_heap_it_starts_with(sqlite_registry: Registry) -> None:
    with TestClient(create_app(sqlite_registry, settings(), freeze_heap=True)):
        assert gc.get_freeze_count() > 0


@pytest.mark.usefixtures("unfrozen")
def test_an_app_built_without_asking_leaves_the_collector_alone(
        sqlite_registry: Registry) -> None:
    with TestClient(create_app(sqlite_registry, settings())):
        assert gc.get_freeze_count() == 0
