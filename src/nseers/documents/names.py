# ruff: noqa: RUF001, RUF003  # the transliteration tables are made of look-alike letters
"""Names in the MRZ: identifiers, transliteration and comparison with the visual zone.

ICAO Doc 9303 Part 3, Section 4.6 writes a name as the primary identifier (surname), two
fillers, then the secondary identifiers (given names), components separated by one filler;
spaces and hyphens become fillers, apostrophes and other punctuation are dropped. A name
that does not fit is truncated, and the last position of the name field then holds a
letter, not a filler, which is how truncation is detected.

National characters are transliterated as Doc 9303 Part 3, Section 6 recommends: Table A
for multinational Latin characters, Table B for Cyrillic. Where the table permits more than
one transliteration (``Ä`` as ``AE`` or ``A``, ``Ü`` as ``UE``, ``UXX`` or ``U``), the first
is the one :func:`transliterate` writes and :func:`names_match` accepts every one, because
the issuing state chose, not the officer. Arabic (Table C) is not transliterated here.
"""

from __future__ import annotations

import itertools
import unicodedata
from typing import Final

from nseers.documents.checkdigits import LETTERS

#: Doc 9303 Part 3, Section 6, Table A: multinational Latin-based characters. The first
#: option is the recommended transliteration; the others are also permitted.
LATIN: Final[dict[str, tuple[str, ...]]] = {
    "À": ("A",), "Á": ("A",), "Â": ("A",), "Ã": ("A",), "Ä": ("AE", "A"), "Å": ("AA", "A"),
    "Ā": ("A",), "Ă": ("A",), "Ą": ("A",), "Æ": ("AE",),
    "Ç": ("C",), "Ć": ("C",), "Ĉ": ("C",), "Ċ": ("C",), "Č": ("C",),
    "Ð": ("D",), "Ď": ("D",), "Đ": ("D",),
    "È": ("E",), "É": ("E",), "Ê": ("E",), "Ë": ("E",), "Ē": ("E",), "Ĕ": ("E",),
    "Ė": ("E",), "Ę": ("E",), "Ě": ("E",),
    "Ĝ": ("G",), "Ğ": ("G",), "Ġ": ("G",), "Ģ": ("G",),
    "Ĥ": ("H",), "Ħ": ("H",),
    "Ì": ("I",), "Í": ("I",), "Î": ("I",), "Ï": ("I",), "Ĩ": ("I",), "Ī": ("I",),
    "Ĭ": ("I",), "Į": ("I",), "İ": ("I",), "Ĳ": ("IJ",),
    "Ĵ": ("J",), "Ķ": ("K",),
    "Ĺ": ("L",), "Ļ": ("L",), "Ľ": ("L",), "Ŀ": ("L",), "Ł": ("L",),
    "Ñ": ("N", "NXX"), "Ń": ("N",), "Ņ": ("N",), "Ň": ("N",), "Ŋ": ("N",),
    "Ò": ("O",), "Ó": ("O",), "Ô": ("O",), "Õ": ("O",), "Ö": ("OE", "O"), "Ø": ("OE",),
    "Ō": ("O",), "Ŏ": ("O",), "Ő": ("O",), "Œ": ("OE",),
    "Ŕ": ("R",), "Ŗ": ("R",), "Ř": ("R",),
    "Ś": ("S",), "Ŝ": ("S",), "Ş": ("S",), "Š": ("S",), "ẞ": ("SS",),
    "Ţ": ("T",), "Ť": ("T",), "Ŧ": ("T",), "Þ": ("TH",),
    "Ù": ("U",), "Ú": ("U",), "Û": ("U",), "Ü": ("UE", "UXX", "U"), "Ũ": ("U",),
    "Ū": ("U",), "Ŭ": ("U",), "Ů": ("U",), "Ű": ("U",), "Ų": ("U",),
    "Ŵ": ("W",), "Ý": ("Y",), "Ŷ": ("Y",), "Ÿ": ("Y",),
    "Ź": ("Z",), "Ż": ("Z",), "Ž": ("Z",),
}

