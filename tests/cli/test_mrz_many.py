"""``nseers mrz read --many``: one MRZ per line in, one JSON reading per line out."""

from __future__ import annotations

import json
import random
import sys
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from nseers.cli.main import app
from nseers.documents import parse_mrz

sys.path.insert(0, str(Path(__file__).parent.parent.parent / "benchmarks"))
from bench_documents import random_passport

runner = CliRunner()
AS_OF = "2024-06-01"


def passports(count: int) -> list[str]:
    rng = random.Random(5)  # noqa: S311 - test data
    return [random_passport(rng) for _ in range(count)]


def test_each_line_is_read_as_one_mrz_in_order(tmp_path: Path) -> None:
    mrzs = passports(3)
    spoilt = mrzs[2][:-1] + str((int(mrzs[2][-1]) + 1) % 10)  # the composite check digit
    source = tmp_path / "mrzs.txt"
    source.write_text(f"{mrzs[0].replace(chr(10), ' ')}\n\n{mrzs[1].replace(chr(10), '')}\n"
                      f"{spoilt.replace(chr(10), ' ')}\nnot an mrz\n")
    result = runner.invoke(app, ["mrz", "read", "--many", "--as-of", AS_OF, str(source)])
    assert result.exit_code == 1  # one is invalid, one is no MRZ at all
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["line"] for line in lines] == [1, 3, 4, 5]
    assert [line["valid"] for line in lines] == [True, True, False, False]
    single = parse_mrz(mrzs[1], reference_date=date(2024, 6, 1))
    assert lines[1]["fields"] == single.to_dict()["fields"]
    assert "composite" in json.dumps(lines[2]["problems"])
    assert lines[3]["format"] is None


def test_all_valid_exits_0_from_standard_input() -> None:
    text = "".join(m.replace("\n", " ") + "\n" for m in passports(50))
    result = runner.invoke(app, ["mrz", "read", "--many", "--as-of", AS_OF, "-"], input=text)
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 50
