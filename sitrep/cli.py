"""The command line: each command is a thin wrapper over the library."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.console import Console
from rich.table import Table

from sitrep.errors import ReadError, SitrepError

if TYPE_CHECKING:
    from sitrep.executors import Executor
    from sitrep.records import Mention
    from sitrep.store import Store

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="sitrep: armed-conflict events from news articles, offline.")
# A table piped to a file or another program gets a wide page instead of rich's 80 columns.
out = Console(width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True)

SAMPLES = Path(__file__).parent / "samples"

DbOpt = Annotated[Optional[str], typer.Option("--db", help="SQLite file or database URL [default: ./sitrep.db]")]
Workers = Annotated[Optional[int], typer.Option(
    "--workers", help="processes extracting in parallel (a process pool when more than 1)")]
ExecutorOpt = Annotated[str, typer.Option(
    "--executor", help="auto, inline, pool or dask (a local dask cluster unless --cluster)")]
Cluster = Annotated[Optional[str], typer.Option(
    "--cluster", help="address of a running dask scheduler, e.g. tcp://10.0.0.5:8786")]


def _report(errors: list[ReadError]) -> None:
    for e in errors:
        err.print(f"[red]error[/red] {e}", highlight=False, soft_wrap=True)


def _finish(n_ok: int, errors: list[ReadError], strict: bool) -> None:
    _report(errors)
    if n_ok == 0 and errors or strict and errors:
        raise typer.Exit(1)


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="files, folders, .jsonl, or - for standard input")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="write mentions here (JSONL)")] = None,
    tallies: Annotated[Optional[Path], typer.Option("--tallies", help="also write tally records here")] = None,
    strict: Annotated[bool, typer.Option(help="exit 1 when any input cannot be read")] = False,
    workers: Workers = None,
    executor: ExecutorOpt = "auto",
    cluster: Cluster = None,
) -> None:
    """Read articles and write one JSON line per event mention, without a database."""
    from sitrep.pipeline import run

    errors: list[ReadError] = []
    n = 0
    with _executor(executor, workers, cluster) as ex:
        fh = open(output, "w", encoding="utf-8") if output else sys.stdout
        th = open(tallies, "w", encoding="utf-8") if tallies else None
        try:
            n = _write_extraction(run(paths, errors, executor=ex), fh, th)
        finally:
            if output:
                fh.close()
            if th:
                th.close()
    _finish(n, errors, strict)


def _write_extraction(results: Iterator[tuple[Any, Any]], fh: Any, th: Any) -> int:
    n = 0
    for _article, result in results:
        n += 1
        for m in result.mentions:
            fh.write(json.dumps(m.to_dict(), ensure_ascii=False) + "\n")
        if th:
            for t in result.tallies:
                th.write(json.dumps(t.to_dict(), ensure_ascii=False) + "\n")
    return n


def _ingest(paths: list[str], db: str | None, quiet: bool = False,
            executor: Executor | None = None) -> tuple[dict[str, int], list[ReadError]]:
    from sitrep.live.syndication import SyndicationIndex
    from sitrep.live.watch import keep_pages
    from sitrep.pipeline import ingest as ingest_items
    from sitrep.read import read_paths
    from sitrep.store import open_store

    with open_store(db) as store:
        # pages fetched from URLs are kept for `sitrep reprocess`; copies of a stored article
        # are linked to it, so they count as one source
        report = ingest_items(read_paths(paths), store, on_article=keep_pages(store),
                              dedup=SyndicationIndex.from_store(store), executor=executor)
    for w in report.warnings:
        err.print(f"[yellow]warning[/yellow] {w}", highlight=False)
    counts = {k: getattr(report, k) for k in ("new", "unchanged", "replaced", "mentions", "tallies")}
    if not quiet:
        out.print(f"articles: {counts['new']} new, {counts['replaced']} replaced, {counts['unchanged']} unchanged; "
                  f"{counts['mentions']} mentions, {counts['tallies']} tallies written")
    return counts, report.errors


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="files, folders, .jsonl, or - for standard input")],
    db: DbOpt = None,
    strict: Annotated[bool, typer.Option(help="exit 1 when any input cannot be read")] = False,
    workers: Workers = None,
    executor: ExecutorOpt = "auto",
    cluster: Cluster = None,
) -> None:
    """Extract and store in the database (one transaction per article; unchanged articles are skipped)."""
    with _executor(executor, workers, cluster) as ex:
        try:
            counts, errors = _ingest(paths, db, executor=ex)
        except SitrepError as exc:
            err.print(f"[red]error[/red] {exc}", highlight=False)
            raise typer.Exit(2) from exc
    _finish(counts["new"] + counts["replaced"] + counts["unchanged"], errors, strict)


@contextmanager
def _executor(name: str, workers: int | None, cluster: str | None) -> Iterator[Executor]:
    """The executor the options ask for; one that cannot start ends the command with code 2."""
    from sitrep.executors import get_executor

    try:
        ex = get_executor(name, workers, cluster)
    except SitrepError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    if ex.name != "inline":
        err.print(f"extracting on {ex.describe()}", highlight=False)
    with ex:
        yield ex


@contextmanager
def _store(db: str | None) -> Iterator[Store]:
    """The database; a bad database or filter ends the command with code 2."""
    from sitrep.store import open_store

    try:
        with open_store(db) as store:
            yield store
    except SitrepError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc


Since = Annotated[Optional[str], typer.Option(help="first day (YYYY, YYYY-MM or YYYY-MM-DD)")]
Until = Annotated[Optional[str], typer.Option(help="last day, inclusive")]
Country = Annotated[Optional[str], typer.Option(help="ISO code or English name")]


@app.command()
def events(
    db: DbOpt = None,
    since: Since = None,
    until: Until = None,
    country: Country = None,
    format: Annotated[str, typer.Option("--format", help="table or jsonl")] = "table",
    withdrawn: Annotated[bool, typer.Option(help="also list events no source reports any more")] = False,
) -> None:
    """List the stored events with their source counts: a table, or one JSON line per event."""
    if format not in ("table", "jsonl"):
        err.print(f"[red]error[/red] unknown format {format!r} (table or jsonl)")
        raise typer.Exit(2)
    with _store(db) as store:
        rows = store.events(since=since, until=until, country=country, status=None if withdrawn else "active")
    if format == "jsonl":
        for r in rows:
            out.out(json.dumps(_event_json(r), ensure_ascii=False), highlight=False)
        return
    out.print(events_table(rows))


def _event_json(row: dict[str, Any]) -> dict[str, Any]:
    doc = row["summary"]
    return {"event_id": row["event_id"], "status": row["status"], **doc["values"],
            "mention_count": row["mention_count"], "source_count": row["source_count"],
            "independent_sources": row["independent_sources"], "party_source": row["party_source"],
            "chosen": doc["chosen"], "disagreements": doc["disagreements"], "sources": doc["sources"],
            "created_at": row["created_at"], "updated_at": row["updated_at"]}


def events_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="sitrep events", show_lines=False)
    for col in ("event", "date", "place", "admin1", "cc", "type", "weapons", "actor", "killed", "injured",
                "sources", "disputed"):
        table.add_column(col, overflow="fold")
    for r in rows:
        doc = r["summary"]
        v = doc["values"]
        weapons = ", ".join(f"{w['count'] or ''} {w['type']}".strip() for w in v["weapons"])
        actor = v["actor1"] or ""
        if actor and v["actor1_status"]:
            actor += f" ({v['actor1_status']})"
        date = v["event_date"] or "?"
        if v["event_date"] and v["date_precision"] and v["date_precision"] != "day":
            date += f" ~{v['date_precision']}"
        loc = v["location"]
        # "3 (2 indep.)": articles, then sources that do not copy or cite one another; * = a party speaks
        sources = str(r["source_count"])
        if r["independent_sources"] != r["source_count"]:
            sources += f" ({r['independent_sources']} indep.)"
        if r["party_source"]:
            sources += " *"
        table.add_row(r["event_id"][3:11], date, loc.get("name") or "", loc.get("admin1") or "",
                      loc.get("country_code") or "", v["sub_event_type"] or v["event_type"] or "", weapons, actor,
                      "?" if v["fatalities"] is None else str(v["fatalities"]),
                      "?" if v["injuries"] is None else str(v["injuries"]), sources,
                      ", ".join(k for k in doc["disagreements"]))
    if rows:
        table.caption = "event: the id's first characters (sitrep show ID); * a source is a party to the conflict"
    return table


@app.command()
def show(
    event_id: Annotated[str, typer.Argument(help="an event id, or its first characters")],
    db: DbOpt = None,
    format: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """One event: every value with how it was chosen, where sources disagree, the sources with
    their citation chains, the evidence sentences, and the change log."""
    from sitrep.export.show import event_document, render_event

    key = event_id if event_id.startswith("ev-") else f"ev-{event_id}"
    with _store(db) as store:
        found = store.event(key)
    if found is None:
        err.print(f"[red]error[/red] no event {event_id!r} in the database")
        raise typer.Exit(1)
    if format == "json":
        out.out(json.dumps(event_document(found), ensure_ascii=False, indent=1), highlight=False)
        return
    render_event(found, out)


@app.command()
def tallies(
    db: DbOpt = None,
    format: Annotated[str, typer.Option("--format", help="table or jsonl")] = "table",
) -> None:
    """Counts the articles state ("66 attacks since 17 October") next to the events stored for the
    same period and places, with the difference."""
    from sitrep.events.tallies import reconcile

    with _store(db) as store:
        rows = reconcile(store.tallies(), store.events(), store.article_rows())
    if format == "jsonl":
        for r in rows:
            out.out(json.dumps(r, ensure_ascii=False), highlight=False)
        return
    table = Table(title="sitrep tallies: claimed counts against stored events")
    for col in ("article", "claimed", "period", "scope", "about", "stored events", "difference", "evidence"):
        table.add_column(col, overflow="fold")
    for r in rows:
        diff = r["difference"]
        table.add_row(r["article"] if r["kind"] == "total" else "  ↳ part", str(r["count"]),
                      f"{r['since'] or '?'} → {r['until'] or '?'}", ", ".join(r["scope"]) or "any",
                      r["actor"] or "", "?" if r["stored"] is None else str(r["stored"]),
                      "" if diff is None else f"{diff:+d}", (r["evidence"] or r["what"])[:80])
    out.print(table)


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", help="jsonl, acled-csv or geojson")] = "jsonl",
    per: Annotated[str, typer.Option("--per", help="jsonl rows: mention or event")] = "mention",
    output: Annotated[Optional[Path], typer.Option("-o", "--output")] = None,
    db: DbOpt = None,
    since: Since = None,
    until: Until = None,
    country: Country = None,
) -> None:
    """Export stored events: ACLED-style CSV (one row per event), GeoJSON points (one per event), or
    JSONL (one line per mention, or per event with --per event)."""
    if per not in ("mention", "event"):
        err.print(f"[red]error[/red] --per must be mention or event, not {per!r}")
        raise typer.Exit(2)
    with _store(db) as store:
        if format == "jsonl" and per == "event":
            rows = [_event_json(r) for r in store.events(since=since, until=until, country=country)]
            n = _write_lines(rows, output)
        else:
            mentions = store.event_mentions(since=since, until=until, country=country)
            arts = store.article_rows(sorted({m.article for m in mentions}))
            n = write_export(mentions, format, output, arts)
    if output:
        err.print(f"{n} rows written to {output}")


def _write_lines(rows: list[dict[str, Any]], output: Path | None) -> int:
    fh = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    finally:
        if output:
            fh.close()
    return len(rows)


def write_export(mentions: list[Mention], format: str, output: Path | None,
                 articles: dict[str, dict[str, Any]] | None = None) -> int:
    from sitrep.export import to_geojson, write_acled_csv, write_jsonl

    if format not in ("jsonl", "acled-csv", "geojson"):
        err.print(f"[red]error[/red] unknown format {format!r} (jsonl, acled-csv or geojson)")
        raise typer.Exit(2)
    fh = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if format == "jsonl":
            return write_jsonl(mentions, fh)
        if format == "acled-csv":
            return write_acled_csv(mentions, fh, articles=articles)
        data = to_geojson(mentions, articles=articles)
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
        return len(data["features"])
    finally:
        if output:
            fh.close()


@app.command(name="eval")
def eval_(
    gold: Annotated[Path, typer.Argument(help="gold mentions (JSONL)")],
    articles: Annotated[Path, typer.Option("--articles", help="folder (or .jsonl) holding the gold's articles")],
    sites: Annotated[Optional[Path], typer.Option("--sites", help="sites table for place matching")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the figures as JSON")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", help="list misses and false alarms")] = False,
) -> None:
    """Extract from the articles and score against the gold, as the referee does (articles without
    gold rows are negatives: whatever is found in them is a false alarm)."""
    from sitrep.evaluate import Sites, load_jsonl, score
    from sitrep.pipeline import run

    gold_rows = load_jsonl(gold)
    wanted = {g["article"] for g in gold_rows}
    table = json.loads(sites.read_text(encoding="utf-8")) if sites else {"sites": {}, "admin1": {}}
    errors: list[ReadError] = []
    # every article given is scored: one with no gold row is a negative, as for the referee;
    # a JSONL id without its .txt suffix is matched to the gold's file name
    by_stem = {Path(w).stem: w for w in wanted}
    preds = [m.to_dict() for _art, res in run([str(articles)], errors) for m in res.mentions]
    for p in preds:
        if p["article"] not in wanted and Path(p["article"]).stem in by_stem:
            p["article"] = by_stem[Path(p["article"]).stem]
    _report(errors)
    result = score(gold_rows, preds, Sites(table))
    if as_json:
        out.out(json.dumps(result.as_dict(), indent=1), highlight=False)
        return
    out.print(f"mentions: gold {result.tp + result.fn}, found {result.tp}, missed {result.fn}, "
              f"false alarms {result.fp}")
    for k, v in result.field_scores().items():
        out.print(f"  {k:15s} {'-' if v is None else f'{v:.3f}'}  (n={result.fields[k][1]})")
    out.print(f"cross-article clustering B-cubed F1: {result.bcubed():.3f}")
    if verbose:
        for line in result.misses:
            out.print(f"MISS {line}", highlight=False)
        for line in result.alarms:
            out.print(f"FALSE {line}", highlight=False)
    out.print(f"mention precision {result.precision:.3f} recall {result.recall:.3f} F1 {result.f1:.3f}")


@app.command()
def places(query: Annotated[str, typer.Argument(help="a place name, in any spelling")],
           country: Annotated[Optional[str], typer.Option(help="ISO code to prefer")] = None) -> None:
    """Show what a place name resolves to in the gazetteer, and why."""
    from sitrep.places.gazetteer import get_gazetteer

    res = get_gazetteer().resolve(query, country_hint=country)
    if res is None:
        out.print(f"no place found for {query!r}")
        raise typer.Exit(1)
    p = res.place
    out.print(f"[bold]{p.name}[/bold] ({p.kind}{', ' + p.type if p.type else ''}) {p.admin1 or ''} "
              f"{p.country_code or ''} {p.lat}, {p.lon}  id={p.id}")
    out.print(f"  {res.why} (score {res.score:.0f}, {res.method})")


@app.command()
def demo(
    db: Annotated[str, typer.Option("--db", help="database to create")] = "sitrep-demo.db",
    out_dir: Annotated[Path, typer.Option("--out", help="folder for the export files")] = Path("demo-output"),
) -> None:
    """Ingest the bundled sample corpus, print the events and write the three exports."""
    articles = SAMPLES / "articles"
    out.print(f"[bold]sitrep demo[/bold]: sample articles in {articles} (written for sitrep, fictional outlets)")
    counts, errors = _ingest([str(articles)], db)
    _report(errors)
    with _store(db) as store:
        rows = store.events()
        mentions = store.event_mentions()
        arts = store.article_rows()
    out.print(events_table(rows))
    out_dir.mkdir(parents=True, exist_ok=True)
    for fmt, name in (("acled-csv", "events.csv"), ("geojson", "events.geojson"), ("jsonl", "mentions.jsonl")):
        n = write_export(mentions, fmt, out_dir / name, arts)
        out.print(f"wrote {out_dir / name} ({n} rows)")
    out.print(f"database: {db}  (try: sitrep show {rows[0]['event_id'][3:11] if rows else 'ID'} --db {db}, "
              f"sitrep tallies --db {db})")


import sitrep.live.commands  # noqa: E402, F401 - registers watch and reprocess on app
import sitrep.web.commands  # noqa: E402, F401 - registers serve on app


def main() -> None:
    app()


if __name__ == "__main__":
    # `python -m sitrep.cli` runs this file as __main__, a second copy of the module beside the
    # importable sitrep.cli on which the command modules registered: run that one
    from sitrep.cli import main as _main

    _main()
