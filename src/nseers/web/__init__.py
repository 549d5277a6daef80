"""The web pages: the officer console and the traveller portal.

Server-rendered HTML (Jinja2) with htmx for the parts of a page that update as an officer
types, styled with the U.S. Web Design System (vendored under ``static/vendor``; nothing
comes from a CDN). The pages are thin, like the API and the CLI: each parses a form, calls
the same service the API calls, as the signed-in actor, and renders the answer.
:func:`nseers.web.app.install_web` adds them to a FastAPI application; :mod:`nseers.app`
composes them with the API into the whole site.
"""
