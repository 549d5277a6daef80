"""A FIN per person, not per registration (issue 15: a person had 3-4 FINs).

The Fingerprint Identification Number is how IDENT and NSEERS knew a person: a registrant
registered again on a later arrival kept it. ``special_registrations.fin`` was unique per
row, so each registration drew a new number. The unique constraint becomes an index, and
each person's registrations are given the number of their first one.

Revision ID: 0012_issue15_fin_per_person
Revises: 0011_issue17_offline
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_issue15_fin_per_person"
down_revision = "0011_issue17_offline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("special_registrations") as batch:
        batch.drop_constraint("uq_special_registrations_fin", type_="unique")
        batch.create_index("ix_special_registrations_fin", ["fin"])
    op.execute(sa.text(
        "UPDATE special_registrations SET fin = (SELECT earliest.fin FROM special_registrations "
        "AS earliest WHERE earliest.person_id = special_registrations.person_id "
        "AND earliest.fin IS NOT NULL ORDER BY earliest.registered_on, earliest.id LIMIT 1) "
        "WHERE fin IS NOT NULL"))


def downgrade() -> None:
    # Registrations that share a person's FIN cannot all keep it under a unique constraint.
    with op.batch_alter_table("special_registrations") as batch:
        batch.drop_index("ix_special_registrations_fin")
        batch.create_unique_constraint("uq_special_registrations_fin", ["fin"])
