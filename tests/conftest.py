"""Shared fixtures: the built-in policy and an engine, loaded once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nseers.rules.engine import Engine
from nseers.rules.policy.store import Policy, default_policy

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).parent.parent / "examples"


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked ``ocr`` fails at once, naming the fix, where Tesseract is missing."""
    if item.get_closest_marker("ocr") and shutil.which("tesseract") is None:
        pytest.fail("tesseract not found: this test reads images with it; install the system "
                    "packages with `scripts/system-packages.sh test` (as root) or "
                    "`apt-get install tesseract-ocr fonts-ocr-b`", pytrace=False)


@pytest.fixture(scope="session")
def policy() -> Policy:
    return default_policy()


@pytest.fixture(scope="session")
def engine(policy: Policy) -> Engine:
    return Engine(policy)
