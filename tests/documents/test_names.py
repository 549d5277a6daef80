"""Names: the Doc 9303 Part 3 transliterations, and comparing the visual zone with the MRZ."""

from __future__ import annotations

import pytest

from nseers.documents import names_match, transliterate
from nseers.documents.render import name_field


@pytest.mark.parametrize(("national", "mrz"), [
    ("Müller", "MUELLER"),
    ("Øster", "OESTER"),
    ("Straße", "STRASSE"),
    ("Þórunn", "THORUNN"),
    ("Ærø", "AEROE"),
    ("Łukasz Żółć", "LUKASZ ZOLC"),
    ("Ðorđe", "DORDE"),
    ("Ñúñez", "NUNEZ"),
    ("Андрей Щукин", "ANDREI SHCHUKIN"),
    ("Юлия Харитонова", "IULIIA KHARITONOVA"),
    ("Цой", "TSOI"),
    ("Жанна", "ZHANNA"),
])
def test_national_characters_are_transliterated_as_doc_9303_recommends(
        national: str, mrz: str) -> None:
    assert transliterate(national) == mrz


def test_a_name_field_separates_identifiers_with_two_fillers_and_drops_punctuation() -> None:
    assert name_field("O'Brien-Smith", "Mary Ann", 30) == "OBRIEN<SMITH<<MARY<ANN<<<<<<<<"


@pytest.mark.parametrize(("visual", "mrz"), [
    ("Müller, Jürgen", "MUELLER<<JUERGEN<<<<<<<<<<<<<<"),
    ("Müller, Jürgen", "MULLER<<JURGEN"),
    ("Núñez, José", "NUNXXEZ<<JOSE"),
    ("Müller, Jürgen", "MUXXLLER<<JUXXRGEN"),
    ("Jürgen Müller", "MUELLER<<JUERGEN"),
    ("MÜLLER<<JÜRGEN", "MUELLER<<JUERGEN"),
    ("Ångström, Åsa", "AANGSTROEM<<AASA"),
    ("Ångström, Åsa", "ANGSTROM<<ASA"),
    ("Щукин, Андрей", "SHCHUKIN<<ANDREI"),
    ("García-López, María José", "GARCIA<LOPEZ<<MARIA<JOSE"),
    ("Eriksson, Anna María", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"),
])
def test_every_permitted_transliteration_matches(visual: str, mrz: str) -> None:
    assert names_match(visual, mrz)


@pytest.mark.parametrize(("visual", "mrz"), [
    ("Müller, Jürgen", "MILLER<<JURGEN"),
    ("Müller, Jürgen", "MUELLER<<JUERGEN<KARL"),
    ("Eriksson, Anna", "ERIKSSON<<ANNA<MARIA"),
    ("Anna Eriksson", "ERIKSSON<<ANNE"),
    ("Müller, Jürgen", "MUEL<<JUER"),
])
def test_a_different_name_does_not_match(visual: str, mrz: str) -> None:
    assert not names_match(visual, mrz)


def test_a_truncated_mrz_name_matches_the_name_it_begins() -> None:
    visual = "Wolfeschlegelsteinhausenbergerdorff, Hubert Blaine"
    field = name_field("Wolfeschlegelsteinhausenbergerdorff", "Hubert Blaine", 39)
    assert field == "WOLFESCHLEGELSTEINHAUSENBERGERDORFF<<HU"
    assert names_match(visual, field)
    assert names_match(visual, "WOLFESCHLEGELSTEINHAUSENBERGERDORFF<<HU", truncated=True)
    assert not names_match("Wolfeschlegelsteinhausenbergerdorff, Gustav", field)


def test_truncation_never_ends_a_full_field_on_a_filler() -> None:
    field = name_field("Smith", "Johnathan Christopher Alexander Maximilian", 30)
    assert len(field) == 30
    assert field[-1] != "<"
    assert names_match("Smith, Johnathan Christopher Alexander Maximilian", field)
