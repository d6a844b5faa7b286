"""The benchmark behind `make bench`: pressgen against its floor, pandoc and itself.

    .venv/bin/python bench/run.py [--releases 1000] [--jobs N] [--repeat 2]

Generates N releases (bench/corpus.py) in bench/out/project/, then measures, each
in a fresh process as a user would run it:

- pressgen's batch build of all three formats, on N jobs (default: every core)
  and on 1 job;
- the floor: the same releases through bare python-docx, reportlab and jinja2
  calls (bench/floor.py), in the same pool at the same parallelism;
- pandoc's DOCX conversion of the same content, one process per file, as many at
  once as pressgen has jobs (skipped when pandoc is not installed);
- `pressgen --help` against `python -c "import click"`, cold;
- one release built cold;
- a full `make` of the N releases and a no-op `make` after it;
- the newsroom: a full `pressgen site` of the N releases, a no-op one after it,
  and a no-op `make site` (`--site-only` measures just these);
- peak memory (VmHWM) of the build's process and of each of its workers;
- what tagging the PDF costs in render time and bytes (bench/tagging.py).

A timing is taken only while the machine is otherwise idle: before each run the
script waits for other processes to quiet down, and a run during which other
processes used more than 5% of the machine is taken again (up to --repeat more
times); the best run counts. Every figure, ratio and target is printed and
written to bench/out/results.txt and results.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python")
PRESSGEN = str(VENV_BIN / "pressgen")
AS_OF = ["--as-of", "2026-01-01 00:00"]  # every embargo still ahead: the longest outputs
NOISE = 0.05  # share of the machine others may use during a timed run
CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

sys.path.insert(0, str(BENCH))
from corpus import write_corpus  # noqa: E402

# ------------------------------------------------------------------ the machine


def _cpu_busy() -> tuple[float, float]:
    """(busy seconds, total seconds) of all CPUs since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / tick, sum(fields[:8]) / tick


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wait_for_idle(limit: float = 180.0) -> float:
    """Wait (at most `limit` s) until others use under NOISE of the machine; their share."""
    deadline = time.monotonic() + limit
    while True:
        busy0, total0 = _cpu_busy()
        time.sleep(1.0)
        busy1, total1 = _cpu_busy()
        share = (busy1 - busy0) / max(total1 - total0, 1e-9)
        if share < NOISE or time.monotonic() > deadline:
            return share
        time.sleep(2.0)


