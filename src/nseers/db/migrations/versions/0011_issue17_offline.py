"""Offline port journals forwarded exactly once (issue 17).

``offline_forwards`` keeps one row per journal entry a port workstation forwarded: the
workstation, the entry's place in its chain and its MAC, the original event time, and the
answer given (so a re-sent entry is answered, not recorded again). ``offline_conflicts``
holds what a forward could not merge silently: the same person processed at two ports
while the link was down, for a secondary officer to review.

Revision ID: 0011_issue17_offline
Revises: 0010_issue17_retention
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011_issue17_offline"
down_revision = "0010_issue17_retention"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "offline_forwards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workstation_id", sa.String(length=80), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.Column("previous_mac", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("port_code", sa.String(length=40), nullable=False),
        sa.Column("officer", sa.String(length=120), nullable=False),
        sa.Column("forwarded_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("encounter_id", sa.Integer(), nullable=True),
        sa.Column("answer", JSON_DOCUMENT, nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_offline_forwards_person_id_persons")),
        sa.ForeignKeyConstraint(["encounter_id"], ["encounters.id"],
                                name=op.f("fk_offline_forwards_encounter_id_encounters")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offline_forwards")),
        sa.UniqueConstraint("workstation_id", "sequence",
                            name=op.f("uq_offline_forwards_workstation_id_sequence")),
    )
    op.create_index(op.f("ix_offline_forwards_person_id"), "offline_forwards", ["person_id"],
                    unique=False)
    op.create_table(
        "offline_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("forward_id", sa.Integer(), nullable=False),
        sa.Column("workstation_id", sa.String(length=80), nullable=False),
        sa.Column("port_code", sa.String(length=40), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("other_encounter_id", sa.Integer(), nullable=True),
        sa.Column("other_port_code", sa.String(length=40), nullable=True),
        sa.Column("other_occurred_at", sa.DateTime(), nullable=True),
        sa.Column("other_workstation_id", sa.String(length=80), nullable=True),
        sa.Column("held_arrival", JSON_DOCUMENT, nullable=True),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_by", sa.String(length=120), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_offline_conflicts_person_id_persons")),
        sa.ForeignKeyConstraint(["forward_id"], ["offline_forwards.id"],
                                name=op.f("fk_offline_conflicts_forward_id_offline_forwards")),
        sa.ForeignKeyConstraint(["other_encounter_id"], ["encounters.id"],
                                name=op.f("fk_offline_conflicts_other_encounter_id_encounters")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offline_conflicts")),
    )
    op.create_index(op.f("ix_offline_conflicts_status"), "offline_conflicts", ["status"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_offline_conflicts_status"), table_name="offline_conflicts")
    op.drop_table("offline_conflicts")
    op.drop_index(op.f("ix_offline_forwards_person_id"), table_name="offline_forwards")
    op.drop_table("offline_forwards")
