"""The traveller's own days: contacts on record, one-time codes and reminders (issue 17).

Revision ID: 0007_issue17_traveller_days
Revises: 0006_issue17_refusals
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_issue17_traveller_days"
down_revision = "0006_issue17_refusals"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """The contact e-mail per person, the hashed one-time codes, the traveller accounts
    linked to a person, the reminders sent."""
    op.create_table(
        "traveller_contacts",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("captured_on_form", sa.String(length=20), nullable=False),
        sa.Column("captured_at", sa.DateTime(), nullable=False),
        sa.Column("captured_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_traveller_contacts_person_id_persons")),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_traveller_contacts")),
    )
    op.create_table(
        "traveller_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("challenge", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("salt", sa.String(length=32), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_traveller_codes_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_traveller_codes")),
        sa.UniqueConstraint("challenge", name=op.f("uq_traveller_codes_challenge")),
    )
    op.create_index(op.f("ix_traveller_codes_person_id"), "traveller_codes", ["person_id"],
                    unique=False)
    op.create_table(
        "traveller_account_links",
        sa.Column("username", sa.String(length=120), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_traveller_account_links_person_id_persons")),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_traveller_account_links")),
    )
    op.create_index(op.f("ix_traveller_account_links_person_id"), "traveller_account_links",
                    ["person_id"], unique=False)
    op.create_table(
        "traveller_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("i94_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("days_before", sa.Integer(), nullable=False),
        sa.Column("admit_until", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("message_id", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["i94_id"], ["i94_records.id"],
                                name=op.f("fk_traveller_reminders_i94_id_i94_records")),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_traveller_reminders_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_traveller_reminders")),
        sa.UniqueConstraint("i94_id", "days_before",
                            name=op.f("uq_traveller_reminders_i94_id_days_before")),
    )
    op.create_index(op.f("ix_traveller_reminders_i94_id"), "traveller_reminders",
                    ["i94_id"], unique=False)
    op.create_index(op.f("ix_traveller_reminders_person_id"), "traveller_reminders",
                    ["person_id"], unique=False)


def downgrade() -> None:
    """Drop the four tables."""
    op.drop_table("traveller_reminders")
    op.drop_table("traveller_account_links")
    op.drop_table("traveller_codes")
    op.drop_table("traveller_contacts")
