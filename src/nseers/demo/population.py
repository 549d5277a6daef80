"""A deterministic synthetic population of travellers, for demos, load tests and examples.

``generate(travellers, seed)`` streams travellers: a person (a name in Latin letters and,
where the language is written otherwise, in its own script; citizenships; a passport and
perhaps a visa) and the chronological events of their journeys to the United States:
arrivals at real ports of the policy's port data, departures, and for special registrants
(8 CFR 264.1(f)) call-in registrations, 30-day and annual interviews, interviews on
notice, changes of address and departure reports, on time or not.

Determinism: traveller ``i`` is drawn from its own ``Random(f"{seed}:{i}")``, so it is the
same however many travellers are generated, and the clock is never read. The output
depends only on ``seed``, ``i``, ``start``, ``end`` and the policy data.

Who is registered, when, and where a registrant may depart come from the policy, so the
registrants made here are the ones the rules find; so do who may travel under the Visa
Waiver Program on a day (``nseers.rules.vwp``) and how long a TN worker is admitted
(``nseers.rules.stay.max_admission_years``): this module names no date of law. Readings we chose:

- A port-of-entry registrant is a traveller an *applied* port-of-entry designation in
  force on the day of arrival covers (nationality or travel document, sex, whole-year age,
  A and G classes excluded). The unconfirmed report that men of all 25 call-in countries
  were registered on arrival (``applied: false``) is not applied, so those men are
  registrants only through a call-in registration.
- The built-in list of departure ports starts on 2003-03-03; the first list of 2002-10-01
  is not in the data. For a departure before the first list loaded, the generator takes
  that first list as the designated ports (the rules will say "not designated as loaded").
- Events fall in [start, end], to the minute; ``admit_until`` and a document's
  ``expires_on`` are deadlines, not events, and may fall after ``end``. A passport is
  valid on every arrival; a traveller may stay on after it expires.
- A call-in registrant (Groups 1 to 4) was admitted within two years before the group's
  "last admitted" date and was still here when its window closed; most register in the
  window, some in the grace period or extension, some late, some never.

This is test data: the mix of nationalities, classes and behaviours is plausible, not
statistics, and the names are common names that mean no real person.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from calendar import monthrange
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import accumulate
from random import Random
from typing import TypeVar

from nseers.core.codes import canonical_class, class_family
from nseers.core.dates import age_on, anniversary
from nseers.demo.names import NameList, compose_name, name_lists
from nseers.rules.policy.schema import CallInGroup, DeparturePort, PoeDesignation, Port
from nseers.rules.policy.store import Policy, default_policy
from nseers.rules.stay import max_admission_years
from nseers.rules.vwp import vwp_periods

T = TypeVar("T")

# ---------------------------------------------------------------- the public records


@dataclass(frozen=True, slots=True)
class SyntheticDocument:
    """A travel document: the passport (always one) or a US visa (issuer ``USA``)."""

    kind: str
    number: str
    issuer: str
    expires_on: date
    admission_class: str | None = None


@dataclass(frozen=True, slots=True)
class SyntheticPerson:
    """Who the traveller is.

    ``surname`` and ``given_names`` are the Latin form in mixed case as a person writes it
    ("Müller", "de Jong", "Al-Qahtani"); the ``*_original`` fields hold the name in its
    own script when that is not Latin, and ``script`` is the ISO 15924 code of the
    original (``Latn`` when there is none). A mononym is the surname, with empty
    ``given_names``.
    """

    key: str
    surname: str
    given_names: str
    surname_original: str | None
    given_names_original: str | None
    script: str
    date_of_birth: date
    sex: str
    citizenships: tuple[str, ...]
    documents: tuple[SyntheticDocument, ...]


@dataclass(frozen=True, slots=True)
class SyntheticEvent:
    """One thing that happened to the traveller, at a naive UTC time.

    Kinds: ``arrival`` and ``departure`` (at ``port_code`` by ``mode``),
    ``call_in_registration`` (in person at an immigration office, so no port),
    ``interview`` (``interview_kind``: ``thirty_day_report``, ``annual_report``, or
    ``call_in_interview`` for an interview DHS called a registrant to on notice after the
    2003 suspension of the automatic reports) and ``change_of_address``. On a departure,
    ``departure_report_port`` and ``departure_report_on`` say where and when a registrant
    reported the departure in person (``None``: no report was made; always ``None`` for a
    traveller not bound to report).
    """

    kind: str
    at: datetime
    port_code: str | None
    mode: str | None
    admission_class: str | None = None
    admit_until: date | None = None
    duration_of_status: bool = False
    departure_report_port: str | None = None
    departure_report_on: date | None = None
    interview_kind: str | None = None
    new_address: str | None = None
    us_address: str | None = None
    purpose: str | None = None
    employer_or_school: str | None = None


@dataclass(frozen=True, slots=True)
class SyntheticTraveller:
    """A person and their events, oldest first."""

    person: SyntheticPerson
    events: tuple[SyntheticEvent, ...]


ARRIVAL = "arrival"
DEPARTURE = "departure"
CALL_IN_REGISTRATION = "call_in_registration"
INTERVIEW = "interview"
CHANGE_OF_ADDRESS = "change_of_address"
THIRTY_DAY_REPORT = "thirty_day_report"
ANNUAL_REPORT = "annual_report"
CALL_IN_INTERVIEW = "call_in_interview"

# ---------------------------------------------------------------- who travels

VISITOR, STUDENT, EXCHANGE, WORKER, OFFICIAL = (
    "visitor", "student", "exchange", "worker", "official")
PROFILES = (VISITOR, STUDENT, EXCHANGE, WORKER, OFFICIAL)
_LONG_STAY = (STUDENT, WORKER, EXCHANGE)

# Shares of visitors, students, exchange visitors, workers and officials.
_MIX_DEFAULT = (0.82, 0.07, 0.03, 0.07, 0.01)
_MIX_NEIGHBOUR = (0.90, 0.04, 0.01, 0.05, 0.0)
_MIX_STUDY = (0.55, 0.20, 0.05, 0.19, 0.01)
_MIX_SPECIAL = (0.66, 0.16, 0.05, 0.10, 0.03)

_MALE_SHARE = 0.5
# Most travellers from the designated countries were men; the share itself is a guess.
_MALE_SHARE_SPECIAL = 0.68


@dataclass(frozen=True, slots=True)
class _Country:
    """A nationality: how common, which name lists, which purposes of travel."""

    code: str
    weight: float
    names: tuple[str, ...]
    names_cumulative: tuple[float, ...]
    mix_cumulative: tuple[float, ...]
    passport: str
    duals: tuple[str, ...] = ()
    dual_share: float = 0.0
    male_share: float = _MALE_SHARE
    is_special: bool = False


_DEFAULT_PASSPORT = "LDDDDDDDD"


def _country(code: str, weight: float, names: str | tuple[tuple[str, float], ...], *,
             mix: tuple[float, ...] = _MIX_DEFAULT, passport: str = _DEFAULT_PASSPORT,
             duals: tuple[str, ...] = (), dual_share: float = 0.02,
             is_special: bool = False) -> _Country:
    weighted = ((names, 1.0),) if isinstance(names, str) else names
    return _Country(code, weight, tuple(key for key, _ in weighted),
                    tuple(accumulate(share for _, share in weighted)), tuple(accumulate(mix)),
                    passport, duals, dual_share if duals else 0.0,
                    _MALE_SHARE_SPECIAL if is_special else _MALE_SHARE, is_special)


def _special(code: str, weight: float, names: str, *, passport: str = _DEFAULT_PASSPORT,
             duals: tuple[str, ...] = (), dual_share: float = 0.08) -> _Country:
    return _country(code, weight, names, mix=_MIX_SPECIAL, passport=passport, duals=duals,
                    dual_share=dual_share, is_special=True)


# Passport number shapes: L a letter, D a digit, A a letter or digit; always 9 characters.
COUNTRIES: tuple[_Country, ...] = (
    _country("MEX", 17.0, "spanish", mix=_MIX_NEIGHBOUR, duals=("ESP",)),
    _country("CAN", 13.0, (("english", 0.72), ("french", 0.28)), mix=_MIX_NEIGHBOUR,
             passport="LLDDDDDDD", duals=("GBR", "FRA")),
    _country("GBR", 7.0, "english", passport="DDDDDDDDD", duals=("IRL",)),
    _country("JPN", 5.0, "japanese", passport="LLDDDDDDD"),
    _country("IND", 5.0, (("hindi", 0.4), ("indian", 0.6)), mix=_MIX_STUDY),
    _country("CHN", 5.0, "chinese", mix=_MIX_STUDY),
    _country("DEU", 4.0, "german", passport="AAAAAAAAA", duals=("TUR",)),
    _country("KOR", 3.5, "korean", mix=_MIX_STUDY),
    _country("BRA", 3.5, "portuguese", passport="LLDDDDDDD", duals=("ITA", "PRT")),
    _country("FRA", 3.0, "french", passport="DDLLDDDDD"),
    _country("ITA", 2.0, "italian", passport="LLDDDDDDD"),
    _country("ESP", 2.0, "spanish", passport="LLLDDDDDD"),
    _country("AUS", 2.0, "english", passport="LLDDDDDDD", duals=("GBR",)),
    _country("COL", 2.0, "spanish", passport="LLDDDDDDD"),
    _country("PHL", 1.8, "filipino", passport="LDDDDDDDL"),
    _country("NLD", 1.3, "dutch", passport="AAAAAAAAA"),
    _country("ARG", 1.3, (("spanish", 0.8), ("italian", 0.2)), passport="LLLDDDDDD",
             duals=("ITA", "ESP")),
    _country("RUS", 1.3, "russian", passport="DDDDDDDDD"),
    _country("VNM", 1.0, "vietnamese"),
    _country("ISR", 1.0, "hebrew", passport="DDDDDDDDD"),
    _country("TUR", 0.8, "turkish"),
    _country("NGA", 0.8, "nigerian"),
    _country("POL", 0.8, "polish", passport="LLDDDDDDD"),
    _country("UKR", 0.6, "ukrainian", passport="LLDDDDDDD"),
    _country("SWE", 0.6, "nordic", passport="DDDDDDDDD"),
    _country("IRL", 0.6, "english", passport="LLDDDDDDD"),
    _country("GRC", 0.5, "greek", passport="LLDDDDDDD"),
    _country("CHE", 0.5, (("german", 0.7), ("french", 0.2), ("italian", 0.1))),
    # The 25 countries of the call-in groups, and of the port-of-entry designations.
    _special("IRN", 2.4, "persian", duals=("CAN", "GBR", "DEU", "SWE")),
    _special("IRQ", 1.0, "arabic", duals=("GBR", "SWE")),
    _special("LBY", 0.3, "arabic", duals=("GBR",)),
    _special("SDN", 0.4, "arabic", duals=("GBR", "CAN")),
    _special("SYR", 0.9, "arabic", passport="DDDDDDDDD", duals=("DEU", "FRA")),
    _special("PAK", 3.0, "urdu", passport="LLDDDDDDD", duals=("GBR", "CAN")),
    _special("SAU", 2.5, "arabic", duals=()),
    _special("YEM", 0.5, "arabic", passport="DDDDDDDDD", duals=("GBR",)),
    _special("AFG", 0.5, "persian", duals=("DEU",)),
    _special("DZA", 0.4, "maghrebi", passport="DDDDDDDDD", duals=("FRA",)),
    _special("BHR", 0.2, "arabic", passport="DDDDDDDDD"),
    _special("BGD", 1.2, "bengali", passport="LLDDDDDDD", duals=("GBR",)),
    _special("EGY", 1.6, "arabic", duals=("CAN",)),
    _special("ERI", 0.15, "eritrean"),
    _special("IDN", 1.5, "indonesian"),
    _special("JOR", 1.0, "arabic", duals=("CAN",)),
    _special("KWT", 0.6, "arabic"),
    _special("LBN", 1.0, "arabic", passport="LLDDDDDDD", duals=("FRA", "CAN")),
    _special("MAR", 0.8, "maghrebi", passport="LLDDDDDDD", duals=("FRA", "ESP")),
    _special("PRK", 0.05, "korean", passport="DDDDDDDDD"),
    _special("OMN", 0.2, "arabic"),
    _special("QAT", 0.3, "arabic", passport="DDDDDDDDD"),
    _special("SOM", 0.2, "somali", duals=("GBR", "SWE")),
    _special("TUN", 0.3, "maghrebi", duals=("FRA",)),
    _special("ARE", 0.6, "arabic"),
)

# ---------------------------------------------------------------- where they go

_HUBS: Mapping[str, float] = {
    "JFK": 12, "LAX": 11, "MIA": 10, "ORD": 7, "SFO": 7, "EWR": 6, "IAH": 6, "ATL": 6,
    "IAD": 5, "DFW": 4, "BOS": 4, "SEA": 3, "DTW": 3, "MCO": 3, "HNL": 3, "MSP": 2,
    "PHL": 2, "LAS": 2,
    "SAN YSIDRO": 10, "EL PASO": 6, "LAREDO": 6, "OTAY MESA": 5, "HIDALGO": 4,
    "NOGALES": 4, "CALEXICO": 4, "BROWNSVILLE": 4,
    "BLAINE": 6, "DETROIT": 6, "BUFFALO-NIAGARA FALLS": 5, "CHAMPLAIN": 4, "PORT HURON": 4,
    "LEWISTON": 3, "SWEETGRASS": 2,
    "MIAMI": 5, "PORT EVERGLADES": 4, "PORT CANAVERAL": 3, "NEW YORK": 3,
    "LOS ANGELES": 2, "SEATTLE": 2,
}
AIR, SEA, MEXICO, CANADA = "air", "sea", "mexico", "canada"

_CITIES: tuple[tuple[str, str, str], ...] = (
    ("New York", "NY", "100"), ("Brooklyn", "NY", "112"), ("Los Angeles", "CA", "900"),
    ("Chicago", "IL", "606"), ("Houston", "TX", "770"), ("Dallas", "TX", "752"),
    ("Miami", "FL", "331"), ("San Francisco", "CA", "941"), ("San Jose", "CA", "951"),
    ("Seattle", "WA", "981"), ("Boston", "MA", "021"), ("Washington", "DC", "200"),
    ("Arlington", "VA", "222"), ("Detroit", "MI", "482"), ("Dearborn", "MI", "481"),
    ("Atlanta", "GA", "303"), ("Phoenix", "AZ", "850"), ("San Diego", "CA", "921"),
    ("Philadelphia", "PA", "191"), ("Minneapolis", "MN", "554"), ("Denver", "CO", "802"),
    ("Austin", "TX", "787"), ("Paterson", "NJ", "075"), ("Jersey City", "NJ", "073"),
    ("Orlando", "FL", "328"), ("Las Vegas", "NV", "891"), ("El Paso", "TX", "799"),
    ("Buffalo", "NY", "142"), ("Ann Arbor", "MI", "481"), ("Columbus", "OH", "432"),
)
_STREETS = (
    "Main St", "Oak Ave", "Maple St", "Washington Ave", "Park Ave", "Elm St", "Cedar Ln",
    "Pine St", "Lake Dr", "Hill Rd", "Church St", "Broadway", "Sunset Blvd", "Madison Ave",
    "Jefferson St", "Lincoln Ave", "Highland Ave", "River Rd", "Center St", "Spring St",
    "2nd St", "5th Ave", "Market St", "Walnut St", "Chestnut St",
)
# Invented institutions: the population must not tie synthetic people to real ones.
_SCHOOLS = (
    "Northfield State University", "Lakeshore Technical Institute", "Riverside University",
    "Pacific Coast College", "Great Plains University", "Eastbrook Community College",
    "Summit Institute of Technology", "Bayview School of Medicine",
    "Midland Polytechnic University", "Harborview College of Engineering",
)
_EMPLOYERS = (
    "Acme Analytics Inc.", "Blue Ridge Software LLC", "Cascade Medical Center",
    "Delta Systems Corp.", "Evergreen Consulting Group", "Frontier Energy Partners",
    "Granite Data Services", "Horizon Biotech Inc.", "Ironwood Manufacturing Co.",
    "Juniper Financial LLC", "Keystone Engineering", "Lighthouse Health System",
)
_MISSIONS = {
    "A": ("Embassy, Washington DC", "Consulate General, New York",
          "Consulate General, Los Angeles"),
    "G": ("Permanent Mission to the United Nations", "United Nations Secretariat",
          "International Monetary Fund", "World Bank Group"),
}
_PURPOSES = {
    "B2": ("tourism", "tourism", "tourism", "visiting family", "visiting friends",
           "medical treatment"),
    "WT": ("tourism", "tourism", "visiting family", "visiting friends"),
    "B1": ("business meetings", "conference", "contract negotiation", "training"),
    "WB": ("business meetings", "conference", "training"),
    "F1": ("study",),
    "J1": ("research scholar", "exchange student", "visiting professor", "trainee"),
    "H1B": ("employment",), "L1": ("employment",), "TN": ("employment",),
    "A1": ("official duties",), "A2": ("official duties",), "G1": ("official duties",),
    "G4": ("official duties",),
}

# How people behave; the shares are invented, plausible rather than measured.
_TRIPS = (1, 2, 3, 4, 5, 6)
_TRIPS_CUMULATIVE = tuple(accumulate((35, 22, 15, 12, 9, 7)))
_TRIPS_CUMULATIVE_FREQUENT = tuple(accumulate((15, 15, 15, 18, 17, 20)))
_OVERSTAYER_SHARE = {VISITOR: 0.04, STUDENT: 0.05, EXCHANGE: 0.03, WORKER: 0.02,
                     OFFICIAL: 0.0}
_LATE_DEPARTURE_SHARE = 0.02
_CALL_IN_SHARE = 0.2
_NSEERS_ERA_SHARE = 0.5
_REPORT_ON_TIME, _REPORT_LATE = 0.75, 0.12
# What a registrant bound to report a departure does: reports in person at a designated
# port and leaves from it that day, or fails in one of four ways. Reporting the day before
# is impossible after a same-day arrival; such a departure is then compliant.
_DEPARTURE_BEHAVIOURS = ("compliant", "unreported", "reported_at_another_port",
                         "reported_the_day_before", "left_from_an_undesignated_port")
_DEPARTURE_WEIGHTS = tuple(accumulate((0.80, 0.08, 0.05, 0.04, 0.03)))
_CALL_IN_ON_TIME, _CALL_IN_EXTRA, _CALL_IN_LATE = 0.72, 0.10, 0.08
_NOTICE_MARGIN = 30
_ADULT_DAYS = 18 * 366

_HOUR = 60
_MINUTES_A_DAY = 24 * _HOUR
# Event times are to the minute, like the records they stand for.
_MINUTES = tuple(timedelta(minutes=minute) for minute in range(_MINUTES_A_DAY))
_FAR = date.max.toordinal()
# A large prime: multiplying an index by it, modulo a number space it does not divide,
# is a bijection, so document numbers are unique within a run without any bookkeeping.
_SCRAMBLE = 2_654_435_761
_LETTERS = "ABCDEFGHIJKLMNPRSTUVWXYZ"
_ALPHANUMERIC = "CFGHJKLMNPRTVWXYZ0123456789"
_SHAPE_ALPHABETS = {"L": _LETTERS, "D": "0123456789", "A": _ALPHANUMERIC}
_VISA_SPACE = 10**8


# ---------------------------------------------------------------- the policy, prepared


@dataclass(frozen=True, slots=True)
class _Choice:
    """Weighted choice among codes, by bisection over cumulative weights."""

    codes: tuple[str, ...]
    cumulative: tuple[float, ...]

    def pick(self, rng: Random) -> str:
        return self.codes[bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


def _choice(weighted: Mapping[str, float]) -> _Choice:
    codes = tuple(sorted(weighted))
    return _Choice(codes, tuple(accumulate(weighted[code] for code in codes)))


@dataclass(frozen=True, slots=True)
class _Designation:
    """An applied port-of-entry designation, in ordinals."""

    start: int
    stop: int
    countries: frozenset[str]
    by_document: bool
    sex: str | None
    age_min: int | None
    age_max: int | None
    excluded: frozenset[str]


@dataclass(frozen=True, slots=True)
class _CallIn:
    """A call-in group as its window opened, with its later extension or grace period."""

    group: int
    born_on_or_before: int
    last_admitted_on_or_before: int
    present_until: int
    window: tuple[int, int]
    extra: tuple[int, int] | None


@dataclass(frozen=True, slots=True)
class _World:
    policy: Policy
    countries: tuple[_Country, ...]
    country_cumulative: tuple[float, ...]
    names: Mapping[str, NameList]
    lanes: Mapping[str, _Choice]
    lane_of: Mapping[str, str]
    mode_of: Mapping[str, str]
    designations: tuple[_Designation, ...]
    designated_countries: frozenset[str]
    designations_until: int
    departure_starts: tuple[int, ...]
    departure_lists: tuple[_DeparturePorts, ...]
    call_in: Mapping[str, _CallIn]
    passport_shapes: Mapping[str, str]


def _lane(port: Port) -> str:
    if port.mode == "land":
        return MEXICO if port.border == "mexico" else CANADA
    return port.mode


def _designations(policy: Policy) -> tuple[_Designation, ...]:
    return tuple(
        _Designation(record.effective_from.toordinal(),
                     record.effective_to.toordinal() if record.effective_to else _FAR,
                     frozenset(record.countries), record.match == "travel_document",
                     record.sex, record.age_min, record.age_max,
                     frozenset(record.excluded_class_families))
        for record in policy.records(PoeDesignation) if record.applied)


@dataclass(frozen=True, slots=True)
class _DeparturePorts:
    """The ports designated for registrants' departures from one date, busiest likeliest."""

    codes: frozenset[str]
    by_lane: Mapping[str, _Choice]

    def pick(self, rng: Random, lane: str) -> str | None:
        choice = self.by_lane.get(lane) or self.by_lane.get(AIR) or self.by_lane.get("")
        return choice.pick(rng) if choice is not None else None


