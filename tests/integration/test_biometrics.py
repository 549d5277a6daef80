"""Biometric enrolment, 1:N at enrolment and 1:1 verification, on SQLite and PostgreSQL.

Photographs: matplotlib's grace_hopper.jpg and skimage.data.astronaut() (both shipped in
the packages), and transformed copies; fingers: nseers.biometrics.synthetic.
"""

from __future__ import annotations

import io

import matplotlib.cbook
import pytest
import skimage.data
from PIL import Image
from sqlalchemy import func, select

from integration.conftest import NOW
from integration.helpers import ANALYST, DEPARTURE, SECONDARY
from nseers.biometrics.sealing import new_key
from nseers.biometrics.synthetic import fingerprint_png
from nseers.core.actors import Actor, Role
from nseers.core.errors import ForbiddenError, InvalidInputError
from nseers.db.audit import AuditEntry
from nseers.registry.biometrics import BiometricRecord
from nseers.registry.people import Person
from nseers.services.biometrics import (
    BiometricHitError,
    BiometricVault,
    Enrolment,
    enrol,
    identify,
    verify,
)
from nseers.services.context import Registry
from nseers.services.identities import MergeDecision, MergeRequest, approve_merge, request_merge


def _png(image: Image.Image, fmt: str = "PNG", **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


HOPPER = Image.open(matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))
HOPPER_JPEG = _png(HOPPER.convert("RGB"), "JPEG", quality=90)
HOPPER_MIRROR = _png(HOPPER.convert("RGB").transpose(Image.Transpose.FLIP_LEFT_RIGHT))
ASTRONAUT = _png(Image.fromarray(skimage.data.astronaut()))
COFFEE = _png(Image.fromarray(skimage.data.coffee()))


@pytest.fixture(scope="module")
def vault() -> BiometricVault:
    return BiometricVault.with_key(new_key())


def _person(registry: Registry, surname: str) -> int:
    with registry.sessions() as session, session.begin():
        person = Person(surname=surname, given_names="Test", created_at=NOW)
        session.add(person)
        session.flush()
        return person.id


def _records(registry: Registry) -> int:
    with registry.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(BiometricRecord)) or 0)


def test_a_person_returning_under_a_new_name_is_stopped_at_enrolment(
        registry: Registry, vault: BiometricVault) -> None:
    first = _person(registry, "Hopper")
    enrol(registry, SECONDARY, vault, Enrolment(first, photograph=HOPPER_JPEG))
    second = _person(registry, "Murray")
    with pytest.raises(BiometricHitError) as hit:
        enrol(registry, SECONDARY, vault, Enrolment(second, photograph=HOPPER_MIRROR))
    assert [h["person_id"] for h in hit.value.hits] == [first]
    assert hit.value.hits[0]["name"] == "Test Hopper"
    assert hit.value.hits[0]["face_distance"] < 0.6
    # Both records, summarised alike for the hit review: no image, no template.
    assert (hit.value.hits[0]["documents"], hit.value.hits[0]["encounters"]) == ([], 0)
    assert hit.value.subject is not None
    assert (hit.value.subject["person_id"], hit.value.subject["name"]) == (second,
                                                                           "Test Murray")
    assert _records(registry) == 1  # nothing written at the hit
    # ... but the search and the records shown to the officer are audited at once.
    with registry.sessions() as session:
        shown = session.execute(select(AuditEntry.action, AuditEntry.person_id).where(
            AuditEntry.action.in_(("biometric.search", "biometric.hit.shown")))).all()
    assert ("biometric.hit.shown", first) in shown
    assert ("biometric.search", None) in shown
    with pytest.raises(InvalidInputError, match="reason"):
        enrol(registry, SECONDARY, vault, Enrolment(second, photograph=HOPPER_MIRROR,
                                                    on_hit="attach", attach_to=first))
    answer = enrol(registry, SECONDARY, vault, Enrolment(
        second, photograph=HOPPER_MIRROR, on_hit="attach", attach_to=first,
        reason="same person: passport renewed under married name"))
    assert answer["person_id"] == first
    with registry.sessions() as session:
        actions = session.scalars(select(AuditEntry.action)).all()
        blobs = session.scalars(select(BiometricRecord.image_sealed)).all()
    assert "biometric.hit.attach" in actions
    assert "biometric.search" in actions
    assert all(HOPPER_MIRROR[:64] not in (blob or b"") for blob in blobs)


