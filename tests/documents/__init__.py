"""Tests of the travel-document package (ICAO Doc 9303 MRZs).

A package, like ``tests/integration``, because its Hypothesis strategies live in
``strategies.py``, a name ``tests/strategies.py`` already takes as a top-level module.
"""
