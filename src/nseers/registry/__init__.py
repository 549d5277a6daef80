"""The system of record: persons, documents, encounters, registrations, I-94 and I-68.

Importing this package registers every table on :data:`nseers.db.base.Base.metadata`.
"""

from nseers.registry import (
    biometrics,
    corrections,
    encounters,
    i68,
    i94,
    identities,
    linkage_reviews,
    offline,
    people,
    refusals,
    registrations,
    retention,
    traveller_days,
    users,
    watchlists,
)

__all__ = ["biometrics", "corrections", "encounters", "i68", "i94", "identities",
           "linkage_reviews", "offline", "people", "refusals", "registrations", "retention",
           "traveller_days", "users", "watchlists"]
