"""Biometrics over HTTP (issue 13): enrol (multipart or ANSI/NIST-ITL), 1:N hit, verify,
identify, and refusals that name the field.

Photographs: matplotlib's ``grace_hopper.jpg`` (US Navy, public domain, shipped in
matplotlib), ``skimage.data.astronaut()`` (NASA, public domain, shipped in scikit-image),
``skimage.data.coffee()`` (no face), and a mirrored copy of the first; fingers:
:mod:`nseers.biometrics.synthetic`. The face models load once for the module (seconds),
which is why the tests are few and each checks a whole flow.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

import matplotlib.cbook
import pytest
import skimage.data
from fastapi.testclient import TestClient
from PIL import Image

from api.conftest import bearer, settings
from integration.conftest import NOW
from nseers.api.app import create_app
from nseers.api.routes.biometrics import BiometricHitProblem
from nseers.biometrics import FaceQualityPolicy, FaceTemplate
from nseers.biometrics.nist import FingerImage, NistEnrolment, write_transaction
from nseers.biometrics.sealing import new_key
from nseers.biometrics.synthetic import fingerprint_png
from nseers.core.actors import Role
from nseers.registry.people import Person
from nseers.services.biometrics import MAX_CAPTURE_BYTES, BiometricVault
from nseers.services.context import Registry


def _encode(image: Image.Image, fmt: str = "PNG", **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


HOPPER = Image.open(matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
                    ).convert("RGB")
HOPPER_JPEG = _encode(HOPPER, "JPEG", quality=90)
HOPPER_MIRROR = _encode(HOPPER.transpose(Image.Transpose.FLIP_LEFT_RIGHT))
ASTRONAUT = _encode(Image.fromarray(skimage.data.astronaut()))
COFFEE = _encode(Image.fromarray(skimage.data.coffee()))
ENROL, VERIFY, IDENTIFY = ("/api/v1/biometrics/enrolments", "/api/v1/biometrics/verify",
                           "/api/v1/biometrics/identify")


@pytest.fixture(scope="module")
def vault() -> BiometricVault:
    return BiometricVault.with_key(new_key())


@pytest.fixture
def client(sqlite_registry: Registry, vault: BiometricVault) -> Iterator[TestClient]:
    app = create_app(sqlite_registry, settings(), biometric_vault=lambda: vault)
    with TestClient(app) as test_client:
        yield test_client


def _person(registry: Registry, surname: str, born: date | None = None) -> int:
    with registry.sessions() as session, session.begin():
        person = Person(surname=surname, given_names="Test", date_of_birth=born,
                        created_at=NOW)
        session.add(person)
        session.flush()
        return person.id


def test_a_second_identity_with_an_enrolled_face_is_stopped_with_the_candidates_only(
        client: TestClient, sqlite_registry: Registry) -> None:
    officer = bearer(sqlite_registry, Role.SECONDARY_OFFICER)
    first = _person(sqlite_registry, "Hopper", date(1906, 12, 9))
    enrolled = client.post(ENROL, data={"person_id": first}, headers=officer,
                           files={"photograph": ("hopper.jpg", HOPPER_JPEG, "image/jpeg")})
    assert enrolled.status_code == 201, enrolled.text
    assert enrolled.json()["person_id"] == first
    second = _person(sqlite_registry, "Murray")
    upload = {"photograph": ("mirror.png", HOPPER_MIRROR, "image/png")}
    hit = client.post(ENROL, data={"person_id": second}, files=upload, headers=officer)
    assert hit.status_code == 409
    assert hit.headers["content-type"].startswith("application/problem+json")
    body = hit.json()
    BiometricHitProblem.model_validate(body)  # as the OpenAPI document declares it
    assert body["code"] == "biometric_hit"
    [candidate] = body["candidates"]
    assert set(candidate) == {"person_id", "name", "date_of_birth", "face_distance",
                              "finger_score"}
    assert (candidate["person_id"], candidate["name"], candidate["date_of_birth"]) == (
        first, "Test Hopper", "1906-12-09")
    assert candidate["face_distance"] < 0.6
    attached = client.post(ENROL, files=upload, headers=officer, data={
        "person_id": second, "on_hit": "attach", "attach_to": first,
        "reason": "same person, new passport under another name"})
    assert attached.status_code == 201, attached.text
    assert attached.json()["person_id"] == first
    found = client.post(IDENTIFY, files={"photograph": ("m.png", HOPPER_MIRROR)},
                        headers=officer)
    assert [c["person_id"] for c in found.json()["candidates"]] == [first]
    departure = bearer(sqlite_registry, Role.DEPARTURE_OFFICER)
    same = client.post(VERIFY, data={"person_id": first}, headers=departure,
                       files={"photograph": ("m.png", HOPPER_MIRROR)}).json()
    assert (same["match"], same["route"]) == (True, "continue")
    other = client.post(VERIFY, data={"person_id": first}, headers=departure,
                        files={"photograph": ("a.png", ASTRONAUT)}).json()
    assert (other["match"], other["route"]) == (False, "secondary")
    assert other["distance"] > other["threshold"]


def test_unusable_oversized_or_mismatched_uploads_are_refused_naming_the_field(
        client: TestClient, sqlite_registry: Registry) -> None:
    officer = bearer(sqlite_registry, Role.SECONDARY_OFFICER)
    person = _person(sqlite_registry, "Nobody")

    def refused(**parts: object) -> list[dict[str, str]]:
        answer = client.post(ENROL, headers=officer, **parts)  # type: ignore[arg-type]
        assert answer.status_code == 422, answer.text
        errors: list[dict[str, str]] = answer.json()["errors"]
        return errors

    [no_face] = refused(data={"person_id": person},
                        files={"photograph": ("coffee.png", COFFEE)})
    assert no_face["path"] == "photograph"
    assert "no face" in no_face["message"]
    [too_big] = refused(data={"person_id": person},
                        files={"photograph": ("big.png", b"\0" * (MAX_CAPTURE_BYTES + 1))})
    assert too_big["path"] == "photograph"
    [unpaired] = refused(data={"person_id": person, "positions": [2, 3]},
                         files=[("fingers", ("f.png", fingerprint_png(5, 0)))])
    assert unpaired["path"] == "positions"
    [not_nist] = refused(data={"person_id": person}, files={"nist": ("x.eft", b"junk")})
    assert not_nist["path"] == "nist"


def test_an_ansi_nist_transaction_from_a_capture_station_is_enrolled(
        client: TestClient, sqlite_registry: Registry) -> None:
    person = _person(sqlite_registry, "Station")
    transaction = write_transaction(NistEnrolment(
        control_number="T1", agency="JFK", captured_on=date(2026, 11, 24),
        name="STATION,TEST", fingers=(FingerImage(2, fingerprint_png(41, 0)),
                                      FingerImage(7, fingerprint_png(42, 0)))))
    answer = client.post(ENROL, data={"person_id": person},
                         files={"nist": ("station.eft", transaction)},
                         headers=bearer(sqlite_registry, Role.SECONDARY_OFFICER))
    assert answer.status_code == 201, answer.text
    assert len(answer.json()["records"]) == 2
    found = client.post(IDENTIFY, data={"positions": [2]},
                        files=[("fingers", ("again.png", fingerprint_png(41, 1)))],
                        headers=bearer(sqlite_registry, Role.SECONDARY_OFFICER))
    assert found.status_code == 200, found.text
    assert [c["person_id"] for c in found.json()["candidates"]] == [person]


def test_the_photograph_is_gated_before_the_request_takes_its_turn_to_write(
        sqlite_registry: Registry, vault: BiometricVault) -> None:
    """On SQLite the API runs one unit of work at a time; seconds of face detection inside
    one would hold up every other request's write."""
    turns: list[bool] = []

    class Watching:
        model = vault.faces.model

        def template(self, image: bytes, source: str, quality: FaceQualityPolicy
                     ) -> FaceTemplate:
            turns.append(app.state.api.registry._turn.locked())
            return vault.faces.template(image, source, quality)

        def distance(self, a: FaceTemplate, b: FaceTemplate) -> float:
            return vault.faces.distance(a, b)

    watched = BiometricVault(vault.sealer, Watching(), vault.prints)
    app = create_app(sqlite_registry, settings(), biometric_vault=lambda: watched)
    person = _person(sqlite_registry, "Hopper")
    with TestClient(app) as client:
        officer = bearer(sqlite_registry, Role.SECONDARY_OFFICER)
        photo = {"photograph": ("hopper.jpg", HOPPER_JPEG)}
        assert client.post(ENROL, data={"person_id": person}, files=photo,
                           headers=officer).status_code == 201
        assert client.post(VERIFY, data={"person_id": person}, files=photo,
                           headers=officer).json()["match"] is True
        assert client.post(IDENTIFY, files=photo, headers=officer).status_code == 200
    assert turns == [False, False, False]
