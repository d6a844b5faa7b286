"""The pressgen command line: the only place that prints or exits (spec §7).

Every module beyond click is imported inside the commands (even pathlib, and
shutil for the terminal's width), so `pressgen --help` costs about what
importing click does; `--help`, `check` and `status` never import reportlab or
python-docx (tests/test_speed_contract.py holds us to that).
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING, Iterable, NoReturn

import click

from pressgen import formats

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from pressgen.errors import Problem
    from pressgen.load import House


def _path(value: str) -> Path:
    from pathlib import Path

    return Path(value)


class _PathArg(click.Path):
    """click.Path giving a pathlib.Path, with pathlib imported only once a value is
    parsed (not for --help)."""

    def coerce_path_result(self, value):  # type: ignore[no-untyped-def, override]
        return _path(os.fsdecode(value))


def _releases() -> tuple[Path, ...]:
    return (_path("releases"),)


def _help_width() -> int:
    """The width click would choose (terminal, at most 80), without importing shutil."""
    try:
        columns = int(os.environ.get("COLUMNS", "0")) or \
            os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, OSError, ValueError):
        columns = 80
    return max(min(columns or 80, 80) - 2, 50)


paths_argument = click.argument(
    "paths", nargs=-1, type=_PathArg(exists=True))
out_option = click.option(
    "--out", type=_PathArg(), default="dist", show_default=True,
    help="The folder the outputs are written to.")
house_option = click.option(
    "--house", type=_PathArg(), default="templates/house.yaml",
    show_default=True, help="The organisation's house file.")
as_of_option = click.option(
    "--as-of", "as_of", metavar="WHEN",
    help='The build moment instead of now: "YYYY-MM-DD HH:MM" in the house time zone, '
         'ISO 8601 with an offset, or "@" and seconds since 1970.')


@click.group(context_settings={"help_option_names": ["-h", "--help"],
                                "terminal_width": _help_width()})
@click.version_option(package_name="pressgen")
def main() -> None:
    """Embargo-aware press releases: PDF, DOCX and plain text from YAML."""


@main.command()
@paths_argument
@out_option
@click.option("--format", "chosen", type=click.Choice(formats.names()), multiple=True,
              help="An output format; repeat for more. Default: "
                   f"{', '.join(formats.defaults())}, and any other already built in OUT.")
@house_option
@as_of_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Releases built at once. Default: one per core.")
@click.option("--force", is_flag=True, help="Render every output, even if unchanged.")
def build(paths: tuple[Path, ...], out: Path, chosen: tuple[str, ...], house: Path,
          as_of: str | None, jobs: int | None, force: bool) -> None:
    """Build releases (files or folders; default releases/) into OUT."""
    from pressgen import build as batch
    from pressgen.reading import noting_reads

    started = time.monotonic()
    epoch = _epoch()
    with noting_reads() as house_reads:
        loaded = _house(house)
    paths = paths or _releases()
    _check_out(out, house, paths)
    job = batch.Job(loaded, out, formats.in_build_order(chosen) or None,
                    _moment(as_of, loaded) if as_of is not None else None, epoch,
                    force=force, house_reads=house_reads)
    sources = batch.discover(paths)
    folders = [p for p in paths if p.is_dir()]
    counts = {"built": 0, "unchanged": 0, "failed": 0, "removed": 0}
    try:
        with _progress(len(sources)) as bar:
            for outcome in batch.build(sources, job, jobs or batch.default_jobs(), folders,
                                       on_wait=lambda: _waiting(out)):
                if outcome.problems or outcome.warnings:
                    bar.clear()
                    _report(outcome.problems + outcome.warnings)
                key = "failed" if outcome.failed else "removed" if outcome.removed else \
                    "built" if outcome.written else "unchanged"
                counts[key] += 1
                bar.update(1)
    except OSError as exc:
        reason = "it is a file, not a folder" if out.is_file() else exc.strerror or exc
        _fail(f"{out}:1:1: error: cannot write to the output folder: {reason}; check that "
              "it is a folder you can write to, with space")
    summary = ", ".join(f"{n} {k}" for k, n in counts.items() if n or k == "built")
    click.echo(f"pressgen: {summary} in {time.monotonic() - started:.1f} s "
               f"({len(sources)} release{'s' * (len(sources) != 1)} → {out}/)", err=True)
    sys.exit(1 if counts["failed"] else 0)


@main.command()
@paths_argument
@out_option
@click.option("--format", "chosen", type=click.Choice(formats.names()), multiple=True,
              help="An output format; repeat for more. Default: as `build` (with --serve, "
                   "html too).")
@house_option
@as_of_option
@click.option("--serve", is_flag=True,
              help="Show the outputs on http://127.0.0.1:PORT/, reloading after each rebuild.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port of --serve (0: any free one).")
@click.pass_context
def watch(ctx: click.Context, paths: tuple[Path, ...], out: Path, chosen: tuple[str, ...],
          house: Path, as_of: str | None, serve: bool, port: int) -> None:
    """Build, then rebuild what changed on every save, until Ctrl-C.

    A bad release is reported (FILE:LINE:COL: error: ...) and watching goes on."""
    from pressgen.watch import Preview, Saves, seconds_to_lift

    paths = paths or _releases()
    if serve and not chosen and "html" in formats.names():
        chosen = (*formats.defaults(), "html")  # the page --serve shows beside the PDF

    def rebuild() -> None:
        try:
            ctx.invoke(build, paths=paths, out=out, chosen=chosen, house=house, as_of=as_of,
                       jobs=1, force=False)
        except SystemExit:
            pass  # build's exit status: its problems are already printed

    preview = None
    lift_due = (lambda: None) if as_of is not None else (lambda: seconds_to_lift(out))
    saves = Saves(paths, house, out, lift_due)
    try:
        try:
            saves.start()  # before the first build: a save during it is seen
        except OSError as exc:
            _fail(f"{house}:1:1: error: cannot watch {house.parent}/ and "
                  f"{', '.join(map(str, paths))}: {str(exc.strerror or exc).rstrip('.')}; check that the house "
                  "file's folder exists (or give --house)")
        rebuild()
        if serve:
            try:
                preview = Preview(out, port)
            except OSError as exc:
                raise click.UsageError(f"--port {port}: cannot listen on 127.0.0.1: "
                                       f"{exc.strerror or exc}; choose another port") from None
            preview.start()
            click.echo(f"pressgen: showing {out}/ on {preview.url}", err=True)
        click.echo(f"pressgen: watching {', '.join(map(str, paths))} and {house.parent}/; "
                   "Ctrl-C to stop", err=True)
        for _ in saves:
            rebuild()
            if preview is not None:
                preview.rebuilt()
    except KeyboardInterrupt:
        pass
    finally:
        if preview is not None:
            preview.stop()
    click.echo("pressgen: stopped watching", err=True)
    sys.exit(0)


def _waiting(out: Path) -> None:
    click.echo(f"pressgen: another build into {out}/ is running; waiting for it to finish",
               err=True)


def _check_out(out: Path, house: Path, paths: tuple[Path, ...]) -> None:
    """Refuse an output folder that is, or holds, an input: the build would write over
    (or, cleaning up, delete) the house file's folder or the releases."""
    import os

    target = os.path.realpath(out)
    inputs = [house.parent] + [p if p.is_dir() else p.parent for p in paths]
    for folder in inputs:
        place = os.path.realpath(folder)
        if place == target or place.startswith(target.rstrip(os.sep) + os.sep):
            what = "the house file's folder" if folder == house.parent else "releases"
            raise click.UsageError(
                f"--out {out} is or holds {folder} ({what}); outputs would mix with "
                "the inputs: choose a folder of their own, e.g. --out dist")


