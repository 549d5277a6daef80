"""Enrolled biometrics (issue 13): sealed face and finger templates and images.

Revision ID: 0003_issue13
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_issue13"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "biometric_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=32), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("modality", sa.String(length=10), nullable=False),
        sa.Column("finger_position", sa.Integer(), nullable=True),
        sa.Column("model", sa.String(length=40), nullable=False),
        sa.Column("quality", sa.Float(), nullable=True),
        sa.Column("template_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("image_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("captured_at", sa.DateTime(), nullable=False),
        sa.Column("officer", sa.String(length=120), nullable=False),
        sa.Column("retain_until", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_biometric_records_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_biometric_records")),
        sa.UniqueConstraint("ref", name=op.f("uq_biometric_records_ref")),
    )
    op.create_index(op.f("ix_biometric_records_person_id"), "biometric_records",
                    ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_biometric_records_person_id"), table_name="biometric_records")
    op.drop_table("biometric_records")