class PeakMemory(threading.Thread):
    """Polls VmHWM of a process and its descendants: the peak of each, in MiB."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.root = pid
        self.peaks: dict[int, float] = {}
        self.parents: dict[int, int] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self._poll()
            self.done.wait(0.02)

    def _poll(self) -> None:
        for pid in self._tree():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"VmHWM:\s+(\d+) kB", status)
            if match:
                self.peaks[pid] = max(self.peaks.get(pid, 0.0), int(match[1]) / 1024)

    def _tree(self) -> list[int]:
        found, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            found.append(pid)
            try:
                kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                kids = []
            for kid in map(int, kids):
                self.parents[kid] = pid
                todo.append(kid)
        return found

    def workers(self) -> list[float]:
        return [mib for pid, mib in self.peaks.items() if self.parents.get(pid) == self.root]


def timed(argv: list[str], cwd: Path, repeat: int, env: dict | None = None,
          memory: bool = False, check: bool = True, fresh: Path | None = None) -> dict:
    """Run `argv` until one run is undisturbed (at most 1 + repeat runs); the best run.
    `fresh`: a folder removed before every run (each run starts from nothing)."""
    runs = []
    for _ in range(1 + repeat):
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)
        wait_for_idle()
        busy0, total0 = _cpu_busy()
        cpu0 = _children_cpu()
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env)
        watch = PeakMemory(proc.pid) if memory else None
        if watch:
            watch.start()
        out, err = proc.communicate()
        wall = time.perf_counter() - started
        if watch:
            watch.done.set()
            watch.join()
        busy1, total1 = _cpu_busy()
        ours = _children_cpu() - cpu0
        others = max(0.0, (busy1 - busy0) - ours) / max(total1 - total0, 1e-9)
        if check and proc.returncode != 0:
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(argv)}\n{err.decode()[-2000:]}")
        run = {"wall": wall, "cpu": ours, "others": others, "stderr": err.decode(),
               "stdout": out.decode()}
        if watch:
            run["peak_main"] = watch.peaks.get(proc.pid, 0.0)
            run["peak_workers"] = watch.workers()
        runs.append(run)
        print(f"    ({Path(argv[0]).name} {' '.join(argv[1:4])}...: {wall:.2f} s, "
              f"others used {others:.0%})", file=sys.stderr, flush=True)
        if others < NOISE:
            break
    quiet = [r for r in runs if r["others"] < NOISE] or runs
    best = min(quiet, key=lambda r: r["wall"])
    best["runs"] = len(runs)
    return best


def hyperfine(commands: dict[str, str], cwd: Path, runs: int, prepare: str | None = None) -> dict:
    """Mean wall time of each shell command: hyperfine's, or a loop's when it is missing."""
    results: dict[str, float] = {}
    wait_for_idle()
    if shutil.which("hyperfine"):
        export = BENCH / "out" / "hyperfine.json"
        argv = ["hyperfine", "-N", "--warmup", "3", "--runs", str(runs), "--export-json",
                str(export), "--style", "none"]
        if prepare:
            argv = [a for a in argv if a != "-N"] + ["--prepare", prepare]
        subprocess.run(argv + list(commands.values()), cwd=cwd, check=True,
                       stdout=subprocess.DEVNULL)
        for name, result in zip(commands, json.loads(export.read_text())["results"]):
            results[name] = statistics.median(result["times"])
        return results
    for name, command in commands.items():
        times = []
        for i in range(runs + 3):
            if prepare:
                subprocess.run(prepare, shell=True, cwd=cwd, check=True)
            started = time.perf_counter()
            subprocess.run(command, shell=True, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            if i >= 3:
                times.append(time.perf_counter() - started)
        results[name] = statistics.median(times)
    return results


# ------------------------------------------------------------------ the project


def make_project(folder: Path, count: int) -> list[Path]:
    """bench/out/project: N releases, and the repository's Makefile, code and venv by link.

    pyproject.toml is a copy dated 1970, so the project's make never reinstalls into
    the repository's venv (which would point its scripts at this folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    pyproject = folder / "pyproject.toml"
    pyproject.unlink(missing_ok=True)
    shutil.copyfile(ROOT / "pyproject.toml", pyproject)
    os.utime(pyproject, (0, 0))
    for name in ("Makefile", "src", ".venv"):
        link = folder / name
        if not link.is_symlink():
            link.unlink(missing_ok=True)
            link.symlink_to(ROOT / name)
    if (folder / "templates").exists():
        shutil.rmtree(folder / "templates")
    shutil.copytree(ROOT / "templates", folder / "templates")
    return write_corpus(folder / "releases", count)


