"""The blocking index and the screener: a query meets only plausible candidates.

Comparing a traveller with every name on a million-person list costs seconds; the index
makes it milliseconds. Every name contributes keys: each core token's consonant skeleton
(:func:`~nseers.screening.names.skeleton`) and, for skeletons of three letters or more,
the skeleton with one letter deleted (so a typo on either side still meets: the
symmetric-deletion idea of SymSpell), and each pair of token skeletons (so two common
tokens such as *Mohammed Ali* still single out the few who carry both). Keys are hashed
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
BLOCK_LIMIT = 300
FULL_LIMIT = 12
BLOCK_KEEP = 6
#: Keys shared by more persons than this are ignored alone (pairs still count).
COMMON_KEY = 20_000
PAIR_TOKENS = 6


def name_keys(name: NormalName) -> set[str]:
    """The blocking keys of one name: token skeletons, their deletions, skeleton pairs."""
    keys: set[str] = set()
    tokens: list[str] = []
    for token, skel in zip(name.tokens, name.skeletons, strict=True):
        key = skel if len(skel) >= 2 else "=" + token
        tokens.append(key)
        keys.add(key)
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
            for raw in person.names:
                normal = normalise(raw)
                self.names.append(normal)
                self.name_owner.append(owner)
                self._compact.append(normal.sorted_text)
                keys |= name_keys(normal)
            key_hashes.extend(_hash(k) for k in keys)
            key_owners.extend([owner] * len(keys))
        hashes = np.fromiter(key_hashes, dtype=np.int64, count=len(key_hashes))
        owners = np.fromiter(key_owners, dtype=np.int32, count=len(key_owners))
        order = np.argsort(hashes, kind="stable")
        self._keys: npt.NDArray[np.int64] = hashes[order]
        self._owners: npt.NDArray[np.int32] = owners[order]
        self._names_of = self._group_names()

    def _group_names(self) -> list[range]:
        spans: list[range] = []
        start = 0
        owners = self.name_owner
        for index in range(1, len(owners) + 1):
            if index == len(owners) or owners[index] != owners[start]:
                spans.append(range(start, index))
                start = index
        return spans

    def __len__(self) -> int:
        return len(self.persons)

    @property
    def name_count(self) -> int:
        """How many names (primary names and aliases) are indexed."""
        return len(self.names)

    def block(self, query: NormalName, limit: int = BLOCK_LIMIT) -> npt.NDArray[np.int32]:
        """The persons sharing the rarest keys with ``query``, best first, at most ``limit``."""
        total = max(len(self.persons), 1)
        found: list[npt.NDArray[np.int32]] = []
        weights: list[npt.NDArray[np.float64]] = []
        for key in name_keys(query):
            hashed = _hash(key)
            low = int(np.searchsorted(self._keys, hashed, side="left"))
            high = int(np.searchsorted(self._keys, hashed, side="right"))
            size = high - low
            if size == 0 or (size > COMMON_KEY and "|" not in key):
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
        return self._names_of[person]

    def compact_names(self, positions: Sequence[int]) -> list[str]:
        """The sorted-token forms of the names at ``positions`` (for vectorised scoring)."""
        return [self._compact[i] for i in positions]


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
        blocked = self.index.block(normal)
        if len(blocked) == 0:
            return []
        shortlist = self._shortlist(normal, blocked)
        candidates = [self.score(query, normal, person, on) for person in shortlist]
        candidates.sort(key=lambda c: (-c.score, c.listed_id))
        if only_matches:
            candidates = [c for c in candidates if c.match]
        return candidates[:limit]

    def _shortlist(self, normal: NormalName, blocked: npt.NDArray[np.int32]) -> list[int]:
        positions: list[int] = []
        owners: list[int] = []
        for person in blocked.tolist():
            span = self.index.names_of(person)
            positions.extend(span)
            owners.extend([person] * len(span))
        similarity = process.cdist([normal.sorted_text], self.index.compact_names(positions),
                                   scorer=fuzz.token_sort_ratio, dtype=np.uint8)[0]
        best: dict[int, int] = {}
        for owner, value in zip(owners, similarity.tolist(), strict=True):
            if value > best.get(owner, -1):
                best[owner] = value
        # Blocking rank breaks ties, so namesakes keep their key-overlap order.
        ranked = sorted(best, key=lambda p: -best[p])[:FULL_LIMIT]
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
