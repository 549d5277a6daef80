"""Every command the README shows runs as written, in the order it shows them.

The README is the first thing a new user follows; a command there that fails, or names a
file the tree does not have, is a broken promise. Each ``sh`` block's lines are run with
bash from the repository's root against a fresh embedded database, so the registry
commands see what the ones before them made. Three kinds of line are handled, not run as
they stand: ``make`` targets (they are the test run itself, the server, and the
benchmarks), ``users create`` (its prompt is answered through standard input, as the README
says it may be), and ``serve`` (started on a free port instead of 8000, asked for its
health, then stopped).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
README = ROOT / "README.md"
NSEERS = ROOT / ".venv" / "bin" / "nseers"


def readme_commands() -> list[str]:
    """The shell lines of the README's ``sh`` blocks, comments and blank lines dropped."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        for line in block.splitlines():
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command and not command.startswith("#"):
                commands.append(command)
    return commands


COMMANDS = readme_commands()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if not NSEERS.exists():
        pytest.fail(f"{NSEERS} is missing: run the README's commands through `make test`")
    data_dir = tmp_path_factory.mktemp("readme-data")
    return {**os.environ, "NSEERS_DATA_DIR": str(data_dir), "NSEERS_USER": "readme-test",
            "NSEERS_DATABASE_URL": ""}


def run(command: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=ROOT, env=env,
                          input=stdin, capture_output=True, text=True, timeout=300,
                          check=False)


def serve_and_ask_for_health(command: str, env: dict[str, str], log: Path) -> None:
    port = free_port()
    command = re.sub(r"--port \d+", f"--port {port}", command)
    with log.open("w") as output:
        server = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=ROOT,
                                  env=env, stdout=output, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health",
                                            timeout=2) as answer:
                    assert answer.status == 200
                    return
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"`{command}` did not answer /api/health:\n"
                                f"{log.read_text()}")
                time.sleep(0.3)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_the_readme_shows_the_commands_this_test_runs() -> None:
    assert any(c.startswith("make run") for c in COMMANDS)
    assert any(c.startswith("make test") for c in COMMANDS)
    assert sum(".venv/bin/nseers" in c for c in COMMANDS) >= 10


@pytest.mark.parametrize("command", [c for c in COMMANDS if not c.startswith("make ")])
def test_every_readme_command_runs_as_written(command: str, environment: dict[str, str],
                                              tmp_path: Path) -> None:
    if " serve " in command:
        serve_and_ask_for_health(command, environment, tmp_path / "serve.log")
        return
    stdin = "she keeps a careful watch 1907\n" if " users create " in command else ""
    result = run(command, environment, stdin)
    assert result.returncode == 0, (f"`{command}` exited {result.returncode}:\n"
                                    f"{result.stdout}\n{result.stderr}")
    assert "Traceback" not in result.stderr
    assert "Warning" not in result.stderr, result.stderr
    if " person search " in command:
        assert not result.stdout.rstrip().endswith("0 found"), result.stdout
