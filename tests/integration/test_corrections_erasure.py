"""A person's correction requests go with their file when retention erases it (issue 17:
the retention run walks the schema's foreign keys from ``persons``; the requests, their
items and their evidence hang from it). Runs where the retention feature is installed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from integration.helpers import COMPLIANCE, DEPARTURE, SECONDARY, count, departure, iranian
from nseers.core.actors import Actor, Role
from nseers.registry.corrections import CorrectionEvidence, CorrectionItem, CorrectionRequest
from nseers.services.context import Registry
from nseers.services.correction_values import EvidenceIn
from nseers.services.corrections import (
    CorrectionItemIn,
    CorrectionRequestCommand,
    file_correction,
)
from nseers.services.movements import inspect_arrival, record_departure

erasure = pytest.importorskip("nseers.services.erasure")
ADMIN = Actor("admin", Role.ADMINISTRATOR)


def test_erasing_a_file_erases_its_correction_requests_and_their_evidence(
        registry: Registry, tmp_path: Path) -> None:
    registrant = inspect_arrival(registry, SECONDARY, iranian("X7654321"))
    record_departure(registry, DEPARTURE, departure(registrant["fin"], "2003-11-01"))
    file_correction(registry, COMPLIANCE, CorrectionRequestCommand(
        (CorrectionItemIn("person.surname", "AHMADY"),), "Spelt AHMADY in the passport.",
        "Counsel for Mr AHMADI", person_id=registrant["person_id"],
        evidence=(EvidenceIn("passport-page.txt", b"SECRET-EVIDENCE AHMADY"),),
        received_on=date(2025, 12, 1)))
    answer = erasure.run_retention(registry, ADMIN, date(2026, 1, 15), apply=True,
                                   sender=erasure.FileOutbox(tmp_path / "outbox"))
    assert registrant["person_id"] in answer["erased"]
    for model in (CorrectionRequest, CorrectionItem, CorrectionEvidence):
        assert count(registry, model) == 0
    with registry.sessions() as session:
        kept = session.execute(text(
            "SELECT count(*) FROM audit_entries WHERE action = 'retention.erase'")).scalar()
    assert kept == 1
