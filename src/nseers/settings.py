"""Settings: where the data lives and which database to use.

Read from a mapping (the process environment by default) so tests pass their own and never
touch the real environment. SQLite in the data directory is the embedded default;
``NSEERS_DATABASE_URL`` names PostgreSQL in production (``postgresql+psycopg://...``).

The audit chain's key (``NSEERS_AUDIT_KEY``, at least 32 bytes; else a key file, by
default ``audit.key`` in the data directory, made on first use) and its checkpoint file
(``NSEERS_AUDIT_CHECKPOINTS``) live outside the database on purpose: see
:mod:`nseers.db.anchor`. So do the database's time limits: a connection that cannot be
made in ``NSEERS_DB_CONNECT_TIMEOUT`` seconds, or a statement that runs past
``NSEERS_DB_STATEMENT_TIMEOUT_MS``, fails instead of hanging a request.

E-mail to travellers (one-time codes, reminders) goes to the SMTP server
``NSEERS_SMTP_HOST`` (port ``NSEERS_SMTP_PORT``) when one is named, else to a file outbox,
one ``.eml`` per message, in ``NSEERS_MAIL_OUTBOX`` (default ``outbox`` in the data
directory); ``NSEERS_MAIL_FROM`` is the sender address.

The entry-exit report's Spark engine (``--engine spark``) runs on the Spark master
``NSEERS_SPARK_MASTER``: ``local[2]`` (two threads in this process) by default, a cluster
URL such as ``spark://host:7077`` in production.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DATABASE_URL_ENV = "NSEERS_DATABASE_URL"
DATA_DIR_ENV = "NSEERS_DATA_DIR"
DEFAULT_DATA_DIR = "data"
AUDIT_KEY_ENV = "NSEERS_AUDIT_KEY"
AUDIT_KEY_FILE_ENV = "NSEERS_AUDIT_KEY_FILE"
AUDIT_CHECKPOINTS_ENV = "NSEERS_AUDIT_CHECKPOINTS"
CONNECT_TIMEOUT_ENV = "NSEERS_DB_CONNECT_TIMEOUT"
STATEMENT_TIMEOUT_ENV = "NSEERS_DB_STATEMENT_TIMEOUT_MS"
MAIL_OUTBOX_ENV = "NSEERS_MAIL_OUTBOX"
SMTP_HOST_ENV = "NSEERS_SMTP_HOST"
SMTP_PORT_ENV = "NSEERS_SMTP_PORT"
MAIL_FROM_ENV = "NSEERS_MAIL_FROM"
BIOMETRIC_KEY_ENV = "NSEERS_BIOMETRIC_KEY"
BIOMETRIC_KEY_FILE_ENV = "NSEERS_BIOMETRIC_KEY_FILE"
SPARK_MASTER_ENV = "NSEERS_SPARK_MASTER"
DEFAULT_SPARK_MASTER = "local[2]"
#: The shortest audit key accepted (HMAC-SHA256 keys shorter than the hash are weak).
MIN_AUDIT_KEY_BYTES = 32


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the registry is stored."""

    data_dir: Path
    database_url: str
    #: The audit key given directly (``None``: read or make :attr:`audit_key_file`).
    audit_key: bytes | None = None
    audit_key_file: Path | None = None
    audit_checkpoints: Path | None = None
    #: Seconds to wait for a database connection.
    connect_timeout: float = 5.0
    #: Milliseconds a statement may run (PostgreSQL); 0 for no limit.
    statement_timeout_ms: int = 30_000
    #: The directory of the file outbox (used when no SMTP server is named).
    mail_outbox: Path | None = None
    #: The SMTP server for e-mail to travellers, if any, and its port.
    smtp_host: str | None = None
    smtp_port: int = 25
    mail_from: str = "nseers@localhost"
    #: The biometric sealing key as given (URL-safe base64; ``None``: read or make
    #: :attr:`biometric_key_file`).
    biometric_key: str | None = None
    biometric_key_file: Path | None = None
    #: The Spark master the entry-exit report's Spark engine runs on.
    spark_master: str = DEFAULT_SPARK_MASTER

    @classmethod
    def from_mapping(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``environ`` (default: the process environment)."""
        env = os.environ if environ is None else environ
        data_dir = Path(env.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)
        url = env.get(DATABASE_URL_ENV) or f"sqlite:///{data_dir / 'nseers.db'}"
        key = env.get(AUDIT_KEY_ENV, "").encode() or None
        if key is not None and len(key) < MIN_AUDIT_KEY_BYTES:
            raise ValueError(f"{AUDIT_KEY_ENV} must be at least {MIN_AUDIT_KEY_BYTES} bytes")
        return cls(data_dir=data_dir, database_url=url, audit_key=key,
                   audit_key_file=Path(env.get(AUDIT_KEY_FILE_ENV) or data_dir / "audit.key"),
                   audit_checkpoints=Path(env.get(AUDIT_CHECKPOINTS_ENV)
                                          or data_dir / "audit-checkpoints.jsonl"),
                   connect_timeout=float(env.get(CONNECT_TIMEOUT_ENV) or 5.0),
                   statement_timeout_ms=int(env.get(STATEMENT_TIMEOUT_ENV) or 30_000),
                   mail_outbox=Path(env.get(MAIL_OUTBOX_ENV) or data_dir / "outbox"),
                   smtp_host=env.get(SMTP_HOST_ENV) or None,
                   smtp_port=int(env.get(SMTP_PORT_ENV) or 25),
                   mail_from=env.get(MAIL_FROM_ENV) or "nseers@localhost",
                   biometric_key=env.get(BIOMETRIC_KEY_ENV) or None,
                   biometric_key_file=Path(env.get(BIOMETRIC_KEY_FILE_ENV)
                                           or data_dir / "biometric.key"),
                   spark_master=env.get(SPARK_MASTER_ENV) or DEFAULT_SPARK_MASTER)

    def resolved_audit_key(self) -> bytes:
        """The audit key: given, or read from the key file (made, owner-only, if missing)."""
        if self.audit_key is not None:
            return self.audit_key
        path = self.audit_key_file or self.data_dir / "audit.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.write(descriptor, secrets.token_hex(32).encode())
            finally:
                os.close(descriptor)
        key = path.read_bytes().strip()
        if len(key) < MIN_AUDIT_KEY_BYTES:
            raise ValueError(f"the audit key file {path} holds fewer than "
                             f"{MIN_AUDIT_KEY_BYTES} bytes")
        return key

    def resolved_biometric_key(self) -> bytes:
        """The biometric sealing key: given, or read from the key file (made, owner-only,
        on first start). A key that is not 32 bytes of URL-safe base64 is refused, naming
        where it came from, rather than sealing under a weak or truncated key."""
        # Imported here: the sealing module is only needed by whoever touches biometrics.
        from nseers.biometrics.sealing import (  # noqa: PLC0415
            SealError,
            format_key,
            new_key,
            parse_key,
        )

        if self.biometric_key is not None:
            where, text = BIOMETRIC_KEY_ENV, self.biometric_key
        else:
            path = self.biometric_key_file or self.data_dir / "biometric.key"
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                try:
                    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                except FileExistsError:  # another worker made it first: use theirs
                    pass
                else:
                    try:
                        os.write(descriptor, format_key(new_key()).encode("ascii"))
                    finally:
                        os.close(descriptor)
            where, text = str(path), path.read_text(encoding="ascii", errors="replace")
        try:
            return parse_key(text)
        except SealError as error:
            raise ValueError(f"{where}: {error}") from None

    @property
    def is_sqlite(self) -> bool:
        """Whether the embedded SQLite store is in use."""
        return self.database_url.startswith("sqlite")
