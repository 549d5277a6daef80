"""Carrier boarding checks (issue 17, EES Art. 13).

No schema of its own: the carrier check reads the registry (documents, persons, names,
citizenships, encounters) and writes only audit entries (``carrier.check``), which the
hash-chained ``audit_log`` already holds. The revision stays in the chain so that the
issue's migrations keep their numbers.

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
    """Nothing to create (see the module's docstring)."""


def downgrade() -> None:
    """Nothing to drop."""
