"""Refusals of entry (issue 17, EES Art. 18): the refusal and its coded grounds.

Revision ID: 0006_issue17_refusals
Revises: 0005_issue16
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006_issue17_refusals"
down_revision = "0005_issue16"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    """The ``refusals`` and ``refusal_grounds`` tables."""
    op.create_table(
        "refusals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("encounter_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("port_code", sa.String(length=40), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("officer", sa.String(length=120), nullable=False),
        sa.Column("procedure", sa.String(length=40), nullable=False),
        sa.Column("disposition", sa.String(length=40), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=True),
        sa.Column("policy_version", sa.String(length=80), nullable=False),
        sa.Column("explanation", JSON_DOCUMENT, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_refusals_person_id_persons")),
        sa.ForeignKeyConstraint(["encounter_id"], ["encounters.id"],
                                name=op.f("fk_refusals_encounter_id_encounters")),
        sa.ForeignKeyConstraint(["document_id"], ["travel_documents.id"],
                                name=op.f("fk_refusals_document_id_travel_documents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refusals")),
        sa.UniqueConstraint("encounter_id", name=op.f("uq_refusals_encounter_id")),
    )
    op.create_index("ix_refusals_person_time", "refusals", ["person_id", "occurred_at"],
                    unique=False)
    op.create_index("ix_refusals_port_day", "refusals", ["port_code", "occurred_on"],
                    unique=False)
    op.create_table(
        "refusal_grounds",
        sa.Column("refusal_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("ground", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["refusal_id"], ["refusals.id"],
                                name=op.f("fk_refusal_grounds_refusal_id_refusals")),
        sa.PrimaryKeyConstraint("refusal_id", "position", name=op.f("pk_refusal_grounds")),
    )
    op.create_index("ix_refusal_grounds_ground", "refusal_grounds", ["ground"], unique=False)


def downgrade() -> None:
    """Drop the refusal tables."""
    op.drop_index("ix_refusal_grounds_ground", table_name="refusal_grounds")
    op.drop_table("refusal_grounds")
    op.drop_index("ix_refusals_port_day", table_name="refusals")
    op.drop_index("ix_refusals_person_time", table_name="refusals")
    op.drop_table("refusals")
