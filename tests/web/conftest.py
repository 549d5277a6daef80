"""The web pages under test: a real server in a thread, driven by Debian's Chromium.

One browser for the whole session; one server per test module, on a free localhost port,
over its own migrated SQLite database (or PostgreSQL, see ``test_postgresql.py``) with a
clock the tests move, and one account per role. Playwright is never asked to download a
browser: the tests launch ``/usr/bin/chromium`` and fail, saying how to install it, when
it is missing.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import uvicorn
from argon2 import PasswordHasher
from fastapi import FastAPI
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

from nseers.app import create_site
from nseers.cli.web import create_demo_users
from nseers.db.engine import create_database_engine
from nseers.db.migrate import upgrade
from nseers.rules.engine import Engine
from nseers.services import accounts
from nseers.services.context import Registry
from nseers.services.mail import FileOutbox
from nseers.serving.settings import ServerSettings
from nseers.settings import Settings
from nseers.web.settings import WebSettings

CHROMIUM = Path("/usr/bin/chromium")
START = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
SECRET = b"web-tests-signing-secret-32-bytes!!"


class MovableClock:
    """The registry's clock, which a test moves forward (the idle time-out)."""

    def __init__(self, start: datetime) -> None:
        self.now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self.now

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self.now += delta

    def reset(self) -> None:
        with self._lock:
            self.now = START


@dataclass
class LiveSite:
    """A running server: its address, its registry and its clock."""

    url: str
    registry: Registry
    clock: MovableClock
    data_dir: Path


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """argon2id with the smallest cost: the tests sign in often."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=8,
                                                         parallelism=1))
        yield


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the web tests drive Debian's Chromium. Install it "
                    f"with `apt-get install -y chromium` (never `playwright install`).")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web-template") / "template.db"
    engine = create_database_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def serve(app: FastAPI) -> tuple[str, uvicorn.Server, threading.Thread, socket.socket]:
    """Start ``app`` on a free localhost port in a thread; return its address."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            lifespan="on", ws="none", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    started = threading.Event()
    for _ in range(2000):
        if server.started:
            started.set()
            break
        started.wait(0.01)
    if not server.started:  # pragma: no cover - a broken server fails here, not later
        server.should_exit = True
        thread.join()
        sock.close()
        pytest.fail("the web server did not start")
    return f"http://127.0.0.1:{port}", server, thread, sock


def live_site(database_url: str, data_dir: Path, engine: Engine) -> Iterator[LiveSite]:
    """A server over ``database_url`` with one account per role (see ``cli.web``)."""
    clock = MovableClock(START)
    database = create_database_engine(database_url)
    # Mail to travellers goes to the file outbox of the data directory, as bootstrap does.
    registry = Registry(database=database, rules=engine, clock=clock,
                        sender=FileOutbox(data_dir / "outbox"))
    create_demo_users(registry)
    settings = Settings(data_dir=data_dir, database_url=database_url)
    app = create_site(registry, settings, server_settings=ServerSettings(secret_key=SECRET),
                      web_settings=WebSettings(sign_in_per_minute=10_000,
                                               lookups_per_minute=10_000))
    url, server, thread, sock = serve(app)
    try:
        yield LiveSite(url, registry, clock, data_dir)
    finally:
        server.should_exit = True
        thread.join()
        sock.close()
        database.dispose()


@pytest.fixture(scope="module")
def site(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory,
         engine: Engine) -> Iterator[LiveSite]:
    directory = tmp_path_factory.mktemp("web-site")
    path = directory / "nseers.db"
    path.write_bytes(sqlite_template.read_bytes())
    yield from live_site(f"sqlite:///{path}", directory, engine)


@pytest.fixture
def context(browser: Browser, site: LiveSite) -> Iterator[BrowserContext]:
    site.clock.reset()
    created = browser.new_context(base_url=site.url, viewport={"width": 1280, "height": 900},
                                  locale="en-US", timezone_id="UTC")
    created.set_default_timeout(15_000)
    try:
        yield created
    finally:
        created.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A fresh page; any error in the browser's console (a CSP refusal, a script error)
    fails the test."""
    opened = context.new_page()
    errors: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if message.type == "error" and "status of 4" not in message.text:
            errors.append(message.text)

    opened.on("console", note)
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    assert not errors, f"errors in the browser's console: {errors}"
