"""One logging configuration (issue 16): time, level, logger and request id on every line,
JSON lines on request, and no personal data."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nseers.api.guards import ResponseHeaders
from nseers.logs import configure_logging

LOGGERS = ("nseers", "uvicorn", "uvicorn.error", "uvicorn.access")


class Stderr:
    """What the configured handler wrote to standard error."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys

    def getvalue(self) -> str:
        return self.capsys.readouterr().err


@pytest.fixture
def stream(capsys: pytest.CaptureFixture[str]) -> Iterator[Stderr]:
    """Standard error, and the loggers as they were afterwards (pytest's own capture
    relies on propagation, which the configuration turns off)."""
    saved = {name: (logger.handlers[:], logger.filters[:], logger.level, logger.propagate)
             for name in LOGGERS for logger in [logging.getLogger(name)]}
    yield Stderr(capsys)
    for name, (handlers, filters, level, propagate) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers, logger.filters = handlers, filters
        logger.setLevel(level)
        logger.propagate = propagate


def _served_app() -> FastAPI:
    app = FastAPI()

    @app.get("/api/echo")
    def echo() -> dict[str, str]:
        logging.getLogger("nseers.api").warning("echo answered")
        return {}

    app.add_middleware(ResponseHeaders)
    return app


def test_a_text_line_has_the_time_the_level_the_logger_and_the_request_id(
        stream: Stderr) -> None:
    configure_logging({})
    with TestClient(_served_app()) as client:
        answer = client.get("/api/echo", headers={"X-Request-ID": "req-1234abcd"})
    assert answer.headers["x-request-id"] == "req-1234abcd"
    line = next(line for line in stream.getvalue().splitlines() if "echo answered" in line)
    stamp, level, logger, ident, *_ = line.split(" ")
    assert stamp.endswith("Z")
    assert stamp[4] == "-"
    assert "T" in stamp
    assert (level, logger, ident) == ("WARNING", "nseers.api", "[req-1234abcd]")


def test_json_lines_carry_the_same_fields(stream: Stderr) -> None:
    configure_logging({"NSEERS_LOG_FORMAT": "json"})
    with TestClient(_served_app()) as client:
        answer = client.get("/api/echo")
    record = json.loads(next(line for line in stream.getvalue().splitlines()
                             if "echo answered" in line))
    assert record["request_id"] == answer.headers["x-request-id"]
    assert record["level"] == "WARNING"
    assert record["logger"] == "nseers.api"
    assert record["time"].endswith("Z")


def test_outside_a_request_the_id_is_a_dash(stream: Stderr) -> None:
    configure_logging({})
    logging.getLogger("nseers.cli").warning("batch started")
    assert "[-] batch started" in stream.getvalue()


def test_documents_fins_and_addresses_are_masked_and_controls_escaped(
        stream: Stderr) -> None:
    configure_logging({})
    logging.getLogger("nseers").warning("lookup %s for %s\x1b[2J", "X1234567Z",
                                        "ana@example.org")
    text = stream.getvalue()
    assert "X1234567Z" not in text
    assert "ana@example.org" not in text
    assert "[redacted]" in text
    assert "\\x1b[2J" in text
    assert "\x1b" not in text


def test_access_lines_keep_the_path_and_drop_the_query(stream: Stderr) -> None:
    configure_logging({})
    logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000",
                                             "GET", "/api/v1/persons?name=Muller", "1.1", 200)
    text = stream.getvalue()
    assert "/api/v1/persons HTTP/1.1" in text
    assert "Muller" not in text
