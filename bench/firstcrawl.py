"""First crawl of many new outlets at once: ``newsmon crawl`` of N outlets never crawled before.

N outlets are served by one asyncio process (``bench/_outlets.py``), each on a loopback address
of its own (127.1.x.y, so each is its own host and download slot), each with a robots.txt and an
RSS feed of 3 articles (~2 KB of text each). The config gives every outlet ``delay: 0s``; the
database is empty, so every outlet's first crawl is gathered into its first batch (see
``crawler/first_batch.py``) before its articles are stored. The real CLI runs in a child process
(``newsmon crawl --no-deliver``, extraction workers as configured: one per CPU by default).

Printed: articles stored (of 3 × N), wall time of the crawl process, time per stored article.
``--timeout`` bounds the run: past it the crawl gets SIGTERM (and SIGKILL 30 s later), and the
time it took to stop is printed. ``--sigterm-after S`` sends SIGTERM S seconds in on purpose, to
time a stop in the middle of a big first crawl. Every request goes to 127.0.0.0/8.

    python bench/firstcrawl.py --outlets 400
    python bench/firstcrawl.py --outlets 2000 --timeout 900
    python bench/firstcrawl.py --outlets 2000 --sigterm-after 20
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _outlets import PER_FEED, OutletFarm  # noqa: E402

STOP_GRACE_S = 30.0  # a crawl that has not stopped this long after SIGTERM gets SIGKILL


def write_config(tmp: Path, farm: OutletFarm) -> Path:
    sources = [
        {
            "name": f"outlet-{i:05d}",
            "url": farm.base_url(i) + "/",
            "feeds": [farm.base_url(i) + "/feed.xml"],
            "delay": "0s",
        }
        for i in range(farm.n)
    ]
    config = {
        "database": str(tmp / "first.db"),
        "sources": sources,
        "rules": [{"name": "azerbaijan", "query": "Azerbaijan*", "channel": "#caucasus"}],
    }
    path = tmp / "newsmon.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def stored(db: Path) -> tuple[int, int, Counter[str]]:
    """(articles stored, outlets with every article stored, the polls' first-batch counters)."""
    if not db.exists():
        return 0, 0, Counter()
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        rows = conn.execute("SELECT source, count(*) FROM articles GROUP BY source").fetchall()
        runs = conn.execute("SELECT stats FROM crawl_runs WHERE stats IS NOT NULL").fetchall()
    batches: Counter[str] = Counter()
    for (stats,) in runs:
        for key, value in json.loads(stats).items():
            if key.startswith("newsmon/first_batch_"):
                batches[key.removeprefix("newsmon/first_batch_")] += int(value)
    return sum(n for _s, n in rows), sum(1 for _s, n in rows if n >= PER_FEED), batches


def stop(proc: subprocess.Popen[bytes]) -> str:
    """SIGTERM, then SIGKILL if the crawl has not stopped within ``STOP_GRACE_S``."""
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(STOP_GRACE_S)
        return f"stopped {time.monotonic() - sent:.1f} s after SIGTERM (exit {proc.returncode})"
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return f"NOT stopped {STOP_GRACE_S:.0f} s after SIGTERM: killed"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--outlets", type=int, default=400)
    ap.add_argument("--timeout", type=float, default=900.0, help="SIGTERM the crawl after this")
    ap.add_argument("--sigterm-after", type=float, help="SIGTERM the crawl this many s in")
    ap.add_argument("--workers", help="NEWSMON_EXTRACT_WORKERS (default: one per CPU)")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (config, db, log)")
    args = ap.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # a connection per outlet
    farm = OutletFarm(args.outlets).start()
    tmp = Path(tempfile.mkdtemp(prefix="newsmon-firstcrawl-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    if args.workers is not None:
        env["NEWSMON_EXTRACT_WORKERS"] = args.workers
    expected = PER_FEED * args.outlets
    print(
        f"newsmon first crawl: {args.outlets} new outlets × {PER_FEED} articles on "
        f"127.1.x.y:{farm.port}, delay 0s; extraction workers "
        f"{args.workers or f'{os.cpu_count()} (one per CPU)'}; timeout {args.timeout:.0f} s; "
        f"load {os.getloadavg()[0]:.1f}; work dir {tmp}",
        flush=True,
    )
    try:
        config = write_config(tmp, farm)
        with open(tmp / "crawl.log", "wb") as log:
            started = time.monotonic()
            proc = subprocess.Popen(
                [sys.executable, "-m", "newsmon", "--config", str(config), "crawl"]
                + ["--no-deliver"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            limit = args.timeout if args.sigterm_after is None else args.sigterm_after
            outcome = ""
            try:
                proc.wait(limit)
            except subprocess.TimeoutExpired:
                outcome = stop(proc)
            wall = time.monotonic() - started
        # the largest of the crawl process and its extraction workers (all reaped by now)
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        served = farm.stats()
    finally:
        farm.stop()
    n, whole, batches = stored(tmp / "first.db")
    if not outcome:
        outcome = f"finished (exit {proc.returncode})"
    rows = [
        ("outlets", str(args.outlets)),
        ("articles stored", f"{n} of {expected} ({whole} outlets complete)"),
        ("wall", f"{wall:.1f} s"),
        ("per stored article", f"{1000 * wall / n:.1f} ms" if n else "-"),
        ("crawl", outcome),
        (
            "first batches",
            f"{batches['early']} let go early (memory bound), "
            f"{batches['left']} articles left to the next crawl",
        ),
        ("peak RSS", f"{peak_mib:.0f} MiB (the crawl process or its largest worker)"),
        (
            "requests served",
            ", ".join(f"{k} {v:.0f}" for k, v in sorted(served.items()) if k != "cpu_s"),
        ),
    ]
    width = max(len(k) for k, _ in rows)
    print("\n".join(f"{k:<{width}}  {v}" for k, v in rows))
    lines = (tmp / "crawl.log").read_text(errors="replace").splitlines()
    problems = [ln for ln in lines if "Traceback" in ln or " ERROR" in ln or "CRITICAL" in ln]
    print(f"crawl output: {len(lines)} lines, {len(problems)} errors or tracebacks")
    print("  " + "\n  ".join(ln[:200] for ln in (problems[:3] + lines[-3:])))
    if not args.keep:
        for path in sorted(tmp.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        tmp.rmdir()


if __name__ == "__main__":
    main()
