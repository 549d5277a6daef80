"""Form I-68 online: a family files with evidence and sees the fee; the district director
approves, denies with reasons and revokes."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from nseers.registry.i68 import BoatLandingPermit, I68Application
from nseers.web.uploads import UploadStore
from web.conftest import LiveSite
from web.helpers import (
    audit_actions,
    check_accessibility,
    choose,
    count,
    png,
    screenshot,
    sign_in,
)


def fill_member(page: Page, index: int, surname: str, given: str, born: str,
                relationship: str | None = None) -> None:
    page.locator(f"#f-m{index}_surname").fill(surname)
    page.locator(f"#f-m{index}_given_names").fill(given)
    page.locator(f"#f-m{index}_date_of_birth").fill(born)
    page.locator(f"#f-m{index}_citizenships").fill("CAN")
    if relationship:
        page.locator(f"#f-m{index}_relationship").select_option(relationship)


def file_family(page: Page, surname: str) -> None:
    """A family of three and one relative the definition leaves out, with evidence."""
    page.goto("/i68/apply")
    page.get_by_label("Port where the application is filed").select_option("BLAINE")
    fill_member(page, 0, surname, "JEAN", "1975-03-01")
    page.get_by_role("button", name="Add a family member").click()
    fill_member(page, 1, surname, "MARIE", "1977-08-09", "spouse")
    page.get_by_role("button", name="Add a family member").click()
    fill_member(page, 2, surname, "LUC", "2012-01-15", "child")
    page.get_by_role("button", name="Add a family member").click()
    fill_member(page, 3, "ROY", "PAUL", "1950-01-01", "other")
    page.set_input_files("#f-evidence", files=[
        {"name": "passports.png", "mimeType": "image/png", "buffer": png((200, 10, 10))}])


def test_a_family_files_an_i68_with_evidence_and_sees_the_fee_in_force(
        page: Page, site: LiveSite) -> None:
    before = count(site.registry, I68Application)
    sign_in(page, "traveller")
    file_family(page, "TREMBLAY")
    fee = page.locator("#i68-fee")
    expect(fee.locator("[data-fee]")).to_have_attribute("data-fee", "32")
    expect(fee).to_contain_text("$16 a person, at most $32 a family")
    expect(fee).to_contain_text("PAUL ROY: not eligible")
    # The child's date of birth is wiped out: the application is refused on that field,
    # and everything else, the evidence included, is kept.
    page.locator("#f-m2_date_of_birth").fill("")
    page.get_by_role("button", name="File the application").click()
    expect(page.locator("#f-m2_date_of_birth-error")).to_contain_text(
        "the family definition depends on age")
    expect(page.locator("#f-m1_given_names")).to_have_value("MARIE")
    expect(page.get_by_text("Received and kept:")).to_be_visible()
    assert count(site.registry, I68Application) == before
    check_accessibility(page)
    page.locator("#f-m2_date_of_birth").fill("2012-01-15")
    check_accessibility(page)
    screenshot(page, "i68-application")
    page.get_by_role("button", name="File the application").click()
    expect(page.get_by_role("heading", name="Application filed")).to_be_visible()
    expect(page.locator("[data-fee]")).to_have_attribute("data-fee", "32")
    with site.registry.sessions() as session:
        application = session.execute(select(I68Application).where(
            I68Application.filed_by == "traveller")).scalar_one()
    assert application.filed_by == "traveller"
    assert len(application.members) == 4
    reference = application.evidence[0]["reference"]
    assert reference.startswith("evidence:sha256:")
    assert UploadStore(site.data_dir, 10_000_000).locate(reference) is not None
    assert "i68.file" in audit_actions(site.registry, "traveller")


def test_the_district_director_approves_denies_with_reasons_and_revokes(
        page: Page, site: LiveSite) -> None:
    sign_in(page, "primary")
    file_family(page, "GAGNON")
    page.get_by_role("button", name="File the application").click()
    expect(page.get_by_role("heading", name="Application filed")).to_be_visible()
    file_family(page, "ROY")
    page.get_by_role("button", name="File the application").click()
    expect(page.get_by_role("heading", name="Application filed")).to_be_visible()
    with site.registry.sessions() as session:
        first, second = session.execute(select(I68Application.id).where(
            I68Application.filed_by == "primary").order_by(I68Application.id)).scalars()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "director")
    page.goto("/i68/queue")
    denied = page.locator(f'[data-application="{second}"]')
    denied.locator(f'label[for="deny-{second}"]').click()
    denied.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#error-summary")).to_contain_text("required to deny")
    check_accessibility(page)
    screenshot(page, "i68-adjudication")
    denied = page.locator(f'[data-application="{second}"]')
    denied.locator(f'label[for="deny-{second}"]').click()
    denied.get_by_label("Reasons (required to deny)").fill("The vessel is over 5 net tons.")
    denied.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text(f"Application {second} denied.")
    approved = page.locator(f'[data-application="{first}"]')
    approved.locator(f'label[for="approve-{first}"]').click()
    approved.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text(f"Application {first} approved")
    with site.registry.sessions() as session:
        permit = session.execute(select(BoatLandingPermit).where(
            BoatLandingPermit.application_id == first)).scalar_one()
        statuses = {row.id: row.status for row in session.execute(
            select(I68Application.id, I68Application.status))}
    assert (statuses[first], statuses[second]) == ("approved", "denied")

    page.goto("/i68/queue?status=approved")
    section = page.locator(f'[data-application="{first}"]')
    section.get_by_label(f"Reason for revoking permit {permit.number}").fill(
        "Landed merchandise.")
    section.get_by_role("button", name="Revoke the permit").click()
    expect(page.get_by_role("status")).to_contain_text(f"Permit {permit.number} revoked")
    with site.registry.sessions() as session:
        revoked = session.execute(select(BoatLandingPermit.revoked_on).where(
            BoatLandingPermit.number == permit.number)).scalar_one()
    assert revoked is not None
    actions = audit_actions(site.registry, "director")
    for action in ("i68.queue_read", "i68.decide", "i68.permit_issue", "i68.revoke"):
        assert action in actions


def test_an_empty_application_shows_every_problem_at_once_and_offers_the_program_s_ports(
        page: Page, site: LiveSite) -> None:
    """Issue 15: the port list offered all ports of entry, an empty form showed one error
    at a time, and a UK citizen was found eligible."""
    before = count(site.registry, I68Application)
    sign_in(page, "primary")
    page.goto("/i68/apply")
    offered = page.locator("#f-port_code option").all_inner_texts()
    assert any("BLAINE" in o for o in offered)
    assert not any("SAN YSIDRO" in o or "(JFK," in o for o in offered)
    page.get_by_label("Filed on").fill("")
    page.get_by_role("button", name="File the application").click()
    for field in ("port_code", "filed_on", "m0_surname", "m0_date_of_birth"):
        expect(page.locator(f"#f-{field}-error")).to_be_visible()
    page.get_by_label("Port where the application is filed").select_option("BLAINE")
    page.get_by_label("Filed on").fill("2010-05-01")
    page.locator("#f-m0_surname").fill("SMITH")
    page.locator("#f-m0_date_of_birth").fill("1970-01-01")
    page.locator("#f-m0_citizenships").fill("GBR")
    page.get_by_role("button", name="File the application").click()
    expect(page.locator("#f-m0_citizenships-error")).to_contain_text("GBR is none of these")
    assert count(site.registry, I68Application) == before
    choose(page, "Permanent resident of Canada (landed immigrant)")
    page.get_by_role("button", name="File the application").click()
    expect(page.get_by_role("heading", name="Application filed")).to_be_visible()
