"""The API's request bodies are derived from the services' commands (issue 15, fault 2):
one definition of each input, no hand mappers, and one builder of the evaluation case."""

from __future__ import annotations

import dataclasses
import inspect
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import pytest
from annotated_types import Predicate
from pydantic import BaseModel, ValidationError

from nseers.api import refusal_bodies, schemas, traveller_bodies
from nseers.api.bodies import RequestBody, request_body, to_command
from nseers.api.routes import corrections
from nseers.core.fields import FromServer
from nseers.core.limits import NAME_PART
from nseers.services.accounts import NewUser, SignIn
from nseers.services.cases import arrival_case
from nseers.services.corrections import CorrectionDecisionCommand, ItemDecision
from nseers.services.facts import DocumentFacts, Itinerary, PersonFacts
from nseers.services.i68 import (
    I68ApplicationCommand,
    I68DecisionCommand,
    I68MemberFacts,
    RevocationCommand,
)
from nseers.services.movements import ArrivalInspection, DepartureRecord, SwornAnswers
from nseers.services.refusals import RefusalCommand
from nseers.services.registrants import (
    CallInNoticeCommand,
    CallInRegistrationCommand,
    ChangeCommand,
    InterviewCommand,
    WaiverDecisionCommand,
    WaiverRequestCommand,
    WillfulnessAssessment,
)
from nseers.services.self_service import I94Lookup
from nseers.services.traveller_days import CodeAnswer, CodeRequest

SRC = Path(__file__).resolve().parents[2] / "src" / "nseers"

#: Each body, its command, and the command's fields the route takes from its path.
BODIES: list[tuple[type[BaseModel], type, tuple[str, ...]]] = [
    (schemas.PersonIn, PersonFacts, ()),
    (schemas.DocumentIn, DocumentFacts, ()),
    (schemas.SwornAnswersIn, SwornAnswers, ()),
    (schemas.ItineraryIn, Itinerary, ()),
    (schemas.ArrivalIn, ArrivalInspection, ()),
    (schemas.DepartureIn, DepartureRecord, ()),
    (schemas.CallInRegistrationIn, CallInRegistrationCommand, ()),
    (schemas.CallInNoticeIn, CallInNoticeCommand, ()),
    (schemas.InterviewIn, InterviewCommand, ()),
    (schemas.ChangeIn, ChangeCommand, ()),
    (schemas.WaiverRequestIn, WaiverRequestCommand, ()),
    (schemas.WaiverDecisionIn, WaiverDecisionCommand, ("waiver_id",)),
    (schemas.AssessmentIn, WillfulnessAssessment, ("violation_id",)),
    (schemas.I68MemberIn, I68MemberFacts, ()),
    (schemas.I68ApplicationIn, I68ApplicationCommand, ()),
    (schemas.I68DecisionIn, I68DecisionCommand, ("application_id",)),
    (schemas.RevocationIn, RevocationCommand, ("permit_number",)),
    (schemas.I94LookupIn, I94Lookup, ()),
    (schemas.SignInIn, SignIn, ()),
    (schemas.NewUserIn, NewUser, ()),
    (refusal_bodies.RefusalIn, RefusalCommand, ()),
    (traveller_bodies.CodeRequestIn, CodeRequest, ()),
    (traveller_bodies.CodeAnswerIn, CodeAnswer, ()),
    (corrections.DecisionIn, CorrectionDecisionCommand, ("request_id",)),
    (request_body(ItemDecision), ItemDecision, ()),
]
IDS = [body.__name__ for body, _, _ in BODIES]


def _server_fields(command: type) -> set[str]:
    hints = inspect.get_annotations(command, eval_str=True)
    return {name for name, hint in hints.items()
            if any(isinstance(m, FromServer) for m in getattr(hint, "__metadata__", ()))}


@pytest.mark.parametrize(("body", "command", "path"), BODIES, ids=IDS)
def test_every_command_body_is_generated_from_its_service_dataclass(
        body: type[BaseModel], command: type, path: tuple[str, ...]) -> None:
    assert body.__module__ == "nseers.api.bodies"
    assert body is request_body(command, body.__name__, path=path)
    expected = {f.name for f in dataclasses.fields(command)} - _server_fields(command) \
        - set(path)
    assert set(body.model_fields) == expected


