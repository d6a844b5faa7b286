"""Time every pathological shape (tests/shapes.py) through the loader and each writer.

    .venv/bin/python bench/shapes.py [SHAPE ...] [--formats txt,docx,pdf] [--scales 0.5,1]

For each shape, at each scale (a share of the loader's 1 MB cap), prints the
file's size and the seconds taken to load it and to render each format, in one
warm process. A release of any shape under the cap must build all three formats
in a few seconds; with two scales, the last column is how much longer the
largest took than the smallest per byte: about 1 for linear time, 2 or more for
quadratic. See bench/README.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import shapes  # noqa: E402

from pressgen.resources import Resources
from pressgen.embargo import parse_moment  # noqa: E402
from pressgen.errors import ReleaseError  # noqa: E402
from pressgen.load import load_house, load_release  # noqa: E402
from pressgen.writers import writer  # noqa: E402


def measure(name: str, scale: float, formats: list[str], house, now, folder: Path) -> tuple:
    """(bytes, [load, *render seconds]) for shape `name` at `scale`; None times if refused."""
    full = shapes.TARGET
    shapes.TARGET = int(full * scale)
    try:
        text = shapes.shape(name)
    finally:
        shapes.TARGET = full
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    try:
        release = load_release(path, house, now)
    except ReleaseError as exc:
        return path.stat().st_size, None, exc.problems[0].message
    figures = [time.perf_counter() - started]
    for fmt in formats:
        started = time.perf_counter()
        writer(fmt)(release, Resources(house.templates))
        figures.append(time.perf_counter() - started)
    return path.stat().st_size, figures, None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shapes", nargs="*", default=list(shapes.SHAPES))
    parser.add_argument("--formats", default="txt,docx,pdf")
    parser.add_argument("--scales", default="1", help="shares of the 1 MB cap, e.g. 0.25,1")
    args = parser.parse_args()
    formats = args.formats.split(",")
    scales = [float(s) for s in args.scales.split(",")]
    house = load_house(ROOT / "templates" / "house.yaml")
    now = parse_moment("2026-01-28 12:00", house.tz)
    print(f"{'shape':<16} {'scale':>5} {'bytes':>9} {'load':>7} "
          + " ".join(f"{f:>7}" for f in formats) + f" {'total':>7} {'growth':>6}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        for name in args.shapes:
            first = None
            for scale in scales:
                size, figures, refused = measure(name, scale, formats, house, now, Path(folder))
                if figures is None:
                    print(f"{name:<16} {scale:>5g} {size:>9,} refused: {refused[:60]}", flush=True)
                    continue
                total = sum(figures)
                first = first or (size, total)
                growth = (total / first[1]) / (size / first[0]) if first[1] else 1.0
                print(f"{name:<16} {scale:>5g} {size:>9,} "
                      + " ".join(f"{t:>7.2f}" for t in figures)
                      + f" {total:>7.2f} {growth:>6.2f}", flush=True)


if __name__ == "__main__":
    main()
