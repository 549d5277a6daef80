"""Biometric capture, the 1:N hit review and the 1:1 verify (issue 13), in the console.

Special registration took fingerprints and a photograph (8 CFR 264.1(f)); 8 CFR 235.1(f)
makes biometrics a condition of inspection. The capture page uploads a photograph and
finger images by ANSI/NIST finger position and enrols them with
:func:`nseers.services.biometrics.enrol`. The quality gate's refusals appear on the field,
with the retake message. A capture that matches someone already enrolled stops on the hit
review: the two records side by side (names, dates of birth, documents, how many
encounters; no images, which the service does not hand out) and two choices, attach to the
existing identity or proceed as new, each with a reason the service audits. When neither
is right the officer asks an analyst for a merge (``/identities/merges``).

The files are held, sealed under the biometric key, when first posted (:data:`HELD`), so
the hit review's choices send a token, not the photographs again; they are dropped once
enrolled or refused. A capture left at the hit review (the officer walked away, the
browser closed) is swept once it is older than ``held_capture_lifetime`` (30 minutes by
default, :class:`~nseers.web.settings.WebSettings`): at every new capture, and
when its token is presented. Detection and embedding take
a second or more of CPU per image: every route here is a plain function, which FastAPI runs
in its thread pool, so the event loop keeps serving other pages.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from fastapi import Request, Response

from nseers.core.actors import Permission
from nseers.core.errors import InvalidInputError, NotFoundError
from nseers.services.biometrics import (
    BiometricHitError,
    Enrolment,
    bounded_capture,
    check_capture,
    enrol,
    verify,
)
from nseers.services.reports import timeline
from nseers.web.forms import Form
from nseers.web.routes.common import Posted, read_upload, web_router
from nseers.web.site import Site, site_of

router = web_router()

#: ANSI/NIST-ITL 1-2011 finger positions (Table 8, "FGP") the capture page offers.
FINGERS: Final = ((1, "Right thumb"), (2, "Right index finger"), (3, "Right middle finger"),
                  (4, "Right ring finger"), (5, "Right little finger"), (6, "Left thumb"),
                  (7, "Left index finger"), (8, "Left middle finger"),
                  (9, "Left ring finger"), (10, "Left little finger"))
LABELS: Final = {"photograph": "Photograph", "reason": "Reason"} | {
    f"finger_{position}": f"{name} (position {position})" for position, name in FINGERS}
#: Where a capture waits between the first post and the officer's choice at the hit
#: review (under the data directory), sealed under the biometric key as the enrolled
#: records are: nothing here is kept in the clear (issue 13, encryption at rest).
HELD: Final = "biometric-captures"
_TOKEN: Final = re.compile(r"[0-9a-f]{32}")


def _field(path: str) -> str | None:
    """The form field of a service problem: ``fingers[3]`` is ``finger_3``."""
    if path.startswith("fingers[") and path.endswith("]"):
        return f"finger_{path[8:-1]}"
    return path if path in LABELS else None


def _person(site: Site, request: Request, person_id: int) -> dict[str, Any]:
    actor = site.actor(request, Permission.READ_PERSON)
    person: dict[str, Any] = timeline(site.registry, actor, person_id)["person"]
    return person


def _capture_page(request: Request, person_id: int, form: Form, *, status: int = 200,
                  done: dict[str, Any] | None = None) -> Response:
    site = site_of(request)
    site.actor(request, Permission.REGISTER)
    return site.render(request, "screens/biometrics.html", {
        "person": _person(site, request, person_id), "form": form, "labels": LABELS,
        "fingers": FINGERS, "done": done}, status=status)


@router.get("/people/{person_id}/biometrics")
def capture(request: Request, person_id: int) -> Response:
    """The capture form: a photograph and finger images, by position."""
    return _capture_page(request, person_id, Form())


def _abandoned(site: Site, path: Path) -> bool:
    """Whether the held capture at ``path`` is older than the lifetime of a hold."""
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return False
    return age > site.options.held_capture_lifetime.total_seconds()


def sweep_held(site: Site) -> int:
    """Remove the held captures nobody came back for; how many went."""
    directory = site.settings.data_dir / HELD
    swept = 0
    for path in directory.glob("*.sealed") if directory.is_dir() else ():
        if _abandoned(site, path):
            path.unlink(missing_ok=True)
            swept += 1
    return swept


def _hold(site: Site, data: bytes) -> str:
    """Keep ``data`` sealed until the officer's choice at the hit review: its token."""
    token = secrets.token_hex(16)
    directory = site.settings.data_dir / HELD
    directory.mkdir(parents=True, exist_ok=True)
    sweep_held(site)
    (directory / f"{token}.sealed").write_bytes(
        site.vault().sealer.seal(data, f"{HELD}:{token}"))
    return token


