"""Names made comparable across scripts and spellings.

A watchlist gives a person's name in Arabic, Cyrillic, Greek, Chinese or Korean script and
in several Latin spellings; a traveller's passport gives one more (ICAO 9303 part 3
transliteration). ``rigour`` turns every script into ASCII (its own spellings for Cyrillic,
Greek and Hangul, ICU's for the rest), and this module then drops what varies without
changing who is meant: honorifics (``Sheikh``, ``Dr``), the Arabic article and kinship
particles (``al-``, ``el-``, ``bin``, ``ibn``) and letter case. What remains are the name's
*core tokens*, in no particular order.

Vowels are the part of a name that transliteration varies most (Arabic writes short
vowels not at all: ``محمد`` is ``mhmd``, a passport says ``MOHAMMED`` or ``MUHAMMAD``), so
each token also has a *consonant skeleton*: digraphs folded (``kh``/``ch`` → ``h``,
``ph`` → ``f``, ``q``/``c`` → ``k``), vowels dropped, doubled letters collapsed. Two
spellings of one name usually share the skeleton; the blocking index keys on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from rigour.names import remove_person_prefixes
from rigour.text.translit import ascii_text

#: Titles and honorifics that precede or follow a name and say nothing of who is meant.
#: rigour removes the common Western ones (``Mr``, ``Mrs``) first; these are the rest
#: that lists and travellers' forms carry. Words that are also given names (``Sayed``,
#: ``Amir``, ``Sultan``) are not here: removing them would merge different people.
HONORIFICS: Final = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady", "rev",
    "sheikh", "shaikh", "shaykh", "sheik", "cheikh", "haji", "hajji", "hadji", "hajj",
    "mullah", "mulla", "maulana", "mawlana", "imam", "ayatollah", "hojatoleslam",
    "general", "gen", "colonel", "col", "major", "maj", "captain", "capt", "lt", "sgt",
    "prince", "princess", "emir", "jr", "sr", "ii", "iii", "phd", "esq",
})

#: Articles and kinship particles: ``al-``/``el-`` and their sun-letter forms, ``bin``,
#: ``ibn``, ``bint``, ``abu`` is not one (it is part of a kunya such as *Abu Bakr*), and
#: the European nobiliary and patronymic particles.
PARTICLES: Final = frozenset({
    "al", "el", "ul", "ad", "ar", "as", "at", "az", "an", "ash", "ath", "bin", "ibn",
    "bint", "ben", "bn", "ould", "walad", "van", "von", "der", "den", "de", "da", "di",
    "del", "della", "dos", "das", "du", "la", "le", "y", "mac", "bat",
})

_TOKEN: Final = re.compile(r"[a-z0-9]+")
#: Digraphs folded before vowels go, so that transliterations of one letter meet: Latin
#: and Slavic ones (``sch``/``sh``, ``kh``/``h``...), and Greek ones (gamma-gamma written
#: ``gg`` by ELOT 743's letter-for-letter table and ``ng`` by ear: EVAGGELOS, EVANGELOS;
#: nu-tau written ``nd`` or ``nt``: ANDONIOU, ANTONIOU).
_FOLDS: Final = (("gg", "ng"), ("nd", "nt"),
                 ("sch", "s"), ("sh", "s"), ("ch", "h"), ("kh", "h"), ("gh", "g"),
                 ("ph", "f"), ("th", "t"), ("dh", "d"), ("zh", "j"), ("ck", "k"),
                 ("q", "k"), ("c", "k"), ("x", "ks"), ("w", "v"), ("z", "s"))
_VOWELS: Final = re.compile(r"[aeiouy]+")
#: A Korean name is a one-syllable family name and a (usually) two-syllable given name,
#: written without a space; the space is put back so that ``김정은`` compares with
#: ``KIM JONG UN`` token by token.
_SYLLABLE = "[\uac00-\ud7a3]"
_HANGUL_NAME: Final = re.compile(
    f"(?<!{_SYLLABLE})({_SYLLABLE})(?={_SYLLABLE}{{1,2}}(?!{_SYLLABLE}))")
#: Romanisations of the commonest Korean family names, each to the spelling Korean
#: passports most often carry, so that Revised Romanisation (rigour's) and passport
#: spellings meet: ``Gim``/``Kim``, ``I``/``Yi``/``Rhee``/``Lee``, ``Bak``/``Pak``/``Park``.
KOREAN_SURNAMES: Final = {"gim": "kim", "i": "lee", "yi": "lee", "rhee": "lee", "ri": "lee",
                          "bak": "park", "bag": "park", "pak": "park", "choe": "choi",
                          "jeong": "jung", "chung": "jung", "gang": "kang", "jo": "cho",
                          "yun": "yoon",
                          "im": "lim", "rim": "lim"}
_DOUBLES: Final = re.compile(r"(.)\1+")
#: An attached article (``Alhashimi``, ``Elmasry``) is split off when what follows is a
#: plausible name of its own (a consonant and four letters or more).
_ATTACHED_ARTICLE: Final = re.compile(r"^(?:al|el)(?=[^aeiou][a-z]{3,}$)")


@dataclass(frozen=True, slots=True)
class NormalName:
    """A name as compared: the original, its core tokens, their skeletons, what was dropped."""

    original: str
    tokens: tuple[str, ...]
    skeletons: tuple[str, ...]
    dropped: tuple[str, ...]

    @property
    def sorted_text(self) -> str:
        """The core tokens in alphabetical order, space-separated (order-insensitive)."""
        return " ".join(sorted(self.tokens))

    @property
    def skeleton_text(self) -> str:
        """The skeletons in alphabetical order, space-separated."""
        return " ".join(sorted(self.skeletons))

    @property
    def compact(self) -> str:
        """The core tokens run together, for scripts whose names have no spaces (Hangul)."""
        return "".join(self.tokens)


def skeleton(token: str) -> str:
    """The consonant skeleton of an ASCII token: ``"mohammed"`` → ``"mhmd"``."""
    folded = token
    for digraph, replacement in _FOLDS:
        folded = folded.replace(digraph, replacement)
    return _DOUBLES.sub(r"\1", _VOWELS.sub("", folded))


@lru_cache(maxsize=262144)
def _word_ascii(word: str) -> str:
    return ascii_text(word).lower()


def to_ascii(text: str) -> str:
    """Any script to lower-case ASCII, by rigour's transliteration, word by word.

    Lists repeat name parts far more than whole names, so transliterating (ICU is slow
    for Arabic and Han) is cached per word.
    """
    if text.isascii():
        return text.lower()
    return " ".join(_word_ascii(word) for word in text.split())


def normalise(name: str) -> NormalName:
    """The comparable form of one name, in any script."""
    text = to_ascii(_HANGUL_NAME.sub(r"\1 ", remove_person_prefixes(name)))
    tokens: list[str] = []
    dropped: list[str] = []
    for word in _TOKEN.findall(text):
        if word in HONORIFICS or word in PARTICLES:
            dropped.append(word)
            continue
        article = _ATTACHED_ARTICLE.match(word)
        if article:
            dropped.append(article.group(0))
        core = word[article.end():] if article else word
        tokens.append(KOREAN_SURNAMES.get(core, core))
    if not tokens:
        # A name of particles alone ("Al Bin") is still a name: keep what there is.
        tokens, dropped = dropped, []
    return NormalName(name, tuple(tokens), tuple(skeleton(t) for t in tokens), tuple(dropped))
