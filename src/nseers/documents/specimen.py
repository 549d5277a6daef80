"""Specimen data pages: pictures of a travel document's data page, for tests and demos.

A page is drawn as ICAO Doc 9303 lays it out, in outline: a visual inspection zone (a
header, a portrait placeholder, labelled fields) above a machine-readable zone printed in
OCR-B at ten characters per inch (Doc 9303 Part 3, 4.1 and 4.2) along the bottom edge.
:func:`degrade` then spoils it as a camera or scanner would: a small rotation, blur, sensor
noise, uneven light and JPEG compression. The OCR tests and the OCR benchmark read such
pages; the MRZ font comes from the system (Debian's ``fonts-ocr-b`` package).
"""

from __future__ import annotations

import io
import random
from datetime import date
from pathlib import Path
from typing import Final

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from nseers.documents.mrz import parse_mrz

#: Where Debian's ``fonts-ocr-b`` (and a few other packagings) put the OCR-B font.
OCR_B_FONT_DIRECTORIES: Final = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
                                 Path.home() / ".fonts", Path.home() / ".local/share/fonts")
#: Pixels per millimetre of the drawn page (about 250 dots per inch).
PIXELS_PER_MM: Final = 10
#: ICAO character pitch in the MRZ: 2.54 mm (Doc 9303 Part 3, 4.2).
MRZ_PITCH_MM: Final = 2.54


#: Surnames and given names for specimen holders, already in MRZ characters.
SURNAMES: Final = ("ERIKSSON", "DUPONT", "MACDONALD", "OKONKWO", "NGUYEN", "GARCIA LOPEZ",
                   "MUELLER", "KOWALSKA", "AL RASHID", "LI", "O BRIEN", "SCHWARZENEGGER")
GIVEN_NAMES: Final = ("ANNA MARIA", "JEAN PIERRE", "KIM", "AL", "KARL KEVIN", "FATIMA",
                      "JOSE LUIS", "HIROSHI", "", "SIOBHAN", "MOHAMMED ALI")
ISSUERS: Final = ("FRA", "DEU", "D", "GBR", "NGA", "IRN", "PAK", "CAN", "MEX", "JPN", "IND",
                  "USA", "SAU", "EGY", "BRA")


def random_document(rng: random.Random, *, reference: date = date(2024, 6, 1),
                    formats: tuple[str, ...] = ("TD3", "TD3", "TD1", "TD2", "MRVA"),
                    mixed_numbers: float = 0.1) -> tuple[str, dict[str, str]]:
    """A plausible document: its format and the keyword fields of :func:`render`.

    Document numbers follow common national patterns (nine digits; two letters and seven
    digits; a letter and eight digits) and, with probability ``mixed_numbers``, are nine
    characters drawn from letters and digits alike, which OCR finds hardest (``O`` or
    ``0``?) and check digits cannot always settle.
    """
    mrz_format = rng.choice(formats)
    letters, digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"
    pattern = rng.random()
    if pattern < mixed_numbers:
        number = "".join(rng.choice(letters + digits) for _ in range(9))
    elif pattern < 0.4:
        number = "".join(rng.choice(digits) for _ in range(9))
    elif pattern < 0.75:
        number = ("".join(rng.choice(letters) for _ in range(2))
                  + "".join(rng.choice(digits) for _ in range(7)))
    else:
        number = rng.choice(letters) + "".join(rng.choice(digits) for _ in range(8))
    issuer = rng.choice(ISSUERS)
    birth = date.fromordinal(reference.toordinal() - rng.randrange(18 * 365, 85 * 365))
    expiry = date.fromordinal(reference.toordinal() + rng.randrange(-300, 3650))
    fields = {
        "issuing_state": issuer, "nationality": issuer if rng.random() < 0.8 else
        rng.choice(ISSUERS), "surname": rng.choice(SURNAMES),
        "given_names": rng.choice(GIVEN_NAMES), "document_number": number,
        "date_of_birth": birth.isoformat(), "date_of_expiry": expiry.isoformat(),
        "sex": rng.choice("MFMFX"),
    }
    if mrz_format == "TD3" and rng.random() < 0.4:
        fields["personal_number"] = "".join(rng.choice(digits) for _ in range(11))
    return mrz_format, fields


class FontNotFoundError(FileNotFoundError):
    """The OCR-B font is not installed."""


def find_ocr_b_font() -> Path:
    """The OCR-B font file, or :class:`FontNotFoundError` saying how to install one."""
    for directory in OCR_B_FONT_DIRECTORIES:
        if not directory.is_dir():
            continue
        for pattern in ("**/OCRB.otf", "**/OCRB.ttf", "**/OCR-B*.ttf", "**/OCR-B*.otf",
                        "**/ocrb*.ttf", "**/ocrb*.otf"):
            found = sorted(directory.glob(pattern))
            if found:
                return found[0]
    raise FontNotFoundError("no OCR-B font found: install it with "
                            "`apt-get install fonts-ocr-b` (Debian, Ubuntu)")


