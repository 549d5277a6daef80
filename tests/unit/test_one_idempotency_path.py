"""Idempotency is one mechanism (issue 15, fault 4: it was written twice, and the pages had
a retry of their own): the unit of work stores and replays keys, and only
:mod:`nseers.services.idempotency` drives it, but for the batch path of arrivals and
departures, which must replay and remember each command of a group commit inside one
transaction (:mod:`nseers.services.movements`)."""

from __future__ import annotations

import ast
from pathlib import Path

import nseers

SOURCE = Path(nseers.__file__).parent
#: The modules that may call the unit of work's ``replay`` and ``remember``.
DRIVERS = {"services/idempotency.py", "services/movements.py"}


def _callers() -> set[str]:
    found = set()
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {"replay", "remember"}
                    and isinstance(node.func.value, ast.Name | ast.Attribute)
                    and (getattr(node.func.value, "id", "") == "uow"
                         or getattr(node.func.value, "attr", "") == "uow")):
                found.add(path.relative_to(SOURCE).as_posix())
    return found


def test_only_the_idempotency_service_and_the_batch_path_drive_the_keys() -> None:
    assert _callers() <= DRIVERS
    assert "services/idempotency.py" in _callers()


def test_the_pages_do_not_settle_twin_submissions_themselves() -> None:
    pages = [p.relative_to(SOURCE).as_posix() for p in (SOURCE / "web").rglob("*.py")
             if '"duplicate"' in p.read_text(encoding="utf-8")]
    assert pages == []
