"""``nseers biometrics``: JSON comparisons, exit 2 naming the file for unusable images."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from biometrics.helpers import encode
from nseers.biometrics.synthetic import fingerprint_png
from nseers.cli.main import app

runner = CliRunner()


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory, grace_hopper: Image.Image,
           astronaut: Image.Image, coffee: bytes) -> Path:
    folder = tmp_path_factory.mktemp("images")
    (folder / "hopper.jpg").write_bytes(encode(grace_hopper, "JPEG", quality=90))
    (folder / "hopper-mirror.png").write_bytes(
        encode(grace_hopper.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    (folder / "astronaut.png").write_bytes(encode(astronaut))
    (folder / "coffee.png").write_bytes(coffee)
    (folder / "finger-a1.png").write_bytes(fingerprint_png(31, 0))
    (folder / "finger-a2.png").write_bytes(fingerprint_png(31, 1))
    return folder


def test_compare_faces_prints_match_distance_and_threshold(images: Path) -> None:
    result = runner.invoke(app, ["biometrics", "compare-faces", str(images / "hopper.jpg"),
                                 str(images / "hopper-mirror.png"), "--format", "json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert set(answer) == {"match", "distance", "threshold"}
    assert answer["match"] is True
    assert answer["distance"] < answer["threshold"]
    other = runner.invoke(app, ["biometrics", "compare-faces", str(images / "hopper.jpg"),
                                str(images / "astronaut.png"), "--format", "json"])
    assert other.exit_code == 0
    assert json.loads(other.stdout)["match"] is False


def test_compare_faces_exits_2_naming_the_file_without_a_face(images: Path) -> None:
    result = runner.invoke(app, ["biometrics", "compare-faces", str(images / "hopper.jpg"),
                                 str(images / "coffee.png"), "--format", "json"])
    assert result.exit_code == 2
    assert "coffee.png" in result.stderr
    assert "no face" in result.stderr
    assert result.stdout == ""


def test_compare_prints_prints_the_bozorth3_score(images: Path) -> None:
    result = runner.invoke(app, ["biometrics", "compare-prints", str(images / "finger-a1.png"),
                                 str(images / "finger-a2.png"), "--format", "json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["match"] is True
    assert answer["score"] >= answer["threshold"]


def test_a_missing_file_exits_2_naming_it(images: Path) -> None:
    result = runner.invoke(app, ["biometrics", "compare-prints", str(images / "nope.png"),
                                 str(images / "finger-a2.png")])
    assert result.exit_code == 2
    assert "nope.png" in result.stderr


def test_export_then_import_nist_keeps_the_enrolment_and_gates_its_images(
        images: Path, tmp_path: Path) -> None:
    target = tmp_path / "enrolment.eft"
    exported = runner.invoke(app, [
        "biometrics", "export-nist", str(target), "--face", str(images / "hopper.jpg"),
        "--finger", f"2={images / 'finger-a1.png'}", "--name", "HOPPER,GRACE",
        "--born", "1906-12-09", "--captured-on", "2003-01-15"])
    assert exported.exit_code == 0, exported.output
    imported = runner.invoke(app, ["biometrics", "import-nist", str(target)])
    assert imported.exit_code == 0, imported.output
    answer = json.loads(imported.stdout)
    assert answer["name"] == "HOPPER,GRACE"
    assert answer["date_of_birth"] == "1906-12-09"
    assert [r["record"] for r in answer["records"]] == ["face", "finger 2"]
    assert all(r["accepted"] for r in answer["records"])
