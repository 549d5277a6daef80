"""The one place that turns settings into concrete parts: the database, the rules engine,
the mail sender and the biometric vault."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING

from nseers.db.engine import create_database_engine
from nseers.db.migrate import upgrade
from nseers.rules.engine import Engine as RulesEngine
from nseers.rules.policy.store import Policy, default_policy
from nseers.services.context import Registry
from nseers.services.mail import FileOutbox, Sender, SmtpSender
from nseers.settings import Settings

if TYPE_CHECKING:
    from nseers.services.biometrics import BiometricVault


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


def biometric_vault(settings: Settings) -> BiometricVault:
    """The vault the API, the console and the CLI enrol, verify and identify with: the
    matchers (dlib, NBIS; the face models load here, seconds) under the sealing key of
    the settings (``NSEERS_BIOMETRIC_KEY``, else the key file made on first start)."""
    key = settings.resolved_biometric_key()
    # Imported here: numpy, faiss and the matchers are not every command's business.
    from nseers.services.biometrics import BiometricVault  # noqa: PLC0415

    return BiometricVault.with_key(key)


def lazy_biometric_vault(settings: Settings) -> Callable[[], BiometricVault]:
    """:func:`biometric_vault` on first call, the same vault after: the face models take
    seconds and memory, which a server that never enrols should not pay at start."""
    return cache(lambda: biometric_vault(settings))
