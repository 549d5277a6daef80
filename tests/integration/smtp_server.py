"""A tiny real SMTP server for the tests (aiosmtpd is not installed and Python 3.12 has no
smtpd): it speaks enough of RFC 5321 for smtplib (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
QUIT) over a real socket, and keeps each message it accepts. ``refuse_rcpt`` makes it
answer 550 to every recipient, as a server that refuses the mail would."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message


@dataclass
class Received:
    """What the server accepted: the envelope and the parsed message."""

    sender: str
    recipients: list[str]
    message: Message


@dataclass
class Mailbox:
    """Every message the server accepted, in order; the port it listens on."""

    port: int = 0
    messages: list[Received] = field(default_factory=list)
    refuse_rcpt: bool = False


class _Handler(socketserver.StreamRequestHandler):
    mailbox: Mailbox

    def _reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self._reply("220 test-smtp ready")
        sender, recipients = "", []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            command = raw.decode().strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self._reply("250-test-smtp")
                self._reply("250 8BITMIME")
            elif verb == "HELO" or verb in ("NOOP", "RSET"):
                self._reply("250 OK")
            elif verb == "MAIL":
                sender = command.partition(":")[2].strip().strip("<>").split()[0]
                self._reply("250 OK")
            elif verb == "RCPT":
                if self.mailbox.refuse_rcpt:
                    self._reply("550 no such mailbox")
                    continue
                recipients.append(command.partition(":")[2].strip().strip("<>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 end with <CRLF>.<CRLF>")
                lines = []
                while (line := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(line[1:] if line.startswith(b"..") else line)
                self.mailbox.messages.append(
                    Received(sender, recipients, message_from_bytes(b"".join(lines))))
                sender, recipients = "", []
                self._reply("250 OK queued")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("502 not implemented")


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    """A server on a free port of 127.0.0.1, running in a thread for the block's length."""
    mailbox = Mailbox()
    handler = type("Handler", (_Handler,), {"mailbox": mailbox})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    mailbox.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield mailbox
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
