"""``nseers biometrics enrol|identify`` against the configured registry (issue 13).

Photographs: matplotlib's ``grace_hopper.jpg`` (US Navy, public domain) and a mirrored
copy, ``skimage.data.coffee()`` (no face); fingers: :mod:`nseers.biometrics.synthetic`.
"""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import matplotlib.cbook
import pytest
import skimage.data
from PIL import Image
from typer.testing import CliRunner

from nseers.biometrics.sealing import format_key, new_key
from nseers.biometrics.synthetic import fingerprint_png
from nseers.bootstrap import open_registry
from nseers.cli.main import app
from nseers.registry.people import Person
from nseers.settings import Settings

runner = CliRunner()


def _encode(image: Image.Image, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"NSEERS_DATA_DIR": str(tmp_path / "data"), "NSEERS_DATABASE_URL": "",
            "NSEERS_BIOMETRIC_KEY": format_key(new_key()), "NSEERS_USER": "tester"}


@pytest.fixture
def files(tmp_path: Path) -> Path:
    hopper = Image.open(matplotlib.cbook.get_sample_data("grace_hopper.jpg",
                                                         asfileobj=False)).convert("RGB")
    (tmp_path / "hopper.jpg").write_bytes(_encode(hopper, "JPEG"))
    (tmp_path / "mirror.png").write_bytes(_encode(hopper.transpose(
        Image.Transpose.FLIP_LEFT_RIGHT)))
    (tmp_path / "coffee.png").write_bytes(_encode(Image.fromarray(skimage.data.coffee())))
    (tmp_path / "finger.png").write_bytes(fingerprint_png(51, 0))
    return tmp_path


def _persons(env: dict[str, str], *surnames: str) -> list[int]:
    registry = open_registry(Settings.from_mapping(env))
    try:
        with registry.sessions() as session, session.begin():
            persons = [Person(surname=s, given_names="Test", created_at=datetime.now(UTC))
                       for s in surnames]
            session.add_all(persons)
            session.flush()
            return [p.id for p in persons]
    finally:
        registry.database.dispose()


def test_a_hit_exits_3_with_the_candidates_until_the_officer_attaches_with_a_reason(
        env: dict[str, str], files: Path) -> None:
    first, second = _persons(env, "Hopper", "Murray")
    enrolled = runner.invoke(app, ["biometrics", "enrol", "--person", str(first), "--face",
                                   str(files / "hopper.jpg"), "--finger",
                                   f"2={files / 'finger.png'}"], env=env)
    assert enrolled.exit_code == 0, enrolled.output
    assert len(json.loads(enrolled.stdout)["records"]) == 2
    again = ["biometrics", "enrol", "--person", str(second), "--face",
             str(files / "mirror.png")]
    hit = runner.invoke(app, again, env=env)
    assert hit.exit_code == 3, hit.output
    answer = json.loads(hit.stdout)
    assert answer["code"] == "biometric_hit"
    assert [c["person_id"] for c in answer["candidates"]] == [first]
    assert "--on-hit" in hit.stderr
    no_reason = runner.invoke(app, [*again, "--on-hit", "attach", "--attach-to", str(first)],
                              env=env)
    assert no_reason.exit_code == 2
    assert "--reason" in no_reason.stderr
    attached = runner.invoke(app, [*again, "--on-hit", "attach", "--attach-to", str(first),
                                   "--reason", "same person, new passport"], env=env)
    assert attached.exit_code == 0, attached.output
    assert json.loads(attached.stdout)["person_id"] == first
    found = runner.invoke(app, ["biometrics", "identify", "--face", str(files / "mirror.png")],
                          env=env)
    assert found.exit_code == 0, found.output
    assert [c["person_id"] for c in json.loads(found.stdout)["candidates"]] == [first]
    database = sqlite3.connect(Path(env["NSEERS_DATA_DIR"]) / "nseers.db")
    actions = {a for (a,) in database.execute(
        "SELECT action FROM audit_entries WHERE actor = 'tester'")}
    assert {"biometric.enrol", "biometric.hit.attach", "biometric.search"} <= actions


def test_a_refused_capture_exits_2_naming_the_file_and_enrols_nothing(
        env: dict[str, str], files: Path) -> None:
    [person] = _persons(env, "Nobody")
    refused = runner.invoke(app, ["biometrics", "enrol", "--person", str(person), "--face",
                                  str(files / "coffee.png")], env=env)
    assert refused.exit_code == 2
    assert "coffee.png" in refused.stderr
    assert "no face" in refused.stderr
    assert refused.stdout == ""
    database = sqlite3.connect(Path(env["NSEERS_DATA_DIR"]) / "nseers.db")
    assert database.execute("SELECT count(*) FROM biometric_records").fetchone() == (0,)
    missing = runner.invoke(app, ["biometrics", "identify"], env=env)
    assert missing.exit_code == 2
    assert "--face" in missing.stderr
