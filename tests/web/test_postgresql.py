"""The main flows again, with the server on a real PostgreSQL database: inspection,
registration, departure, the compliance queue and I-68.

The database is made for this module on the server ``NSEERS_TEST_POSTGRES_URL`` names
(default: postgres on 127.0.0.1:5432) and dropped afterwards. Where no server answers the
module is skipped with a message saying how to run it, except in CI (``CI`` set), where an
unreachable server fails the run, as in the registry's integration tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from integration.conftest import scratch_postgres_database
from nseers.rules.engine import Engine
from web import test_compliance, test_departure, test_i68, test_inspection
from web.conftest import LiveSite, live_site

# The same tests, collected here again, run against this module's PostgreSQL server.
test_on_postgresql_primary_inspection_admits = (
    test_inspection.test_primary_inspection_reads_the_mrz_shows_cited_determinations_and_admits)
test_on_postgresql_a_double_submit_records_once = (
    test_inspection.test_a_form_submitted_twice_records_the_inspection_once)
test_on_postgresql_secondary_inspection_registers = (
    test_inspection.test_secondary_inspection_registers_with_biometrics_and_prints_the_annotation)
test_on_postgresql_the_departure_desk_checks_then_records = (
    test_departure.test_the_desk_shows_compliance_for_the_port_and_day_before_recording_the_departure)
test_on_postgresql_a_family_files_an_i68 = (
    test_i68.test_a_family_files_an_i68_with_evidence_and_sees_the_fee_in_force)
test_on_postgresql_the_compliance_queue_lists_and_clears_a_report = (
    test_compliance.test_the_queue_lists_a_report_due_then_overdue_and_an_interview_clears_it)
test_on_postgresql_a_call_in_notice_joins_the_queue = (
    test_compliance
    .test_a_call_in_notice_is_issued_with_the_notice_the_law_requires_and_joins_the_queue)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, engine: Engine) -> Iterator[LiveSite]:
    directory: Path = tmp_path_factory.mktemp("web-postgresql")
    with scratch_postgres_database("nseers_web_test") as url:
        yield from live_site(url, directory, engine)
