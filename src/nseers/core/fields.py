"""What a command's field may hold, said once, on the service's own type (issue 15).

The services' frozen dataclasses are the one definition of each input. Their fields carry
their limits in ``typing.Annotated``: lengths and bounds as annotated_types' ``MinLen``,
``MaxLen``, ``Ge`` and ``Le`` (which pydantic reads too), a description as
``annotated_types.doc``, and the few markers below. The API derives its request bodies
and their OpenAPI schemas from these types (:mod:`nseers.api.bodies`), so a limit, a
choice or a description cannot differ between the service, the API and its document.

The markers say nothing a plain Python caller must obey: a service still checks what it
depends on (a surname is required, a FIN must exist) and names the field that is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Final

from annotated_types import Ge, Le, MaxLen, MinLen, doc

from nseers.core.limits import DOCUMENT_NUMBER, NAME_PART

#: The largest record id a request may name (a PostgreSQL ``integer``).
MAX_ID: Final = 2**31 - 1


@dataclass(frozen=True, slots=True, init=False)
class OneOf:
    """The field holds one of ``values`` (a closed list: the API lists them as an enum)."""

    values: tuple[str, ...]

    def __init__(self, values: Iterable[str]) -> None:
        object.__setattr__(self, "values", tuple(values))


@dataclass(frozen=True, slots=True)
class SafeText:
    """The text may hold no control or text-direction character
    (:func:`nseers.core.text.unsafe_character_problem`)."""


@dataclass(frozen=True, slots=True)
class Secret:
    """A secret (a password): never echoed back, in an answer or in an error."""


@dataclass(frozen=True, slots=True)
class FromServer:
    """Set by the server, never by a request body: the idempotency key (a header), the
    client's address."""


@dataclass(frozen=True, slots=True)
class BodyDefault:
    """What the field holds when a request body leaves it out, for a field that Python
    callers must give (a dataclass field with no default, before others without one)."""

    value: object


NamePart = Annotated[str, MaxLen(NAME_PART), SafeText()]
DocumentNumber = Annotated[str, MaxLen(DOCUMENT_NUMBER)]
CountryCode = Annotated[str, MinLen(1), MaxLen(3), doc("ICAO / ISO 3166-1 alpha-3 code")]
ClassCode = Annotated[str, MinLen(1), MaxLen(10)]
PortCode = Annotated[str, MinLen(1), MaxLen(40)]
StateCode = Annotated[str, MaxLen(2)]
Fin = Annotated[str, MinLen(1), MaxLen(20),
                doc("Fingerprint Identification Number, with or without hyphens")]
LongText = Annotated[str, MaxLen(4000)]
Reference = Annotated[str, MaxLen(300)]
Email = Annotated[str, MaxLen(254)]
RecordId = Annotated[int, Ge(1), Le(MAX_ID)]
IdempotencyKey = Annotated[str | None, FromServer()]
Client = Annotated[str | None, FromServer()]
