"""Capacity for Telegram channels: how many channel polls one node's crawl engine makes.

N channels (default 1,000) are served by a local preview server in a process of its own, on
one loopback host as the real preview is one host (``telegram_base_url``): each channel page
``/s/<username>`` holds 20 posts in the preview's markup (~25 KB), ``?before=`` gives an empty
page (the end of the channel's history). The config sets ``telegram_delay: 0`` (no pace), so
the engine's own cost shows; with the default 1 s pace a node makes one channel poll a second.

1. first poll of every channel at once: 20 posts stored per channel (and the walk-back request
   that finds the end of its history); wall time, polls/s, CPU per poll;
2. sustained re-polls for ``--seconds``: nothing new on any page (the case of nearly every poll);
   polls/s, engine CPU per poll (goal: ≤ 5 ms, like a feed poll), channels per node at the pace.

    python bench/capacity.py telegram [--channels 1000] [--seconds 20] [--in-flight 50]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import cProfile
import logging
import multiprocessing
import os
import pstats
import random
import sqlite3
import statistics
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import yaml
from capacity import Cpu, LogCounter, Poller, Rows, status_kb

from crawler.config import Config, load_config
from crawler.engine import CrawlEngine, PollResult
from crawler.reactor import call_in_reactor
from crawler.runner import crawl_settings

POSTS_PER_PAGE = 20
PAGE_HEAD = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} – Telegram</title></head>'
    '<body class="widget_frame_base tgme_webpreview_body"><main class="tgme_main">'
    '<div class="tgme_channel_info"><div class="tgme_channel_info_header">'
    '<div class="tgme_channel_info_header_title"><span dir="auto">{title}</span></div>'
    "</div></div>"
    '<section class="tgme_channel_history js-message_history">'
)
PAGE_TAIL = "</section></main></body></html>"
POST = (
    '<div class="tgme_widget_message_wrap js-widget_message_wrap">'
    '<div class="tgme_widget_message text_not_supported_wrap js-widget_message" '
    'data-post="{channel}/{id}"><div class="tgme_widget_message_bubble">'
    '<div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name"'
    ' href="https://t.me/{channel}"><span dir="auto">{title}</span></a></div>'
    '<div class="tgme_widget_message_text js-message_text" dir="auto">{first}<br/>'
    'Details: <a href="https://example.org/news/{id}">the statement</a>. {second}</div>'
    '<div class="tgme_widget_message_footer compact js-message_footer">'
    '<div class="tgme_widget_message_info short js-message_info">'
    '<span class="tgme_widget_message_views">{id}.2K</span>'
    '<span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" '
    'href="https://t.me/{channel}/{id}"><time datetime="2025-10-28T09:{minute:02d}:00+00:00" '
    'class="time">09:{minute:02d}</time></a></span></div></div></div></div></div>'
)


WORDS = [
    "ministry",
    "port",
    "cargo",
    "tariff",
    "railway",
    "terminal",
    "border",
    "minister",
    "summit",
    "grain",
    "oil",
    "gas",
    "pipeline",
    "ferry",
    "customs",
    "budget",
    "election",
    "parliament",
    "court",
    "bank",
    "currency",
    "inflation",
    "harvest",
    "drought",
    "flood",
    "earthquake",
    "school",
    "hospital",
    "road",
    "bridge",
    "airport",
    "flight",
    "visa",
    "trade",
    "export",
    "import",
    "agreement",
    "delegation",
    "visit",
    "talks",
    "corridor",
    "investment",
    "loan",
    "project",
    "plant",
    "factory",
    "mine",
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def username(i: int) -> str:
    return f"channel{i:05d}"


def render(i: int) -> tuple[bytes, bytes]:
    """Channel i's newest page and its (empty) page before."""
    channel, title = username(i), f"Channel {i}"
    rng = random.Random(i)
    posts = "".join(
        POST.format(
            channel=channel,
            id=n,
            title=title,
            minute=n % 60,
            first=sentence(rng, 14),
            second=sentence(rng, 30),
        )
        for n in range(100, 100 + POSTS_PER_PAGE)
    )
    head = PAGE_HEAD.format(title=title)
    return (head + posts + PAGE_TAIL).encode(), (head + PAGE_TAIL).encode()


