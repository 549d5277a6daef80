"""Biometric capture, the 1:N hit review and the 1:1 verify in Chromium (issue 13).

Photographs, as in ``tests/api/test_biometrics_api.py``: matplotlib's ``grace_hopper.jpg``
(US Navy, public domain, shipped in matplotlib), mirrored copies of it and of
``skimage.data.astronaut()`` (NASA, public domain, shipped in scikit-image) and
``skimage.data.coffee()`` (no face); the finger image is
:func:`nseers.biometrics.synthetic.fingerprint_png`. The site loads the face models on the
first capture (seconds), which is why the tests are few and each walks a whole flow.
"""

from __future__ import annotations

import io
import os
import time
from datetime import date
from pathlib import Path

import matplotlib.cbook
import pytest
import skimage.data
from PIL import Image
from playwright.sync_api import Page, expect

from nseers.biometrics.synthetic import fingerprint_png
from nseers.registry.biometrics import BiometricRecord
from web.conftest import LiveSite
from web.helpers import (
    admit_visitor,
    audit_actions,
    audit_details,
    check_accessibility,
    count,
    http_session,
    screenshot,
    sign_in,
)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


HOPPER = Image.open(matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
                    ).convert("RGB")
HOPPER_MIRROR = _png(HOPPER.transpose(Image.Transpose.FLIP_LEFT_RIGHT))
ASTRONAUT = _png(Image.fromarray(skimage.data.astronaut()))
ASTRONAUT_MIRROR = _png(Image.fromarray(skimage.data.astronaut()).transpose(
    Image.Transpose.FLIP_LEFT_RIGHT))
COFFEE = _png(Image.fromarray(skimage.data.coffee()))


