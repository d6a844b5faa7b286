"""Where a release's time goes: each stage of pressgen beside the floor's, in one warm process.

    python bench/stages.py PROJECT_DIR [COUNT]

Times every stage around the same releases (the first COUNT of PROJECT_DIR/releases,
default 300), after a few releases of warm-up, and prints milliseconds per release.
Plain timers, not a profiler: cProfile inflates reportlab's many small calls.
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import floor  # noqa: E402
from pressgen.atomic import write_atomic  # noqa: E402
from pressgen.embargo import parse_moment  # noqa: E402
from pressgen.load import load_house, load_release  # noqa: E402
from pressgen.outputs import model_digest  # noqa: E402
from pressgen.resources import FONTS, Resources  # noqa: E402
from pressgen.writers import _ooxml, writer  # noqa: E402


def stages(project: Path, count: int) -> list[tuple[str, float, float | None]]:
    """(stage, pressgen ms, floor ms or None) per release."""
    paths = sorted((project / "releases").glob("*.yaml"))[:count]
    house = load_house(project / "templates" / "house.yaml")
    now = parse_moment("2026-01-01 00:00", house.tz)
    writers = {fmt: writer(fmt) for fmt in ("pdf", "docx", "txt")}
    spent: dict[str, float] = {}

    def timed(name, fn, *args):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        result = fn(*args)
        spent[name] = spent.get(name, 0.0) + time.perf_counter() - started
        return result

    zip_rewrite = _ooxml.deterministic_zip
    _ooxml.deterministic_zip = lambda *a, **k: timed("docx: zip rewritten", zip_rewrite, *a, **k)
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        floor._init(str(project / "templates"), str(FONTS), scratch)
        for path in paths[:5]:  # warm-up: imports, fonts, templates
            release = load_release(path, house, now)
            for render in writers.values():
                render(release, Resources(house.templates))
            content = floor._content(path)
            floor._pdf(content), floor._docx(content), floor._text(content)
        spent.clear()
        gc.collect()
        gc.freeze()
        for i, path in enumerate(paths):
            release = timed("load (YAML, schema, Markdown, model)", load_release, path, house, now)
            timed("fingerprint", model_digest, release)
            for fmt, render in writers.items():
                data = timed(f"render {fmt}", render, release, Resources(house.templates))
                timed("write (atomic)", write_atomic, out / f"{release.id}.{fmt}", data)
            content = timed("F load", floor._content, path)
            for fmt, render in (("pdf", floor._pdf), ("docx", floor._docx), ("txt", floor._text)):
                data = timed(f"F render {fmt}", render, content)
                timed("F write", (out / f"f-{release.id}.{fmt}").write_bytes, data)
            if i % 10 == 9:
                timed("collect", gc.collect)
                timed("F collect", gc.collect)
        gc.unfreeze()
    _ooxml.deterministic_zip = zip_rewrite
    per = {name: seconds / len(paths) * 1000 for name, seconds in spent.items()}
    rows = []
    for name in ("load (YAML, schema, Markdown, model)", "fingerprint", "render pdf", "render docx",
                 "docx: zip rewritten", "render txt", "write (atomic)", "collect"):
        twin = {"load (YAML, schema, Markdown, model)": "F load", "render pdf": "F render pdf",
                "render docx": "F render docx", "render txt": "F render txt",
                "write (atomic)": "F write", "collect": "F collect"}.get(name)
        rows.append((name, per.get(name, 0.0), per.get(twin) if twin else None))
    total = sum(ms for name, ms, _ in rows if name != "docx: zip rewritten")
    floor_total = sum(ms for _, _, ms in rows if ms is not None)
    rows.append(("total", total, floor_total))
    return rows


def main() -> None:
    project = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    os.chdir(project)
    print(f"{'stage (ms per release, one process)':<40} {'pressgen':>9} {'floor':>9}")
    for name, ms, floor_ms in stages(Path("."), count):
        shown = f"{floor_ms:9.2f}" if floor_ms is not None else f"{'':>9}"
        print(f"  {name:<38} {ms:9.2f} {shown}")


if __name__ == "__main__":
    main()
