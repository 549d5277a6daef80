"""The registry's first schema: persons, documents, encounters, registrations and their
obligations, call-ins, waivers, violations, I-94 and I-68 records, idempotency keys and the
hash-chained audit trail (with triggers that keep it append-only).

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
GENESIS_HASH = "0" * 64

SQLITE_APPEND_ONLY = [
    """CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    """CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
]
POSTGRESQL_APPEND_ONLY = [
    """CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$""",
    """CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries
       FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()""",
    """CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
       FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()""",
]


def upgrade() -> None:
    op.create_table(
        "audit_entries",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=80), nullable=False),
        sa.Column("subject", sa.String(length=120), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=True),
        sa.Column("detail", JSON_DOCUMENT, nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_entries")),
    )
    op.create_index(op.f("ix_audit_entries_action"), "audit_entries", ["action"], unique=False)
    op.create_index(
        op.f("ix_audit_entries_person_id"), "audit_entries", ["person_id"], unique=False
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("scope", sa.String(length=120), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("operation", sa.String(length=80), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("response", JSON_DOCUMENT, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_idempotency_keys")),
    )
    op.create_table(
        "persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("surname", sa.String(length=200), nullable=False),
        sa.Column("given_names", sa.String(length=200), nullable=False),
        sa.Column("surname_original", sa.String(length=200), nullable=True),
        sa.Column("given_names_original", sa.String(length=200), nullable=True),
        sa.Column("script", sa.String(length=4), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persons")),
    )
    op.create_index(op.f("ix_persons_date_of_birth"), "persons", ["date_of_birth"], unique=False)
    op.create_table(
        "i68_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("principal_person_id", sa.Integer(), nullable=False),
        sa.Column("port_code", sa.String(length=40), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("filed_by", sa.String(length=120), nullable=False),
        sa.Column("fee_usd", sa.Integer(), nullable=False),
        sa.Column("evidence", JSON_DOCUMENT, nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decision_reasons", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["principal_person_id"],
            ["persons.id"],
            name=op.f("fk_i68_applications_principal_person_id_persons"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_i68_applications")),
    )
    op.create_index(
        op.f("ix_i68_applications_principal_person_id"),
        "i68_applications",
        ["principal_person_id"],
        unique=False,
    )
    op.create_table(
        "person_citizenships",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_person_citizenships_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("person_id", "country", name=op.f("pk_person_citizenships")),
    )
    op.create_table(
        "person_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("surname", sa.String(length=200), nullable=False),
        sa.Column("given_names", sa.String(length=200), nullable=False),
        sa.Column("surname_key", sa.String(length=200), nullable=False),
        sa.Column("given_names_key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_person_names_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_names")),
    )
    op.create_index(op.f("ix_person_names_person_id"), "person_names", ["person_id"], unique=False)
    op.create_index("ix_person_names_surname_key", "person_names", ["surname_key"], unique=False)
    op.create_table(
        "travel_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("issuing_state", sa.String(length=3), nullable=False),
        sa.Column("admission_class", sa.String(length=10), nullable=True),
        sa.Column("passport_type", sa.String(length=12), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("is_machine_read", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_travel_documents_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_travel_documents")),
        sa.UniqueConstraint(
            "kind",
            "issuing_state",
            "number",
            name=op.f("uq_travel_documents_kind_issuing_state_number"),
        ),
    )
    op.create_index("ix_travel_documents_number", "travel_documents", ["number"], unique=False)
    op.create_index(
        op.f("ix_travel_documents_person_id"), "travel_documents", ["person_id"], unique=False
    )
    op.create_table(
        "boat_landing_permits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("principal_person_id", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("conditions", JSON_DOCUMENT, nullable=False),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("revoked_by", sa.String(length=120), nullable=True),
        sa.Column("revocation_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["i68_applications.id"],
            name=op.f("fk_boat_landing_permits_application_id_i68_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["principal_person_id"],
            ["persons.id"],
            name=op.f("fk_boat_landing_permits_principal_person_id_persons"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_boat_landing_permits")),
        sa.UniqueConstraint("application_id", name=op.f("uq_boat_landing_permits_application_id")),
        sa.UniqueConstraint("number", name=op.f("uq_boat_landing_permits_number")),
    )
    op.create_index(
        op.f("ix_boat_landing_permits_principal_person_id"),
        "boat_landing_permits",
        ["principal_person_id"],
        unique=False,
    )
    op.create_table(
        "encounters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("port_code", sa.String(length=40), nullable=False),
        sa.Column("mode", sa.String(length=4), nullable=True),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("officer", sa.String(length=120), nullable=False),
        sa.Column("admission_class", sa.String(length=10), nullable=True),
        sa.Column("admit_until", sa.Date(), nullable=True),
        sa.Column("duration_of_status", sa.Boolean(), nullable=False),
        sa.Column("refusal_reason", sa.Text(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("policy_version", sa.String(length=80), nullable=False),
        sa.Column("determinations", JSON_DOCUMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["travel_documents.id"],
            name=op.f("fk_encounters_document_id_travel_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_encounters_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_encounters")),
    )
    op.create_index(
        "ix_encounters_person_time", "encounters", ["person_id", "occurred_at"], unique=False
    )
    op.create_index(
        "ix_encounters_port_day", "encounters", ["port_code", "occurred_on"], unique=False
    )
    op.create_table(
        "i68_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("relationship", sa.String(length=24), nullable=False),
        sa.Column("married", sa.Boolean(), nullable=False),
        sa.Column("same_address", sa.Boolean(), nullable=False),
        sa.Column("eligible", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("needs_photo_id", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["i68_applications.id"],
            name=op.f("fk_i68_members_application_id_i68_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_i68_members_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_i68_members")),
    )
    op.create_index(
        op.f("ix_i68_members_application_id"), "i68_members", ["application_id"], unique=False
    )
    op.create_index(op.f("ix_i68_members_person_id"), "i68_members", ["person_id"], unique=False)
    op.create_table(
        "i94_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=11), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("encounter_id", sa.Integer(), nullable=False),
        sa.Column("admission_class", sa.String(length=10), nullable=True),
        sa.Column("port_code", sa.String(length=40), nullable=False),
        sa.Column("admitted_on", sa.Date(), nullable=False),
        sa.Column("admit_until", sa.Date(), nullable=True),
        sa.Column("duration_of_status", sa.Boolean(), nullable=False),
        sa.Column("multiple_entry", sa.Boolean(), nullable=False),
        sa.Column("land_border_fee_usd", sa.Integer(), nullable=True),
        sa.Column("parole", sa.Boolean(), nullable=False),
        sa.Column("surrendered_on", sa.Date(), nullable=True),
        sa.Column("surrender_encounter_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["encounter_id"], ["encounters.id"], name=op.f("fk_i94_records_encounter_id_encounters")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_i94_records_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["surrender_encounter_id"],
            ["encounters.id"],
            name=op.f("fk_i94_records_surrender_encounter_id_encounters"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_i94_records")),
        sa.UniqueConstraint("encounter_id", name=op.f("uq_i94_records_encounter_id")),
        sa.UniqueConstraint("number", name=op.f("uq_i94_records_number")),
    )
    op.create_index(op.f("ix_i94_records_person_id"), "i94_records", ["person_id"], unique=False)
    op.create_table(
        "special_registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fin", sa.String(length=16), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("route", sa.String(length=16), nullable=False),
        sa.Column("basis", sa.String(length=30), nullable=False),
        sa.Column("grounds", JSON_DOCUMENT, nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=120), nullable=False),
        sa.Column("encounter_id", sa.Integer(), nullable=True),
        sa.Column("call_in_group", sa.Integer(), nullable=True),
        sa.Column("timeliness", sa.String(length=20), nullable=True),
        sa.Column("admission_class", sa.String(length=10), nullable=True),
        sa.Column("photograph_ref", sa.String(length=300), nullable=True),
        sa.Column("fingerprints_ref", sa.String(length=300), nullable=True),
        sa.Column("us_address", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("itinerary", sa.Text(), nullable=True),
        sa.Column("employer_or_school", sa.Text(), nullable=True),
        sa.Column("officer", sa.String(length=120), nullable=False),
        sa.Column("policy_version", sa.String(length=80), nullable=False),
        sa.Column("reasons", JSON_DOCUMENT, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["encounter_id"],
            ["encounters.id"],
            name=op.f("fk_special_registrations_encounter_id_encounters"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_special_registrations_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_special_registrations")),
        sa.UniqueConstraint("encounter_id", name=op.f("uq_special_registrations_encounter_id")),
        sa.UniqueConstraint("fin", name=op.f("uq_special_registrations_fin")),
        sa.UniqueConstraint(
            "person_id",
            "call_in_group",
            name=op.f("uq_special_registrations_person_id_call_in_group"),
        ),
    )
    op.create_index(
        op.f("ix_special_registrations_person_id"),
        "special_registrations",
        ["person_id"],
        unique=False,
    )
    op.create_table(
        "call_in_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("appear_by", sa.Date(), nullable=False),
        sa.Column("notice_days", sa.Integer(), nullable=False),
        sa.Column("office", sa.String(length=200), nullable=False),
        sa.Column("issued_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_call_in_notices_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["special_registrations.id"],
            name=op.f("fk_call_in_notices_registration_id_special_registrations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_in_notices")),
    )
    op.create_index(
        op.f("ix_call_in_notices_person_id"), "call_in_notices", ["person_id"], unique=False
    )
    op.create_table(
        "change_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("new_value", sa.Text(), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("form", sa.String(length=20), nullable=False),
        sa.Column("via_sevis", sa.Boolean(), nullable=False),
        sa.Column("on_time", sa.Boolean(), nullable=False),
        sa.Column("reasons", JSON_DOCUMENT, nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_change_notices_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["special_registrations.id"],
            name=op.f("fk_change_notices_registration_id_special_registrations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_notices")),
    )
    op.create_index(
        op.f("ix_change_notices_person_id"), "change_notices", ["person_id"], unique=False
    )
    op.create_table(
        "obligations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=True),
        sa.Column("window_end", sa.Date(), nullable=True),
        sa.Column("reasons", JSON_DOCUMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_obligations_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["special_registrations.id"],
            name=op.f("fk_obligations_registration_id_special_registrations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_obligations")),
        sa.UniqueConstraint(
            "registration_id",
            "kind",
            "sequence",
            name=op.f("uq_obligations_registration_id_kind_sequence"),
        ),
    )
    op.create_index("ix_obligations_due", "obligations", ["status", "window_end"], unique=False)
    op.create_index(op.f("ix_obligations_person_id"), "obligations", ["person_id"], unique=False)
    op.create_index(
        op.f("ix_obligations_registration_id"), "obligations", ["registration_id"], unique=False
    )
    op.create_table(
        "interviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("officer", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["call_in_notices.id"],
            name=op.f("fk_interviews_notice_id_call_in_notices"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_interviews_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["special_registrations.id"],
            name=op.f("fk_interviews_registration_id_special_registrations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interviews")),
        sa.UniqueConstraint("notice_id", name=op.f("uq_interviews_notice_id")),
    )
    op.create_index(op.f("ix_interviews_person_id"), "interviews", ["person_id"], unique=False)
    op.create_index(
        op.f("ix_interviews_registration_id"), "interviews", ["registration_id"], unique=False
    )
    op.create_table(
        "violations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("obligation_id", sa.Integer(), nullable=True),
        sa.Column("encounter_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("reasons", JSON_DOCUMENT, nullable=False),
        sa.Column("willfulness", sa.String(length=12), nullable=False),
        sa.Column("assessment", sa.Text(), nullable=True),
        sa.Column("assessed_by", sa.String(length=120), nullable=True),
        sa.Column("assessed_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["encounter_id"], ["encounters.id"], name=op.f("fk_violations_encounter_id_encounters")
        ),
        sa.ForeignKeyConstraint(
            ["obligation_id"],
            ["obligations.id"],
            name=op.f("fk_violations_obligation_id_obligations"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_violations_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["special_registrations.id"],
            name=op.f("fk_violations_registration_id_special_registrations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_violations")),
    )
    op.create_index(op.f("ix_violations_person_id"), "violations", ["person_id"], unique=False)
    op.create_table(
        "waiver_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("obligation_id", sa.Integer(), nullable=False),
        sa.Column("grounds", sa.Text(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("requested_by", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decision_reasons", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["obligation_id"],
            ["obligations.id"],
            name=op.f("fk_waiver_requests_obligation_id_obligations"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_waiver_requests_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["special_registrations.id"],
            name=op.f("fk_waiver_requests_registration_id_special_registrations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waiver_requests")),
    )
    op.create_index(
        op.f("ix_waiver_requests_person_id"), "waiver_requests", ["person_id"], unique=False
    )
    op.create_table(
        "number_sequences",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("next_value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_number_sequences")),
    )
    op.bulk_insert(
        sa.table(
            "number_sequences", sa.column("name", sa.String), sa.column("next_value", sa.BigInteger)
        ),
        [{"name": name, "next_value": 1} for name in ("fin", "i94", "permit")],
    )
    op.bulk_insert(
        sa.table(
            "audit_head",
            sa.column("id", sa.Integer),
            sa.column("seq", sa.BigInteger),
            sa.column("hash", sa.String),
            sa.column("note", sa.Text),
        ),
        [{"id": 1, "seq": 0, "hash": GENESIS_HASH, "note": "genesis"}],
    )
    if op.get_bind().dialect.name == "postgresql":
        for sequence in ("fin_numbers", "i94_numbers", "permit_numbers"):
            op.execute(f"CREATE SEQUENCE {sequence} START 1")
    statements = (
        POSTGRESQL_APPEND_ONLY if op.get_bind().dialect.name == "postgresql" else SQLITE_APPEND_ONLY
    )
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError(
        "the registry's first schema is not downgraded: it holds the "
        "audit trail, which is never deleted"
    )
