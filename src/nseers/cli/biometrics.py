"""``nseers biometrics``: compare faces and fingerprints, read and write ANSI/NIST files,
enrol and identify against the registry.

``compare-faces A B`` and ``compare-prints A B`` print the comparison as JSON and exit 0
whatever the verdict; an image that cannot be used (unreadable, no face, several faces,
no fingerprint, NFIQ 2 too low) exits 2 naming the file and the reason. The thresholds
and quality limits are the policy data's on ``--as-of`` (default today).

``enrol`` and ``identify`` run the enrolment service (:mod:`nseers.services.biometrics`)
against the configured registry (SQLite in the data directory unless
``NSEERS_DATABASE_URL`` names another), with the vault of the settings, as the operator
(``--user``, ``--role``, ``--purpose``; every search and enrolment is audited). Exit codes:
0 done; 1 refused by the registry (no such person, a role without the permission); 2 a
capture refused by the quality gate (naming the file), a file that cannot be read, or an
option the service refuses (``--attach-to`` that is not a candidate, ``--on-hit`` without
``--reason``), named; 3 a 1:N hit that needs the officer's decision
(the candidates are printed; enrol again with ``--on-hit`` and ``--reason``).
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
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
from nseers.bootstrap import biometric_vault, open_registry
from nseers.core.actors import Actor, Role
from nseers.core.errors import InvalidInputError, NseersError
from nseers.rules.engine import Engine
from nseers.rules.law import Law
from nseers.rules.policy.store import default_policy
from nseers.services.biometrics import (
    BiometricHitError,
    BiometricVault,
    Enrolment,
    enrol,
    identify,
)
from nseers.services.context import Registry
from nseers.settings import Settings

biometrics_app = typer.Typer(help="Compare faces and fingerprints; ANSI/NIST-ITL files; "
                                  "enrol and identify against the registry (audited).",
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


def _finger_files(items: list[str] | None) -> list[tuple[int, Path]]:
    """``--finger POSITION=IMAGE`` options as (position, path)."""
    fingers = []
    for item in items or []:
        position, _, image = item.partition("=")
        if not position.isdigit() or not image:
            _fail(f"--finger: {item!r} is not POSITION=IMAGE")
        fingers.append((int(position), Path(image)))
    return fingers


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

    fingers = [FingerImage(position, _read(path)) for position, path in _finger_files(finger)]
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


FaceOption = Annotated[Path | None, typer.Option("--face", help="Photograph (PNG or JPEG).")]
FingerOption = Annotated[list[str] | None, typer.Option(
    "--finger", help="POSITION=IMAGE, ANSI/NIST finger position 1-10; repeat per finger.")]
UserOption = Annotated[str | None, typer.Option(
    "--user", help="Who is acting (default: $NSEERS_USER, else your login name).",
    show_default=False)]
RoleOption = Annotated[Role, typer.Option(
    "--role", help="The role you act in; it must allow the operation.")]
PurposeOption = Annotated[str, typer.Option(
    "--purpose", help="Why (recorded in the audit trail).")]


@dataclass(frozen=True, slots=True)
class _Capture:
    """The files given on the command line, and the form field each stands for."""

    photograph: bytes | None
    fingers: tuple[tuple[int, bytes], ...]
    files: dict[str, Path]


def _capture(face: Path | None, finger: list[str] | None) -> _Capture:
    if face is None and not finger:
        _fail("give a photograph (--face) or fingers (--finger POSITION=IMAGE), or both")
    files = {"photograph": face} if face else {}
    fingers = []
    for position, path in _finger_files(finger):
        files[f"fingers[{position}]"] = path
        fingers.append((position, _read(path)))
    return _Capture(_read(face) if face else None, tuple(fingers), files)


def _against_registry(run: Callable[[Registry, BiometricVault], Any], capture: _Capture) -> Any:
    """``run`` on the configured registry and vault; refusals exit as the module says."""
    settings = Settings.from_mapping()
    try:
        vault = biometric_vault(settings)
    except ValueError as error:  # a malformed NSEERS_BIOMETRIC_KEY or key file
        _fail(str(error))
    registry = open_registry(settings)
    try:
        return run(registry, vault)
    except BiometricHitError as hit:
        _emit({"code": hit.code, "candidates": hit.hits})
        print(f"error: {hit}; enrol again with --on-hit attach --attach-to ID, or --on-hit "
              f"new, and --reason", file=sys.stderr)
        raise typer.Exit(3) from None
    except InvalidInputError as error:
        for problem in error.problems:  # a file by its name, anything else by its option
            where = capture.files.get(problem.path) or f"--{problem.path.replace('_', '-')}"
            print(f"error: {where}: {problem.message}", file=sys.stderr)
        raise typer.Exit(2) from None
    except NseersError as error:
        print(f"error: {error}", file=sys.stderr)
        raise typer.Exit(1) from None
    finally:
        registry.database.dispose()


def _actor(user: str | None, role: Role, purpose: str) -> Actor:
    return Actor(user or os.environ.get("NSEERS_USER") or getpass.getuser(), role, purpose)


@biometrics_app.command("enrol")
def enrol_command(
    person: Annotated[int, typer.Option("--person", min=1, help="The person's registry id.")],
    face: FaceOption = None, finger: FingerOption = None,
    on_hit: Annotated[str | None, typer.Option(
        "--on-hit", help="After a hit (exit 3): attach (to --attach-to) or new.")] = None,
    attach_to: Annotated[int | None, typer.Option(
        "--attach-to", min=1, help="With --on-hit attach: the matching identity.")] = None,
    reason: Annotated[str | None, typer.Option(
        "--reason", help="Why, with --on-hit (audited).")] = None,
    user: UserOption = None, role: RoleOption = Role.SECONDARY_OFFICER,
    purpose: PurposeOption = "biometric enrolment",
) -> None:
    """Enrol a photograph and fingers for --person after a 1:N search (JSON).

    A capture that matches someone else enrolled stops with exit 3 and the candidates
    until --on-hit (attach with --attach-to, or new) and --reason decide."""
    capture = _capture(face, finger)
    command = Enrolment(person, capture.photograph, capture.fingers, source="cli",
                        on_hit=on_hit, attach_to=attach_to, reason=reason)
    actor = _actor(user, role, purpose)
    _emit(_against_registry(lambda registry, vault: enrol(registry, actor, vault, command),
                            capture))


@biometrics_app.command("identify")
def identify_command(
    face: FaceOption = None, finger: FingerOption = None, user: UserOption = None,
    role: RoleOption = Role.SECONDARY_OFFICER,
    purpose: PurposeOption = "biometric identification",
) -> None:
    """1:N: everyone enrolled whom the photograph or fingers match, best first (JSON)."""
    capture = _capture(face, finger)
    actor = _actor(user, role, purpose)
    _emit({"candidates": _against_registry(
        lambda registry, vault: identify(registry, actor, vault, capture.photograph,
                                         capture.fingers), capture)})
