"""The streaming ``nseers evaluate``: the same bytes as a whole-document dump, flat memory's
preconditions (chunks, workers), nothing printed for a malformed case, and a start that
loads no web, API or database module."""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from nseers.cli import stream
from nseers.cli.main import app
from nseers.rules.case import parse_case
from nseers.rules.engine import Engine

ROOT = Path(__file__).parent.parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_rules import generate  # noqa: E402 - the benchmark's generator of cases

runner = CliRunner()
ENGINE = Engine()


def generated(count: int, seed: int = 18) -> list[dict[str, Any]]:
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    return [generate(rng) for _ in range(count)]


def reference(raws: list[Any], indent: int | None, batch: bool) -> str:
    """What ``nseers evaluate`` printed before it streamed: one whole ``json.dumps``."""
    results = [ENGINE.evaluate(parse_case(raw)).to_dict() for raw in raws]
    return json.dumps(results if batch else results[0], indent=indent or None,
                      ensure_ascii=False) + "\n"


def run(*args: str, stdin: str | None = None) -> Any:
    return runner.invoke(app, ["evaluate", *args], input=stdin)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("indent", [None, "0", "2", "4"])
def test_each_example_prints_the_bytes_of_a_whole_dump(path: Path, indent: str | None) -> None:
    options = [] if indent is None else ["--indent", indent]
    result = run(*options, str(path))
    assert result.exit_code == 0, result.stderr
    expected_indent = 2 if indent is None else int(indent)  # a single case is pretty
    assert result.stdout == reference([json.loads(path.read_text())], expected_indent, False)


@pytest.mark.parametrize("layout", ["lines", "array", "pretty-array"])
@pytest.mark.parametrize("indent", [None, "0", "2"])
def test_a_generated_batch_prints_the_bytes_of_a_whole_dump(
        tmp_path: Path, layout: str, indent: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stream, "CHUNK", 100)
    raws = generated(345)  # more than two chunks, and a partial last one
    source = tmp_path / "cases"
    if layout == "lines":
        source.write_text("".join(json.dumps(raw) + "\n" for raw in raws))
    else:
        source.write_text(json.dumps(raws, indent=2 if layout == "pretty-array" else None))
    options = [] if indent is None else ["--indent", indent]
    result = run(*options, str(source))
    assert result.exit_code == 0, result.stderr
    expected_indent = 0 if indent is None else int(indent)  # a batch is compact
    assert result.stdout == reference(raws, expected_indent, True)