def test_no_request_body_carries_a_hand_written_mapper() -> None:
    mappers = {"command", "facts", "query", "answer", "answers"}
    found = []
    for module in (schemas, refusal_bodies, traveller_bodies):
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, RequestBody):
                found += [f"{name}.{m}" for m in mappers if hasattr(value, m)]
    assert found == []


def test_the_arrival_schema_lists_exactly_the_inspection_fields_a_request_may_set() -> None:
    properties = schemas.ArrivalIn.model_json_schema()["properties"]
    fields = [f.name for f in dataclasses.fields(ArrivalInspection)]
    assert list(properties) == [f for f in fields if f != "idempotency_key"]
    person = schemas.ArrivalIn.model_json_schema()["$defs"]["PersonIn"]["properties"]
    assert person["surname"]["maxLength"] == NAME_PART
    assert properties["decision"]["enum"] == ["admit", "refuse", "refer"]


def test_a_body_turns_back_into_its_command_with_the_server_fields() -> None:
    body = schemas.ArrivalIn.model_validate({
        "port_code": "JFK", "occurred_at": "2003-06-15T10:00:00-04:00",
        "person": {"surname": "Doe", "citizenships": ["PAK"]},
        "documents": [{"kind": "passport", "number": "P1", "issuer": "PAK"}],
        "circumstances": ["paroled"], "itinerary": {"length_of_stay_days": 3},
        "answers": {"us_address": "1 Main St", "purpose": "visit"}})
    command = to_command(ArrivalInspection, body, idempotency_key="k-1")
    assert command == ArrivalInspection(
        port_code="JFK", occurred_at=body.occurred_at,
        person=PersonFacts(surname="Doe", citizenships=("PAK",)),
        documents=(DocumentFacts(kind="passport", number="P1", issuer="PAK"),),
        circumstances=("paroled",), itinerary=Itinerary(length_of_stay_days=3),
        answers=SwornAnswers("1 Main St", "visit"), idempotency_key="k-1")
    signed = to_command(SignIn, schemas.SignInIn.model_validate(
        {"username": "a", "password": "secret"}), client="203.0.113.1")
    assert signed == SignIn("a", "secret", None, "203.0.113.1")


def test_a_limit_on_the_service_type_is_the_limit_of_the_body() -> None:
    with pytest.raises(ValidationError) as error:
        schemas.ArrivalIn.model_validate({
            "port_code": "JFK", "occurred_at": "2003-06-15T10:00:00-04:00",
            "person": {"surname": "x" * (NAME_PART + 1)}, "idempotency_key": "k"})
    where = {e["loc"] for e in error.value.errors()}
    assert where == {("person", "surname"), ("idempotency_key",)}


def test_the_evaluation_case_is_built_in_one_place() -> None:
    literal = re.compile(r"""["']event["']\s*:\s*["'](arrival|departure)["']""")
    # rules/ reads the contract; the workstation may not import the services (its import
    # contract) and builds its offline case from the request body.
    outside = [path.relative_to(SRC).as_posix() for path in SRC.rglob("*.py")
               if literal.search(path.read_text(encoding="utf-8"))
               and path.relative_to(SRC).parts[0] not in ("rules", "workstation")]
    assert outside == ["services/cases.py"]


def test_an_arrival_case_names_only_the_itinerary_facts_given() -> None:
    case: dict[str, Any] = arrival_case(
        datetime(2003, 6, 15, tzinfo=UTC).date(), "JFK", claimed_status="nonimmigrant",
        citizenships=("PAK",), date_of_birth=date(1970, 1, 2), sex="M", residence=None,
        admission_class="B2", documents=(DocumentFacts("passport", issuer="PAK"),),
        circumstances=("paroled",), itinerary=Itinerary(length_of_stay_days=3))
    assert case["date"] == "2003-06-15"
    assert case["traveler"]["date_of_birth"] == "1970-01-02"
    assert case["itinerary"] == {"length_of_stay_days": 3}
    assert case["documents"] == [{"kind": "passport", "issuer": "PAK"}]


def test_a_mark_the_generator_cannot_apply_is_refused_not_dropped() -> None:
    @dataclasses.dataclass(frozen=True)
    class Odd:
        value: Annotated[str, Predicate(str.isupper)]

    with pytest.raises(TypeError, match="no body type for the mark"):
        request_body(Odd)
