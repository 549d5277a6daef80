"""``nseers mrz read``: JSON out, exit 0 valid, 1 read but invalid, 2 nothing could be read."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nseers.cli.main import app
from nseers.documents import render
from nseers.documents.specimen import FontNotFoundError, draw_data_page, find_ocr_b_font, to_bytes

runner = CliRunner()
SPECIMEN = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10\n")
PASSPORT = render("TD3", issuing_state="CAN", surname="Tremblay", given_names="Marie",
                  document_number="AB1234567", nationality="CAN", date_of_birth="1990-07-01",
                  sex="F", date_of_expiry="2029-07-01")
KEYS = {"format", "valid", "fields", "check_digits", "problems", "corrections", "expired",
        "lines"}


def read(*args: str, stdin: str | bytes | None = None) -> tuple[int, dict[str, object], str]:
    result = runner.invoke(app, ["mrz", "read", *args], input=stdin)
    output = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, output, result.stderr


def test_a_valid_mrz_file_prints_its_fields_and_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "passport.txt"
    path.write_text(PASSPORT + "\n", encoding="utf-8")
    code, out, _ = read(str(path), "--as-of", "2024-01-01")
    assert code == 0
    assert set(out) >= KEYS
    assert out["format"] == "TD3"
    assert out["valid"] is True
    assert out["fields"]["surname"] == "TREMBLAY"  # type: ignore[index]
    assert out["problems"] == []
    assert "confidence" not in out


def test_standard_input_is_read_with_a_dash() -> None:
    code, out, _ = read("-", "--as-of", "2010-01-01", "--specimen", stdin=SPECIMEN)
    assert (code, out["valid"]) == (0, True)


def test_an_invalid_mrz_exits_1_and_names_each_problem() -> None:
    spoiled = PASSPORT.replace("AB1234567", "AB1234568")
    code, out, _ = read("-", "--as-of", "2024-01-01", stdin=spoiled)
    assert code == 1
    assert out["valid"] is False
    problems = out["problems"]
    assert {p["field"] for p in problems} == {"document_number", "composite"}  # type: ignore[attr-defined]
    assert all({"field", "position", "message"} == set(p) for p in problems)  # type: ignore[attr-defined]


def test_the_doc_9303_specimen_is_invalid_unless_specimens_are_accepted() -> None:
    code, out, _ = read("-", "--as-of", "2010-01-01", stdin=SPECIMEN)
    assert code == 1
    assert {p["field"] for p in out["problems"]} == {"issuing_state", "nationality"}  # type: ignore[attr-defined]


def test_tolerant_mode_corrects_and_reports_its_corrections() -> None:
    misread = PASSPORT.replace("AB1234567", "AB1234S67")
    assert read("-", "--as-of", "2024-01-01", stdin=misread)[0] == 1
    code, out, _ = read("-", "--as-of", "2024-01-01", "--tolerant", stdin=misread)
    assert code == 0
    assert out["corrections"] == [{"field": "document_number", "position": "line 2, column 7",
                                   "read": "S", "corrected": "5", "basis": "check digit"}]


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["/no/such/file.txt"], None, "nothing could be read"),
    (["-"], "hello\n", "no MRZ shape"),
    (["-"], "", "no text"),
    (["-", "--as-of", "yesterday"], SPECIMEN, "not a date"),
])
def test_nothing_read_exits_2_with_the_reason_on_standard_error(
        args: list[str], stdin: str | None, message: str) -> None:
    code, out, stderr = read(*args, stdin=stdin)
    assert code == 2
    assert out == {}
    assert message in stderr


def test_binary_that_is_not_an_image_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(b"\x00\xff\xfe garbage")
    code, _, stderr = read(str(path))
    assert code == 2
    assert "neither text" in stderr


@pytest.mark.ocr
def test_an_image_is_read_tolerantly_with_a_confidence(tmp_path: Path) -> None:
    if shutil.which("tesseract") is None:
        pytest.fail("tesseract not found: install tesseract-ocr to run the OCR tests")
    try:
        font = find_ocr_b_font()
    except FontNotFoundError as error:
        pytest.fail(str(error))
    path = tmp_path / "page.jpg"
    path.write_bytes(to_bytes(draw_data_page(PASSPORT, font_path=font), "JPEG"))
    code, out, _ = read(str(path), "--as-of", "2024-01-01", "--prefill")
    assert code == 0, out
    assert "\n".join(out["lines"]) == PASSPORT  # type: ignore[arg-type]
    assert 0 < out["confidence"] <= 1  # type: ignore[operator]
    assert out["prefill"]["traveler"]["citizenships"] == ["CAN"]  # type: ignore[index]


def test_the_command_is_registered_under_nseers_mrz() -> None:
    done = subprocess.run([sys.executable, "-m", "nseers", "mrz", "read", "-", "--as-of",
                           "2024-01-01"], input=PASSPORT, capture_output=True, text=True,
                          check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["valid"] is True
