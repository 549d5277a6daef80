"""Sending e-mail to travellers: one-time codes and reminders, behind a ``Sender``.

Two implementations side by side, picked by :mod:`nseers.bootstrap` from settings: a
:class:`FileOutbox` that writes each message as one ``.eml`` file in a directory (the
development default, and what a local mail catcher or a person can read), and an
:class:`SmtpSender` that hands each message to an SMTP server with the standard library's
``smtplib``. Both return the message's ``Message-ID``, which the registry keeps with what
it sent so a message can be traced from the audit trail to the mailbox.
"""

from __future__ import annotations

import os
import smtplib
import tempfile
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Protocol

#: The sender address used when settings name none.
DEFAULT_FROM = "nseers@localhost"


@dataclass(frozen=True, slots=True)
class Mail:
    """One message to one traveller, in plain text."""

    to: str
    subject: str
    body: str


class Sender(Protocol):
    """Delivers a message; returns its ``Message-ID``. Raises ``OSError`` on failure."""

    def send(self, mail: Mail, at: datetime) -> str:
        """Deliver ``mail``, dated ``at``."""
        ...


def compose(mail: Mail, sender: str, at: datetime) -> EmailMessage:
    """The RFC 5322 message of ``mail``, from ``sender``, with a fresh ``Message-ID``."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(at)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message.set_content(mail.body)
    return message


@dataclass(frozen=True, slots=True)
class FileOutbox:
    """Writes each message to ``directory`` as ``<time>-<id>.eml``, atomically."""

    directory: Path
    sender: str = DEFAULT_FROM

    def send(self, mail: Mail, at: datetime) -> str:
        """Write the message; a reader never sees half a file (written, then renamed)."""
        message = compose(mail, self.sender, at)
        self.directory.mkdir(parents=True, exist_ok=True)
        message_id = str(message["Message-ID"])
        stem = f"{at.strftime('%Y%m%dT%H%M%S')}-{message_id.strip('<>').split('@')[0]}"
        descriptor, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(message.as_bytes())
            Path(temporary).replace(self.directory / f"{stem}.eml")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return message_id


@dataclass(frozen=True, slots=True)
class SmtpSender:
    """Hands each message to the SMTP server at ``host``:``port`` (one connection each)."""

    host: str
    port: int = 25
    sender: str = DEFAULT_FROM
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0

    def send(self, mail: Mail, at: datetime) -> str:
        """Send the message; an unreachable or refusing server raises ``OSError``."""
        message = compose(mail, self.sender, at)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as server:
                if self.starttls:
                    server.starttls()
                if self.username is not None:
                    server.login(self.username, self.password or "")
                server.send_message(message)
        except smtplib.SMTPException as error:
            raise OSError(f"the mail server {self.host}:{self.port} refused the message: "
                          f"{error}") from error
        return str(message["Message-ID"])
