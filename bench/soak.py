"""Daemon memory over many crawl cycles: `newsmon run` against two local outlets polled every
second (adaptive polling off), with a new article (and its Slack alert) every tenth cycle, until
CYCLES crawls have finished. Reports the daemon's resident memory (VmRSS, the daemon process
itself — each crawl runs in its own child process) along the way. Goal: growth ≤ 10 % from the
first cycles to the last.

    python bench/soak.py [--cycles 200]
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsmon.demo.outlets import SITE, OutletServer  # noqa: E402
from newsmon.demo.slack_standin import SlackStandIn  # noqa: E402

TOKEN = "xoxb-bench-soak"


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def finished_runs(db: Path) -> int:
    try:
        with sqlite3.connect(db) as conn:
            return int(
                conn.execute(
                    "SELECT count(*) FROM crawl_runs WHERE status != 'running'"
                ).fetchone()[0]
            )
    except sqlite3.Error:
        return 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cycles", type=int, default=200)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="newsmon-soak-"))
    with OutletServer(SITE) as outlet, SlackStandIn(token=TOKEN) as slack:
        feed = (SITE / "feed.xml").read_text()
        sources = [
            {
                "name": name,
                "url": outlet.url(prefix + "/"),
                "feeds": [outlet.url(prefix + "/feed.xml")],
                "interval": "1s",
                "adaptive": False,
                "delay": "0s",
            }
            for name, prefix in (("steppe-herald", ""), ("caspian-wire", "/wire"))
        ]
        config = {
            "database": "soak.db",
            "slack": {"token_env": "NEWSMON_BENCH_TOKEN", "base_url": slack.base_url},
            "sources": sources,
            "rules": [{"name": "azerbaijan", "query": "Azerbaijan*", "channel": "#caucasus"}],
        }
        path = tmp / "newsmon.yaml"
        path.write_text(yaml.safe_dump(config))
        db = tmp / "soak.db"
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsmon", "--config", str(path), "run"],
            cwd=ROOT,
            env={**os.environ, "NEWSMON_BENCH_TOKEN": TOKEN},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        samples: dict[int, int] = {}
        published = 0
        started = time.monotonic()
        try:
            while (done := finished_runs(db)) < args.cycles:
                if proc.poll() is not None:
                    raise SystemExit(f"the daemon exited with {proc.returncode}")
                if done // 10 > published:
                    published += 1
                    page = f"/2026/11/27/soak-{published}/"
                    text = (
                        f"<p>Azerbaijan and Kazakhstan, soak article {published}: officials met "
                        "to discuss freight, ferries and customs across the Caspian Sea.</p>"
                        "<p>The delegations agreed on a road map for faster cargo transit "
                        "between the regions before the end of the year.</p>"
                    )
                    outlet.set(
                        page,
                        f"<html lang='en'><head><title>Soak {published}</title>"
                        "<meta property='og:type' content='article'></head><body><article>"
                        f"<h1>Soak {published}</h1>{text}</article></body></html>",
                    )
                    item = f"<item><title>Soak</title><link>{{{{BASE}}}}{page}</link></item>"
                    feed = feed.replace("<item>", item + "<item>", 1)
                    outlet.set("/feed.xml", feed, "application/rss+xml")
                for mark in (10, 50, 100, 150, args.cycles):
                    if done >= mark and mark not in samples:
                        samples[mark] = rss_kib(proc.pid)
                        print(
                            f"cycle {done:>4}: daemon RSS {samples[mark] / 1024:.1f} MiB",
                            flush=True,
                        )
                time.sleep(0.2)
            samples[args.cycles] = rss_kib(proc.pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
        elapsed = time.monotonic() - started
    first = samples[min(samples)]
    last = samples[args.cycles]
    growth = 100 * (last - first) / first
    print(
        f"{args.cycles} crawls in {elapsed:.0f} s, {len(slack.messages)} Slack messages; "
        f"daemon RSS {first / 1024:.1f} MiB at cycle {min(samples)} → {last / 1024:.1f} MiB at "
        f"cycle {args.cycles}: {growth:+.1f} % (goal ≤ +10 %: {'met' if growth <= 10 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
