"""Sending one release to 1,000 recipients on a local SMTP server (spec §9, issue 13).

    .venv/bin/python bench/sending.py [--recipients 1000] [--json FILE]

Starts aiosmtpd on 127.0.0.1 (a test dependency; skipped when it is missing), makes
a project in bench/out/sending/ from the repository's templates and seed release
with one list of N addresses, and times, each as a fresh `pressgen send --yes`
process as a press officer runs it:

- the send in the house's batches of 50 (N / 50 messages, each with the PDF);
- the same send again, when the log says everyone has it (nothing is sent);
- the send with `batch: 1` (N messages: the cost of one SMTP transaction, one
  message and one logged SQLite transaction each).

Each run checks that the server received every address exactly once and that the
log agrees. The wall times include building the release's .eml and PDF.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = "2026-01-29-kss-public-protection"
PRESSGEN = [str(ROOT / ".venv" / "bin" / "python"), "-m", "pressgen"]
sys.path.insert(0, str(ROOT / "tests"))


def project(folder: Path, count: int, batch: int) -> list[str]:
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "releases").mkdir(parents=True)
    shutil.copy(ROOT / "releases" / f"{SEED}.yaml", folder / "releases")
    shutil.copytree(ROOT / "templates", folder / "templates")
    addresses = [f"reporter{i:04d}@outlet{i % 97}.example.org" for i in range(count)]
    rows = "".join(f"{a},Reporter {i},Outlet {i % 97}\n" for i, a in enumerate(addresses))
    (folder / "templates" / "lists" / "national.csv").write_text("email,name,outlet\n" + rows)
    house = folder / "templates" / "house.yaml"
    house.write_text(house.read_text().replace("batch: 50", f"batch: {batch}"))
    return addresses


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_send(folder: Path, url: str) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall time and the send process's CPU time (which a busy machine does not inflate)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSGEN_")}
    env["PRESSGEN_SMTP_URL"] = url
    started, cpu = time.perf_counter(), _children_cpu()
    result = subprocess.run([*PRESSGEN, "send", f"releases/{SEED}.yaml", "--to", "national",
                             "--yes", "--as-of", "2026-01-28 12:00"], cwd=folder, env=env,
                            capture_output=True, text=True)
    return time.perf_counter() - started, _children_cpu() - cpu, result


def checked(server, folder: Path, addresses: list[str]) -> None:
    counts = Counter(server.handler.all_recipients())
    assert sorted(counts) == sorted(addresses) and set(counts.values()) == {1}, "not once each"
    with sqlite3.connect(folder / ".pressgen" / "sent.sqlite") as db:
        logged = sorted(a for (a,) in db.execute("SELECT address FROM sent"))
    assert logged == sorted(addresses), "the log disagrees with the server"


def measure(count: int, batch: int, out: Path) -> dict:
    from smtpserver import Server

    folder = out / f"sending-{batch}"
    addresses = project(folder, count, batch)
    server = Server()
    try:
        first, first_cpu, result = timed_send(folder, server.url)
        if result.returncode:
            raise SystemExit(f"send failed: {result.stderr}")
        checked(server, folder, addresses)
        messages = len(server.handler.received)
        size = len(server.handler.received[0].data)
        again, again_cpu, result = timed_send(folder, server.url)
        assert result.returncode == 0 and len(server.handler.received) == messages
    finally:
        server.stop()
    return {"recipients": count, "batch": batch, "messages": messages, "message_bytes": size,
            "send_s": first, "send_cpu_s": first_cpu, "again_s": again, "again_cpu_s": again_cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        print("sending: aiosmtpd (a test dependency) is not installed, skipped")
        return
    out = ROOT / "bench" / "out"
    runs = [measure(args.recipients, 50, out), measure(args.recipients, 1, out)]
    for run in runs:
        print(f"{run['recipients']} recipients, batch {run['batch']}: {run['messages']} "
              f"messages of {run['message_bytes'] / 1024:.0f} KiB: send {run['send_s']:.2f} s "
              f"wall, {run['send_cpu_s']:.2f} s CPU "
              f"({run['send_cpu_s'] / run['recipients'] * 1000:.2f} ms CPU a recipient); "
              f"again, all logged: {run['again_s']:.2f} s wall, {run['again_cpu_s']:.2f} s CPU")
    if args.json:
        args.json.write_text(json.dumps({"runs": runs}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
