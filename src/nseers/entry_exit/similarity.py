"""String similarity for the Spark engine, scoring exactly as DuckDB's built-ins do.

Splink's Jaro-Winkler levels call the engine's own function: DuckDB's
``jaro_winkler_similarity``, and on Spark a UDF. Splink ships a Scala UDF jar for Spark,
but its Jaro-Winkler gives other values than DuckDB's for about one pair in twenty, and
one pair in a hundred lands on another side of the 0.92 or 0.80 level, so the two engines
would link differently. These functions reproduce DuckDB's results bit for bit instead
(checked against DuckDB on 160,000 random pairs): the same matching window, whole
transpositions halved with integer division, and the Winkler boost rounded once, as the
fused multiply-add DuckDB is compiled to. Damerau-Levenshtein is rapidfuzz's
(unrestricted, as DuckDB's ``damerau_levenshtein``). Both take ``None`` as SQL does: a
Python UDF is evaluated for every row, whatever ``CASE`` branch is taken.
"""

from __future__ import annotations

from fractions import Fraction

from rapidfuzz.distance import DamerauLevenshtein

_PREFIX_WEIGHT = 0.1
_BOOST_FROM = 0.7
_MAX_PREFIX = 4


def _jaro(a: str, b: str) -> float:
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    taken = [False] * len(b)
    matched_a: list[str] = []
    for i, char in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not taken[j] and b[j] == char:
                taken[j] = True
                matched_a.append(char)
                break
    common = len(matched_a)
    if not common:
        return 0.0
    matched_b = [char for j, char in enumerate(b) if taken[j]]
    transpositions = sum(x != y for x, y in zip(matched_a, matched_b, strict=True)) // 2
    return (common / len(a) + common / len(b) + (common - transpositions) / common) / 3.0


def jaro_winkler(a: str | None, b: str | None) -> float | None:
    """DuckDB's ``jaro_winkler_similarity(a, b)``: 0 when either string is empty."""
    if a is None or b is None:
        return None
    if not a or not b:
        return 0.0
    similarity = _jaro(a, b)
    if similarity <= _BOOST_FROM:
        return similarity
    prefix = 0
    for x, y in zip(a[:_MAX_PREFIX], b[:_MAX_PREFIX], strict=False):
        if x != y:
            break
        prefix += 1
    boost = Fraction(prefix * _PREFIX_WEIGHT) * Fraction(1.0 - similarity)
    return float(boost + Fraction(similarity))


def damerau_levenshtein(a: str | None, b: str | None) -> int | None:
    """DuckDB's ``damerau_levenshtein(a, b)``."""
    if a is None or b is None:
        return None
    return int(DamerauLevenshtein.distance(a, b))
