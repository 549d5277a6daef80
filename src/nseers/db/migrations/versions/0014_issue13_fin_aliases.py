"""FINs retired by an identity merge (issue 13): ``fin_aliases`` maps each to the FIN the
merged identity kept, so a lookup by the old FIN still finds the person.

Revision ID: 0014_issue13_fin_aliases
Revises: 0013_issue13_identity_merges
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0014_issue13_fin_aliases"
down_revision = "0013_issue13_identity_merges"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    """Create ``fin_aliases``."""
    op.create_table(
        "fin_aliases",
        sa.Column("retired_fin", sa.String(length=16), nullable=False),
        sa.Column("fin", sa.String(length=16), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("merge_id", sa.Integer(), nullable=False),
        sa.Column("registration_ids", JSON_DOCUMENT, nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_fin_aliases_person_id_persons")),
        sa.ForeignKeyConstraint(["merge_id"], ["identity_merges.id"],
                                name=op.f("fk_fin_aliases_merge_id_identity_merges")),
        sa.PrimaryKeyConstraint("retired_fin", name=op.f("pk_fin_aliases")),
    )
    op.create_index(op.f("ix_fin_aliases_fin"), "fin_aliases", ["fin"], unique=False)
    op.create_index(op.f("ix_fin_aliases_person_id"), "fin_aliases", ["person_id"],
                    unique=False)


def downgrade() -> None:
    """Drop what :func:`upgrade` made."""
    op.drop_table("fin_aliases")
