"""``quick_init`` builds the objects the dataclass's own ``__init__`` builds (issue 18)."""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

import pytest

from nseers.core.frozen import quick_init
from nseers.rules import case, result


@quick_init
@dataclass(frozen=True, slots=True)
class _Sample:
    first: str
    second: int = 2
    third: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Plain:
    first: str
    second: int = 2
    third: list[int] = field(default_factory=list)


def test_the_quick_init_takes_the_same_arguments_and_defaults() -> None:
    for args, kwargs in [(("a",), {}), (("a", 5), {}), (("a",), {"third": [1]}),
                         ((), {"first": "a", "second": 3, "third": [4]})]:
        assert dataclasses.astuple(_Sample(*args, **kwargs)) == dataclasses.astuple(
            _Plain(*args, **kwargs))
    assert _Sample("a").third is not _Sample("a").third  # a fresh list each time
    with pytest.raises(TypeError):
        _Sample()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _Sample("a", 1, [], 4)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _Sample("a", fourth=1)  # type: ignore[call-arg]


def test_the_object_stays_a_frozen_dataclass() -> None:
    sample = _Sample("a", 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        sample.first = "b"  # type: ignore[misc]
    assert sample == _Sample("a", 1)
    assert sample != _Sample("a", 2)
    assert hash(_Sample("a", 1, ())) == hash(_Sample("a", 1, ()))  # type: ignore[arg-type]
    assert repr(sample) == "_Sample(first='a', second=1, third=[])"
    assert dataclasses.replace(sample, second=9) == _Sample("a", 9)


def test_every_case_and_result_class_keeps_its_dataclass_signature() -> None:
    for module in (case, result):
        classes = [c for c in vars(module).values()
                   if isinstance(c, type) and dataclasses.is_dataclass(c)
                   and c.__module__ == module.__name__]
        assert classes
        for cls in classes:
            parameters = list(inspect.signature(cls.__init__).parameters)[1:]
            assert parameters == [f.name for f in dataclasses.fields(cls)], cls


def test_only_frozen_slotted_plain_dataclasses_are_taken() -> None:
    @dataclass(slots=True)
    class Thawed:
        a: int

    @dataclass(frozen=True)
    class Unslotted:
        a: int

    @dataclass(frozen=True, slots=True)
    class AfterInit:
        a: int

        def __post_init__(self) -> None:
            pass

    @dataclass(frozen=True, slots=True)
    class KeywordOnly:
        a: int = field(kw_only=True)

    @dataclass(frozen=True, slots=True)
    class WithClassVar:
        a: int
        kinds: ClassVar[int] = 2

    for cls in (Thawed, Unslotted, AfterInit, KeywordOnly, WithClassVar):
        with pytest.raises(TypeError):
            quick_init(cls)
    assert result.Reason("r", "c", "s", "t", None, date(2003, 1, 1)).effective == date(
        2003, 1, 1)
