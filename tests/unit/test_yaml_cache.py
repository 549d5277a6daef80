"""The policy's parsed YAML kept as JSON by content (issue 18): the same values, always."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import yaml

from nseers.rules.policy import yaml_cache
from nseers.rules.policy.store import load_policy

DATA = resources.files("nseers.rules.policy") / "data"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("NSEERS_POLICY_CACHE", str(where))
    return where


def test_every_built_in_file_comes_back_from_the_cache_as_the_parser_gives_it(
        cache: Path) -> None:
    texts = [entry.read_text(encoding="utf-8") for entry in DATA.iterdir()
             if entry.name.endswith(".yaml")]
    assert len(texts) > 20
    for text in texts:
        parsed = yaml.safe_load(text)
        assert yaml_cache.load_yaml(text) == parsed  # parsed, then kept
        assert yaml_cache.load_yaml(text) == parsed  # from the cache
    assert len(list(cache.glob("*.json"))) == len(set(texts))


def test_a_policy_loaded_from_the_cache_is_the_policy(cache: Path) -> None:
    first = load_policy()
    assert list(cache.glob("*.json"))
    again = load_policy()
    assert again.version == first.version
    assert again.documents == first.documents


def test_a_damaged_entry_is_read_past_and_rewritten(cache: Path) -> None:
    text = "records:\n  - {id: a, from: 2003-12-02, value: [1, 2.5, true, null]}\n"
    assert yaml_cache.load_yaml(text) == yaml.safe_load(text)
    (entry,) = cache.glob("*.json")
    entry.write_text('{"records": [', encoding="utf-8")
    assert yaml_cache.load_yaml(text) == yaml.safe_load(text)
    assert yaml_cache.load_yaml(text) == yaml.safe_load(text)


@pytest.mark.parametrize("text", [
    "{1: one}\n",                       # a key that is not a string
    "at: 2003-12-02 10:00:00\n",        # a timestamp
    "value: {$date: 2003-12-02}\n",     # the tag itself, as data
])
def test_values_json_would_change_are_parsed_and_never_kept(cache: Path, text: str) -> None:
    assert yaml_cache.load_yaml(text) == yaml.safe_load(text)
    assert not list(cache.glob("*.json"))


def test_off_means_no_file_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NSEERS_POLICY_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert yaml_cache.load_yaml("a: 1\n") == {"a": 1}
    assert not list(tmp_path.rglob("*.json"))


@pytest.mark.usefixtures("cache")
def test_text_that_is_not_yaml_is_the_parser_s_error() -> None:
    with pytest.raises(yaml.YAMLError):
        yaml_cache.load_yaml("a: [1, 2\n")
