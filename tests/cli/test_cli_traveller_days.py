"""``nseers reminders send`` and ``nseers stay`` on an embedded database in a temporary
data directory: the reminder goes to the file outbox once; the calculator explains itself."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from typer.testing import CliRunner

from nseers.bootstrap import open_registry
from nseers.cli.main import app
from nseers.core.actors import Actor, Role
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.movements import ArrivalInspection, inspect_arrival
from nseers.settings import Settings

runner = CliRunner()


def environment(data_dir: Path) -> dict[str, str]:
    return {"NSEERS_DATA_DIR": str(data_dir), "NSEERS_DATABASE_URL": "",
            "NSEERS_SMTP_HOST": "", "NSEERS_MAIL_OUTBOX": ""}


def test_reminders_send_mails_the_traveller_once(tmp_path: Path) -> None:
    env = environment(tmp_path)
    registry = open_registry(Settings.from_mapping(env))
    inspect_arrival(registry, Actor("p", Role.PRIMARY_OFFICER), ArrivalInspection(
        port_code="IAD", occurred_at=datetime(2026, 11, 1, 10, tzinfo=UTC),
        person=PersonFacts(surname="MULLER", given_names="ANNE",
                           date_of_birth=date(1980, 2, 2), sex="F", citizenships=("FRA",)),
        documents=(DocumentFacts("passport", "P1", "FRA"),), admission_class="B2",
        admit_until=date(2027, 1, 31), contact_email="anne@example.org"))
    registry.database.dispose()
    first = runner.invoke(app, ["reminders", "send", "--as-of", "2027-01-24"], env=env)
    assert first.exit_code == 0, first.output
    assert "1 sent" in first.output
    assert "7-day reminder" in first.output
    again = runner.invoke(app, ["reminders", "send", "--as-of", "2027-01-24", "--json"],
                          env=env)
    assert json.loads(again.output)["sent"] == []
    [mail] = (tmp_path / "outbox").glob("*.eml")
    assert "anne@example.org" in mail.read_text()


def test_reminders_send_refuses_a_bad_date_naming_the_option(tmp_path: Path) -> None:
    result = runner.invoke(app, ["reminders", "send", "--as-of", "24/01/2027"],
                           env=environment(tmp_path))
    assert result.exit_code == 2
    assert "--as-of: not a date" in result.output


def test_stay_counts_a_j1_grace_period_and_the_ees_window_day_by_day() -> None:
    result = runner.invoke(app, ["stay", "--as-of", "2026-03-01", "--duration-of-status",
                                 "--class", "J1", "--program-end", "2026-02-15",
                                 "--stay", "2026-02-20:", "--days"])
    assert result.exit_code == 0, result.output
    assert "16 days remaining until 2026-03-17" in result.output
    assert "10 of 90 days used" in result.output
    assert "2026-02-20 counted day of entry" in result.output
    bad = runner.invoke(app, ["stay", "--as-of", "2026-03-01", "--stay",
                              "2026-02-20:2026-02-01"])
    assert bad.exit_code == 1
    assert "stays[0].left_on" in bad.output
