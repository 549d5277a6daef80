"""Offline port journals forwarded exactly once (issue 17).

Placeholder in the revision chain, filled by the change that builds the feature.

Revision ID: 0011_issue17_offline
Revises: 0010_issue17_retention
Create Date: 2026-12-03
"""

from __future__ import annotations

revision = "0011_issue17_offline"
down_revision = "0010_issue17_retention"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet."""


def downgrade() -> None:
    """Nothing yet."""
