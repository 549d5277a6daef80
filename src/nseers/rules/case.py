"""The case the engine evaluates, and its parser (the evaluation contract's input).

Parsing checks every field and reports every problem with its path, e.g.
``traveler.date_of_birth: not a date: "1970-13-01"``, so a malformed case is answered
with all its faults at once. Unknown keys are errors: a misspelt circumstance such as
``stowawy`` would otherwise default to ``false`` and silently change the decision.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from nseers.core.codes import canonical_class, is_alpha3
from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.core.frozen import quick_init

EVENTS: Final = frozenset({"arrival", "departure"})
MODES: Final = frozenset({"air", "sea", "land"})
CLAIMED_STATUSES: Final = frozenset(
    {"us_citizen", "lpr", "nonimmigrant", "immigrant", "refugee", "none"})
SEXES: Final = frozenset({"M", "F", "X"})
DOCUMENT_KINDS: Final = frozenset({
    # The evaluation contract's kinds.
    "us_passport", "passport", "visa", "bcc", "i551", "military_id", "official_orders",
    "i68", "inspass", "portpass", "i94",
    # WHTI documents a citizen may present instead of a passport (8 CFR 235.1(b)).
    "passport_card", "nexus", "fast", "sentri", "edl", "mmd",
})
PASSPORT_TYPES: Final = frozenset({"regular", "diplomatic", "official"})
#: A document's fields; the dates carry ICAO Doc 9303's names for them.
DOCUMENT_KEYS: Final = ("kind", "issuer", "class", "type", "date_of_issue", "date_of_expiry")
REGISTRATION_BASES: Final = frozenset({"designated_nationality", "individual"})
CIRCUMSTANCES: Final = (
    # The evaluation contract's circumstances.
    "citizenship_established", "stowaway", "fear_expressed", "interdicted_at_sea",
    "armed_forces_under_orders", "nato_force_under_orders", "consular_referral",
    "officer_designation", "dhs_criteria", "paroled", "attendant_of_official", "visa_exempt",
    # Added by nseers: facts some rules need that the contract leaves to implementations.
    "crewman", "tecro_official", "biometrics_exempted_individually",
    "biometrics_class_exempted_jointly",
)
METADATA_KEYS: Final = frozenset({"id", "name", "description", "notes"})
CASE_KEYS: Final = frozenset({
    "event", "date", "port", "traveler", "admission_class", "documents", "circumstances",
    "itinerary", "registration", "departure_report",
}) | METADATA_KEYS


@quick_init
@dataclass(frozen=True, slots=True)
class PortFacts:
    """Where the event happens, as the case gives it."""

    code: str | None
    mode: str | None
    state: str | None


@quick_init
@dataclass(frozen=True, slots=True)
class Traveler:
    """Who the traveller is, as far as the case says."""

    claimed_status: str
    citizenships: tuple[str, ...]
    date_of_birth: date | None
    sex: str | None
    residence: str | None


@quick_init
@dataclass(frozen=True, slots=True)
class Document:
    """A document presented: its kind, issuer, visa class and passport type where given."""

    kind: str
    issuer: str | None = None
    admission_class: str | None = None
    passport_type: str | None = None
    date_of_issue: date | None = None
    date_of_expiry: date | None = None


@quick_init
@dataclass(frozen=True, slots=True)
class Circumstances:
    """Facts the officer establishes; each defaults to false."""

    citizenship_established: bool = False
    stowaway: bool = False
    fear_expressed: bool = False
    interdicted_at_sea: bool = False
    armed_forces_under_orders: bool = False
    nato_force_under_orders: bool = False
    consular_referral: bool = False
    officer_designation: bool = False
    dhs_criteria: bool = False
    paroled: bool = False
    attendant_of_official: bool = False
    visa_exempt: bool = False
    crewman: bool = False
    tecro_official: bool = False
    biometrics_exempted_individually: bool = False
    biometrics_class_exempted_jointly: bool = False

    def holds(self, name: str) -> bool:
        """Whether the named circumstance holds (names come from policy data)."""
        return bool(getattr(self, name, False))


@quick_init
@dataclass(frozen=True, slots=True)
class Itinerary:
    """Where and for how long the traveller means to go."""

    max_distance_from_border_miles: float | None = None
    length_of_stay_days: float | None = None
    length_of_stay_hours: float | None = None
    destination: str | None = None

    @property
    def length_of_stay_in_hours(self) -> float | None:
        """The intended stay in hours, from whichever unit the case gave."""
        if self.length_of_stay_hours is not None:
            return self.length_of_stay_hours
        if self.length_of_stay_days is not None:
            return self.length_of_stay_days * 24
        return None


@quick_init
@dataclass(frozen=True, slots=True)
class Registration:
    """An existing special registration: its basis, date and FIN."""

    basis: str
    date: date
    fin: str | None


@quick_init
@dataclass(frozen=True, slots=True)
class DepartureReport:
    """Where and when a registrant appeared in person to register a departure."""

    port_code: str
    date: date


@quick_init
@dataclass(frozen=True, slots=True)
class Case:
    """One application for admission or one departure, as the contract describes it."""

    event: str
    date: date
    port: PortFacts
    traveler: Traveler
    admission_class: str | None = None
    documents: tuple[Document, ...] = ()
    circumstances: Circumstances = Circumstances()
    itinerary: Itinerary = Itinerary()
    registration: Registration | None = None
    departure_report: DepartureReport | None = None
    case_id: str | None = None

    def has_document(self, kind: str) -> bool:
        """Whether a document of ``kind`` was presented."""
        return any(d.kind == kind for d in self.documents)


class _Reader:
    """Collects problems while reading one case, so every bad field is reported."""

    def __init__(self) -> None:
        self.problems: list[FieldProblem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(FieldProblem(path, message))

    def mapping(self, raw: Any, path: str, allowed: frozenset[str] | tuple[str, ...],
                *, required: bool) -> dict[str, Any] | None:
        if raw is None:
            if required:
                self.fail(path, "required")
            return None
        if not isinstance(raw, dict):
            self.fail(path, f"not an object: {_show(raw)}")
            return None
        for key in raw:
            if key not in allowed:
                self.fail(f"{path}.{key}" if path else str(key), "unknown field")
        return raw

    def text(self, raw: Any, path: str, *, required: bool = False,
             choices: frozenset[str] | None = None) -> str | None:
        if raw is None:
            if required:
                self.fail(path, "required")
            return None
        if not isinstance(raw, str) or not raw.strip():
            self.fail(path, f"not a non-empty string: {_show(raw)}")
            return None
        if choices is not None and raw not in choices:
            self.fail(path, f"not one of {', '.join(sorted(choices))}: {_show(raw)}")
            return None
        return raw

    def day(self, raw: Any, path: str, *, required: bool = False) -> date | None:
        if raw is None:
            if required:
                self.fail(path, "required")
            return None
        if isinstance(raw, str):
            try:
                if len(raw) == 10:
                    return date.fromisoformat(raw)
            except ValueError:
                pass
        self.fail(path, f"not a date: {_show(raw)} (expected YYYY-MM-DD)")
        return None

    def country(self, raw: Any, path: str) -> str | None:
        value = self.text(raw, path)
        if value is not None and not is_alpha3(value):
            self.fail(path, f"not an ISO 3166-1 alpha-3 code: {_show(raw)}")
            return None
        return value

    def flag(self, raw: Any, path: str) -> bool:
        if raw is None:
            return False
        if not isinstance(raw, bool):
            self.fail(path, f"not a boolean: {_show(raw)}")
            return False
        return raw

    def number(self, raw: Any, path: str) -> float | None:
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0:
            self.fail(path, f"not a non-negative number: {_show(raw)}")
            return None
        return float(raw)


def _show(raw: Any) -> str:
    return json.dumps(raw) if isinstance(raw, str | int | float | bool) or raw is None else (
        type(raw).__name__)


def parse_case(raw: Any) -> Case:
    """Read a case from parsed JSON, or raise :class:`InvalidInputError` naming each bad field."""
    if not isinstance(raw, dict):
        raise InvalidInputError([FieldProblem("case", f"not a JSON object: {_show(raw)}")])
    return read_well_formed(raw) or _read_case(raw)


def _read_case(raw: dict[str, Any]) -> Case:
    """The case read field by field, every problem named (the slow path)."""
    r = _Reader()
    top = r.mapping(raw, "", CASE_KEYS, required=True) or {}

    event = r.text(top.get("event"), "event", required=True, choices=EVENTS)
    day = r.day(top.get("date"), "date", required=True)

    port = _read_port(r, top.get("port"))
    traveler = _read_traveler(r, top.get("traveler"))

    admission_class = r.text(top.get("admission_class"), "admission_class")
    documents = _read_documents(r, top.get("documents"))
    circumstances = _read_circumstances(r, top.get("circumstances"))
    itinerary = _read_itinerary(r, top.get("itinerary"))
    registration = _read_registration(r, top.get("registration"))
    departure_report = _read_departure_report(r, top.get("departure_report"))
    case_id = top.get("id")

    if day is not None:
        _check_facts_can_be_true(r, day, traveler, documents, registration)
    if r.problems:
        raise InvalidInputError(r.problems)
    if event is None or day is None or port is None or traveler is None:  # pragma: no cover
        raise InvalidInputError([FieldProblem("case", "incomplete")])
    return Case(
        event=event, date=day, port=port, traveler=traveler,
        admission_class=canonical_class(admission_class) if admission_class else None,
        documents=documents, circumstances=circumstances, itinerary=itinerary,
        registration=registration, departure_report=departure_report,
        case_id=str(case_id) if case_id is not None else None,
    )


def _check_facts_can_be_true(r: _Reader, day: date, traveler: Traveler | None,
                             documents: tuple[Document, ...],
                             registration: Registration | None) -> None:
    """Refuse facts that cannot be true on the event's date (the evaluation contract): no
    one is born, registered or issued a document after the day of the event, and no
    document expires before it was issued."""
    shown = day.isoformat()
    if traveler is not None and traveler.date_of_birth is not None \
            and traveler.date_of_birth > day:
        r.fail("traveler.date_of_birth", f"{traveler.date_of_birth.isoformat()} is after the "
                                         f"event's date {shown}")
    if registration is not None and registration.date > day:
        r.fail("registration.date", f"{registration.date.isoformat()} is after the event's "
                                    f"date {shown}")
    for index, document in enumerate(documents):
        issued, expires = document.date_of_issue, document.date_of_expiry
        if issued is not None and issued > day:
            r.fail(f"documents[{index}].date_of_issue",
                   f"{issued.isoformat()} is after the event's date {shown}")
        if issued is not None and expires is not None and expires < issued:
            r.fail(f"documents[{index}].date_of_expiry",
                   f"{expires.isoformat()} is before the document was issued "
                   f"({issued.isoformat()})")


def _read_port(r: _Reader, raw: Any) -> PortFacts | None:
    port = r.mapping(raw, "port", ("code", "mode", "state"), required=True)
    if port is None:
        return None
    code = r.text(port.get("code"), "port.code")
    mode = r.text(port.get("mode"), "port.mode", choices=MODES)
    state = r.text(port.get("state"), "port.state")
    if state is not None and (len(state) != 2 or not state.isalpha() or not state.isupper()):
        r.fail("port.state", f"not a two-letter state or territory code: {_show(state)}")
    if code is None and mode is None and "port.mode" not in {p.path for p in r.problems}:
        r.fail("port", "give a port code, or the mode and state of an unlisted port")
    return PortFacts(code.upper() if code else None, mode, state)


def _read_traveler(r: _Reader, raw: Any) -> Traveler | None:
    keys = ("claimed_status", "citizenships", "date_of_birth", "sex", "residence")
    traveler = r.mapping(raw, "traveler", keys, required=True)
    if traveler is None:
        return None
    status = r.text(traveler.get("claimed_status"), "traveler.claimed_status", required=True,
                    choices=CLAIMED_STATUSES)
    citizenships: list[str] = []
    raw_citizenships = traveler.get("citizenships")
    if raw_citizenships is not None and not isinstance(raw_citizenships, list):
        r.fail("traveler.citizenships", f"not a list: {_show(raw_citizenships)}")
    elif raw_citizenships:
        for index, item in enumerate(raw_citizenships):
            code = r.country(item, f"traveler.citizenships[{index}]")
            if code is not None:
                citizenships.append(code)
    birth = r.day(traveler.get("date_of_birth"), "traveler.date_of_birth")
    sex = r.text(traveler.get("sex"), "traveler.sex", choices=SEXES)
    residence = r.text(traveler.get("residence"), "traveler.residence")
    if residence is not None and not is_alpha3(residence):
        r.fail("traveler.residence", f"not an alpha-3 country or territory code: "
                                     f"{_show(residence)}")
    return Traveler(status or "none", tuple(citizenships), birth, sex, residence)


def _read_documents(r: _Reader, raw: Any) -> tuple[Document, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        r.fail("documents", f"not a list: {_show(raw)}")
        return ()
    documents = []
    for index, item in enumerate(raw):
        path = f"documents[{index}]"
        document = r.mapping(item, path, DOCUMENT_KEYS, required=True)
        if document is None:
            continue
        kind = r.text(document.get("kind"), f"{path}.kind", required=True,
                      choices=DOCUMENT_KINDS)
        issuer = r.text(document.get("issuer"), f"{path}.issuer")
        if issuer is not None and not is_alpha3(issuer):
            r.fail(f"{path}.issuer", f"not an alpha-3 code: {_show(issuer)}")
        visa_class = r.text(document.get("class"), f"{path}.class")
        passport_type = r.text(document.get("type"), f"{path}.type", choices=PASSPORT_TYPES)
        issued = r.day(document.get("date_of_issue"), f"{path}.date_of_issue")
        expires = r.day(document.get("date_of_expiry"), f"{path}.date_of_expiry")
        if kind is not None:
            documents.append(Document(kind, issuer, canonical_class(visa_class)
                                      if visa_class else None, passport_type, issued, expires))
    return tuple(documents)


def _read_circumstances(r: _Reader, raw: Any) -> Circumstances:
    circumstances = r.mapping(raw, "circumstances", CIRCUMSTANCES, required=False)
    if not circumstances:
        return Circumstances()
    values = {key: r.flag(value, f"circumstances.{key}")
              for key, value in circumstances.items() if key in CIRCUMSTANCES}
    return Circumstances(**values)


def _read_itinerary(r: _Reader, raw: Any) -> Itinerary:
    keys = ("max_distance_from_border_miles", "length_of_stay_days", "length_of_stay_hours",
            "destination")
    itinerary = r.mapping(raw, "itinerary", keys, required=False)
    if not itinerary:
        return Itinerary()
    return Itinerary(
        max_distance_from_border_miles=r.number(
            itinerary.get("max_distance_from_border_miles"),
            "itinerary.max_distance_from_border_miles"),
        length_of_stay_days=r.number(itinerary.get("length_of_stay_days"),
                                     "itinerary.length_of_stay_days"),
        length_of_stay_hours=r.number(itinerary.get("length_of_stay_hours"),
                                      "itinerary.length_of_stay_hours"),
        destination=r.text(itinerary.get("destination"), "itinerary.destination"),
    )


def _read_registration(r: _Reader, raw: Any) -> Registration | None:
    registration = r.mapping(raw, "registration", ("basis", "date", "fin"), required=False)
    if registration is None:
        return None
    basis = r.text(registration.get("basis"), "registration.basis", required=True,
                   choices=REGISTRATION_BASES)
    day = r.day(registration.get("date"), "registration.date", required=True)
    fin = r.text(registration.get("fin"), "registration.fin")
    if basis is None or day is None:
        return None
    return Registration(basis, day, fin)


def _read_departure_report(r: _Reader, raw: Any) -> DepartureReport | None:
    report = r.mapping(raw, "departure_report", ("port_code", "date"), required=False)
    if report is None:
        return None
    port_code = r.text(report.get("port_code"), "departure_report.port_code", required=True)
    day = r.day(report.get("date"), "departure_report.date", required=True)
    if port_code is None or day is None:
        return None
    return DepartureReport(port_code.upper(), day)


# The fast path (issue 18). Reading a case field by field through ``_Reader`` builds a path
# for every field in case it is wrong; most cases are not. ``read_well_formed`` reads a case
# with the same checks and no paths, and answers ``None`` at the first doubt, when
# ``parse_case`` reads the case again through ``_Reader`` to name every problem. Each
# check here mirrors one above: a case it accepts is the case ``_Reader`` would build.
#
# Most cases repeat a port, a document, a set of circumstances or an itinerary that an
# earlier case gave, key for key and value for value; each part read is remembered by its
# raw items, so a part seen before is one lookup instead of a dozen checks. Only parts
# that passed every check are remembered, and a lookup hits only a part whose items are
# equal to it. Equal is not always the same: ``1 == True`` and ``0 == -0.0`` hash alike,
# so the parts whose values may be numbers or booleans are looked up only once the type
# of each value is one the reader accepts, and an itinerary with a zero (or NaN) is never
# remembered. Strings are equal only to strings with the same characters.

PORT_KEYS: Final = frozenset({"code", "mode", "state"})
TRAVELER_KEYS: Final = frozenset(
    {"claimed_status", "citizenships", "date_of_birth", "sex", "residence"})
_DOCUMENT_KEYS: Final = frozenset(DOCUMENT_KEYS)
_CIRCUMSTANCES: Final = frozenset(CIRCUMSTANCES)
ITINERARY_KEYS: Final = frozenset({"max_distance_from_border_miles", "length_of_stay_days",
                                   "length_of_stay_hours", "destination"})
REGISTRATION_KEYS: Final = frozenset({"basis", "date", "fin"})
DEPARTURE_REPORT_KEYS: Final = frozenset({"port_code", "date"})
_FLAG_TYPES: Final = frozenset({bool, type(None)})
_TRIP_TYPES: Final = frozenset({int, float, str, type(None)})

#: Entries each table keeps before it is emptied: enough for the parts that repeat, and
#: memory stays flat whatever the input.
_LIMIT: Final = 20_000
_PORTS: dict[tuple[tuple[str, Any], ...], PortFacts] = {}
_DOCUMENTS: dict[tuple[tuple[str, Any], ...], Document] = {}
_FLAGS: dict[tuple[tuple[str, Any], ...], Circumstances] = {}
_TRIPS: dict[tuple[tuple[str, Any], ...], Itinerary] = {}
#: ``date.fromisoformat`` of the texts seen: cases repeat the days of events and births.
_DAYS: dict[str, date] = {}
#: Texts that have the form of an alpha-3 code (at most 26**3, so never emptied).
_CODES: set[str] = set()
#: ``canonical_class`` of the texts seen.
_CLASSES: dict[str, str] = {}


class _Doubt(Exception):  # noqa: N818 - not an error: the slow path decides
    """Something in the case may be wrong: let ``_Reader`` read it."""


def _remember(table: dict[Any, Any], key: Any, value: Any) -> Any:
    if len(table) >= _LIMIT:
        table.clear()
    table[key] = value
    return value


def _string(raw: Any, choices: frozenset[str] | None = None) -> str | None:
    if raw is None:
        return None
    if type(raw) is not str or not raw.strip() or (choices is not None and raw not in choices):
        raise _Doubt
    return raw


def _code(raw: Any) -> None:
    """Doubt unless ``raw`` is a text of the form of an alpha-3 code (``_Reader.country``)."""
    if raw not in _CODES:
        if type(raw) is not str or not raw.strip() or not is_alpha3(raw):
            raise _Doubt
        _CODES.add(raw)


def _class(raw: str) -> str:
    try:
        return _CLASSES[raw]
    except KeyError:
        value: str = _remember(_CLASSES, raw, canonical_class(raw))
        return value


def _date(raw: Any) -> date | None:
    if raw is None:
        return None
    day = _DAYS.get(raw)
    if day is None:
        if type(raw) is not str or len(raw) != 10:
            raise _Doubt
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise _Doubt from None
        _remember(_DAYS, raw, day)
    return day


def _number(raw: Any) -> float | None:
    if raw is None:
        return None
    if type(raw) not in (int, float) or raw < 0:
        raise _Doubt
    return float(raw)


def read_well_formed(raw: dict[str, Any]) -> Case | None:
    """The case, when every field is right; ``None`` when any may not be (no messages:
    ``parse_case`` names them). ``nseers evaluate`` reads here what a faster decoder
    decoded, and decodes again with ``json`` for ``parse_case`` only on ``None``."""
    try:
        return _read_well_formed(raw)
    except (_Doubt, TypeError):  # TypeError: an unhashable value met a lookup
        return None


def _port(raw: Any) -> PortFacts:
    if type(raw) is not dict:
        raise _Doubt
    key = tuple(raw.items())
    port = _PORTS.get(key)
    if port is None:
        if not PORT_KEYS.issuperset(raw):
            raise _Doubt
        code = _string(raw.get("code"))
        mode = _string(raw.get("mode"), MODES)
        state = _string(raw.get("state"))
        if (state is not None and (len(state) != 2 or not state.isalpha()
                                   or not state.isupper())) or (code is None and mode is None):
            raise _Doubt
        port = _remember(_PORTS, key, PortFacts(code.upper() if code else None, mode, state))
    return port


def _traveler(raw: Any, day: date) -> Traveler:
    if type(raw) is not dict or not TRAVELER_KEYS.issuperset(raw):
        raise _Doubt
    status = raw.get("claimed_status")
    if type(status) is not str or status not in CLAIMED_STATUSES:
        raise _Doubt
    citizenships = raw.get("citizenships")
    if citizenships is None:
        codes: tuple[str, ...] = ()
    elif type(citizenships) is list:
        for code in citizenships:
            _code(code)
        codes = tuple(citizenships)
    else:
        raise _Doubt
    birth = _date(raw.get("date_of_birth"))
    sex = _string(raw.get("sex"), SEXES)
    residence = raw.get("residence")
    if residence is not None:
        _code(residence)
    if birth is not None and birth > day:
        raise _Doubt
    return Traveler(status, codes, birth, sex, residence)


def _document(raw: Any) -> Document:
    if type(raw) is not dict:
        raise _Doubt
    key = tuple(raw.items())
    document = _DOCUMENTS.get(key)
    if document is None:
        if not _DOCUMENT_KEYS.issuperset(raw):
            raise _Doubt
        kind = _string(raw.get("kind"), DOCUMENT_KINDS)
        issuer = raw.get("issuer")
        if issuer is not None:
            _code(issuer)
        visa_class = _string(raw.get("class"))
        passport_type = _string(raw.get("type"), PASSPORT_TYPES)
        issued = _date(raw.get("date_of_issue"))
        expires = _date(raw.get("date_of_expiry"))
        if kind is None or (issued is not None and expires is not None and expires < issued):
            raise _Doubt
        document = _remember(_DOCUMENTS, key, Document(
            kind, issuer, _class(visa_class) if visa_class else None, passport_type, issued,
            expires))
    return document


def _circumstances(raw: Any) -> Circumstances:
    if type(raw) is not dict or not _FLAG_TYPES.issuperset(map(type, raw.values())):
        raise _Doubt
    if not raw:
        return Circumstances()
    key = tuple(raw.items())
    circumstances = _FLAGS.get(key)
    if circumstances is None:
        if not _CIRCUMSTANCES.issuperset(raw):
            raise _Doubt
        circumstances = _remember(_FLAGS, key, Circumstances(
            **{name: bool(value) for name, value in raw.items()}))
    return circumstances


def _itinerary(raw: Any) -> Itinerary:
    if type(raw) is not dict or not _TRIP_TYPES.issuperset(map(type, raw.values())):
        raise _Doubt
    if not raw:
        return Itinerary()
    key = tuple(raw.items())
    itinerary = _TRIPS.get(key)
    if itinerary is None:
        if not ITINERARY_KEYS.issuperset(raw):
            raise _Doubt
        numbers = (_number(raw.get("max_distance_from_border_miles")),
                   _number(raw.get("length_of_stay_days")),
                   _number(raw.get("length_of_stay_hours")))
        itinerary = Itinerary(*numbers, _string(raw.get("destination")))
        # 0.0 == -0.0 but they print differently; NaN is equal to nothing.
        if all(number is None or number > 0 for number in numbers):
            _remember(_TRIPS, key, itinerary)
    return itinerary


def _read_well_formed(raw: dict[str, Any]) -> Case:
    if not CASE_KEYS.issuperset(raw):
        raise _Doubt
    event = raw.get("event")
    if type(event) is not str or event not in EVENTS:
        raise _Doubt
    day = _date(raw.get("date"))
    if day is None:
        raise _Doubt
    port = _port(raw.get("port"))
    traveler = _traveler(raw.get("traveler"), day)
    admission_class = _string(raw.get("admission_class"))

    documents: tuple[Document, ...] = ()
    raw_documents = raw.get("documents")
    if raw_documents is not None:
        if type(raw_documents) is not list:
            raise _Doubt
        documents = tuple(map(_document, raw_documents))
        for document in documents:
            if document.date_of_issue is not None and document.date_of_issue > day:
                raise _Doubt

    raw_circumstances = raw.get("circumstances")
    raw_itinerary = raw.get("itinerary")
    registration = None
    raw_registration = raw.get("registration")
    if raw_registration is not None:
        if type(raw_registration) is not dict or not REGISTRATION_KEYS.issuperset(
                raw_registration):
            raise _Doubt
        basis = _string(raw_registration.get("basis"), REGISTRATION_BASES)
        registered = _date(raw_registration.get("date"))
        if basis is None or registered is None or registered > day:
            raise _Doubt
        registration = Registration(basis, registered, _string(raw_registration.get("fin")))

    departure_report = None
    raw_report = raw.get("departure_report")
    if raw_report is not None:
        if type(raw_report) is not dict or not DEPARTURE_REPORT_KEYS.issuperset(raw_report):
            raise _Doubt
        port_code = _string(raw_report.get("port_code"))
        reported = _date(raw_report.get("date"))
        if port_code is None or reported is None:
            raise _Doubt
        departure_report = DepartureReport(port_code.upper(), reported)

    case_id = raw.get("id")
    return Case(
        event, day, port, traveler,
        _class(admission_class) if admission_class else None,
        documents,
        Circumstances() if raw_circumstances is None else _circumstances(raw_circumstances),
        Itinerary() if raw_itinerary is None else _itinerary(raw_itinerary),
        registration, departure_report,
        None if case_id is None else str(case_id),
    )
