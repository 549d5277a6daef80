"""The one place that turns settings into concrete parts: the database and the rules engine."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from nseers.db.engine import create_database_engine
from nseers.db.migrate import upgrade
from nseers.rules.engine import Engine as RulesEngine
from nseers.rules.policy.store import Policy, default_policy
from nseers.services.context import Registry
from nseers.services.mail import FileOutbox, Sender, SmtpSender
from nseers.settings import Settings


def system_clock() -> datetime:
    """The current instant in UTC."""
    return datetime.now(UTC)


def open_registry(settings: Settings | None = None, *, policy: Policy | None = None,
                  migrate: bool = True,
                  environ: Mapping[str, str] | None = None) -> Registry:
    """A registry on the configured database, migrated to the newest schema by default."""
    settings = settings or Settings.from_mapping(environ)
    database = create_database_engine(settings.database_url,
                                      connect_timeout=settings.connect_timeout,
                                      statement_timeout_ms=settings.statement_timeout_ms)
    if migrate:
        upgrade(database)
    return Registry(database=database, rules=RulesEngine(policy or default_policy()),
                    clock=system_clock, audit_key=settings.resolved_audit_key(),
                    audit_checkpoints=settings.audit_checkpoints,
                    sender=mail_sender(settings))


def mail_sender(settings: Settings) -> Sender:
    """The SMTP server where settings name one, else the file outbox of the data dir."""
    if settings.smtp_host:
        return SmtpSender(settings.smtp_host, settings.smtp_port, settings.mail_from)
    return FileOutbox(settings.mail_outbox or settings.data_dir / "outbox",
                      settings.mail_from)
