"""Scale-out: throughput of 1, 2 and 3 ``newsmon run`` nodes sharing one PostgreSQL, on
politeness-bound outlets, and what the database costs per poll and per stored article.

N outlets (default 120) are served by one asyncio process (``bench/_outlets.py``), each on a
loopback address of its own (127.1.x.y): its own host and download slot. Each source is polled
politely — ``delay: 2s`` between requests to its site, one request at a time — so a first poll
(robots.txt, the feed, 3 articles) takes a few seconds of waiting and almost no CPU. Each node
polls at most ``--max-parallel`` sources at once (its crawl slots); the due sources are shared
through the database (``claim_due``: ``FOR UPDATE SKIP LOCKED``), so a second node brings its
own slots.

For each fleet size, a fresh database on one PostgreSQL server (durable settings: fsync on),
the nodes started as real processes (``python -m newsmon run``, ``NEWSMON_NODE=node-i``), and
every source's first poll timed from the first poll's start to the last poll's end. Reported:
polls/s and articles/s, the speed-up over one node, the database server's CPU time (postmaster
and every backend, from /proc) per poll and per stored article, and its commits and rows
written per stored article (``pg_stat_database``).

Every request goes to 127.0.0.0/8. Run it on an otherwise idle machine.

    python bench/scaleout.py [--outlets 120] [--max-parallel 8] [--delay 2] [--nodes 1 2 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _outlets import PER_FEED, OutletFarm  # noqa: E402

from tests.pgserver import PostgresServer  # noqa: E402


def cpu_seconds(pid: int, children: bool = False) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    if children:  # exited backends are accounted to the postmaster that waited for them
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def server_cpu(server: PostgresServer) -> float:
    """CPU seconds of the PostgreSQL server: the postmaster, its live and its exited children."""
    master = int((server.data / "postmaster.pid").read_text().split()[0])
    total = cpu_seconds(master, children=True)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat[1]) == master:
            total += (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
    return total


def db_counters(url: str) -> dict[str, int]:
    """Commits and rows written so far, per table (a backend reports within a second)."""
    with psycopg.connect(url) as conn:
        commits = conn.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
        tables = conn.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables"
        ).fetchall()
    assert commits is not None
    return {"commits": int(commits[0]), **{str(name): int(n) for name, n in tables}}


def minus(a: dict[str, int], b: dict[str, int], idle: dict[str, float], seconds: float) -> dict:
    """Counts of the crawl alone: a − b less what the idle nodes would have done meanwhile."""
    return {k: a[k] - b.get(k, 0) - idle.get(k, 0.0) * seconds for k in a}


def write_config(home: Path, farm: OutletFarm, url: str, delay: float) -> Path:
    sources = [
        {
            "name": f"outlet-{i:04d}",
            "url": farm.base_url(i) + "/",
            "feeds": [farm.base_url(i) + "/feed.xml"],
            "interval": "24h",  # one poll each in the measured window
            "delay": f"{delay}s",
            "concurrency": 1,
        }
        for i in range(farm.n)
    ]
    config = {
        "database": url,
        "sources": sources,
        # a rule matching a few per cent of the articles, as watched topics do: the alert queue
        # drains during the crawl and leaves the idle measurement alone
        "rules": [
            {"name": "ferries", "query": '"ferry crossings" NEAR/8 Baku', "channel": "#caucasus"}
        ],
    }
    path = home / "newsmon.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


@dataclass
class Result:
    nodes: int
    polls: int
    articles: int
    wall: float
    db_cpu: float  # the crawl's, idle cost taken out
    idle_cpu: float  # per node and second, nothing due
    counts: dict[str, float]  # the crawl's commits and rows written per table
    idle_commits: float  # per node and second

    @property
    def polls_per_s(self) -> float:
        return self.polls / self.wall

    @property
    def rows(self) -> float:
        return sum(v for k, v in self.counts.items() if k != "commits")


def scalar(url: str, sql: str) -> float:
    with psycopg.connect(url) as conn:
        row = conn.execute(sql).fetchone()
    return float(row[0]) if row and row[0] is not None else 0.0


def run_fleet(
    server: PostgresServer,
    farm: OutletFarm,
    nodes: int,
    max_parallel: int,
    home: Path,
    delay: float,
) -> Result:
    url = server.create_database(f"scaleout_{nodes}")
    config = write_config(home, farm, url, delay)
    # the schema first, so that migrations are not part of the measured cost
    subprocess.run(
        [sys.executable, "-m", "newsmon", "--config", str(config), "status"],
        check=True,
        capture_output=True,
    )
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        conn.execute("SELECT pg_stat_statements_reset()")
    cpu0, counters0, t0 = server_cpu(server), db_counters(url), time.monotonic()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "newsmon", "--config", str(config), "run"]
            + ["--max-parallel", str(max_parallel)],
            env={**env, "NEWSMON_NODE": f"node-{n}"},
            stdout=subprocess.DEVNULL,
            stderr=(home / f"node-{n}.log").open("w"),
        )
        for n in range(1, nodes + 1)
    ]
    try:
        deadline = time.monotonic() + 1800
        done = 0.0
        while time.monotonic() < deadline:
            time.sleep(0.5)
            done = scalar(url, "SELECT count(*) FROM crawl_runs WHERE finished_at IS NOT NULL")
            print(f"\r  {nodes} node(s): {done:.0f}/{farm.n} polls done", end="", flush=True)
            if done >= farm.n:
                break
        print()
        if done < farm.n:
            raise RuntimeError(f"only {done:.0f} of {farm.n} polls finished; see {home}")
        # then the nodes idle (nothing due for a day): what that costs per node and second
        cpu1, t1 = server_cpu(server), time.monotonic()
        time.sleep(2)
        counters1, t1c = db_counters(url), time.monotonic()
        time.sleep(10)
        cpu2, counters2, t2 = server_cpu(server), db_counters(url), time.monotonic()
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(60)
    with psycopg.connect(url) as conn:
        top = conn.execute(
            "SELECT total_exec_time, calls, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) "
            "FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database "
            "WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 6"
        ).fetchall()
    print(f"  statements by time ({nodes} node(s)):")
    for total, calls, query in top:
        print(f"    {total / 1000:7.2f} s {calls:>7} calls  {query}")
    idle_cpu = (cpu2 - cpu1) / (t2 - t1)
    idle_counts = {k: (counters2[k] - counters1.get(k, 0)) / (t2 - t1c) for k in counters2}
    wall = scalar(
        url,
        "SELECT extract(epoch FROM max(finished_at::timestamptz) - min(started_at::timestamptz)) "
        "FROM crawl_runs",
    )
    return Result(
        nodes=nodes,
        polls=int(scalar(url, "SELECT count(*) FROM crawl_runs")),
        articles=int(scalar(url, "SELECT count(*) FROM articles")),
        wall=wall,
        db_cpu=(cpu1 - cpu0) - idle_cpu * (t1 - t0),
        idle_cpu=idle_cpu / nodes,
        counts=minus(counters1, counters0, idle_counts, t1c - t0),
        idle_commits=idle_counts["commits"] / nodes,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outlets", type=int, default=120)
    parser.add_argument("--max-parallel", type=int, default=8, help="crawl slots per node")
    parser.add_argument(
        "--delay", type=float, default=2.0, help="seconds between requests to one outlet"
    )
    parser.add_argument("--nodes", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args()
    print(
        f"scale-out: {args.outlets} outlets (delay {args.delay:g} s, {PER_FEED} articles each), "
        f"{args.max_parallel} crawl slots per node; {platform.python_version()}, "
        f"{os.cpu_count()} CPU(s)"
    )
    farm = OutletFarm(args.outlets).start()
    server = PostgresServer(
        durable=True, options="-c shared_preload_libraries=pg_stat_statements"
    ).start()
    results: list[Result] = []
    try:
        with tempfile.TemporaryDirectory(prefix="newsmon-scaleout-") as tmp:
            for nodes in args.nodes:
                home = Path(tmp) / f"fleet-{nodes}"
                home.mkdir()
                results.append(run_fleet(server, farm, nodes, args.max_parallel, home, args.delay))
    finally:
        server.stop()
        farm.stop()
    base = results[0].polls_per_s if results else 1.0
    print(
        f"\n{'nodes':>5} {'wall s':>7} {'polls/s':>8} {'articles/s':>10} {'speed-up':>8} "
        f"{'DB CPU ms/poll':>14} {'ms/article':>10} {'commits/article':>15} "
        f"{'rows/article':>12} {'idle DB CPU/node':>16} {'idle commits/node/s':>19}"
    )
    for r in results:
        per = max(1, r.articles)
        print(
            f"{r.nodes:>5} {r.wall:>7.1f} {r.polls_per_s:>8.2f} {r.articles / r.wall:>10.2f} "
            f"{r.polls_per_s / base:>7.2f}× {1000 * r.db_cpu / r.polls:>14.2f} "
            f"{1000 * r.db_cpu / per:>10.2f} {r.counts['commits'] / per:>15.1f} "
            f"{r.rows / per:>12.1f} {100 * r.idle_cpu:>15.2f}% {r.idle_commits:>19.1f}"
        )
    if results:
        last = results[-1]
        top = sorted(
            ((v / max(1, last.articles), k) for k, v in last.counts.items() if k != "commits"),
            reverse=True,
        )
        print("rows written per stored article, by table:", end=" ")
        print(", ".join(f"{k} {v:.1f}" for v, k in top if v >= 0.05))


if __name__ == "__main__":
    main()
