"""Shared vocabulary of the whole system: dates and ages, codes, errors.

Nothing here reads the clock or the environment, and nothing imports a framework.
"""
