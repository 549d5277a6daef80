"""Lookout screening: travellers' names checked against watchlists, with explained scores.

A port-of-entry officer must be told when a traveller may be a listed person (8 CFR
235.1(a): an applicant for admission is inspected; 8 U.S.C. 1182 names who is
inadmissible; IDENT and the lookout systems supply the hits). This package is the pure
part of that: listed persons on the FollowTheMoney entity model (``lists``), names made
comparable across scripts with ``rigour`` (``names``), a blocking index so a query meets
only plausible candidates (``index``), scoring with ``rapidfuzz`` behind our own
:class:`~nseers.screening.scoring.NameScorer` (``scoring``), and the dated thresholds and
weights (``policy``). No database: the services store list versions and hits.
"""
