"""The validated policy, kept by content so that a start need not validate it again (issue 18).

Every command that evaluates a case first loads the law: 24 files, some 530 records, each
checked by pydantic against its record's annotations and each parameter's value against
its declared type. Building those validators and running them is most of a cold start
(about 0.1 s of 0.27), and importing pydantic at all a third of what is left. Yet the
outcome depends only on the files' text and on the code that checks them, so a policy that
passed every check is kept, keyed by the SHA-256 of both, and a later start rebuilds the
very same records from it (plain dataclasses, :mod:`~nseers.rules.policy.schema`) without
importing pydantic: nothing is re-checked because nothing that the check depends on has
changed.

Like the parse cache (:mod:`~nseers.rules.policy.yaml_cache`, whose directory and setting
``NSEERS_POLICY_CACHE`` it shares) it is JSON, never pickle: an entry can only give data
back, never run code, and only into the classes of the policy schema. An entry is written
only after reading it back gave records equal to the validated ones, field by field and
type by type; a policy with any problem is never kept, so its errors are reported at every
start; ``nseers policy validate`` always checks in full.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from nseers.rules.policy import parameters, schema
from nseers.rules.policy.yaml_cache import cache_dir, keep_entry

if TYPE_CHECKING:
    from nseers.rules.policy.store import PolicyDocument

#: Bump when the encoding below changes: older entries are then never read.
FORMAT: Final = "2"

#: The modules whose code decides what a valid policy is: a change to any of them makes
#: every kept policy stale (a new check might refuse what the old code let through).
_CHECKING_CODE: Final = ("schema.py", "parameters.py", "store.py", "compiled.py",
                         "validation.py", "../ids.py", "../result.py")
_HERE: Final = Path(__file__).resolve().parent


class _UnkeptError(Exception):
    """A value this encoding would not give back exactly as it was."""


def _classes() -> dict[str, type[Any]]:
    """The only classes an entry can name: the policy schema's records and enumerations."""
    found: dict[str, type[Any]] = {}
    for module in (schema, parameters):
        for name, value in vars(module).items():
            if isinstance(value, type) and (issubclass(value, Enum) or (
                    issubclass(value, schema.Strict) and dataclasses.is_dataclass(value))) \
                    and value.__module__ == module.__name__:
                found[name] = value
    return found


def key(sources: Sequence[tuple[str, str]]) -> str:
    """The SHA-256 of the policy's files (name and text) and of the code that checks them."""
    digest = hashlib.sha256(f"nseers-policy-v{FORMAT}".encode())
    for part in _CHECKING_CODE:
        try:
            digest.update((_HERE / part).read_bytes())
        except OSError:
            digest.update(part.encode())
    for path, text in sources:
        digest.update(b"\0" + path.encode() + b"\0" + text.encode())
    return digest.hexdigest()


def _encode(value: Any, classes: dict[str, type[Any]]) -> Any:
    if isinstance(value, schema.Strict):
        name = type(value).__name__
        if classes.get(name) is not type(value) or set(value.__dict__) != {
                field.name for field in dataclasses.fields(value)}:  # type: ignore[arg-type]
            raise _UnkeptError
        return {"$m": name, "$f": {field: _encode(item, classes)
                                   for field, item in value.__dict__.items()}}
    if isinstance(value, Enum):
        if classes.get(type(value).__name__) is not type(value):
            raise _UnkeptError
        return {"$e": type(value).__name__, "$v": value.value}
    if isinstance(value, datetime):
        raise _UnkeptError
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, tuple):
        return {"$t": [_encode(item, classes) for item in value]}
    if isinstance(value, list):
        return [_encode(item, classes) for item in value]
    if isinstance(value, dict):
        if any(not isinstance(item, str) or item.startswith("$") for item in value):
            raise _UnkeptError
        return {"$o": {name: _encode(item, classes) for name, item in value.items()}}
    if value is None or type(value) in (str, bool, int, float):
        return value
    raise _UnkeptError


def _decoder(classes: dict[str, type[Any]]) -> Any:
    """The JSON object hook that rebuilds tagged values (inner objects come first)."""
    def hook(obj: dict[str, Any]) -> Any:
        if "$m" in obj:
            return classes[obj["$m"]](**obj["$f"])
        if "$d" in obj:
            return date.fromisoformat(obj["$d"])
        if "$t" in obj:
            return tuple(obj["$t"])
        if "$e" in obj:
            return classes[obj["$e"]](obj["$v"])
        if "$o" in obj:
            return obj["$o"]
        return obj
    return hook


def _documents(encoded: str, classes: dict[str, type[Any]]) -> list[PolicyDocument]:
    from nseers.rules.policy.store import PolicyDocument  # noqa: PLC0415 - a cycle

    return [PolicyDocument(path, kind, title, tuple(records))
            for path, kind, title, records in json.loads(encoded, object_hook=_decoder(classes))]


def load(entry_key: str) -> list[PolicyDocument] | None:
    """The documents kept under ``entry_key``, or ``None`` when there are none (or caching
    is off, or the entry cannot be read: the files are the source, this only saves time)."""
    where = cache_dir()
    if where is None:
        return None
    try:
        encoded = (where / f"policy-{entry_key}.v{FORMAT}.json").read_text(encoding="utf-8")
        return _documents(encoded, _classes())
    except (OSError, ValueError, KeyError, TypeError):
        return None


def keep(entry_key: str, documents: Sequence[PolicyDocument]) -> None:
    """Keep validated ``documents`` under ``entry_key``, if they come back exactly."""
    where = cache_dir()
    if where is None:
        return
    classes = _classes()
    try:
        encoded = json.dumps([[d.path, d.kind, d.title, _encode(list(d.records), classes)]
                              for d in documents], ensure_ascii=False, separators=(",", ":"))
    except _UnkeptError:
        return
    back = _documents(encoded, classes)
    same = back == list(documents) and json.dumps(
        [[d.path, d.kind, d.title, _encode(list(d.records), classes)] for d in back],
        ensure_ascii=False, separators=(",", ":")) == encoded
    if same:
        keep_entry(where / f"policy-{entry_key}.v{FORMAT}.json", encoded)