def _held(site: Site, token: str) -> bytes | None:
    """The capture kept under ``token``, or ``None`` when there is none (or it is not ours)."""
    if _TOKEN.fullmatch(token) is None:
        return None
    path = site.settings.data_dir / HELD / f"{token}.sealed"
    if _abandoned(site, path):
        path.unlink(missing_ok=True)
        return None
    try:
        return site.vault().sealer.open(path.read_bytes(), f"{HELD}:{token}")
    except (OSError, ValueError):  # gone, or not sealed under this key for this token
        return None


def _captured(site: Site, form: Form) -> tuple[bytes | None, tuple[tuple[int, bytes], ...]]:
    """The photograph and fingers of the form: uploaded now, or held since the capture."""

    def content(name: str) -> bytes | None:
        data = read_upload(form, name)
        if data is not None:
            try:
                bounded_capture(data, name)
            except InvalidInputError as error:
                form.absorb_error(error, _field)
                return None
            form.values[f"{name}_held"] = _hold(site, data)
            return data
        token = form.text(f"{name}_held")
        if token is None:
            return None
        kept = _held(site, token)
        if kept is None:
            form.add(name, "The file kept from the capture is gone; choose it again.")
        return kept

    photograph = content("photograph")
    fingers = tuple((position, data) for position, _ in FINGERS
                    if (data := content(f"finger_{position}")) is not None)
    return photograph, fingers


def _release(site: Site, form: Form, names: Iterable[str] | None = None) -> None:
    """Drop held captures (``names``, else all): once enrolled, since the service keeps its
    own sealed copy, or once refused, since they must be taken again."""
    for name in LABELS if names is None else names:
        token = form.values.pop(f"{name}_held", "")
        if _TOKEN.fullmatch(token):
            (site.settings.data_dir / HELD / f"{token}.sealed").unlink(missing_ok=True)


@router.post("/people/{person_id}/biometrics")
def enrol_capture(request: Request, person_id: int, form: Posted) -> Response:
    """Gate the capture, search everyone enrolled, and enrol it; stop at a hit.

    The hit review posts here again, with the kept files, ``on_hit`` (``attach`` with
    ``attach_to``, or ``new``) and the reason."""
    site = site_of(request)
    actor = site.actor(request, Permission.REGISTER)
    photograph, fingers = _captured(site, form)
    if form.has_errors:
        return _capture_page(request, person_id, form, status=400)
    on_hit = form.choice("on_hit", ("attach", "new"))
    reason = form.text("reason")
    command = Enrolment(person_id, photograph, fingers, source="console",
                        on_hit=on_hit if reason else None, attach_to=form.integer("attach_to"),
                        reason=reason)
    try:
        answer = enrol(site.registry, actor, site.vault(), command)
    except InvalidInputError as error:
        form.absorb_error(error, _field)
        _release(site, form, list(form.errors))
        return _capture_page(request, person_id, form, status=400)
    except BiometricHitError as hit:
        refused = ("Give the reason for your choice: it is recorded in the audit trail."
                   if on_hit and not reason else "")
        return site.render(request, "screens/biometric_hit.html", {
            "person": _person(site, request, person_id), "subject": hit.subject,
            "candidates": hit.hits, "kept": _kept(form), "refused": refused,
            "recorded": None}, status=409)
    _release(site, form)
    return _capture_page(request, person_id, Form(), status=201, done=answer)


def _kept(form: Form) -> list[tuple[str, str]]:
    """The hidden fields that carry the kept files to the hit review's choices."""
    names = ["photograph"] + [f"finger_{position}" for position, _ in FINGERS]
    return [(f"{name}_held", form.values[f"{name}_held"]) for name in names
            if form.values.get(f"{name}_held")]


# ------------------------------------------- captures at registration and inspection
#: The finger position a single finger image from the inspection or call-in form is
#: enrolled under: the right index finger (ANSI/NIST-ITL 1-2011 Table 8, position 2), the
#: first finger US-VISIT took.
SINGLE_FINGER: Final = 2


@dataclass(frozen=True, slots=True)
class RegistrationCapture:
    """The photograph and finger images taken at an inspection or a call-in, gated."""

    photograph: bytes | None
    fingers: tuple[tuple[int, bytes], ...]


