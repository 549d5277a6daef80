"""Watchlist versions with their listed persons and deltas, and screening hits.

Revision ID: 0004_issue14
Revises: 0003_issue13
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004_issue14"
down_revision = "0003_issue13"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "watchlist_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.Column("loaded_by", sa.String(length=120), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("format", sa.String(length=40), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("person_count", sa.Integer(), nullable=False),
        sa.Column("delta", JSON_DOCUMENT, nullable=False),
        sa.Column("problems", JSON_DOCUMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_versions")),
        sa.UniqueConstraint("source", "number",
                            name=op.f("uq_watchlist_versions_source_number")),
    )
    op.create_index(op.f("ix_watchlist_versions_source"), "watchlist_versions", ["source"],
                    unique=False)
    op.create_table(
        "watchlist_persons",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("listed_id", sa.String(length=200), nullable=False),
        sa.Column("data", JSON_DOCUMENT, nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["watchlist_versions.id"],
                                name=op.f("fk_watchlist_persons_version_id_watchlist_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_persons")),
        sa.UniqueConstraint("version_id", "listed_id",
                            name=op.f("uq_watchlist_persons_version_id_listed_id")),
    )
    op.create_index(op.f("ix_watchlist_persons_version_id"), "watchlist_persons",
                    ["version_id"], unique=False)
    op.create_table(
        "screening_hits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_key", sa.String(length=300), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("query", JSON_DOCUMENT, nullable=False),
        sa.Column("listed_id", sa.String(length=200), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("explanation", JSON_DOCUMENT, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("adjudicated_by", sa.String(length=120), nullable=True),
        sa.Column("adjudicated_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_screening_hits_person_id_persons")),
        sa.ForeignKeyConstraint(["version_id"], ["watchlist_versions.id"],
                                name=op.f("fk_screening_hits_version_id_watchlist_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_hits")),
    )
    op.create_index(op.f("ix_screening_hits_person_id"), "screening_hits", ["person_id"],
                    unique=False)
    op.create_index(op.f("ix_screening_hits_status"), "screening_hits", ["status"],
                    unique=False)
    op.create_index(op.f("ix_screening_hits_subject_key"), "screening_hits", ["subject_key"],
                    unique=False)


def downgrade() -> None:
    op.drop_table("screening_hits")
    op.drop_table("watchlist_persons")
    op.drop_table("watchlist_versions")
