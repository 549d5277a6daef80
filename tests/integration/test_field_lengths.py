"""One set of field lengths for every path (issue 15): the service refuses what the
columns cannot hold, naming the field, on SQLite (which would store it) and PostgreSQL
(which would fail with a database error) alike."""

from __future__ import annotations

from dataclasses import replace

import pytest

from integration.helpers import SECONDARY, count, visitor
from nseers.core.errors import InvalidInputError
from nseers.registry.encounters import Encounter
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts
from nseers.services.movements import inspect_arrival


def test_overlong_names_and_numbers_are_refused_by_field_and_nothing_is_kept(
        registry: Registry) -> None:
    command = visitor()
    command = replace(command, person=replace(command.person, surname="M" * 201,
                                              given_names_original="ب" * 300),
                      documents=(DocumentFacts("passport", "P" * 41, "FRA"),))
    with pytest.raises(InvalidInputError) as refused:
        inspect_arrival(registry, SECONDARY, command)
    assert {p.path: p.message for p in refused.value.problems} == {
        "person.surname": "at most 200 characters (this is 201)",
        "person.given_names_original": "at most 200 characters (this is 300)",
        "documents[0].number": "at most 40 characters (this is 41)"}
    assert count(registry, Encounter) == 0


def test_names_at_the_limit_are_kept_whole(registry: Registry) -> None:
    command = visitor()
    command = replace(command, person=replace(command.person, surname="M" * 200))
    answer = inspect_arrival(registry, SECONDARY, command)
    assert answer["person_id"]