#: Doc 9303 Part 3, Section 6, Table B: Cyrillic characters. Where the table gives a
#: language's own reading (``Г`` as ``H`` in Belarusian, Serbian and Ukrainian; ``И`` as
#: ``Y`` in Ukrainian), it is the second option.
CYRILLIC: Final[dict[str, tuple[str, ...]]] = {
    "А": ("A",), "Б": ("B",), "В": ("V",), "Г": ("G", "H"), "Ґ": ("G",), "Д": ("D",),
    "Ђ": ("D",), "Ѓ": ("G",), "Е": ("E",), "Ё": ("E",), "Є": ("IE",), "Ж": ("ZH",),
    "З": ("Z",), "Ѕ": ("DZ",), "И": ("I", "Y"), "І": ("I",), "Ї": ("I",), "Й": ("I",),
    "Ј": ("J",), "К": ("K",), "Л": ("L",), "Љ": ("LJ",), "М": ("M",), "Н": ("N",),
    "Њ": ("NJ",), "О": ("O",), "П": ("P",), "Р": ("R",), "С": ("S",), "Т": ("T",),
    "Ћ": ("C",), "Ќ": ("K",), "У": ("U",), "Ў": ("U",), "Ф": ("F",), "Х": ("KH",),
    "Ц": ("TS",), "Ч": ("CH",), "Џ": ("DZ",), "Ш": ("SH",), "Щ": ("SHCH",), "Ъ": ("IE",),
    "Ы": ("Y",), "Ь": ("",), "Э": ("E",), "Ю": ("IU",), "Я": ("IA",),
}

TRANSLITERATIONS: Final = {**LATIN, **CYRILLIC}
#: Characters that separate name components: written as one filler.
SEPARATORS: Final = frozenset(" -‐‑–\t<")
#: Characters dropped from a name (Doc 9303 Part 3, 4.6: punctuation is omitted).
DROPPED: Final = frozenset("'’`´.,\"")
#: Widths of the name field per format; a full field ending in a letter was truncated.
NAME_WIDTHS: Final = frozenset({30, 31, 39})
_MAX_VARIANTS: Final = 256


def _options(character: str) -> tuple[str, ...]:
    if character in LETTERS:
        return (character,)
    found = TRANSLITERATIONS.get(character)
    if found is not None:
        return found
    if character in DROPPED:
        return ("",)
    # Any other accented Latin letter: its base letter (e.g. "Ǎ" -> "A").
    base = unicodedata.normalize("NFD", character)[:1]
    if base in LETTERS:
        return (base,)
    return (character,)


def transliterate(text: str) -> str:
    """``text`` in MRZ characters, by the recommended transliteration; separators kept.

    >>> transliterate("Müller-Lüdenscheidt")
    'MUELLER-LUEDENSCHEIDT'
    >>> transliterate("Þórunn Øster Straße")
    'THORUNN OESTER STRASSE'
    >>> transliterate("Андрей Щукин")
    'ANDREI SHCHUKIN'
    """
    return "".join(_options(c)[0] if c not in SEPARATORS else c for c in _upper(text))


def _upper(text: str) -> str:
    # str.upper turns "ß" into "SS", as Table A does, and "ı" into "I".
    return unicodedata.normalize("NFC", text).upper()


def components(text: str) -> list[str]:
    """The components of a (transliterated) name: split at spaces, hyphens and fillers."""
    words: list[str] = []
    current: list[str] = []
    for character in text:
        if character in SEPARATORS:
            if current:
                words.append("".join(current))
                current = []
        elif character not in DROPPED:
            current.append(character)
    if current:
        words.append("".join(current))
    return words


