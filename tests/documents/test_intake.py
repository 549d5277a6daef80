"""One path to a reading (issue 15): images checked and named by field, and Tesseract run
in a bounded pool, never more readings at once than the pool's width."""

from __future__ import annotations

import io
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from PIL import Image

from nseers.core.errors import InvalidInputError
from nseers.documents import intake, ocr

REFERENCE = date(2026, 12, 3)


def test_what_is_not_an_image_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInputError) as refused:
        intake.read_image(b"plain text, not a photo", reference_date=REFERENCE,
                          field="mrz_image")
    assert refused.value.problems[0].path == "mrz_image"
    assert "PNG or JPEG" in refused.value.problems[0].message


def test_an_image_with_no_mrz_is_an_input_error_not_a_crash(png: bytes) -> None:
    with pytest.raises(InvalidInputError) as refused:
        intake.read_image(png, reference_date=REFERENCE)
    assert refused.value.problems[0].path == "image"
    assert refused.value.problems[0].message.startswith("nothing could be read")


@pytest.fixture
def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (60, 40), 255).save(buffer, format="PNG")
    return buffer.getvalue()


def test_no_more_readings_run_at_once_than_the_pool_is_wide(
        monkeypatch: pytest.MonkeyPatch, png: bytes) -> None:
    running, most = 0, 0
    lock = threading.Lock()
    real = ocr.read_mrz_image

    def counted(data: bytes, **options: object) -> object:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        try:
            time.sleep(0.15)  # long enough for every caller to be waiting at once
            return real(data, **options)  # type: ignore[arg-type]
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(intake, "read_mrz_image", counted)
    callers = intake.OCR_WORKERS * 3

    def one(_: int) -> str:
        try:
            intake.read_image(png, reference_date=REFERENCE)
        except InvalidInputError as error:
            return error.problems[0].path
        return "read"

    with ThreadPoolExecutor(callers) as many:
        answers = list(many.map(one, range(callers)))
    assert answers == ["image"] * callers
    assert most == intake.OCR_WORKERS
