"""The law as code: dated, cited policy data (``policy``) and pure decisions over it.

Nothing in this package reads the clock, the environment, a file outside the policy data,
or a database. Every decision takes the case and the policy and returns its determinations
with their reasons.
"""