def _file(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _capture(page: Page, tmp_path: Path, person: int, name: str, photograph: bytes,
             finger: int | None = None) -> None:
    """Open the person's capture page, choose the files and submit."""
    page.goto(f"/people/{person}/biometrics")
    page.get_by_label("Photograph", exact=True).set_input_files(
        _file(tmp_path, name, photograph))
    if finger is not None:
        page.get_by_label(f"Right index finger (position {finger})").set_input_files(
            _file(tmp_path, f"finger{finger}.png", fingerprint_png(finger)))
    page.get_by_role("button", name="Check and enrol").click()


def _admit(site: LiveSite, number: str, surname: str, given_names: str, year: int) -> int:
    return admit_visitor(site.registry, number, surname=surname, given_names=given_names,
                         born=date(1906, 12, 9), day=f"{year}-05-01",
                         admit_until=date(year, 8, 1))


def _abandon_and_take_again(page: Page, site: LiveSite, tmp_path: Path, person: int) -> None:
    """At the hit review, the held capture outlives its hold: it is gone, and taken again."""
    held_dir = site.data_dir / "biometric-captures"
    [held] = held_dir.glob("*.sealed")
    stale = time.time() - 31 * 60
    os.utime(held, (stale, stale))
    stray = held_dir / f"{'0' * 32}.sealed"  # abandoned by another officer
    stray.write_bytes(b"sealed")
    os.utime(stray, (stale, stale))
    page.get_by_label("Reason for enrolling as a new identity").fill("identical twin sister")
    page.get_by_role("button", name="Proceed as new").click()
    expect(page.locator("#f-photograph-error")).to_contain_text("choose it again")
    assert not held.exists()
    assert count(site.registry, BiometricRecord, BiometricRecord.person_id == person) == 0
    _capture(page, tmp_path, person, "mirror.png", HOPPER_MIRROR)
    assert not stray.exists()  # swept when the next capture was held


def test_capture_refuses_no_face_stops_at_a_hit_and_attaches_or_enrols_new_with_a_reason(
        page: Page, site: LiveSite, tmp_path: Path) -> None:
    hopper = _admit(site, "B1000001", "HOPPER", "Grace", 2012)
    murray = _admit(site, "B1000002", "MURRAY", "Grace", 2014)
    sign_in(page, "secondary")
    page.goto(f"/people/{hopper}")
    page.get_by_role("link", name="Enrol biometrics").click()
    expect(page).to_have_url(f"{site.url}/people/{hopper}/biometrics")
    _capture(page, tmp_path, hopper, "coffee.png", COFFEE)
    expect(page.locator("#f-photograph-error")).to_contain_text("no face")
    expect(page.locator("#f-photograph-kept")).to_have_count(0)  # refused: take it again
    check_accessibility(page)

    _capture(page, tmp_path, hopper, "hopper.png", _png(HOPPER), finger=2)
    expect(page.get_by_role("status")).to_contain_text(f"Enrolled 2 records under person "
                                                       f"{hopper}")
    assert count(site.registry, BiometricRecord, BiometricRecord.person_id == hopper) == 2

    # The same face under another name and passport stops the officer at the hit review.
    _capture(page, tmp_path, murray, "mirror.png", HOPPER_MIRROR)
    match = page.get_by_role("region", name=f"Match with person {hopper}")
    expect(match).to_contain_text("Grace HOPPER")
    expect(match).to_contain_text("Grace MURRAY")
    expect(match).to_contain_text("B1000001")
    expect(match).to_contain_text("B1000002")
    expect(page.get_by_role("link", name="Request a merge")).to_have_attribute(
        "href", "/identities/merges")
    check_accessibility(page)
    screenshot(page, "biometric-hit")
    # The capture waits for the officer's choice sealed, never in the clear.
    [held] = (site.data_dir / "biometric-captures").glob("*.sealed")
    assert HOPPER_MIRROR[:64] not in held.read_bytes()
    assert not list((site.data_dir / "biometrics").rglob("*.png"))
    match.get_by_role("button", name=f"Attach to person {hopper}").click()
    expect(page.get_by_role("alert")).to_contain_text("Give the reason")
    assert count(site.registry, BiometricRecord, BiometricRecord.person_id == murray) == 0
    page.get_by_label(f"Reason for attaching to person {hopper}").fill(
        "same woman, new passport under another name")
    page.get_by_role("button", name=f"Attach to person {hopper}").click()
    expect(page.get_by_role("status")).to_contain_text(f"under person {hopper}")
    assert count(site.registry, BiometricRecord, BiometricRecord.person_id == hopper) == 3
    assert "biometric.hit.attach" in audit_actions(site.registry, "secondary")
    [attached] = audit_details(site.registry, "biometric.hit.attach")
    assert attached["reason"] == "same woman, new passport under another name"
    assert not held.exists()  # enrolled: the service keeps its own sealed copy

    # Proceeding as new needs a reason too, and is audited with it.
    twin = _admit(site, "B1000003", "HOPPER", "Anne", 2015)
    _capture(page, tmp_path, twin, "mirror.png", HOPPER_MIRROR)
    _abandon_and_take_again(page, site, tmp_path, twin)
    page.get_by_label("Reason for enrolling as a new identity").fill("identical twin sister")
    page.get_by_role("button", name="Proceed as new").click()
    expect(page.get_by_role("status")).to_contain_text(f"under person {twin}")
    [new] = audit_details(site.registry, "biometric.hit.new")
    assert new["reason"] == "identical twin sister"



def test_the_departure_desk_verifies_and_refers_another_face_to_secondary(
        page: Page, site: LiveSite, tmp_path: Path) -> None:
    collins = _admit(site, "B2000001", "COLLINS", "Eileen", 2012)
    sign_in(page, "secondary")
    _capture(page, tmp_path, collins, "astronaut.png", ASTRONAUT)
    expect(page.get_by_role("status")).to_contain_text(f"under person {collins}")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "departure")
    page.goto("/departure")
    page.get_by_label("Or a document number").fill("B2000001")
    page.get_by_role("button", name="Find and check").click()
    page.get_by_role("link", name="Verify the traveller's photograph").click()
    page.get_by_label("Live photograph").set_input_files(
        _file(tmp_path, "hopper.png", HOPPER_MIRROR))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("alert")).to_contain_text("No match: refer to secondary")
    expect(page.get_by_role("alert")).to_contain_text("above the threshold of 0.")
    check_accessibility(page)
    page.get_by_label("Live photograph").set_input_files(
        _file(tmp_path, "mirror.png", ASTRONAUT_MIRROR))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("status")).to_contain_text("The traveller matches")
    assert audit_details(site.registry, "biometric.verify")[-2:] == [
        {"match": False, "distance": pytest.approx(0.8, abs=0.3), "threshold": 0.6},
        {"match": True, "distance": pytest.approx(0.1, abs=0.2), "threshold": 0.6}]


CAPTURE = {"secondary", "compliance"}
VERIFY = {"primary", "secondary", "departure", "compliance", "director"}


@pytest.mark.parametrize("username", ["primary", "secondary", "departure", "compliance",
                                      "director", "analyst", "auditor", "admin"])
def test_capture_opens_to_registering_roles_and_verify_to_those_who_read_people(
        site: LiveSite, username: str) -> None:
    person = admit_visitor(site.registry, f"R{username.upper()[:8]}", surname="ROLE",
                           given_names=username.upper(), born=date(1980, 1, 1),
                           day="2012-05-01", admit_until=date(2012, 8, 1))
    with http_session(site.url, username) as client:
        capture = client.get(f"/people/{person}/biometrics")
        assert capture.status_code == (200 if username in CAPTURE else 403)
        assert client.get(f"/people/{person}/verify").status_code == (
            200 if username in VERIFY else 403)
        timeline = client.get(f"/people/{person}").text
        assert (f'href="/people/{person}/biometrics"' in timeline) == (username in CAPTURE)