def test_verification_at_departure_routes_a_mismatch_to_secondary(
        registry: Registry, vault: BiometricVault) -> None:
    person = _person(registry, "Hopper")
    enrol(registry, SECONDARY, vault, Enrolment(person, photograph=HOPPER_JPEG))
    same = verify(registry, DEPARTURE, vault, person, HOPPER_MIRROR)
    assert same["match"] is True
    assert same["route"] == "continue"
    other = verify(registry, DEPARTURE, vault, person, ASTRONAUT)
    assert other["match"] is False
    assert other["route"] == "secondary"
    assert other["distance"] > other["threshold"]


def test_an_unusable_capture_enrols_nothing_and_names_the_field(
        registry: Registry, vault: BiometricVault) -> None:
    person = _person(registry, "Nobody")
    with pytest.raises(InvalidInputError) as refused:
        enrol(registry, SECONDARY, vault, Enrolment(person, photograph=COFFEE))
    assert refused.value.problems[0].path == "photograph"
    assert "no face" in refused.value.problems[0].message
    with pytest.raises(ForbiddenError):
        enrol(registry, ANALYST, vault, Enrolment(person, photograph=HOPPER_JPEG))
    assert _records(registry) == 0


def test_a_second_press_of_an_enrolled_finger_is_identified(
        registry: Registry, vault: BiometricVault) -> None:
    owner = _person(registry, "Printed")
    stranger = _person(registry, "Other")
    enrol(registry, SECONDARY, vault, Enrolment(owner, fingers=((2, fingerprint_png(41)),)))
    enrol(registry, SECONDARY, vault, Enrolment(stranger, fingers=((2, fingerprint_png(42)),)))
    hits = identify(registry, SECONDARY, vault, fingers=((2, fingerprint_png(41, 1)),))
    assert [h["person_id"] for h in hits] == [owner]
    assert hits[0]["finger_score"] >= 60


# ------------------------------------------------- the FIN gate (8 CFR 264.1(f), 235.1(f))
def test_no_fin_is_issued_without_a_photograph_and_fingerprints(registry: Registry) -> None:
    from integration.helpers import iranian  # noqa: PLC0415
    from nseers.services.movements import inspect_arrival  # noqa: PLC0415

    with pytest.raises(InvalidInputError) as refused:
        inspect_arrival(registry, SECONDARY, iranian(photograph_ref=None,
                                                     fingerprints_ref=None))
    assert [p.path for p in refused.value.problems] == ["photograph_ref", "fingerprints_ref"]
    assert "8 CFR 264.1(f)" in refused.value.problems[0].message
    assert inspect_arrival(registry, SECONDARY, iranian())["fin"]


def test_an_age_exemption_of_235_1_f_relieves_fingerprints_and_is_recorded(
        registry: Registry) -> None:
    from datetime import date  # noqa: PLC0415

    from integration.helpers import iranian  # noqa: PLC0415
    from nseers.registry.registrations import SpecialRegistration  # noqa: PLC0415
    from nseers.services.facts import PersonFacts  # noqa: PLC0415
    from nseers.services.movements import inspect_arrival  # noqa: PLC0415

    # 80 years old on 2004-06-15: older than 79 (8 CFR 235.1(d)(1)(iv)(A) then).
    elder = PersonFacts(surname="AHMADI", given_names="REZA", date_of_birth=date(1924, 1, 1),
                        sex="M", citizenships=("IRN",))
    from integration.helpers import at  # noqa: PLC0415

    answer = inspect_arrival(registry, SECONDARY, iranian(
        person=elder, occurred_at=at("2004-06-15"), admit_until=date(2004, 12, 14),
        photograph_ref=None, fingerprints_ref=None))
    assert answer["fin"]
    with registry.sessions() as session:
        registration = session.scalars(select(SpecialRegistration)).one()
    assert "biometrics.exempt_age" in [r["rule"] for r in registration.reasons]


