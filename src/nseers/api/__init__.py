"""The HTTP API: every registry use case over REST, with sign-in, roles and audit.

Thin, like the CLI: each endpoint parses the request into a service command, calls the
service as the signed-in actor, and renders the answer. :func:`nseers.api.app.create_app`
builds the application; nothing is built at import time.
"""
