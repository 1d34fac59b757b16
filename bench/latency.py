"""Alert latency: an article appears on a (local) outlet → its Slack message arrives.

Runs the real daemon (`newsmon run`) on a fixture outlet polled every INTERVAL seconds (fixed:
adaptive polling off) with delivery to the local Slack stand-in. After the first crawl, it
publishes ROUNDS new articles at random moments and measures, for each, the time from
publication to the message reaching the stand-in. Goal: at most the poll interval + 5 s.

    python bench/latency.py [--interval 10] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
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

TOKEN = "xoxb-bench-latency"
BODY = (
    "<p>Officials of Azerbaijan and Kazakhstan met in Aktau (meeting {n}) to discuss the ferry "
    "schedule, the freight corridor across the Caspian Sea and customs procedures at both ports.</p>"
    "<p>The delegations agreed to publish a joint road map before the end of the year, and "
    "experts said the talks marked a step towards faster cargo transit between the regions.</p>"
)


def publish(outlet: OutletServer, n: int, feed: str) -> tuple[str, str]:
    """Put article n on the outlet and at the top of its feed; returns its path and the feed."""
    path = f"/2026/11/27/latency-story-{n}/"
    outlet.set(
        path,
        f"<html lang='en'><head><title>Latency story {n}</title>"
        "<meta property='og:type' content='article'></head><body><article>"
        f"<h1>Latency story {n}</h1>{BODY.format(n=n)}</article></body></html>",
    )
    item = f"<item><title>Latency story {n}</title><link>{{{{BASE}}}}{path}</link></item>"
    feed = feed.replace("<item>", item + "<item>", 1)
    outlet.set("/feed.xml", feed, "application/rss+xml")
    return path, feed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--interval", type=float, default=10.0)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="newsmon-latency-"))
    with OutletServer(SITE) as outlet, SlackStandIn(token=TOKEN) as slack:
        feed = (SITE / "feed.xml").read_text()
        config = {
            "database": "bench.db",
            "slack": {"token_env": "NEWSMON_BENCH_TOKEN", "base_url": slack.base_url},
            "sources": [
                {
                    "name": "steppe-herald",
                    "url": outlet.url("/"),
                    "feeds": [outlet.url("/feed.xml")],
                    "interval": f"{args.interval}s",
                    "adaptive": False,
                    "delay": "0s",
                }
            ],
            "rules": [{"name": "azerbaijan", "query": "Azerbaijan*", "channel": "#caucasus"}],
        }
        path = tmp / "newsmon.yaml"
        path.write_text(yaml.safe_dump(config))
        env = {**os.environ, "NEWSMON_BENCH_TOKEN": TOKEN}
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsmon", "--config", str(path), "run"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(tmp / "daemon.log", "w"),  # noqa: SIM115
        )
        try:
            deadline = time.monotonic() + 120
            while not slack.messages and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(2)
            latencies = []
            for n in range(args.rounds):
                time.sleep(random.uniform(0, args.interval))
                url_path, feed = publish(outlet, n, feed)
                t0 = time.monotonic()
                while time.monotonic() - t0 < 4 * args.interval + 60:
                    hit = [m for m in slack.messages if url_path in m.text]
                    if hit:
                        latencies.append(hit[0].at - t0)
                        break
                    time.sleep(0.05)
                else:
                    latencies.append(float("inf"))
                print(f"round {n + 1}: {latencies[-1]:.2f} s", flush=True)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
    goal = args.interval + 5
    print(
        f"poll interval {args.interval:.0f} s: latency min {min(latencies):.2f} s, "
        f"median {statistics.median(latencies):.2f} s, max {max(latencies):.2f} s "
        f"(goal ≤ {goal:.0f} s: {'met' if max(latencies) <= goal else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
