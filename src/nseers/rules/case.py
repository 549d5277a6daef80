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


@dataclass(frozen=True, slots=True)
class PortFacts:
    """Where the event happens, as the case gives it."""

    code: str | None
    mode: str | None
    state: str | None


@dataclass(frozen=True, slots=True)
class Traveler:
    """Who the traveller is, as far as the case says."""

    claimed_status: str
    citizenships: tuple[str, ...]
    date_of_birth: date | None
    sex: str | None
    residence: str | None


@dataclass(frozen=True, slots=True)
class Document:
    """A document presented: its kind, issuer, visa class and passport type where given."""

    kind: str
    issuer: str | None = None
    admission_class: str | None = None
    passport_type: str | None = None
    date_of_issue: date | None = None
    date_of_expiry: date | None = None


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


@dataclass(frozen=True, slots=True)
class Registration:
    """An existing special registration: its basis, date and FIN."""

    basis: str
    date: date
    fin: str | None


@dataclass(frozen=True, slots=True)
class DepartureReport:
    """Where and when a registrant appeared in person to register a departure."""

    port_code: str
    date: date


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
    return _well_formed(raw) or _read_case(raw)


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
# for every field in case it is wrong; most cases are not. ``_well_formed`` reads a case
# with the same checks and no paths, and answers ``None`` at the first doubt, when
# ``parse_case`` reads the case again through ``_Reader`` to name every problem. Each
# check here mirrors one above: a case it accepts is the case ``_Reader`` would build.

_NO_KEYS: Final[frozenset[str]] = frozenset()
PORT_KEYS: Final = frozenset({"code", "mode", "state"})
TRAVELER_KEYS: Final = frozenset(
    {"claimed_status", "citizenships", "date_of_birth", "sex", "residence"})
_DOCUMENT_KEYS: Final = frozenset(DOCUMENT_KEYS)
_CIRCUMSTANCES: Final = frozenset(CIRCUMSTANCES)
ITINERARY_KEYS: Final = frozenset({"max_distance_from_border_miles", "length_of_stay_days",
                                   "length_of_stay_hours", "destination"})
REGISTRATION_KEYS: Final = frozenset({"basis", "date", "fin"})
DEPARTURE_REPORT_KEYS: Final = frozenset({"port_code", "date"})


#: The immutable parts of cases already read, shared by the cases that repeat them (most
#: cases repeat a port, a document or a set of circumstances); emptied past the bound.
_SHARED: dict[tuple[Any, ...], Any] = {}
_SHARED_LIMIT: Final = 100_000


def _shared(key: tuple[Any, ...], build: Any, *args: Any) -> Any:
    try:
        return _SHARED[key]
    except KeyError:
        if len(_SHARED) > _SHARED_LIMIT:
            _SHARED.clear()
        value = _SHARED[key] = build(*args)
        return value


class _Doubt(Exception):  # noqa: N818 - not an error: the slow path decides
    """Something in the case may be wrong: let ``_Reader`` read it."""


def _keys(raw: Any, allowed: frozenset[str]) -> dict[str, Any]:
    if type(raw) is not dict or not allowed.issuperset(raw):
        raise _Doubt
    return raw


def _string(raw: Any, choices: frozenset[str] = _NO_KEYS) -> str | None:
    if raw is None:
        return None
    if type(raw) is not str or not raw.strip() or (choices and raw not in choices):
        raise _Doubt
    return raw


def _date(raw: Any) -> date | None:
    if raw is None:
        return None
    if type(raw) is not str or len(raw) != 10:
        raise _Doubt
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise _Doubt from None


def _number(raw: Any) -> float | None:
    if raw is None:
        return None
    if type(raw) not in (int, float) or raw < 0:
        raise _Doubt
    return float(raw)


def _well_formed(raw: dict[str, Any]) -> Case | None:
    """The case, when every field is right; ``None`` when any may not be."""
    try:
        return _read_well_formed(raw)
    except _Doubt:
        return None