def _serve(n: int, conn: Connection) -> None:
    pages = {f"/s/{username(i)}": render(i) for i in range(n)}
    served = Counter[str]()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body leave at once (no delayed ACK)

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            path, _, query = self.path.partition("?")
            found = pages.get(path)
            if found is None:
                body, status = b"User-agent: *\nAllow: /\n", 200
                served["robots" if path == "/robots.txt" else "other"] += 1
            else:
                body, status = found[1] if query else found[0], 200
                served["before" if query else "page"] += 1
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    conn.send(("ready", server.server_address[1]))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    while True:
        message = conn.recv()
        if message == "stats":
            cpu = os.times()
            conn.send({**served, "cpu_s": cpu.user + cpu.system})
        else:
            server.shutdown()
            return


class PreviewServer:
    def __init__(self, n: int) -> None:
        self.n = n
        self._conn, child = multiprocessing.Pipe()
        self._proc = multiprocessing.get_context("fork").Process(
            target=_serve, args=(n, child), daemon=True
        )

    def start(self) -> PreviewServer:
        self._proc.start()
        kind, port = self._conn.recv()
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    @property
    def pid(self) -> int:
        return self._proc.pid or 0

    def stats(self) -> dict[str, float]:
        self._conn.send("stats")
        return dict(self._conn.recv())

    def stop(self) -> None:
        self._conn.send("stop")
        self._proc.join(5)


def write_config(tmp: Path, server: PreviewServer) -> Config:
    config = {
        "database": "telegram-capacity.db",
        "telegram_base_url": server.base_url,
        "telegram_delay": 0,
        "sources": [
            {"name": f"tg-{i:05d}", "telegram": username(i), "interval": "15m"}
            for i in range(server.n)
        ],
        "rules": [{"name": "azerbaijan", "query": "Azerbaijan*", "channel": "#caucasus"}],
    }
    path = tmp / "newsmon.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return load_config(path)


def first_polls(engine: CrawlEngine, names: list[str], server: PreviewServer) -> Rows:
    print(f"phase 1: first poll of {len(names)} channels …", flush=True)
    cpu0, t0 = Cpu.now(server.pid), time.perf_counter()
    futures = [engine.submit(name, timeout=600) for name in names]
    done, pending = concurrent.futures.wait(futures, timeout=900)
    wall, cpu = time.perf_counter() - t0, Cpu.now(server.pid) - cpu0
    results: list[PollResult] = [f.result() for f in done]
    stored = sum(r.counts.stored for r in results)
    reasons = Counter(r.reason for r in results)
    return [
        ("1 first polls: wall", f"{wall:.1f} s"),
        ("1 polls/s", f"{len(results) / wall:.1f}"),
        ("1 posts stored", f"{stored} (of {POSTS_PER_PAGE * len(names)})"),
        ("1 poll outcomes", ", ".join(f"{k} {v}" for k, v in reasons.items()) or "none"),
        ("1 never finished", str(len(pending))),
        ("1 CPU ms/poll engine", f"{1000 * cpu.engine / max(1, len(results)):.1f}"),
    ]


