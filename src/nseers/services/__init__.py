"""Use cases an officer triggers; the API, the web pages and the CLI all call these.

Every use case takes a :class:`~nseers.services.context.Registry` (the database and the
rules engine), the acting :class:`~nseers.core.actors.Actor`, and a command; it checks
the actor's role, does its work in one unit of work, audits it, and returns a JSON-ready
answer. Nothing partial is ever committed.
"""
