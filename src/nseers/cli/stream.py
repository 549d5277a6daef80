"""``nseers evaluate`` as a stream: read, parse, evaluate, write and drop one case at a time.

Holding every input, case and result until the end made memory grow with the input and
made the garbage collector rescan an ever larger heap, which halved the speed of every
phase. Here a JSON array is decoded element by element and JSON Lines line by line, in
chunks; each chunk is evaluated and written before the next is read, so memory stays flat
whatever the input size. ``--workers N`` hands the chunks to N processes and writes their
answers in input order.

The contract's "nothing is printed for a malformed case" still holds: when standard output
is a regular file, results go straight to it and it is cut back to where it began if any
case turns out malformed; otherwise they are spooled (in memory up to 64 MiB, then in a
temporary file) and copied out once every case has parsed.

The bytes printed are those of ``json.dumps(results, indent=N, ensure_ascii=False)`` for a
batch and of ``json.dumps(result, ...)`` for a single case, built piece by piece.
"""

from __future__ import annotations

import errno
import fcntl
import gc
import itertools
import json
import os
import stat
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Final

import orjson

from nseers.cli import spans
from nseers.cli.compact import encode as encode_compact
from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.rules.case import Case, parse_case, read_well_formed
from nseers.rules.engine import Engine

#: Cases per chunk: large enough that a worker's round trip is cheap, small enough to
#: keep memory flat.
CHUNK: Final = 1000
READ_SIZE: Final = 1 << 20
SPOOL_IN_MEMORY: Final = 64 << 20
_WS: Final = " \t\n\r"

#: What a chunk holds: JSON text to decode (a JSON Lines line) or an already decoded
#: element of a JSON array.
TEXT, VALUE = 0, 1


@dataclass(slots=True)
class ChunkOutcome:
    """A chunk's results, as the bytes printed for them (joined by the batch's separator,
    in the output's encoding), or the problems that stop the evaluation."""

    data: bytes = b""
    count: int = 0
    #: Where a worker left ``data`` instead (a file the printing process takes and deletes).
    file: str | None = None
    json_problems: list[FieldProblem] = field(default_factory=list)
    case_problems: list[FieldProblem] = field(default_factory=list)
    evaluation_problems: list[FieldProblem] = field(default_factory=list)


class Evaluator:
    """Parses, evaluates and encodes chunks of cases (in this process or a worker)."""

    def __init__(self, engine: Engine, indent: int | None, batch: bool,
                 encoding: tuple[str, str]) -> None:
        self.engine = engine
        self.batch = batch
        self.encoding = encoding
        self.separator = ",\n" + " " * indent if indent else ", "
        self.encoder = json.JSONEncoder(ensure_ascii=False, indent=indent or None)
        # Compact text is built from cached parts (nseers.cli.compact), the same bytes.
        self.compact = not indent
        # Inside a pretty array every line of an element is indented once more.
        self.nested = "\n" + " " * indent if indent and batch else None

    def chunk(self, kind: int, items: list[Any], start: int, *, evaluate: bool = True
              ) -> ChunkOutcome:
        """Evaluate ``items`` (cases ``start``, ``start + 1``, ...) until a fault is found.

        After a fault, and throughout when ``evaluate`` is false, cases are only parsed, so
        that every malformed case is named at once.
        """
        out = ChunkOutcome()
        texts: list[str] = []
        encode = self.encoder.encode
        compact = self.compact
        engine_evaluate = self.engine.evaluate
        nested = self.nested
        for offset, item in enumerate(items):
            case = _quick_case(item) if kind == TEXT else None
            if case is None:
                if kind == TEXT:
                    try:
                        item = _decode_line(item)  # noqa: PLW2901 - the line, now decoded
                    except json.JSONDecodeError as error:
                        out.json_problems.append(FieldProblem(
                            f"line {start + offset + 1}", f"not valid JSON: {error.msg}"))
                        continue
                try:
                    case = parse_case(item)
                except InvalidInputError as error:
                    prefix = f"[{start + offset}]" if self.batch else ""
                    out.case_problems.extend(
                        FieldProblem(f"{prefix}.{p.path}" if prefix and p.path
                                     else prefix or p.path, p.message) for p in error.problems)
                    continue
            if not evaluate or out.json_problems or out.case_problems \
                    or out.evaluation_problems:
                continue
            try:
                result = engine_evaluate(case)
                text = encode_compact(result) if compact else encode(result.to_dict())
            except InvalidInputError as error:
                out.evaluation_problems.extend(error.problems)
                continue
            texts.append(text.replace("\n", nested) if nested else text)
        if texts and not (out.json_problems or out.case_problems or out.evaluation_problems):
            # Joined and encoded here, in the worker when there are workers: the process
            # that prints then only writes the bytes (text I/O cost twice as much).
            out.count = len(texts)
            out.data = self.separator.join(texts).encode(*self.encoding)
        return out


