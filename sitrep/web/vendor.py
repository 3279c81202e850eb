"""The map's third-party files: Leaflet, leaflet.markercluster, topojson-client and the Natural
Earth outlines of world-atlas, installed from npm by ``web/package-lock.json`` and copied into
``sitrep/web/static/vendor/`` so the page loads nothing from the network.

They are built, not committed: ``make web`` (``python -m sitrep.web.vendor``) runs ``npm ci`` in
``web/`` and copies the files below. ``sitrep serve`` refuses to start without them and says so.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from sitrep.errors import SitrepError

VENDOR = Path(__file__).parent / "static" / "vendor"
# web/ holds package.json and package-lock.json; it exists only in a checkout, not in a wheel
WEB_SRC = Path(__file__).resolve().parents[2] / "web"

# vendor file -> its path under node_modules (the dist builds, licences kept beside them)
FILES: dict[str, str] = {
    "leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet.css": "leaflet/dist/leaflet.css",
    "images/layers.png": "leaflet/dist/images/layers.png",
    "images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
    "images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
    "images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
    "images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
    "LICENSE.leaflet.txt": "leaflet/LICENSE",
    "leaflet.markercluster.js": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "MarkerCluster.css": "leaflet.markercluster/dist/MarkerCluster.css",
    "MarkerCluster.Default.css": "leaflet.markercluster/dist/MarkerCluster.Default.css",
    "LICENSE.markercluster.txt": "leaflet.markercluster/MIT-LICENCE.txt",
    "topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
    "LICENSE.topojson-client.txt": "topojson-client/LICENSE",
    # Natural Earth 1:50m for the first view, 1:10m fetched once the user zooms in
    "countries-50m.json": "world-atlas/countries-50m.json",
    "countries-10m.json": "world-atlas/countries-10m.json",
    "LICENSE.world-atlas.txt": "world-atlas/LICENSE",
}
PACKAGES = ("leaflet", "leaflet.markercluster", "topojson-client", "world-atlas")
STAMP = VENDOR / "versions.json"


def missing() -> list[str]:
    """Vendor files that are not there (empty when the page can be served)."""
    return [name for name in FILES if not (VENDOR / name).is_file()]


def missing_message() -> str:
    return (f"the map's JavaScript libraries are not built ({VENDOR / missing()[0]} is missing): "
            "run `make web` in the sitrep checkout (npm ci in web/, then a copy into "
            "sitrep/web/static/vendor/; needs the npm registry once)")


def build(src: Path = WEB_SRC, npm: str = "npm") -> dict[str, str]:
    """``npm ci`` in ``src`` and copy the files into the package; returns package versions."""
    if not (src / "package-lock.json").is_file():
        raise SitrepError(f"{src}/package-lock.json not found: building the web assets needs a sitrep checkout")
    if shutil.which(npm) is None:
        raise SitrepError(f"{npm} not found: install Node.js and npm to build the web assets")
    # ci, not install: exactly the locked versions, and a clean node_modules
    done = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=src)
    if done.returncode != 0:
        raise SitrepError(f"npm ci failed in {src} (exit {done.returncode})")
    modules = src / "node_modules"
    for name, rel in FILES.items():
        dest = VENDOR / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(modules / rel, dest)
    versions = {p: json.loads((modules / p / "package.json").read_text(encoding="utf-8"))["version"]
                for p in PACKAGES}
    STAMP.write_text(json.dumps(versions, indent=1) + "\n", encoding="utf-8")
    return versions


def main() -> int:
    try:
        versions = build()
    except SitrepError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"web assets in {VENDOR}: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
