"""The law: the evaluation contract over HTTP, and the policy in force on a date."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from pydantic import BeforeValidator

from nseers.api.access import PUBLIC, registry_of
from nseers.api.routes.common import problems
from nseers.api.schemas import EARLIEST, LATEST, EvaluationResult, PolicyInForce, iso_day
from nseers.services.law import evaluate_case, record_json

router = APIRouter(tags=["law"])

CASE_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/EvaluationCase"}}}}}


@router.post("/evaluations", response_model=EvaluationResult,
             response_model_exclude_unset=True, dependencies=[Depends(PUBLIC)],
             responses=problems(), openapi_extra=CASE_BODY)
def evaluate(request: Request, case: Annotated[Any, Body()]) -> dict[str, Any]:
    """Evaluate one case exactly as the evaluation contract says: the body is the case,
    the answer its determinations with their reasons. Nothing is recorded. A malformed
    case is answered 422 naming each bad field by its path."""
    result = evaluate_case(registry_of(request), case)
    answer: dict[str, Any] = result.to_dict()
    return answer


def _record(record: Any) -> dict[str, Any]:
    return record_json(record)


@router.get("/policy", response_model=PolicyInForce, dependencies=[Depends(PUBLIC)],
            responses=problems())
def policy_in_force(request: Request,
                    as_of: Annotated[date, BeforeValidator(iso_day), Query(ge=EARLIEST, le=LATEST,
                                                 description="YYYY-MM-DD")]) -> dict[str, Any]:
    """The law in force on a date: every parameter value and record, with its citation
    and the dates it is in force (as ``nseers policy show --format json``)."""
    policy = registry_of(request).rules.policy
    law = policy.in_force(as_of)
    return {"as_of": as_of, "policy_version": policy.version,
            "parameters": [_record(p) for p in law.parameters.values()],
            "provisions": [_record(p) for p in law.provisions.values()],
            "port_of_entry_designations": [_record(d) for d in law.poe_designations],
            "call_in_groups": [_record(g) for g in law.call_in_groups],
            "departure_ports": [_record(p) for p in law.departure_ports.values()],
            "border_zones": [_record(z) for z in law.border_zones]}
