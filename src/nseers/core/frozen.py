"""A quicker ``__init__`` for the frozen, slotted dataclasses a case and a result are made of.

A frozen dataclass sets each field through ``object.__setattr__(self, name, value)``,
which finds the slot by name on every call; a reason of seven fields took 0.8 µs to build
that way, and an evaluation builds a case, a traveller, five determinations and about
eight reasons (issue 18: about a tenth of ``nseers evaluate``'s time was these
``__init__``). :func:`quick_init` replaces the generated ``__init__`` with one that calls
each slot's own descriptor, found once, which is about twice as fast. The class stays a
frozen dataclass: equality, ``repr``, hashing, ``dataclasses.replace`` and the
``FrozenInstanceError`` on assignment are the dataclass's own, unchanged.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")
_NO_VALUE: Any = object()


def quick_init(cls: type[T]) -> type[T]:
    """Give the frozen, slotted dataclass ``cls`` a quicker ``__init__`` of the same signature.

    Only for the plain case: positional-or-keyword fields, no ``__post_init__``, no
    ``InitVar`` or ``ClassVar`` pseudo-field and no ``init=False`` field; anything else is
    refused at import, so a class that grows one is noticed, not mis-built.
    """
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__}: quick_init is for frozen, slotted dataclasses")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: quick_init does not run __post_init__")
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if len(fields) != len(cls.__dataclass_fields__):  # type: ignore[attr-defined]
        raise TypeError(f"{cls.__name__}: quick_init takes no InitVar or ClassVar")
    signature: list[str] = []
    body: list[str] = []
    scope: dict[str, Any] = {"_NO_VALUE": _NO_VALUE}
    for number, field in enumerate(fields):
        if not field.init or field.kw_only:
            raise TypeError(f"{cls.__name__}.{field.name}: quick_init takes plain fields only")
        name = field.name
        scope[f"_set_{number}"] = cls.__dict__[name].__set__
        if field.default is not dataclasses.MISSING:
            scope[f"_default_{number}"] = field.default
            signature.append(f"{name}=_default_{number}")
        elif field.default_factory is not dataclasses.MISSING:
            scope[f"_factory_{number}"] = field.default_factory
            signature.append(f"{name}=_NO_VALUE")
            body.append(f"    if {name} is _NO_VALUE:\n        {name} = _factory_{number}()\n")
        else:
            signature.append(name)
        body.append(f"    _set_{number}(self, {name})\n")
    if not body:
        body.append("    pass\n")
    source = f"def __init__(self, {', '.join(signature)}):\n" + "".join(body)
    exec(source, scope)  # noqa: S102 - source built above from the class's own field names
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls
