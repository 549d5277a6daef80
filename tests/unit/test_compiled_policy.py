"""The validated policy kept by content (issue 18): the same law, never a stale or bad one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from nseers.core.errors import PolicyError
from nseers.rules.policy import compiled
from nseers.rules.policy.store import builtin_sources, load_policy
from nseers.rules.policy.validation import dump

EXTRA = """kind: parameter
title: An administrator's notice
records:
  - id: special_registration.call_in_notice_days
    from: 2030-01-01
    value: {days}
    citation: 8 CFR 264.1(f)(3)
    source: A notice
    confidence: M
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("NSEERS_POLICY_CACHE", str(where))
    return where


def _kept(cache: Path) -> list[Path]:
    return sorted(cache.glob("policy-*.json"))


def _validated(extra: tuple[Path, ...] = ()) -> object:
    os.environ["NSEERS_POLICY_CACHE"], before = "off", os.environ["NSEERS_POLICY_CACHE"]
    try:
        return load_policy(extra)
    finally:
        os.environ["NSEERS_POLICY_CACHE"] = before


def test_the_kept_policy_is_the_validated_one_record_for_record(cache: Path) -> None:
    validated = _validated()
    first = load_policy()
    assert len(_kept(cache)) == 1
    again = load_policy()  # from the entry
    assert again.documents == validated.documents  # type: ignore[attr-defined]
    assert again.version == validated.version  # type: ignore[attr-defined]
    for got, want in zip((r for d in again.documents for r in d.records),
                         (r for d in first.documents for r in d.records), strict=True):
        assert type(got) is type(want)
        assert got == want
        assert dump(got) == dump(want)
    day = date(2003, 1, 15)
    assert again.in_force(day).parameters == first.in_force(day).parameters


def test_a_start_that_finds_the_policy_kept_validates_nothing(cache: Path) -> None:
    load_policy()
    probe = ("import sys\nfrom nseers.rules.policy.store import load_policy\n"
             "from nseers.rules.policy import schema\nload_policy()\n"
             "print('pydantic' in sys.modules, 'yaml' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, env={**os.environ, "NSEERS_POLICY_CACHE": str(cache)})
    assert done.stdout.split() == ["False", "False"]


def test_a_changed_file_is_validated_again_and_its_errors_reported(
        cache: Path, tmp_path: Path) -> None:
    notices = tmp_path / "notices"
    notices.mkdir()
    notice = notices / "notice.yaml"
    notice.write_text(EXTRA.format(days=10), encoding="utf-8")
    assert load_policy((notices,)).parameter(
        "special_registration.call_in_notice_days", date(2031, 1, 1)).value == 10
    notice.write_text(EXTRA.format(days=12), encoding="utf-8")
    assert load_policy((notices,)).parameter(
        "special_registration.call_in_notice_days", date(2031, 1, 1)).value == 12
    kept = _kept(cache)
    notice.write_text(EXTRA.format(days="ten"), encoding="utf-8")
    with pytest.raises(PolicyError) as raised:
        load_policy((notices,))
    assert "value" in str(raised.value.problems[0])
    with pytest.raises(PolicyError):
        load_policy((notices,))  # a policy with problems is never kept
    assert _kept(cache) == kept


def test_an_entry_that_names_a_class_outside_the_schema_is_never_used(cache: Path) -> None:
    validated = _validated()
    load_policy()
    (entry,) = _kept(cache)
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.replace('"$m":"Parameter"', '"$m":"Path"', 1), encoding="utf-8")
    assert load_policy().documents == validated.documents  # type: ignore[attr-defined]
    entry.write_text('[["data/x.yaml", "parameter", "x", [', encoding="utf-8")
    assert load_policy().documents == validated.documents  # type: ignore[attr-defined]


def test_the_key_covers_the_files_and_the_code_that_checks_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = builtin_sources()
    assert compiled.key(sources) == compiled.key(list(sources))
    path, text = sources[0]
    assert compiled.key([(path, text + "\n"), *sources[1:]]) != compiled.key(sources)
    assert compiled.key([(path + "x", text), *sources[1:]]) != compiled.key(sources)
    code = tmp_path / "policy"
    code.mkdir()
    here = Path(compiled.__file__).parent
    for name in ("schema.py", "parameters.py", "store.py", "compiled.py"):
        (code / name).write_bytes((here / name).read_bytes())
    for name in ("ids.py", "result.py"):
        (tmp_path / name).write_bytes((here.parent / name).read_bytes())
    monkeypatch.setattr(compiled, "_HERE", code)
    same = compiled.key(sources)
    assert same == compiled.key(sources)
    (tmp_path / "ids.py").write_text("RULE = 'a new rule'\n", encoding="utf-8")
    assert compiled.key(sources) != same


def test_values_the_encoding_would_change_are_not_kept(cache: Path) -> None:
    from nseers.rules.policy.store import PolicyDocument  # noqa: PLC0415

    compiled.keep("k", [PolicyDocument("p", "parameter", "t", ({"$m": 1},))])  # type: ignore[arg-type]
    compiled.keep("k", [PolicyDocument("p", "parameter", "t", ({1: "a"},))])  # type: ignore[arg-type]
    assert not _kept(cache)
    compiled.keep("k", [PolicyDocument("p", "parameter", "t", ({"a": (1, date(2003, 1, 1))},))])  # type: ignore[arg-type]
    (entry,) = _kept(cache)
    assert json.loads(entry.read_text(encoding="utf-8"))[0][3]
    assert compiled.load("k")[0].records == ({"a": (1, date(2003, 1, 1))},)  # type: ignore[index]
