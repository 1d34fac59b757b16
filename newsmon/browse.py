"""``newsmon browse``: the analyst's desk — Datasette on 127.0.0.1 over the database,
read-only, with the desk's pages (:mod:`newsmon.desk`)."""

from __future__ import annotations

import errno
import json
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from newsmon.desk import PLUGINS, TEMPLATES
from storage import BrowseTarget

HOST = "127.0.0.1"


def port_problem(port: int) -> str | None:
    """Why Datasette could not listen on 127.0.0.1:``port`` (None: it can)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # as the web server binds: a port left in TIME_WAIT by a stopped browse is free
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"port {port} on {HOST} is already in use: choose another with --port N"
            return f"cannot listen on {HOST}:{port}: {exc.strerror or exc}"
    return None


def datasette_command(target: BrowseTarget, port: int, metadata: Path) -> list[str]:
    cmd = [sys.executable, "-m", "datasette", "serve", target.path]
    cmd += ["--host", HOST, "--port", str(port), "--metadata", str(metadata)]
    cmd += ["--template-dir", str(TEMPLATES), "--plugins-dir", str(PLUGINS)]
    # a large archive's pages (stories of a week, facets of a broad search) take their time
    cmd += ["--setting", "sql_time_limit_ms", "5000", "--setting", "suggest_facets", "off"]
    return cmd


def serve(target: BrowseTarget, port: int) -> int:
    """Run Datasette until it stops (Ctrl-C or SIGTERM); returns the exit code to use."""
    with tempfile.TemporaryDirectory() as tmp:
        meta = Path(tmp) / "metadata.json"
        meta.write_text(json.dumps(target.metadata))
        proc = subprocess.Popen(datasette_command(target, port, meta))
        signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
        try:
            code = proc.wait()
        except KeyboardInterrupt:
            proc.terminate()
            code = proc.wait()
    return 0 if code in (0, -signal.SIGTERM, -signal.SIGINT) else code


def browse_postgres(url: str, port: int, keep: Path | None) -> int:
    """The desk over PostgreSQL: its tables copied into a SQLite snapshot, then served."""
    import click

    from storage.errors import redact
    from storage.snapshot import snapshot_postgres
    from storage.sqlite import SQLiteStore

    with tempfile.TemporaryDirectory() as tmp:
        path = keep or Path(tmp) / "newsmon-snapshot.db"
        click.echo(
            f"PostgreSQL ({redact(url)}): Datasette reads SQLite, so the desk shows a snapshot; "
            f"copying it into {path} …",
            err=True,
        )
        copied = snapshot_postgres(url, path)
        store = SQLiteStore.open(path, migrate=False)  # made by the snapshot, migrated
        try:
            target = store.browse_target()
        finally:
            store.close()
        click.echo(
            f"Copied {copied.get('articles', 0)} article(s) and {copied.get('alerts', 0)} alert(s) "
            f"as of now: run browse again to see what came later. The desk on "
            f"http://{HOST}:{port}/ — Ctrl-C to stop",
            err=True,
        )
        return serve(target, port)
