"""The entry-exit review queue (issue 12): ``linkage_reviews``, one row per pair of feed
records the linkage model is unsure of, with the analyst's decision.

Revision ID: 0015_issue12_linkage_reviews
Revises: 0014_issue13_fin_aliases
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0015_issue12_linkage_reviews"
down_revision = "0014_issue13_fin_aliases"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    """Create ``linkage_reviews``."""
    op.create_table(
        "linkage_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("arrival_record_id", sa.String(length=100), nullable=False),
        sa.Column("departure_record_id", sa.String(length=100), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("comparison_levels", JSON_DOCUMENT, nullable=False),
        sa.Column("arrival", JSON_DOCUMENT, nullable=False),
        sa.Column("departure", JSON_DOCUMENT, nullable=False),
        sa.Column("run", sa.String(length=300), nullable=False),
        sa.Column("snapshot", sa.String(length=300), nullable=True),
        sa.Column("published_by", sa.String(length=120), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("decision", sa.String(length=6), nullable=True),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linkage_reviews")),
        sa.UniqueConstraint("arrival_record_id", "departure_record_id",
                            name=op.f("uq_linkage_reviews_arrival_record_id_departure_record_id")),
    )
    op.create_index("ix_linkage_reviews_decision", "linkage_reviews", ["decision"],
                    unique=False)


def downgrade() -> None:
    """Drop what :func:`upgrade` made."""
    op.drop_table("linkage_reviews")