def test_a_merged_away_person_id_verifies_and_enrols_as_the_survivor(
        registry: Registry, vault: BiometricVault) -> None:
    survivor, absorbed = _person(registry, "Hopper"), _person(registry, "Murray")
    enrol(registry, SECONDARY, vault, Enrolment(absorbed, photograph=HOPPER_JPEG))
    pending = request_merge(registry, Actor("a.first", Role.ANALYST), MergeRequest(
        survivor, absorbed, evidence="face match", reason="one person"))
    approve_merge(registry, ANALYST, MergeDecision(pending["request_id"], "agreed"))

    checked = verify(registry, DEPARTURE, vault, absorbed, HOPPER_MIRROR)

    assert (checked["person_id"], checked["merged_from"]) == (survivor, absorbed)
    assert checked["match"] is True
    enrolled = enrol(registry, SECONDARY, vault, Enrolment(absorbed, photograph=ASTRONAUT))
    assert (enrolled["person_id"], enrolled["merged_from"]) == (survivor, absorbed)
    with registry.sessions() as session:
        owners = set(session.scalars(select(BiometricRecord.person_id)))
    assert owners == {survivor}


class _CountingSealer:
    """The vault's sealer, counting how many sealed blobs a search opens."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.opened = 0

    def seal(self, data: bytes, context: str) -> bytes:
        return self.inner.seal(data, context)  # type: ignore[attr-defined, no-any-return]

    def open(self, sealed: bytes, context: str) -> bytes:
        self.opened += 1
        return self.inner.open(sealed, context)  # type: ignore[attr-defined, no-any-return]


def test_the_galleries_stay_indexed_between_searches_and_see_other_processes(
        registry: Registry, vault: BiometricVault) -> None:
    key = new_key()
    counting = _CountingSealer(BiometricVault.with_key(key).sealer)
    here = BiometricVault(counting, vault.faces, vault.prints)  # type: ignore[arg-type]
    other_process = BiometricVault(BiometricVault.with_key(key).sealer, vault.faces,
                                   vault.prints)
    hopper = _person(registry, "Hopper")
    enrol(registry, SECONDARY, here, Enrolment(hopper, photograph=HOPPER_JPEG,
                                               fingers=((2, fingerprint_png(41)),)))
    assert identify(registry, SECONDARY, here, photograph=ASTRONAUT) == []
    counting.opened = 0
    assert identify(registry, SECONDARY, here, photograph=ASTRONAUT) == []
    assert counting.opened == 0  # nothing unsealed again: the index was kept
    # An enrolment by another worker process is found by this one's next search.
    collins = _person(registry, "Collins")
    enrol(registry, SECONDARY, other_process, Enrolment(collins, photograph=ASTRONAUT))
    assert [h["person_id"] for h in identify(registry, SECONDARY, here,
                                             photograph=ASTRONAUT)] == [collins]
    assert counting.opened == 1  # only the one new record
    # An erased record is not found again; SQLite then hands its id out again, to another.
    with registry.sessions() as session, session.begin():
        session.execute(BiometricRecord.__table__.delete().where(
            BiometricRecord.person_id == collins))
    assert identify(registry, SECONDARY, here, photograph=ASTRONAUT) == []
    again = _person(registry, "Collins-Again")
    enrol(registry, SECONDARY, other_process, Enrolment(again, photograph=ASTRONAUT))
    assert [h["person_id"] for h in identify(registry, SECONDARY, here,
                                             photograph=ASTRONAUT)] == [again]
    assert [h["person_id"] for h in identify(registry, SECONDARY, here,
                                             photograph=HOPPER_MIRROR)] == [hopper]
