"""A throwaway PostgreSQL server for the tests: a cluster in a temporary directory, started
with the machine's own PostgreSQL binaries (``pg_config --bindir``) as the ``postgres`` system
user when the tests run as root (``initdb`` refuses root), listening on 127.0.0.1 only."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def bindir() -> Path:
    for candidate in (shutil.which("pg_config"), "/usr/bin/pg_config"):
        if candidate and Path(candidate).exists():
            out = subprocess.run([candidate, "--bindir"], capture_output=True, text=True)
            path = Path(out.stdout.strip())
            if (path / "initdb").exists():
                return path
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if versions:
        return versions[-1].parent
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found (initdb, pg_ctl): install the Debian package "
        "'postgresql' (apt-get install postgresql) — .ci/run does"
    )


def free_port() -> int:
    """A TCP port nothing listens on yet, on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    def __init__(self, durable: bool = False, options: str = "") -> None:
        self.durable = durable  # fsync and full-page writes on, as in production (benchmarks)
        self.options = options  # more server settings, e.g. "-c shared_preload_libraries=…"
        self.bin = bindir()
        self.root = Path(tempfile.mkdtemp(prefix="newsmon-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = list(args)
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)

    def start(self) -> PostgresServer:
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        done = self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "--no-sync", "-E", "UTF8", "--locale=C",
        )  # fmt: skip
        if done.returncode:
            raise PostgresUnavailable(f"initdb failed: {done.stderr.strip()[-500:]}")
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c max_connections=200 "
            f"-c unix_socket_directories={self.root}"
        )
        if not self.durable:  # a throwaway test cluster: no need to survive a power cut
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        if self.options:
            options += " " + self.options
        self._options = options
        return self.resume()

    def resume(self) -> PostgresServer:
        """Start the cluster's server (again, after :meth:`pause`), on the same port."""
        done = self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", self._options,
            "-l", str(self.root / "server.log"), "-w", "-t", "60", "start",
        )  # fmt: skip
        if done.returncode:
            log = (
                (self.root / "server.log").read_text()
                if (self.root / "server.log").exists()
                else ""
            )
            raise PostgresUnavailable(
                f"PostgreSQL did not start: {done.stderr.strip()} {log[-500:]}"
            )
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def pause(self) -> None:
        """Stop the server at once, as a crash or a restart does (the data is kept)."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        deadline = time.monotonic() + 10
        while (self.data / "postmaster.pid").exists() and time.monotonic() < deadline:
            time.sleep(0.1)

    def stop(self) -> None:
        self.pause()
        shutil.rmtree(self.root, ignore_errors=True)
