"""Synthetic data for demonstrations and load tests: a reproducible travelling population.

``generate(travellers, seed)`` streams :class:`SyntheticTraveller` records (a person, their
documents, and the dated events of their journeys, special registration included) that a
loader turns into registry records. Pure Python: no database, no clock, no network.
"""

from nseers.demo.population import (
    SyntheticDocument,
    SyntheticEvent,
    SyntheticPerson,
    SyntheticTraveller,
    generate,
)

__all__ = [
    "SyntheticDocument",
    "SyntheticEvent",
    "SyntheticPerson",
    "SyntheticTraveller",
    "generate",
]
