"""On-demand jobs: the project deployed to a real Scrapyd on 127.0.0.1 (the egg that
scrapyd-deploy builds), and a `scrapy crawl <source>` job scheduled there writing into the
shared PostgreSQL database like any other crawl."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import requests

from newsmon.demo.outlets import OutletServer
from tests.conftest import ROOT, cli_env, write_config
from tests.pgserver import free_port


@contextlib.contextmanager
def scrapyd(tmp_path: Path, config: Path) -> Iterator[str]:
    """A Scrapyd node whose environment points at the shared config (as an operator sets it)."""
    port = free_port()
    home = tmp_path / "scrapyd"
    home.mkdir()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\ndbs_dir = {home / 'dbs'}\n"
        "items_dir =\nmax_proc = 2\npoll_interval = 0.5\n"
    )
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "scrapyd")],
        cwd=home,
        env=cli_env(NEWSMON_CONFIG=str(config)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "daemonstatus.json", timeout=2).ok:
                break
        except requests.ConnectionError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail(f"scrapyd did not start: {proc.communicate()[1][-2000:]}")
    yield url
    proc.terminate()
    proc.communicate(timeout=20)


def test_a_deployed_crawl_job_writes_into_postgresql(
    tmp_path: Path, outlet: OutletServer, pg_url: str
) -> None:
    config = write_config(tmp_path, outlet, None, database=pg_url)
    with scrapyd(tmp_path, config) as url:
        deploy_and_crawl(tmp_path, url, config)
    with psycopg.connect(pg_url) as conn:
        stored = conn.execute("SELECT count(*) FROM articles WHERE source = 'steppe-herald'")
        assert stored.fetchone() == (5,)
        runs = conn.execute("SELECT status FROM crawl_runs WHERE source = 'steppe-herald'")
        assert runs.fetchall() == [("finished",)]


def deploy_and_crawl(tmp_path: Path, scrapyd: str, config: Path) -> None:
    egg = tmp_path / "newsmon.egg"
    built = subprocess.run(
        [str(Path(sys.executable).parent / "scrapyd-deploy"), "--build-egg", str(egg)],
        cwd=ROOT,
        env=cli_env(PYTHONWARNINGS="ignore"),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert built.returncode == 0 and egg.exists(), built.stderr[-2000:]
    added = requests.post(
        scrapyd + "addversion.json",
        data={"project": "newsmon", "version": "1"},
        files={"egg": egg.read_bytes()},
        timeout=60,
    ).json()
    assert added["status"] == "ok" and added["spiders"] == 2, added  # the configured sources
    job = requests.post(
        scrapyd + "schedule.json",
        data={
            "project": "newsmon",
            "spider": "steppe-herald",
            "setting": [f"NEWSMON_CONFIG={config}", "NEWSMON_EXTRACT_WORKERS=0"],
        },
        timeout=30,
    ).json()
    assert job["status"] == "ok", job
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        jobs = requests.get(scrapyd + "listjobs.json?project=newsmon", timeout=10).json()
        if any(j["id"] == job["jobid"] for j in jobs.get("finished", [])):
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"the job did not finish: {jobs}")
