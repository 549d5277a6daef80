"""Identity merge and split (issue 13): merge requests with their second-person review,
and ``persons.merged_into`` for a record folded into another.

Revision ID: 0013_issue13_identity_merges
Revises: 0012_issue15_fin_per_person
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0013_issue13_identity_merges"
down_revision = "0012_issue15_fin_per_person"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    """Add ``persons.merged_into`` and create ``identity_merges``."""
    with op.batch_alter_table("persons") as batch:
        batch.add_column(sa.Column("merged_into", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_persons_merged_into_persons"), "persons",
                                 ["merged_into"], ["id"])
    op.create_table(
        "identity_merges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survivor_id", sa.Integer(), nullable=False),
        sa.Column("absorbed_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("requested_by", sa.String(length=120), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("moved", JSON_DOCUMENT, nullable=True),
        sa.ForeignKeyConstraint(["survivor_id"], ["persons.id"],
                                name=op.f("fk_identity_merges_survivor_id_persons")),
        sa.ForeignKeyConstraint(["absorbed_id"], ["persons.id"],
                                name=op.f("fk_identity_merges_absorbed_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_merges")),
    )
    op.create_index(op.f("ix_identity_merges_survivor_id"), "identity_merges",
                    ["survivor_id"], unique=False)
    op.create_index(op.f("ix_identity_merges_absorbed_id"), "identity_merges",
                    ["absorbed_id"], unique=False)
    op.create_index("ix_identity_merges_status", "identity_merges", ["status"], unique=False)


def downgrade() -> None:
    """Drop what :func:`upgrade` made."""
    op.drop_table("identity_merges")
    with op.batch_alter_table("persons") as batch:
        batch.drop_constraint(op.f("fk_persons_merged_into_persons"), type_="foreignkey")
        batch.drop_column("merged_into")
