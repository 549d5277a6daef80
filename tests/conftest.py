"""Shared fixtures: the built-in policy and an engine, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from nseers.rules.engine import Engine
from nseers.rules.policy.store import Policy, default_policy

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="session")
def policy() -> Policy:
    return default_policy()


@pytest.fixture(scope="session")
def engine(policy: Policy) -> Engine:
    return Engine(policy)