# Not in typeshed: the scanner ``JSONDecoder.raw_decode`` itself calls.
_scan: Callable[[str, int], tuple[Any, int]] = getattr(json.JSONDecoder(), "scan_once")  # noqa: B009
_LINE_ENDS: Final = frozenset({"", "\n", "\r\n"})
_orjson_loads = orjson.loads
_OrjsonError = orjson.JSONDecodeError


def _decode_line(line: str) -> Any:
    """``json.loads(line)``, for less: the C scanner is called directly when the line is one
    value and its line end (a thousandth of a case's time was ``json.loads``' own Python).
    Anything else (leading space, trailing text, bad JSON) goes to ``json.loads``, which
    decides and names the fault as before."""
    try:
        value, end = _scan(line, 0)
    except (StopIteration, ValueError):
        return json.loads(line)
    if line[end:] not in _LINE_ENDS:
        return json.loads(line)
    return value


def _quick_case(line: str) -> Case | None:
    """The case on a JSON Lines line when orjson decodes it and it is well formed, else
    ``None``, and the caller decodes the line again with ``json`` and reads it with
    ``parse_case``, which decide and name any fault exactly as before.

    orjson decodes a case in half of ``json``'s time (issue 18). Where the two decoders
    differ, ``json`` is the one the contract's bytes follow: orjson refuses what ``json``
    reads leniently (``NaN``, ``1e400``, lone surrogates), which then takes the ``json``
    path; and it reads an integer beyond 64 bits as a float, which a well-formed case can
    only hold where it becomes a float anyway (a number of miles, days or hours) or in its
    ``id`` (printed as given), so a float ``id`` takes the ``json`` path too.
    """
    try:
        value = _orjson_loads(line)
    except _OrjsonError:
        return None
    if type(value) is not dict or type(value.get("id")) is float:
        return None
    return read_well_formed(value)


def _first_line(handle: IO[str]) -> str:
    """The first line that is not blank ("" at the end of the input)."""
    for line in handle:
        if line.strip():
            return line
    return ""


@dataclass(slots=True)
class Source:
    """A case input opened for streaming: single case or batch, and its chunks."""

    batch: bool
    kind: int
    chunks: Iterator[list[Any]]


def open_source(handle: IO[str]) -> Source:
    """Tell one case, a JSON array and JSON Lines apart, reading as little as needed.

    Raises ``InvalidInputError`` for input that is no JSON at all, with the messages of
    ``nseers.cli.io.read_cases``.
    """
    first = _first_line(handle)
    if first.lstrip().startswith("["):
        return Source(True, VALUE, _array_chunks(first, handle))
    try:
        json.loads(first)
    except json.JSONDecodeError:
        return _whole(first + handle.read())
    second = _first_line(handle)
    if not second:
        return _whole(first)
    return Source(True, TEXT, _line_chunks(first, second, handle))


def _whole(text: str) -> Source:
    """One document read whole: a single case, or text that is not a stream at all."""
    from nseers.cli.io import read_cases  # noqa: PLC0415 - the same decision and messages

    cases, batch = read_cases(text)
    return Source(batch, VALUE,
                  iter([cases[i:i + CHUNK] for i in range(0, len(cases), CHUNK)]))


def _line_chunks(first: str, second: str, handle: IO[str]) -> Iterator[list[Any]]:
    chunk = [first, second]
    for line in handle:
        if line.strip():
            chunk.append(line)
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


