"""Storage plumbing: engines, the unit of work, migrations, the audit trail, idempotency."""
