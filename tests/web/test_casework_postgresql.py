"""Issue 17's casework and boarding-check pages again, with the server on a real
PostgreSQL database (see ``test_postgresql.py`` for how the database is made and when the
module is skipped)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from integration.conftest import scratch_postgres_database
from nseers.rules.engine import Engine
from web import test_carrier_page, test_casework
from web.conftest import LiveSite, live_site

# The same tests, collected here again, run against this module's PostgreSQL server.
test_on_postgresql_a_late_call_in_registration_and_its_assessment = (
    test_casework.test_a_late_call_in_registration_is_recorded_and_its_violation_assessed)
test_on_postgresql_a_waiver_requested_and_decided = (
    test_casework.test_a_waiver_is_requested_by_compliance_and_decided_by_the_district_director)
test_on_postgresql_a_carrier_checks_a_passenger_and_a_manifest = (
    test_carrier_page.test_a_carrier_checks_one_passenger_and_then_a_manifest)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, engine: Engine) -> Iterator[LiveSite]:
    directory: Path = tmp_path_factory.mktemp("web-casework-postgresql")
    with scratch_postgres_database("nseers_web_casework_test") as url:
        yield from live_site(url, directory, engine)
