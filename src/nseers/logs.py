"""One logging configuration for the server and the CLI (standard-library ``dictConfig``).

Every line has the time (UTC, ISO 8601), the level, the logger, the request id (``-``
outside a request: :data:`request_id`, set by :class:`nseers.api.guards.ResponseHeaders`)
and the message; ``NSEERS_LOG_FORMAT=json`` writes one JSON object a line instead, for a
log shipper. ``NSEERS_LOG_LEVEL`` sets the level (default ``INFO``).

No personal data in logs: the code logs record ids, counts, paths and exception *types*,
never names, documents, dates of birth or request bodies; and as a second line of defence
:class:`Redact` masks anything in a message that looks like a passport number, a FIN or an
e-mail address, and escapes control characters so a value cannot forge log lines.
"""

from __future__ import annotations

import contextvars
import json
import logging
import logging.config
import os
import re
import time
from collections.abc import Mapping
from typing import Any, Final

#: The id of the request being served, for every log line written while serving it.
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("nseers_request_id",
                                                                  default="-")
LOG_FORMAT_ENV: Final = "NSEERS_LOG_FORMAT"
LOG_LEVEL_ENV: Final = "NSEERS_LOG_LEVEL"
_SENSITIVE: Final = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.-]+"          # e-mail addresses
    r"|\b(?=[A-Z0-9]*\d)[A-Z0-9]{8,12}\b"  # document numbers, FINs (letters and digits)
)
_CONTROLS: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class RequestIdFilter(logging.Filter):
    """Put the current request id on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class Redact(logging.Filter):
    """Mask what looks like personal data and escape control characters in messages."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", message)
        cleaned = _SENSITIVE.sub("[redacted]", cleaned)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class DropQuery(logging.Filter):
    """Cut the query string from uvicorn's access lines: a search's query (``?name=...``)
    is personal data, and the path alone says what was asked for."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line."""

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
                    + f".{int(record.msecs):03d}Z",
            "level": record.levelname, "logger": record.name,
            "request_id": getattr(record, "request_id", "-"), "message": record.getMessage()}
        if record.exc_info:
            document["exception"] = self.formatException(record.exc_info)
        return json.dumps(document, ensure_ascii=False)


class UtcFormatter(logging.Formatter):
    """Plain text with UTC times."""

    def formatTime(self, record: logging.LogRecord,  # noqa: N802 - logging's own name
                   datefmt: str | None = None) -> str:
        """The record's time in UTC."""
        return time.strftime(datefmt or "%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created))


def logging_config(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The ``dictConfig`` of the server and the CLI."""
    env = os.environ if environ is None else environ
    json_lines = env.get(LOG_FORMAT_ENV, "text").lower() == "json"
    level = env.get(LOG_LEVEL_ENV, "INFO").upper()
    formatter: dict[str, Any] = (
        {"()": JsonFormatter} if json_lines else
        {"()": UtcFormatter,
         "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
         "datefmt": "%Y-%m-%dT%H:%M:%SZ"})
    handler = {"class": "logging.StreamHandler", "formatter": "nseers",
               "filters": ["request_id", "redact"], "stream": "ext://sys.stderr"}
    return {
        "version": 1, "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}, "redact": {"()": Redact},
                    "drop_query": {"()": DropQuery}},
        "formatters": {"nseers": formatter},
        "handlers": {"stderr": handler},
        "loggers": {name: {"handlers": ["stderr"], "level": level, "propagate": False,
                           **({"filters": ["drop_query"]} if name == "uvicorn.access" else {})}
                    for name in ("nseers", "uvicorn", "uvicorn.error", "uvicorn.access")},
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }


def configure_logging(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Apply :func:`logging_config`; returns it (uvicorn takes the same as ``log_config``)."""
    config = logging_config(environ)
    logging.config.dictConfig(config)
    return config
