"""Scores with reasons: how alike two names are, and what birth date and nationality add.

:class:`NameScorer` is our interface; :class:`RapidfuzzNameScorer` implements it on
``rapidfuzz``. Names are compared token by token, in any order (a passport puts the
surname first, a list the given name), each query token with its best partner: the
larger of the spelling similarity (normalised Indel) and the skeleton similarity, the
latter discounted because two different names can share consonants. An initial matches
any token it begins. Tokens left over on one side only count half, because lists add
patronymics and travellers' forms drop middle names; tokens left over on both sides count
in full, because a surname that matches nothing on the other side is evidence against.
Where the two names have different numbers of tokens the run-together forms are compared
too, for names whose tokens split differently (``Minjun`` / ``Min Jun``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from rapidfuzz.distance import Indel
from rigour.territories import lookup_by_identifier

from nseers.screening.model import PartialDate
from nseers.screening.names import NormalName
from nseers.screening.policy import Points

#: A skeleton match counts for less than a spelling match; short skeletons for less still.
SKELETON_CREDIT = 0.92
SHORT_SKELETON_CREDIT = 0.70
INITIAL_CREDIT = 0.80
#: Below this a token pair is no evidence at all and both tokens count as left over.
PAIR_FLOOR = 0.55
LEFTOVER_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class NameComparison:
    """How alike two names are, and the token pairs that made it so."""

    similarity: float
    pairs: tuple[tuple[str, str, float, str], ...]
    unmatched_query: tuple[str, ...]
    unmatched_listed: tuple[str, ...]
    method: str

    def explain(self) -> dict[str, Any]:
        """The features behind the similarity, for the explanation."""
        return {"similarity": round(self.similarity, 4), "method": self.method,
                "token_pairs": [{"query": q, "listed": n, "similarity": round(s, 4),
                                 "feature": f} for q, n, s, f in self.pairs],
                "unmatched_query_tokens": list(self.unmatched_query),
                "unmatched_listed_tokens": list(self.unmatched_listed)}


class NameScorer(Protocol):
    """Compares two normalised names; 1.0 means the same name."""

    def compare(self, query: NormalName, listed: NormalName) -> NameComparison:
        """The similarity of ``query`` to ``listed`` with its evidence."""
        ...


def _token_similarity(a: str, b: str, skel_a: str, skel_b: str) -> tuple[float, str]:
    if a == b:
        return 1.0, "exact"
    if len(a) == 1 or len(b) == 1:
        return (INITIAL_CREDIT, "initial") if a[0] == b[0] else (0.0, "initial")
    spelling = Indel.normalized_similarity(a, b)
    if skel_a and skel_a == skel_b:
        credit = SKELETON_CREDIT if len(skel_a) >= 3 else SHORT_SKELETON_CREDIT
        if credit > spelling:
            return credit, "skeleton"
    return spelling, "spelling"


class RapidfuzzNameScorer:
    """Token alignment with rapidfuzz's Indel similarity and consonant skeletons."""

    def compare(self, query: NormalName, listed: NormalName) -> NameComparison:
        """Greedy best-first alignment of tokens, order-insensitive."""
        scored = sorted(
            ((*_token_similarity(q, n, query.skeletons[i], listed.skeletons[j]), i, j)
             for i, q in enumerate(query.tokens) for j, n in enumerate(listed.tokens)),
            key=lambda item: -item[0])
        used_q: set[int] = set()
        used_n: set[int] = set()
        pairs: list[tuple[str, str, float, str]] = []
        matched = weight = 0.0
        for similarity, feature, i, j in scored:
            if similarity < PAIR_FLOOR or i in used_q or j in used_n:
                continue
            used_q.add(i)
            used_n.add(j)
            q, n = query.tokens[i], listed.tokens[j]
            # An initial weighs what the letter weighs, not what the full name would.
            size = (len(q) + len(n)) / 2 if feature != "initial" else 1.0
            matched += similarity * size
            weight += size
            pairs.append((q, n, similarity, feature))
        left_q = tuple(t for i, t in enumerate(query.tokens) if i not in used_q)
        left_n = tuple(t for j, t in enumerate(listed.tokens) if j not in used_n)
        share = 1.0 if left_q and left_n else LEFTOVER_WEIGHT
        weight += share * (sum(map(len, left_q)) + sum(map(len, left_n)))
        aligned = matched / weight if weight else 0.0
        compact = 0.0
        if len(query.tokens) != len(listed.tokens):
            compact = (Indel.normalized_similarity(query.compact, listed.compact)
                       * SKELETON_CREDIT)
        if compact > aligned:
            return NameComparison(compact, ((query.compact, listed.compact, compact,
                                             "run-together"),), (), (), "run-together")
        return NameComparison(aligned, tuple(pairs), left_q, left_n, "token alignment")


def compare_dates(query: PartialDate | None,
                  listed: tuple[PartialDate, ...], points: Points) -> tuple[float, str, str]:
    """Points for the birth date, the feature (exact, swapped, year...) and the listed date.

    A list may give several dates; the best agreement counts. Day and month swapped is
    the commonest data-entry error on dates written DD/MM by one country and MM/DD by
    another; a year alone agrees with any date in that year.
    """
    if query is None or not listed:
        return 0.0, "unknown", ""
    best = (points.dob_mismatch, "mismatch", str(listed[0]))
    for date in listed:
        if date.year != query.year:
            continue
        if query.is_full and date.is_full:
            if (date.month, date.day) == (query.month, query.day):
                return points.dob_exact, "exact", str(date)
            if (date.month, date.day) == (query.day, query.month):
                best = max(best, (points.dob_swapped, "day_month_swapped", str(date)))
            continue
        if query.month is None or date.month is None or query.month == date.month:
            best = max(best, (points.dob_year, "year", str(date)))
    return best


#: ICAO 9303 part 3 codes that are not ISO 3166 alpha-3 (Germany's one letter).
_ICAO_CODES = {"D": "de", "D<<": "de"}


def country_code(code: str) -> str:
    """An ISO 3166 alpha-2 or alpha-3 code (MRZs carry alpha-3) as FtM's lower alpha-2."""
    if code.strip().upper() in _ICAO_CODES:
        return _ICAO_CODES[code.strip().upper()]
    territory = lookup_by_identifier(code.strip())
    return territory.code if territory is not None else code.strip().lower()


def compare_nationality(query: str | None, listed: tuple[str, ...],
                        points: Points) -> tuple[float, str]:
    """Points for the nationality: one of the listed nationalities, or none of them."""
    if not query or not listed:
        return 0.0, "unknown"
    if country_code(query) in {country_code(c) for c in listed}:
        return points.nationality_match, "match"
    return points.nationality_mismatch, "mismatch"
