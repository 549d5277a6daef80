"""The biometric sealing key comes from the settings, never from the repository (issue 13)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from nseers.biometrics.sealing import format_key, new_key
from nseers.settings import Settings


def test_the_key_given_in_the_environment_is_used_and_no_file_is_made(tmp_path: Path) -> None:
    key = new_key()
    settings = Settings.from_mapping({"NSEERS_DATA_DIR": str(tmp_path),
                                      "NSEERS_BIOMETRIC_KEY": format_key(key)})
    assert settings.resolved_biometric_key() == key
    assert not (tmp_path / "biometric.key").exists()


def test_without_a_key_a_key_file_is_made_owner_only_in_the_data_dir_and_kept(
        tmp_path: Path) -> None:
    settings = Settings.from_mapping({"NSEERS_DATA_DIR": str(tmp_path / "data")})
    first = settings.resolved_biometric_key()
    path = tmp_path / "data" / "biometric.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) == 32
    assert settings.resolved_biometric_key() == first


@pytest.mark.parametrize("text", ["not base64 at all!", format_key(b"short")])
def test_a_malformed_key_is_refused_naming_the_setting(text: str, tmp_path: Path) -> None:
    settings = Settings.from_mapping({"NSEERS_DATA_DIR": str(tmp_path),
                                      "NSEERS_BIOMETRIC_KEY": text})
    with pytest.raises(ValueError, match="NSEERS_BIOMETRIC_KEY"):
        settings.resolved_biometric_key()