_NO_DEPARTURE_PORTS = _DeparturePorts(frozenset(), {})


def _departure_lists(policy: Policy, lane_of: Mapping[str, str]
                     ) -> tuple[tuple[int, ...], tuple[_DeparturePorts, ...]]:
    records = [r for r in policy.records(DeparturePort) if r.id in lane_of]
    changes = sorted({r.effective_from for r in records}
                     | {r.effective_to for r in records if r.effective_to is not None})
    starts: list[int] = []
    lists: list[_DeparturePorts] = []
    for change in changes:
        codes = {r.id for r in records if r.in_force_on(change)}
        if not codes and not lists:
            continue
        by_lane: dict[str, _Choice] = {}
        for lane in ("", AIR, SEA, MEXICO, CANADA):
            in_lane = {code: float(_HUBS.get(code, 1)) for code in codes
                       if lane in ("", lane_of[code])}
            if in_lane:
                by_lane[lane] = _choice(in_lane)
        starts.append(change.toordinal())
        lists.append(_DeparturePorts(frozenset(codes), by_lane))
    return tuple(starts), tuple(lists)


def _call_in_groups(policy: Policy) -> dict[str, _CallIn]:
    versions: dict[str, list[CallInGroup]] = {}
    for record in policy.records(CallInGroup):
        versions.setdefault(record.id, []).append(record)
    groups: dict[str, _CallIn] = {}
    for history in versions.values():
        history.sort(key=lambda r: r.effective_from)
        opening = history[0].window.start
        member = next((v for v in history if v.in_force_on(opening)), history[-1])
        window = (member.window.start.toordinal(), member.window.end.toordinal())
        extra: tuple[int, int] | None = None
        for version in history:
            if version.grace_window is not None:
                extra = (version.grace_window.start.toordinal(),
                         version.grace_window.end.toordinal())
            elif version.window.end.toordinal() > window[1]:
                extra = (window[1] + 1, version.window.end.toordinal())
        present = member.presence.date.toordinal() + (
            1 if member.presence.operator == "after" else 0)
        call_in = _CallIn(member.group, member.born_on_or_before.toordinal(),
                          member.last_admitted_on_or_before.toordinal(), present, window, extra)
        for country in member.countries:
            groups.setdefault(country, call_in)
    return groups