@main.command()
@paths_argument
@house_option
@as_of_option
def check(paths: tuple[Path, ...], house: Path, as_of: str | None) -> None:
    """Validate releases and write nothing; editorial warnings are printed too."""
    loaded = _house(house)
    valid, invalid, _ = _validate(paths or _releases(), loaded, _moment(as_of, loaded),
                                  whole_folder=False)
    click.echo(f"pressgen: {valid} valid, {invalid} invalid", err=True)
    sys.exit(1 if invalid else 0)


@main.command()
@paths_argument
@house_option
@as_of_option
@click.option("--strict", is_flag=True, help="Exit 1 when there is any warning.")
def lint(paths: tuple[Path, ...], house: Path, as_of: str | None, strict: bool) -> None:
    """Editorial warnings: long headlines, capitals, long sentences, risky embargoes.

    Thresholds and switches are in the house file under `lint:`. Exit 0 with
    warnings (1 with --strict); 1 when a release is invalid."""
    loaded = _house(house)
    valid, invalid, warnings = _validate(paths or _releases(), loaded, _moment(as_of, loaded))
    click.echo(f"pressgen: {valid + invalid} release{'s' * (valid + invalid != 1)}, "
               f"{warnings} warning{'s' * (warnings != 1)}, {invalid} invalid", err=True)
    sys.exit(1 if invalid or (strict and warnings) else 0)


