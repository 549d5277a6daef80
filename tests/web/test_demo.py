"""``nseers web demo`` and ``nseers web demo-users``: the demonstration the README starts
with, and the screens over its realistic synthetic population."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect
from sqlalchemy import select
from typer.testing import CliRunner

from nseers.cli import web as web_cli
from nseers.cli.web import DEMO_ACCOUNTS, DEMO_PASSWORD, web_app
from nseers.registry.people import Person
from web.conftest import START, LiveSite, MovableClock, serve
from web.helpers import check_accessibility, screenshot, sign_in


@pytest.fixture(scope="module")
def demo_output() -> list[str]:
    return []


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory,
         demo_output: list[str]) -> Iterator[LiveSite]:
    """What ``make run`` starts: the demonstration loaded, then served (here in a thread)."""
    directory = tmp_path_factory.mktemp("web-demo")
    served: dict[str, Any] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NSEERS_DATA_DIR", str(directory))
        patch.delenv("NSEERS_DATABASE_URL", raising=False)
        patch.setenv("NSEERS_SECRET_KEY", "demo-tests-signing-secret-of-32-bytes")
        patch.setattr(web_cli.uvicorn, "run", lambda app, **options: served.update(
            app=app, **options))
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            web_cli.run_demo("127.0.0.1", 8000)
    demo_output.append(printed.getvalue())
    app: FastAPI = served["app"]
    registry = app.state.nseers_web.registry
    url, server, thread, sock = serve(app)
    try:
        yield LiveSite(url, registry, MovableClock(START), directory)
    finally:
        server.should_exit = True
        thread.join()
        sock.close()
        registry.database.dispose()


@pytest.mark.usefixtures("site")
def test_the_demonstration_prints_its_address_and_a_sign_in_for_every_role(
        demo_output: list[str]) -> None:
    output = demo_output[0]
    assert "nseers is at http://127.0.0.1:8000/" in output
    assert f"password for each: {DEMO_PASSWORD}" in output
    for username, role in DEMO_ACCOUNTS:
        assert f"{username:<11} {role.value}" in output
    assert "400 travellers" in output


def test_the_dashboard_over_the_demonstration_population_is_accessible(page: Page) -> None:
    sign_in(page, "analyst")
    page.goto("/dashboard?from=2003-01-01&to=2003-12-31&first_year=2002&last_year=2012")
    expect(page.get_by_role("table", name="Registrations by basis and route")).to_contain_text(
        "Designated nationality")
    rates = page.get_by_role("table", name="Rates by year")
    expect(rates.get_by_role("row", name="2003")).to_contain_text("%")
    check_accessibility(page)
    screenshot(page, "dashboard")


def test_the_compliance_queue_over_the_demonstration_population_is_accessible(
        page: Page) -> None:
    sign_in(page, "compliance")
    page.goto("/compliance?as_of=2003-10-01")
    expect(page.locator("#queue tbody tr").first).to_be_visible()
    check_accessibility(page)
    screenshot(page, "compliance-queue")
    page.goto("/compliance?as_of=2003-10-01&page=2")
    expect(page.get_by_role("heading", level=1)).to_have_text("Compliance queue")


def test_a_person_of_the_demonstration_is_found_by_a_name_in_its_original_script(
        page: Page, site: LiveSite) -> None:
    with site.registry.sessions() as session:
        original = session.execute(select(Person.surname_original, Person.surname).where(
            Person.surname_original.is_not(None)).limit(1)).one()
    sign_in(page, "primary")
    page.goto("/people")
    page.get_by_label("Name").fill(original.surname_original)
    page.get_by_role("button", name="Search").click()
    expect(page.locator("table").first).to_contain_text(original.surname)


def test_the_demonstration_shows_two_ports_offline_journals_in_conflict(page: Page) -> None:
    sign_in(page, "secondary")
    page.goto("/offline/conflicts")
    expect(page.locator("#workstations tbody tr")).to_have_count(2)
    expect(page.locator("section[id^=conflict-]")).to_have_count(2)


def test_demo_users_makes_one_account_per_role_once(tmp_path: Path) -> None:
    runner = CliRunner()
    environment = {"NSEERS_DATA_DIR": str(tmp_path), "NSEERS_DATABASE_URL": ""}
    first = runner.invoke(web_app, ["demo-users"], env=environment)
    assert first.exit_code == 0, first.output
    for username, _ in DEMO_ACCOUNTS:
        assert username in first.output
    assert "already there" not in first.output
    again = runner.invoke(web_app, ["demo-users"], env=environment)
    assert again.exit_code == 0
    assert again.output.count("already there") == len(DEMO_ACCOUNTS)


def test_demo_users_refuses_a_database_other_than_the_embedded_one(tmp_path: Path) -> None:
    answer = CliRunner().invoke(web_app, ["demo-users"], env={
        "NSEERS_DATA_DIR": str(tmp_path),
        "NSEERS_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    assert answer.exit_code == 2
    assert "only on the embedded SQLite database" in answer.output


def test_the_demonstration_traveller_sees_their_days_with_a_code_from_the_outbox(
        page: Page, site: LiveSite, demo_output: list[str]) -> None:
    import re  # noqa: PLC0415
    from email import message_from_bytes  # noqa: PLC0415 - this test's own needs

    from nseers.demo.traveller_days import TRAVELLER  # noqa: PLC0415

    assert f"passport {TRAVELLER.document_number}" in demo_output[0]
    page.goto("/traveller/days")
    page.get_by_label("Surname").fill(TRAVELLER.surname)
    page.get_by_label("Given names").fill(TRAVELLER.given_names)
    page.get_by_label("Date of birth").fill(TRAVELLER.date_of_birth.isoformat())
    page.get_by_label("Passport number").fill(TRAVELLER.document_number)
    page.get_by_role("button", name="Send me a code").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    [mail] = (site.data_dir / "outbox").glob("*.eml")
    code = re.search(r"\b\d{6}\b", str(message_from_bytes(mail.read_bytes()).get_payload()))
    assert code is not None
    page.get_by_label("Code").fill(code.group(0))
    page.get_by_role("button", name="Show my days").click()
    expect(page.get_by_role("region", name=re.compile(r"I-94 \d+"))).to_contain_text(
        "24 days remaining")
    expect(page.get_by_role("table", name=re.compile("Your I-94 records"))
           .locator("tbody tr")).to_have_count(2)
    check_accessibility(page)


@pytest.mark.usefixtures("site")
def test_the_demonstration_has_correction_requests_with_an_overdue_one_first(
        page: Page, demo_output: list[str]) -> None:
    assert "Correction requests for the director's queue: 3" in demo_output[0]
    sign_in(page, "director")
    page.goto("/corrections")
    rows = page.locator("table.nseers-corrections tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Overdue: acknowledgement, decision")
    check_accessibility(page)
    screenshot(page, "corrections-queue")
    page.goto("/corrections?status=accepted")
    rows.first.get_by_role("link").click()
    page.get_by_role("link", name="The letter to the requester").click()
    expect(page.locator("article.nseers-letter")).to_have_attribute("data-kind", "decision")
