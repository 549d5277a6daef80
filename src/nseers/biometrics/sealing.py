"""Biometric data at rest: sealed with AES-256-GCM under a key from the settings.

Photographs, fingerprint images and templates are personal data of the most sensitive
kind (INA 264(b), 8 U.S.C. 1304(b), makes registration and fingerprint records
confidential). The registry stores them only sealed: a random 96-bit nonce, then the
ciphertext with its tag. The record's id is bound in as associated data, so a sealed
blob copied onto another person's record fails to open instead of being read as theirs.
The key never lives in the repository: the settings read it from the environment or a
key file in the data directory.
"""

from __future__ import annotations

import base64
import os
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES: Final = 32
_NONCE: Final = 12
_VERSION: Final = b"\x01"


class SealError(ValueError):
    """A sealed blob that cannot be opened: wrong key, wrong record, or altered bytes."""


def new_key() -> bytes:
    """A fresh random key (for the key file written on first start)."""
    return AESGCM.generate_key(bit_length=256)


def parse_key(text: str) -> bytes:
    """A key given as URL-safe base64 (as ``NSEERS_BIOMETRIC_KEY`` holds it)."""
    try:
        key = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise SealError(f"the biometric key is not base64: {error}") from None
    if len(key) != KEY_BYTES:
        raise SealError(f"the biometric key must be {KEY_BYTES} bytes, not {len(key)}")
    return key


def format_key(key: bytes) -> str:
    """Inverse of :func:`parse_key`."""
    return base64.urlsafe_b64encode(key).decode("ascii")


class Sealer:
    """Seals and opens biometric blobs under one key."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise SealError(f"the biometric key must be {KEY_BYTES} bytes, not {len(key)}")
        self._aead = AESGCM(key)

    def seal(self, data: bytes, context: str) -> bytes:
        """Encrypt ``data`` bound to ``context`` (e.g. ``"enrolment:42:face"``)."""
        nonce = os.urandom(_NONCE)
        return _VERSION + nonce + self._aead.encrypt(nonce, data, context.encode())

    def open(self, sealed: bytes, context: str) -> bytes:
        """Decrypt a blob sealed for ``context``; :class:`SealError` if it does not open."""
        if not sealed.startswith(_VERSION) or len(sealed) < 1 + _NONCE + 16:
            raise SealError(f"{context}: not a sealed biometric blob")
        try:
            return self._aead.decrypt(sealed[1:1 + _NONCE], sealed[1 + _NONCE:],
                                      context.encode())
        except InvalidTag:
            raise SealError(f"{context}: the blob does not open with this key for this "
                            f"record (wrong key, moved or altered)") from None
