"""Read the MRZ from a photograph or scan of a data page, with Tesseract.

The pipeline, in Pillow and the ``tesseract`` program:

1. **Straighten.** The page is shrunk to a working size; ink is what is darker than its
   neighbourhood (so the table under a photographed page and uneven light do not count);
   rotations within +-6 degrees are tried and the one whose row profile is sharpest (text
   lines crisply separated) is kept.
2. **Locate.** Text lines are the runs of rows holding ink. The MRZ is the lowest group of
   two or three long lines of equal height, evenly spaced and aligned, as ICAO Doc 9303
   Part 3, 4.2 places it: along the bottom edge of the page.
3. **Crop and scale** the band from the full-resolution straightened page, so that a line
   of text is about 34 pixels high (44 and 26 are tried next), and stretch its contrast.
4. **Recognize** with ``tesseract`` (Debian's ``tesseract-ocr`` and its ``eng`` data; no
   network, no downloaded models): page segmentation for a uniform block of text,
   characters limited to ``A-Z``, ``0-9`` and ``<``, no dictionaries, hOCR output with a
   box, a confidence and the runners-up of every character.
5. **Rebuild on the grid.** MRZ characters sit at a fixed pitch (Part 3, 4.2); one grid is
   fitted to all recognized characters, each cell whose ink has the shape of a chevron is
   a filler (Tesseract's English model reads long runs of ``<`` as ``K``, ``E`` or
   nothing), and every other cell holds what Tesseract read there.
6. **Correct** with :func:`~nseers.documents.tolerant.read_tolerantly`: only corrections
   the check digits (or the character classes and code tables) confirm are made, the
   runners-up and the characters Tesseract doubted guiding the choice. A crop that needed
   check-digit repairs is followed by the next scale, and the reading that needed the
   fewest repairs wins.

The confidence (0 to 1) is the mean confidence of the MRZ's character cells (Tesseract's
for the characters it read, full for fillers recognized by their shape) times the share of
check digits that hold, halved when the reading is not valid: a clean valid read is near 1.
"""

from __future__ import annotations

import io
import itertools
import os
import shutil
import subprocess
import tempfile
import warnings
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Final

from PIL import Image, ImageChops, ImageFilter, ImageOps, UnidentifiedImageError

from nseers.core.errors import NseersError
from nseers.documents.mrz import parse_mrz
from nseers.documents.reading import MrzReading
from nseers.documents.tolerant import read_tolerantly

WHITELIST: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
#: Tesseract's page segmentation mode 6: "a single uniform block of text".
PAGE_SEGMENTATION_BLOCK: Final = "6"
WORKING_WIDTH: Final = 900
ANGLES: Final = tuple(a / 2 for a in range(-12, 13))
#: Heights (pixels) a text line is scaled to before recognition, tried in turn.
CHARACTER_HEIGHTS: Final = (34, 44, 26)
#: Below this confidence a character Tesseract read is doubtful: of characters it read
#: wrongly on spoiled specimen pages more than half fell below, of those it read right 4 %.
DOUBTFUL_CONFIDENCE: Final = 0.97
#: Least confidence (percent) for a character Tesseract ranked second to count as a runner-up.
RUNNER_UP_CONFIDENCE: Final = 5.0
PNG_MAGIC: Final = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC: Final = b"\xff\xd8\xff"


class NothingReadError(NseersError):
    """Nothing could be read: no image, no Tesseract, or no MRZ on the page."""


@dataclass(frozen=True, slots=True)
class Band:
    """Rows ``top`` to ``bottom`` (exclusive) of one text line, and its ink's extent."""

    top: int
    bottom: int
    left: int
    right: int

    @property
    def height(self) -> int:
        """Rows in the line."""
        return self.bottom - self.top

    @property
    def width(self) -> int:
        """Columns from the first to the last ink."""
        return self.right - self.left


def is_image(data: bytes) -> bool:
    """Whether ``data`` starts like a PNG or JPEG file (its magic bytes)."""
    return data.startswith((PNG_MAGIC, JPEG_MAGIC))


def tesseract_path(command: str = "tesseract") -> str:
    """The ``tesseract`` program, or :class:`NothingReadError` saying how to install it."""
    found = shutil.which(command)
    if found is None:
        raise NothingReadError(f"{command} not found: install Tesseract "
                               "(`apt-get install tesseract-ocr` on Debian and Ubuntu)")
    return found