class _ArrayReader:
    """The elements of a JSON array, decoded one at a time from a sliding buffer."""

    def __init__(self, first: str, handle: IO[str]) -> None:
        self.handle = handle
        self.buffer = first
        self.position = first.index("[") + 1
        self.lines_before = 0
        self.column_base = 0
        self.at_end = False

    def refill(self) -> bool:
        """Drop what was decoded, read more; false at the end of the input."""
        more = self.handle.read(READ_SIZE)
        if not more:
            self.at_end = True
            return False
        dropped = self.buffer[:self.position]
        newline = dropped.rfind("\n")
        self.lines_before += dropped.count("\n")
        self.column_base = (len(dropped) - newline - 1 if newline >= 0
                            else self.column_base + len(dropped))
        self.buffer, self.position = self.buffer[self.position:] + more, 0
        return True

    def skip_space(self) -> bool:
        """Move past whitespace; false when the input ends first."""
        while True:
            buffer, position = self.buffer, self.position
            while position < len(buffer) and buffer[position] in _WS:
                position += 1
            self.position = position
            if position < len(buffer):
                return True
            if not self.refill():
                return False

    def fail(self, message: str, at: int) -> InvalidInputError:
        """The problem, placed by line and column as ``json`` places it."""
        newline = self.buffer.rfind("\n", 0, at)
        line = self.lines_before + self.buffer.count("\n", 0, at) + 1
        column = at - newline if newline >= 0 else self.column_base + at + 1
        return InvalidInputError([FieldProblem(
            "input", f"not valid JSON: {message} at line {line} column {column}")])

    def chunks(self) -> Iterator[list[Any]]:
        """The elements in chunks of ``CHUNK``."""
        decode = json.JSONDecoder().raw_decode
        chunk: list[Any] = []
        expect_value, first = True, True
        while True:
            if not self.skip_space():
                raise self.fail("Expecting value" if expect_value
                                else "Expecting ',' delimiter", self.position)
            character = self.buffer[self.position]
            if character == "]" and (first or not expect_value):
                self.position += 1
                if self.skip_space():
                    raise self.fail("Extra data", self.position)
                if chunk:
                    yield chunk
                return
            if not expect_value:
                if character != ",":
                    raise self.fail("Expecting ',' delimiter", self.position)
                self.position += 1
                expect_value = True
                continue
            while True:
                try:
                    value, end = decode(self.buffer, self.position)
                except json.JSONDecodeError as error:
                    if self.refill():
                        continue
                    raise self.fail(error.msg, error.pos) from None
                # A number at the end of the buffer may go on in the next read.
                if end == len(self.buffer) and not self.at_end and self.refill():
                    continue
                break
            chunk.append(value)
            self.position, expect_value, first = end, False, False
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []


def _array_chunks(first: str, handle: IO[str]) -> Iterator[list[Any]]:
    return _ArrayReader(first, handle).chunks()


