"""Request bodies derived from the services' commands, and the one way back (issue 15).

A service's frozen dataclass is the one definition of its input: its fields, their types
and the limits they carry (:mod:`nseers.core.fields`). :func:`request_body` walks it
(``dataclasses.fields`` and ``typing.get_type_hints``) into a pydantic model for FastAPI
and the OpenAPI document; :func:`to_command` turns a validated body back into the
command. No body is written by hand beside its command, so the two cannot disagree on a
field, a length or a choice, and no mapper can forget one.

How a command's types read in a body:

* a nested command type becomes its own body (``PersonFacts`` -> ``PersonIn``);
* ``tuple[X, ...]`` becomes a JSON array (``list[X]``);
* ``date`` is the strict :data:`Day` (``YYYY-MM-DD`` only) and ``datetime`` the
  :data:`Instant` (with a UTC offset), both within the registry's range;
* ``OneOf`` becomes an enum, ``SafeText`` refuses control characters, ``Secret`` is a
  write-only password, ``doc`` is the field's description;
* fields marked ``FromServer`` (the idempotency key, the client's address) and the ones a
  route takes from its path are left out, and given back to :func:`to_command`.

Every body refuses unknown fields and NUL characters (:class:`RequestBody`).
"""

from __future__ import annotations

import dataclasses
import re
import types
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from annotated_types import DocInfo, Ge, Gt, Le, Lt, MaxLen, MinLen
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    create_model,
    field_validator,
)

from nseers.core.fields import BodyDefault, FromServer, OneOf, SafeText, Secret
from nseers.core.text import unsafe_character_problem

Command = TypeVar("Command")

# The registry keeps dates between these; outside them no rule has anything to say, and
# date arithmetic (windows of ten years) must stay within what a date can hold.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


def _in_range(value: datetime) -> datetime:
    if not EARLIEST <= value.date() <= LATEST:
        raise ValueError(f"must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}")
    return value


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_day(value: object) -> object:
    """Dates are ``YYYY-MM-DD`` strings only: a number (``315532800``, ``0``) is not a date,
    however the parser could read it (issue 16)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        raise ValueError("a date as YYYY-MM-DD")
    return value


def safe_text(value: str) -> str:
    """``value``, unless it holds a control or text-direction character."""
    problem = unsafe_character_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


Day = Annotated[date, BeforeValidator(iso_day), Field(ge=EARLIEST, le=LATEST)]
Instant = Annotated[AwareDatetime, AfterValidator(_in_range),
                    Field(description="ISO 8601 with a UTC offset, e.g. "
                                      "2003-06-15T10:00:00-05:00")]


def _has_nul(value: object) -> bool:
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


class RequestBody(BaseModel):
    """Base of request bodies: unknown fields are errors, as in the evaluation contract, and
    no text may hold a NUL character (PostgreSQL cannot store one; SQLite could, so the
    two databases would answer differently)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if _has_nul(value):
            raise ValueError("must not contain NUL characters")
        return value


#: The command type each derived body stands for.
_COMMANDS: dict[type[BaseModel], type] = {}
#: The bodies made so far, by command, name and path fields: one ``PersonIn`` however
#: many commands hold a person.
_BODIES: dict[tuple[type, str, tuple[str, ...]], type[RequestBody]] = {}
_SUFFIXES = ("Facts", "Command")


def request_body(command: type, name: str | None = None, *,
                 path: tuple[str, ...] = ()) -> type[RequestBody]:
    """The request body of ``command`` (a dataclass), named ``name`` in the OpenAPI
    document (default: the type's name less ``Facts`` or ``Command``, plus ``In``); the
    fields in ``path`` come from the route's path, not the body."""
    if not dataclasses.is_dataclass(command):
        raise TypeError(f"{command!r} is not a dataclass")
    key = (command, name or _default_name(command), path)
    if key in _BODIES:
        return _BODIES[key]
    unknown = set(path) - {f.name for f in dataclasses.fields(command)}
    if unknown:
        raise ValueError(f"{command.__name__} has no field {sorted(unknown)}")
    hints = get_type_hints(command, include_extras=True)
    definitions: dict[str, Any] = {}
    for field in dataclasses.fields(command):
        hint = hints[field.name]
        marks = _marks(hint)
        if field.name in path or any(isinstance(m, FromServer) for m in marks):
            continue
        definitions[field.name] = (body_type(hint), Field(**_default(field, marks)))
    body = create_model(key[1], __base__=RequestBody, __doc__=command.__doc__,
                        __module__=__name__, **definitions)
    _COMMANDS[body] = command
    _BODIES[key] = body
    return body


