"""Workers that read their own spans of a JSON Lines file (``nseers.cli.spans``, issue 18).

The reference is always the text layer: iterating the file opened as UTF-8, dropping blank
lines, is what ``nseers evaluate`` reads without workers, and what workers must read too.
"""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from nseers.cli import spans, stream

ROOT = Path(__file__).parent.parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_rules import generate  # noqa: E402 - the benchmark's generator of cases


def _lines(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    return [json.dumps(generate(rng), ensure_ascii=False) for _ in range(count)]


def _text_layer(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [line for line in handle if line.strip()]


def _read_back(path: Path) -> list[str]:
    """Every line the spans of ``path`` give, as the workers read them."""
    return [line for span in spans.spans(str(path)) for line in spans.read_span(str(path), span)]


LAYOUTS = {
    "plain": lambda lines: "".join(f"{line}\n" for line in lines),
    "no final line end": "\n".join,
    "crlf": lambda lines: "".join(f"{line}\r\n" for line in lines),
    "blank lines": lambda lines: "\n\n".join(lines) + "\n  \n",
    "leading space": lambda lines: "".join(f"  {line}\n" for line in lines),
    "byte-order mark": lambda lines: "\ufeff" + "".join(f"{line}\n" for line in lines),
    "old mac line ends": "\r".join,
    "some crlf": lambda lines: "".join(
        f"{line}\r\n" if i % 7 == 3 else f"{line}\n" for i, line in enumerate(lines)),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_pieces_give_the_lines_the_text_layer_reads(
        tmp_path: Path, layout: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spans, "SPAN", 4096)  # many spans, and lines across their ends
    lines = [*_lines(40), '{"traveler": {"name": "ŻÓŁW Müller 李"}}', *_lines(20, seed=8)]
    path = tmp_path / "cases.jsonl"
    path.write_bytes(LAYOUTS[layout](lines).encode("utf-8"))
    assert _read_back(path) == _text_layer(path)


def test_a_line_longer_than_a_span_is_read_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spans, "SPAN", 256)
    monkeypatch.setattr(spans, "_LOOK", 100)  # the line end is found a few reads on
    lines = _lines(5)
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    assert all(len(line) > 256 for line in lines)
    assert len(list(spans.spans(str(path)))) == len(lines)
    assert _read_back(path) == _text_layer(path)


def test_the_spans_cover_the_file_end_to_end_at_line_ends(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spans, "SPAN", 1000)
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(_lines(30)), encoding="utf-8")  # no line end at the end
    data = path.read_bytes()
    found = list(spans.spans(str(path)))
    assert len(found) > 10
    assert found[0].offset == 0
    assert sum(span.length for span in found) == len(data)
    for before, after in itertools.pairwise(found):
        assert before.offset + before.length == after.offset
        assert data[after.offset - 1:after.offset] == b"\n"


def test_a_span_cut_in_pieces_keeps_its_lines_in_order(tmp_path: Path) -> None:
    lines = _lines(23)
    path = tmp_path / "cases.jsonl"
    path.write_text("x\n" + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    span = spans.Span(2, path.stat().st_size - 2)
    pieces = list(spans.cut(str(path), span, 4))
    assert 4 <= len(pieces) <= 5
    assert all(piece.length > 0 for piece in pieces)
    read = [line for piece in pieces for line in spans.read_span(str(path), piece)]
    assert read == [f"{line}\n" for line in lines]


def test_bad_utf_8_is_named_by_its_place_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    head = "".join(f"{line}\n" for line in _lines(3)).encode("utf-8")
    path.write_bytes(head + b'{"id": "\xff"}\n')
    assert spans.first_bad_byte(str(path)) == len(head) + 8
    with pytest.raises(spans.InvalidInputError) as raised:
        _read_back(path)
    assert str(len(head) + 8) in str(raised.value.problems[0])


def test_the_last_chunks_are_cut_for_the_workers_to_share() -> None:
    chunks = [list(range(start, start + 1000)) for start in range(0, 5000, 1000)]
    given = list(stream._cut_tail(iter(chunks), 2))
    assert [len(chunk) for chunk in given] == [1000, 1000, 1000, *[250] * 8]
    assert [item for chunk in given for item in chunk] == list(range(5000))


def _evaluate(path: Path, workers: int) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "nseers", "evaluate", "--workers",
                           str(workers), str(path)], capture_output=True, check=False)


