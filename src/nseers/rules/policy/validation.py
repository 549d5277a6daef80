"""pydantic's checks of policy records, imported only where a file is checked or a record
is shown (issue 18).

The records are plain frozen dataclasses (:mod:`~nseers.rules.policy.schema`), so that a
start which finds the validated policy kept never imports pydantic; pydantic checks them
here, by their annotations, when a policy file is read, and writes them as their YAML
keys for ``nseers policy show`` and the API.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, ValidationError

from nseers.rules.policy.parameters import PARAMETERS
from nseers.rules.policy.schema import Parameter

__all__ = ["ValidationError", "adapter", "dump"]


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def adapter(kind: type[Any]) -> TypeAdapter[Any]:
    """The validator (and writer) of one kind of record, built once."""
    found = _ADAPTERS.get(kind)
    if found is None:
        found = _ADAPTERS[kind] = TypeAdapter(kind)
    return found


def dump(record: Any) -> dict[str, Any]:
    """A record as JSON values under its YAML keys, without the fields it leaves empty.

    A parameter's value is written by its declared type, so that a structured value keeps
    its own YAML keys (``class``) too.
    """
    data: dict[str, Any] = adapter(type(record)).dump_python(
        record, mode="json", by_alias=True, exclude_none=True)
    if isinstance(record, Parameter) and record.id in PARAMETERS:
        data["value"] = PARAMETERS[record.id].adapter.dump_python(
            record.value, mode="json", by_alias=True, exclude_none=True)
    return data
