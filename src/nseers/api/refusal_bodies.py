"""Request and response bodies of refusals of entry and of the I-68 reads (issue 17)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypeAlias

from pydantic import AwareDatetime

from nseers.api.bodies import RequestBody, request_body
from nseers.api.schemas import ResponseBody
from nseers.services.refusals import RefusalCommand

if TYPE_CHECKING:
    RefusalIn: TypeAlias = RequestBody
else:
    RefusalIn = request_body(RefusalCommand, "RefusalIn")


class CodeShown(ResponseBody):
    """A coded value with its title and citation."""

    code: str | None
    title: str
    citation: str | None


class RefusalView(ResponseBody):
    """A refusal of entry with its explanation."""

    refusal_id: int
    encounter_id: int
    person_id: int
    port: str
    occurred_at: AwareDatetime
    as_of: date
    officer: str
    grounds: list[CodeShown]
    procedure: CodeShown
    disposition: CodeShown
    narrative: str | None
    policy_version: str
    reasons: list[dict[str, Any]]


class PriorRefusal(ResponseBody):
    """An earlier refusal of the same person."""

    refusal_id: int | None
    encounter_id: int
    date: date
    occurred_at: AwareDatetime
    port: str
    grounds: list[CodeShown]
    procedure: str | None
    disposition: str | None


class RefusalAnswer(RefusalView):
    """The refusal recorded, and the person's earlier refusals."""

    prior_refusals: list[PriorRefusal]
    replayed: bool = False


class RefusalCodes(ResponseBody):
    """The grounds, procedures and dispositions in force on a date."""

    as_of: date
    grounds: dict[str, dict[str, Any]]
    procedures: dict[str, dict[str, Any]]
    dispositions: dict[str, dict[str, Any]]
    expedited_removal_grounds: list[str]


class RefusalCount(ResponseBody):
    """How often one ground was charged at one port."""

    ground: str
    port: str
    refusals: int


class I68MemberView(ResponseBody):
    """A person named on an application (no registry id for a traveller)."""

    person_id: int | None
    surname: str
    given_names: str
    relationship: str
    eligible: bool
    reason: str
    needs_photo_id: bool


class I68ApplicationView(ResponseBody):
    """An I-68 application, its decision and its permit number."""

    application_id: int
    port_code: str
    filed_on: date
    filed_by: str
    fee_usd: int
    status: str
    decided_on: date | None
    decision_reasons: str | None
    members: list[I68MemberView]
    permit_number: str | None


class PermitRecord(ResponseBody):
    """A boat landing permit, its conditions and any revocation."""

    number: str
    application_id: int
    issued_on: date
    expires_on: date
    conditions: list[str]
    revoked_on: date | None
    revocation_reason: str | None
    status: str
