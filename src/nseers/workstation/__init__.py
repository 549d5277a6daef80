"""A port workstation that keeps inspecting when the central registry is unreachable (issue 17).

It talks to the central API over HTTP with an officer's token, like any other client, and
never touches the registry's database: when the link is down it evaluates the case with
the rules engine (the law is local data), journals the inspection in a signed, chained
local SQLite file, tells the officer what it could not check, and forwards the journal,
in order and exactly once, when the link returns. See docs/offline-ports.md.

Modules: ``settings`` (identity, key, central address), ``journal`` (the signed chain),
``link`` (the HTTP client and what counts as "unreachable"), ``station`` (the use cases).
"""
