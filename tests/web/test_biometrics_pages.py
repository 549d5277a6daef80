"""Biometric capture, the 1:N hit review and the 1:1 verify in Chromium (issue 13).

Photographs, as in ``tests/api/test_biometrics_api.py``: matplotlib's ``grace_hopper.jpg``
(US Navy, public domain, shipped in matplotlib), a mirrored copy of it,
``skimage.data.astronaut()`` (NASA, public domain, shipped in scikit-image) and
``skimage.data.coffee()`` (no face); the finger image is
:func:`nseers.biometrics.synthetic.fingerprint_png`. The site loads the face models on the
first capture (seconds), which is why the flow is one test.
"""

from __future__ import annotations

import io
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
COFFEE = _png(Image.fromarray(skimage.data.coffee()))


def _file(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_capture_refuses_no_face_stops_at_a_hit_attaches_with_a_reason_and_verifies(
        page: Page, site: LiveSite, tmp_path: Path) -> None:
    hopper = admit_visitor(site.registry, "B1000001", surname="HOPPER", given_names="Grace",
                           born=date(1906, 12, 9), day="2012-05-01",
                           admit_until=date(2012, 8, 1))
    murray = admit_visitor(site.registry, "B1000002", surname="MURRAY", given_names="Grace",
                           born=date(1906, 12, 9), day="2014-05-01",
                           admit_until=date(2014, 8, 1))
    sign_in(page, "secondary")
    page.goto(f"/people/{hopper}")
    page.get_by_role("link", name="Enrol biometrics").click()
    page.get_by_label("Photograph", exact=True).set_input_files(
        _file(tmp_path, "coffee.png", COFFEE))
    page.get_by_role("button", name="Check and enrol").click()
    expect(page.locator("#f-photograph-error")).to_contain_text("no face")
    check_accessibility(page)

    page.get_by_label("Photograph", exact=True).set_input_files(
        _file(tmp_path, "hopper.png", _png(HOPPER)))
    page.get_by_label("Right index finger (position 2)").set_input_files(
        _file(tmp_path, "finger2.png", fingerprint_png(2)))
    page.get_by_role("button", name="Check and enrol").click()
    expect(page.get_by_role("status")).to_contain_text(f"Enrolled 2 records under person "
                                                       f"{hopper}")
    assert count(site.registry, BiometricRecord, BiometricRecord.person_id == hopper) == 2

    # The same face under another name and passport stops the officer at the hit review.
    page.goto(f"/people/{murray}/biometrics")
    page.get_by_label("Photograph", exact=True).set_input_files(
        _file(tmp_path, "mirror.png", HOPPER_MIRROR))
    page.get_by_role("button", name="Check and enrol").click()
    match = page.get_by_role("region", name=f"Match with person {hopper}")
    expect(match).to_contain_text("Grace HOPPER")
    expect(match).to_contain_text("Grace MURRAY")
    expect(match).to_contain_text("B1000001")
    expect(match).to_contain_text("B1000002")
    expect(page.get_by_role("link", name="Request a merge")).to_have_attribute(
        "href", "/identities/merges")
    check_accessibility(page)
    screenshot(page, "biometric-hit")
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

    # 1:1 at the departure desk: another face is referred to secondary, with the scores.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "departure")
    page.goto(f"/people/{hopper}/verify")
    page.get_by_label("Live photograph").set_input_files(
        _file(tmp_path, "astronaut.png", ASTRONAUT))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("alert")).to_contain_text("No match: refer to secondary")
    expect(page.get_by_role("alert")).to_contain_text("above the threshold of 0.")
    check_accessibility(page)
    page.get_by_label("Live photograph").set_input_files(
        _file(tmp_path, "mirror.png", HOPPER_MIRROR))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("status")).to_contain_text("The traveller matches")
    assert "biometric.verify" in audit_actions(site.registry, "departure")


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
