"""JSON Lines from a file, handed to ``nseers evaluate``'s workers as byte spans (issue 18).

With workers, the printing process used to read every line, decode it, and send each chunk
of a thousand lines to a worker through a pipe (pickled, written, read, unpickled). On
20,000 cases that was a tenth of a second of the printing process's time, taken from the
same two cores the workers run on, and it made two workers slower than two independent
processes each given half of the file. When the input is a file, the printing process now
only finds where lines end and counts them (in C, ``bytes.count``), and sends each worker
the place of its lines in the file; the worker reads and decodes them itself.

A span is sent this way only when each of its lines is plainly a case's line: it begins
with ``{`` and the span holds no carriage return (which the text layer's universal
newlines would translate). Any other span (a blank line, leading space, a byte-order mark,
``\\r\\n`` line ends) is decoded here and sent as lines, exactly as the text layer reads
them, so the cases, their numbers and every message stay those of the one-process path.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from nseers.core.errors import FieldProblem, InvalidInputError

#: Bytes of input per span: about as many cases as a chunk of lines (``stream.CHUNK``).
SPAN: Final = 1 << 19


@dataclass(slots=True)
class Span:
    """``data``, the bytes at ``offset`` of the input file: ``count`` whole lines, each the
    line of one case (no blank line among them)."""

    offset: int
    data: bytes
    count: int


def plain(data: bytes) -> bool:
    """Whether every line of ``data`` begins with ``{`` and none holds a carriage return:
    then its lines are its cases, and decoding it and splitting it at ``\\n`` gives the
    very lines the text layer would."""
    if not data.startswith(b"{") or b"\r" in data:
        return False
    ends = data.count(b"\n")
    return data.count(b"\n{") == (ends - 1 if data.endswith(b"\n") else ends)


def line_count(data: bytes) -> int:
    """The lines of ``data``, a plain span (the last may lack its line end)."""
    return data.count(b"\n") + (not data.endswith(b"\n"))


def pieces(path: str) -> Iterator[Span | list[str]]:
    """The file at ``path`` in spans that end at a line end: a :class:`Span` when it is
    :func:`plain`, else its non-blank lines as text (as the text layer reads them)."""
    for offset, data in _spans(path):
        yield (Span(offset, data, line_count(data)) if plain(data)
               else text_lines(data, offset))


def _spans(path: str) -> Iterator[tuple[int, bytes]]:
    """The file at ``path`` in spans of about :data:`SPAN` bytes, each ending at a line
    end (the last at the end of the file), with the offset where each begins."""
    with open(path, "rb") as handle:  # noqa: PTH123 - a plain path string
        offset, rest = 0, b""
        while True:
            block = handle.read(SPAN)
            data = rest + block if rest else block
            if block:
                end = data.rfind(b"\n") + 1
                if not end:  # one line longer than a span: read on
                    rest = data
                    continue
                data, rest = data[:end], data[end:]
            if data:
                yield offset, data
                offset += len(data)
            if not block:
                return


def text_lines(data: bytes, offset: int) -> list[str]:
    """The non-blank lines of ``data`` (at ``offset`` of the file), each with its ``\\n``,
    as iterating a UTF-8 text file with universal newlines gives them."""
    text = decode(data, offset)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    last = lines.pop()
    found = [line + "\n" for line in lines if line.strip()]
    if last.strip():
        found.append(last)
    return found


def decode(data: bytes, offset: int) -> str:
    """``data`` as UTF-8, or an :class:`InvalidInputError` naming the first bad byte by its
    place in the file (``offset`` is where ``data`` begins)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise not_utf8(error, offset + error.start) from None


def not_utf8(error: UnicodeDecodeError, at: int | None) -> InvalidInputError:
    """The problem of input that is not UTF-8 text, at byte ``at`` when it is known."""
    where = f" at byte {at}" if at is not None else ""
    return InvalidInputError([FieldProblem(
        "input", f"not UTF-8 text: {error.reason}{where}")])


def first_bad_byte(path: str) -> int | None:
    """Where the file at ``path`` stops being UTF-8 (``None`` if it is UTF-8 throughout):
    the text layer's own error counts from the start of its last read, not of the file.
    Spans end at a line end, which no character of UTF-8 holds inside it, so each one
    decodes alone."""
    for offset, data in _spans(path):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            return offset + error.start
    return None


def read_span(path: str, offset: int, length: int) -> list[str]:
    """The lines of a :class:`Span`, read from the file by the worker that evaluates them."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        data = os.pread(descriptor, length, offset)
    finally:
        os.close(descriptor)
    lines = decode(data, offset).split("\n")
    last = lines.pop()
    found = [line + "\n" for line in lines]
    if last:
        found.append(last)
    return found


def cut(span: Span, size: int) -> Iterator[Span]:
    """``span`` in pieces of about ``size`` lines, each ending at a line end."""
    data, start = span.data, 0
    while start < len(data):
        end, lines = start, 0
        while lines < size:
            found = data.find(b"\n", end)
            if found < 0:
                end = len(data)
                break
            end, lines = found + 1, lines + 1
        piece = data[start:end]
        yield Span(span.offset + start, piece, line_count(piece))
        start = end