def test_two_workers_print_what_one_prints_whatever_the_file_holds(tmp_path: Path) -> None:
    # More than a span of plain lines, then a stretch the text layer must read (CRLF line
    # ends, blank lines), then plain lines again: spans and lines in one run.
    lines = _lines(2_400)
    text = ("".join(f"{line}\n" for line in lines[:1_200])
            + "".join(f"{line}\r\n\n" for line in lines[1_200:1_300])
            + "".join(f"{line}\n" for line in lines[1_300:]))
    path = tmp_path / "cases.jsonl"
    path.write_text(text, encoding="utf-8", newline="")
    assert path.stat().st_size > 2 * spans.SPAN
    one, two = _evaluate(path, 1), _evaluate(path, 2)
    assert one.returncode == 0, one.stderr
    assert (two.returncode, two.stdout, two.stderr) == (0, one.stdout, one.stderr)
    assert len(json.loads(two.stdout)) == len(lines)


def test_two_workers_name_a_late_malformed_case_and_bad_utf_8_as_one_does(
        tmp_path: Path) -> None:
    # Blank lines and bad cases in several spans: each worker numbers its span's cases
    # from 0, and the printing process must name them by their place in the whole file.
    lines = _lines(2_000)
    spaced = "".join(f"{line}\n\n" if i % 97 == 5 else f"{line}\n"
                     for i, line in enumerate(lines[:1_700]))
    broken = tmp_path / "broken.jsonl"
    broken.write_text(spaced + '{"event": 7}\n' + "".join(f"{line}\n" for line in lines[1_700:]),
                      encoding="utf-8")
    not_json = tmp_path / "not-json.jsonl"
    not_json.write_text(spaced + "".join(f"{line}\n" for line in lines[1_700:1_900])
                        + "not json\n" + "".join(f"{line}\n" for line in lines[1_900:]),
                        encoding="utf-8")
    not_utf8 = tmp_path / "not-utf8.jsonl"
    head = "".join(f"{line}\n" for line in lines[:1_500]).encode("utf-8")
    not_utf8.write_bytes(head + b'{"id": "\xc3("}\n' + b"".join(
        f"{line}\n".encode() for line in lines[1_500:]))
    for path, message in ((broken, "[1700].event"), (not_json, "line 1901: not valid JSON"),
                          (not_utf8, f"at byte {len(head) + 8}")):
        one, two = _evaluate(path, 1), _evaluate(path, 2)
        assert one.returncode == 2
        assert (two.returncode, two.stdout, two.stderr) == (2, b"", one.stderr)
        assert message in one.stderr.decode(), one.stderr


def test_a_file_with_workers_is_handed_out_in_spans(tmp_path: Path) -> None:
    # The tests above would pass on the old path too (they compare with one process):
    # here the command itself must take the spans, not lines sent through the pipe.
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(f"{line}\n" for line in _lines(50)), encoding="utf-8")
    probe = (
        "import sys\n"
        "from nseers.cli import spans, main as entry\n"
        "taken = spans.spans\n"
        "def counted(path):\n"
        "    print('spans of', path, file=sys.stderr)\n"
        "    return taken(path)\n"
        "spans.spans = counted\n"
        f"sys.argv = ['nseers', 'evaluate', '--workers', '2', {str(path)!r}]\n"
        "entry.main()\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count(f"spans of {path}") == 1
    assert len(json.loads(done.stdout)) == 50
    on_stdin = subprocess.run([sys.executable, "-c", probe.replace(repr(str(path)), "'-'")],
                              input=path.read_text(), capture_output=True, text=True,
                              check=False)
    assert on_stdin.returncode == 0, on_stdin.stderr
    assert "spans of" not in on_stdin.stderr  # standard input goes as lines
    assert on_stdin.stdout == done.stdout
