"""Table definitions (portable SQL types only: SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

# Bump when the tables change; open_store refuses a DB with a newer version.
SCHEMA_VERSION = 1

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", String, primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("url", Text),
    Column("outlet", String),
    Column("title", Text),
    Column("published", String(32)),
    Column("published_precision", String(16)),
    Column("language", String(16)),
    Column("text", Text),  # the cleaned text: mention/evidence offsets index it
    Column("source_path", Text),
    # ISO UTC; a string so rows stay JSON-ready.
    Column("ingested_at", String(32), nullable=False),
    Column("status", String(32), nullable=False, default="ok"),
    # A syndicated or near-duplicate copy names the article it copies: one source, not two.
    Column("duplicate_of", String),
)

mentions = Table(
    "mentions",
    metadata,
    Column("mention_id", String, primary_key=True),
    Column(
        "article_id",
        String,
        ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
    ),
    # Order within the article: a stable tie-break for mentions of one sentence.
    Column("position", Integer, nullable=False),
    Column("event_id", String),
    Column("event_date", String(10)),
    Column("date_precision", String(16)),
    Column("time_of_day", String(16)),
    Column("event_type", String),
    Column("sub_event_type", String),
    Column("location_name", String),
    Column("admin1", String),
    Column("country_code", String(2)),
    Column("latitude", Double),
    Column("longitude", Double),
    Column("geo_precision", Integer),
    Column("place_id", String),
    # Location.kind: kept so loads round-trip exactly.
    Column("location_kind", String(16)),
    Column("actor1", String),
    Column("actor1_status", String(16)),
    Column("actor2", String),
    Column("target", String),
    Column("fatalities", Integer),
    Column("injuries", Integer),
    Column("claimed_by", String),
    Column("hedged", Boolean, nullable=False, default=False),
    Column("language", String(16)),
    Column("published", String(32)),
    Column("outlet", String),
    Column("sentence_start", Integer),
    Column("sentence_end", Integer),
    Column("weapons", JSON, nullable=False),
    Column("reported_via", JSON, nullable=False),
    Column("evidence", JSON, nullable=False),
)

tallies = Table(
    "tallies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "article_id",
        String,
        ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("position", Integer, nullable=False),
    Column("count", Integer, nullable=False),
    Column("what", String, nullable=False),
    Column("since", String(32)),
    Column("until", String(32)),
    Column("scope", JSON, nullable=False),
    Column("evidence", JSON(none_as_null=True)),  # SQL NULL, not JSON null
    Column("language", String(16)),
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

Index("ix_mentions_event_date", mentions.c.event_date)
Index("ix_mentions_country_code", mentions.c.country_code)
Index("ix_mentions_event_id", mentions.c.event_id)
Index("ix_mentions_article_id", mentions.c.article_id)
Index("ix_tallies_article_id", tallies.c.article_id)
