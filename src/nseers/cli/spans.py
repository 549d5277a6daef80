"""JSON Lines from a file, handed to ``nseers evaluate``'s workers as byte spans (issue 18).

With workers, the printing process used to read every line, decode it, and send each chunk
of a thousand lines to a worker through a pipe (pickled, written, read, unpickled). On
20,000 cases that was a tenth of a second of the printing process's time, taken from the
same two cores the workers run on, and it made two workers slower than two independent
processes each given half of the file. When the input is a file, the printing process now
only finds where the spans end (a line end near every :data:`SPAN` bytes, found by reading
a little there) and sends each worker the place of its span; the worker reads, decodes and
splits it itself, exactly as the text layer reads a UTF-8 file (universal newlines, blank
lines dropped), so the cases are those of the one-process path.

A worker does not know how many cases come before its span, so it numbers them from 0;
a span whose cases hold a fault is read and parsed again by the printing process once the
cases before it are counted (``nseers.cli.stream``), so that every message names the case
as the one-process path does. Faults are rare; a well-formed run never does this.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from nseers.core.errors import FieldProblem, InvalidInputError

#: Bytes of input per span: about as many cases as a chunk of lines (``stream.CHUNK``).
SPAN: Final = 1 << 19
#: Bytes read at a time when looking for a line end.
_LOOK: Final = 1 << 16


@dataclass(frozen=True, slots=True)
class Span:
    """``length`` bytes at ``offset`` of the input file, from a line's start to a line end
    (or the end of the file)."""

    offset: int
    length: int


def spans(path: str) -> Iterator[Span]:
    """The file at ``path`` in spans of about :data:`SPAN` bytes."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        size, offset = os.fstat(descriptor).st_size, 0
        while offset < size:
            end = _line_end(descriptor, offset + SPAN - 1, size)
            yield Span(offset, end - offset)
            offset = end
    finally:
        os.close(descriptor)


def cut(path: str, span: Span, parts: int) -> Iterator[Span]:
    """``span`` in about ``parts`` pieces of a like size, each ending at a line end."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        offset, end = span.offset, span.offset + span.length
        step = max(1, span.length // parts)
        while offset < end:
            piece_end = min(end, _line_end(descriptor, offset + step - 1, end))
            yield Span(offset, piece_end - offset)
            offset = piece_end
    finally:
        os.close(descriptor)


def _line_end(descriptor: int, at: int, size: int) -> int:
    """Just past the first line end at or after byte ``at`` (``size`` when none is)."""
    while at < size:
        window = os.pread(descriptor, _LOOK, at)
        if not window:
            break
        found = window.find(b"\n")
        if found >= 0:
            return at + found + 1
        at += len(window)
    return size


def read_span(path: str, span: Span) -> list[str]:
    """The non-blank lines of ``span``, as the text layer reads them."""
    return text_lines(_read(path, span), span.offset)


def _read(path: str, span: Span) -> bytes:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        return os.pread(descriptor, span.length, span.offset)
    finally:
        os.close(descriptor)


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
    for span in spans(path):
        try:
            _read(path, span).decode("utf-8")
        except UnicodeDecodeError as error:
            return span.offset + error.start
    return None
