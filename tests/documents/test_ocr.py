"""Reading the MRZ from pictures of data pages, drawn here in OCR-B and spoiled like photos.

These tests need the ``tesseract`` program and the OCR-B font (Debian: ``apt-get install
tesseract-ocr fonts-ocr-b``); without them they fail, saying so, rather than skip.
"""

from __future__ import annotations

import random
import shutil
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from nseers.documents import render
from nseers.documents.ocr import NothingReadError, read_mrz_image
from nseers.documents.specimen import (
    FontNotFoundError,
    degrade,
    draw_data_page,
    find_ocr_b_font,
    random_document,
    to_bytes,
)

pytestmark = pytest.mark.ocr
REFERENCE = date(2024, 6, 1)
NOISY_PAGES = 10


@pytest.fixture(scope="module")
def font() -> Path:
    if shutil.which("tesseract") is None:
        pytest.fail("tesseract not found: the OCR tests need it "
                    "(apt-get install tesseract-ocr)")
    try:
        return find_ocr_b_font()
    except FontNotFoundError as error:
        pytest.fail(str(error))


def page_of(mrz: str, font: Path, *, seed: int = 0) -> Image.Image:
    return draw_data_page(mrz, font_path=font, seed=seed)


def test_a_clean_passport_page_reads_exactly(font: Path) -> None:
    mrz = render("TD3", issuing_state="NGA", surname="Okonkwo", given_names="Chiamaka Ada",
                 document_number="A08453921", nationality="NGA", date_of_birth="1988-11-23",
                 sex="F", date_of_expiry="2027-03-14", personal_number="74319204477")
    reading = read_mrz_image(to_bytes(page_of(mrz, font), "PNG"), reference_date=REFERENCE)
    assert reading.valid, reading.problems
    assert "\n".join(reading.lines) == mrz
    assert reading.fields["surname"] == "OKONKWO"
    assert reading.confidence is not None
    assert 0.5 < reading.confidence <= 1


def test_a_clean_identity_card_reads_exactly(font: Path) -> None:
    mrz = render("TD1", issuing_state="D", surname="Mustermann", given_names="Erika",
                 document_number="T22000129", nationality="D", date_of_birth="1964-08-12",
                 sex="F", date_of_expiry="2031-10-31")
    reading = read_mrz_image(to_bytes(page_of(mrz, font), "JPEG"), reference_date=REFERENCE)
    assert "\n".join(reading.lines) == mrz
    assert reading.valid


def test_most_noisy_blurred_and_rotated_pages_read_exactly(font: Path) -> None:
    rng = random.Random(2024)  # noqa: S311  # reproducible specimens, not secrets
    exact = []
    for index in range(NOISY_PAGES):
        mrz_format, fields = random_document(rng, reference=REFERENCE)
        mrz = render(mrz_format, **fields)
        # Both extremes of the +-3 degree range are among the pages.
        angle = {0: 3.0, 1: -3.0}.get(index)
        photo = degrade(page_of(mrz, font, seed=index), rng=rng, angle=angle)
        reading = read_mrz_image(to_bytes(photo, "JPEG"), reference_date=REFERENCE)
        exact.append("\n".join(reading.lines) == mrz)
    assert sum(exact) >= 0.8 * NOISY_PAGES, exact


def test_a_page_without_an_mrz_reads_nothing(font: Path) -> None:
    blank = Image.new("RGB", (1000, 700), (240, 240, 235))
    with pytest.raises(NothingReadError, match="no machine-readable zone"):
        read_mrz_image(to_bytes(blank), reference_date=REFERENCE)
    assert font.exists()


def test_bytes_that_are_no_image_read_nothing() -> None:
    with pytest.raises(NothingReadError, match="not a readable image"):
        read_mrz_image(b"\x89PNG\r\n\x1a\nbroken", reference_date=REFERENCE)


def test_without_tesseract_nothing_is_read_and_the_error_says_how_to_install_it() -> None:
    with pytest.raises(NothingReadError, match="apt-get install tesseract-ocr"):
        read_mrz_image(b"", reference_date=REFERENCE, tesseract="nseers-no-such-tesseract")
