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
SCHEMA_VERSION = 2  # 2: events and their change log

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
    Column("parts", JSON, nullable=False),
    Column("actor", String),
    Column("evidence", JSON(none_as_null=True)),  # SQL NULL, not JSON null
    Column("language", String(16)),
)

# One row per merged event: its best values for listing and filtering, the merge state that
# decides whether a new mention joins it, and the summary (values, choices, disagreements) as
# JSON; its sources are rows of event_sources. An event no source reports any more is kept, as "withdrawn".
events = Table(
    "events",
    metadata,
    Column("event_id", String, primary_key=True),
    Column("seq", Integer, nullable=False),  # creation order: the merge's tie-break
    Column("status", String(16), nullable=False, default="active"),
    Column("event_date", String(10)),
    Column("date_precision", String(16)),
    # The days the attack may have happened on (ISO), for finding merge candidates.
    Column("date_lo", String(10)),
    Column("date_hi", String(10)),
    Column("event_type", String),
    Column("sub_event_type", String),
    Column("location_name", String),
    Column("admin1", String),
    Column("country_code", String(2)),
    Column("latitude", Double),
    Column("longitude", Double),
    Column("place_id", String),
    Column("place_key", String),
    Column("actor1", String),
    Column("actor1_status", String(16)),
    Column("fatalities", Integer),
    Column("injuries", Integer),
    Column("mention_count", Integer, nullable=False),
    Column("source_count", Integer, nullable=False),
    Column("independent_sources", Integer, nullable=False),
    Column("party_source", Boolean, nullable=False, default=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("state", JSON, nullable=False),
    Column("summary", JSON, nullable=False),
    # The merge's blocks, read off ``state`` when the row is written (``merge.block_of``), so
    # the candidates of a new report are a few index ranges: "c:<cell>" for a site dated to the
    # week or closer, "w:<country>" for an event dated only to the year, else null (found by
    # country and date); the kind of place, and the province a province's report must share.
    Column("block", String),
    Column("block_kind", String(16)),
    Column("block_area", String),
)

# What changed, when, because of which article. Rows are only ever added: a correction
# supersedes a value and the old one stays here.
event_log = Table(
    "event_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String, nullable=False),
    Column("at", String(32), nullable=False),
    Column("article_id", String),
    Column("action", String(16), nullable=False),  # created, source, changed, superseded, withdrawn
    Column("field", String(32)),
    Column("old", JSON(none_as_null=True)),
    Column("new", JSON(none_as_null=True)),
)

# What an event's summary is made of (sitrep.events.aggregate), so a report joining it is
# added to the summary instead of the summary being rebuilt from every member. Derived data:
# a missing row only means the next change to the event rebuilds it from the mentions.
event_aggregates = Table(
    "event_aggregates",
    metadata,
    Column("event_id", String, primary_key=True),
    Column("data", JSON, nullable=False),
)

# One row per article reporting an event: its source entry in the event's summary (outlet,
# citation chain, origin, party...) and the values it gives of the fields sources may disagree
# on, [[field, value], ...]. Rows, not a list in the event's row, so that a report joining a
# widely reported event writes one small row instead of rewriting a list as long as the event.
event_sources = Table(
    "event_sources",
    metadata,
    Column("event_id", String, primary_key=True),
    Column("article_id", String, primary_key=True),
    Column("duplicate_of", String),
    Column("entry", JSON, nullable=False),
    Column("disputed", JSON, nullable=False),
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
Index("ix_events_block", events.c.country_code, events.c.date_lo, events.c.date_hi)
Index("ix_events_place", events.c.place_key, events.c.date_lo)  # a site's undated events: one range
Index("ix_events_date", events.c.event_date)
Index("ix_events_seq", events.c.seq)  # max(seq) for each new event: an index, not a scan
Index("ix_events_blocks", events.c.block, events.c.date_lo)
Index("ix_event_log_event", event_log.c.event_id)

# --------------------------------------------------------------------------- live ingestion
# Raw pages, HTTP validators and feed items already seen (sitrep/store/pages.py reads and
# writes them). Appended here, apart from the other tables, so concurrent edits do not meet.
from sqlalchemy import LargeBinary  # noqa: E402

pages = Table(
    "pages",
    metadata,
    # One page per article: the HTML as served (decoded, UTF-8, zlib), so a newer sitrep can
    # re-extract it; no FK, so a page outlives a failed extraction and is retried from disk.
    Column("article_id", String, primary_key=True),
    Column("url", Text, nullable=False),
    Column("fetched_at", String(32), nullable=False),
    Column("content_type", String),
    Column("size", Integer, nullable=False),  # bytes before compression
    Column("body", LargeBinary, nullable=False),
    # What the feed config and item said (outlet, language, party, title, published): the
    # re-extraction needs them to rebuild the same Article.
    Column("hints", JSON, nullable=False),
)

fetch_state = Table(
    "fetch_state",
    metadata,
    # Validators for conditional requests, per URL (feeds): a 304 costs the server nothing.
    Column("url", String, primary_key=True),
    Column("etag", Text),
    Column("last_modified", String(64)),
    Column("checked_at", String(32), nullable=False),
    Column("status", Integer),
    Column("error", Text),
)

feed_items = Table(
    "feed_items",
    metadata,
    Column("feed_url", String, primary_key=True),
    Column("item_key", String, primary_key=True),  # guid/id, else link
    Column("link", Text, nullable=False),
    Column("article_id", String),
    Column("first_seen", String(32), nullable=False),
    # stored: never fetched again; failed: retried until attempts reach the watcher's limit
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", Text),
)
