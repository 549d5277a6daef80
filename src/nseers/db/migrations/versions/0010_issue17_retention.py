"""Retention, erasure and legal holds (issue 17, EES Art. 34).

Placeholder in the revision chain, filled by the change that builds the feature.

Revision ID: 0010_issue17_retention
Revises: 0009_issue17_corrections
Create Date: 2026-12-03
"""

from __future__ import annotations

revision = "0010_issue17_retention"
down_revision = "0009_issue17_corrections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet."""


def downgrade() -> None:
    """Nothing yet."""
