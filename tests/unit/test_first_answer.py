"""The services' one answer to twin submissions (issue 15: the pages had their own)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from nseers.core.errors import ConflictError
from nseers.services.idempotency import first_answer


def _lost_the_race_then(answer: dict[str, object], code: str = "duplicate"
                        ) -> tuple[Callable[[], dict[str, object]], list[int]]:
    calls: list[int] = []

    def record() -> dict[str, object]:
        calls.append(1)
        if len(calls) == 1:
            raise ConflictError(code, "the same request is being processed at this moment")
        return answer
    return record, calls


def test_a_twin_that_lost_the_race_to_store_its_key_is_answered_by_asking_again() -> None:
    record, calls = _lost_the_race_then({"replayed": True})
    assert first_answer(record, "k1") == {"replayed": True}
    assert len(calls) == 2


def test_without_a_key_nothing_is_asked_twice() -> None:
    record, calls = _lost_the_race_then({})
    with pytest.raises(ConflictError):
        first_answer(record, None)
    assert len(calls) == 1


def test_other_conflicts_are_the_callers_to_see() -> None:
    record, calls = _lost_the_race_then({}, code="concurrent_update")
    with pytest.raises(ConflictError):
        first_answer(record, "k1")
    assert len(calls) == 1
