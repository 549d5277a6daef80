"""Write sample face photographs from installed packages, for trying the face commands.

    .venv/bin/python scripts/sample-faces.py examples/faces

writes ``hopper.jpg`` (matplotlib's public-domain portrait of Grace Hopper,
``mpl-data/sample_data/grace_hopper.jpg``), ``hopper-mirrored.jpg`` (the same photograph
mirrored: the same person), and ``astronaut.jpg`` (scikit-image's public-domain portrait of
Eileen Collins, ``skimage.data.astronaut()``: another person). Nothing is downloaded; the
files are generated, so they are not committed (``examples/faces/`` is ignored).
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib.cbook
import skimage.data
from PIL import Image, ImageOps


def main(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    with matplotlib.cbook.get_sample_data("grace_hopper.jpg") as source:
        hopper = Image.open(source).convert("RGB")
    hopper.save(target / "hopper.jpg", quality=95)
    ImageOps.mirror(hopper).save(target / "hopper-mirrored.jpg", quality=95)
    Image.fromarray(skimage.data.astronaut()).save(target / "astronaut.jpg", quality=95)
    print(f"wrote hopper.jpg, hopper-mirrored.jpg and astronaut.jpg in {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "examples/faces"))
