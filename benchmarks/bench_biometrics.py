"""Biometrics: 1:N face search at scale, enrolment cost, fingerprint matching and accuracy.

    python benchmarks/bench_biometrics.py [--gallery 200000] [--queries 500]
        [--fingers 12] [--print-gallery 20000] [--seed 13] [--rows-json FILE]
    python benchmarks/bench_biometrics.py --gallery 1000000      # issue 13's 1 M target
    flock /tmp/nseers-bench.lock python benchmarks/bench_biometrics.py --gallery 10000000

1. **Enrolment** of real photographs that ship in packages (``skimage.data.astronaut()``,
   matplotlib's ``grace_hopper.jpg``) and transformed copies (mirror, rotation, scale,
   JPEG, brightness, blur): detect + embed time per image, and genuine (same person) vs
   impostor distances at ``biometrics.face_match_max_distance``.
2. **1:N face search** over a synthetic gallery with realistic clustering: embeddings
   drawn around cluster centres (people who look alike: within a cluster two people are
   about 0.72 apart, across clusters about 0.94; a new photograph of a person is about
   0.35 from the enrolled one), with the real photographs' templates planted as mates.
   Reports the index kind, memory, per-probe latency (one thread) p50/p99, recall@1 of
   the index against exact search for several ``nprobe``, and the genuine / nearest
   impostor distance distributions with FNMR and FPIR at the threshold.
3. **Fingerprints**: generated fingers (``nseers.biometrics.synthetic``), two presses
   each: NFIQ 2 + MINDTCT time per image, Bozorth3 time per comparison, genuine vs
   impostor scores with FMR/FNMR at ``biometrics.fingerprint_match_min_score``; then
   the candidate stage over ``--print-gallery`` synthetic minutiae sets: shortlist time
   per probe (templates ranked per second) and how often the mate is in the shortlist.

Baselines measured in the same run: each index beside a brute-force numpy scan of the same
templates on one thread (a sample of the probes: the face gallery is scanned chunk by
chunk as it is regenerated, the scan alone timed). ``--rows-json FILE`` also writes the
rows of ``make bench``'s table (``benchmarks/run_all.py``).

A benchmark, not a test: it asserts nothing and its numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import time
from datetime import date

import faiss
import matplotlib.cbook
import numpy as np
import skimage.data
from PIL import Image, ImageEnhance, ImageFilter

from bench_table import Row, add_rows_option, write_rows
from nseers.biometrics import DlibFaceMatcher, FaceQualityPolicy, NbisPrintMatcher
from nseers.biometrics.candidates import DESCRIPTOR_SIZE, descriptor, pair_descriptor
from nseers.biometrics.index import CandidateIndex, FaceIndex
from nseers.biometrics.prints import PrintQualityPolicy
from nseers.biometrics.synthetic import fingerprint_png, minutiae_points
from nseers.rules.engine import Engine
from nseers.rules.policy.store import default_policy

CHUNK = 500_000
DIM = 128


def _png(image: Image.Image, fmt: str = "PNG", **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def real_photographs() -> dict[str, list[bytes]]:
    """Each shipped photograph and its transformed copies (the first is the original)."""
    sources = {"astronaut": Image.fromarray(skimage.data.astronaut()),
               "grace_hopper": Image.open(matplotlib.cbook.get_sample_data(
                   "grace_hopper.jpg", asfileobj=False)).convert("RGB")}
    out: dict[str, list[bytes]] = {}
    for name, image in sources.items():
        w, h = image.size
        out[name] = [
            _png(image),
            _png(image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)),
            _png(image.rotate(6, resample=Image.Resampling.BILINEAR)),
            _png(image.rotate(-6, resample=Image.Resampling.BILINEAR)),
            _png(image.resize((int(w * 0.6), int(h * 0.6)))),
            _png(image, "JPEG", quality=25),
            _png(ImageEnhance.Brightness(image).enhance(1.35)),
            _png(ImageEnhance.Contrast(image).enhance(0.7)),
            _png(image.filter(ImageFilter.GaussianBlur(1.5))),
        ]
    return out


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def enrolment(law_values: dict[str, float]) -> dict[str, np.ndarray]:
    print("== 1. Enrolment of real photographs (detect + embed)")
    matcher = DlibFaceMatcher()
    quality = FaceQualityPolicy(law_values["det"], int(law_values["pixels"]))
    photos = real_photographs()
    templates: dict[str, list[np.ndarray]] = {}
    times = []
    for name, images in photos.items():
        templates[name] = []
        for index, data in enumerate(images):
            start = time.perf_counter()
            template = matcher.template(data, f"{name}[{index}]", quality)
            times.append(time.perf_counter() - start)
            templates[name].append(template.array())
    print(f"  images enrolled            {len(times)}")
    print(f"  time per image             mean {np.mean(times) * 1000:.0f} ms, "
          f"p99 {percentile(times, 99) * 1000:.0f} ms  -> {1 / np.mean(times):.1f} images/s")
    threshold = law_values["face"]
    genuine = [float(np.linalg.norm(t[0] - c)) for t in templates.values() for c in t[1:]]
    a, b = templates["astronaut"], templates["grace_hopper"]
    impostor = [float(np.linalg.norm(x - y)) for x in a for y in b]
    print(f"  genuine distances (n={len(genuine)})   min {min(genuine):.3f} "
          f"median {np.median(genuine):.3f} max {max(genuine):.3f}")
    print(f"  impostor distances (n={len(impostor)}) min {min(impostor):.3f} "
          f"median {np.median(impostor):.3f} max {max(impostor):.3f}")
    print(f"  at threshold {threshold}: FNMR {np.mean(np.array(genuine) > threshold):.3f}, "
          f"FMR {np.mean(np.array(impostor) <= threshold):.3f}")
    return {name: np.stack(t) for name, t in templates.items()}


class Gallery:
    """A deterministic synthetic gallery, generated chunk by chunk (never all in memory)."""

    def __init__(self, size: int, seed: int, mean: np.ndarray) -> None:
        self.size = size
        self.seed = seed
        rng = np.random.default_rng(seed)
        self.clusters = max(size // 5000, 50)
        # Cluster sizes are uneven (Zipf-like), as look-alike groups in a population are.
        weights = 1.0 / np.arange(1, self.clusters + 1) ** 0.6
        self.weights = weights / weights.sum()
        self.centres = (mean + rng.normal(0, 0.0375, (self.clusters, DIM))).astype(np.float32)

    def chunk(self, start: int) -> np.ndarray:
        count = min(CHUNK, self.size - start)
        rng = np.random.default_rng((self.seed, start))
        cluster = rng.choice(self.clusters, count, p=self.weights)
        noise = rng.normal(0, 0.045, (count, DIM)).astype(np.float32)
        return self.centres[cluster] + noise

    def starts(self) -> range:
        return range(0, self.size, CHUNK)


def face_search(size: int,  # noqa: PLR0915 - one report, read top to bottom
                queries: int, seed: int, real: dict[str, np.ndarray],
                threshold: float) -> list[Row]:
    print(f"\n== 2. 1:N face search, {size:,} enrolled templates")
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    mean = np.mean(np.concatenate(list(real.values())), axis=0)
    gallery = Gallery(size, seed, mean)
    rng = np.random.default_rng(seed + 1)
    query_ids = np.sort(rng.choice(size, queries, replace=False))
    index = FaceIndex(DIM)
    start = time.perf_counter()
    first = gallery.chunk(0)
    expected = size + len(real)
    if expected > index.exact_limit:
        nlist = index.nlist_for(expected)
        sample_size = min(len(first), max(40 * nlist, 100_000))
        index.build(first[:0], np.zeros(0, np.int64), training=first[:sample_size],
                    expected=expected)
    else:
        index.build(first[:0], np.zeros(0, np.int64), expected=expected)
    trained = time.perf_counter() - start
    probes = np.zeros((queries, DIM), np.float32)
    start = time.perf_counter()
    for chunk_start in gallery.starts():
        vectors = first if chunk_start == 0 else gallery.chunk(chunk_start)
        index.add(vectors, np.arange(chunk_start, chunk_start + len(vectors), dtype=np.int64))
        inside = query_ids[(query_ids >= chunk_start) & (query_ids < chunk_start + len(vectors))]
        where = np.searchsorted(query_ids, inside)
        probes[where] = vectors[inside - chunk_start]
    first = np.zeros((0, DIM), np.float32)
    # The real photographs are enrolled (their originals) as the last ids: planted mates.
    planted = {name: size + i for i, name in enumerate(real)}
    index.add(np.stack([t[0] for t in real.values()]),
              np.array(list(planted.values()), dtype=np.int64))
    added = time.perf_counter() - start
    # A new photograph of an enrolled person: the enrolled template moved by capture noise.
    probes = probes + rng.normal(0, 0.031, probes.shape).astype(np.float32)
    real_probes = [(name, vector) for name, t in real.items() for vector in t[1:]]
    print(f"  index                      {index.kind} (exact below {index.exact_limit:,})")
    print(f"  build                      train {trained:.1f} s, add {added:.1f} s")
    print(f"  index memory               {index.memory_bytes() / 2**20:,.0f} MiB "
          f"({index.memory_bytes() / len(index):.0f} bytes per template)")

    # Exact nearest neighbours of every probe, chunk by chunk (the truth for recall).
    start = time.perf_counter()
    best_d = np.full(queries, np.inf, np.float32)
    best_i = np.full(queries, -1, np.int64)
    second_d = np.full(queries, np.inf, np.float32)  # nearest non-mate (impostor)
    scanned = min(20, queries)  # the brute-force baseline's probes
    scan_best = np.full(scanned, np.inf, np.float32)
    scan_time = 0.0
    for chunk_start in gallery.starts():
        vectors = gallery.chunk(chunk_start)
        tick = time.perf_counter()
        for q in range(scanned):
            squared = np.einsum("ij,ij->i", vectors - probes[q], vectors - probes[q])
            scan_best[q] = min(scan_best[q], float(squared.min()))
        scan_time += time.perf_counter() - tick
        distances, found = faiss.knn(probes, vectors, 2)
        found = found + chunk_start
        for column in range(2):
            d, i = distances[:, column], found[:, column]
            mate = i == query_ids
            better = d < best_d
            second_d = np.where(~mate & (d < second_d), d, second_d)
            best_d, best_i = np.where(better, d, best_d), np.where(better, i, best_i)
    exact_time = time.perf_counter() - start
    genuine = np.sqrt(np.sum((probes - _mates(gallery, query_ids)) ** 2, axis=1))
    impostor = np.sqrt(second_d)
    print(f"  exact search (truth)       {exact_time:.1f} s for {queries} probes, "
          f"all threads")
    scan_ms = scan_time / scanned * 1000
    print(f"  numpy brute-force scan     {scan_ms:.1f} ms a probe ({scanned} probes, 1 thread)")

    faiss.omp_set_num_threads(1)
    nprobes = (8, 16, 24, 32, 48, 64) if index.kind != "flat" else (1,)
    chosen = None
    measured: dict[int, tuple[float, float]] = {}  # nprobe: (recall, p50 seconds)
    for nprobe in nprobes:
        index.set_nprobe(nprobe)
        latencies = []
        agree = 0
        for q in range(queries):
            started = time.perf_counter()
            hits = index.search(probes[q:q + 1], 1)[0]
            latencies.append(time.perf_counter() - started)
            agree += bool(hits) and hits[0].id == best_i[q]
        recall = agree / queries
        label = f"nprobe {nprobe:>3}" if index.kind != "flat" else "exact    "
        print(f"  {label}  recall@1 vs exact {recall:.4f}   latency p50 "
              f"{percentile(latencies, 50) * 1000:6.2f} ms  p99 "
              f"{percentile(latencies, 99) * 1000:6.2f} ms  (1 thread)")
        measured[nprobe] = (recall, percentile(latencies, 50))
        if chosen is None and recall >= 0.99:
            chosen = nprobe
    if index.kind != "flat":
        index.set_nprobe(chosen or nprobes[-1])
        print(f"  chosen nprobe              {chosen} (smallest with recall@1 >= 0.99)")
    found_real = sum(index.search(v[None, :], 1)[0][0].id == planted[name]
                     for name, v in real_probes)
    print(f"  planted real photographs   {found_real}/{len(real_probes)} transformed copies "
          f"found their enrolled original at rank 1")
    print(f"  genuine distance           median {np.median(genuine):.3f}, "
          f"p99 {np.percentile(genuine, 99):.3f}")
    print(f"  nearest impostor distance  median {np.median(impostor):.3f}, "
          f"p1 {np.percentile(impostor, 1):.3f}")
    print(f"  at threshold {threshold}: FNMR {np.mean(genuine > threshold):.4f}, "
          f"FPIR (a non-mate within threshold) {np.mean(impostor <= threshold):.4f}")
    # FPIR grows with the gallery (more look-alikes within reach): the trade at other
    # thresholds, for choosing a stricter 1:N value in policy data.
    for other in (0.45, 0.50, 0.55):
        print(f"  at threshold {other:.2f}: FNMR {np.mean(genuine > other):.4f}, "
              f"FPIR {np.mean(impostor <= other):.4f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak process memory        {rss:,.0f} MiB")
    recall, p50 = measured[chosen or nprobes[-1]]
    setting = f"nprobe {chosen or nprobes[-1]}" if index.kind != "flat" else "exact"
    return [(f"face 1:N search, {size:,} templates, {index.kind} ({setting}), 1 thread",
             f"p50 {p50 * 1000:.2f} ms (recall@1 {recall:.3f})",
             f"numpy brute-force scan {scan_ms:.1f} ms", f"{scan_ms / (p50 * 1000):,.0f}x")]


def _mates(gallery: Gallery, ids: np.ndarray) -> np.ndarray:
    out = np.zeros((len(ids), DIM), np.float32)
    for chunk_start in gallery.starts():
        inside = (ids >= chunk_start) & (ids < chunk_start + CHUNK)
        if inside.any():
            out[inside] = gallery.chunk(chunk_start)[ids[inside] - chunk_start]
    return out


def fingerprints(fingers: int, print_gallery: int, seed: int, threshold: int,
                 min_nfiq2: int) -> list[Row]:
    print(f"\n== 3. Fingerprints: {fingers} generated fingers, two presses each")
    matcher = NbisPrintMatcher()
    quality = PrintQualityPolicy(min_nfiq2)
    templates = {}
    times = []
    for finger in range(seed, seed + fingers):
        for press in (0, 1):
            image = fingerprint_png(finger, press)
            started = time.perf_counter()
            templates[(finger, press)] = matcher.template(image, f"{finger}/{press}", quality)
            times.append(time.perf_counter() - started)
    nfiq = [t.nfiq2 or 0 for t in templates.values()]
    print(f"  NFIQ 2 + MINDTCT per image mean {np.mean(times) * 1000:.0f} ms "
          f"(NFIQ 2 median {np.median(nfiq):.0f}, min {min(nfiq)})")
    ids = range(seed, seed + fingers)
    genuine = [matcher.score(templates[(f, 1)], templates[(f, 0)]) for f in ids]
    impostor = []
    started = time.perf_counter()
    for f in ids:
        impostor.extend(matcher.score(templates[(f, 1)], templates[(g, 0)])
                        for g in ids if g != f)
    per = (time.perf_counter() - started) / len(impostor)
    print(f"  Bozorth3 per comparison    {per * 1e6:.0f} us ({1 / per:,.0f} comparisons/s)")
    print(f"  genuine scores (n={len(genuine)})      min {min(genuine)} "
          f"median {np.median(genuine):.0f} max {max(genuine)}")
    print(f"  impostor scores (n={len(impostor)})    min {min(impostor)} "
          f"median {np.median(impostor):.0f} max {max(impostor)}")
    print(f"  at threshold {threshold}: FNMR {np.mean(np.array(genuine) < threshold):.3f}, "
          f"FMR {np.mean(np.array(impostor) >= threshold):.4f}")
    image_rank = CandidateIndex(DESCRIPTOR_SIZE)
    image_rank.add(np.stack([descriptor(templates[(f, 0)].minutiae) for f in ids]),
                   np.array(list(ids), np.int64))

    print(f"\n   candidate stage over {print_gallery:,} synthetic minutiae sets")
    started = time.perf_counter()
    vectors = np.stack([pair_descriptor(minutiae_points(f)) for f in range(print_gallery)])
    made = time.perf_counter() - started
    index = CandidateIndex(DESCRIPTOR_SIZE)
    index.add(vectors, np.arange(print_gallery, dtype=np.int64))
    print(f"  descriptors                {print_gallery / made:,.0f} templates/s")
    faiss.omp_set_num_threads(1)
    probes = min(300, print_gallery)
    shortlist = 50
    latencies, in_list, first = [], 0, 0
    for f in range(probes):
        probe = pair_descriptor(minutiae_points(f, 1))[None, :]
        started = time.perf_counter()
        hits = index.shortlist(probe, shortlist)[0]
        latencies.append(time.perf_counter() - started)
        ranked = [h.id for h in hits]
        in_list += f in ranked
        first += bool(ranked) and ranked[0] == f
    mean = float(np.mean(latencies))
    print(f"  shortlist of {shortlist} per probe    mean {mean * 1000:.2f} ms, p99 "
          f"{percentile(latencies, 99) * 1000:.2f} ms -> {print_gallery / mean:,.0f} "
          f"templates ranked/s (1 thread)")
    print(f"  mate in shortlist          {in_list / probes:.3f} (rank 1: {first / probes:.3f})")
    print(f"  Bozorth3 calls per 1:N     {shortlist} instead of {print_gallery:,} "
          f"(~{shortlist * per * 1000:.0f} ms instead of ~{print_gallery * per:.1f} s)")
    scan_mean = _numpy_shortlist(vectors, probes, shortlist)
    print(f"  numpy brute-force scan     mean {scan_mean * 1000:.2f} ms a probe (same shortlist)")
    return [(f"print candidate shortlist of {shortlist}, {print_gallery:,} templates, 1 thread",
             f"{mean * 1000:.2f} ms (mate in list {in_list / probes:.3f})",
             f"numpy brute-force scan {scan_mean * 1000:.2f} ms",
             f"{scan_mean / mean:.1f}x")]


def _numpy_shortlist(vectors: np.ndarray, probes: int, shortlist: int) -> float:
    """The candidate stage's baseline: the same centred inner products by numpy, the gallery
    centred beforehand as the index does when it adds templates; mean seconds a probe."""
    centre = vectors.mean(axis=0)
    centred = vectors - centre
    centred /= np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-12)
    scan = []
    for f in range(probes):
        probe = pair_descriptor(minutiae_points(f, 1)) - centre
        started = time.perf_counter()
        scores = centred @ (probe / max(float(np.linalg.norm(probe)), 1e-12))
        np.argpartition(-scores, shortlist)[:shortlist]
        scan.append(time.perf_counter() - started)
    return float(np.mean(scan))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gallery", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--fingers", type=int, default=12)
    parser.add_argument("--print-gallery", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--skip-prints", action="store_true")
    add_rows_option(parser)
    args = parser.parse_args()
    law = Engine(default_policy()).law(date(2003, 1, 1))
    values = {"face": float(law.value("biometrics.face_match_max_distance")),
              "det": float(law.value("biometrics.face_detection_min_score")),
              "pixels": float(law.value("biometrics.face_min_pixels"))}
    print(f"nseers biometrics benchmark on {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    real = enrolment(values)
    rows = face_search(args.gallery, args.queries, args.seed, real, values["face"])
    if not args.skip_prints:
        rows += fingerprints(args.fingers, args.print_gallery, args.seed,
                             int(law.value("biometrics.fingerprint_match_min_score")),
                             int(law.value("biometrics.fingerprint_min_nfiq2")))
    write_rows(args.rows_json, rows)


if __name__ == "__main__":
    main()