def pandoc_inputs(releases: list[Path], house: dict, folder: Path) -> list[Path]:
    """Each release as the Markdown pandoc reads: the same headline, body, notes, contacts."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for path in releases:
        data = yaml.safe_load(path.read_text("utf-8"))
        notes = list(data.get("notes") or [])
        ids = list(data.get("standard_notes") or [])
        ids += [k for k, v in house["notes"].items() if v.get("always") and k not in ids]
        notes += [house["notes"][k]["text"] for k in ids]
        contacts = [house["contacts"][c] if isinstance(c, str) else c for c in data["contacts"]]
        meta = {"title": data["headline"], "date": str(data["date"]),
                "author": house["organisation"]["name"]}
        if data.get("summary"):
            meta["subtitle"] = data["summary"]
        line = f"EMBARGOED UNTIL {data['embargo']}" if data.get("embargo") else "FOR IMMEDIATE RELEASE"
        text = ["---", yaml.safe_dump(meta, allow_unicode=True).strip(), "---", "",
                f"**{line}**", "", data["body"], "", "**ENDS**", "", "## Notes to editors", ""]
        text += [f"{i}. {note}" for i, note in enumerate(notes, 1)]
        text += ["", "## Media enquiries", ""]
        for c in contacts:
            text += [f"**{c['name']}**  ", *(f"{c[k]}  " for k in ("role", "phone", "email")
                                               if c.get(k)), ""]
        target = folder / f"{path.stem}.md"
        target.write_text("\n".join(text), encoding="utf-8")
        made.append(target)
    return made


def run_pandoc(inputs: list[Path], out: Path, reference: Path, jobs: int) -> tuple[float, float]:
    """Wall seconds and CPU seconds for one pandoc process per file, `jobs` at a time."""
    out.mkdir(parents=True, exist_ok=True)

    def one(source: Path) -> None:
        subprocess.run(["pandoc", "-f", "markdown", "-t", "docx", "--reference-doc",
                        str(reference), "-o", str(out / f"{source.stem}.docx"), str(source)],
                       check=True)

    for _ in range(3):
        wait_for_idle()
        busy0, total0 = _cpu_busy()
        cpu0 = _children_cpu()
        started = time.perf_counter()
        with ThreadPoolExecutor(jobs) as pool:
            list(pool.map(one, inputs))
        wall = time.perf_counter() - started
        busy1, total1 = _cpu_busy()
        cpu = _children_cpu() - cpu0
        if max(0.0, (busy1 - busy0) - cpu) / max(total1 - total0, 1e-9) < NOISE:
            break
    return wall, cpu


# ------------------------------------------------------------------ the report


class Report:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.figures: dict[str, float] = {}
        self.checks: list[dict] = []

    def say(self, text: str = "") -> None:
        print(text, flush=True)
        self.lines.append(text)

    def figure(self, key: str, label: str, value: float, unit: str = "s") -> None:
        self.figures[key] = value
        shown = f"{value:8.3f} s" if unit == "s" else f"{value:8.1f} {unit}"
        self.say(f"  {label:<58} {shown}")

    def check(self, label: str, value: float, limit: float, at_least: bool = False) -> None:
        ok = value >= limit if at_least else value <= limit
        sign = ">=" if at_least else "<="
        self.checks.append({"label": label, "value": value, "limit": limit, "pass": ok})
        self.say(f"  {label:<58} {value:6.3f}   (target {sign} {limit}: "
                 f"{'pass' if ok else 'MISS'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--releases", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=CPUS)
    parser.add_argument("--repeat", type=int, default=2,
                        help="extra runs allowed when a run was disturbed")
    parser.add_argument("--site-only", action="store_true",
                        help="measure only `pressgen site` and `make site`")
    args = parser.parse_args()
    n, jobs = args.releases, args.jobs
    out = BENCH / "out"
    project = out / "project"
    report = Report()
    load = os.getloadavg()
    report.say(f"pressgen bench: {n} releases, {jobs} jobs, {CPUS} CPUs, "
               f"load {load[0]:.2f} at start, python {sys.version.split()[0]}")

    sources = make_project(project, n)
    size = sum(p.stat().st_size for p in sources)
    report.say(f"corpus: {n} releases, {size / n / 1024:.1f} KiB of YAML each on average "
               f"(bench/corpus.py, seed 1)")
    if args.site_only:
        report.say()
        measure_site(report, project, n, args.repeat)
        (out / "results-site.txt").write_text("\n".join(report.lines) + "\n", encoding="utf-8")
        return
    chunk = _chunk(n, jobs)

    def build(j: int, folder: str) -> dict:
        return timed([PRESSGEN, "build", "releases", "--out", folder, "--force", "--jobs", str(j),
                      *AS_OF], project, args.repeat, memory=True, fresh=project / folder)

    def floor(j: int, folder: str) -> dict:
        return timed([PYTHON, str(BENCH / "floor.py"), "releases", folder, "templates", str(j),
                      str(chunk)], project, args.repeat, memory=True, fresh=project / folder)

    report.say()
    report.say(f"Batch build, {n} releases x 3 formats (wall time, best undisturbed run)")
    pg_n, fl_n = build(jobs, "dist-pressgen"), floor(jobs, "dist-floor")
    pg_1, fl_1 = build(1, "dist-pressgen-1"), floor(1, "dist-floor-1")
    report.figure("pressgen_batch", f"pressgen build, {jobs} jobs", pg_n["wall"])
    report.figure("floor_batch", f"floor (bare libraries), {jobs} jobs", fl_n["wall"])
    report.figure("pressgen_batch_1", "pressgen build, 1 job", pg_1["wall"])
    report.figure("floor_batch_1", "floor, 1 job", fl_1["wall"])
    report.figure("pressgen_per_release", "pressgen per release (wall / N)",
                  pg_n["wall"] / n * 1000, "ms")
    report.figure("pressgen_cpu", "pressgen CPU time, all processes", pg_n["cpu"])
    report.figure("floor_cpu", "floor CPU time, all processes", fl_n["cpu"])
    report.say(f"  (runs taken: {pg_n['runs']}, {fl_n['runs']}, {pg_1['runs']}, {fl_1['runs']}; "
               f"others' share during the best: {pg_n['others']:.1%}, {fl_n['others']:.1%}, "
               f"{pg_1['others']:.1%}, {fl_1['others']:.1%})")

    same = _same_outputs(project / "dist-pressgen", project / "dist-pressgen-1")
    report.say(f"  outputs of {jobs} jobs and of 1 job byte-identical: {same}")

    pandoc_serial = pandoc_parallel = None
    if shutil.which("pandoc"):
        house = yaml.safe_load((project / "templates" / "house.yaml").read_text("utf-8"))
        inputs = pandoc_inputs(sources, house, out / "pandoc-in")
        reference = project / "templates" / "reference.docx"
        pandoc_serial, pandoc_cpu = run_pandoc(inputs, out / "pandoc-out", reference, 1)
        pandoc_parallel, _ = run_pandoc(inputs, out / "pandoc-out", reference, jobs)
        report.figure("pandoc_docx", "pandoc, DOCX only, a process per file, one at a time",
                      pandoc_serial)
        report.figure("pandoc_docx_parallel", f"pandoc, the same, {jobs} at a time",
                      pandoc_parallel)
        report.figure("pandoc_per_file", "pandoc per file (one at a time)",
                      pandoc_serial / n * 1000, "ms")
    else:
        report.say("  pandoc: not installed, skipped")

    report.say()
    report.say("Start-up and single release (median of runs, under hyperfine when installed)")
    started = hyperfine({"help": f"{PRESSGEN} --help", "click": f'{PYTHON} -c "import click"',
                         "version": f"{PYTHON} -c pass"}, project, 30)
    report.figure("help", "pressgen --help", started["help"])
    report.figure("import_click", 'python -c "import click"', started["click"])
    report.figure("python_bare", 'python -c "pass"', started["version"])
    one = sources[len(sources) // 2].relative_to(project)
    single = hyperfine({"single": f"{PRESSGEN} build {one} --out dist-single --force "
                                  f"--as-of '2026-01-01 00:00'"}, project, 10)
    report.figure("single", f"one release, cold (pressgen build FILE --force)", single["single"])

    report.say()
    if not shutil.which("make"):
        report.say("make: not installed, skipped")
        full = noop = None
    else:
        full, noop = measure_make(report, project, sources, n, args.repeat)
        report.say()
        measure_site(report, project, n, args.repeat)
    report.say()
    report.say("Peak memory (VmHWM)")
    workers = pg_n["peak_workers"] or [pg_n["peak_main"]]
    report.figure("peak_worker", f"pressgen, largest of {len(workers)} workers", max(workers),
                  "MiB")
    report.figure("peak_main", "pressgen, the build's own process", pg_n["peak_main"], "MiB")
    report.figure("peak_serial", "pressgen --jobs 1 (one process does it all)",
                  pg_1["peak_main"], "MiB")
    report.figure("peak_floor_worker", "floor, largest worker",
                  max(fl_n["peak_workers"] or [fl_n["peak_main"]]), "MiB")

    report.say()
    report.say("Ratios")
    report.check(f"pressgen / floor, {jobs} jobs", pg_n["wall"] / fl_n["wall"], 1.15)
    report.check(f"speed-up, {jobs} jobs against 1 (pressgen)", pg_1["wall"] / pg_n["wall"],
                 1.8 if jobs == 2 else 0.9 * jobs, at_least=True)
    report.say(f"  {'speed-up, floor (what the libraries and machine allow)':<58} "
               f"{fl_1['wall'] / fl_n['wall']:6.3f}")
    if pandoc_serial and pandoc_parallel:
        report.check("pressgen 3 formats / pandoc DOCX only, one at a time",
                     pg_n["wall"] / pandoc_serial, 0.5)
        report.say(f"  {'pressgen 3 formats / pandoc DOCX only, ' + str(jobs) + ' at a time':<58} "
                   f"{pg_n['wall'] / pandoc_parallel:6.3f}   (equal parallelism)")
    report.check('pressgen --help / python -c "import click"', started["help"] / started["click"],
                 1.3)
    if full and noop is not None:
        report.check("no-op make / full make", noop / full["wall"], 0.02)
    report.check("peak MiB per worker", max(workers), 150)

    report.say()
    report.say(f"Where a release's time goes, one warm process "
               f"(bench/stages.py, {min(n, 300)} releases)")
    wait_for_idle()
    stages = subprocess.run([PYTHON, str(BENCH / "stages.py"), str(project), "300"],
                            capture_output=True, text=True, check=True).stdout
    for line in stages.rstrip().splitlines():
        report.say("  " + line)

    report.say()
    report.say(f"What tagging the PDF costs, one warm process "
               f"(bench/tagging.py, {min(n, 300)} releases)")
    wait_for_idle()
    figures = out / "tagging.json"
    tagging = subprocess.run([PYTHON, str(BENCH / "tagging.py"), str(project), "300",
                              "--json", str(figures)],
                             capture_output=True, text=True, check=True).stdout
    for line in tagging.rstrip().splitlines():
        report.say("  " + line)
    routes = json.loads(figures.read_text("utf-8"))["routes"]
    report.check("tagged PDF / untagged PDF, CPU time to render",
                 routes["tagged"]["cpu"] / routes["untagged"]["cpu"], 1.15)

    report.say()
    report.say("Sending one release to 1,000 recipients on a local SMTP server (bench/sending.py)")
    wait_for_idle()
    sending = subprocess.run([PYTHON, str(BENCH / "sending.py"), "--recipients", "1000"],
                             capture_output=True, text=True, check=True).stdout
    for line in sending.rstrip().splitlines():
        report.say("  " + line)

    (out / "results.txt").write_text("\n".join(report.lines) + "\n", encoding="utf-8")
    (out / "results.json").write_text(json.dumps(
        {"releases": n, "jobs": jobs, "cpus": CPUS, "figures": report.figures,
         "checks": report.checks}, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {out / 'results.txt'} and results.json")


def measure_make(report: Report, project: Path, sources: list[Path], n: int,
                 repeat: int) -> tuple[dict, float]:
    """A full make, a no-op make, a no-op pressgen build, and make after one touch."""
    report.say("make (the project's Makefile, .venv/bin/pressgen called directly)")
    full = timed(["make", "--no-print-directory"], project, repeat, fresh=project / "dist")
    noop_out = subprocess.run(["make", "--no-print-directory"], cwd=project, capture_output=True,
                              text=True, check=True).stdout
    noop = hyperfine({"noop": "make --no-print-directory"}, project, 20)["noop"]
    again = timed([PRESSGEN, "build", "releases"], project, 0)
    report.figure("make_full", f"make, full build of {n} releases", full["wall"])
    report.figure("make_noop", "make, nothing changed", noop)
    report.figure("pressgen_noop", "pressgen build, nothing changed (no make)", again["wall"])
    report.say(f"  no-op make says: {noop_out.strip() or '(nothing)'}")
    touched = sources[0]
    touched.write_text(touched.read_text("utf-8").replace("status: ", "status:  ", 1), "utf-8")
    one_change = timed(["make", "--no-print-directory"], project, 0)
    report.figure("make_one", "make, one release touched (no change to its model)",
                  one_change["wall"])
    report.say(f"  it says: {one_change['stderr'].strip().splitlines()[-1]}")
    return full, noop


def measure_site(report: Report, project: Path, n: int, repeat: int) -> None:
    """The newsroom as of 2027 (every final release lifted): a full `pressgen site`,
    a no-op one (spec §10: well under a second on 1,000), and a no-op `make site`."""
    report.say("pressgen site (the newsroom; every final release published)")
    argv = [PRESSGEN, "site", "releases", "--as-of", "2027-01-01 00:00"]
    for stale in ("site", "site-preview", ".pressgen"):
        shutil.rmtree(project / stale, ignore_errors=True)
    full = timed(argv, project, 0)
    noop = timed(argv, project, repeat)
    report.figure("site_full", f"pressgen site, all {n} releases from nothing", full["wall"])
    report.figure("site_noop", "pressgen site, nothing changed", noop["wall"])
    report.figure("site_noop_cpu", "pressgen site, nothing changed: CPU seconds", noop["cpu"])
    report.say(f"  it says: {noop['stderr'].strip().splitlines()[-1]}")
    report.check("no-op pressgen site, seconds", noop["wall"], 1.0)
    now = str(int(datetime(2027, 1, 1, tzinfo=timezone.utc).timestamp()))
    subprocess.run(["make", "--no-print-directory", f"NOW={now}", "site"], cwd=project,
                   capture_output=True, check=True)
    quick = hyperfine({"noop": f"make --no-print-directory NOW={now} site"}, project, 10)["noop"]
    report.figure("make_site_noop", "make site, nothing changed", quick)


def _same_outputs(first: Path, second: Path) -> bool:
    names = sorted(p.name for p in first.iterdir() if not p.name.startswith("."))
    return bool(names) and names == sorted(
        p.name for p in second.iterdir() if not p.name.startswith(".")) and all(
        (first / name).read_bytes() == (second / name).read_bytes() for name in names)


def _chunk(count: int, jobs: int) -> int:
    """pressgen's own chunk size, so the floor's pool hands out work the same way."""
    sys.path.insert(0, str(ROOT / "src"))
    from pressgen.build import chunk_size

    return chunk_size(count, jobs)


if __name__ == "__main__":
    main()
