"""``nseers watchlist load`` and ``nseers screen``: on the registry database by default, or
against a list file with ``--list`` (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nseers.cli.main import app

runner = CliRunner()
LIST = ("id,name,aliases,date_of_birth,nationality,list,reason\n"
        "p1,Mohammed bin Salman,محمد بن سلمان,1985-08-31,sa,test,example\n"
        "p2,Aleksandr Solovyov,Соловьёв Александр,1970,ru,test,\n"
        "p3,Bad Row,,1970-13-01,iq,test,\n")


def run(data_dir: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin, env={
        "NSEERS_DATA_DIR": str(data_dir), "NSEERS_DATABASE_URL": "", "NSEERS_USER": "tester"})
    return result.exit_code, result.stdout, result.stderr


def test_load_then_screen_jsonl_best_first_with_explanations(tmp_path: Path) -> None:
    listing = tmp_path / "lookout.csv"
    listing.write_text(LIST, encoding="utf-8")
    code, out, err = run(tmp_path, "watchlist", "load", str(listing))
    assert code == 0, err
    assert json.loads(out)["persons"] == 2
    assert "line 4, column date_of_birth" in err
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        '{"id": "a", "name": "MUHAMMAD BIN SALMAN", "date_of_birth": "1985-08-31"}\n'
        '{"id": "b", "name": "Mohammed bin Salman", "date_of_birth": "1990-01-01",'
        ' "nationality": "FRA"}\n', encoding="utf-8")
    code, out, err = run(tmp_path, "screen", "--queries", str(queries), "--format", "jsonl")
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    first = lines[0]["candidates"][0]
    assert (first["id"], first["match"]) == ("p1", True)
    assert 0 <= first["score"] <= 1
    assert first["explanation"]["name_pair"]["listed"] == "Mohammed bin Salman"
    assert lines[1]["candidates"][0]["match"] is False
    code, out, _ = run(tmp_path, "watchlist", "versions")
    assert json.loads(out)[0]["source"] == "lookout"


def test_screen_one_name_against_a_list_file_without_a_database(tmp_path: Path) -> None:
    listing = tmp_path / "lookout.csv"
    listing.write_text(LIST, encoding="utf-8")
    code, out, _ = run(tmp_path, "screen", "--name", "Alexander Soloviev", "--dob", "1970",
                       "--list", str(listing))
    assert code == 0
    assert json.loads(out)["candidates"][0]["id"] == "p2"
    assert not (tmp_path / "nseers.db").exists()


def test_a_malformed_query_line_screens_nothing(tmp_path: Path) -> None:
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": "a"}\n', encoding="utf-8")
    code, out, err = run(tmp_path, "screen", "--queries", str(queries))
    assert code == 2
    assert out == ""
    assert "line 1.name" in err
