"""The audit trail against an insider with write access to the database (issue 16).

The insider drops the triggers, rewrites an entry, recomputes every later link with plain
SHA-256 (all the database tells them) and moves the head: the keyed chain catches it. The
insider who cuts the tail and moves the head back, or re-labels the chain as unkeyed, is
caught by the signed checkpoints kept outside the database.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import select, text

from integration.helpers import AUDITOR, PRIMARY, SECONDARY, iranian, visitor
from nseers.db.anchor import read_checkpoints
from nseers.db.audit import HASHED, AuditEntry, entry_hash
from nseers.db.migrate import upgrade
from nseers.services.audit import checkpoint_audit, verify_audit
from nseers.services.context import Registry
from nseers.services.movements import inspect_arrival

KEY = b"a real audit key, kept outside the database!"


@pytest.fixture
def keyed(registry: Registry, tmp_path: Path) -> Registry:
    return Registry(database=registry.database, rules=registry.rules, clock=registry.clock,
                    audit_key=KEY, audit_checkpoints=tmp_path / "checkpoints.jsonl")


def _tamper(registry: Registry, *statements: tuple[str, dict[str, Any]]) -> None:
    with registry.database.begin() as connection:
        if registry.dialect == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            connection.execute(text("DROP TRIGGER IF EXISTS audit_entries_no_update"))
            connection.execute(text("DROP TRIGGER IF EXISTS audit_entries_no_delete"))
        for statement, values in statements:
            connection.execute(text(statement), values)


def _plain_rechain(registry: Registry, rewritten_seq: int) -> None:
    """Rewrite an entry's actor and recompute all later links as plain SHA-256, then move
    the head: what verified as intact before the chain was keyed."""
    with registry.sessions() as session:
        entries = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()
        rows = [{name: getattr(e, name) for name in HASHED} | {"prev_hash": e.prev_hash}
                for e in entries]
    statements = []
    prev = rows[rewritten_seq - 1]["prev_hash"]
    for row in rows[rewritten_seq - 1:]:
        if row["seq"] == rewritten_seq:
            row["actor"] = "someone else"
        canonical = orjson.dumps([[row[name] for name in HASHED], prev],
                                 option=orjson.OPT_SORT_KEYS, default=str)
        digest = hashlib.sha256(canonical).hexdigest()
        statements.append((("UPDATE audit_entries SET actor = :actor, prev_hash = :prev, "
                           "hash = :hash WHERE seq = :seq"),
                           {"actor": row["actor"], "prev": prev, "hash": digest,
                            "seq": row["seq"]}))
        prev = digest
    statements.append(("UPDATE audit_head SET hash = :hash", {"hash": prev}))
    _tamper(registry, *statements)


def _activity(registry: Registry) -> None:
    inspect_arrival(registry, SECONDARY, iranian())
    for number in ("V1", "V2", "V3"):
        inspect_arrival(registry, PRIMARY, visitor(number))


def test_an_insider_who_recomputes_the_plain_hashes_and_moves_the_head_is_caught(
        keyed: Registry) -> None:
    _activity(keyed)
    assert verify_audit(keyed, AUDITOR).intact
    _plain_rechain(keyed, 2)
    report = verify_audit(keyed, AUDITOR)
    assert not report.intact
    assert report.problems[0].seq == 2
    assert "altered" in report.problems[0].message


def test_a_chain_checked_with_another_key_does_not_verify(keyed: Registry) -> None:
    _activity(keyed)
    stranger = replace(keyed, audit_key=b"not the key the chain was written with!!")
    assert not verify_audit(stranger, AUDITOR).intact


def test_an_insider_who_cuts_the_tail_and_moves_the_head_back_is_caught_by_the_checkpoint(
        keyed: Registry) -> None:
    _activity(keyed)
    checkpoint = checkpoint_audit(keyed, AUDITOR)
    assert verify_audit(keyed, AUDITOR).anchored
    with keyed.sessions() as session:
        kept = session.execute(select(AuditEntry).where(AuditEntry.seq == 3)).scalar_one()
    _tamper(keyed, ("DELETE FROM audit_entries WHERE seq > 3", {}),
            ("UPDATE audit_head SET seq = 3, hash = :hash", {"hash": kept.hash}))
    report = verify_audit(keyed, AUDITOR)
    assert not report.intact
    assert any(p.seq == checkpoint.seq and "checkpoint" in p.message for p in report.problems)


def test_an_insider_who_relabels_the_chain_as_unkeyed_is_caught_by_the_checkpoint(
        keyed: Registry) -> None:
    _activity(keyed)
    checkpoint_audit(keyed, AUDITOR)
    _tamper(keyed, ("UPDATE audit_head SET keyed_from = 1000000", {}))
    _plain_rechain(keyed, 2)
    report = verify_audit(keyed, AUDITOR)
    assert not report.intact
    assert any("checkpoint" in p.message for p in report.problems)


def test_an_altered_checkpoint_file_is_reported(keyed: Registry) -> None:
    _activity(keyed)
    checkpoint_audit(keyed, AUDITOR)
    assert keyed.audit_checkpoints is not None
    path = keyed.audit_checkpoints
    assert len(read_checkpoints(path, KEY)) == 1
    path.write_text(path.read_text().replace('"seq":', '"seq":1', 1))
    report = verify_audit(keyed, AUDITOR)
    assert not report.intact
    assert "signature" in report.problems[0].message or "not a checkpoint" in \
        report.problems[0].message


def test_entries_written_before_the_keyed_chain_still_verify(tmp_path: Path,
                                                             keyed: Registry) -> None:
    """The migration path: a chain from before revision 0005_issue16 keeps its plain links."""
    if keyed.dialect != "sqlite":
        pytest.skip("one database is enough to show the upgrade")
    from nseers.db.engine import create_database_engine  # noqa: PLC0415
    database = create_database_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        upgrade(database, "0002")
        old = Registry(database=database, rules=keyed.rules, clock=keyed.clock)
        with database.begin() as connection:
            row = {"seq": 1, "at": keyed.clock(), "actor": "old", "role": "auditor",
                   "purpose": "p", "action": "audit.read", "subject": "s",
                   "person_id": None, "detail": {}}
            digest = entry_hash(row, "0" * 64)
            connection.execute(text(
                "INSERT INTO audit_entries (seq, at, actor, role, purpose, action, subject, "
                "person_id, detail, prev_hash, hash) VALUES (1, :at, 'old', 'auditor', 'p', "
                "'audit.read', 's', NULL, '{}', :prev, :hash)"),
                {"at": keyed.clock().replace(tzinfo=None), "prev": "0" * 64, "hash": digest})
            connection.execute(text("UPDATE audit_head SET seq = 1, hash = :h"), {"h": digest})
        upgrade(database)
        new = replace(old, audit_key=KEY, audit_checkpoints=tmp_path / "c.jsonl")
        inspect_arrival(new, PRIMARY, visitor())
        report = verify_audit(new, AUDITOR)
        assert report.intact, report.problems
        assert report.keyed_from == 2
    finally:
        database.dispose()


def test_idempotency_keys_past_their_retention_are_purged(registry: Registry) -> None:
    from datetime import timedelta  # noqa: PLC0415

    from nseers.core.actors import Actor, Role  # noqa: PLC0415
    from nseers.db.idempotency import IdempotencyKey  # noqa: PLC0415
    from nseers.services.retention import purge_idempotency_keys  # noqa: PLC0415
    now = registry.clock()
    with registry.sessions() as session:
        for key, age in (("old", 31), ("recent", 1)):
            session.add(IdempotencyKey(scope="p", key=key, operation="arrival",
                                       request_hash="0" * 64, response={},
                                       created_at=now - timedelta(days=age)))
        session.commit()
    admin = Actor("admin", Role.ADMINISTRATOR, "retention")
    assert purge_idempotency_keys(registry, admin) == 1
    with registry.sessions() as session:
        assert [k.key for k in session.execute(select(IdempotencyKey)).scalars()] == ["recent"]