def _build_world(policy: Policy) -> _World:
    ports = policy.ports
    lane_of = {code: _lane(port) for code, port in ports.items()}
    lanes: dict[str, dict[str, float]] = {}
    for code, lane in lane_of.items():
        lanes.setdefault(lane, {})[code] = float(_HUBS.get(code, 1))
    designations = _designations(policy)
    starts, lists = _departure_lists(policy, lane_of)
    names = name_lists()
    countries = tuple(c for c in COUNTRIES if all(key in names for key in c.names))
    return _World(
        policy=policy,
        countries=countries,
        country_cumulative=tuple(accumulate(c.weight for c in countries)),
        names=names,
        lanes={lane: _choice(weights) for lane, weights in lanes.items()},
        lane_of=lane_of,
        mode_of={code: port.mode for code, port in ports.items()},
        designations=designations,
        designated_countries=frozenset().union(*(d.countries for d in designations)),
        designations_until=max((d.stop for d in designations), default=0) - 1,
        departure_starts=starts,
        departure_lists=lists,
        call_in=_call_in_groups(policy),
        passport_shapes={c.code: c.passport for c in countries},
    )


@lru_cache(maxsize=1)
def _world() -> _World:
    return _build_world(default_policy())


# ---------------------------------------------------------------- small helpers


