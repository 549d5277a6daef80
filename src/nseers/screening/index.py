"""The blocking index and the screener: a query meets only plausible candidates.

Comparing a traveller with every name on a million-person list costs seconds; the index
makes it milliseconds. Every name contributes keys: each core token's consonant skeleton
(:func:`~nseers.screening.names.skeleton`) and, for skeletons of three letters or more,
the skeleton with one letter deleted (so a typo on either side still meets: the
symmetric-deletion idea of SymSpell), and each pair of token skeletons (so two common
tokens such as *Mohammed Ali* still single out the few who carry both), and each token
skeleton with the birth year (so a query with a birth date finds its person among many
namesakes even when the rarest part of the name is mistyped). Keys are hashed
into one sorted array of (key, person) pairs; a query's keys are found by binary search.
Candidates are ranked by the rarity of the keys they share (inverse document frequency),
the best few hundred are compared by rapidfuzz over their run-together names in one
vectorised call, and the best dozen are scored in full with explanations.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import combinations

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from nseers.screening.model import Candidate, ListedPerson, ScreeningQuery
from nseers.screening.names import NormalName, normalise
from nseers.screening.policy import ScreeningPolicy, ScreeningRule
from nseers.screening.scoring import (
    NameScorer,
    RapidfuzzNameScorer,
    compare_dates,
    compare_nationality,
)

#: How many candidates leave blocking, and how many are scored in full: the best by
#: whole-name similarity and, whatever that says, the best by shared rare keys (a
#: typo'd rare surname shares keys even where the whole string looks unlike).
#: Measured at 1,000,000 listed persons (docs/screening.md): 300 / 8 / 4 missed 2.2 % of
#: variant queries at 519 q/s; 600 / 12 / 8 misses 1.75 % at about 290 q/s a core.
BLOCK_LIMIT = 600
FULL_LIMIT = 12
BLOCK_KEEP = 8
#: Points (of 100) the shortlist adds for a listed birth year equal to the query's.
BORN_BONUS = 10
#: Keys shared by more persons than this are ignored alone (pairs still count).
COMMON_KEY = 4_000
PAIR_TOKENS = 6


def name_keys(name: NormalName, years: Iterable[int] = ()) -> set[str]:
    """The blocking keys of one name: token skeletons, their deletions, skeleton pairs,
    and each token skeleton with a birth year (``years``)."""
    keys: set[str] = set()
    tokens: list[str] = []
    for token, skel in zip(name.tokens, name.skeletons, strict=True):
        key = skel if len(skel) >= 2 else "=" + token
        tokens.append(key)
        keys.add(key)
        keys.update(f"{key}#{year}" for year in years)
        if len(skel) >= 3:
            keys.update(skel[:i] + skel[i + 1:] for i in range(len(skel)))
    for a, b in combinations(sorted(set(tokens[:PAIR_TOKENS])), 2):
        keys.add(f"{a}|{b}")
    return keys


def _hash(key: str) -> int:
    # Python's string hash is fixed for the life of the process, which is the life of
    # the index; it is never stored.
    return hash(key)


class WatchlistIndex:
    """Listed persons with their names normalised and their blocking keys sorted."""

    def __init__(self, persons: Iterable[ListedPerson]) -> None:
        self.persons: list[ListedPerson] = []
        self.names: list[NormalName] = []
        self.name_owner: list[int] = []
        self._compact: list[str] = []
        key_hashes: list[int] = []
        key_owners: list[int] = []
        seen: set[str] = set()
        for person in persons:
            if person.id in seen:
                raise ValueError(f"listed person id {person.id!r} appears twice")
            seen.add(person.id)
            owner = len(self.persons)
            self.persons.append(person)
            keys: set[str] = set()
            years = {d.year for d in person.dates_of_birth}
            for raw in person.names:
                normal = normalise(raw)
                self.names.append(normal)
                self.name_owner.append(owner)
                self._compact.append(normal.sorted_text)
                keys |= name_keys(normal, years)
            key_hashes.extend(_hash(k) for k in keys)
            key_owners.extend([owner] * len(keys))
        hashes = np.fromiter(key_hashes, dtype=np.int64, count=len(key_hashes))
        owners = np.fromiter(key_owners, dtype=np.int32, count=len(key_owners))
        order = np.argsort(hashes, kind="stable")
        self._keys: npt.NDArray[np.int64] = hashes[order]
        self._owners: npt.NDArray[np.int32] = owners[order]
        counts = np.bincount(np.asarray(self.name_owner, dtype=np.int64),
                             minlength=len(self.persons))
        self._name_count: npt.NDArray[np.int64] = counts
        self._name_start: npt.NDArray[np.int64] = np.concatenate(
            ([0], np.cumsum(counts)[:-1])).astype(np.int64)
        #: Each person's birth years (the first listed), -1 where none: the shortlist
        #: prefers, among names alike, the person born in the query's year.
        self._born: npt.NDArray[np.int32] = np.fromiter(
            (p.dates_of_birth[0].year if p.dates_of_birth else -1 for p in self.persons),
            dtype=np.int32, count=len(self.persons))

    def __len__(self) -> int:
        return len(self.persons)

    @property
    def name_count(self) -> int:
        """How many names (primary names and aliases) are indexed."""
        return len(self.names)

    def block(self, query: NormalName, born: int | None = None,
              limit: int = BLOCK_LIMIT) -> npt.NDArray[np.int32]:
        """The persons sharing the rarest keys with ``query``, best first, at most ``limit``.

        ``born`` (the query's birth year) adds the year keys: among a million names many
        persons share two common name parts, and the birth year singles out the few.
        """
        total = max(len(self.persons), 1)
        found: list[npt.NDArray[np.int32]] = []
        weights: list[npt.NDArray[np.float64]] = []
        for key in name_keys(query, () if born is None else (born,)):
            hashed = _hash(key)
            low = int(np.searchsorted(self._keys, hashed, side="left"))
            high = int(np.searchsorted(self._keys, hashed, side="right"))
            size = high - low
            if size == 0 or (size > COMMON_KEY and "|" not in key and "#" not in key):
                continue
            owners = self._owners[low:high]
            found.append(owners)
            weight = math.log(1 + total / size) * (2.0 if "|" in key else 1.0)
            weights.append(np.full(size, weight))
        if not found:
            return np.empty(0, dtype=np.int32)
        owners = np.concatenate(found)
        unique, inverse = np.unique(owners, return_inverse=True)
        score = np.bincount(inverse, weights=np.concatenate(weights))
        if len(unique) > limit:
            best = np.argpartition(-score, limit)[:limit]
            unique, score = unique[best], score[best]
        return unique[np.argsort(-score, kind="stable")]

    def names_of(self, person: int) -> range:
        """The positions of a person's names in :attr:`names`."""
        start = int(self._name_start[person])
        return range(start, start + int(self._name_count[person]))

    def name_positions(self, persons: npt.NDArray[np.int32]
                       ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """The positions of all names of ``persons`` and where each person's run starts."""
        counts = self._name_count[persons]
        starts = self._name_start[persons]
        offsets = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
        positions = np.repeat(starts - offsets, counts) + np.arange(int(counts.sum()))
        return positions, offsets

    def compact_names(self, positions: Sequence[int]) -> list[str]:
        """The sorted-token forms of the names at ``positions`` (for vectorised scoring)."""
        compact = self._compact
        return [compact[i] for i in positions]

    def born(self, persons: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
        """The first listed birth year of each of ``persons`` (-1 where none)."""
        return self._born[persons]


class Screener:
    """Screens queries against an index under the screening policy."""

    def __init__(self, index: WatchlistIndex, policy: ScreeningPolicy,
                 scorer: NameScorer | None = None) -> None:
        self.index = index
        self.policy = policy
        self.scorer: NameScorer = scorer or RapidfuzzNameScorer()

    def screen(self, query: ScreeningQuery, on: date, limit: int = 5,
               only_matches: bool = False) -> list[Candidate]:
        """The best candidates for ``query`` under the policy in force on ``on``."""
        normal = normalise(query.name)
        blocked = self.index.block(
            normal, query.date_of_birth.year if query.date_of_birth else None)
        if len(blocked) == 0:
            return []
        shortlist = self._shortlist(normal, blocked, query)
        candidates = [self.score(query, normal, person, on) for person in shortlist]
        candidates.sort(key=lambda c: (-c.score, c.listed_id))
        if only_matches:
            candidates = [c for c in candidates if c.match]
        return candidates[:limit]

    def _shortlist(self, normal: NormalName, blocked: npt.NDArray[np.int32],
                   query: ScreeningQuery) -> list[int]:
        positions, offsets = self.index.name_positions(blocked)
        similarity = process.cdist([normal.sorted_text],
                                   self.index.compact_names(positions.tolist()),
                                   scorer=fuzz.token_sort_ratio, dtype=np.int32)[0]
        best = np.maximum.reduceat(similarity, offsets)
        if query.date_of_birth is not None:
            # Among names alike, the person born in the query's year first: a large list
            # holds many namesakes, and the birth date tells them apart.
            best = best + np.where(self.index.born(blocked) == query.date_of_birth.year,
                                   BORN_BONUS, 0)
        # A stable sort keeps the blocking order among equals.
        order = np.argsort(-best, kind="stable")[:FULL_LIMIT]
        ranked: list[int] = blocked[order].tolist()
        chosen = set(ranked)
        ranked.extend(p for p in blocked[:BLOCK_KEEP].tolist() if p not in chosen)
        return ranked

    def score(self, query: ScreeningQuery, normal: NormalName, person: int,
              on: date) -> Candidate:
        """The full score of one listed person for ``query``, with its explanation."""
        listed = self.index.persons[person]
        rule = self.policy.for_list(listed.list_name, on)
        comparisons = [(self.scorer.compare(normal, self.index.names[i]), i)
                       for i in self.index.names_of(person)]
        comparison, position = max(comparisons, key=lambda item: item[0].similarity)
        dob_points, dob_feature, dob_listed = compare_dates(
            query.date_of_birth, listed.dates_of_birth, rule.points)
        nat_points, nat_feature = compare_nationality(
            query.nationality, listed.nationalities, rule.points)
        raw = comparison.similarity + dob_points + nat_points
        score = min(1.0, max(0.0, raw))
        is_match = score >= rule.threshold and comparison.similarity >= rule.name_floor
        return Candidate(listed.id, score, is_match, _explain(
            query, listed, self.index.names[position].original, comparison.explain(),
            (dob_points, dob_feature, dob_listed), (nat_points, nat_feature), rule, score))


def _explain(query: ScreeningQuery, listed: ListedPerson, listed_name: str,
             name: dict[str, object], dob: tuple[float, str, str],
             nationality: tuple[float, str], rule: ScreeningRule,
             score: float) -> dict[str, object]:
    return {
        "list": listed.list_name,
        "name_pair": {"query": query.name, "listed": listed_name},
        "name": {**name, "points": round(float(str(name["similarity"])), 4)},
        "date_of_birth": {"query": str(query.date_of_birth or ""), "listed": dob[2],
                          "feature": dob[1], "points": dob[0]},
        "nationality": {"query": query.nationality or "",
                        "listed": list(listed.nationalities), "feature": nationality[1],
                        "points": nationality[0]},
        "score": round(score, 4),
        "policy": rule.describe(),
    }
