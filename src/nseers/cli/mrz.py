"""``nseers mrz``: read and validate ICAO Doc 9303 machine-readable zones, from text or images.

``nseers mrz read INPUT`` prints the reading as JSON and exits 0 when the MRZ is valid, 1
when it was read but is invalid, 2 when nothing could be read.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from nseers.core.errors import InvalidInputError
from nseers.services.documents import MrzAnswer, is_image, read_mrz

mrz_app = typer.Typer(help="Read and validate ICAO 9303 machine-readable zones.",
                      no_args_is_help=True)

# Paragraphs are single strings: the help renderer keeps line breaks as they are written.
READ_HELP = "\n\n".join((
    ("Read one MRZ (TD1, TD2, TD3 passport, MRV-A or MRV-B visa) and check every field and "
     "check digit."),
    ("Prints JSON: format, valid, fields (document_code, issuing_state, surname, "
     "given_names, document_number, nationality, date_of_birth, sex, date_of_expiry, "
     "optional_data, and optional_data_2 or personal_number where the format has them), "
     "check_digits, problems (each with field, 1-based position and message), corrections "
     "(tolerant mode) and, for an image, a confidence from 0 to 1."),
    ("Exit status: 0 when the MRZ is valid (every check digit holds, every field is well "
     "formed); 1 when it was read but is invalid; 2 when nothing could be read (no such or "
     "unreadable file, no MRZ found in the image, no MRZ shape in the text, Tesseract "
     "missing), with the reason on standard error."),
    "Example: nseers mrz read passport.jpg --as-of 2024-05-01",
))


def _nothing_read(message: str, details: list[str] | tuple[str, ...] = ()) -> NoReturn:
    print(f"nothing could be read: {message}", file=sys.stderr)
    for detail in details:
        print(f"  {detail}", file=sys.stderr)
    raise typer.Exit(2)


def _input_bytes(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    path = Path(source)
    try:
        return path.read_bytes()
    except OSError as error:
        _nothing_read(f"{source}: {error.strerror or error}")


def _reference_date(as_of: str | None) -> date:
    if as_of is None:
        return date.today()  # noqa: DTZ011  # the CLI is the one place that reads the clock
    try:
        return date.fromisoformat(as_of)
    except ValueError:
        print(f"invalid option --as-of: not a date: {as_of!r} (expected YYYY-MM-DD)",
              file=sys.stderr)
        raise typer.Exit(2) from None


@mrz_app.command("read", help=READ_HELP)
def read(
    source: Annotated[str, typer.Argument(
        metavar="INPUT",
        help="A text file holding the MRZ lines, - for standard input, or a PNG or JPEG "
             "photo or scan of the data page (told apart by its first bytes).")],
    tolerant: Annotated[bool | None, typer.Option(
        "--tolerant/--strict",
        help="Tolerant: correct OCR confusions (O/0, I/1, B/8, S/5, Z/2, < read as K, "
             "missing fillers) where the check digits confirm them, and list each "
             "correction. Strict: read the characters as they are. Default: strict for "
             "text, tolerant for images.", show_default=False)] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="DATE",
        help="Reference date, YYYY-MM-DD: fixes the century of two-digit years (a birth "
             "date is never after it) and whether the document has expired. Default: "
             "today.", show_default=False)] = None,
    specimen: Annotated[bool, typer.Option(
        "--specimen",
        help="Accept UTO (Utopia), the fictitious state of the ICAO Doc 9303 specimens.")
    ] = False,
    prefill: Annotated[bool, typer.Option(
        "--prefill",
        help="Also print the inspection-case facts the MRZ supports (traveler, documents, "
             "identity) under \"prefill\".")] = False,
    many: Annotated[bool, typer.Option(
        "--many",
        help="The input is text with one MRZ per line (its rows separated by spaces, or "
             "run together); print one compact JSON reading per line (JSON Lines), in "
             "order. Exit status 0 when every MRZ is valid, 1 otherwise.")] = False,
) -> None:
    """Read one MRZ from text or an image and print it as JSON (see ``READ_HELP``)."""
    reference = _reference_date(as_of)
    if many:
        from nseers.cli.mrz_many import read_many  # noqa: PLC0415 - only for --many

        raise typer.Exit(read_many(source, reference, tolerant=bool(tolerant),
                                   specimen=specimen, prefill=prefill))
    data = _input_bytes(source)
    mrz: str | bytes = data
    if not is_image(data):
        try:
            mrz = data.decode("utf-8")
        except UnicodeDecodeError:
            _nothing_read(f"{source}: neither text (UTF-8) nor a PNG or JPEG image")
    try:
        answer = read_mrz(mrz, reference_date=reference, tolerant=tolerant,
                          allow_specimens=specimen, field=source)
    except InvalidInputError as error:
        _nothing_read("; ".join(problem.message for problem in error.problems))
    _print(answer, prefill=prefill)


def _print(answer: MrzAnswer, *, prefill: bool) -> None:
    if answer.reading.format is None:
        _nothing_read("no machine-readable zone: the text has no MRZ shape",
                      [str(problem) for problem in answer.reading.problems])
    print(json.dumps(answer.to_dict(prefill=prefill), indent=2, ensure_ascii=False))
    raise typer.Exit(0 if answer.reading.valid else 1)
