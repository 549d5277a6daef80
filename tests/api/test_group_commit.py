"""Concurrent arrivals share transactions (group commit), and each still gets the answer,
the audit entries and the idempotency record it would have got alone."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from api.bodies import visitor
from api.conftest import bearer
from nseers.api.batching import MovementBatcher
from nseers.core.actors import Actor, Role
from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.db.audit import AuditEntry
from nseers.services.context import Registry
from nseers.services.movements import Movement


def traveller(index: int) -> dict[str, Any]:
    body = visitor()
    body["documents"][0]["number"] = f"P{index:07d}"
    body["person"]["given_names"] = f"Anne {index}"
    return body


async def post_all(app: FastAPI, headers: dict[str, str],
                   bodies: list[dict[str, Any]]) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://nseers") as client:
        return list(await asyncio.gather(*(client.post("/api/v1/arrivals", json=body,
                                                       headers=headers)
                                           for body in bodies)))


def test_one_bad_arrival_among_concurrent_ones_refuses_only_itself(
        app: FastAPI, registry: Registry) -> None:
    bodies = [traveller(i) for i in range(8)]
    bodies[3]["admit_until"] = "2026-10-01"  # before the arrival
    responses = asyncio.run(post_all(app, bearer(registry, Role.PRIMARY_OFFICER), bodies))
    assert [r.status_code for r in responses] == [201] * 3 + [422] + [201] * 4
    assert responses[3].json()["errors"] == [
        {"path": "admit_until", "message": "must be after the date of arrival"}]
    people = {r.json()["person_id"] for r in responses if r.status_code == 201}
    assert len(people) == 7
    with registry.sessions() as session:
        inspections = session.execute(select(func.count()).where(
            AuditEntry.action == "arrival.inspect")).scalar_one()
    assert inspections == 7


def test_arrivals_that_come_together_are_recorded_in_one_transaction() -> None:
    batches: list[int] = []

    def ingest(_: Registry, __: Actor, commands: list[Movement]) -> list[dict[str, Any]]:
        batches.append(len(commands))
        return [{"n": i} for i, _ in enumerate(commands)]

    batcher = MovementBatcher(Registry.__new__(Registry), ingest_batch=ingest)
    actor = Actor("p.officer", Role.PRIMARY_OFFICER)

    async def arrive_together() -> list[dict[str, Any]]:
        commands: list[Any] = [object() for _ in range(10)]
        return list(await asyncio.gather(*(batcher.submit(actor, c) for c in commands)))

    answers = asyncio.run(arrive_together())
    assert batches == [10]
    assert [a["n"] for a in answers] == list(range(10))


def test_a_refused_batch_is_recorded_one_by_one_in_order() -> None:
    calls: list[list[int]] = []

    def ingest(_: Registry, __: Actor, commands: list[Any]) -> list[dict[str, Any]]:
        calls.append(list(commands))
        if 2 in commands:
            raise InvalidInputError([FieldProblem("x", "bad")])
        return [{"n": c} for c in commands]

    batcher = MovementBatcher(Registry.__new__(Registry), ingest_batch=ingest)
    actor = Actor("p.officer", Role.PRIMARY_OFFICER)

    async def arrive_together() -> list[Any]:
        return list(await asyncio.gather(*(batcher.submit(actor, c)  # type: ignore[arg-type]
                                           for c in range(4)), return_exceptions=True))

    answers = asyncio.run(arrive_together())
    assert calls == [[0, 1, 2, 3], [0], [1], [2], [3]]
    assert [a if isinstance(a, dict) else type(a).__name__ for a in answers] == [
        {"n": 0}, {"n": 1}, "InvalidInputError", {"n": 3}]