def _read_well_formed(raw: dict[str, Any]) -> Case | None:  # noqa: PLR0915 - one check a field
    _keys(raw, CASE_KEYS)
    event = _string(raw.get("event"), EVENTS)
    day = _date(raw.get("date"))
    if event is None or day is None:
        return None

    port = _keys(raw.get("port"), PORT_KEYS)
    code = _string(port.get("code"))
    mode = _string(port.get("mode"), MODES)
    state = _string(port.get("state"))
    if (state is not None and (len(state) != 2 or not state.isalpha()
                               or not state.isupper())) or (code is None and mode is None):
        return None

    traveler = _keys(raw.get("traveler"), TRAVELER_KEYS)
    status = _string(traveler.get("claimed_status"), CLAIMED_STATUSES)
    citizenships = traveler.get("citizenships")
    if citizenships is None:
        citizenships = []
    elif type(citizenships) is not list:
        return None
    for item in citizenships:
        if _string(item) is None or not is_alpha3(item):
            return None
    birth = _date(traveler.get("date_of_birth"))
    sex = _string(traveler.get("sex"), SEXES)
    residence = _string(traveler.get("residence"))
    if status is None or (residence is not None and not is_alpha3(residence)) \
            or (birth is not None and birth > day):
        return None

    admission_class = _string(raw.get("admission_class"))
    documents = []
    raw_documents = raw.get("documents")
    if raw_documents is not None:
        if type(raw_documents) is not list:
            return None
        for item in raw_documents:
            document = _keys(item, _DOCUMENT_KEYS)
            kind = _string(document.get("kind"), DOCUMENT_KINDS)
            issuer = _string(document.get("issuer"))
            visa_class = _string(document.get("class"))
            passport_type = _string(document.get("type"), PASSPORT_TYPES)
            issued = _date(document.get("date_of_issue"))
            expires = _date(document.get("date_of_expiry"))
            if kind is None or (issuer is not None and not is_alpha3(issuer)) or (
                    issued is not None and (issued > day or (
                        expires is not None and expires < issued))):
                return None
            fields = (kind, issuer, canonical_class(visa_class) if visa_class else None,
                      passport_type, issued, expires)
            documents.append(_shared((Document, *fields), Document, *fields))

    circumstances = Circumstances()
    raw_circumstances = raw.get("circumstances")
    if raw_circumstances is not None:
        flags = _keys(raw_circumstances, _CIRCUMSTANCES)
        if flags:
            for value in flags.values():
                if value is not None and type(value) is not bool:
                    return None
            key = (Circumstances, *flags.items())
            circumstances = _SHARED.get(key) or _shared(
                key, lambda: Circumstances(**{k: bool(v) for k, v in flags.items()}))

    itinerary = Itinerary()
    raw_itinerary = raw.get("itinerary")
    if raw_itinerary is not None:
        trip = _keys(raw_itinerary, ITINERARY_KEYS)
        if trip:
            trip_fields = (_number(trip.get("max_distance_from_border_miles")),
                           _number(trip.get("length_of_stay_days")),
                           _number(trip.get("length_of_stay_hours")),
                           _string(trip.get("destination")))
            itinerary = _shared((Itinerary, *trip_fields), Itinerary, *trip_fields)

    registration = None
    raw_registration = raw.get("registration")
    if raw_registration is not None:
        held = _keys(raw_registration, REGISTRATION_KEYS)
        basis = _string(held.get("basis"), REGISTRATION_BASES)
        registered = _date(held.get("date"))
        if basis is None or registered is None or registered > day:
            return None
        registration = Registration(basis, registered, _string(held.get("fin")))

    departure_report = None
    raw_report = raw.get("departure_report")
    if raw_report is not None:
        report = _keys(raw_report, DEPARTURE_REPORT_KEYS)
        port_code = _string(report.get("port_code"))
        reported = _date(report.get("date"))
        if port_code is None or reported is None:
            return None
        departure_report = DepartureReport(port_code.upper(), reported)

    case_id = raw.get("id")
    return Case(
        event=event, date=day,
        port=_shared((PortFacts, code, mode, state), PortFacts,
                     code.upper() if code else None, mode, state),
        traveler=Traveler(status, tuple(citizenships), birth, sex, residence),
        admission_class=canonical_class(admission_class) if admission_class else None,
        documents=tuple(documents), circumstances=circumstances, itinerary=itinerary,
        registration=registration, departure_report=departure_report,
        case_id=str(case_id) if case_id is not None else None,
    )
