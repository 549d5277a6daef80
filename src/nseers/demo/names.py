"""Name lists in several scripts, and composing a synthetic person's name from them.

The lists live in ``data/names.yaml``: for each language a script (ISO 15924) and common
family and given names, each non-Latin name with the transliterations passports actually
carry. A composed name gives the Latin form (mixed case as a person writes it, diacritics
kept: "Müller", "de Jong", "Al-Qahtani"; never upper-cased the way an MRZ is) and, for a
non-Latin script, the original.

Readings we chose: a person with a single name (common in Indonesia) has it as the
surname and an empty ``given_names``, as ICAO 9303 puts a mononym in the primary
identifier; a person with two family names (Spanish, Portuguese) carries both in
``surname``, paternal first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from random import Random
from typing import Any, TypeVar

import yaml

T = TypeVar("T")

LATIN = "Latn"
NAMES_RESOURCE = "names.yaml"


@dataclass(frozen=True, slots=True)
class NamePart:
    """One name: its original script form (``None`` for Latin) and its transliterations."""

    original: str | None
    latin: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NameList:
    """The names of one language, in one script."""

    key: str
    script: str
    surnames: tuple[NamePart, ...]
    surnames_female: tuple[NamePart, ...]
    male: tuple[NamePart, ...]
    female: tuple[NamePart, ...]
    second_given_share: float = 0.0
    compound_surname_share: float = 0.0
    mononym_share: float = 0.0


@dataclass(frozen=True, slots=True)
class ComposedName:
    """A person's name, Latin and original."""

    surname: str
    given_names: str
    surname_original: str | None
    given_names_original: str | None
    script: str


def _part(entry: Any, where: str, *, is_latin: bool) -> NamePart:
    if is_latin:
        if not isinstance(entry, str) or not entry:
            msg = f"{where}: a Latin-script list takes plain names, got {entry!r}"
            raise ValueError(msg)
        return NamePart(None, (entry,))
    if (not isinstance(entry, list) or len(entry) < 2
            or not all(isinstance(item, str) and item for item in entry)):
        msg = f"{where}: expected [original, transliteration, ...], got {entry!r}"
        raise ValueError(msg)
    return NamePart(entry[0], tuple(entry[1:]))


def _parts(raw: dict[str, Any], field: str, where: str, *, is_latin: bool,
           required: bool = True) -> tuple[NamePart, ...]:
    entries = raw.get(field, [])
    if not isinstance(entries, list) or (required and not entries):
        msg = f"{where}.{field}: expected a non-empty list"
        raise ValueError(msg)
    return tuple(_part(entry, f"{where}.{field}[{index}]", is_latin=is_latin)
                 for index, entry in enumerate(entries))


def _share(raw: dict[str, Any], field: str, where: str) -> float:
    value = raw.get(field, 0.0)
    if not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        msg = f"{where}.{field}: expected a share between 0 and 1, got {value!r}"
        raise ValueError(msg)
    return float(value)


def parse_name_lists(document: Any) -> dict[str, NameList]:
    """Validate the parsed ``names.yaml`` and build its lists."""
    if not isinstance(document, dict) or not isinstance(document.get("lists"), dict):
        msg = "names data: expected a mapping with a 'lists' mapping"
        raise ValueError(msg)
    lists: dict[str, NameList] = {}
    for key, raw in document["lists"].items():
        where = f"lists.{key}"
        if not isinstance(raw, dict) or not isinstance(raw.get("script"), str):
            msg = f"{where}: expected a mapping with a 'script'"
            raise ValueError(msg)
        script = raw["script"]
        is_latin = script == LATIN
        lists[key] = NameList(
            key=key,
            script=script,
            surnames=_parts(raw, "surnames", where, is_latin=is_latin),
            surnames_female=_parts(raw, "surnames_female", where, is_latin=is_latin,
                                   required=False),
            male=_parts(raw, "male", where, is_latin=is_latin),
            female=_parts(raw, "female", where, is_latin=is_latin),
            second_given_share=_share(raw, "second_given_share", where),
            compound_surname_share=_share(raw, "compound_surname_share", where),
            mononym_share=_share(raw, "mononym_share", where),
        )
    return lists


@lru_cache(maxsize=1)
def name_lists() -> dict[str, NameList]:
    """The built-in name lists, loaded once per process."""
    text = resources.files("nseers.demo").joinpath("data").joinpath(NAMES_RESOURCE).read_text(
        encoding="utf-8")
    # The C loader reads the file several times faster; both give the same data.
    if yaml.__with_libyaml__:
        return parse_name_lists(yaml.load(text, Loader=yaml.CSafeLoader))
    return parse_name_lists(yaml.safe_load(text))


def _pick(rng: Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


def _pick_two(rng: Random, parts: tuple[NamePart, ...],
              share: float) -> tuple[NamePart, ...]:
    first = _pick(rng, parts)
    if share and rng.random() < share:
        second = _pick(rng, parts)
        if second is not first:
            return (first, second)
    return (first,)


def _join(rng: Random, parts: tuple[NamePart, ...]) -> tuple[str, str | None]:
    """The parts' Latin forms (one transliteration each) and originals, space-separated."""
    latin = [_pick(rng, part.latin) for part in parts]
    original = parts[0].original
    if len(parts) == 1:
        return latin[0], original
    return " ".join(latin), None if original is None else " ".join(
        part.original or "" for part in parts)


def compose_name(rng: Random, names: NameList, sex: str) -> ComposedName:
    """A plausible name for a person of ``sex`` ("M" or "F") from ``names``."""
    given_pool = names.male if sex == "M" else names.female
    if names.mononym_share and rng.random() < names.mononym_share:
        only, only_original = _join(rng, (_pick(rng, given_pool),))
        return ComposedName(only, "", only_original, None, names.script)
    surname_pool = (names.surnames_female if sex == "F" and names.surnames_female
                    else names.surnames)
    surname, surname_original = _join(
        rng, _pick_two(rng, surname_pool, names.compound_surname_share))
    given, given_original = _join(rng, _pick_two(rng, given_pool, names.second_given_share))
    return ComposedName(surname, given, surname_original, given_original, names.script)
