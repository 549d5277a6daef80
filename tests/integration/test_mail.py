"""The two senders of traveller e-mail: the file outbox (one .eml per message) and SMTP,
the latter against a real SMTP server listening on a socket in the test."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from email import message_from_bytes
from pathlib import Path

import pytest

from integration.smtp_server import smtp_server
from nseers.bootstrap import mail_sender
from nseers.services.mail import FileOutbox, Mail, SmtpSender
from nseers.settings import Settings

AT = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
MAIL = Mail("anne@example.org", "Your code", "Your code is 123456.\n")


def test_the_file_outbox_writes_one_readable_eml_per_message(tmp_path: Path) -> None:
    outbox = FileOutbox(tmp_path / "outbox", "portal@nseers.example")
    first = outbox.send(MAIL, AT)
    second = outbox.send(MAIL, AT)
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 2
    assert first != second
    parsed = message_from_bytes(files[0].read_bytes())
    assert {parsed["To"], parsed["From"], parsed["Subject"]} == {
        "anne@example.org", "portal@nseers.example", "Your code"}
    assert parsed["Message-ID"] in (first, second)
    assert "123456" in parsed.get_payload()
    assert not list((tmp_path / "outbox").glob("*.tmp"))


def test_smtp_hands_the_message_to_the_server() -> None:
    with smtp_server() as mailbox:
        message_id = SmtpSender("127.0.0.1", mailbox.port, "portal@nseers.example").send(
            MAIL, AT)
    [received] = mailbox.messages
    assert received.recipients == ["anne@example.org"]
    assert received.sender == "portal@nseers.example"
    assert received.message["Message-ID"] == message_id
    assert "123456" in received.message.get_payload()


def test_a_refusing_smtp_server_is_an_oserror_naming_it() -> None:
    with smtp_server() as mailbox:
        mailbox.refuse_rcpt = True
        with pytest.raises(OSError, match=f"127.0.0.1:{mailbox.port} refused"):
            SmtpSender("127.0.0.1", mailbox.port).send(MAIL, AT)
    assert mailbox.messages == []


def test_an_unreachable_smtp_server_is_an_oserror() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ConnectionRefusedError):
        SmtpSender("127.0.0.1", port, timeout=2).send(MAIL, AT)


def test_settings_pick_smtp_when_a_host_is_named_else_the_outbox(tmp_path: Path) -> None:
    outbox = mail_sender(Settings.from_mapping({"NSEERS_DATA_DIR": str(tmp_path)}))
    smtp = mail_sender(Settings.from_mapping({"NSEERS_DATA_DIR": str(tmp_path),
                                              "NSEERS_SMTP_HOST": "mail.example",
                                              "NSEERS_SMTP_PORT": "2525"}))
    assert outbox == FileOutbox(tmp_path / "outbox")
    assert smtp == SmtpSender("mail.example", 2525)