def test_examples_as_json_lines_with_two_workers_keep_the_input_order(tmp_path: Path) -> None:
    raws = [json.loads(p.read_text()) for p in EXAMPLES] * 300 + generated(1_500, seed=3)
    source = tmp_path / "cases.jsonl"
    source.write_text("".join(json.dumps(raw) + "\n" for raw in raws))
    # The installed command, so the workers really are forked processes.
    done = subprocess.run([sys.executable, "-m", "nseers", "evaluate", "--workers", "2",
                           str(source)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == reference(raws, None, True)


def test_an_empty_array_prints_an_empty_array() -> None:
    assert run("-", stdin="[ ]").stdout == "[]\n"
    assert run("--indent", "2", "-", stdin="[]").stdout == "[]\n"


def test_a_malformed_case_late_in_a_stream_prints_nothing_to_a_pipe(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "CHUNK", 100)
    raws: list[Any] = generated(250)
    raws[220]["traveler"]["date_of_birth"] = "1970-13-01"
    result = run("-", stdin="".join(json.dumps(raw) + "\n" for raw in raws))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert '[220].traveler.date_of_birth: not a date: "1970-13-01"' in result.stderr


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_malformed_case_late_in_a_stream_leaves_an_output_file_as_it_was(
        tmp_path: Path, workers: str) -> None:
    raws: list[Any] = generated(2_500)
    raws[2_400]["stowawy"] = True
    raws[10]["port"] = "JFK"
    source = tmp_path / "cases.jsonl"
    source.write_text("".join(json.dumps(raw) + "\n" for raw in raws))
    target = tmp_path / "out.json"
    target.write_text("kept\n")
    with target.open("a") as output:  # results go straight to a regular file, then are cut
        done = subprocess.run([sys.executable, "-m", "nseers", "evaluate", "--workers",
                               workers, str(source)], stdout=output, stderr=subprocess.PIPE,
                              text=True, check=False)
    assert done.returncode == 2
    assert target.read_text() == "kept\n"
    assert "[2400].stowawy" in done.stderr
    assert "[10].port" in done.stderr


@pytest.mark.parametrize("append", [True, False])
@pytest.mark.parametrize("buffered", [True, False])
@pytest.mark.parametrize("workers", ["1", "2"])
def test_results_written_as_bytes_follow_what_the_output_already_holds(
        tmp_path: Path, buffered: bool, workers: str, append: bool) -> None:
    # Results go to standard output's binary layer, in its encoding, after whatever the
    # text layer already holds; unbuffered (``python -u``), that layer is the raw file.
    # Workers' chunks are copied by the kernel, except into a file opened for appending.
    raws: list[Any] = generated(2_300)
    raws[5]["id"] = "Ösel-Ğ-東京-\U0001f6c2"
    source = tmp_path / "cases.jsonl"
    source.write_text("".join(json.dumps(raw, ensure_ascii=False) + "\n" for raw in raws),
                      encoding="utf-8")
    target = tmp_path / "out.json"
    target.write_text("kept\n")
    probe = (
        "import sys\n"
        "sys.stdout.write('written first\\n')\n"
        f"sys.argv = ['nseers', 'evaluate', '--workers', {workers!r}, {str(source)!r}]\n"
        "from nseers.cli.main import main\n"
        "main()\n")
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with target.open("a" if append else "w", encoding="utf-8") as output:
        done = subprocess.run([sys.executable, *([] if buffered else ["-u"]), "-c", probe],
                              stdout=output, stderr=subprocess.PIPE, text=True,
                              check=False, env={**environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8") == (
        ("kept\n" if append else "") + "written first\n" + reference(raws, None, True))
    assert not list(Path(tempfile.gettempdir()).glob(f"nseers-evaluate-*{os.sep}*"))


class _Trickle(io.RawIOBase):
    """A raw file that takes at most ``most`` bytes per write, as a raw file may."""

    def __init__(self, most: int) -> None:
        self.most = most
        self.taken = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        part = bytes(data[:self.most])
        self.taken += part
        return len(part)


def test_every_byte_is_written_to_a_raw_file_that_takes_part_of_each_write() -> None:
    trickle = _Trickle(most=1_000)
    data = bytes(range(256)) * 100
    stream._write_all(trickle, data)
    assert bytes(trickle.taken) == data


def test_a_text_stream_without_a_binary_layer_gets_the_same_text() -> None:
    raws: list[Any] = generated(120)
    raws[0]["id"] = "Ösel-\U0001f6c2"
    output = io.StringIO()
    stream.evaluate_stream(io.StringIO("".join(json.dumps(r) + "\n" for r in raws)), ENGINE,
                           output, indent=None)
    assert output.getvalue() == reference(raws, None, True)


def test_json_lines_that_do_not_decode_are_named_by_line_and_nothing_is_evaluated() -> None:
    lines = [json.dumps(raw) for raw in generated(1_200)]
    lines[1_100] = lines[1_100][:-3]
    result = run("-", stdin="\n".join(lines))
    assert result.exit_code == 2
    assert "line 1101: not valid JSON" in result.stderr
    assert result.stdout == ""


def test_a_broken_array_is_placed_by_line_and_column_as_json_places_it() -> None:
    text = json.dumps(generated(3), indent=2)
    cut = text.index('"event": ', text.index('"event": ') + 1)  # in the second case
    broken = text[:cut] + '"event" ' + text[cut + len('"event": '):]
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(broken)
    result = run("-", stdin=broken)
    assert result.exit_code == 2
    assert (f"at line {expected.value.lineno} column {expected.value.colno}"
            in result.stderr), result.stderr


def test_an_array_is_decoded_across_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "READ_SIZE", 7)  # every element spans several reads
    raws = [*generated(40), *generated(5, seed=4)]
    result = run("-", stdin=json.dumps(raws))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == reference(raws, None, True)


def test_evaluate_loads_no_web_api_or_database_module() -> None:
    probe = (
        "import sys\n"
        f"sys.argv = ['nseers', 'evaluate', {str(EXAMPLES[0])!r}]\n"
        "from nseers.cli import main as entry\n"
        # The plain path ends with os._exit; here it must come back to list the modules.
        "entry._exit_now = sys.exit\n"
        "try:\n    entry.main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('fastapi', 'starlette', 'sqlalchemy', 'alembic', 'uvicorn', 'psycopg') or "
        "m.startswith(('nseers.web', 'nseers.api', 'nseers.db', 'nseers.services')))\n"
        "print(heavy, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert json.loads(done.stdout)["determinations"]
    assert done.stderr.strip() == "[]"


def _modules_loaded_by(args: list[str], cache: Path) -> tuple[Any, list[str]]:
    """Run ``nseers ARGS`` in a fresh process; its output and the modules it loaded."""
    probe = (
        "import sys\n"
        f"sys.argv = ['nseers', *{args!r}]\n"
        "from nseers.cli import main as entry\n"
        # The plain path ends with os._exit; here it must come back to list the modules.
        "entry._exit_now = sys.exit\n"
        "try:\n    entry.main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(sys.modules), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, env={**os.environ, "NSEERS_POLICY_CACHE": str(cache)})
    return done, json.loads(done.stderr.strip().splitlines()[-1].replace("'", '"'))


def test_one_case_loads_neither_typer_nor_yaml_nor_pydantic_nor_multiprocessing(
        tmp_path: Path) -> None:
    # Issue 18: the cold start of one case. Typer (with its command parsers), PyYAML and
    # pydantic (the checked policy is kept once the cache is warm), multiprocessing (only
    # with --workers) are not needed to evaluate one case.
    _modules_loaded_by(["evaluate", str(EXAMPLES[0])], tmp_path)  # warms the cache
    done, modules = _modules_loaded_by(["evaluate", str(EXAMPLES[0])], tmp_path)
    assert json.loads(done.stdout)["determinations"]
    unwanted = [m for m in modules
                if m.split(".")[0] in ("typer", "click", "yaml", "pydantic", "pydantic_core",
                                       "multiprocessing")
                or m == "nseers.cli.commands"]
    assert unwanted == []
    # Nor do the command's own options; ``--help`` and any other command go through typer.
    done, modules = _modules_loaded_by(
        ["evaluate", "--indent", "2", "--workers=1", str(EXAMPLES[0])], tmp_path)
    assert json.loads(done.stdout)["determinations"]
    assert "typer" not in modules
    _, modules = _modules_loaded_by(["evaluate", "--help"], tmp_path)
    assert "typer" in modules


def _entry_point(args: list[str], stdin: str | None = None,
                 environ: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nseers", *args], input=stdin,
                          capture_output=True, text=True, check=False,
                          env={**os.environ, **(environ or {})})


def _typer_entry(args: list[str], stdin: str | None = None,
                 environ: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``nseers ARGS`` run by the typer application, never by the entry point's plain path."""
    probe = ("import sys\n"
             f"sys.argv = ['nseers', *{args!r}]\n"
             "from nseers.logs import configure_logging\n"
             "configure_logging()\n"
             "from nseers.cli.commands import app\n"
             "app(prog_name='python -m nseers')\n")  # as click names ``python -m``
    return subprocess.run([sys.executable, "-c", probe], input=stdin, capture_output=True,
                          text=True, check=False, env={**os.environ, **(environ or {})})


def _bad_cases(tmp_path: Path) -> list[Path]:
    raws = generated(30, seed=5)
    broken = dict(raws[3])
    broken.pop(next(iter(broken)))
    files = {"bad.jsonl": "".join(json.dumps(r) + "\n" for r in [*raws[:3], broken]),
             "not-json.json": "{\"event\": ",
             "empty.json": "",
             "wrong-type.json": json.dumps({**raws[0], "event": 7})}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return [tmp_path / name for name in files]


def test_the_plain_evaluate_gives_the_typer_command_s_bytes_and_exit_status(
        tmp_path: Path) -> None:
    # ``nseers evaluate [OPTIONS] SOURCE`` skips typer (issue 18); typer's own run of the
    # same command line is the reference.
    sources = [*map(str, EXAMPLES), str(ROOT / "examples" / "cases.jsonl"),
               *map(str, _bad_cases(tmp_path)), str(tmp_path / "missing.json")]
    for source in sources:
        plain = _entry_point(["evaluate", source])
        typer_run = _typer_entry(["evaluate", source])
        assert (plain.returncode, plain.stdout, plain.stderr) == (
            typer_run.returncode, typer_run.stdout, typer_run.stderr), source
    assert {_entry_point(["evaluate", str(p)]).returncode for p in _bad_cases(tmp_path)} == {2}
    stdin = (ROOT / "examples" / "cases.jsonl").read_text()
    plain = _entry_point(["evaluate", "-"], stdin=stdin)
    typer_run = _typer_entry(["evaluate", "-"], stdin=stdin)
    assert plain.returncode == 0
    assert (plain.stdout, plain.stderr) == (typer_run.stdout, typer_run.stderr)
    bad_policy = tmp_path / "policy"
    bad_policy.mkdir()
    (bad_policy / "broken.yaml").write_text("kind: parameter\nrecords: [\n")
    environ = {"NSEERS_POLICY_DIR": str(bad_policy)}
    plain = _entry_point(["evaluate", str(EXAMPLES[0])], environ=environ)
    typer_run = _typer_entry(["evaluate", str(EXAMPLES[0])], environ=environ)
    assert plain.returncode == typer_run.returncode == 1
    assert (plain.stdout, plain.stderr) == (typer_run.stdout, typer_run.stderr)
    assert "not valid YAML" in plain.stderr


def test_the_plain_evaluate_reads_the_options_as_typer_does(tmp_path: Path) -> None:
    batch = str(ROOT / "examples" / "cases.jsonl")
    bad_policy = tmp_path / "policy"
    bad_policy.mkdir()
    (bad_policy / "broken.yaml").write_text("kind: parameter\nrecords: [\n")
    command_lines = [
        ["evaluate", "--workers", "2", batch], ["evaluate", batch, "--workers=2"],
        ["evaluate", "--indent", "0", str(EXAMPLES[0])], ["evaluate", "--indent=4", batch],
        ["evaluate", "--indent", "3", "--workers", "2", batch],
        ["evaluate", "--policy-dir", str(bad_policy), batch],
        ["evaluate", f"--policy-dir={tmp_path / 'missing'}", batch],
        ["evaluate", "--workers", "2", str(_bad_cases(tmp_path)[0])],
        # Typer's to read, and to refuse where they are wrong:
        ["evaluate", "--workers", "0", batch], ["evaluate", "--workers", "two", batch],
        ["evaluate", "--indent", "-1", batch], ["evaluate", "--workers", batch],
        ["evaluate", "--workers", "1", "--workers", "2", batch],
        ["evaluate", batch, batch], ["evaluate", "--workers", "2"], ["evaluate", "--help"],
        ["evaluate", "--", batch], ["evaluate", "--colour", batch],
    ]
    for args in command_lines:
        plain = _entry_point(args)
        typer_run = _typer_entry(args)
        assert (plain.returncode, plain.stdout, plain.stderr) == (
            typer_run.returncode, typer_run.stdout, typer_run.stderr), args
    assert _entry_point(["evaluate", "--indent=4", batch]).stdout.startswith("[\n    {")
    assert _entry_point(["evaluate", "--workers", "0", batch]).returncode == 2


def test_the_plain_evaluate_leaves_to_typer_what_it_does_not_read() -> None:
    from nseers.cli.main import PlainEvaluate, plain_evaluate  # noqa: PLC0415

    assert plain_evaluate(["evaluate", "-"]) == PlainEvaluate("-")
    assert plain_evaluate(["evaluate", "--workers=3", "--policy-dir", "a",
                           "--policy-dir=b", "--indent", "0", "x.json"]) == PlainEvaluate(
        "x.json", (Path("a"), Path("b")), 0, 3)
    for args in (["evaluate"], ["explain", "x.json"], ["evaluate", "--workers", "0", "x"],
                 ["evaluate", "--workers", "\u0662", "x"], ["evaluate", "--indent", "-2", "x"],
                 ["evaluate", "--policy-dir", "--workers", "x"], ["evaluate", "x", "y"],
                 ["evaluate", "--indent", "1", "--indent", "1", "x"], ["evaluate", "--", "x"],
                 ["evaluate", "--policy-dir=", "x"], ["evaluate", "-h", "x"]):
        assert plain_evaluate(args) is None, args


def test_help_still_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in ("evaluate", "explain", "policy", "mrz", "db", "person", "compliance",
                 "audit", "demo", "users", "web", "serve"):
        assert f" {name} " in result.stdout, name
    assert runner.invoke(app, ["serve", "--help"]).exit_code == 0
    assert "read" in runner.invoke(app, ["mrz", "--help"]).stdout
