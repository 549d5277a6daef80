"""The audit trail (append-only, hash-chained, verified) and the schema's migrations."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Engine as DatabaseEngine
from sqlalchemy.exc import DatabaseError

from integration.helpers import AUDITOR, PRIMARY, SECONDARY, iranian, visitor
from nseers.core.errors import ForbiddenError
from nseers.db.audit import AuditEntry
from nseers.db.base import Base
from nseers.db.migrate import current_revision, head_revision, upgrade
from nseers.services.audit import audit_log, verify_audit
from nseers.services.context import Registry
from nseers.services.movements import inspect_arrival
from nseers.services.people import show_person


def test_the_migrated_schema_matches_the_models(database: DatabaseEngine) -> None:
    with database.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    assert current_revision(database) == head_revision()
    upgrade(database)  # a second upgrade is a no-op
    assert current_revision(database) == head_revision()


def test_every_entry_names_who_in_which_role_and_why(registry: Registry) -> None:
    arrival = inspect_arrival(registry, SECONDARY, iranian())
    show_person(registry, PRIMARY, arrival["person_id"])
    entries = audit_log(registry, AUDITOR, person_id=arrival["person_id"])
    read = entries[-1]
    assert (read["action"], read["actor"], read["role"], read["purpose"]) == (
        "person.read", "p.officer", "primary_officer", "primary inspection")
    assert read["subject"] == f"person:{arrival['person_id']}"
    assert entries[0]["detail"]["fin"] == arrival["fin"]


def test_an_intact_trail_verifies(registry: Registry) -> None:
    inspect_arrival(registry, SECONDARY, iranian())
    inspect_arrival(registry, PRIMARY, visitor())
    report = verify_audit(registry, AUDITOR)
    assert report.intact
    assert report.entries == 2


def test_only_auditors_read_the_trail(registry: Registry) -> None:
    with pytest.raises(ForbiddenError):
        audit_log(registry, SECONDARY)


def test_the_database_refuses_to_alter_or_delete_an_entry(registry: Registry) -> None:
    inspect_arrival(registry, PRIMARY, visitor())
    for statement in ("UPDATE audit_entries SET actor = 'x'", "DELETE FROM audit_entries"):
        with pytest.raises(DatabaseError, match="append-only"), \
                registry.database.begin() as connection:
            connection.execute(text(statement))
    assert verify_audit(registry, AUDITOR).intact


def _without_triggers(registry: Registry, statement: str) -> None:
    """Tamper as someone who can switch the triggers off would."""
    with registry.database.begin() as connection:
        if registry.dialect == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            connection.execute(text("DROP TRIGGER audit_entries_no_update"))
            connection.execute(text("DROP TRIGGER audit_entries_no_delete"))
        connection.execute(text(statement))


def test_verify_detects_an_altered_entry(registry: Registry) -> None:
    inspect_arrival(registry, SECONDARY, iranian())
    inspect_arrival(registry, PRIMARY, visitor())
    _without_triggers(registry, "UPDATE audit_entries SET actor = 'someone else' WHERE seq = 2")
    report = verify_audit(registry, AUDITOR)
    assert not report.intact
    assert [(p.seq, "altered" in p.message) for p in report.problems] == [(2, True)]


def test_verify_detects_a_deleted_entry_and_a_deleted_tail(registry: Registry) -> None:
    inspect_arrival(registry, SECONDARY, iranian())
    for number in ("V1", "V2", "V3"):
        inspect_arrival(registry, PRIMARY, visitor(number))
    _without_triggers(registry, "DELETE FROM audit_entries WHERE seq IN (2, 4)")
    problems = verify_audit(registry, AUDITOR).problems
    assert any("missing" in p.message and p.seq == 2 for p in problems)
    assert any("deleted" in p.message for p in problems)


def test_a_refused_request_leaves_no_audit_entry(registry: Registry) -> None:
    with pytest.raises(ForbiddenError):
        show_person(registry, AUDITOR, 1)
    with registry.sessions() as session:
        assert session.query(AuditEntry).count() == 0
