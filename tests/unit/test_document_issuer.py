"""A document's issuer: never assumed to be the United States for a foreign kind (issue 15).

``document_key`` used to key every document without an issuer under ``USA``, so a Pakistani
passport numbered like a US one was taken for it, and two travellers' passports collided.
"""

from __future__ import annotations

import pytest

from nseers.core.states import document_issuer
from nseers.services.facts import DocumentFacts, check_documents
from nseers.services.people import document_key


@pytest.mark.parametrize(("kind", "issuer", "expected"), [
    ("us_passport", None, "USA"), ("i551", None, "USA"), ("visa", None, "USA"),
    ("passport", None, None), ("edl", None, None), ("military_id", None, None),
    ("passport", "PAK", "PAK"), ("visa", "USA", "USA"),
])
def test_only_a_kind_the_united_states_alone_issues_defaults_to_it(
        kind: str, issuer: str | None, expected: str | None) -> None:
    assert document_issuer(kind, issuer) == expected


def test_a_numbered_foreign_document_without_its_issuer_is_refused_by_name() -> None:
    problems = check_documents((DocumentFacts("i551", "A1"), DocumentFacts("passport", "P1")))
    assert [(p.path, p.message.split(":")[0]) for p in problems] == [
        ("documents[1].issuer", "required")]
    assert check_documents((DocumentFacts("passport"),)) == []


def test_a_passport_and_a_us_passport_with_one_number_are_two_documents() -> None:
    assert document_key(DocumentFacts("us_passport", "123")) == ("us_passport", "USA", "123")
    assert document_key(DocumentFacts("passport", "123", "PAK")) == ("passport", "PAK", "123")