#: The most pixels a photograph of a data page may have (a 50-megapixel camera's full
#: frame); checked from the header before anything is decoded, so a decompression bomb (a
#: small file that decodes to gigabytes) is refused instead of exhausting memory.
MAX_IMAGE_PIXELS: Final = 50_000_000


def decode_bounded(data: bytes) -> Image.Image:
    """The decoded image, refused (:class:`NothingReadError`) when it is not an image or
    its header declares more than :data:`MAX_IMAGE_PIXELS` pixels."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
            width, height = opened.size
            if width * height > MAX_IMAGE_PIXELS:
                raise NothingReadError(
                    f"the image is {width} x {height} pixels; at most "
                    f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels are read")
            image = ImageOps.exif_transpose(opened)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise NothingReadError(f"the image decodes to too many pixels: {error}") from None
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise NothingReadError(f"not a readable image: {error}") from None
    return image


def read_mrz_image(data: bytes, *, reference_date: date, allow_specimens: bool = False,
                   tolerant: bool = True, tesseract: str = "tesseract",
                   timeout: float = 60.0) -> MrzReading:
    """Locate, recognize and read (tolerantly, unless told not to) the MRZ in an image.

    ``data`` is a PNG or JPEG file. Returns the reading with its ``confidence``; raises
    :class:`NothingReadError` when the image cannot be decoded, Tesseract is missing or
    fails, or no MRZ is found. With ``tolerant=False`` the characters are read as Tesseract
    gave them (on the MRZ's grid), without corrections.
    """
    program = tesseract_path(tesseract)
    image = decode_bounded(data)
    best: MrzReading | None = None
    for crop in mrz_crops(image.convert("L")):
        recognized = recognize(crop, program=program, timeout=timeout)
        if tolerant:
            reading = read_tolerantly(recognized.cells_text, reference_date=reference_date,
                                      allow_specimens=allow_specimens,
                                      alternatives=recognized.alternatives,
                                      doubtful=recognized.doubtful)
            if reading.format is None:
                # Too few characters to rebuild the lines on the grid: read the plain text.
                reading = read_tolerantly(recognized.text, reference_date=reference_date,
                                          allow_specimens=allow_specimens)
        else:
            reading = parse_mrz(recognized.cells_text, reference_date=reference_date,
                                allow_specimens=allow_specimens)
        if reading.format is None:
            continue
        reading = reading.with_confidence(_confidence(reading, recognized.confidence))
        if best is None or _preference(reading) > _preference(best):
            best = reading
        if reading.valid and not _guessed(reading):
            break
    if best is None:
        raise NothingReadError("no machine-readable zone found in the image")
    return best


def _guessed(reading: MrzReading) -> int:
    """How many characters the check digits had to choose (not merely confirm)."""
    return sum(1 for c in reading.corrections
               if c.basis in ("check digit", "composite check digit"))


def _preference(reading: MrzReading) -> tuple[bool, int, float]:
    """Valid first, then the fewest characters chosen by check digits, then confidence.

    A crop that reads valid as it stands beats one the check digits had to repair: two OCR
    errors can be repaired into a wrong number that still passes its check digit.
    """
    return reading.valid, -_guessed(reading), reading.confidence or 0.0


def _confidence(reading: MrzReading, ocr_confidence: float) -> float:
    checks = reading.check_digits
    share = sum(checks.values()) / len(checks) if checks else 0.0
    return max(0.0, min(1.0, ocr_confidence * share * (1.0 if reading.valid else 0.5)))


def otsu_threshold(image: Image.Image) -> int:
    """The grey level that best splits ``image`` into ink and paper (Otsu's method)."""
    histogram = image.histogram()[:256]
    total = sum(histogram)
    weighted_total = sum(level * count for level, count in enumerate(histogram))
    background = 0
    background_sum = 0.0
    best_level, best_variance = 127, -1.0
    for level, count in enumerate(histogram):
        background += count
        if background == 0:
            continue
        foreground = total - background
        if foreground == 0:
            break
        background_sum += level * count
        mean_background = background_sum / background
        mean_foreground = (weighted_total - background_sum) / foreground
        variance = background * foreground * (mean_background - mean_foreground) ** 2
        if variance > best_variance:
            best_level, best_variance = level, variance
    return best_level


def local_ink(gray: Image.Image, radius: float) -> Image.Image:
    """Ink as white on black: pixels darker than their neighbourhood, binarized (Otsu).

    Comparing each pixel with the mean around it ignores what is dark everywhere (the
    table under a photographed page, shadows, a gradient of light) and keeps strokes.
    """
    contrast = ImageChops.subtract(gray.filter(ImageFilter.BoxBlur(radius)), gray)
    threshold = max(otsu_threshold(contrast), 12)
    return contrast.point(lambda level: 255 if level > threshold else 0)


def _row_profile(ink: Image.Image) -> list[int]:
    return list(ink.resize((1, ink.height), Image.Resampling.BOX).tobytes())


def _column_profile(ink: Image.Image) -> list[int]:
    return list(ink.resize((ink.width, 1), Image.Resampling.BOX).tobytes())


def straighten(gray: Image.Image) -> tuple[float, Image.Image]:
    """The skew angle found, and the working-size ink image rotated by it."""
    scale = WORKING_WIDTH / gray.width
    small = gray.resize((WORKING_WIDTH, max(1, round(gray.height * scale))),
                        Image.Resampling.BILINEAR)
    ink = local_ink(small, 6)
    best_angle, best_score, best_ink = 0.0, -1.0, ink
    for angle in ANGLES:
        rotated = ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0)
        profile = _row_profile(rotated)
        score = sum((b - a) ** 2 for a, b in itertools.pairwise(profile))
        if score > best_score:
            best_angle, best_score, best_ink = angle, score, rotated
    return best_angle, best_ink


def _longest_run(profile: list[int], gap: float, level: int = 12) -> tuple[int, int] | None:
    """The longest run of inked positions in ``profile``, bridging gaps up to ``gap``."""
    runs: list[tuple[int, int]] = []
    start = last = None
    for position, value in enumerate(profile):
        if value <= level:
            continue
        if start is None or last is None:
            start = position
        elif position - last > gap:
            runs.append((start, last + 1))
            start = position
        last = position
    if start is not None and last is not None:
        runs.append((start, last + 1))
    return max(runs, key=lambda run: run[1] - run[0]) if runs else None


def text_bands(ink: Image.Image) -> list[Band]:
    """The text lines of an ink image, top to bottom, each with the extent of its text.

    A line's extent is its longest run of ink with gaps under its height (an MRZ has no
    spaces), so the edge of the page or of the photo beside the text does not count.
    """
    profile = _row_profile(ink)
    peak = max(profile) if profile else 0
    if peak <= 0:
        return []
    threshold = peak * 0.08
    bands: list[Band] = []
    top = None
    for row, value in enumerate([*profile, 0]):
        if value > threshold and top is None:
            top = row
        elif value <= threshold and top is not None:
            if row - top >= 4:
                run = _longest_run(_column_profile(ink.crop((0, top, ink.width, row))),
                                   gap=row - top)
                if run:
                    bands.append(Band(top, row, run[0], run[1]))
            top = None
    return bands


def find_mrz_bands(bands: list[Band], page_width: int) -> list[Band]:
    """The MRZ's lines among ``bands``: the lowest run of 2 or 3 long, alike, even lines."""
    long_lines = [b for b in bands if b.width >= page_width * 0.45]
    for count in (3, 2):
        for end in range(len(long_lines), count - 1, -1):
            group = long_lines[end - count:end]
            heights = [b.height for b in group]
            widths = [b.width for b in group]
            gaps = [b.top - a.bottom for a, b in itertools.pairwise(group)]
            if (max(heights) <= 1.6 * min(heights) and max(widths) <= 1.25 * min(widths)
                    and all(0 <= gap <= 2.5 * max(heights) for gap in gaps)
                    and (max(abs(b.left - group[0].left) for b in group) <= page_width * 0.05
                         or max(abs(b.right - group[0].right) for b in group)
                         <= page_width * 0.05)):
                return group
    return []


def mrz_crops(gray: Image.Image) -> list[Image.Image]:
    """Enlarged, binarized crops that should hold the MRZ, best guess first."""
    angle, ink = straighten(gray)
    group = find_mrz_bands(text_bands(ink), ink.width)
    if not group:
        return []
    scale = gray.width / ink.width
    upright = gray.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    height = max(b.height for b in group)
    top = max(0, round((group[0].top - height * 0.8) * scale))
    bottom = min(upright.height, round((group[-1].bottom + height * 0.8) * scale))
    left = max(0, round((min(b.left for b in group) - height) * scale))
    right = min(upright.width, round((max(b.right for b in group) + height) * scale))
    band = upright.crop((left, top, right, bottom))
    crops = []
    for character_height in CHARACTER_HEIGHTS:
        factor = character_height / max(1.0, height * scale)
        size = (max(1, round(band.width * factor)), max(1, round(band.height * factor)))
        enlarged = ImageOps.autocontrast(band.resize(size, Image.Resampling.LANCZOS), cutoff=1)
        crops.append(ImageOps.expand(enlarged, border=20, fill=255))
    return crops


@dataclass(frozen=True, slots=True)
class Symbol:
    """One character Tesseract recognized: its box, its confidence, its runners-up."""

    character: str
    left: int
    top: int
    right: int
    bottom: int
    confidence: float = 1.0
    alternatives: str = ""

    @property
    def center(self) -> float:
        """Horizontal centre of the box."""
        return (self.left + self.right) / 2


@dataclass(frozen=True, slots=True)
class Recognized:
    """What Tesseract read, rebuilt cell by cell, with each cell's runner-up characters."""

    text: str
    cells_text: str
    alternatives: dict[tuple[int, int], str]
    confidence: float
    doubtful: frozenset[tuple[int, int]] = frozenset()


class _HocrReader(HTMLParser):
    """Symbols and their LSTM runners-up from Tesseract's hOCR (``hocr_char_boxes``).

    A symbol is a ``span`` whose title holds ``x_bboxes`` and ``x_conf``; the ``span``
    after it, ``lstm_choices_...``, lists the characters the network also considered.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[dict[str, Any]] = []
        self.word_confidences: list[float] = []
        self._kinds: list[str] = []
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "span":
            return
        values = dict(attrs)
        title = values.get("title") or ""
        kind = "other"
        if values.get("class") == "ocrx_word" and "x_wconf" in title:
            self.word_confidences.append(_title_number(title, "x_wconf"))
        elif "x_bboxes" in title:
            box = title.split("x_bboxes", 1)[1].split(";")[0].split()[:4]
            self.found.append({"box": tuple(int(v) for v in box), "alternatives": "",
                               "confidence": _title_number(title, "x_conf") / 100})
            kind = "symbol"
        elif (values.get("id") or "").startswith("choice_"):
            # The network lists many characters it gave no weight at all: only a runner-up
            # with some confidence is evidence.
            kind = "choice" if _title_number(title, "x_confs") >= RUNNER_UP_CONFIDENCE else "other"
        self._kinds.append(kind)
        self._text = []

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != "span" or not self._kinds:
            return
        kind = self._kinds.pop()
        text = "".join(self._text).strip()
        self._text = []
        if kind == "symbol":
            self.found[-1]["character"] = text
        elif kind == "choice" and self.found and len(text) == 1:
            symbol = self.found[-1]
            if text != symbol.get("character") and text not in symbol["alternatives"]:
                symbol["alternatives"] += text

    def symbols(self) -> list[Symbol]:
        """The symbols read, one character each."""
        symbols = []
        for found in self.found:
            character, box = str(found.get("character", "")), found["box"]
            if len(character) == 1 and len(box) == 4:
                left, top, right, bottom = box
                symbols.append(Symbol(character, left, top, right, bottom,
                                      float(found["confidence"]), str(found["alternatives"])))
        return symbols


def _title_number(title: str, key: str) -> float:
    try:
        return float(title.split(key, 1)[1].split(";", 1)[0].split(maxsplit=1)[0])
    except (IndexError, ValueError):
        return 0.0


def recognize(image: Image.Image, *, program: str, timeout: float) -> Recognized:
    """Run Tesseract on an MRZ crop and rebuild its lines on the MRZ's fixed pitch."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory(prefix="nseers-ocr-") as directory:
        base = Path(directory) / "mrz"
        command = [program, "stdin", str(base), "--psm", PAGE_SEGMENTATION_BLOCK, "-l", "eng",
                   "-c", f"tessedit_char_whitelist={WHITELIST}", "-c", "load_system_dawg=0",
                   "-c", "load_freq_dawg=0", "-c", "hocr_char_boxes=1",
                   "-c", "lstm_choice_mode=2", "hocr"]
        try:
            # A fixed argument list naming the program found on PATH; the image goes to
            # standard input and the output to a private directory: no user text reaches
            # the command line.
            done = subprocess.run(  # noqa: S603
                command, input=buffer.getvalue(), capture_output=True, timeout=timeout,
                check=False, env=environment)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise NothingReadError(f"tesseract failed: {error}") from None
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise NothingReadError(
                f"tesseract failed: {message[-1] if message else done.returncode}")
        try:
            hocr = base.with_suffix(".hocr").read_text(encoding="utf-8", errors="replace")
        except OSError:
            hocr = ""
    reader = _HocrReader()
    reader.feed(hocr)
    symbols = reader.symbols()
    plain = "\n".join("".join(s.character for s in line) for line in _group_lines(symbols))
    threshold = otsu_threshold(image)
    ink = image.point(lambda level: 255 if level <= threshold else 0)
    cells_text, alternatives, confidence, doubtful = rebuild_lines(symbols, ink)
    if not cells_text:
        words = reader.word_confidences
        confidence = sum(words) / len(words) / 100 if words else 0.0
    return Recognized(plain, cells_text, alternatives, confidence, doubtful)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


def _group_lines(symbols: list[Symbol]) -> list[list[Symbol]]:
    """Symbols grouped into text lines by their vertical centres, top to bottom."""
    if not symbols:
        return []
    height = _median([s.bottom - s.top for s in symbols])
    ordered = sorted(symbols, key=lambda s: (s.top + s.bottom) / 2)
    lines = [[ordered[0]]]
    for symbol in ordered[1:]:
        previous = lines[-1][-1]
        if (symbol.top + symbol.bottom) / 2 - (previous.top + previous.bottom) / 2 > height / 2:
            lines.append([])
        lines[-1].append(symbol)
    return [sorted(line, key=lambda s: s.left) for line in lines]


def _pitch(line: list[Symbol]) -> float:
    """The character pitch of a line: the typical distance between neighbouring centres."""
    steps = [b.center - a.center for a, b in itertools.pairwise(line)]
    typical = _median(steps)
    close = [step for step in steps if 0.5 * typical <= step <= 1.5 * typical]
    return _median(close) if close else typical


def fit_cells(lines: list[list[Symbol]]) -> tuple[float, float]:
    """The centre of the first cell and the pitch that best place ``lines`` on one grid.

    The lines of an MRZ share their left edge and their pitch, so one grid is fitted to
    all of them: least squares over the characters' centres and the cells they fall in,
    three rounds, dropping characters more than a quarter pitch off the grid (boxes
    Tesseract drew around a misread run of fillers). A line rich in digits anchors a line
    of fillers.
    """
    pitch = _median([_pitch(line) for line in lines])
    first = _median([line[0].center for line in lines])
    if pitch <= 0:
        return first, pitch
    symbols = [symbol for line in lines for symbol in line]
    points = [(round((s.center - first) / pitch), s.center) for s in symbols]
    for _ in range(3):
        count = len(points)
        sum_i = sum(i for i, _ in points)
        sum_c = sum(c for _, c in points)
        sum_ii = sum(i * i for i, _ in points)
        sum_ic = sum(i * c for i, c in points)
        denominator = count * sum_ii - sum_i * sum_i
        if denominator == 0:
            break
        pitch = (count * sum_ic - sum_i * sum_c) / denominator
        first = (sum_c - pitch * sum_i) / count
        if pitch <= 0:
            break
        placed = [(round((s.center - first) / pitch), s.center) for s in symbols]
        points = [(i, c) for i, c in placed if abs(c - first - i * pitch) < 0.25 * pitch] or placed
    return first, pitch


def _strip_rows(glyph: Image.Image, left: int, right: int) -> list[bool]:
    profile = glyph.crop((left, 0, right, glyph.height)).resize(
        (1, glyph.height), Image.Resampling.BOX).tobytes()
    return [value > 50 for value in profile]


def _share(rows: list[bool], start: float, end: float) -> float:
    first = int(start * len(rows))
    part = rows[first:max(first + 1, int(end * len(rows)))]
    return sum(part) / len(part) if part else 0.0


def is_filler_glyph(cell: Image.Image) -> bool:
    """Whether the ink in a character cell has the shape of the filler ``<``.

    Within the glyph's own bounding box, a chevron has ink at the left only around the
    middle, at the right only at the top and the bottom, and none along the top and bottom
    edges of its middle. ``K``, ``E`` and the other letters Tesseract puts in long runs of
    fillers have a stem down the left; ``C`` and ``G`` close their top and bottom.
    """
    box = cell.getbbox()
    if box is None:
        return False
    glyph = cell.crop(box)
    width, height = glyph.size
    if width < 3 or height < 5:
        return False
    strip = max(1, round(width * 0.25))
    left = _strip_rows(glyph, 0, strip)
    right = _strip_rows(glyph, width - strip, width)
    center = _strip_rows(glyph, round(width * 0.4), max(round(width * 0.4) + 1,
                                                        round(width * 0.6)))
    return (_share(left, 0, 0.2) < 0.5 and _share(left, 0.8, 1) < 0.5
            and _share(left, 0.4, 0.6) > 0.5 and _share(right, 0, 0.2) > 0.5
            and _share(right, 0.8, 1) > 0.5 and _share(right, 0.4, 0.6) < 0.5
            # A C (or G) is open on the right too, but its arcs close the top and bottom.
            and _share(center, 0, 0.12) < 0.5 and _share(center, 0.88, 1) < 0.5)


def rebuild_lines(symbols: list[Symbol], ink: Image.Image) -> tuple[
        str, dict[tuple[int, int], str], float, frozenset[tuple[int, int]]]:
    """The MRZ lines rebuilt on the fixed pitch of OCR-B (Doc 9303 Part 3, 4.2).

    The characters are fitted to a grid of cells (:func:`fit_cells`); each cell
    whose ink is shaped like a filler is a filler (Tesseract reads long runs of fillers as
    ``K``, ``E`` or nothing at all), and every other cell holds the character Tesseract
    read there. The line's length is where its last character falls, rounded up to a
    length the number of lines allows (3 lines: 30; 2 lines: 36 or 44). Also returns,
    per (line, column), the characters Tesseract ranked next, and the mean confidence of
    the cells (Tesseract's for a character it read, 1 for a filler seen by its shape, 0 for
    a cell nothing was read in), and the cells whose character Tesseract doubted.
    """
    lines = [line for line in _group_lines(symbols) if len(line) >= 8]
    allowed = {3: (30,), 2: (36, 44)}.get(len(lines))
    alternatives: dict[tuple[int, int], str] = {}
    if allowed is None:
        return "", alternatives, 0.0, frozenset()
    first, pitch = fit_cells(lines)
    if pitch <= 0:
        return "", alternatives, 0.0, frozenset()
    reach = max(round((line[-1].center - first) / pitch) + 1 for line in lines)
    length = next((n for n in allowed if n >= reach), allowed[-1])
    rebuilt = []
    confidences: list[float] = []
    doubtful: set[tuple[int, int]] = set()
    for number, line in enumerate(lines):
        top = min(s.top for s in line) - 3
        bottom = max(s.bottom for s in line) + 3
        read: dict[int, tuple[float, Symbol]] = {}
        for symbol in line:
            index = round((symbol.center - first) / pitch)
            distance = abs(symbol.center - first - index * pitch)
            if 0 <= index < length and (index not in read or distance < read[index][0]):
                read[index] = (distance, symbol)
        characters = []
        for index in range(length):
            center = first + index * pitch
            cell = ink.crop((round(center - 0.45 * pitch), top,
                             round(center + 0.45 * pitch), bottom))
            if is_filler_glyph(cell):
                characters.append("<")
                confidences.append(1.0)
                if index in read and read[index][1].character != "<":
                    # Overruled by the shape: what Tesseract read stays a runner-up.
                    symbol = read[index][1]
                    alternatives[(number, index)] = symbol.character + symbol.alternatives
            elif index in read:
                symbol = read[index][1]
                characters.append(symbol.character)
                confidences.append(symbol.confidence)
                if symbol.confidence < DOUBTFUL_CONFIDENCE:
                    doubtful.add((number, index))
                if symbol.alternatives:
                    alternatives[(number, index)] = symbol.alternatives
            else:
                characters.append("<")
                confidences.append(0.0)
        rebuilt.append("".join(characters))
    return ("\n".join(rebuilt), alternatives, sum(confidences) / len(confidences),
            frozenset(doubtful))