def _sans(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def draw_data_page(mrz: str, *, font_path: Path | None = None, seed: int = 0) -> Image.Image:
    """A data page (TD3, TD2, visa) or card back (TD1) whose MRZ reads ``mrz``.

    The page size follows the MRZ's line length (44 characters: 125 x 88 mm; 36: 105 x
    74 mm; 30: 85.6 x 54 mm); the visual zone repeats the MRZ's fields, as a real page does.
    """
    lines = mrz.split()
    pitch = MRZ_PITCH_MM * PIXELS_PER_MM
    width_mm, height_mm = {44: (125, 88), 36: (105, 74), 30: (85.6, 54)}.get(
        len(lines[0]), (125, 88))
    width, height = round(width_mm * PIXELS_PER_MM), round(height_mm * PIXELS_PER_MM)
    rng = random.Random(seed)  # noqa: S311  # decoration of a specimen, not a secret
    page = Image.new("RGB", (width, height), (246, 244, 236))
    draw = ImageDraw.Draw(page)
    tint = (rng.randrange(200, 235), rng.randrange(215, 240), rng.randrange(215, 245))
    for offset in range(-height, width, 18):
        draw.line([(offset, 0), (offset + height, height)], fill=tint, width=1)
    ocr_b = ImageFont.truetype(str(font_path or find_ocr_b_font()), 40)
    scale = pitch * len(lines[0]) / ocr_b.getlength(lines[0])
    ocr_b = ImageFont.truetype(str(font_path or find_ocr_b_font()), round(40 * scale))
    line_pitch = round(4.6 * PIXELS_PER_MM)
    left = round((width - pitch * len(lines[0])) / 2)
    top = height - round(4 * PIXELS_PER_MM) - line_pitch * len(lines)
    draw.rectangle([(0, top - 12), (width, height)], fill=(250, 250, 247))
    for index, line in enumerate(lines):
        draw.text((left, top + index * line_pitch), line, font=ocr_b, fill=(18, 18, 24))
    _draw_visual_zone(draw, mrz, width, top - 20)
    return page


def _draw_visual_zone(draw: ImageDraw.ImageDraw, mrz: str, width: int, bottom: int) -> None:
    reading = parse_mrz(mrz, reference_date=date(2000, 1, 1), tolerant=False,
                        allow_specimens=True)
    fields = reading.fields
    size = width / 1250
    margin = round(5 * PIXELS_PER_MM * size)
    portrait_width = round(width * 0.27)
    draw.text((margin, margin // 2), f"{fields.get('issuing_state', '')}   TRAVEL DOCUMENT",
              font=_sans(round(30 * size)), fill=(40, 40, 90))
    top = margin * 2
    draw.rectangle([(margin, top), (margin + portrait_width, bottom - margin // 2)],
                   fill=(205, 208, 214), outline=(150, 150, 160))
    labels = (("Surname", "surname"), ("Given names", "given_names"),
              ("Nationality", "nationality"), ("Date of birth", "date_of_birth"),
              ("Sex", "sex"), ("Date of expiry", "date_of_expiry"),
              ("Document no.", "document_number"))
    x = margin * 2 + portrait_width
    step = (bottom - top) / len(labels)
    label_font, value_font = _sans(max(8, round(step * 0.3))), _sans(max(9, round(step * 0.42)))
    for index, (label, key) in enumerate(labels):
        y = top + index * step
        draw.text((x, y), label, font=label_font, fill=(90, 90, 110))
        draw.text((x, y + step * 0.36), str(fields.get(key) or ""), font=value_font,
                  fill=(20, 20, 30))


def degrade(page: Image.Image, *, rng: random.Random, angle: float | None = None,
            blur: float | None = None, noise: float | None = None,
            jpeg_quality: int | None = None) -> Image.Image:
    """``page`` as a camera or scanner sees it; each spoiler drawn from ``rng`` if not given.

    Rotation within +-3 degrees, Gaussian blur up to 1.2 pixels, sensor noise, a gradient of
    light across the page, and JPEG compression.
    """
    angle = rng.uniform(-3.0, 3.0) if angle is None else angle
    blur = rng.uniform(0.0, 1.2) if blur is None else blur
    noise = rng.uniform(4.0, 18.0) if noise is None else noise
    quality = rng.randrange(55, 90) if jpeg_quality is None else jpeg_quality
    width, height = page.size
    canvas = Image.new("RGB", (width + 120, height + 120), (92, 84, 76))
    canvas.paste(page, (60, 60))
    image = canvas.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False,
                          fillcolor=(92, 84, 76))
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    light = Image.linear_gradient("L").resize(image.size).rotate(rng.uniform(0, 360))
    image = Image.blend(image, Image.merge("RGB", (light, light, light)), 0.12)
    grain = Image.effect_noise(image.size, noise).convert("RGB")
    image = Image.blend(image, grain, 0.12 * noise / 18)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def to_bytes(image: Image.Image, image_format: str = "PNG") -> bytes:
    """``image`` encoded as PNG (default) or JPEG."""
    buffer = io.BytesIO()
    image.save(buffer, image_format)
    return buffer.getvalue()