def _validate(paths: tuple[Path, ...], house: House, now: datetime,
              whole_folder: bool = True) -> tuple[int, int, int]:
    """Load and lint every release, printing each problem and warning: (valid, invalid,
    warnings). Warnings about the house file (a note no release uses) need the whole
    folder, so only `lint` looks for them (as `build` sees only what it renders), and
    only when every PATH is a folder."""
    from pressgen.build import discover, same_ids
    from pressgen.errors import ReleaseError
    from pressgen.lint import lint_house, lint_release
    from pressgen.load import load_release

    sources = discover(paths)
    clashes = same_ids(sources)
    docs, invalid, warnings = [], 0, 0
    for source in sources:
        try:
            if source in clashes:
                raise ReleaseError(clashes[source])
            release = load_release(source, house, now, located=docs)
            found = lint_release(release, house, now, docs[-1])
        except ReleaseError as exc:
            _report(exc.problems)
            invalid += 1
            continue
        _report(found)
        warnings += len(found)
    if whole_folder and all(p.is_dir() for p in paths):
        found = lint_house(house, docs)
        _report(found)
        warnings += len(found)
    return len(sources) - invalid, invalid, warnings


@main.command()
@paths_argument
@house_option
@as_of_option
@click.option("--preview", is_flag=True,
              help="Also print each embargoed release's preview token (PRESSGEN_PREVIEW_KEY).")
def status(paths: tuple[Path, ...], house: Path, as_of: str | None, preview: bool) -> None:
    """List each release with its embargo state and the time left before it lifts."""
    from pressgen.build import discover
    from pressgen.embargo import moment_text, time_left
    from pressgen.errors import ReleaseError
    from pressgen.load import load_release

    loaded = _house(house)
    now = _moment(as_of, loaded)
    token_of = _tokens() if preview else None
    failed = 0
    sources = discover(paths or _releases())
    width = max((len(s.stem) for s in sources), default=0)
    for source in sources:
        try:
            release = load_release(source, loaded, now)
        except ReleaseError as exc:
            _report(exc.problems)
            failed += 1
            continue
        if release.embargo is None:
            state = "immediate: no embargo"
        elif release.embargoed:
            left = time_left(release.embargo.lifts_at - now)
            state = f"embargoed until {moment_text(release.embargo.lifts_at)} ({left} left)"
        else:
            state = f"lifted at {moment_text(release.embargo.lifts_at)}"
        draft = " [draft]" if release.draft else ""
        token = f"  preview {token_of(source.stem)}/" \
            if token_of and release.embargoed and not release.draft else ""
        click.echo(f"{source.stem:<{width}}  {state}{draft}{token}")
    sys.exit(1 if failed else 0)


@main.command()
@paths_argument
@click.option("--out", type=_PathArg(), default="site", show_default=True,
              help="The folder of the published newsroom.")
@click.option("--preview-out", "preview_out", type=_PathArg(), default="site-preview",
              show_default=True, metavar="PDIR",
              help="The folder of embargoed previews (with PRESSGEN_PREVIEW_KEY set).")
@house_option
@as_of_option
@click.option("--base-url", "base_url", metavar="URL",
              help="The site's address for absolute links. Default: the house's website.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Releases rendered at once. Default: one per core.")
@click.option("--force", is_flag=True, help="Render every page, even if unchanged.")
def site(paths: tuple[Path, ...], out: Path, preview_out: Path, house: Path,
         as_of: str | None, base_url: str | None, jobs: int | None, force: bool) -> None:
    """Publish the newsroom: every final, lifted release, its index, feed and sitemap."""
    from pressgen.site_cli import run_site

    run_site(paths or _releases(), out, preview_out, house, as_of, base_url, jobs, force)


@main.command()
@click.argument("slug")
@house_option
def new(slug: str, house: Path) -> None:
    """Write releases/SLUG.yaml, a draft skeleton to fill in."""
    from pressgen.load import RELEASE_ID
    from pressgen.skeleton import skeleton_for

    if not RELEASE_ID.fullmatch(slug):
        raise click.BadParameter("use lower-case letters, digits, `.`, `_` and `-`, starting "
                                 "with a letter or digit", param_hint="SLUG")
    target = _path("releases") / f"{slug}.yaml"
    if target.exists():
        _fail(f"{target}:1:1: error: the release already exists; choose another SLUG or edit it")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_schema_line(house, target) + skeleton_for(house), encoding="utf-8")
    except OSError as exc:
        _fail(f"{target}:1:1: error: cannot write the release: {exc.strerror or exc}; "
              "check that `releases` is a writable folder")
    click.echo(f"wrote {target}; fill it in, then run `pressgen check {target}`", err=True)


# ------------------------------------------------------------------ email (spec §9)


