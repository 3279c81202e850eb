"""Live ingestion: feeds watched over HTTP, syndicated copies recognised, stored pages
re-processed. Kept light: the CLI imports ``sitrep.live.commands`` at start-up, and the heavy
modules (httpx, feedparser, datasketch) load only when a command runs."""
