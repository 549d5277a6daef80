"""Sessions that end and a keyed audit chain (issue 16).

* ``users.session_version``: every signed token carries the version it was issued under;
  sign-out, a password change, deactivation, a role change and an administrator's "revoke
  all sessions" raise it, and every request compares, so those sessions end at once.
* ``users.totp_last_step``: the last accepted TOTP time step; a code of that step or an
  earlier one is refused (RFC 6238, section 5.2: a second use must be refused).
* ``audit_head.keyed_from``: the first sequence number chained with HMAC-SHA256 under a key
  kept outside the database. Entries written before this revision keep their plain SHA-256
  links (they cannot be re-keyed without rewriting them); the first signed checkpoint
  (``nseers audit checkpoint``) anchors their head outside the database.

Revision ID: 0005_issue16
Revises: 0004_issue14
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_issue16"
down_revision = "0004_issue14"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_version", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("audit_head") as batch:
        batch.add_column(sa.Column("keyed_from", sa.BigInteger(), nullable=True))
    # Entries already chained stay plain SHA-256; the keyed chain starts after them.
    op.execute("UPDATE audit_head SET keyed_from = seq + 1")
    op.create_index("ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_idempotency_keys_created_at", table_name="idempotency_keys")
    with op.batch_alter_table("audit_head") as batch:
        batch.drop_column("keyed_from")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("totp_last_step")
        batch.drop_column("session_version")
