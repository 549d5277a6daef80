"""Correction and redress requests (issue 17, EES Art. 35): requests, items, evidence.

Revision ID: 0009_issue17_corrections
Revises: 0008_issue17_carriers
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009_issue17_corrections"
down_revision = "0008_issue17_carriers"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    """The correction requests, their items and their evidence."""
    op.create_table(
        "correction_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("filed_at", sa.DateTime(), nullable=False),
        sa.Column("filed_by", sa.String(length=120), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("requester_name", sa.String(length=300), nullable=False),
        sa.Column("representative_name", sa.String(length=300), nullable=True),
        sa.Column("representative_reference", sa.String(length=120), nullable=True),
        sa.Column("contact", sa.String(length=500), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("acknowledge_by", sa.Date(), nullable=True),
        sa.Column("decide_by", sa.Date(), nullable=True),
        sa.Column("deadline_reasons", JSON_DOCUMENT, nullable=False),
        sa.Column("policy_version", sa.String(length=80), nullable=False),
        sa.Column("acknowledged_on", sa.Date(), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=120), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decision_reasons", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_correction_requests_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction_requests")),
    )
    op.create_index(op.f("ix_correction_requests_person_id"), "correction_requests",
                    ["person_id"], unique=False)
    op.create_index(op.f("ix_correction_requests_status"), "correction_requests",
                    ["status"], unique=False)
    op.create_table(
        "correction_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("record_kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("value_when_filed", sa.String(length=300), nullable=True),
        sa.Column("requested_value", sa.String(length=300), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("value_before", sa.String(length=300), nullable=True),
        sa.Column("value_after", sa.String(length=300), nullable=True),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"], ["correction_requests.id"],
            name=op.f("fk_correction_items_request_id_correction_requests")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction_items")),
    )
    op.create_index(op.f("ix_correction_items_request_id"), "correction_items",
                    ["request_id"], unique=False)
    op.create_table(
        "correction_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("content_type", sa.String(length=80), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"], ["correction_requests.id"],
            name=op.f("fk_correction_evidence_request_id_correction_requests")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction_evidence")),
    )
    op.create_index(op.f("ix_correction_evidence_request_id"), "correction_evidence",
                    ["request_id"], unique=False)


def downgrade() -> None:
    """Drop the three tables, evidence and items first."""
    op.drop_index(op.f("ix_correction_evidence_request_id"), table_name="correction_evidence")
    op.drop_table("correction_evidence")
    op.drop_index(op.f("ix_correction_items_request_id"), table_name="correction_items")
    op.drop_table("correction_items")
    op.drop_index(op.f("ix_correction_requests_status"), table_name="correction_requests")
    op.drop_index(op.f("ix_correction_requests_person_id"), table_name="correction_requests")
    op.drop_table("correction_requests")
