"""Primary and secondary inspection in the browser: the MRZ, the live determinations, the
decision recorded once, field errors that keep what was typed, and special registration
with the photograph, the fingerprints and the printable I-94 annotation."""

from __future__ import annotations

import io
from datetime import date

import skimage.data
from PIL import Image
from playwright.sync_api import Page, expect
from sqlalchemy import select

from nseers.documents import render_td3
from nseers.registry.biometrics import BiometricRecord
from nseers.registry.encounters import Encounter
from nseers.registry.registrations import SpecialRegistration
from nseers.web.uploads import UploadStore
from web.conftest import LiveSite
from web.helpers import (
    audit_actions,
    audit_details,
    check_accessibility,
    choose,
    count,
    face_png,
    finger_png,
    screenshot,
    sign_in,
)

FRENCH_MRZ = render_td3(issuing_state="FRA", surname="MULLER", given_names="ANNE",
                        document_number="P7654321", nationality="FRA",
                        date_of_birth=date(1980, 2, 2), sex="F", date_of_expiry=date(2030, 1, 1))


def fill_iranian(page: Page, number: str) -> None:
    """The facts of a man of a designated country arriving at JFK in 2003."""
    page.get_by_label("Port of entry").select_option("JFK")
    page.get_by_label("Date and time of inspection (UTC)").fill("2003-06-15T10:00")
    page.locator("#f-surname").fill("AHMADI")
    page.locator("#f-given_names").fill("REZA")
    page.get_by_label("Date of birth").fill("1970-05-01")
    page.get_by_label("Sex").select_option("M")
    page.get_by_label("Citizenships").fill("IRN")
    page.get_by_label("Document number").fill(number)
    page.get_by_label("Issuing state").fill("IRN")
    page.get_by_label("Visa class").fill("B2")
    page.get_by_label("Class of admission").fill("B2")
    page.get_by_label("Admit until").fill("2003-12-14")


def test_primary_inspection_reads_the_mrz_shows_cited_determinations_and_admits(
        page: Page, site: LiveSite) -> None:
    sign_in(page, "primary")
    page.goto("/inspect")
    expect(page.locator("#determinations")).to_contain_text("Enter Port of entry")
    page.get_by_label("Machine-readable zone").fill(FRENCH_MRZ)
    page.get_by_role("button", name="Read the MRZ and fill in the form").click()
    expect(page.locator("#f-surname")).to_have_value("MULLER")
    expect(page.get_by_label("Date of birth")).to_have_value("1980-02-02")
    expect(page.get_by_label("Document number")).to_have_value("P7654321")
    expect(page.get_by_label("Citizenships")).to_have_value("FRA")
    page.get_by_label("Port of entry").select_option("JFK")
    i94 = page.locator('[data-determination="i94"]')
    expect(i94).to_contain_text("Required")
    expect(page.locator('[data-determination="inspection"]')).to_contain_text("8 CFR 235.1")
    page.get_by_label("Visa class").fill("B2")
    page.get_by_label("Class of admission").fill("B2")
    page.get_by_label("Admit until").fill("2027-05-23")
    choose(page, "Admit")
    expect(page.locator("#determinations-status")).to_contain_text("Form I-94 required")
    check_accessibility(page)
    screenshot(page, "primary-inspection")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", name="Inspection recorded")).to_be_visible()
    expect(page.get_by_role("heading", name="ANNE MULLER: Admitted")).to_be_visible()
    number = page.locator("[data-i94]").get_attribute("data-i94")
    assert number
    check_accessibility(page)
    screenshot(page, "inspection-recorded")
    with site.registry.sessions() as session:
        encounter = session.execute(select(Encounter).where(
            Encounter.officer == "primary", Encounter.outcome == "admitted")).scalar_one()
    assert (encounter.outcome, encounter.port_code, encounter.admission_class) == \
        ("admitted", "JFK", "B2")
    assert encounter.admit_until == date(2027, 5, 23)
    assert "arrival.inspect" in audit_actions(site.registry, "primary")


