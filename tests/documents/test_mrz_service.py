"""One MRZ use case for every adapter (issue 15, fault 4): the API, the pages and the CLI
all read through :func:`nseers.services.documents.read_mrz`, so its defaults and its
refusals are theirs. The import contracts in ``pyproject.toml`` keep the adapters off
:mod:`nseers.documents`; these tests pin what the one path does."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any, TypeVar

import pytest

from nseers.core.errors import InvalidInputError
from nseers.documents import render_td3
from nseers.documents.specimen import draw_data_page, to_bytes
from nseers.services.documents import read_mrz, read_mrz_async

REFERENCE = date(2024, 5, 1)
MRZ = render_td3(issuing_state="FRA", surname="MULLER", given_names="ANNE",
                 document_number="P7654321", nationality="FRA", date_of_birth="1980-02-02",
                 sex="F", date_of_expiry="2030-01-01")
#: The document number's ``7`` read as ``T``: an OCR confusion the check digit settles.
CONFUSED = MRZ.replace("P7654321", "PT654321")
T = TypeVar("T")


def _await(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` on an event loop of its own thread, as a request handler would be
    run (the browser tests leave a loop running in the main thread)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def test_text_is_read_with_the_facts_it_supports() -> None:
    answer = read_mrz(MRZ, reference_date=REFERENCE)
    assert (answer.reading.format, answer.reading.valid) == ("TD3", True)
    assert answer.prefill.traveler["citizenships"] == ["FRA"]
    assert answer.to_dict()["prefill"]["identity"]["document_number"] == "P7654321"
    assert "prefill" not in answer.to_dict(prefill=False)


def test_text_is_read_strictly_unless_tolerance_is_asked_for() -> None:
    assert read_mrz(CONFUSED, reference_date=REFERENCE).reading.valid is False
    tolerant = read_mrz(CONFUSED, reference_date=REFERENCE, tolerant=True).reading
    assert tolerant.valid is True
    assert tolerant.fields["document_number"] == "P7654321"
    assert tolerant.corrections


def test_text_without_an_mrz_shape_is_a_reading_with_problems_not_an_error() -> None:
    answer = read_mrz("hello", reference_date=REFERENCE)
    assert answer.reading.format is None
    assert answer.reading.problems
    assert answer.prefill.traveler == {}


def test_bytes_that_are_not_a_photo_are_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInputError) as refused:
        read_mrz(b"plain text", reference_date=REFERENCE, field="mrz_image")
    assert [p.path for p in refused.value.problems] == ["mrz_image"]
    with pytest.raises(InvalidInputError) as awaited:
        _await(read_mrz_async(b"plain text", reference_date=REFERENCE, field="mrz_image"))
    assert [p.path for p in awaited.value.problems] == ["mrz_image"]


def test_the_async_reading_of_text_is_the_same_reading() -> None:
    awaited = _await(read_mrz_async(CONFUSED, reference_date=REFERENCE, tolerant=True))
    assert awaited.to_dict() == read_mrz(CONFUSED, reference_date=REFERENCE,
                                         tolerant=True).to_dict()


@pytest.mark.ocr
def test_a_photo_is_read_tolerantly_in_the_pool_by_default() -> None:
    photo = to_bytes(draw_data_page(MRZ))
    answer = read_mrz(photo, reference_date=REFERENCE)
    assert answer.reading.valid is True
    assert answer.reading.confidence is not None
    assert _await(read_mrz_async(photo, reference_date=REFERENCE)).to_dict() == \
        answer.to_dict()
