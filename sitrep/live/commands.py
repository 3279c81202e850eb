"""The live-ingestion commands (``watch``, ``reprocess``), registered on ``sitrep.cli.app``.

sitrep/cli.py imports this module once, just before ``main``: the commands live here so the
CLI file is not edited for them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
)
from rich.text import Text

from sitrep.cli import DbOpt, err, out
from sitrep.errors import ReadError, SitrepError


def _rate(task: Task) -> float | None:
    # over the whole run: rich's windowed speed jumps when pages arrive in bursts
    return task.completed / task.elapsed if task.elapsed and task.completed else None


class _Rate(ProgressColumn):
    """Articles per second since the start."""

    def render(self, task: Task) -> Text:
        rate = _rate(task)
        return Text("-- /s" if rate is None else f"{rate:.1f}/s", style="progress.data.speed")


class _Eta(ProgressColumn):
    """Time left at the rate so far."""

    def render(self, task: Task) -> Text:
        rate = _rate(task)
        if rate is None or task.total is None:
            return Text("ETA --:--", style="progress.remaining")
        left = int((task.total - task.completed) / rate)
        return Text(f"ETA {left // 60:d}:{left % 60:02d}", style="progress.remaining")


class _Bar:
    """A progress bar on the terminal (done/total, rate, ETA) for one batch at a time, started
    by the first update and stopped before a summary is printed; nothing when piped or quiet."""

    def __init__(self, label: str, quiet: bool) -> None:
        self.label = label
        self.enabled = not quiet and err.is_terminal
        self.bar: Progress | None = None
        self.task: TaskID | None = None
        self.done = self.total = 0
        self.active = False  # inside a batch: an interrupt now leaves work to resume

    def update(self, done: int, total: int) -> None:
        self.done, self.total, self.active = done, total, True
        if not self.enabled or not total:
            return
        if self.bar is None:
            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), _Rate(),
                                _Eta(), console=err, transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        assert self.task is not None
        self.bar.update(self.task, completed=done, total=total)

    def stop(self) -> None:
        self.active = False
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _errors(errors: list[ReadError]) -> None:
    for e in errors:
        err.print(f"[red]error[/red] {e}", highlight=False, soft_wrap=True)


def _open(db: str | None, must_exist: bool = False):  # type: ignore[no-untyped-def]
    from sitrep.store import open_store
    from sitrep.store.db import DEFAULT_DB

    if must_exist and (db is None or "://" not in db) and not Path(db or DEFAULT_DB).exists():
        raise SitrepError(f"{db or DEFAULT_DB}: no such database")
    return open_store(db)


def watch(
    config: Annotated[Path, typer.Argument(help="feeds file (TOML); see sitrep/samples/feeds.example.toml")],
    every: Annotated[Optional[str], typer.Option(help="poll interval: 90s, 10m, 1h (default: the file's; 10m)")] = None,
    once: Annotated[bool, typer.Option("--once", help="poll every feed once, then exit")] = False,
    db: DbOpt = None,
    dedup: Annotated[bool, typer.Option("--dedup/--no-dedup", help="link syndicated copies to their original")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar and no per-poll summary")] = False,
) -> None:
    """Poll RSS/Atom feeds and store new articles (conditional requests, polite per host;
    Ctrl-C stops, and running the same command again resumes without duplicates)."""
    from sitrep.live.config import load_config, parse_duration
    from sitrep.live.watch import PollReport
    from sitrep.live.watch import watch as run_watch

    try:
        cfg = load_config(config)
        interval = parse_duration(every) if every else None
    except ValueError as exc:
        err.print(f"[red]error[/red] --every: {exc}", highlight=False)
        raise typer.Exit(2) from exc
    except SitrepError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc

    bar = _Bar("articles", quiet)

    def summary(r: PollReport) -> None:
        bar.stop()
        _errors(r.errors)
        for w in r.ingest.warnings:
            err.print(f"[yellow]warning[/yellow] {w}", highlight=False)
        if quiet:
            return
        ing = r.ingest
        out.print(f"{datetime.now():%H:%M:%S} {r.feeds} feeds ({r.not_modified} not modified), "
                  f"{r.new_items} new items, {r.skipped} already stored; articles: {ing.new} new, "
                  f"{ing.replaced} replaced, {ing.unchanged} unchanged, {r.linked} syndicated copies linked; "
                  f"{ing.mentions} mentions; {len(r.errors)} errors", highlight=False)

    try:
        with _open(db) as store:
            try:
                index = None
                if dedup:
                    from sitrep.live.syndication import SyndicationIndex

                    index = SyndicationIndex.from_store(store, days=cfg.dedup_days)
                run_watch(cfg, store, every=interval, once=once, dedup=index, on_report=summary,
                          progress=bar.update)
            except KeyboardInterrupt:
                busy = bar.active
                bar.stop()
                if not busy:  # between polls: the normal way to stop watching
                    err.print("stopped")
                    return
                err.print(f"interrupted after {bar.done} of {bar.total} articles; run the same command "
                          "again to resume (nothing is stored twice)")
                raise typer.Exit(130) from None
            finally:
                bar.stop()
    except SitrepError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc


def reprocess(
    db: DbOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")] = False,
) -> None:
    """Re-extract every stored article with this sitrep: from its stored page when there is
    one, else from its stored text; mentions and tallies are replaced."""
    from sitrep.live.reprocess import reprocess as run_reprocess

    try:
        with _open(db, must_exist=True) as store:
            bar = _Bar("re-processing", quiet)
            try:
                report = run_reprocess(store, progress=bar.update)
            finally:
                bar.stop()
    except KeyboardInterrupt:
        err.print("interrupted; articles done so far are saved, the rest keep their old extraction")
        raise typer.Exit(130) from None
    except SitrepError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    _errors(report.errors)
    out.print(f"re-processed {report.replaced + report.new} articles: {report.mentions} mentions, "
              f"{report.tallies} tallies; {len(report.errors)} errors", highlight=False)
    if report.errors and not (report.replaced or report.new):
        raise typer.Exit(1)


def _register() -> None:
    from sitrep import cli

    cli.app.command()(watch)
    cli.app.command()(reprocess)


_register()
