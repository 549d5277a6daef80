"""Refusals of entry (issue 17, EES Art. 18).

Placeholder in the revision chain, filled by the change that builds the feature.

Revision ID: 0006_issue17_refusals
Revises: 0005_issue16
Create Date: 2026-12-03
"""

from __future__ import annotations

revision = "0006_issue17_refusals"
down_revision = "0005_issue16"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet."""


def downgrade() -> None:
    """Nothing yet."""