@lru_cache(maxsize=65_536)
def _add_months(day: int, months: int) -> int:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    when = date.fromordinal(day)
    month_index = when.month - 1 + months
    year, month = when.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(when.day, monthrange(year, month)[1])).toordinal()


def _random(key: str) -> Random:
    """A generator seeded by ``key`` (a string seed is hashed with SHA-512, so it is stable)."""
    return Random(key)  # noqa: S311  # test data, not secrets: reproducibility is the point


def _between(rng: Random, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high``, both included (``randint``, cheaper)."""
    return low + int(rng.random() * (high - low + 1))


def _pick(rng: Random, items: Sequence[T]) -> T:
    """One of ``items`` (``choice``, cheaper)."""
    return items[int(rng.random() * len(items))]


def _weighted(rng: Random, items: Sequence[T], cumulative: Sequence[float]) -> T:
    """One of ``items``, by cumulative weights."""
    return items[bisect_right(cumulative, rng.random() * cumulative[-1])]


@lru_cache(maxsize=16_384)
def _midnight(day: int) -> datetime:
    return datetime.fromordinal(day)


def _at(day: int, minute: int) -> datetime:
    """``minute`` minutes after midnight of the ordinal ``day``, naive UTC."""
    return _midnight(day) + _MINUTES[minute]


def _span(rng: Random, low: int, high: int) -> int:
    """A whole number between ``low`` and ``high``, log-uniform: short spans are common."""
    return int(math.exp(rng.uniform(math.log(low), math.log(high + 1))))


@lru_cache(maxsize=64)
def _segments(shape: str) -> tuple[tuple[tuple[str, int], ...], int]:
    """``shape`` as runs of one symbol, last first, and how many numbers it can write."""
    runs: list[tuple[str, int]] = []
    for symbol in reversed(shape):
        if runs and runs[-1][0] == symbol:
            runs[-1] = (symbol, runs[-1][1] + 1)
        else:
            runs.append((symbol, 1))
    return tuple(runs), math.prod(len(_SHAPE_ALPHABETS[symbol]) for symbol in shape)


def _encode(value: int, shape: str) -> str:
    """``value`` (below the shape's capacity) written in the mixed radix of ``shape``."""
    out: list[str] = []
    for symbol, length in _segments(shape)[0]:
        if symbol == "D":
            value, chunk = divmod(value, 10**length)
            out.append(f"{chunk:0{length}d}")
            continue
        alphabet = _SHAPE_ALPHABETS[symbol]
        letters = []
        for _ in range(length):
            value, digit = divmod(value, len(alphabet))
            letters.append(alphabet[digit])
        out.append("".join(reversed(letters)))
    return "".join(reversed(out))


_CITY_LINES = tuple(f"{city}, {state} {zip3}" for city, state, zip3 in _CITIES)


def _address(rng: Random) -> str:
    """A made-up street address in a real city, with a plausible ZIP code."""
    random = rng.random
    city = _CITY_LINES[int(random() * len(_CITY_LINES))]
    street = _STREETS[int(random() * len(_STREETS))]
    unit = f" Apt {1 + int(random() * 30)}{'ABCD'[int(random() * 4)]}" if random() < 0.4 else ""
    return f"{1 + int(random() * 9899)} {street}{unit}, {city}{int(random() * 100):02d}"


# ---------------------------------------------------------------- one traveller


@lru_cache(maxsize=1024)
def _vwp_periods(policy: Policy, issuer: str, citizenships: tuple[str, ...]
                 ) -> tuple[tuple[int, int], ...]:
    """When a traveller could use the Visa Waiver Program, in ordinals: the rules' own
    periods (:func:`nseers.rules.vwp.vwp_periods`), computed once per passport and
    citizenships rather than asked for every arrival."""
    return tuple((begin.toordinal(), stop.toordinal() if stop else _FAR)
                 for begin, stop in vwp_periods(policy, issuer, citizenships))


@dataclass(slots=True)
class _Admission:
    admission_class: str
    admit_until: int | None
    visa_class: str | None
    purpose: str
    employer_or_school: str | None
    zone_visit: bool = False


@dataclass(slots=True)
class _Pending:
    """An event between an arrival and a departure, materialized in date order."""

    day: int
    kind: str
    interview_kind: str | None = None


class _Journeys:
    """The state of one traveller while their events are drawn."""

    __slots__ = ("address", "citizenships", "country", "dob", "end", "events", "fixed_class",
                 "is_designated", "issuer", "lane", "last_visa_arrival", "last_zone_visit",
                 "registered", "rng", "sex", "visa_class", "vwp", "world")

    def __init__(self, world: _World, rng: Random, country: _Country, sex: str, dob: int,
                 citizenships: tuple[str, ...], issuer: str, end: int) -> None:
        self.world, self.rng, self.country, self.sex, self.dob = world, rng, country, sex, dob
        self.citizenships, self.issuer, self.end = citizenships, issuer, end
        self.events: list[SyntheticEvent] = []
        self.registered = False
        self.address = ""
        self.lane = self._preferred_lane()
        self.fixed_class: str | None = None
        self.visa_class: str | None = None
        self.last_visa_arrival = 0
        self.last_zone_visit = False
        self.is_designated = bool(world.designated_countries.intersection(citizenships)
                                  or issuer in world.designated_countries)
        self.vwp = _vwp_periods(world.policy, issuer, citizenships)

    # -- where and how they come

    def _preferred_lane(self) -> str:
        roll = self.rng.random()
        if self.country.code == "MEX":
            return MEXICO if roll < 0.70 else AIR if roll < 0.98 else SEA
        if self.country.code == "CAN":
            return CANADA if roll < 0.55 else AIR if roll < 0.97 else SEA
        return AIR if roll < 0.94 else SEA if roll < 0.97 else CANADA if roll < 0.99 else MEXICO

    def _lane_for_trip(self) -> str:
        return self.lane if self.rng.random() < 0.8 else AIR

    def _port(self, lane: str) -> str:
        choice = self.world.lanes.get(lane) or self.world.lanes[AIR]
        return choice.pick(self.rng)

    def _mode(self, port: str) -> str:
        return self.world.mode_of[port]

    def _is_vwp(self, day: int) -> bool:
        return any(begin <= day < stop for begin, stop in self.vwp)

    def choose_fixed_class(self, profile: str) -> None:
        rng = self.rng
        if profile == WORKER:
            if self.issuer in ("CAN", "MEX") and rng.random() < 0.5:
                self.fixed_class = "TN"
            else:
                self.fixed_class = "H1B" if rng.random() < 0.65 else "L1"
        elif profile == OFFICIAL:
            self.fixed_class = _pick(rng, ("A1", "A2", "A2", "G1", "G4"))

    def admission(self, profile: str, day: int, lane: str) -> _Admission:
        rng = self.rng
        needs_visa = self.issuer != "CAN"
        if profile == VISITOR:
            business = day - self.dob >= _ADULT_DAYS and rng.random() < 0.2
            if self._is_vwp(day) and rng.random() < 0.9:
                cls = "WB" if business else "WT"
                return _Admission(cls, day + 90, None, _pick(rng, _PURPOSES[cls]), None)
            cls = "B1" if business else "B2"
            months = _pick(rng, (1, 3, 6)) if business else 6
            if self.issuer == "MEX" and lane == MEXICO and rng.random() < 0.8:
                hours = self.world.policy.parameter(
                    "i94.mexican_bcc_max_stay_hours", date.fromordinal(day))
                stay = int(hours.value) // 24 if hours is not None else 3
                return _Admission(cls, day + stay, "B1B2", _pick(rng, _PURPOSES[cls]), None,
                                  zone_visit=True)
            return _Admission(cls, _add_months(day, months), "B1B2" if needs_visa else None,
                              _pick(rng, _PURPOSES[cls]), None)
        if profile in (STUDENT, EXCHANGE):
            cls = "F1" if profile == STUDENT else "J1"
            return _Admission(cls, None, cls if needs_visa else None,
                              _pick(rng, _PURPOSES[cls]), _pick(rng, _SCHOOLS))
        cls = self.fixed_class or "H1B"
        if profile == OFFICIAL:
            return _Admission(cls, None, cls, _PURPOSES[cls][0],
                              f"{self.country.code} {_pick(rng, _MISSIONS[cls[0]])}")
        # The rules fix the longest TN admission (8 CFR 214.6(e)); H-1B and L-1 workers
        # are given the three years of a typical first petition.
        years = max_admission_years(self.world.policy, cls, date.fromordinal(day)) or 3
        return _Admission(cls, _add_months(day, 12 * years), cls if needs_visa else None,
                          "employment", _pick(rng, _EMPLOYERS))

    def stay(self, admission: _Admission, arrival: int) -> int:
        rng = self.rng
        cls = admission.admission_class
        if admission.zone_visit:
            days = 0 if rng.random() < 0.6 else _between(rng, 1, 2)
        elif cls in ("WT", "WB"):
            days = _span(rng, 3, 80)
        elif cls in ("B1", "B2"):
            days = _span(rng, 1, 170) if self.issuer == "CAN" else _span(rng, 3, 180)
        elif cls == "F1":
            days = _between(rng, 120, 400)
        elif cls == "J1":
            days = _between(rng, 60, 700)
        elif cls in ("H1B", "L1", "TN"):
            days = _between(rng, 120, 1000)
        else:
            days = _between(rng, 200, 1400)
        if admission.admit_until is not None:
            days = min(days, admission.admit_until - arrival)
        return max(days, 0)

    def gap(self, profile: str) -> int:
        """Days from a departure to the next arrival."""
        rng = self.rng
        if self.last_zone_visit or (self.issuer == "CAN" and profile == VISITOR):
            return _span(rng, 1, 120)
        if profile == VISITOR:
            return _span(rng, 30, 1500)
        if profile == STUDENT:
            return _between(rng, 20, 100)
        if profile == EXCHANGE:
            return _between(rng, 20, 200)
        return _between(rng, 5, 60)

    # -- the law, as the policy has it

    def is_port_registrant(self, day: int, admission_class: str) -> bool:
        world = self.world
        if not self.is_designated:
            return False
        family = class_family(canonical_class(admission_class))
        age = age_on(date.fromordinal(self.dob), date.fromordinal(day))
        for designation in world.designations:
            if not designation.start <= day < designation.stop:
                continue
            covered = (self.issuer in designation.countries if designation.by_document
                       else bool(designation.countries.intersection(self.citizenships)))
            if (covered and family not in designation.excluded
                    and (designation.sex is None or designation.sex == self.sex)
                    and (designation.age_min is None or age >= designation.age_min)
                    and (designation.age_max is None or age <= designation.age_max)):
                return True
        return False

    def _in_force(self, parameter_id: str, day: int) -> bool:
        version = self.world.policy.parameter(parameter_id, date.fromordinal(day))
        return version is not None and version.value is True

    def _reports_departure(self, day: int) -> bool:
        version = self.world.policy.parameter("special_registration.departure_reporting_bases",
                                              date.fromordinal(day))
        return version is not None and "designated_nationality" in version.value

    def _designated(self, day: int) -> _DeparturePorts:
        """The designated departure ports on ``day``; before the first list, the first."""
        world = self.world
        if not world.departure_lists:
            return _NO_DEPARTURE_PORTS
        index = max(bisect_right(world.departure_starts, day) - 1, 0)
        return world.departure_lists[index]

    # -- reports while in the United States

    def _report_day(self, opens: int, closes: int, late_by: int) -> int | None:
        roll = self.rng.random()
        if roll < _REPORT_ON_TIME:
            return _between(self.rng, opens, closes)
        if roll < _REPORT_ON_TIME + _REPORT_LATE:
            return closes + _between(self.rng, 1, late_by)
        return None

    def thirty_day_report(self, admitted: int, pending: list[_Pending]) -> None:
        version = self.world.policy.parameter("special_registration.thirty_day_report",
                                              date.fromordinal(admitted))
        if version is None:
            return
        first, last = admitted + int(version.value.first_day), admitted + int(
            version.value.last_day)
        if self._in_force("special_registration.thirty_day_report_in_force", last):
            day = self._report_day(first, last, 20)
            if day is not None:
                pending.append(_Pending(day, INTERVIEW, THIRTY_DAY_REPORT))

    def annual_reports(self, anchor: int, until: int, pending: list[_Pending]) -> None:
        version = self.world.policy.parameter("special_registration.annual_report",
                                              date.fromordinal(anchor))
        if version is None:
            return
        either_side = int(version.value.days_either_side)
        years = 1
        while True:
            due = anniversary(date.fromordinal(anchor), years).toordinal()
            opens, closes = due - either_side, due + either_side
            if opens > until or not self._in_force(
                    "special_registration.annual_report_in_force", closes):
                return
            day = self._report_day(opens, closes, 30)
            if day is not None:
                pending.append(_Pending(day, INTERVIEW, ANNUAL_REPORT))
            years += 1

    def interviews_on_notice(self, low: int, high: int, pending: list[_Pending]) -> None:
        """Now and then, an interview DHS called a registrant to once the automatic reports
        were suspended; never within a month of the registration or of the rule, so that
        the notice itself can come after both."""
        history = self.world.policy.history("special_registration.call_in_notice_days")
        if not history or high - low < 60 or self.rng.random() >= 0.05:
            return
        first = max(low, history[0].effective_from.toordinal()) + _NOTICE_MARGIN
        last = min(high, self.world.designations_until)
        if first <= last:
            pending.append(_Pending(_between(self.rng, first, last), INTERVIEW, CALL_IN_INTERVIEW))

    def changes_of_address(self, profile: str, low: int, high: int,
                           pending: list[_Pending]) -> None:
        if high - low < 45:
            return
        share = 0.3 if self.registered else 0.08 if profile in _LONG_STAY else 0.02
        if self.rng.random() < share:
            for _ in range(1 if self.rng.random() < 0.7 else 2):
                pending.append(_Pending(_between(self.rng, low, high), CHANGE_OF_ADDRESS))

    # -- events

    def materialize(self, pending: list[_Pending], low: int, high: int,
                    admission: _Admission) -> None:
        """Place the pending events on distinct days in [low, high] and emit them in order."""
        if not pending:
            return
        used: set[int] = set()
        placed: list[_Pending] = []
        for item in pending:
            for day in (item.day, item.day + 1, item.day - 1):
                if low <= day <= high and day not in used:
                    used.add(day)
                    item.day = day
                    placed.append(item)
                    break
        placed.sort(key=lambda item: item.day)
        for item in placed:
            minute = _between(self.rng, 8 * _HOUR, 17 * _HOUR)
            if item.kind == CHANGE_OF_ADDRESS:
                self.address = _address(self.rng)
                self.events.append(SyntheticEvent(
                    CHANGE_OF_ADDRESS, _at(item.day, minute), None, None,
                    new_address=self.address))
            elif item.kind == CALL_IN_REGISTRATION:
                self.events.append(SyntheticEvent(
                    CALL_IN_REGISTRATION, _at(item.day, minute), None, None,
                    us_address=self.address, purpose=admission.purpose,
                    employer_or_school=admission.employer_or_school))
            else:
                self.events.append(SyntheticEvent(
                    INTERVIEW, _at(item.day, minute), None, None,
                    interview_kind=item.interview_kind))

    def departure(self, day: int, arrival_lane: str, arrival_port: str,
                  earliest: int, minute: int) -> None:
        """Leave on ``day``; a registrant bound to report does so, or fails in one of the ways
        the rules check (no report, another port, another day, an undesignated port)."""
        rng = self.rng
        lane = arrival_lane if rng.random() < 0.85 else AIR
        same_port_share = 0.7 if lane in (MEXICO, CANADA) else 0.4
        ordinary = (arrival_port if lane == arrival_lane and rng.random() < same_port_share
                    else self._port(lane))
        if not (self.registered and self._reports_departure(day)):
            self.events.append(SyntheticEvent(DEPARTURE, _at(day, minute), ordinary,
                                              self._mode(ordinary)))
            return
        designated = self._designated(day)
        # With no designated port known, the registrant reports where they leave.
        chosen = designated.pick(rng, lane) or ordinary
        port: str = chosen
        report_port: str | None = chosen
        report_on = day
        behaviour = _weighted(rng, _DEPARTURE_BEHAVIOURS, _DEPARTURE_WEIGHTS)
        if behaviour == "unreported":
            port, report_port = ordinary, None
        elif behaviour == "reported_at_another_port":
            port = ordinary if ordinary != chosen else self._port(AIR)
        elif behaviour == "reported_the_day_before" and day > earliest:
            report_on = day - 1
        elif behaviour == "left_from_an_undesignated_port":
            outside = [code for code in (ordinary, self._port(AIR), self._port(AIR))
                       if code not in designated.codes]
            if outside:
                port = report_port = outside[0]
        self.events.append(SyntheticEvent(
            DEPARTURE, _at(day, minute), port, self._mode(port),
            departure_report_port=report_port,
            departure_report_on=None if report_port is None else date.fromordinal(report_on)))

    def trip(self, profile: str, arrival: int, *, is_last: bool, is_overstayer: bool,
             call_in: _CallIn | None = None) -> int | None:
        """Draw one trip from ``arrival``; return the departure day, or ``None`` if none."""
        rng = self.rng
        lane = self._lane_for_trip()
        port = self._port(lane)
        lane = self.world.lane_of[port]
        admission = self.admission(profile, arrival, lane)
        if admission.visa_class is not None:
            self.visa_class = self.visa_class or admission.visa_class
            self.last_visa_arrival = arrival
        registrant = self.is_port_registrant(arrival, admission.admission_class)
        self.registered = self.registered or registrant
        if not self.address or profile == VISITOR or rng.random() < 0.3:
            self.address = _address(rng)

        self.last_zone_visit = admission.zone_visit
        planned = arrival + self.stay(admission, arrival)
        if call_in is not None:
            # A call-in registrant was still here when the group's window closed.
            latest = (call_in.extra or call_in.window)[1]
            planned = max(planned, max(latest, call_in.present_until) + _between(rng, 10, 900))
            if admission.admit_until is not None and not is_overstayer:
                planned = max(min(planned, admission.admit_until), call_in.present_until)
        elif admission.admit_until is not None and rng.random() < _LATE_DEPARTURE_SHARE:
            planned = admission.admit_until + _span(rng, 1, 400)
        departure: int | None = planned
        if is_last and is_overstayer:
            if admission.admit_until is None or rng.random() < 0.6:
                departure = None
            else:
                departure = admission.admit_until + _span(rng, 1, 400)
        if departure is not None and departure > self.end:
            departure = None

        low, high = arrival + 1, (departure - 1 if departure is not None else self.end)
        pending: list[_Pending] = []
        registered_from = low
        if call_in is not None:
            registered_on = self._call_in_registration(call_in, arrival, high, pending)
            if registered_on is not None:
                registered_from = registered_on + 1
        if registrant:
            self.thirty_day_report(arrival, pending)
            self.annual_reports(arrival, high, pending)
        if self.registered:
            self.interviews_on_notice(registered_from, high, pending)
        self.changes_of_address(profile, low, high, pending)

        is_day_trip = departure == arrival
        arrival_minute = (_between(rng, 6 * _HOUR, 14 * _HOUR) if is_day_trip
                          else _between(rng, 5 * _HOUR, 23 * _HOUR + 30))
        self.events.append(SyntheticEvent(
            ARRIVAL, _at(arrival, arrival_minute), port, self._mode(port),
            admission_class=admission.admission_class,
            admit_until=None if admission.admit_until is None
            else date.fromordinal(admission.admit_until),
            duration_of_status=admission.admit_until is None,
            us_address=self.address, purpose=admission.purpose,
            employer_or_school=admission.employer_or_school))
        self.materialize(pending, low, high, admission)
        if departure is None:
            return None
        minute = (min(arrival_minute + _between(rng, 30, 9 * _HOUR), _MINUTES_A_DAY - 1)
                  if is_day_trip else _between(rng, 6 * _HOUR, 23 * _HOUR + 30))
        self.departure(departure, lane, port, arrival, minute)
        return departure

    def _call_in_registration(self, call_in: _CallIn, arrival: int, high: int,
                              pending: list[_Pending]) -> int | None:
        """Schedule the registration (on time, in the extra window, late, or never)."""
        rng = self.rng
        roll = rng.random()
        window = call_in.window
        if roll < _CALL_IN_ON_TIME:
            day = _between(rng, *window)
        elif roll < _CALL_IN_ON_TIME + _CALL_IN_EXTRA:
            day = _between(rng, *(call_in.extra or window))
        elif roll < _CALL_IN_ON_TIME + _CALL_IN_EXTRA + _CALL_IN_LATE:
            day = (call_in.extra or window)[1] + _between(rng, 1, 90)
        else:
            return None
        if not arrival < day <= high:
            return None
        pending.append(_Pending(day, CALL_IN_REGISTRATION))
        self.registered = True
        self.annual_reports(day, high, pending)
        return day


def _passport(run: _Run, issuer: str, index: int, expires: int) -> SyntheticDocument:
    shape = run.world.passport_shapes.get(issuer, _DEFAULT_PASSPORT)
    number = _encode((index * _SCRAMBLE + run.offset) % _segments(shape)[1], shape)
    return SyntheticDocument("passport", number, issuer, date.fromordinal(expires))


@dataclass(frozen=True, slots=True)
class _Run:
    world: _World
    seed: int
    offset: int
    visa_offset: int
    start: int
    end: int


def _age(rng: Random, profile: str) -> int:
    if profile == STUDENT:
        return _between(rng, 17, 30)
    if profile == EXCHANGE:
        return _between(rng, 19, 45)
    if profile in (WORKER, OFFICIAL):
        return _between(rng, 23, 58)
    roll = rng.random()
    if roll < 0.08:
        return _between(rng, 0, 15)
    if roll < 0.25:
        return _between(rng, 16, 25)
    if roll < 0.65:
        return _between(rng, 26, 45)
    if roll < 0.90:
        return _between(rng, 46, 65)
    return _between(rng, 66, 85)


def _call_in_candidate(run: _Run, rng: Random, country: _Country, sex: str,
                       profile: str) -> _CallIn | None:
    """The call-in group this traveller will belong to, for a share of those who can."""
    call_in = run.world.call_in.get(country.code)
    if (call_in is None or sex != "M" or profile == OFFICIAL
            or not run.start < call_in.last_admitted_on_or_before
            or call_in.window[0] > run.end):
        return None
    return call_in if rng.random() < _CALL_IN_SHARE else None


def _traveller(run: _Run, index: int) -> SyntheticTraveller:
    """Traveller ``index`` of the run: drawn from its own generator, so from nothing else."""
    world = run.world
    rng = _random(f"{run.seed}:{index}")
    country = world.countries[bisect_right(
        world.country_cumulative, rng.random() * world.country_cumulative[-1])]
    sex = "M" if rng.random() < country.male_share else "F"
    profile = _weighted(rng, PROFILES, country.mix_cumulative)
    citizenships: tuple[str, ...] = (country.code,)
    issuer = country.code
    if country.duals and rng.random() < country.dual_share:
        citizenships = (country.code, _pick(rng, country.duals))
        if rng.random() < 0.5:
            issuer = citizenships[1]
    name_key = _weighted(rng, country.names, country.names_cumulative)
    name = compose_name(rng, world.names[name_key], sex)

    start, end = run.start, run.end
    first = _between(rng, start, end)
    until = world.designations_until
    if country.is_special and rng.random() < _NSEERS_ERA_SHARE and start <= until:
        # Bias towards the registration years, so the registry has registrants to show.
        first = _between(rng, start, min(end, until))
    call_in = _call_in_candidate(run, rng, country, sex, profile)
    if call_in is not None:
        # Already here when the group was called in: admitted in the two years before.
        first = _between(rng, max(start, call_in.last_admitted_on_or_before - 700),
                         call_in.last_admitted_on_or_before)
        if profile not in _LONG_STAY:
            profile = _pick(rng, _LONG_STAY)
    dob = first - int(_age(rng, profile) * 365.2425) - int(rng.random() * 365)
    if call_in is not None:
        dob = min(dob, call_in.born_on_or_before - int(rng.random() * 3650))

    journeys = _Journeys(world, rng, country, sex, dob, citizenships, issuer, end)
    journeys.choose_fixed_class(profile)
    frequent = country.code in ("MEX", "CAN") and profile == VISITOR
    trips = _weighted(rng, _TRIPS, _TRIPS_CUMULATIVE_FREQUENT if frequent
                      else _TRIPS_CUMULATIVE)
    is_overstayer = rng.random() < _OVERSTAYER_SHARE[profile]
    arrival, last_arrival = first, first
    for number in range(trips):
        last_arrival = arrival
        departure = journeys.trip(profile, arrival, is_last=number == trips - 1,
                                  is_overstayer=is_overstayer,
                                  call_in=call_in if number == 0 else None)
        if departure is None:
            break
        arrival = departure + max(journeys.gap(profile), 1)
        if arrival > end:
            break

    documents = [_passport(run, issuer, index,
                           last_arrival + _between(rng, 120, 3400))]
    if journeys.visa_class is not None:
        documents.append(SyntheticDocument(
            "visa", f"{(index * _SCRAMBLE + run.visa_offset) % _VISA_SPACE:08d}", "USA",
            date.fromordinal(journeys.last_visa_arrival + _between(rng, 30, 1500)),
            journeys.visa_class))
    person = SyntheticPerson(
        key=f"P{index:07d}", surname=name.surname, given_names=name.given_names,
        surname_original=name.surname_original,
        given_names_original=name.given_names_original, script=name.script,
        date_of_birth=date.fromordinal(dob), sex=sex, citizenships=citizenships,
        documents=tuple(documents))
    return SyntheticTraveller(person, tuple(journeys.events))


# ---------------------------------------------------------------- the entry point


def generate(travellers: int, seed: int, *, start: date = date(2002, 1, 1),
             end: date = date(2026, 10, 31)) -> Iterator[SyntheticTraveller]:
    """Stream ``travellers`` synthetic travellers for ``seed``, with events in [start, end].

    The same arguments always give the same travellers, and traveller ``i`` does not
    depend on how many are asked for.
    """
    if travellers < 0:
        msg = f"travellers must be zero or more, got {travellers}"
        raise ValueError(msg)
    if end < start:
        msg = f"end {end} is before start {start}"
        raise ValueError(msg)
    world = _world()
    documents = _random(f"{seed}:documents")
    run = _Run(world, seed, documents.randrange(10**12), documents.randrange(_VISA_SPACE),
               start.toordinal(), end.toordinal())
    return (_traveller(run, index) for index in range(travellers))
