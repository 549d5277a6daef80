"""``nseers biometrics``: compare faces and fingerprints, read and write ANSI/NIST files.

``compare-faces A B`` and ``compare-prints A B`` print the comparison as JSON and exit 0
whatever the verdict; an image that cannot be used (unreadable, no face, several faces,
no fingerprint, NFIQ 2 too low) exits 2 naming the file and the reason. The thresholds
and quality limits are the policy data's on ``--as-of`` (default today).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from nseers.biometrics import (
    CaptureRefusedError,
    DlibFaceMatcher,
    FaceQualityPolicy,
    NbisPrintMatcher,
    PrintQualityPolicy,
    compare_faces,
    compare_prints,
)
from nseers.biometrics.nist import FingerImage, NistEnrolment, read_transaction, write_transaction
from nseers.rules.engine import Engine
from nseers.rules.law import Law
from nseers.rules.policy.store import default_policy

biometrics_app = typer.Typer(help="Compare faces and fingerprints; ANSI/NIST-ITL files.",
                             no_args_is_help=True)

AsOf = Annotated[str | None, typer.Option("--as-of", help="Apply the thresholds in force on "
                                                          "this date (YYYY-MM-DD; default today).")]
Format = Annotated[str, typer.Option("--format", help="json (the only format)")]


def _fail(message: str) -> NoReturn:
    print(f"error: {message}", file=sys.stderr)
    raise typer.Exit(2)


def _law(as_of: str | None) -> Law:
    try:
        on = date.fromisoformat(as_of) if as_of else date.today()  # noqa: DTZ011 - the user's today
    except ValueError:
        _fail(f"--as-of: not a date: {as_of!r} (expected YYYY-MM-DD)")
    return Engine(default_policy()).law(on)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        _fail(f"{path}: cannot be read ({error.strerror or error})")


def face_quality(law: Law) -> FaceQualityPolicy:
    """The photograph quality gate in force under ``law``."""
    return FaceQualityPolicy(float(law.value("biometrics.face_detection_min_score")),
                             int(law.value("biometrics.face_min_pixels")))


def print_quality(law: Law) -> PrintQualityPolicy:
    """The fingerprint quality gate in force under ``law``."""
    return PrintQualityPolicy(int(law.value("biometrics.fingerprint_min_nfiq2")))


def _emit(answer: dict[str, Any]) -> None:
    print(json.dumps(answer, sort_keys=True))


@biometrics_app.command("compare-faces")
def compare_faces_command(
    first: Annotated[Path, typer.Argument(help="First photograph (PNG or JPEG).")],
    second: Annotated[Path, typer.Argument(help="Second photograph.")],
    output: Format = "json", as_of: AsOf = None,
) -> None:
    """Compare two photographs 1:1: {"match", "distance", "threshold"}; exit 2 if unusable."""
    if output != "json":
        _fail(f"--format: unknown format {output!r} (expected json)")
    law = _law(as_of)
    matcher = DlibFaceMatcher()
    quality = face_quality(law)
    try:
        a = matcher.template(_read(first), str(first), quality)
        b = matcher.template(_read(second), str(second), quality)
    except CaptureRefusedError as error:
        _fail(f"{error.source}: {error.detail} ({error.reason})")
    threshold = float(law.value("biometrics.face_match_max_distance"))
    _emit(compare_faces(matcher, a, b, threshold).to_dict())


@biometrics_app.command("compare-prints")
def compare_prints_command(
    first: Annotated[Path, typer.Argument(help="First fingerprint image, or an ISO/IEC "
                                                "19794-2 template (.iso / FMR record).")],
    second: Annotated[Path, typer.Argument(help="Second fingerprint image or template.")],
    output: Format = "json", as_of: AsOf = None,
) -> None:
    """Compare two fingerprints 1:1 with Bozorth3: {"match", "score", "threshold"}."""
    if output != "json":
        _fail(f"--format: unknown format {output!r} (expected json)")
    law = _law(as_of)
    matcher = NbisPrintMatcher()
    quality = print_quality(law)
    templates = []
    try:
        for path in (first, second):
            data = _read(path)
            templates.append(matcher.load(data, str(path)) if data.startswith(b"FMR\x00")
                             else matcher.template(data, str(path), quality))
    except CaptureRefusedError as error:
        _fail(f"{error.source}: {error.detail} ({error.reason})")
    threshold = int(law.value("biometrics.fingerprint_match_min_score"))
    result = compare_prints(matcher, templates[0], templates[1], threshold)
    _emit(result.to_dict() | {"nfiq2": [t.nfiq2 for t in templates]})


@biometrics_app.command("export-nist")
def export_nist(
    output: Annotated[Path, typer.Argument(help="The ANSI/NIST-ITL file to write.")],
    face: Annotated[Path | None, typer.Option(help="Photograph (JPEG or PNG).")] = None,
    finger: Annotated[list[str] | None, typer.Option(
        help="POSITION=IMAGE, ANSI/NIST finger position 1-10; repeat per finger.")] = None,
    name: Annotated[str, typer.Option(help="Name as SURNAME,GIVEN.")] = "",
    born: Annotated[str | None, typer.Option(help="Date of birth, YYYY-MM-DD.")] = None,
    agency: Annotated[str, typer.Option(help="Originating agency (port code).")] = "NSEERS",
    control_number: Annotated[str, typer.Option(help="Transaction control number.")] = "1",
    captured_on: Annotated[str | None, typer.Option(help="Capture date (default today).")] = None,
) -> None:
    """Write an enrolment (photograph, fingers, name) as an ANSI/NIST-ITL 1-2011 file."""
    from nseers.biometrics.images import jpeg, rgb_pixels  # noqa: PLC0415

    fingers = []
    for item in finger or []:
        position, _, image = item.partition("=")
        if not position.isdigit() or not image:
            _fail(f"--finger: {item!r} is not POSITION=IMAGE")
        fingers.append(FingerImage(int(position), _read(Path(image))))
    try:
        face_jpeg = jpeg(rgb_pixels(_read(face), str(face))) if face else None
        enrolment = NistEnrolment(
            control_number=control_number, agency=agency,
            captured_on=date.fromisoformat(captured_on) if captured_on
            else date.today(),  # noqa: DTZ011 - the user's today
            name=name, date_of_birth=date.fromisoformat(born) if born else None,
            face=face_jpeg, fingers=tuple(fingers))
        data = write_transaction(enrolment)
    except CaptureRefusedError as error:
        _fail(f"{error.source}: {error.detail} ({error.reason})")
    except ValueError as error:
        _fail(str(error))
    output.write_bytes(data)
    _emit({"file": str(output), "bytes": len(data), "face": face_jpeg is not None,
           "fingers": [f.position for f in fingers]})


@biometrics_app.command("import-nist")
def import_nist(
    source: Annotated[Path, typer.Argument(help="An ANSI/NIST-ITL file from a capture station.")],
    as_of: AsOf = None,
) -> None:
    """Read an ANSI/NIST-ITL file and run the quality gate on its face and fingers."""
    law = _law(as_of)
    try:
        enrolment = read_transaction(_read(source), str(source))
    except CaptureRefusedError as error:
        _fail(f"{error.source}: {error.detail} ({error.reason})")
    checks: list[dict[str, Any]] = []
    if enrolment.face is not None:
        try:
            template = DlibFaceMatcher().template(enrolment.face, f"{source} Type-10",
                                                  face_quality(law))
            checks.append({"record": "face", "accepted": True, "face_pixels": template.box.width})
        except CaptureRefusedError as error:
            checks.append({"record": "face", "accepted": False} | error.to_dict())
    matcher = NbisPrintMatcher() if enrolment.fingers else None
    for item in enrolment.fingers:
        assert matcher is not None  # noqa: S101 - made above when there are fingers
        where = f"{source} Type-14 finger {item.position}"
        try:
            printed = matcher.template(item.image, where, print_quality(law))
            checks.append({"record": f"finger {item.position}", "accepted": True,
                           "nfiq2": printed.nfiq2, "minutiae": len(printed.minutiae)})
        except CaptureRefusedError as error:
            checks.append({"record": f"finger {item.position}", "accepted": False}
                          | error.to_dict())
    _emit({"control_number": enrolment.control_number, "agency": enrolment.agency,
           "captured_on": enrolment.captured_on.isoformat(), "name": enrolment.name,
           "date_of_birth": enrolment.date_of_birth.isoformat()
           if enrolment.date_of_birth else None, "records": checks})
