"""A result as compact JSON text, without building its dictionary first (issue 18).

``encode(result)`` is ``json.dumps(result.to_dict(), ensure_ascii=False)``, byte for byte,
for the batch output of ``nseers evaluate``. Building the dictionaries of a result and
walking them again in the encoder was two thirds of the time of a case once it was
evaluated; here the parts that repeat from case to case (a reason's rule, citation and
source, its date of effect and confidence, a known port) are encoded once and kept, and
only what the case changes (a reason's text, the values a rule used) is encoded each
time, the values by ``json``'s own C encoder. A whole reason that another case already
gave (same rule, citation, text and values) is one dictionary lookup.
``tests/cli/test_cli_streaming.py`` and ``tests/unit/test_fast_paths.py`` hold it to
``json.dumps`` over the examples and generated cases.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any, Final

from nseers.rules.law import SHARED
from nseers.rules.result import (
    DETERMINATIONS,
    Determination,
    PortResolution,
    Reason,
    Result,
)

#: Entries kept per cache before it is emptied: the policy bounds them (its citations,
#: dates of effect and ports), the bound only guards against an unusual policy.
_LIMIT: Final = 50_000

_string = json.encoder.encode_basestring


def _plain_default(value: Any) -> Any:
    """What ``plain_dict`` makes of a value the JSON encoder does not know: a date as ISO
    text, a set as a list in its own order (tuples and lists the encoder writes itself)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return list(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _make_dumps(default: Callable[[Any], Any] | None = None) -> Callable[[Any], str]:
    """``json.dumps(value, ensure_ascii=False)`` for the dicts and lists of a result.

    ``JSONEncoder.encode`` builds a new C encoder on every call, which was most of the
    cost of encoding a reason's values; one C encoder, built here, is reused. It skips the
    check for circular containers, which a result's plain values never are. With
    ``_plain_default`` it writes ``plain_dict(value)`` without building that copy first
    (a third of the encoding time was ``plain_dict`` of reasons' values and details).
    """
    # Not in typeshed: the C accelerator json.encoder itself uses when present.
    make = getattr(json.encoder, "c_make_encoder", None)
    python = json.JSONEncoder(ensure_ascii=False, default=default)
    if make is None:  # pragma: no cover - CPython always has the C accelerator
        return python.encode
    encoder = make(None, python.default, _string, None, ": ", ", ",
                   False, False, True)
    join = "".join

    def dumps(value: Any) -> str:
        return join(encoder(value, 0))

    return dumps


_dumps = _make_dumps()
#: ``_dumps(plain_dict(value))``, without the copy.
_dumps_plain = _make_dumps(_plain_default)
_heads: dict[tuple[str, str, str], str] = {}
_tails: dict[tuple[date | None, str | None], str] = {}
_ports: dict[tuple[str | None, bool, str, str | None, str | None], str] = {}
#: The text of each determination the law shares between cases (``Law.constant``), by its
#: id, which ``SHARED`` keeps from being reused: two in five determinations are one of these.
_shared: dict[int, str] = {}
#: Whole reasons, by everything they print: most cases repeat a reason another case gave.
_whole: dict[tuple[Any, ...], str] = {}
#: Fewer whole reasons than parts are kept: each is a few hundred bytes, and memory stays
#: flat (the hits come from the reasons most cases give, which a small cache keeps).
_WHOLE_LIMIT: Final = 10_000
#: The values a reason may hold and still be looked up whole. Not floats: -0.0 == 0.0
#: (and they hash alike) but they print differently; nor containers, which may hold either.
_KEYED: Final = frozenset({str, int, bool, type(None), date})


def _head(rule: str, citation: str, source: str) -> str:
    if len(_heads) > _LIMIT:
        _heads.clear()
    text = _heads[rule, citation, source] = (
        f'{{"rule": {_string(rule)}, "citation": {_string(citation)}, '
        f'"source": {_string(source)}, "text": ')
    return text


def _tail(effective: date | None, confidence: str | None) -> str:
    if len(_tails) > _LIMIT:
        _tails.clear()
    text = ""
    if effective is not None:
        text += f', "effective": "{effective.isoformat()}"'
    if confidence is not None:
        text += f', "confidence": {_string(confidence)}'
    _tails[effective, confidence] = text + "}"
    return text + "}"


def _reason(reason: Reason) -> str:
    head = _heads.get((reason.rule, reason.citation, reason.source)) or _head(
        reason.rule, reason.citation, reason.source)
    tail = _tails.get((reason.effective, reason.confidence)) or _tail(
        reason.effective, reason.confidence)
    if reason.values:
        return (f'{head}{_string(reason.text)}, "values": '
                f'{_dumps_plain(reason.values)}{tail}')
    return head + _string(reason.text) + tail


def _reasons(reasons: tuple[Reason, ...]) -> str:
    parts = []
    for reason in reasons:
        values = reason.values
        key: tuple[Any, ...]
        if values:
            kinds = tuple(map(type, values.values()))
            if not _KEYED.issuperset(kinds):
                parts.append(_reason(reason))
                continue
            # The types are part of the key: True == 1, but they print differently.
            key = (reason.rule, reason.citation, reason.source, reason.text,
                   reason.effective, reason.confidence, tuple(values.items()), kinds)
        else:
            key = (reason.rule, reason.citation, reason.source, reason.text,
                   reason.effective, reason.confidence, None, None)
        text = _whole.get(key)
        if text is None:
            if len(_whole) > _WHOLE_LIMIT:
                _whole.clear()
            text = _whole[key] = _reason(reason)
        parts.append(text)
    return ", ".join(parts)


def _determination(determination: Determination) -> str:
    # An id in ``_shared`` is one ``SHARED`` holds for good: no other object can have it.
    key = id(determination)
    text = _shared.get(key)
    if text is None:
        text = _determination_text(determination)
        if key in SHARED:
            _shared[key] = text
    return text


def _determination_text(determination: Determination) -> str:
    details = determination.details
    if "outcome" in details or "reasons" in details:  # keys the dictionary form overrides
        return _dumps(determination.to_dict())
    outcome = _string(determination.outcome)
    reasons = _reasons(determination.reasons)
    if details:
        return (f'{{"outcome": {outcome}, {_dumps_plain(details)[1:-1]}, '
                f'"reasons": [{reasons}]}}')
    return f'{{"outcome": {outcome}, "reasons": [{reasons}]}}'


def _port(port: PortResolution) -> str:
    if port.reasons:
        return _dumps(port.to_dict())
    key = (port.code, port.known, port.mode, port.state, port.name)
    text = _ports.get(key)
    if text is None:
        if len(_ports) > _LIMIT:
            _ports.clear()
        text = _ports[key] = _dumps(port.to_dict())
    return text


def encode(result: Result) -> str:
    """``json.dumps(result.to_dict(), ensure_ascii=False)``, built from cached parts."""
    determinations = result.determinations
    day = f'"{result.date.isoformat()}"'
    lead = "" if result.case_id is None else f'"id": {_string(result.case_id)}, '
    body = ", ".join(f'"{name}": {_determination(determinations[name])}'
                     for name in DETERMINATIONS)
    return (f'{{{lead}"date": {day}, "event": {_string(result.event)}, "as_of": {day}, '
            f'"policy_version": {_string(result.policy_version)}, '
            f'"port": {_port(result.port)}, "determinations": {{{body}}}}}')

