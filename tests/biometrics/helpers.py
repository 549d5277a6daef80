"""Helpers for the biometrics tests."""

from __future__ import annotations

import io

from PIL import Image


def encode(image: Image.Image, fmt: str = "PNG", **options: object) -> bytes:
    """An image as file bytes, the way a camera or a browser upload delivers it."""
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()
