"""The bounded pool that reads photos of data pages: the image's kind and size checked,
Tesseract run in a pool of threads of its own, and every failure an input error naming the
field. The API, the console and the CLI reach it through one use case,
:func:`nseers.services.documents.read_mrz` (and its ``async`` twin).

Tesseract takes a second or more per crop and is CPU-bound. In a server it must neither
run on the event loop (every other request would stall, the group-committed arrivals
included) nor take every worker thread when many photos arrive at once (the database work
of other requests runs in the same thread pool). So readings run in a pool of their own,
:data:`OCR_WORKERS` threads wide (half the processors, from one to four: Tesseract itself
uses more than one core); callers beyond that wait for a free worker, not for the
database's threads.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from typing import Final

from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.documents.ocr import NothingReadError, is_image, read_mrz_image
from nseers.documents.reading import MrzReading

#: The largest photo of a data page accepted (a phone camera's JPEG is well under this).
MAX_IMAGE_BYTES: Final = 12 * 1024 * 1024
#: How many images are read at once in this process.
OCR_WORKERS: Final = max(1, min(4, (os.cpu_count() or 2) // 2))

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def ocr_pool() -> ThreadPoolExecutor:
    """The process's pool for Tesseract readings, made on first use."""
    global _pool  # noqa: PLW0603 - one pool per process, made lazily
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(OCR_WORKERS, thread_name_prefix="nseers-ocr")
        return _pool


def check_image(data: bytes, field: str) -> None:
    """Refuse, naming ``field``, what is not a PNG or JPEG of at most the size allowed."""
    if len(data) > MAX_IMAGE_BYTES or not is_image(data):
        raise InvalidInputError([FieldProblem(
            field, f"a PNG or JPEG of at most {MAX_IMAGE_BYTES // (1024 * 1024)} MB")])


def _read(data: bytes, field: str, reference_date: date, timeout: float, tolerant: bool,
          allow_specimens: bool) -> MrzReading:
    try:
        return read_mrz_image(data, reference_date=reference_date, timeout=timeout,
                              tolerant=tolerant, allow_specimens=allow_specimens)
    except NothingReadError as error:
        raise InvalidInputError([FieldProblem(field, f"nothing could be read: {error}")]
                                ) from None


def submit_image(data: bytes, *, reference_date: date, field: str = "image",
                 timeout: float = 60.0, tolerant: bool = True,
                 allow_specimens: bool = False) -> Future[MrzReading]:
    """Check the image and queue its reading in the pool (tolerant unless told not to)."""
    check_image(data, field)
    return ocr_pool().submit(_read, data, field, reference_date, timeout, tolerant,
                             allow_specimens)


def read_image(data: bytes, *, reference_date: date, field: str = "image",
               timeout: float = 60.0, tolerant: bool = True,
               allow_specimens: bool = False) -> MrzReading:
    """Read the MRZ in a photo, in the pool, waiting for the answer (for threads)."""
    return submit_image(data, reference_date=reference_date, field=field, timeout=timeout,
                        tolerant=tolerant, allow_specimens=allow_specimens).result()
