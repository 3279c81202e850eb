"""The watch list: a TOML file of feeds and, optionally, fetch settings.

    [settings]                 # all optional
    every = "10m"              # poll interval: 90, "90s", "10m", "1h"
    delay = 1.0                # seconds between two requests to one host
    per_host = 1               # requests in flight per host
    timeout = 20               # seconds per network operation
    max_bytes = 5_000_000      # larger pages are refused
    retries = 2                # on 5xx, 429 and timeouts, with exponential backoff
    max_attempts = 3           # a feed item whose page failed this often is given up
    dedup_days = 30            # syndication index window (articles ingested that recently)

    [[feed]]
    url = "https://example.org/rss.xml"
    outlet = "Example Wire"    # wins over the page's own site name
    language = "en"            # wins over the page's lang attribute
    party = "..."              # partisan label, kept with every page from this feed
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitrep.errors import SitrepError

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}
_LANG = re.compile(r"^[a-z]{2,3}$")


class ConfigError(SitrepError):
    """A feeds file that cannot be used; the message names the file and the entry."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        self.message = message
        super().__init__(f"{source}: {message}")


@dataclass(frozen=True)
class Feed:
    url: str
    outlet: str | None = None
    language: str | None = None
    party: str | None = None

    def hints(self) -> dict[str, Any]:
        return {k: v for k, v in (("outlet", self.outlet), ("language", self.language),
                                  ("party", self.party), ("feed", self.url)) if v}


@dataclass
class WatchConfig:
    feeds: list[Feed] = field(default_factory=list)
    every: float = 600.0
    delay: float = 1.0
    per_host: int = 1
    timeout: float = 20.0
    max_bytes: int = 5_000_000
    retries: int = 2
    max_attempts: int = 3
    dedup_days: float = 30.0
    allow_private: bool | None = None  # None: SITREP_ALLOW_PRIVATE decides (see read/fetch.py)
    source: str = "<config>"


def parse_duration(value: str | float | int) -> float:
    """Seconds from 90, "90s", "10m", "1h" or "1d"; raises ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        m = _DURATION.match(value)
        if not m:
            raise ValueError(f"not a duration: {value!r} (try 90s, 10m or 1h)")
        seconds = float(m.group(1)) * _UNITS[(m.group(2) or "s").lower()]
    if seconds <= 0:
        raise ValueError(f"a duration must be positive, not {value!r}")
    return seconds


_SETTINGS: dict[str, type | tuple[type, ...]] = {
    "every": (str, int, float), "delay": (int, float), "per_host": int, "timeout": (int, float),
    "max_bytes": int, "retries": int, "max_attempts": int, "dedup_days": (int, float), "allow_private": bool,
}
_FEED_KEYS = {"url", "outlet", "language", "party"}


def load_config(path: str | Path) -> WatchConfig:
    """Read and check a feeds file; every problem is a ``ConfigError`` naming the entry."""
    source = str(path)
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(source, "no such file") from exc
    except OSError as exc:
        raise ConfigError(source, f"cannot read: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(source, f"not valid TOML: {exc}") from exc
    return config_from_dict(data, source)


def config_from_dict(data: dict[str, Any], source: str = "<config>") -> WatchConfig:
    unknown = set(data) - {"settings", "feed"}
    if unknown:
        raise ConfigError(source, f"unknown section(s) {', '.join(sorted(unknown))} (expected [settings] and [[feed]])")
    cfg = WatchConfig(source=source)
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        raise ConfigError(source, "[settings] must be a table")
    for key, value in settings.items():
        if key not in _SETTINGS:
            raise ConfigError(source, f"[settings] has an unknown key {key!r} (known: {', '.join(_SETTINGS)})")
        if (isinstance(value, bool) and _SETTINGS[key] is not bool) or not isinstance(value, _SETTINGS[key]):
            raise ConfigError(source, f"[settings] {key} = {value!r} has the wrong type")
        if key == "allow_private":
            pass
        elif key == "every":
            try:
                value = parse_duration(value)
            except ValueError as exc:
                raise ConfigError(source, f"[settings] every: {exc}") from exc
        elif value < 0 or (value == 0 and key in {"per_host", "timeout", "max_bytes", "max_attempts"}):
            raise ConfigError(source, f"[settings] {key} = {value!r} is out of range")
        setattr(cfg, key, value)
    feeds = data.get("feed", [])
    if not isinstance(feeds, list) or not all(isinstance(f, dict) for f in feeds):
        raise ConfigError(source, "feeds are listed as [[feed]] tables")
    if not feeds:
        raise ConfigError(source, "no [[feed]] listed")
    seen: set[str] = set()
    for n, entry in enumerate(feeds, 1):
        where = f"feed #{n}"
        unknown = set(entry) - _FEED_KEYS
        if unknown:
            raise ConfigError(source, f"{where} has unknown key(s) {', '.join(sorted(unknown))} "
                                      f"(known: url, outlet, language, party)")
        url = entry.get("url")
        if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
            raise ConfigError(source, f"{where} needs a url starting with http:// or https://")
        if url in seen:
            raise ConfigError(source, f"{where}: {url} is listed twice")
        seen.add(url)
        for key in ("outlet", "language"):
            if key in entry and not (isinstance(entry[key], str) and entry[key].strip()):
                raise ConfigError(source, f"{where} ({url}): {key} must be a non-empty string")
        language = entry.get("language")
        if language is not None:
            language = language.strip().lower()
            if not _LANG.match(language):
                raise ConfigError(source, f"{where} ({url}): language {entry['language']!r} is not a 2- or "
                                          "3-letter code such as 'ar'")
        party = entry.get("party")
        if isinstance(party, bool):  # `party = true` flags a partisan outlet without naming the side
            party = "partisan" if party else None
        elif party is not None and not (isinstance(party, str) and party.strip()):
            raise ConfigError(source, f"{where} ({url}): party must be a string (or true/false)")
        cfg.feeds.append(Feed(url=url, outlet=(entry.get("outlet") or "").strip() or None, language=language,
                              party=party.strip() if isinstance(party, str) else None))
    return cfg
