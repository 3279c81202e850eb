"""One event, for a reader: values and how they were chosen, disagreements, sources, evidence
and history. ``event_document`` is the JSON form (the web panel reads the same), and
``render_event`` prints it with rich."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sitrep.records import Mention


def event_document(found: dict[str, Any]) -> dict[str, Any]:
    """Everything about one event as plain data: ``found`` is ``Store.event()``'s result."""
    row, mentions, articles = found["event"], found["mentions"], found["articles"]
    doc = row["summary"]
    return {
        "event_id": row["event_id"],
        "status": row["status"],
        "values": doc["values"],
        "chosen": doc["chosen"],
        "disagreements": doc["disagreements"],
        "sources": doc["sources"],
        "mention_count": row["mention_count"],
        "source_count": row["source_count"],
        "independent_sources": row["independent_sources"],
        "party_source": row["party_source"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "mentions": [_mention_doc(m, articles.get(m.article) or {}) for m in mentions],
        "log": [{k: v for k, v in entry.items() if k != "id"} for entry in found["log"]],
    }


def _mention_doc(m: Mention, article: dict[str, Any]) -> dict[str, Any]:
    text = article.get("text") or ""
    sentence = (text[m.sentence_start:m.sentence_end]
                if text and m.sentence_start is not None and m.sentence_end is not None else None)
    out = m.to_dict()
    out["sentence"] = sentence
    out["article_url"] = article.get("url")
    out["article_title"] = article.get("title")
    return out


def _fmt(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, dict):  # a location
        return ", ".join(str(value[k]) for k in ("name", "admin1", "country_code") if value.get(k))
    if isinstance(value, list):  # weapons
        return ", ".join(f"{w.get('count') or ''} {w.get('type')}".strip() for w in value) or "none named"
    return str(value)


def render_event(found: dict[str, Any], console: Console) -> None:
    doc = event_document(found)
    v = doc["values"]
    status = "" if doc["status"] == "active" else f"  [red]{doc['status']}[/red]"
    party = "  [yellow](a party to the conflict is among the sources)[/yellow]" if doc["party_source"] else ""
    console.print(f"[bold]{doc['event_id']}[/bold]{status}  {doc['mention_count']} mentions in "
                  f"{doc['source_count']} articles, {doc['independent_sources']} independent sources{party}")

    values = Table(title="values", show_lines=False)
    for col in ("field", "value", "how chosen", "sources say"):
        values.add_column(col, overflow="fold")
    for name in ("event_date", "time_of_day", "location", "event_type", "sub_event_type", "actor1", "actor1_status",
                 "actor2", "target", "claimed_by", "fatalities", "injuries", "weapons"):
        value = v.get(name)
        if name == "event_date" and value and v.get("date_precision") not in (None, "day"):
            value = f"{value} (~{v['date_precision']})"
        differ = doc["disagreements"].get(name, [])
        if name == "weapons":
            differ = [dict(r, value=f"{r['value']} {k.split('.', 1)[1]}")
                      for k, rows in doc["disagreements"].items() if k.startswith("weapons.") for r in rows]
        says = "; ".join(f"{_fmt(r['value'])} ({', '.join(r['articles'])})" for r in differ)
        values.add_row(name, escape(_fmt(value)), escape(doc["chosen"].get(name, "")), escape(says))
    console.print(values)

    sources = Table(title="sources")
    for col in ("article", "outlet", "lang", "published", "citation chain", "relies on", "party"):
        sources.add_column(col, overflow="fold")
    for s in doc["sources"]:
        chain = " → ".join([s["outlet"] or s["article"], *s["reported_via"]])
        origin = s["origin"] + (f" (copy of {s['duplicate_of']})" if s.get("duplicate_of") else "")
        sources.add_row(s["article"], s["outlet"] or "", s["language"] or "", s["published"] or "",
                        escape(chain), escape(origin), s["party"] or "")
    console.print(sources)

    console.print("[bold]evidence[/bold]")
    for m in doc["mentions"]:
        console.print(f"  [cyan]{escape(m['article'])}[/cyan] {escape(m['sentence'] or '')}", highlight=False)
        for name, ev in m["evidence"].items():
            note = f"  [dim]({escape(ev['note'])})[/dim]" if ev.get("note") else ""
            console.print(f"    {name}: “{escape(ev['text'])}”{note}", highlight=False)

    console.print("[bold]history[/bold]")
    for entry in doc["log"]:
        what = entry["action"]
        if entry["field"]:
            what += f" {entry['field']}: {escape(_fmt(entry['old']))} → {escape(_fmt(entry['new']))}"
        elif entry["action"] == "superseded" and entry["old"]:
            old = entry["old"]
            what += f" an earlier version's report ({escape(_fmt(old.get('event_date')))}, " \
                    f"{escape(_fmt((old.get('location') or {}).get('name')))})"
        console.print(f"  {entry['at']}  {escape(entry['article_id'] or '')}  {what}", highlight=False)
