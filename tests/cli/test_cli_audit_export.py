"""`nseers audit export` (issue 14: screening results, adjudications and list versions in
an audit export): the trail, or the part the filters select, as JSON Lines or CSV, in
sequence order, the export itself audited."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from nseers.cli.main import app

EXAMPLES = Path(__file__).parents[2] / "examples"
runner = CliRunner()


def run(data_dir: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"NSEERS_DATA_DIR": str(data_dir),
                                                 "NSEERS_DATABASE_URL": "",
                                                 "NSEERS_USER": "tester"})
    return result.exit_code, result.output


def test_the_watchlist_entries_are_exported_as_json_lines_and_csv(tmp_path: Path) -> None:
    assert run(tmp_path, "db", "upgrade")[0] == 0
    code, output = run(tmp_path, "watchlist", "load", str(EXAMPLES / "lookout.csv"))
    assert code == 0, output
    code, output = run(tmp_path, "audit", "export", "--action", "watchlist.")
    assert code == 0, output
    lines = [json.loads(line) for line in output.splitlines()]
    assert [e["action"] for e in lines] == ["watchlist.version_loaded"]
    assert lines[0]["actor"] == "tester"
    assert set(lines[0]) == {"seq", "at", "actor", "role", "purpose", "action", "subject",
                             "person_id", "detail", "hash"}
    code, output = run(tmp_path, "audit", "export", "--format", "csv")
    assert code == 0, output
    rows = list(csv.DictReader(io.StringIO(output)))
    seqs = [int(r["seq"]) for r in rows]
    assert seqs == sorted(seqs)
    # The first export was audited before it read anything: the second one lists it.
    assert "audit.export" in [r["action"] for r in rows]
    assert "watchlist.version_loaded" in [r["action"] for r in rows]
    code, _ = run(tmp_path, "audit", "export", "--format", "xml")
    assert code == 2