class Sink:
    """Where results go until the input is known to be well formed (see the module doc).

    It takes bytes, in :attr:`encoding`: those of standard output's own text layer, whose
    binary layer they are written to (writing the same text through the text layer took
    twice as long, issue 18). A text stream without a binary layer (a ``StringIO``) is
    written the decoded text instead.
    """

    def __init__(self, stdout: IO[str]) -> None:
        self.stdout = stdout
        self.start: int | None = None
        self.spool: IO[bytes] | None = None
        # On POSIX the text layer writes "\n" as is, so its bytes are the encoded text.
        binary: IO[bytes] | None = getattr(stdout, "buffer", None) if os.linesep == "\n" \
            else None
        self.encoding = ((getattr(stdout, "encoding", None) or "utf-8",
                          getattr(stdout, "errors", None) or "strict")
                         if binary is not None else ("utf-8", "surrogatepass"))
        self.binary = binary
        try:
            descriptor = stdout.fileno()
            if stat.S_ISREG(os.fstat(descriptor).st_mode):
                stdout.flush()
                appending = fcntl.fcntl(descriptor, fcntl.F_GETFL) & os.O_APPEND
                self.start = (os.fstat(descriptor).st_size if appending
                              else os.lseek(descriptor, 0, os.SEEK_CUR))
        except (OSError, ValueError, AttributeError):
            self.start = None
        if self.start is None:
            self.spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed in finish
                max_size=SPOOL_IN_MEMORY, mode="w+b")
        if binary is not None:
            stdout.flush()  # what the text layer already holds goes first

    def write(self, data: bytes) -> None:
        """Write ``data`` (bytes in :attr:`encoding`) after what was written before."""
        if self.spool is not None:
            self.spool.write(data)
        elif self.binary is not None:
            _write_all(self.binary, data)
        else:
            self.stdout.write(data.decode(*self.encoding))

    def take(self, path: str) -> None:
        """Write the bytes of the file at ``path`` (a worker's chunk), then delete it.

        The kernel copies them (``copy_file_range``, else ``sendfile``) into the spool or
        the output file; where it cannot (an output opened for appending, no file at all)
        they are read and written.
        """
        with open(path, "rb", buffering=0) as source:  # noqa: PTH123 - a raw descriptor
            target = self.spool if self.spool is not None else self.binary
            if target is None or not self._copied(source.fileno(), target):
                while block := source.read(1 << 20):
                    self.write(block)
        os.unlink(path)  # noqa: PTH108 - a plain path string

    def _copied(self, source: int, target: IO[bytes]) -> bool:
        """Whether the kernel copied all of ``source`` to the end of ``target``."""
        try:
            if isinstance(target, tempfile.SpooledTemporaryFile):
                target.rollover()  # a real file from now on
            target.flush()
            descriptor = target.fileno()
        except (OSError, ValueError, AttributeError):
            return False
        if not _copy_file(source, descriptor):
            return False
        if target.seekable():
            target.seek(0, os.SEEK_END)  # the buffered layer learns the new position
        return True

    def discard(self) -> None:
        """Forget everything written: nothing reaches standard output."""
        if self.spool is not None:
            self.spool.close()
            return
        assert self.start is not None  # noqa: S101 - set whenever there is no spool
        self.stdout.flush()
        descriptor = self.stdout.fileno()
        os.ftruncate(descriptor, self.start)
        os.lseek(descriptor, self.start, os.SEEK_SET)

    def finish(self) -> None:
        """Everything written, now on standard output."""
        spool = self.spool
        if spool is not None:
            spool.seek(0)
            self.spool = None  # what follows goes to standard output itself
            while block := spool.read(1 << 20):
                self.write(block)
            spool.close()
        self.stdout.flush()


def _copy_file(source: int, target: int) -> bool:
    """Copy what remains of ``source`` to ``target`` (both at their positions) in the
    kernel; false, with nothing copied, when neither way applies to these files."""
    copies: tuple[Callable[[int, int, int], int], ...] = (
        os.copy_file_range, lambda s, t, n: os.sendfile(t, s, None, n))
    for copy in copies:
        try:
            while copy(source, target, 1 << 30):
                pass
        except OSError as error:
            if error.errno in _NO_KERNEL_COPY and os.lseek(source, 0, os.SEEK_CUR) == 0:
                continue
            raise
        return True
    return False


#: What ``copy_file_range`` and ``sendfile`` answer for files they cannot copy between
#: (an output opened for appending, another file system on an older kernel, a terminal).
_NO_KERNEL_COPY: Final = frozenset({errno.EBADF, errno.EINVAL, errno.EXDEV, errno.ENOSYS,
                                    errno.EOPNOTSUPP, errno.ESPIPE})


def _write_all(binary: IO[bytes], data: bytes) -> None:
    """``binary.write(data)`` until all of it is written: unbuffered (``python -u``,
    ``PYTHONUNBUFFERED``), the binary layer is the raw file, which may take only part."""
    written = binary.write(data)
    if written is None or written >= len(data):
        return
    view = memoryview(data)[written:]
    while view:
        written = binary.write(view)
        view = view[written or 0:]


_WORKER: Evaluator | None = None
#: The directory where workers leave their chunks' bytes.
_SPILL: str | None = None
#: The input file, when workers read their spans of it themselves (:mod:`.spans`).
_INPUT: str | None = None
_SPILLED = itertools.count()


