"""event_sources: an event's sources as rows, out of its summary; aggregates and merge states
in the order-free form

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 19:30:00.000000
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


# The summary's two forms are written out here (``aggregate.stored_summary`` and
# ``with_sources`` in this revision's code), not imported: a migration must keep doing what it
# did when the code it came with changes.


def _tables() -> tuple[sa.TableClause, sa.TableClause]:
    events = sa.table('events', sa.column('event_id', sa.String), sa.column('summary', sa.JSON))
    sources = sa.table('event_sources', sa.column('event_id', sa.String), sa.column('article_id', sa.String),
                       sa.column('duplicate_of', sa.String), sa.column('entry', sa.JSON),
                       sa.column('disputed', sa.JSON))
    return events, sources


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def upgrade() -> None:
    op.create_table('event_sources',
    sa.Column('event_id', sa.String(), nullable=False),
    sa.Column('article_id', sa.String(), nullable=False),
    sa.Column('duplicate_of', sa.String(), nullable=True),
    sa.Column('entry', sa.JSON(), nullable=False),
    sa.Column('disputed', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('event_id', 'article_id')
    )
    from sitrep.events.aggregate import disputed_values
    from sitrep.store.db import row_to_mention
    from sitrep.store.schema import mentions

    conn = op.get_bind()
    events, sources = _tables()
    # what each article gives of the fields sources may disagree on, from its mentions
    disputed: dict[tuple[str, str], list[list[Any]]] = {}
    for r in conn.execute(sa.select(mentions).where(mentions.c.event_id.is_not(None))
                          .order_by(mentions.c.article_id, mentions.c.position)):
        given = disputed.setdefault((r.event_id, r.article_id), [])
        given += [d for d in disputed_values(row_to_mention(r)) if d not in given]
    for event_id, summary in conn.execute(sa.select(events.c.event_id, events.c.summary)).fetchall():
        doc: dict[str, Any] = _json(summary)
        for s in doc.get("sources", []):
            conn.execute(sa.insert(sources).values(event_id=event_id, article_id=s["article"],
                                                   duplicate_of=s.get("duplicate_of"), entry=s,
                                                   disputed=disputed.get((event_id, s["article"]), [])))
        kept = {"values": doc.get("values", {}), "chosen": doc.get("chosen", {}),
                "disagreements": {name: [{"value": r["value"], "evidence": r.get("evidence", [])} for r in rows]
                                  for name, rows in doc.get("disagreements", {}).items()}}
        conn.execute(sa.update(events).where(events.c.event_id == event_id).values(summary=kept))
    # Aggregates kept sources and members in the old form: each event's next change rebuilds
    # it from its mentions (and its merge state with it).
    conn.execute(sa.text("DELETE FROM event_aggregates"))


def downgrade() -> None:
    # the sources back into the summaries, and the articles behind each disputed value
    conn = op.get_bind()
    events, sources = _tables()
    rows: dict[str, list[tuple[dict[str, Any], list[list[Any]]]]] = {}
    for event_id, entry, disputed in conn.execute(sa.select(sources.c.event_id, sources.c.entry, sources.c.disputed)):
        rows.setdefault(event_id, []).append((_json(entry), _json(disputed)))
    for event_id, summary in conn.execute(sa.select(events.c.event_id, events.c.summary)).fetchall():
        doc, mine = _json(summary), sorted(rows.get(event_id, []), key=lambda r: r[0]["article"])
        doc["disagreements"] = {
            name: [{"value": r["value"], "articles": [e["article"] for e, d in mine if [name, r["value"]] in d],
                    "evidence": r["evidence"]} for r in values]
            for name, values in doc.get("disagreements", {}).items()}
        doc["sources"] = [e for e, _ in mine]
        conn.execute(sa.update(events).where(events.c.event_id == event_id).values(summary=doc))
    conn.execute(sa.text("DELETE FROM event_aggregates"))  # in this form: rebuilt by the next change
    op.drop_table('event_sources')
