"""Carrier boarding checks (issue 17, EES Art. 13).

Placeholder in the revision chain, filled by the change that builds the feature.

Revision ID: 0008_issue17_carriers
Revises: 0007_issue17_traveller_days
Create Date: 2026-12-03
"""

from __future__ import annotations

revision = "0008_issue17_carriers"
down_revision = "0007_issue17_traveller_days"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet."""


def downgrade() -> None:
    """Nothing yet."""
