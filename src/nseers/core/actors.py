"""Who is acting, in which role, and for what purpose: the attribution every access carries.

Privacy law and our own audit promise say that every read and write of a person's record
names a user, the role the user acted in and the purpose. The roles and what each may do
are the system's access policy (not law, so not dated policy data); they are kept here so
that the services, the API and the web pages enforce one matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from nseers.core.errors import ForbiddenError


class Role(StrEnum):
    """The roles of issue 4; ``traveller`` is the anonymous self-service user."""

    PRIMARY_OFFICER = "primary_officer"
    SECONDARY_OFFICER = "secondary_officer"
    DEPARTURE_OFFICER = "departure_officer"
    COMPLIANCE_OFFICER = "compliance_officer"
    DISTRICT_DIRECTOR = "district_director"
    ANALYST = "analyst"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"
    TRAVELLER = "traveller"
    #: A carrier's system account (issue 17, EES Art. 13): asks only "may this passenger
    #: board?" and learns nothing else.
    CARRIER = "carrier"
    SYSTEM = "system"


class Permission(StrEnum):
    """What a role may do. Each service operation requires exactly one."""

    INSPECT_ARRIVAL = "inspect_arrival"
    REGISTER = "register"
    RECORD_DEPARTURE = "record_departure"
    MANAGE_COMPLIANCE = "manage_compliance"
    REQUEST_WAIVER = "request_waiver"
    DECIDE_WAIVER = "decide_waiver"
    ASSESS_VIOLATION = "assess_violation"
    FILE_I68 = "file_i68"
    DECIDE_I68 = "decide_i68"
    READ_PERSON = "read_person"
    READ_AGGREGATES = "read_aggregates"
    READ_AUDIT = "read_audit"
    ADMINISTER = "administer"
    LOAD_DATA = "load_data"
    SELF_SERVICE = "self_service"
    # Watchlist screening (issue 14): screen a traveller; see and adjudicate a hit.
    SCREEN = "screen"
    ADJUDICATE_HIT = "adjudicate_hit"
    READ_WATCHLISTS = "read_watchlists"
    # The record's whole life (issue 17).
    RECORD_REFUSAL = "record_refusal"
    CARRIER_CHECK = "carrier_check"
    REQUEST_CORRECTION = "request_correction"
    DECIDE_CORRECTION = "decide_correction"
    RUN_RETENTION = "run_retention"
    PLACE_LEGAL_HOLD = "place_legal_hold"
    FORWARD_OFFLINE = "forward_offline"
    # Identity merge and split (issue 13).
    MANAGE_IDENTITIES = "manage_identities"
    # The entry-exit review queue (issue 12): accept or reject a link the model is unsure of.
    REVIEW_LINKS = "review_links"


_OFFICER: Final = frozenset({Permission.READ_PERSON, Permission.READ_AGGREGATES})
ROLE_PERMISSIONS: Final[dict[Role, frozenset[Permission]]] = {
    # A primary officer screens every traveller but sees only "refer to secondary": the
    # hit itself is for the secondary officer, who adjudicates it (issue 14).
    Role.PRIMARY_OFFICER: _OFFICER | {Permission.INSPECT_ARRIVAL, Permission.FILE_I68,
                                      Permission.SCREEN, Permission.FORWARD_OFFLINE},
    # Refusal of entry is a secondary decision (8 CFR 235.3, 235.4; EES Art. 18).
    Role.SECONDARY_OFFICER: _OFFICER | {Permission.INSPECT_ARRIVAL, Permission.REGISTER,
                                        Permission.FILE_I68, Permission.SCREEN,
                                        Permission.ADJUDICATE_HIT,
                                        Permission.READ_WATCHLISTS,
                                        Permission.RECORD_REFUSAL,
                                        Permission.FORWARD_OFFLINE},
    Role.DEPARTURE_OFFICER: _OFFICER | {Permission.RECORD_DEPARTURE},
    Role.COMPLIANCE_OFFICER: _OFFICER | {Permission.MANAGE_COMPLIANCE, Permission.REGISTER,
                                         Permission.REQUEST_WAIVER,
                                         Permission.ASSESS_VIOLATION,
                                         Permission.REQUEST_CORRECTION},
    # Corrections are decided, and legal holds placed, by the district director (the
    # responsible authority of EES Art. 35; DHS TRIP's redress officer).
    Role.DISTRICT_DIRECTOR: _OFFICER | {Permission.DECIDE_WAIVER, Permission.DECIDE_I68,
                                        Permission.REQUEST_WAIVER, Permission.FILE_I68,
                                        Permission.REQUEST_CORRECTION,
                                        Permission.DECIDE_CORRECTION,
                                        Permission.PLACE_LEGAL_HOLD},
    # The analyst finds two records that are one person (or one that is two) and asks for
    # the merge; a second analyst reviews it (issue 13, EES Art. 35). The analyst also
    # decides the entry-exit links the linkage model is unsure of (issue 12).
    Role.ANALYST: frozenset({Permission.READ_AGGREGATES, Permission.MANAGE_IDENTITIES,
                             Permission.REVIEW_LINKS}),
    Role.AUDITOR: frozenset({Permission.READ_AUDIT, Permission.READ_WATCHLISTS}),
    Role.ADMINISTRATOR: frozenset({Permission.ADMINISTER, Permission.LOAD_DATA,
                                   Permission.READ_WATCHLISTS, Permission.RUN_RETENTION}),
    Role.TRAVELLER: frozenset({Permission.SELF_SERVICE, Permission.FILE_I68,
                               Permission.REQUEST_CORRECTION}),
    Role.CARRIER: frozenset({Permission.CARRIER_CHECK}),
    # The demo loader and batch ingest act as the system, never as a person.
    Role.SYSTEM: frozenset(Permission),
}

DEFAULT_PURPOSE: Final[dict[Role, str]] = {
    Role.PRIMARY_OFFICER: "primary inspection",
    Role.SECONDARY_OFFICER: "secondary inspection and special registration",
    Role.DEPARTURE_OFFICER: "departure control",
    Role.COMPLIANCE_OFFICER: "registrant compliance",
    Role.DISTRICT_DIRECTOR: "adjudication",
    Role.ANALYST: "statistical analysis",
    Role.AUDITOR: "audit",
    Role.ADMINISTRATOR: "administration",
    Role.TRAVELLER: "traveller self-service",
    Role.CARRIER: "carrier boarding check",
    Role.SYSTEM: "batch processing",
}


@dataclass(frozen=True, slots=True)
class Actor:
    """An authenticated user acting in one role for one purpose."""

    username: str
    role: Role
    purpose: str = ""

    @property
    def stated_purpose(self) -> str:
        """The purpose given, or the role's default purpose."""
        return self.purpose or DEFAULT_PURPOSE[self.role]

    def may(self, permission: Permission) -> bool:
        """Whether this actor's role grants ``permission``."""
        return permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        """Refuse with :class:`ForbiddenError` unless the role grants ``permission``."""
        if not self.may(permission):
            raise ForbiddenError(self.role.value, permission.value)


SYSTEM_ACTOR: Final = Actor("system", Role.SYSTEM, "batch processing")