def test_a_form_submitted_twice_records_the_inspection_once(page: Page,
                                                             site: LiveSite) -> None:
    sign_in(page, "primary")
    page.goto("/inspect")
    page.get_by_label("Port of entry").select_option("IAD")
    page.locator("#f-surname").fill("TWICE")
    page.get_by_label("Citizenships").fill("DEU")
    page.get_by_label("Document number").fill("C01X00T47")
    page.get_by_label("Issuing state").fill("DEU")
    choose(page, "Refer to secondary inspection")
    before = count(site.registry, Encounter)
    statuses = page.evaluate("""async () => {
        const form = document.querySelector('#inspection-form');
        const send = () => fetch('/inspect', {method: 'POST', body: new FormData(form)});
        const answers = await Promise.all([send(), send()]);
        return Promise.all(answers.map(async (a) => [a.status, await a.text()]));
    }""")
    assert [status for status, _ in statuses] == [200, 200]
    assert any("had already been submitted" in text for _, text in statuses)
    assert count(site.registry, Encounter) == before + 1


def test_a_refused_submission_shows_each_problem_on_its_field_and_keeps_what_was_typed(
        page: Page, site: LiveSite) -> None:
    sign_in(page, "primary")
    page.goto("/inspect")
    page.get_by_label("Port of entry").select_option("IAD")
    page.locator("#f-surname").fill("KEEPS")
    page.locator("#f-given_names").fill("EVERYTHING")
    page.get_by_label("Citizenships").fill("FRA, XX1")
    page.get_by_label("Document number").fill("K0000001")
    page.get_by_label("Issuing state").fill("FRA")
    choose(page, "Refuse admission")
    before = count(site.registry, Encounter)
    page.get_by_role("button", name="Record the decision").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("nothing was recorded")
    expect(page.locator("#f-refusal_reason-error")).to_contain_text(
        "required when the decision is refuse")
    expect(page.locator("#f-citizenships-error")).to_contain_text("XX1")
    expect(page.locator("#f-surname")).to_have_value("KEEPS")
    expect(page.locator("#f-given_names")).to_have_value("EVERYTHING")
    expect(page.get_by_label("Refuse admission")).to_be_checked()
    assert count(site.registry, Encounter) == before
    check_accessibility(page)
    screenshot(page, "inspection-errors")


def test_a_primary_officer_cannot_admit_a_traveller_who_must_be_registered(
        page: Page, site: LiveSite) -> None:
    sign_in(page, "primary")
    page.goto("/inspect")
    fill_iranian(page, "X0000001")
    expect(page.locator('[data-determination="special_registration"]')).to_contain_text(
        "Required")
    choose(page, "Admit")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#f-decision-error")).to_contain_text("refer the traveller to "
                                                              "secondary inspection")
    choose(page, "Refer to secondary inspection")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", name="REZA AHMADI: Referred")).to_be_visible()
    expect(page.get_by_role("link", name="Continue in secondary inspection")).to_have_count(0)
    assert count(site.registry, SpecialRegistration) == 0


def test_secondary_inspection_registers_with_biometrics_and_prints_the_annotation(
        page: Page, site: LiveSite) -> None:
    before = count(site.registry, SpecialRegistration)
    sign_in(page, "secondary")
    page.goto("/secondary")
    fill_iranian(page, "X1234567")
    expect(page.locator('[data-determination="special_registration"]')).to_contain_text(
        "Designated nationality")
    page.set_input_files("#f-photograph", files=[
        {"name": "face.png", "mimeType": "image/png", "buffer": face_png()}])
    page.set_input_files("#f-fingerprints", files=[
        {"name": "prints.png", "mimeType": "image/png", "buffer": finger_png()}])
    page.get_by_label("Address in the United States").fill("1 Main St, New York, NY")
    choose(page, "Admit")
    page.get_by_role("button", name="Record the decision").click()
    # The purpose was left out: nothing is recorded, and nothing typed or uploaded is lost.
    expect(page.locator("#f-purpose-error")).to_contain_text("required")
    expect(page.get_by_label("Address in the United States")).to_have_value(
        "1 Main St, New York, NY")
    expect(page.locator("#f-photograph-kept")).to_contain_text("biometrics:sha256:")
    assert count(site.registry, SpecialRegistration) == before
    page.get_by_label("Purpose of the visit").fill("tourism")
    check_accessibility(page)
    screenshot(page, "secondary-inspection")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#biometrics-enrolled")).to_contain_text("no match")
    fin = page.locator("[data-fin]").get_attribute("data-fin")
    assert fin
    with site.registry.sessions() as session:
        registration = session.execute(select(SpecialRegistration).where(
            SpecialRegistration.fin == fin)).scalar_one()
    assert registration.officer == "secondary"
    assert registration.purpose == "tourism"
    store = UploadStore(site.data_dir, 10_000_000)
    for reference in (registration.photograph_ref, registration.fingerprints_ref):
        assert reference is not None
        assert reference.startswith("biometrics:sha256:")
        stored = store.locate(reference)
        assert stored is not None
        assert stored.is_relative_to(site.data_dir / "biometrics")
        # Biometric data is encrypted at rest: no image lies on disk in the clear.
        assert stored.suffix == ".sealed"
        assert face_png()[:64] not in stored.read_bytes()
    # Gated and searched 1:N, then enrolled under the registrant (issue 13).
    assert count(site.registry, BiometricRecord,
                 BiometricRecord.person_id == registration.person_id) == 2
    assert any(detail.get("fin") == fin
               for detail in audit_details(site.registry, "arrival.inspect"))
    page.get_by_role("link", name="Print the I-94 annotation").click()
    expect(page.get_by_role("heading", name="Form I-94 annotation: special registration")
           ).to_be_visible()
    expect(page.locator(".nseers-annotation [data-fin]")).to_have_text(fin)
    expect(page.locator(".nseers-annotation")).to_contain_text("30-day report")
    check_accessibility(page)
    screenshot(page, "i94-annotation")
    page.emulate_media(media="print")
    expect(page.locator(".usa-header")).to_be_hidden()
    expect(page.locator(".nseers-annotation")).to_be_visible()


