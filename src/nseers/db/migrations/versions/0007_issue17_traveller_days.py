"""The traveller's own days: one-time codes and reminders (issue 17).

Placeholder in the revision chain, filled by the change that builds the feature.

Revision ID: 0007_issue17_traveller_days
Revises: 0006_issue17_refusals
Create Date: 2026-12-03
"""

from __future__ import annotations

revision = "0007_issue17_traveller_days"
down_revision = "0006_issue17_refusals"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet."""


def downgrade() -> None:
    """Nothing yet."""
