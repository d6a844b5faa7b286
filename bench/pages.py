"""How often the tail of a release stands alone on its last page, PDF and DOCX.

    python bench/pages.py [--lengths N] [--out DIR] [--png]

Renders the releases of tests/paged.py, lengths 0 to N-1 (default 300: a few
lines to five pages), as PDF and as DOCX, has LibreOffice lay the DOCX out
(`libreoffice --headless --convert-to pdf`, fifty files a run, its own
profile), reads every page back with pypdf and counts the releases whose
last page holds only the tail or fewer than three lines of body before the end
mark, or with a page that ends on a heading (tests/paged.last_page_problem).

Not part of the suite: LibreOffice is not in CI, and 300 conversions take a
few minutes. Run it from the repository with the .venv's Python; set
PYTHONPATH to another checkout's src/ to count that one ("before"). With
--png, the last two pages of each failing release go to DIR as PNGs
(pdftoppm -r 60), to look at.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pypdf import PdfReader  # noqa: E402

from paged import last_page_problem, release_of_length  # noqa: E402
from pressgen.resources import Resources  # noqa: E402
from pressgen.writers import docx, pdf  # noqa: E402


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


CHUNK = 50  # files per LibreOffice run


def libreoffice_pdfs(docs: dict[int, bytes], work: Path) -> dict[int, bytes]:
    """Each DOCX as LibreOffice paginates it, converted in one run."""
    src, out = work / "docx", work / "pdf"
    src.mkdir()
    for length, data in docs.items():
        (src / f"length-{length:03d}.docx").write_bytes(data)
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        sys.exit("libreoffice is not installed: apt-get install -y libreoffice-writer")
    names = sorted(str(p) for p in src.iterdir())
    for attempt in range(3):  # LibreOffice now and then skips a file of a long run
        missing = [name for name in names if not (out / Path(name).with_suffix(".pdf").name).exists()]
        for start in range(0, len(missing), CHUNK):
            subprocess.run([office, f"-env:UserInstallation=file://{work / 'profile'}",
                            "--headless", "--convert-to", "pdf", "--outdir", str(out),
                            *missing[start:start + CHUNK]],
                           check=False, capture_output=True, timeout=1800)
    done = {n: out / f"length-{n:03d}.pdf" for n in docs}
    failed = sorted(n for n, path in done.items() if not path.exists())
    if failed:
        print(f"LibreOffice converted no PDF for lengths {failed}", file=sys.stderr)
    return {n: path.read_bytes() for n, path in done.items() if path.exists()}


def save_pngs(name: str, data: bytes, pages: int, out: Path) -> None:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(max(1, pages - 1)),
                        file.name, str(out / name)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lengths", type=int, default=300)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--png", action="store_true")
    parser.add_argument("--no-docx", action="store_true")
    args = parser.parse_args()
    resources = Resources()
    releases = {n: release_of_length(n) for n in range(args.lengths)}
    rendered = {"pdf": {n: pdf.render(r, resources) for n, r in releases.items()}}
    with tempfile.TemporaryDirectory() as work:
        if not args.no_docx:
            docs = {n: docx.render(r, resources) for n, r in releases.items()}
            rendered["docx"] = libreoffice_pdfs(docs, Path(work))
    report = {}
    for kind, files in rendered.items():
        problems = {}
        pages = {}
        for n, data in files.items():
            texts = page_texts(data)
            pages[str(n)] = len(texts)
            problem = last_page_problem(texts, releases[n])
            if problem:
                problems[n] = problem
                if args.png and args.out:
                    args.out.mkdir(parents=True, exist_ok=True)
                    save_pngs(f"{kind}-length-{n:03d}", data, len(texts), args.out)
        report[kind] = {"releases": len(files), "bad": len(problems),
                        "problems": {str(n): p for n, p in sorted(problems.items())},
                        "pages": pages}
        print(f"{kind}: {len(problems)} of {len(files)} releases end badly, "
              f"{sum(pages.values())} pages in all")
        for n, problem in list(sorted(problems.items()))[:8]:
            print(f"  length {n}: {problem}")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "pages.json").write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