@main.command()
@click.argument("release", type=_PathArg(exists=True, dir_okay=False))
@click.option("--to", "lists", metavar="LIST", multiple=True, required=True,
              help="A distribution list of the house file's `email.lists`; repeat for more.")
@house_option
@as_of_option
@click.option("--out", type=_PathArg(), default="dist", show_default=True,
              help="Where the release's .eml (and PDF) are built first, if missing or stale.")
@click.option("--dry-run", is_flag=True, help="Send nothing: list who would receive it.")
@click.option("--yes", is_flag=True, help="Send without asking for confirmation.")
@click.option("--resend-changed", is_flag=True,
              help="Send a release whose content changed since it was sent to those who "
                   "had it, as a correction (its subject begins CORRECTION: ).")
def send(release: Path, lists: tuple[str, ...], house: Path, as_of: str | None, out: Path,
         dry_run: bool, yes: bool, resend_changed: bool) -> None:
    """Email RELEASE (releases/<id>.yaml) to the LISTs, in Bcc batches, each address once."""
    from pressgen.send_cli import run_send

    run_send(release, lists, house, as_of, out, dry_run, yes, resend_changed)


@main.command()
@click.argument("release", type=_PathArg(dir_okay=False))
@house_option
def sent(release: Path, house: Path) -> None:
    """List the send log of RELEASE: who was sent which content, when, and the reply."""
    from pressgen.send_cli import run_sent

    run_sent(release, house)


def _tokens():  # type: ignore[no-untyped-def]
    """The preview token of a release id, under PRESSGEN_PREVIEW_KEY (spec §10)."""
    from pressgen.preview import KEY_VARIABLE, preview_key, preview_token

    key = preview_key()
    if key is None:
        raise click.UsageError(f"--preview needs {KEY_VARIABLE} set to the preview key")
    return lambda rid: preview_token(key, rid)


def _schema_line(house: Path, release: Path) -> str:
    """The first line of a new release: where an editor's YAML language server finds the
    schema, a copy written now into `.pressgen/schema/` beside the house file's folder."""
    import os

    from pressgen.schema_export import write_copies

    copy = write_copies(house.parent.parent)["release"]
    return f"# yaml-language-server: $schema={os.path.relpath(copy, release.parent)}\n"


@main.command()
@click.argument("kind", type=click.Choice(["release", "house"]))
def schema(kind: str) -> None:
    """Print the JSON Schema (draft 2020-12) of a release or house file, as check uses it."""
    from pressgen.schema_export import schema_text

    click.echo(schema_text(kind), nl=False)


def _house(path: Path) -> House:
    from pressgen.errors import ReleaseError
    from pressgen.load import load_house

    try:
        loaded = load_house(path)
    except ReleaseError as exc:
        _report(exc.problems)
        _fail(f"pressgen: the house file {path} has errors; nothing was built")
    _report(loaded.warnings)  # e.g. what was dropped from the reference DOCX
    return loaded


def _moment(as_of: str | None, house: House) -> datetime:
    from datetime import datetime, timezone

    from pressgen.embargo import TimeError, parse_moment

    if as_of is None:
        return datetime.now(timezone.utc).astimezone(house.tz)
    try:
        return parse_moment(as_of, house.tz, epoch=True)
    except TimeError as exc:
        raise click.BadParameter(str(exc), param_hint="--as-of") from None


def _epoch() -> int | None:
    """SOURCE_DATE_EPOCH as whole seconds, within the dates the outputs can hold."""
    from pressgen.embargo import LATEST_EPOCH
    from pressgen.errors import printable

    value = os.environ.get("SOURCE_DATE_EPOCH")
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > LATEST_EPOCH:
        shown = printable(value if len(value) <= 40 else value[:40] + "…")
        raise click.UsageError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970 "
                               f"(0 to {LATEST_EPOCH}), not `{shown}`; unset it or fix it")
    return int(value)


def _report(problems: Iterable[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)


class _NoBar:
    def __enter__(self) -> "_NoBar":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None

    def clear(self) -> None:
        return None


class _Bar(_NoBar):
    """click's progress bar, wiped before an error line so the two never share a line
    (the bar is drawn again at the next update)."""

    def __init__(self, total: int) -> None:
        self._bar = click.progressbar(length=total, label="building", file=sys.stderr)

    def __enter__(self) -> "_Bar":
        self._bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.__exit__(*exc)  # type: ignore[arg-type]

    def update(self, n: int) -> None:
        self._bar.update(n)

    def clear(self) -> None:
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()


def _progress(total: int) -> _NoBar:
    """A progress bar on a terminal for batches; nothing when piped or in CI, where
    only errors and the summary line are printed."""
    if total < 10 or not sys.stderr.isatty():
        return _NoBar()
    return _Bar(total)