def to_command(command: type[Command], body: BaseModel, **server: Any) -> Command:
    """The ``command`` a validated ``body`` stands for; ``server`` gives the fields a body
    does not carry (the idempotency key, the client, ids from the path)."""
    if _COMMANDS.get(type(body)) is not command:
        raise TypeError(f"{type(body).__name__} is not the body of {command.__name__}")
    values = {name: _value(getattr(body, name)) for name in type(body).model_fields}
    return command(**values, **server)


def _value(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return to_command(_COMMANDS[type(value)], value)
    if isinstance(value, list):
        return tuple(_value(v) for v in value)
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    return value


def _default_name(command: type) -> str:
    name = command.__name__
    for suffix in _SUFFIXES:
        name = name.removesuffix(suffix)
    return f"{name}In"


def _marks(hint: Any) -> tuple[Any, ...]:
    return tuple(get_args(hint)[1:]) if get_origin(hint) is Annotated else ()


def _default(field: dataclasses.Field[Any], marks: tuple[Any, ...]) -> dict[str, Any]:
    """A body field's default: the command's (an empty tuple is an empty list), or the
    ``BodyDefault`` mark's; none makes the field required."""
    if field.default_factory is not dataclasses.MISSING:
        made: Callable[[], Any] = field.default_factory
        return {"default_factory": request_body(made) if isinstance(made, type)
                and dataclasses.is_dataclass(made) else made}
    if field.default == ():
        return {"default_factory": list}
    if field.default is not dataclasses.MISSING:
        return {"default": field.default}
    return {"default": next((m.value for m in marks if isinstance(m, BodyDefault)), ...)}


#: The annotated_types constraints a body applies, by pydantic's name for each.
_CONSTRAINTS: dict[type, str] = {MinLen: "min_length", MaxLen: "max_length", Ge: "ge",
                                 Le: "le", Gt: "gt", Lt: "lt"}


def body_type(hint: Any) -> Any:
    """The body's type for a command's field type ``hint``."""
    origin = get_origin(hint)
    if origin is Annotated:
        base, *marks = get_args(hint)
        constraints: dict[str, Any] = {}
        validators: list[Any] = []
        inner: Any = None
        for mark in marks:
            if type(mark) in _CONSTRAINTS:
                key = _CONSTRAINTS[type(mark)]
                constraints[key] = getattr(mark, key)
            elif isinstance(mark, DocInfo):
                constraints["description"] = mark.documentation
            elif isinstance(mark, OneOf):
                inner = Literal[mark.values]
            elif isinstance(mark, Secret):
                inner = SecretStr
            elif isinstance(mark, SafeText):
                validators.append(AfterValidator(safe_text))
            elif not isinstance(mark, FromServer | BodyDefault):
                # A limit this module cannot apply must not be dropped without a word.
                raise TypeError(f"no body type for the mark {mark!r} of {hint!r}")
        if inner is None:
            inner = body_type(base)
        extras = [*validators, *([Field(**constraints)] if constraints else [])]
        return Annotated[(inner, *extras)] if extras else inner
    if origin in (Union, types.UnionType):
        members = tuple(body_type(member) for member in get_args(hint))
        return Union[members]  # noqa: UP007 - built from a tuple at run time
    if origin is tuple:
        item, *rest = get_args(hint)
        if rest != [Ellipsis]:
            raise TypeError(f"a fixed-length tuple has no body type: {hint!r}")
        return list[body_type(item)]  # type: ignore[misc]
    if hint is datetime:
        return Instant
    if hint is date:
        return Day
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return request_body(hint)
    return hint
