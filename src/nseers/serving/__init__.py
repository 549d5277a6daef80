"""What the HTTP faces of the registry share: signed tokens, rate limits, server settings.

The API (:mod:`nseers.api`) and the web pages (:mod:`nseers.web`) are sibling adapters over
the services (issue 15, fault 4): neither imports the other. What both need sits here,
below them: the signed token that is the API's bearer token and the pages' session cookie
(:mod:`nseers.serving.tokens`, one audience each), the token bucket that limits anonymous
clients and carrier accounts (:mod:`nseers.serving.ratelimit`), and the settings read from
the environment, the signing secret first (:mod:`nseers.serving.settings`). The one place
that puts the API and the pages into one application is :mod:`nseers.app`.
"""