def registration_capture(site: Site, form: Form, photograph_ref: str | None,
                         fingerprints_ref: str | None) -> RegistrationCapture | None:
    """Gate the captures of an inspection or call-in form before anything is recorded.

    No FIN is issued on a photograph without a usable face or a print NFIQ 2 rejects
    (issue 13): a refusal is put on the form's field with the retake advice, the kept file
    is forgotten so that it must be taken again, and ``None`` is answered. ``None`` too
    when nothing was captured (an exemption may apply; the service decides)."""
    if form.has_errors:  # the form goes back anyway: no detection to pay for yet
        return None
    photograph = site.uploads.read(photograph_ref) if photograph_ref else None
    prints = site.uploads.read(fingerprints_ref) if fingerprints_ref else None
    if photograph is None and prints is None:
        return None
    fingers = ((SINGLE_FINGER, prints),) if prints is not None else ()
    try:
        check_capture(site.registry, site.vault(), photograph, fingers)
    except InvalidInputError as error:
        for problem in error.problems:
            name = "photograph" if problem.path == "photograph" else "fingerprints"
            form.add(name, problem.message)
            form.values.pop(f"{name}_ref", None)
        return None
    return RegistrationCapture(photograph, fingers)


def enrol_registered(request: Request, answer: dict[str, Any],
                     capture: RegistrationCapture | None, *, source: str, what: str
                     ) -> tuple[dict[str, Any] | None, Response | None]:
    """Enrol what an inspection or call-in captured, once it is recorded (``answer``, the
    service's; a replayed one was enrolled the first time): the 1:N search over everyone
    enrolled (the person's own records excepted) runs before the captures are kept. A hit
    stops the officer on the hit review, with the recorded FIN shown and the captures held
    for the choice; otherwise the enrolment's answer (``None`` when nothing was taken)."""
    if capture is None or answer.get("replayed"):
        return None, None
    person_id = int(answer["person_id"])
    recorded = {"what": what, "fin": answer.get("fin")}
    site = site_of(request)
    actor = site.actor(request, Permission.REGISTER)
    try:
        return enrol(site.registry, actor, site.vault(), Enrolment(
            person_id, capture.photograph, capture.fingers, source=source)), None
    except BiometricHitError as hit:
        form = Form()
        if capture.photograph is not None:
            form.values["photograph_held"] = _hold(site, capture.photograph)
        for position, data in capture.fingers:
            form.values[f"finger_{position}_held"] = _hold(site, data)
        return None, site.render(request, "screens/biometric_hit.html", {
            "person": _person(site, request, person_id), "subject": hit.subject,
            "candidates": hit.hits, "kept": _kept(form), "refused": "",
            "recorded": recorded})


# ------------------------------------------------------------------ 1:1 verify
VERIFY_LABELS: Final = {"photograph": "Live photograph"}


def _verify_page(request: Request, person_id: int, form: Form, *, status: int = 200,
                 result: dict[str, Any] | None = None) -> Response:
    site = site_of(request)
    return site.render(request, "screens/biometric_verify.html", {
        "person": _person(site, request, person_id), "form": form, "labels": VERIFY_LABELS,
        "result": result}, status=status)


@router.get("/people/{person_id}/verify")
def verify_form(request: Request, person_id: int) -> Response:
    """The 1:1 verify form: a live photograph of the traveller at the desk."""
    return _verify_page(request, person_id, Form())


@router.post("/people/{person_id}/verify")
def verify_capture(request: Request, person_id: int, form: Posted) -> Response:
    """The traveller against the enrolled photograph: match, or refer to secondary."""
    site = site_of(request)
    actor = site.actor(request, Permission.READ_PERSON)
    uploads = form.files.get("photograph", [])
    if not uploads:
        form.add("photograph", "Choose the live photograph of the traveller.")
        return _verify_page(request, person_id, form, status=400)
    upload = uploads[0]
    upload.file.seek(0)
    try:
        result = verify(site.registry, actor, site.vault(), person_id, upload.file.read())
    except InvalidInputError as error:
        form.absorb_error(error, lambda path: "photograph" if path == "photograph" else None)
        return _verify_page(request, person_id, form, status=400)
    except NotFoundError:
        form.add("photograph", "No photograph is enrolled for this person: nothing to "
                               "compare with. Enrol their biometrics first.")
        return _verify_page(request, person_id, form, status=404)
    return _verify_page(request, person_id, Form(), result=result)
