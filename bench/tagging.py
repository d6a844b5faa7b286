"""What tagging the PDF costs, and the two ways of writing its structure tree.

    python bench/tagging.py [PROJECT_DIR|- [COUNT]] [--json FILE]

Renders the first COUNT releases (default 300) of PROJECT_DIR/releases (a fresh
bench/corpus.py corpus when no project is given) in one warm process, three
ways, interleaved release by release so that a busy machine slows all alike:

- untagged: the writer with tagging switched off (`build_pdf(tagged=False)`,
  a switch for this bench only), which is byte for byte what it wrote before;
- tagged: the writer as it is, marked content and the tree in one pass,
  written with reportlab's own objects (writers/_pdf_tree.py);
- pikepdf: marked content in the pass, the tree added afterwards by reopening
  the file with pikepdf and saving it with `deterministic_id=True`: the other
  route issue 11 names, built here only to be measured.

Prints ms per release and KiB per release for each, tagging's share of the
render time, and whether each route gives the same bytes twice: in this process
and in a second one with another hash seed, time zone and SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
from pressgen.embargo import parse_moment  # noqa: E402
from pressgen.load import load_house, load_release  # noqa: E402
from pressgen.writers import _pdf_tree, pdf  # noqa: E402
from pressgen.writers._pdf_marks import MarkedCanvas  # noqa: E402

try:
    import pikepdf
except ImportError:  # a test dependency; `make test` installs it
    pikepdf = None


class _TreeLater(MarkedCanvas):
    """Marks the content as the writer does, and leaves the tree for pikepdf."""

    last: dict[str, Any] = {}

    def _before_save(self, pages: int) -> None:
        _TreeLater.last = {"structure": self.structure, "pages": pages, "date": self._date,
                           "info": self._doc.info, "lang": self._doc.Catalog.Lang.s}


def pikepdf_route(release: Any) -> bytes:
    """The PDF with its tree written by pikepdf after reportlab has finished."""
    pdf.MarkedCanvas = _TreeLater  # type: ignore[misc]
    try:
        data = pdf.build_pdf(release)
    finally:
        pdf.MarkedCanvas = MarkedCanvas  # type: ignore[misc]
    return add_tree(data, **_TreeLater.last)


def add_tree(data: bytes, structure: Any, pages: int, date: str, info: Any, lang: str) -> bytes:
    """The same tree, parent tree, StructParents, Tabs, MarkInfo and XMP as
    _pdf_tree.write_tree, added with pikepdf."""
    from pikepdf import Array, Dictionary, Name

    doc = pikepdf.Pdf.open(io.BytesIO(data))
    page_objs = [page.obj for page in doc.pages]
    kept = _pdf_tree._kept(structure.root)
    made = {id(e): doc.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + e.role)))
            for e in kept}
    root = doc.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    made[id(None)] = root
    annotation_page = {ref.name: page for e in structure.links.values()
                       for page, ref in e.annotations}
    queues = {n: list(obj.get("/Annots", [])) for n, obj in enumerate(page_objs, start=1)}
    annotations = {}
    for annotation, _ in structure.annotations:
        name = annotation.__InternalName__
        annotations[name] = queues[annotation_page[name]].pop(0)
    for element in kept:
        kids: list[Any] = []
        own = _pdf_tree._own_kids(element)
        first = next((kid[0] for kid in own if isinstance(kid, tuple)), None)
        for kid in own:
            if not isinstance(kid, tuple):
                if id(kid) in made:
                    kids.append(made[id(kid)])
            elif kid[0] == first:
                kids.append(kid[1])
            else:
                kids.append(Dictionary(Type=Name.MCR, Pg=page_objs[kid[0] - 1], MCID=kid[1]))
        for page, reference in element.annotations:
            kids.append(Dictionary(Type=Name.OBJR, Obj=annotations[reference.name],
                                   Pg=page_objs[page - 1]))
        target = made[id(element)]
        target.P = made[id(element.parent.real if element.parent else None)]
        if first is not None:
            target.Pg = page_objs[first - 1]
        target.K = kids[0] if len(kids) == 1 else Array(kids)
        for key, value in element.attrs.items():
            target[Name("/" + key)] = pikepdf.String(value)
    nums: list[Any] = []
    for number, obj in enumerate(page_objs, start=1):
        obj.StructParents = number - 1
        obj.Tabs = Name.S
        nums += [number - 1, Array([made[id(e)] for e in structure.pages.get(number, ())])]
    for key, (annotation, element) in enumerate(structure.annotations, start=pages):
        annotations[annotation.__InternalName__].StructParent = key
        nums += [key, made[id(element)]]
    root.K = made[id(structure.root)]
    root.ParentTree = doc.make_indirect(Dictionary(Nums=Array(nums)))
    root.ParentTreeNextKey = pages + len(structure.annotations)
    doc.Root.StructTreeRoot = root
    doc.Root.MarkInfo = Dictionary(Marked=True)
    doc.Root.Metadata = doc.make_stream(_pdf_tree.xmp(info, lang, date),
                                        Type=Name.Metadata, Subtype=Name.XML)
    out = io.BytesIO()
    doc.save(out, deterministic_id=True, min_version="1.7")
    return out.getvalue()


ROUTES: dict[str, Callable[[Any], bytes]] = {
    "untagged": lambda release: pdf.build_pdf(release, tagged=False),
    "tagged": pdf.build_pdf,
}
if pikepdf is not None:
    ROUTES["pikepdf"] = pikepdf_route


def releases(project: Path | None, count: int) -> list[Any]:
    if project is None:
        folder = Path(tempfile.mkdtemp(prefix="pressgen-tagging-"))
        paths = corpus.write_corpus(folder / "releases", count)
        house = load_house(ROOT / "templates" / "house.yaml")
    else:
        paths = sorted((project / "releases").glob("*.yaml"))[:count]
        house = load_house(project / "templates" / "house.yaml")
    now = parse_moment("2026-01-01 00:00", house.tz)
    return [load_release(path, house, now) for path in paths]


def digests(models: list[Any]) -> dict[str, str]:
    """One digest per route over the PDFs of `models`."""
    found = {}
    for name, route in ROUTES.items():
        digest = hashlib.sha256()
        for release in models:
            digest.update(route(release))
        found[name] = digest.hexdigest()
    return found


def measure(models: list[Any]) -> dict[str, dict[str, float]]:
    """Wall and CPU ms per release (CPU time is what another process on the
    machine does not inflate), and KiB per release, for each route."""
    for release in models[:5]:  # warm-up: imports, fonts
        for route in ROUTES.values():
            route(release)
    wall: dict[str, list[float]] = {name: [] for name in ROUTES}
    cpu = dict.fromkeys(ROUTES, 0.0)
    size = dict.fromkeys(ROUTES, 0)
    names = list(ROUTES)
    for i, release in enumerate(models):
        for name in names[i % len(names):] + names[:i % len(names)]:  # rotate the order
            started, busy = time.perf_counter(), time.process_time()
            data = ROUTES[name](release)
            cpu[name] += time.process_time() - busy
            wall[name].append(time.perf_counter() - started)
            size[name] += len(data)
    return {name: {"wall": statistics.fmean(wall[name]) * 1000,
                   "median": statistics.median(wall[name]) * 1000,
                   "cpu": cpu[name] / len(models) * 1000,
                   "kib": size[name] / len(models) / 1024} for name in ROUTES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project", nargs="?", type=Path, default=Path("-"),
                        help="a folder with releases/ and templates/ (default, or -: a "
                             "fresh corpus)")
    parser.add_argument("count", nargs="?", type=int, default=300)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--digests", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    project = None if str(args.project) == "-" else args.project.resolve()
    models = releases(project, args.count)
    if args.digests:  # the second process of the determinism check
        for name, digest in digests(models).items():
            print(name, digest)
        return
    figures = measure(models)
    base = figures["untagged"]
    print(f"{'PDF render, ms a release':<30} {'wall':>7} {'median':>7} {'CPU':>7} {'KiB':>6}"
          f"  {'wall':>6} {'CPU':>6} {'size':>6}  (against untagged; {len(models)} releases)")
    for name, row in figures.items():
        print(f"  {name:<28} {row['wall']:7.2f} {row['median']:7.2f} {row['cpu']:7.2f}"
              f" {row['kib']:6.1f}  {row['wall'] / base['wall']:6.3f}"
              f" {row['cpu'] / base['cpu']:6.3f} {row['kib'] / base['kib']:6.3f}")
    tagged = figures["tagged"]
    cpu, wall = tagged["cpu"] / base["cpu"] - 1, tagged["wall"] / base["wall"] - 1
    print(f"  tagging costs {tagged['cpu'] - base['cpu']:.2f} ms CPU a release ({cpu:+.1%}; "
          f"wall {wall:+.1%}; goal at most +15%) and "
          f"{(tagged['kib'] - base['kib']) * 1024:.0f} bytes")
    sample = models[:30]
    here, again = digests(sample), digests(sample)
    env = dict(os.environ, PYTHONHASHSEED="12345", TZ="Pacific/Chatham",
               SOURCE_DATE_EPOCH="86400")
    other = subprocess.run([sys.executable, __file__, "--digests", str(project or "-"),
                            str(len(sample))],
        capture_output=True, text=True, check=True, env=env, cwd="/")
    there = dict(line.split() for line in other.stdout.splitlines())
    same = {name: here[name] == again[name] == there[name] for name in ROUTES}
    for name in ROUTES:
        print(f"  {name:<28} same bytes twice, and in another process: "
              f"{'yes' if same[name] else 'NO'}")
    if pikepdf is None:
        print("  (pikepdf is not installed: the pikepdf route was not measured)")
    if args.json:
        args.json.write_text(json.dumps({"releases": len(models), "routes": figures,
                                         "deterministic": same}, indent=2) + "\n")


if __name__ == "__main__":
    main()
