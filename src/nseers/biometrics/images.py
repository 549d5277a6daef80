"""Decoding captured images: bytes in, an RGB or greyscale pixel array out.

Only real image formats are accepted (Pillow decides from the bytes, not from a file
name), the orientation a camera wrote in EXIF is applied, and very large photographs are
reduced so detection cost stays bounded.
"""

from __future__ import annotations

import io
from typing import Final

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageOps, UnidentifiedImageError

from nseers.biometrics.errors import CaptureRefusedError

#: Longest side a face photograph is reduced to before detection (ICAO portraits are far
#: smaller; a larger image only slows the HOG detector down).
MAX_FACE_SIDE: Final = 1200
#: Decompression-bomb guard: more pixels than this is not a photograph from a capture station.
MAX_PIXELS: Final = 40_000_000


def _open(data: bytes, source: str) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise CaptureRefusedError(source, "unreadable_image",
                                      f"the image is {image.width}x{image.height} pixels, "
                                      f"more than a capture station produces")
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise CaptureRefusedError(source, "unreadable_image",
                                  f"not a readable image ({error.__class__.__name__})") from None
    return ImageOps.exif_transpose(image)


def rgb_pixels(data: bytes, source: str) -> npt.NDArray[np.uint8]:
    """The photograph as an H x W x 3 array of 8-bit RGB, reduced to :data:`MAX_FACE_SIDE`."""
    image = _open(data, source).convert("RGB")
    if max(image.size) > MAX_FACE_SIDE:
        image.thumbnail((MAX_FACE_SIDE, MAX_FACE_SIDE))
    return np.asarray(image, dtype=np.uint8)


def png_greyscale(data: bytes, source: str) -> bytes:
    """A fingerprint image re-encoded as 8-bit greyscale PNG, the form NBIS reads."""
    image = _open(data, source).convert("L")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg(pixels: npt.NDArray[np.uint8], quality: int = 90) -> bytes:
    """An RGB array as a JPEG (for ANSI/NIST Type-10 records and thumbnails)."""
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()