def _work(kind: int, items: list[Any] | spans.Span, start: int) -> ChunkOutcome:
    """A chunk in a worker. Its bytes are left in a file rather than sent back: through
    the pipe (pickled, sent, read, unpickled, written) they cost a sixth of a two-worker
    run (issue 18)."""
    assert _WORKER is not None  # noqa: S101 - set before the workers are forked
    if isinstance(items, spans.Span):  # its cases are numbered from 0 (module spans)
        assert _INPUT is not None  # noqa: S101 - set with the span's own file
        kind, items = TEXT, spans.read_span(_INPUT, items)
    outcome = _WORKER.chunk(kind, items, start)
    if outcome.data and _SPILL is not None:
        # Named by the worker and its count: spans all start at case 0 (module spans).
        name = f"{os.getpid()}-{next(_SPILLED)}"
        path = os.path.join(_SPILL, name)  # noqa: PTH118 - a plain path string
        with open(path, "wb", buffering=0) as spill:  # noqa: PTH123 - a raw descriptor
            _write_all(spill, outcome.data)
        outcome.data, outcome.file = b"", path
    return outcome


def _outcomes(source: Source, evaluator: Evaluator, workers: int,
              path: str | None = None) -> Iterator[ChunkOutcome]:
    start, faulty = 0, False
    if workers <= 1:
        for items in source.chunks:
            outcome = evaluator.chunk(source.kind, items, start, evaluate=not faulty)
            start += len(items)
            faulty = faulty or bool(outcome.json_problems or outcome.case_problems
                                    or outcome.evaluation_problems)
            yield outcome
        return
    import multiprocessing  # noqa: PLC0415 - only with workers, not at every start

    # Fork: the workers share the loaded, frozen policy instead of loading it again.
    # JSON Lines from a file: workers read their own spans of it (module spans).
    path = path if source.kind == TEXT else None
    tasks: Iterator[spans.Span | list[Any]] = (
        spans.spans(path) if path is not None else source.chunks)
    with tempfile.TemporaryDirectory(prefix="nseers-evaluate-") as spill, \
            multiprocessing.get_context("fork").Pool(
                workers, initializer=_forked, initargs=(evaluator, spill, path)) as pool:
        pending: deque[tuple[spans.Span | None, Any]] = deque()
        for task in _cut_tail(tasks, workers, path):
            if isinstance(task, spans.Span):
                pending.append((task, pool.apply_async(_work, (TEXT, task, 0))))
            else:
                pending.append((None, pool.apply_async(_work, (source.kind, task, start))))
                start += len(task)
            if len(pending) >= 2 * workers:  # a bounded queue keeps memory flat
                span, result = pending.popleft()
                outcome, start = _settle(span, result.get(), evaluator, path, start)
                yield outcome
        while pending:
            span, result = pending.popleft()
            outcome, start = _settle(span, result.get(), evaluator, path, start)
            yield outcome


def _settle(span: spans.Span | None, outcome: ChunkOutcome, evaluator: Evaluator,
            path: str | None, start: int) -> tuple[ChunkOutcome, int]:
    """A worker's outcome, and the number of cases before the next span.

    A worker numbers a span's cases from 0, not knowing how many came before. Here they
    are counted; a span with a fault is read and parsed again in this process, from its
    true first number, so that its messages name its cases as one process would.
    """
    if span is None:  # a chunk of lines, numbered when it was sent
        return outcome, start
    if not (outcome.json_problems or outcome.case_problems or outcome.evaluation_problems):
        return outcome, start + outcome.count
    assert path is not None  # noqa: S101 - spans come from a file
    lines = spans.read_span(path, span)
    return evaluator.chunk(TEXT, lines, start), start + len(lines)


