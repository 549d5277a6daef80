"""Correction and redress requests (issue 17, EES Art. 35).

Placeholder in the revision chain, filled by the change that builds the feature.

Revision ID: 0009_issue17_corrections
Revises: 0008_issue17_carriers
Create Date: 2026-12-03
"""

from __future__ import annotations

revision = "0009_issue17_corrections"
down_revision = "0008_issue17_carriers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet."""


def downgrade() -> None:
    """Nothing yet."""
