"""Retention, erasure and legal holds (issue 17, EES Art. 34): legal holds, pre-erasure
notices, and the anonymous movement counts kept when a file is erased.

Revision ID: 0010_issue17_retention
Revises: 0009_issue17_corrections
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010_issue17_retention"
down_revision = "0009_issue17_corrections"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    """Create the three tables."""
    op.create_table(
        "legal_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("placed_by", sa.String(length=120), nullable=False),
        sa.Column("placed_at", sa.DateTime(), nullable=False),
        sa.Column("released_by", sa.String(length=120), nullable=True),
        sa.Column("released_at", sa.DateTime(), nullable=True),
        sa.Column("release_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_legal_holds_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_holds")),
    )
    op.create_index(op.f("ix_legal_holds_person_id"), "legal_holds", ["person_id"],
                    unique=False)
    op.create_table(
        "retention_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=80), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("recipients", JSON_DOCUMENT, nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("given_at", sa.DateTime(), nullable=False),
        sa.Column("given_by", sa.String(length=120), nullable=False),
        sa.Column("detail", JSON_DOCUMENT, nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_retention_notices_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_notices")),
        sa.UniqueConstraint("person_id", "rule", "due_on",
                            name=op.f("uq_retention_notices_person_id_rule_due_on")),
    )
    op.create_index(op.f("ix_retention_notices_person_id"), "retention_notices",
                    ["person_id"], unique=False)
    op.create_table(
        "anonymous_movement_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("port_code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("admission_class", sa.String(length=10), nullable=False),
        sa.Column("nationality", sa.String(length=3), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anonymous_movement_counts")),
        sa.UniqueConstraint(
            "month", "port_code", "kind", "admission_class", "nationality",
            name=op.f("uq_anonymous_movement_counts_month_port_code_kind_admission_class_"
                      "nationality")),
    )


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_table("anonymous_movement_counts")
    op.drop_index(op.f("ix_retention_notices_person_id"), table_name="retention_notices")
    op.drop_table("retention_notices")
    op.drop_index(op.f("ix_legal_holds_person_id"), table_name="legal_holds")
    op.drop_table("legal_holds")