def _secondary_with_captures(page: Page, number: str, photograph: bytes,
                             finger: int) -> None:
    page.goto("/secondary")
    fill_iranian(page, number)
    page.set_input_files("#f-photograph", files=[
        {"name": "face.png", "mimeType": "image/png", "buffer": photograph}])
    page.set_input_files("#f-fingerprints", files=[
        {"name": "prints.png", "mimeType": "image/png", "buffer": finger_png(finger)}])
    page.get_by_label("Address in the United States").fill("1 Main St, New York, NY")
    page.get_by_label("Purpose of the visit").fill("tourism")
    choose(page, "Admit")
    page.get_by_role("button", name="Record the decision").click()


def test_secondary_refuses_an_unmatchable_photograph_and_stops_at_a_returning_face(
        page: Page, site: LiveSite) -> None:
    # Photographs: skimage.data.coffee() (no face) and skimage.data.astronaut() (NASA,
    # public domain, shipped in scikit-image), and a mirrored copy of it.
    astronaut = Image.fromarray(skimage.data.astronaut())
    first, returning = io.BytesIO(), io.BytesIO()
    astronaut.save(first, format="PNG")
    astronaut.transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(returning, format="PNG")
    coffee = io.BytesIO()
    Image.fromarray(skimage.data.coffee()).save(coffee, format="PNG")
    before = count(site.registry, SpecialRegistration)
    sign_in(page, "secondary")
    # No FIN on a photograph nobody could match: refused on the field, to be taken again.
    _secondary_with_captures(page, "Y1000001", coffee.getvalue(), 4)
    expect(page.locator("#f-photograph-error")).to_contain_text("no face")
    expect(page.locator("#f-photograph-kept")).to_have_count(0)
    assert count(site.registry, SpecialRegistration) == before
    _secondary_with_captures(page, "Y1000001", first.getvalue(), 4)
    expect(page.locator("#biometrics-enrolled")).to_contain_text("no match")
    first_person = count(site.registry, BiometricRecord)
    assert first_person >= 2
    # The same face returns under a new passport: recorded, then stopped at the review.
    _secondary_with_captures(page, "Y2000002", returning.getvalue(), 5)
    expect(page.locator("#recorded-before-hit")).to_contain_text("FIN")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Biometric match found")
    expect(page.locator("section[aria-label^='Match with person']")).to_contain_text(
        "Y1000001")
    assert count(site.registry, BiometricRecord) == first_person  # nothing enrolled yet
    assert count(site.registry, SpecialRegistration) == before + 2
    page.get_by_label("Reason for enrolling as a new identity").fill("checked: brothers")
    page.get_by_role("button", name="Proceed as new").click()
    expect(page.get_by_role("status")).to_contain_text("Enrolled")
    assert "biometric.hit.new" in audit_actions(site.registry, "secondary")
