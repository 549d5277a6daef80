"""Uploaded files, stored by content: photographs, fingerprint cards and I-68 evidence.

A file is kept once under the data directory as ``<area>/<sha256[:2]>/<sha256><ext>`` and
named to the services by a reference ``<area>:sha256:<hex>``. The same photograph uploaded
twice is stored once, and a reference proves which bytes were presented. Only images are
accepted as biometrics (told by their first bytes, not the name the browser sent); evidence
may also be a PDF.

Photographs and fingerprints are biometric data, encrypted at rest (issue 13): given a
sealer (the biometric vault's, :mod:`nseers.biometrics.sealing`), the ``biometrics`` area
keeps ``<sha256>.sealed``, sealed for its own reference, and :meth:`UploadStore.read` opens
it; nothing of a face or a finger lies on disk in the clear.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Protocol

BIOMETRICS: Final = "biometrics"
EVIDENCE: Final = "evidence"
_IMAGE_TYPES: Final = (
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"GIF87a", ".gif"),
    (b"GIF89a", ".gif"),
)
_PDF: Final = (b"%PDF-", ".pdf")
_REFERENCE: Final = re.compile(r"(biometrics|evidence):sha256:([0-9a-f]{64})")


class Sealing(Protocol):
    """What the store needs of a sealer: authenticated encryption bound to a context."""

    def seal(self, data: bytes, context: str) -> bytes: ...

    def open(self, sealed: bytes, context: str) -> bytes: ...


class UploadRefusedError(ValueError):
    """A file that is not of an accepted kind or is too large; the message says which."""


@dataclass(frozen=True, slots=True)
class Stored:
    """A file kept by content: its reference, its size and its kind."""

    reference: str
    size: int
    extension: str

    @property
    def digest(self) -> str:
        """The SHA-256 of the content, in hex."""
        return self.reference.rsplit(":", 1)[-1]


def _extension(data: bytes, *, allow_pdf: bool) -> str | None:
    if data[:12].startswith(b"RIFF") and data[8:12] == b"WEBP":
        return ".webp"
    for magic, extension in _IMAGE_TYPES:
        if data.startswith(magic):
            return extension
    if allow_pdf and data.startswith(_PDF[0]):
        return _PDF[1]
    return None


class UploadStore:
    """Content-addressed files under ``data_dir``."""

    def __init__(self, data_dir: Path, max_bytes: int,
                 sealer: Callable[[], Sealing] | None = None) -> None:
        self.root = data_dir
        self.max_bytes = max_bytes
        #: Seals the biometrics area (made on first use: the vault loads its models then).
        self.sealer = sealer

    def _sealed(self, area: str) -> bool:
        return area == BIOMETRICS and self.sealer is not None

    def keep(self, area: str, data: bytes) -> Stored:
        """Store ``data`` (an image; for evidence also a PDF) and return its reference."""
        if not data:
            raise UploadRefusedError("the file is empty")
        if len(data) > self.max_bytes:
            megabytes = self.max_bytes // (1024 * 1024)
            raise UploadRefusedError(f"the file is larger than {megabytes} MB")
        extension = _extension(data, allow_pdf=area == EVIDENCE)
        if extension is None:
            kinds = "a PNG, JPEG, GIF or WebP image" + (" or a PDF" if area == EVIDENCE else "")
            raise UploadRefusedError(f"not {kinds}")
        digest = hashlib.sha256(data).hexdigest()
        reference = f"{area}:sha256:{digest}"
        directory = self.root / area / digest[:2]
        sealed = self._sealed(area)
        path = directory / f"{digest}{'.sealed' if sealed else extension}"
        if not path.exists():
            content = data
            if sealed:
                assert self.sealer is not None  # noqa: S101 - _sealed checked it
                content = self.sealer().seal(data, f"upload:{reference}")
            directory.mkdir(parents=True, exist_ok=True)
            # Write then rename, so a reader never sees half a file.
            handle, temporary = tempfile.mkstemp(dir=directory, prefix=".upload-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(content)
                Path(temporary).replace(path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        return Stored(reference, len(data), extension)

    def locate(self, reference: str) -> Path | None:
        """The file a reference names, if it is stored here."""
        match = _REFERENCE.fullmatch(reference)
        if match is None:
            return None
        area, digest = match.groups()
        directory = self.root / area / digest[:2]
        if not directory.is_dir():
            return None
        for path in directory.glob(f"{digest}.*"):
            return path
        return None

    def read(self, reference: str) -> bytes | None:
        """The bytes a reference names (opened, for a sealed file), or ``None``."""
        path = self.locate(reference)
        if path is None:
            return None
        data = path.read_bytes()
        if path.suffix != ".sealed":
            return data
        if self.sealer is None:
            return None
        try:
            return self.sealer().open(data, f"upload:{reference}")
        except ValueError:  # not sealed under this key for this reference
            return None

    @staticmethod
    def is_reference(value: str, area: str) -> bool:
        """Whether ``value`` is a well-formed reference into ``area``."""
        match = _REFERENCE.fullmatch(value)
        return match is not None and match.group(1) == area
