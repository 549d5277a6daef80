"""MRZ reading: parse-and-validate throughput, and OCR accuracy and time on noisy photos.

    python benchmarks/bench_documents.py [--mrzs 200000] [--pages 200] [--seed 7]
                                         [--mixed-numbers 0.1] [--skip-ocr]
                                         [--rows-json FILE]

1. **Parsing.** Valid TD3 passports with random fields are rendered beforehand, then read
   and checked by ``parse_mrz`` in one process on one core. Target (issue 6): at least
   100,000 MRZs a second.
2. **OCR.** Data pages of every format are drawn in OCR-B and spoiled (rotation within
   +-3 degrees, blur, noise, uneven light, JPEG), then read by ``read_mrz_image``
   (Tesseract, then check-digit correction). Reports the time per page and the share of
   pages whose MRZ is read exactly, the share read valid, and the pages read valid but
   wrong (errors the check digits could not see). Target: 95 % exact. ``--mixed-numbers``
   is the share of document numbers mixing letters and digits at random, the hardest case.
   The baseline reads the same photos with ``tolerant=False``: Tesseract's characters on
   the MRZ's grid, without check-digit correction.

Baselines measured in the same run: the ``mrz`` package's TD3 checker on a share of the
same MRZs (when installed), and the uncorrected OCR reading above. ``--rows-json FILE``
also writes the rows of ``make bench``'s table (``benchmarks/run_all.py``).

A benchmark, not a test: it asserts nothing and its numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time
from datetime import date, timedelta

from bench_table import Row, add_rows_option, write_rows
from nseers.documents import parse_mrz, render, render_td3
from nseers.documents.ocr import NothingReadError, read_mrz_image
from nseers.documents.specimen import degrade, draw_data_page, random_document, to_bytes

REFERENCE = date(2024, 6, 1)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CODES = ("FRA", "DEU", "D", "GBR", "USA", "CAN", "MEX", "IRN", "PAK", "IND", "CHN", "NGA",
         "BRA", "JPN", "EGY", "SAU")


def random_passport(rng: random.Random) -> str:
    """A valid TD3 MRZ with random fields."""
    alnum = LETTERS + "0123456789"
    birth = REFERENCE - timedelta(days=rng.randrange(1, 36_000))
    expiry = max(birth, REFERENCE + timedelta(days=rng.randrange(-3000, 3650)))
    return render_td3(
        issuing_state=rng.choice(CODES), nationality=rng.choice(CODES),
        surname="".join(rng.choice(LETTERS) for _ in range(rng.randint(2, 14))),
        given_names=" ".join("".join(rng.choice(LETTERS) for _ in range(rng.randint(2, 9)))
                             for _ in range(rng.randint(0, 2))),
        document_number="".join(rng.choice(alnum) for _ in range(9)),
        date_of_birth=birth, date_of_expiry=expiry,
        sex=rng.choice("MFX"),
        personal_number="".join(rng.choice(alnum) for _ in range(rng.randint(0, 14))))


def bench_parsing(count: int, rng: random.Random) -> Row:
    texts = [random_passport(rng) for _ in range(min(count, 50_000))]
    texts = (texts * (count // len(texts) + 1))[:count]
    invalid = sum(not parse_mrz(t, reference_date=REFERENCE).valid for t in texts[:50_000])
    start = time.perf_counter()
    for text in texts:
        parse_mrz(text, reference_date=REFERENCE)
    elapsed = time.perf_counter() - start
    rate = count / elapsed
    print(f"parse and validate: {count:,} valid TD3 MRZs in {elapsed:.2f} s = "
          f"{rate:,.0f} MRZs/s ({elapsed / count * 1e6:.2f} us each; "
          f"{invalid} of the distinct ones invalid)")
    what = f"MRZ parse and validate, {count:,} TD3, 1 core (bench_documents)"
    try:
        from mrz.checker.td3 import TD3CodeChecker  # type: ignore[import-untyped]  # noqa: PLC0415 - dev-only peer
    except ImportError:
        return what, f"{rate:,.0f} /s", "mrz package not installed", "-"
    sample = texts[:max(2_000, count // 10)]
    start = time.perf_counter()
    for text in sample:
        TD3CodeChecker(text).report.fields  # noqa: B018 - the peer's full check
    peer = len(sample) / (time.perf_counter() - start)
    print(f"  the mrz package's TD3CodeChecker on {len(sample):,} of them: {peer:,.0f} MRZs/s")
    return what, f"{rate:,.0f} /s", f"mrz package {peer:,.0f}/s", f"{rate / peer:.1f}x"


def bench_ocr(pages: int, rng: random.Random, mixed_numbers: float) -> list[Row]:
    exact = valid = wrong_but_valid = nothing = 0
    seconds: list[float] = []
    confidences: list[float] = []
    raw_exact, raw_seconds = 0, 0.0
    for index in range(pages):
        mrz_format, fields = random_document(rng, reference=REFERENCE,
                                             mixed_numbers=mixed_numbers)
        mrz = render(mrz_format, **fields)
        photo = to_bytes(degrade(draw_data_page(mrz, seed=index), rng=rng), "JPEG")
        start = time.perf_counter()
        try:
            raw = read_mrz_image(photo, reference_date=REFERENCE, tolerant=False)
            raw_exact += "\n".join(raw.lines) == mrz
        except NothingReadError:
            pass
        raw_seconds += time.perf_counter() - start
        start = time.perf_counter()
        try:
            reading = read_mrz_image(photo, reference_date=REFERENCE)
        except NothingReadError:
            nothing += 1
            seconds.append(time.perf_counter() - start)
            continue
        seconds.append(time.perf_counter() - start)
        read_exactly = "\n".join(reading.lines) == mrz
        exact += read_exactly
        valid += reading.valid
        wrong_but_valid += reading.valid and not read_exactly
        confidences.append(reading.confidence or 0.0)
    print(f"OCR of {pages} noisy pages (+-3 degrees, blur, noise, JPEG; "
          f"{mixed_numbers:.0%} mixed letter-digit document numbers):")
    print(f"  read exactly after check-digit correction: {exact}/{pages} = "
          f"{exact / pages:.1%}")
    print(f"  read valid: {valid}/{pages}; valid but wrong: {wrong_but_valid}; "
          f"nothing read: {nothing}")
    print(f"  time per page: mean {statistics.mean(seconds):.2f} s, median "
          f"{statistics.median(seconds):.2f} s, max {max(seconds):.2f} s")
    if confidences:
        print(f"  mean confidence {statistics.mean(confidences):.2f}")
    print(f"  baseline without check-digit correction: {raw_exact}/{pages} read exactly, "
          f"mean {raw_seconds / pages:.2f} s a page")
    ours = statistics.mean(seconds)
    return [
        (f"OCR of {pages} noisy pages, read exactly", f"{exact / pages:.1%}",
         f"uncorrected Tesseract {raw_exact / pages:.1%}",
         f"{exact / raw_exact:.2f}x" if raw_exact else "-"),
        (f"OCR of {pages} noisy pages, time per page", f"{ours:.2f} s",
         f"uncorrected Tesseract {raw_seconds / pages:.2f} s",
         f"{ours / (raw_seconds / pages):.2f}x"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mrzs", type=int, default=200_000, help="MRZs to parse")
    parser.add_argument("--pages", type=int, default=200, help="noisy pages to read by OCR")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--mixed-numbers", type=float, default=0.1,
                        help="share of document numbers mixing letters and digits at random")
    parser.add_argument("--skip-ocr", action="store_true", help="time the parser only")
    add_rows_option(parser)
    options = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} CPUs (one used)")
    rng = random.Random(options.seed)
    rows = [bench_parsing(options.mrzs, rng)]
    if not options.skip_ocr:
        rows += bench_ocr(options.pages, rng, options.mixed_numbers)
    write_rows(options.rows_json, rows)


if __name__ == "__main__":
    main()