def _component_variants(word: str) -> set[str]:
    """Every permitted transliteration of one name component (upper case)."""
    options = [_options(c) for c in word]
    count = 1
    for choice in options:
        count *= len(choice)
    if count > _MAX_VARIANTS:
        return {"".join(choice[0] for choice in options)}
    return {"".join(parts) for parts in itertools.product(*options)}


def mrz_name(surname: str, given_names: str) -> str:
    """The name as the MRZ writes it, before padding: ``ERIKSSON<<ANNA<MARIA``."""
    primary = "<".join(components(transliterate(surname)))
    secondary = "<".join(components(transliterate(given_names)))
    return f"{primary}<<{secondary}" if secondary else primary


def split_name(field: str) -> tuple[str, str, bool]:
    """Surname, given names (components joined by spaces) and whether the field was truncated.

    >>> split_name("ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<")
    ('ERIKSSON', 'ANNA MARIA', False)
    """
    primary, _, secondary = field.rstrip("<").partition("<<")
    truncated = len(field) in NAME_WIDTHS and not field.endswith("<")
    return primary.replace("<", " "), secondary.replace("<", " ").strip(), truncated


def _structure(name: str) -> list[tuple[list[str], list[str]]]:
    """The ways to read ``name`` as (primary components, secondary components).

    A comma or a double filler says where the surname ends; without either the name may be
    written surname first or given names first, and every split is a possible reading.
    """
    for marker in (",", "<<"):
        if marker in name:
            primary, _, secondary = name.partition(marker)
            return [(components(primary), components(secondary))]
    words = components(name)
    readings: list[tuple[list[str], list[str]]] = [(words, [])]
    for cut in range(1, len(words)):
        readings.append((words[:cut], words[cut:]))
        readings.append((words[cut:], words[:cut]))
    return readings


def _matches(mrz_words: list[str], visual_words: list[str], *, truncated: bool) -> bool:
    if len(mrz_words) > len(visual_words) or (not truncated
                                               and len(mrz_words) != len(visual_words)):
        return False
    for mrz_word, visual_word in zip(mrz_words, visual_words, strict=False):
        variants = _component_variants(visual_word)
        if mrz_word in variants:
            continue
        if not truncated or not any(v.startswith(mrz_word) for v in variants):
            return False
    return True


def names_match(visual_name: str, mrz_name: str, *, truncated: bool | None = None) -> bool:
    """Whether a name read from the visual zone is the name the MRZ holds.

    ``visual_name`` is typed as printed, national characters included: ``"Müller, Jürgen"``
    (surname, comma, given names), ``"Jürgen Müller"`` or ``"MÜLLER<<JÜRGEN"``.
    ``mrz_name`` is the MRZ's name field (``"MUELLER<<JUERGEN<<<<"``) or a name in the same
    forms as ``visual_name``. Every transliteration Doc 9303 Part 3 permits is accepted; a
    truncated MRZ name (``truncated``, or detected from a full-width field that ends in a
    letter) matches when each of its components begins a component of the visual name.

    >>> names_match("Müller, Jürgen", "MUELLER<<JUERGEN<<<<<<<<<<<<<<")
    True
    >>> names_match("Müller, Jürgen", "MULLER<<JURGEN")
    True
    >>> names_match("Müller, Jürgen", "MILLER<<JURGEN")
    False
    """
    if truncated is None:
        truncated = len(mrz_name) in NAME_WIDTHS and not mrz_name.endswith("<")
    written = transliterate(mrz_name)
    marker = "<<" if "<" in written else ","
    primary, _, secondary = written.rstrip("<").partition(marker)
    mrz_primary, mrz_secondary = components(primary), components(secondary)
    if not mrz_primary:
        return False
    return any(
        _matches(mrz_primary, visual_primary, truncated=truncated)
        and _matches(mrz_secondary, visual_secondary, truncated=truncated)
        for visual_primary, visual_secondary in _structure(_upper(visual_name)))
