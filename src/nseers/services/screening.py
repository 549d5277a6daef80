"""Screening use cases: load a list version, screen travellers, queue and adjudicate hits.

* :func:`load_watchlist` reads a list file (``nseers.screening.lists``), stores it as the
  next version of its source with the delta from the version before, in one transaction
  (a malformed row is reported and left out; the rest loads or nothing does), audits it,
  and re-screens everyone in the registry against the new lists: new hits go to the queue.
* :func:`screen` scores queries against the current versions of every source.
* :func:`refer` screens one traveller at inspection and records the hits above
  threshold, unless the same traveller's hit on the same listed person in the same list
  version was adjudicated a false match.
* :func:`adjudicate` records the secondary officer's decision on a hit.

The index of the current lists is built once per set of current versions and kept for
the process (building it costs seconds for a large list; screening costs milliseconds).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import Any, Final

from sqlalchemy import func, select

from nseers.core.actors import Actor, Permission
from nseers.core.errors import ConflictError, FieldProblem, InvalidInputError, NotFoundError
from nseers.db.uow import UnitOfWork
from nseers.registry.people import Person
from nseers.registry.watchlists import ListedPersonRecord, ScreeningHit, WatchlistVersion
from nseers.screening.index import Screener, WatchlistIndex
from nseers.screening.lists import delta, parse_list
from nseers.screening.model import ListedPerson, PartialDate, ScreeningQuery
from nseers.screening.policy import ScreeningPolicy, load_screening_policy
from nseers.services.context import Registry

DECISIONS: Final = ("true_match", "false_match", "needs_review")
_CACHE: dict[tuple[object, ...], tuple[Screener, dict[str, int]]] = {}


def _policy() -> ScreeningPolicy:
    return load_screening_policy()


def _current_versions(uow: UnitOfWork) -> list[WatchlistVersion]:
    latest = (select(WatchlistVersion.source, func.max(WatchlistVersion.number).label("n"))
              .group_by(WatchlistVersion.source).subquery())
    return list(uow.session.execute(select(WatchlistVersion).join(
        latest, (WatchlistVersion.source == latest.c.source)
        & (WatchlistVersion.number == latest.c.n)).order_by(WatchlistVersion.id)).scalars())


def _screener(uow: UnitOfWork) -> tuple[Screener, dict[str, int]]:
    versions = _current_versions(uow)
    # Keyed by the database and by what each current version holds (its file's hash), so
    # two registries in one process (tests, the demo) never share an index by accident.
    key = (str(uow.session.get_bind().engine.url),
           *((v.id, v.source, v.number, v.sha256) for v in versions))
    if key not in _CACHE:
        persons: list[ListedPerson] = []
        version_of: dict[str, int] = {}
        for version in versions:
            for record in uow.session.execute(select(ListedPersonRecord).where(
                    ListedPersonRecord.version_id == version.id)).scalars():
                persons.append(ListedPerson.from_dict(record.data))
                version_of[record.listed_id] = version.id
        _CACHE.clear()
        _CACHE[key] = (Screener(WatchlistIndex(persons), _policy()), version_of)
    return _CACHE[key]


def _version_dict(version: WatchlistVersion) -> dict[str, Any]:
    return {"id": version.id, "source": version.source, "number": version.number,
            "loaded_at": version.loaded_at.isoformat(), "loaded_by": version.loaded_by,
            "filename": version.filename, "format": version.format, "sha256": version.sha256,
            "persons": version.person_count,
            "delta": {k: len(v) for k, v in version.delta.items()},
            "problems": version.problems}


def load_watchlist(registry: Registry, actor: Actor, data: bytes, source: str,
                   filename: str) -> dict[str, Any]:
    """Store ``data`` as the next version of ``source``; re-screen the registry."""
    parsed = parse_list(data, source)
    problems = [str(p) for p in parsed.problems]
    if not parsed.persons:
        raise _no_persons(filename, problems)
    with registry.work(actor, Permission.LOAD_DATA) as uow:
        versions = _current_versions(uow)
        previous = next((v for v in versions if v.source == source), None)
        taken = {r for r, in uow.session.execute(
            select(ListedPersonRecord.listed_id).where(ListedPersonRecord.version_id.in_(
                [v.id for v in versions if v.source != source])))}
        clash = sorted(taken & {p.id for p in parsed.persons})
        if clash:
            raise ConflictError("duplicate", f"listed ids already used by another list: "
                                             f"{', '.join(clash[:5])}")
        old: dict[str, ListedPerson] = {}
        if previous is not None:
            old = {r.listed_id: ListedPerson.from_dict(r.data) for r in uow.session.execute(
                select(ListedPersonRecord).where(
                    ListedPersonRecord.version_id == previous.id)).scalars()}
        change = delta(old, parsed.persons)
        version = WatchlistVersion(
            source=source, number=(previous.number + 1) if previous else 1,
            loaded_at=uow.now, loaded_by=actor.username, filename=filename,
            format=parsed.format, sha256=hashlib.sha256(data).hexdigest(),
            person_count=len(parsed.persons), delta=change.to_dict(), problems=problems)
        uow.session.add(version)
        uow.session.flush()
        uow.session.add_all(ListedPersonRecord(version_id=version.id, listed_id=p.id,
                                               data=p.to_dict()) for p in parsed.persons)
        uow.audit("watchlist.version_loaded", version, source=source, number=version.number,
                  sha256=version.sha256, persons=len(parsed.persons),
                  added=len(change.added), changed=len(change.changed),
                  removed=len(change.removed), problems=len(problems))
        uow.commit()
        answer = _version_dict(version)
    answer["skipped"] = parsed.skipped
    answer["rescreen"] = rescreen_registry(registry, actor)
    return answer


def _no_persons(filename: str, problems: list[str]) -> InvalidInputError:
    return InvalidInputError([FieldProblem(filename, p) for p in problems]
                             or [FieldProblem(filename, "no listed persons in the file")])


def list_versions(registry: Registry, actor: Actor) -> list[dict[str, Any]]:
    """Every version of every list, newest first (the version history)."""
    with registry.work(actor, Permission.READ_WATCHLISTS) as uow:
        versions = uow.session.execute(select(WatchlistVersion).order_by(
            WatchlistVersion.id.desc())).scalars().all()
        return [_version_dict(v) for v in versions]


def screen(registry: Registry, actor: Actor, queries: Sequence[ScreeningQuery],
           on: date, limit: int = 5) -> list[dict[str, Any]]:
    """Candidates for each query, best first, against the current lists (audited)."""
    with registry.work(actor, Permission.SCREEN) as uow:
        screener, _ = _screener(uow)
        answers: list[dict[str, Any]] = []
        matches = 0
        for query in queries:
            candidates = screener.screen(query, on, limit)
            matches += any(c.match for c in candidates)
            answers.append({"id": query.id, "candidates": [c.to_dict() for c in candidates]})
        uow.audit("screening.screened", "screening", queries=len(queries),
                  ids=[q.id for q in queries][:100], matches=matches)
        uow.commit()
    return answers


def subject_key(query: ScreeningQuery, document: str | None = None) -> str:
    """Who a hit is about, stably: the document if known, else name and birth date."""
    if document:
        return f"doc:{document.upper()}"
    return f"name:{' '.join(query.name.upper().split())}|{query.date_of_birth or ''}"


def _record_hits(uow: UnitOfWork, screener: Screener, version_of: dict[str, int],
                 query: ScreeningQuery, key: str, origin: str, person_id: int | None,
                 on: date) -> list[ScreeningHit]:
    hits: list[ScreeningHit] = []
    for candidate in screener.screen(query, on, only_matches=True):
        version_id = version_of[candidate.listed_id]
        earlier = uow.session.execute(select(ScreeningHit).where(
            ScreeningHit.subject_key == key, ScreeningHit.listed_id == candidate.listed_id,
            ScreeningHit.version_id == version_id)).scalars().first()
        if earlier is not None:
            # Already queued, or adjudicated against this version: a false match is not
            # raised again until a new version of the list arrives.
            if earlier.status != "false_match":
                hits.append(earlier)
            continue
        hit = ScreeningHit(subject_key=key, person_id=person_id, origin=origin,
                           query={"id": query.id, "name": query.name,
                                  "date_of_birth": str(query.date_of_birth or ""),
                                  "nationality": query.nationality or ""},
                           listed_id=candidate.listed_id, version_id=version_id,
                           score=candidate.score, explanation=candidate.explanation,
                           status="open", created_at=uow.now)
        uow.session.add(hit)
        uow.audit("screening.hit", hit, person_id, listed_id=candidate.listed_id,
                  score=round(candidate.score, 4), origin=origin, version_id=version_id)
        hits.append(hit)
    return hits


def refer(registry: Registry, actor: Actor, query: ScreeningQuery, on: date,
          document: str | None = None, person_id: int | None = None) -> dict[str, Any]:
    """Screen a traveller at primary inspection: refer to secondary or not.

    The answer names no listed person: the hit is for the secondary officer's queue.
    """
    with registry.work(actor, Permission.SCREEN) as uow:
        screener, version_of = _screener(uow)
        hits = _record_hits(uow, screener, version_of, query, subject_key(query, document),
                            "inspection", person_id, on)
        uow.audit("screening.screened", "screening", person_id, queries=1, ids=[query.id],
                  matches=len(hits))
        uow.commit()
        return {"refer_to_secondary": bool(hits), "hits": [h.id for h in hits]}


def rescreen_registry(registry: Registry, actor: Actor, on: date | None = None) -> dict[str, int]:
    """Screen everyone in the registry against the current lists; new hits to the queue."""
    with registry.work(actor, Permission.LOAD_DATA) as uow:
        screener, version_of = _screener(uow)
        today = on or uow.now.date()
        screened = new = 0
        for person in uow.session.execute(select(Person)).scalars():
            nationality = person.citizenships[0].country if person.citizenships else None
            query = ScreeningQuery(
                f"person:{person.id}", f"{person.given_names} {person.surname}",
                PartialDate(person.date_of_birth.year, person.date_of_birth.month,
                            person.date_of_birth.day) if person.date_of_birth else None,
                nationality)
            before = len(uow.session.new)
            _record_hits(uow, screener, version_of, query, f"person:{person.id}", "rescreen",
                         person.id, today)
            new += len(uow.session.new) - before
            screened += 1
        uow.audit("screening.rescreened", "screening", screened=screened, new_hits=new)
        uow.commit()
    return {"screened": screened, "new_hits": new}


def _hit_dict(hit: ScreeningHit) -> dict[str, Any]:
    return {"id": hit.id, "subject": hit.subject_key, "person_id": hit.person_id,
            "origin": hit.origin, "query": hit.query, "listed_id": hit.listed_id,
            "version_id": hit.version_id, "score": hit.score, "explanation": hit.explanation,
            "status": hit.status, "created_at": hit.created_at.isoformat(),
            "adjudicated_by": hit.adjudicated_by,
            "adjudicated_at": hit.adjudicated_at.isoformat() if hit.adjudicated_at else None,
            "note": hit.note}


def list_hits(registry: Registry, actor: Actor,
              status: str | None = "open") -> list[dict[str, Any]]:
    """The hit queue (open hits by default), for the secondary officer (audited)."""
    with registry.work(actor, Permission.ADJUDICATE_HIT) as uow:
        statement = select(ScreeningHit).order_by(ScreeningHit.id)
        if status:
            statement = statement.where(ScreeningHit.status == status)
        hits = list(uow.session.execute(statement).scalars())
        for hit in hits:
            uow.audit("screening.hit_read", hit, hit.person_id)
        uow.commit()
        return [_hit_dict(h) for h in hits]


def adjudicate(registry: Registry, actor: Actor, hit_id: int, decision: str,
               note: str = "") -> dict[str, Any]:
    """Record the secondary officer's decision: true match, false match or needs review."""
    if decision not in DECISIONS:
        raise InvalidInputError([FieldProblem("decision", f"one of {', '.join(DECISIONS)}")])
    with registry.work(actor, Permission.ADJUDICATE_HIT) as uow:
        hit = uow.session.get(ScreeningHit, hit_id)
        if hit is None:
            raise NotFoundError("screening hit", hit_id)
        before = hit.status
        hit.status, hit.note = decision, note or None
        hit.adjudicated_by, hit.adjudicated_at = actor.username, uow.now
        uow.audit("screening.adjudicated", hit, hit.person_id, before=before, after=decision,
                  listed_id=hit.listed_id, version_id=hit.version_id, note=note)
        uow.commit()
        return _hit_dict(hit)


def screen_arrivals(uow: UnitOfWork,
                    travellers: Sequence[tuple[Sequence[ScreeningQuery], str, int | None, date]]
                    ) -> list[dict[str, Any]]:
    """Screen the travellers of an inspection batch inside its unit of work.

    Each traveller is given as the queries for their names (the Latin name of the MRZ or
    form and, where recorded, the name in its original script), a subject key, the person
    id and the date. Hits are stored with the inspection or not at all. The answer says
    only whether to refer to secondary: the hit itself is shown to the secondary officer.
    """
    if not travellers or uow.session.execute(select(WatchlistVersion.id).limit(1)).first() \
            is None:
        return [{"refer_to_secondary": False, "hits": 0} for _ in travellers]
    screener, version_of = _screener(uow)
    answers: list[dict[str, Any]] = []
    for queries, key, person_id, on in travellers:
        found: dict[str, ScreeningHit] = {}
        for query in queries:
            for hit in _record_hits(uow, screener, version_of, query, key, "inspection",
                                    person_id, on):
                found.setdefault(hit.listed_id, hit)
        answers.append({"refer_to_secondary": bool(found), "hits": len(found)})
    return answers