def sustained(
    args: argparse.Namespace, engine: CrawlEngine, names: list[str], server: PreviewServer
) -> Rows:
    poller = Poller(engine, names, args.in_flight, 120.0).start()
    profiler = cProfile.Profile() if args.profile else None
    print(f"phase 2: re-polls, nothing new, {poller.in_flight} in flight …", flush=True)
    try:
        time.sleep(args.warmup)
        if profiler is not None:
            call_in_reactor(profiler.enable)  # the reactor thread: where the engine runs
        tally0, cpu0, served0 = poller.snapshot(), Cpu.now(server.pid), server.stats()
        t0 = time.perf_counter()
        time.sleep(args.seconds)
        tally1, cpu1, served1 = poller.snapshot(), Cpu.now(server.pid), server.stats()
        window = time.perf_counter() - t0
        if profiler is not None:
            call_in_reactor(profiler.disable)
            profiler.dump_stats(args.profile)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
    finally:
        poller.stop()
    polls = tally1.polls - tally0.polls
    rate, cpu = polls / window, cpu1 - cpu0
    per_poll = cpu.engine / max(1, polls)
    durations = sorted(tally1.seconds[len(tally0.seconds) :]) or [0.0]
    pages = served1.get("page", 0) - served0.get("page", 0)
    return [
        ("2 polls/s sustained", f"{rate:.1f} ({polls} polls in {window:.1f} s)"),
        ("2 stored / errors", f"{tally1.stored - tally0.stored} / {tally1.errors - tally0.errors}"),
        ("2 preview pages served", f"{pages:.0f}"),
        ("2 CPU ms/poll engine", f"{1000 * per_poll:.2f} (goal ≤ 5 ms)"),
        ("2 engine CPU busy", f"{100 * cpu.engine / window:.0f} % of one core"),
        ("2 preview server CPU", f"{100 * (served1['cpu_s'] - served0['cpu_s']) / window:.0f} %"),
        ("2 poll time median", f"{statistics.median(durations) * 1000:.1f} ms"),
        ("2 RSS engine", f"{status_kb('self', 'VmRSS') / 1024:.0f} MiB"),
        ("2 channels/node @ 15m, no pace", f"{rate * 900:,.0f} (polls/s × interval)"),
        ("2 channels/node @ 15m, 1 s pace", "900 (one page per second on the preview host)"),
    ]


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0], prog="capacity.py telegram")
    ap.add_argument("--channels", type=int, default=1000)
    ap.add_argument("--seconds", type=float, default=20.0, help="phase 2 measuring window")
    ap.add_argument("--warmup", type=float, default=3.0, help="phase 2 seconds not measured")
    ap.add_argument("--in-flight", type=int, default=50, help="polls outstanding in phase 2")
    ap.add_argument("--profile", help="cProfile the engine during phase 2 into this file")
    args = ap.parse_args(argv)
    os.environ.setdefault("NEWSMON_EXTRACT_WORKERS", "0")  # posts need no extraction
    os.environ.setdefault("NEWSMON_STORY_VECTORS", "0")
    server = PreviewServer(args.channels).start()
    tmp = Path(tempfile.mkdtemp(prefix="newsmon-telegram-capacity-"))
    counter = LogCounter()
    logging.basicConfig(level=logging.WARNING, filename=tmp / "engine.log")
    logging.getLogger().addHandler(counter)
    print(
        f"newsmon telegram capacity: {args.channels} channels on {server.base_url} "
        f"(telegram_delay 0), {args.in_flight} polls in flight, {args.seconds:.0f} s; "
        f"{os.cpu_count()} cores; SQLite {sqlite3.sqlite_version}; work dir {tmp}",
        flush=True,
    )
    try:
        config = write_config(tmp, server)
        names = [s.name for s in config.sources]
        engine = CrawlEngine(config, crawl_settings(config))
        engine.start()
        try:
            rows = first_polls(engine, names, server)
            rows += sustained(args, engine, names, server)
        finally:
            engine.stop()
    finally:
        server.stop()
    rows.append(
        ("log lines ≥ WARNING", ", ".join(f"{k} {v}" for k, v in counter.counts.items()) or "none")
    )
    width = max(len(k) for k, _ in rows)
    print("\n" + "\n".join(f"{k:<{width}}  {v}" for k, v in rows))
    for line in counter.first:
        print("  " + line)
    for path in sorted(tmp.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    tmp.rmdir()
