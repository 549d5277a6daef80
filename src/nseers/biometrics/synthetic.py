"""Synthetic fingerprints for tests, benchmarks and the demonstration data.

No fingerprint image of a real person may ship with the project, and NIST's special
databases are not redistributable in a wheel, so a finger is generated: ridges are the
level lines of a phase field (concentric for a whorl-like pattern, wave-like for an
arch/loop-like one) and every minutia is a phase singularity, the spiral term
``±atan2(y - y_k, x - x_k)`` that makes one ridge end or split at ``(x_k, y_k)`` (the
AM-FM model of Larkin and Fletcher, 2007). A finger is fixed by its seed; an *impression*
of it is the same phase field seen through a small rotation, shift, elastic warp and
sensor noise, which is what two presses on a platen differ by. MINDTCT, NFIQ 2 and
Bozorth3 then run on these images exactly as on scanned ones.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

SIZE = 400


def fingerprint_png(finger: int, impression: int = 0, *, size: int = SIZE,
                    noise: float = 0.08, smudge: float = 0.0) -> bytes:
    """A 500 ppi-like greyscale PNG of ``finger``'s ``impression``-th press.

    ``smudge`` (0 to 1) blends the ridges into flat grey, the way a dirty or dry platen
    wipes them out; NFIQ 2 grades such an image low.
    """
    rng = np.random.default_rng(finger)
    cx, cy = size / 2 + rng.uniform(-30, 30), size / 2 + rng.uniform(-30, 30)
    points = rng.uniform(60, size - 60, (int(rng.integers(25, 40)), 2))
    signs = rng.choice([-1.0, 1.0], len(points))
    frequency = rng.uniform(0.095, 0.11)
    whorl = bool(rng.integers(0, 2))
    press = np.random.default_rng(finger * 1000 + impression + 1)
    angle = np.deg2rad(press.uniform(-8, 8)) if impression else 0.0
    shift = press.uniform(-15, 15, 2) if impression else np.zeros(2)
    y, x = np.mgrid[0:size, 0:size].astype(float)
    xr = np.cos(angle) * (x - size / 2) - np.sin(angle) * (y - size / 2) + size / 2 + shift[0]
    yr = np.sin(angle) * (x - size / 2) + np.cos(angle) * (y - size / 2) + size / 2 + shift[1]
    if impression:
        xr += 2 * np.sin(yr / 60 + press.uniform(0, 6))
        yr += 2 * np.sin(xr / 70 + press.uniform(0, 6))
    if whorl:
        phase = np.hypot(xr - cx, (yr - cy) * 1.3) * 2 * np.pi * frequency
    else:
        phase = (yr + 40 * np.exp(-((xr - cx) ** 2) / (2 * 80**2)) * np.cos((xr - cx) / 50)) \
            * 2 * np.pi * frequency + 0.0004 * (xr - cx) ** 2
    for (px, py), sign in zip(points, signs, strict=True):
        phase += sign * np.arctan2(yr - py, xr - px)
    ridges = 0.5 + 0.5 * np.cos(phase)
    if smudge:
        ridges = (1 - smudge) * ridges + smudge * 0.55
    inside = ((xr - size / 2) / (size * 0.42)) ** 2 + ((yr - size / 2) / (size * 0.48)) ** 2 < 1
    image = np.where(inside, ridges, 1.0)
    if impression or noise:
        image = image + press.normal(0, noise, image.shape)
    pixels = np.clip(image * 255, 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def minutiae_points(finger: int, impression: int = 0, *, count: int | None = None,
                    size: int = SIZE) -> np.ndarray:
    """Synthetic (x, y, angle) minutiae without an image, for gallery-scale benchmarks.

    An impression keeps about 85 % of the finger's minutiae, moved by a rigid motion and a
    few pixels of jitter, and adds a few spurious ones, as MINDTCT's output does.
    """
    rng = np.random.default_rng(finger)
    n = count or int(rng.integers(35, 70))
    base = np.column_stack([rng.uniform(40, size - 40, n), rng.uniform(40, size - 40, n),
                            rng.uniform(0, 360, n)])
    if not impression:
        return base.astype(np.float32)
    press = np.random.default_rng(finger * 1000 + impression + 1)
    kept = base[press.random(n) > 0.15]
    turn = np.deg2rad(press.uniform(-10, 10))
    rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    centre = np.array([size / 2, size / 2])
    xy = (kept[:, :2] - centre) @ rotation.T + centre + press.uniform(-20, 20, 2)
    xy += press.normal(0, 2.5, xy.shape)
    angles = np.mod(kept[:, 2] + np.rad2deg(turn) + press.normal(0, 6, len(kept)), 360)
    extra = int(press.integers(2, 8))
    spurious = np.column_stack([press.uniform(40, size - 40, extra),
                                press.uniform(40, size - 40, extra),
                                press.uniform(0, 360, extra)])
    return np.vstack([np.column_stack([xy, angles]), spurious]).astype(np.float32)
