"""Shared fixtures. ``shared`` is ../shared beside the checkout: tests that need it skip with
a clear message on a user's clone, and fail under CI, where it must be present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _local_servers_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests' HTTP servers run on 127.0.0.1, which the fetcher's SSRF guard refuses by
    default: this is the allowance the suite uses (tests of the guard remove it)."""
    monkeypatch.setenv("SITREP_ALLOW_PRIVATE", "1")


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "gold" / "seeds.jsonl").exists():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED} is missing under CI: the quality gate needs ../shared beside the checkout")
        pytest.skip(f"{SHARED} not found: the referee corpus lives beside the checkout, not in it")
    return SHARED


def _pg_bin() -> Path | None:
    """Debian puts the server programs under /usr/lib/postgresql/<version>/bin, off PATH."""
    import glob
    import shutil

    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(versions[-1]).parent if versions else None


@pytest.fixture(scope="session")
def pg_url():  # -> Iterator[str]
    """A throwaway PostgreSQL server on 127.0.0.1 for the session (initdb + pg_ctl from
    Debian's postgresql package, which .ci/run installs). Skips with the reason when no server
    can be started outside CI; under CI that is a failure."""
    import socket
    import subprocess

    def unavailable(why: str) -> None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is needed under CI: {why}")
        pytest.skip(f"no PostgreSQL server for these tests: {why}")

    bin_dir = _pg_bin()
    if bin_dir is None:
        unavailable("pg_ctl not found (apt-get install postgresql)")
    assert bin_dir is not None
    import shutil
    import tempfile

    # not under pytest's tmp folders: those are private to root, and the server runs as postgres
    base = Path(tempfile.mkdtemp(prefix="sitrep-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    run_as: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root: run it as the postgres user
        run_as = ["runuser", "-u", "postgres", "--"]
        subprocess.run(["chown", "-R", "postgres", str(base)], check=True)
        base.chmod(0o755)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    init = subprocess.run([*run_as, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "sitrep",
                           "-E", "UTF8"], capture_output=True, text=True)
    if init.returncode != 0:
        unavailable(f"initdb failed: {init.stderr.strip()[-300:]}")
    opts = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off"
    start = subprocess.run([*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", opts, "-w", "-l",
                            str(base / "log"), "start"], capture_output=True, text=True)
    if start.returncode != 0:
        unavailable(f"the server did not start: {start.stderr.strip()[-300:]}")
    try:
        yield f"postgresql://sitrep@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_db(pg_url: str):  # -> Iterator[str]
    """A fresh database on the session's server."""
    import uuid

    from sqlalchemy import create_engine, text

    name = "t_" + uuid.uuid4().hex[:10]
    admin = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield pg_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture
def server():  # -> Iterator[FixtureServer]
    """The live-ingestion fixture site (feeds and pages) on a free 127.0.0.1 port."""
    from tests.fixtures.live.server import FixtureServer, serve_site

    s = FixtureServer()
    serve_site(s)
    yield s
    s.close()
