"""The collector held off while batches are recorded, and given back as it was found."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from nseers.services.gc_pause import MOST_PAUSED_S, paused_collection


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    try:
        yield
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()


def test_the_collector_is_off_inside_and_on_again_after() -> None:
    gc.enable()
    with paused_collection():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_failed_batch_gives_the_collector_back() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), paused_collection():
        raise RuntimeError
    assert gc.isenabled()


def test_a_process_that_turned_the_collector_off_keeps_it_off() -> None:
    gc.disable()
    with paused_collection():
        pass
    assert not gc.isenabled()


def test_overlapping_batches_hold_it_off_until_the_last_one_leaves() -> None:
    gc.enable()
    first, second = paused_collection(), paused_collection()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_pause_held_past_the_limit_collects_the_cycles_gathered_meanwhile() -> None:
    gc.enable()
    now = [0.0]
    def clock() -> float:
        return now[0]
    outer = paused_collection(clock)
    outer.__enter__()
    found = []
    cycle: list[object] = []
    cycle.append(cycle)
    gc.callbacks.append(lambda phase, info: found.append(info["collected"])
                        if phase == "stop" else None)
    try:
        del cycle
        with paused_collection(clock):
            now[0] = MOST_PAUSED_S
        assert sum(found) >= 1
        assert not gc.isenabled()
    finally:
        gc.callbacks.pop()
        outer.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_short_overlap_collects_nothing() -> None:
    gc.enable()
    now = [0.0]
    outer = paused_collection(lambda: now[0])
    outer.__enter__()
    runs = []
    gc.callbacks.append(lambda phase, _info: runs.append(phase))
    try:
        with paused_collection(lambda: now[0]):
            now[0] = MOST_PAUSED_S / 2
        assert runs == []
    finally:
        gc.callbacks.pop()
        outer.__exit__(None, None, None)
