"""Names as the linkage compares them, normalised with rigour (never a home-made table).

A name is transliterated to ASCII (``JOÃO`` is ``JOAO``, Cyrillic and Arabic are
romanised), upper-cased and split into tokens; its phonetic key is the Metaphone of each
token, so spelling variants of one name (MOHAMMAD, MUHAMMAD, MOHAMMED; ALEKSANDR,
ALEXANDER) share a key. Only the distinct raw strings of a feed are normalised, in Python,
once each; the engine joins the result back, so fifty million rows cost as many calls as
there are distinct spellings.
"""

from __future__ import annotations

from collections.abc import Iterable

from rigour.names.tokenize import tokenize_name
from rigour.text.phonetics import metaphone
from rigour.text.translit import ascii_text


def normalise(raw: str) -> tuple[str, str]:
    """``(normalised, phonetic)`` forms of one raw name string."""
    tokens = [t for t in tokenize_name(ascii_text(raw).upper()) if t]
    return " ".join(tokens), " ".join(metaphone(t) or t for t in tokens)


def name_map(raws: Iterable[str]) -> dict[str, list[str]]:
    """Columns ``raw``, ``norm``, ``phon`` for each distinct raw string."""
    raw_out: list[str] = []
    norm_out: list[str] = []
    phon_out: list[str] = []
    for raw in raws:
        norm, phon = normalise(raw)
        raw_out.append(raw)
        norm_out.append(norm)
        phon_out.append(phon)
    return {"raw": raw_out, "norm": norm_out, "phon": phon_out}