def _cut_tail(chunks: Iterator[spans.Span | list[Any]], workers: int,
              path: str | None = None) -> Iterator[spans.Span | list[Any]]:
    """``chunks``, with the last ``workers`` of them each cut in ``2 * workers`` pieces.

    Whole chunks to the end left one worker evaluating the last chunk while the others
    waited: the run ended up to a chunk's time after the first worker fell idle, a tenth of
    a two-worker run on 20,000 cases (issue 18). Small pieces at the end let every worker
    finish within a piece of the others; the rest of the stream keeps its large chunks,
    whose round trips are cheap. Holding ``workers`` chunks back keeps memory bounded.
    """
    held: deque[spans.Span | list[Any]] = deque()
    for items in chunks:
        held.append(items)
        if len(held) > workers:
            yield held.popleft()
    parts = 2 * workers
    for items in held:
        if isinstance(items, spans.Span):
            assert path is not None  # noqa: S101 - spans come from a file
            yield from spans.cut(path, items, parts)
            continue
        size = max(1, -(-len(items) // parts))
        for first in range(0, len(items), size):
            yield items[first:first + size]


def _forked(evaluator: Evaluator, spill: str, path: str | None) -> None:
    """A worker's start: the evaluator and the spill directory of the printing process,
    and the input file when the worker reads its spans itself."""
    global _WORKER, _SPILL, _INPUT
    _WORKER, _SPILL, _INPUT = evaluator, spill, path


#: glibc's ``mallopt`` parameters (``<malloc.h>``) and the values set for a batch.
_M_TRIM_THRESHOLD: Final = -1
_M_MMAP_THRESHOLD: Final = -3
_MMAP_AT: Final = 32 << 20  # glibc's own ceiling for the setting on 64-bit
_TRIM_AT: Final = 128 << 20


def hold_the_heap() -> None:
    """Keep freed memory for the next chunk instead of handing it back to the kernel.

    Each chunk builds a few buffers of a megabyte (its lines, its results' text and
    bytes). glibc gave each one fresh pages from the kernel (``mmap``) or trimmed the heap
    after it, so every chunk faulted the same memory in again: about 400 page faults per
    thousand cases in one process, and 32,000 in the two workers of a run on 20,000 cases
    against 11,700 with the heap held (issue 18). With fixed thresholds the heap keeps its
    free memory and the next chunk reuses it; memory stays flat, at its high-water mark.
    Other C libraries (no ``mallopt``) are left as they are; so is a process with
    ``MALLOC_MMAP_THRESHOLD_`` set, whose user chose.
    """
    if "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return
    try:
        import ctypes  # noqa: PLC0415 - only for a batch

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    if mallopt(_M_MMAP_THRESHOLD, _MMAP_AT):
        mallopt(_M_TRIM_THRESHOLD, _TRIM_AT)


def evaluate_stream(handle: IO[str], engine: Engine, stdout: IO[str], *,
                    indent: int | None, workers: int = 1, path: str | None = None) -> None:
    """Evaluate every case read from ``handle`` and print the results to ``stdout``.

    ``path`` is the file ``handle`` reads, opened as UTF-8 at its start, when it is one:
    workers then read their cases from it themselves (:mod:`nseers.cli.spans`).

    ``indent`` None means pretty (2) for a single case and compact for a batch. Raises
    ``InvalidInputError`` naming every malformed case, with nothing printed: JSON that does
    not decode first, then bad fields, then a case the engine refuses.
    """
    source = open_source(handle)
    if indent is None:
        indent = 0 if source.batch else 2
    sink = Sink(stdout)
    evaluator = Evaluator(engine, indent, source.batch, sink.encoding)
    if source.batch:
        # The policy and the law cached so far are never garbage: frozen, the collector no
        # longer rescans them case after case. No collection first: the start's little
        # garbage is frozen with the rest, which saves a full collection (10 ms).
        gc.freeze()
        hold_the_heap()
    json_problems: list[FieldProblem] = []
    case_problems: list[FieldProblem] = []
    evaluation_problems: list[FieldProblem] = []
    written = 0
    encoding = sink.encoding
    separator = evaluator.separator.encode(*encoding)
    opening = ("[\n" + " " * indent if indent else "[").encode(*encoding)
    write = sink.write
    try:
        for outcome in _outcomes(source, evaluator, workers, path):
            json_problems.extend(outcome.json_problems)
            case_problems.extend(outcome.case_problems)
            if not evaluation_problems:  # the first case the engine refuses, as before
                evaluation_problems.extend(outcome.evaluation_problems)
            if json_problems or case_problems or evaluation_problems or not outcome.count:
                continue
            if source.batch:
                write(separator if written else opening)
            if outcome.file is not None:
                sink.take(outcome.file)
            else:
                write(outcome.data)
            written += outcome.count
    except BaseException:
        sink.discard()
        raise
    problems = json_problems or case_problems or evaluation_problems
    if problems:
        sink.discard()
        raise InvalidInputError(problems)
    if source.batch:
        write((("\n]\n" if indent else "]\n") if written else "[]\n").encode(*encoding))
    else:
        write("\n".encode(*encoding))
    sink.finish()
