"""Capacity of one node's crawl engine: how many outlets one process polls.

N outlets (default 2000) are served by one asyncio process (``bench/_outlets.py``), each on a
loopback address of its own (127.1.x.y), so each is its own host and download slot; each has a
robots.txt, an RSS feed of 3 articles (ETag, Last-Modified, 304) and ~2 KB article pages. The
config polls them with the default politeness (1 s delay with AutoThrottle, robots.txt) and
``concurrency: 2``, one rule, no Slack (alerts stay queued). One ``CrawlEngine`` runs in this
process, extraction workers beside it (``NEWSMON_EXTRACT_WORKERS``, default one per CPU).

1. first crawl: every outlet submitted at once; wall time, polls/s, articles stored;
2. sustained re-polls of the unchanged feeds for ``--seconds``: at most ``--in-flight`` polls
   outstanding, round-robin; polls/s, CPU per poll (this process and its extraction workers),
   peak RSS, and outlets per node at ``--interval`` (= polls/s × interval);
3. latency: polling goes on while ``--publish`` new articles appear on random outlets at random
   moments; publication → article stored in the database.

``--crawl-only`` times ``crawler.runner.run_crawls`` over all outlets end to end (a first
crawl, then a re-crawl) — ``newsmon crawl`` of 100 small outlets: ``--crawl-only --outlets 100``.
Every request goes to 127.0.0.0/8. Run it on an otherwise idle machine.

    python bench/capacity.py [--outlets 2000] [--seconds 60] [--in-flight 200] [--interval 15m]
    python bench/capacity.py --crawl-only --outlets 100
    python bench/capacity.py telegram [--channels 1000]   (Telegram channels: telegram_capacity.py)
"""

from __future__ import annotations

import argparse
import concurrent.futures
import cProfile
import gc
import logging
import os
import platform
import pstats
import queue
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import scrapy  # noqa: E402
import twisted  # noqa: E402
from _outlets import OutletFarm  # noqa: E402

from crawler.config import Config, load_config  # noqa: E402
from crawler.config_types import parse_duration  # noqa: E402
from crawler.engine import CrawlEngine, PollResult  # noqa: E402
from crawler.reactor import call_in_reactor  # noqa: E402
from crawler.runner import crawl_settings, run_crawls  # noqa: E402

# --- measuring this process and its children --------------------------------------------------


def _proc_stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of a process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(exclude: int) -> list[int]:
    """This process's descendants (extraction workers, their forkserver), less ``exclude``."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _proc_stat(int(entry.name))) is not None:
            parents[int(entry.name)] = stat[0]
    found, frontier = [], [os.getpid()]
    while frontier:
        parent = frontier.pop()
        kids = [p for p, pp in parents.items() if pp == parent and p != exclude]
        found += kids
        frontier += kids
    return found


def status_kb(pid: int | str, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass(frozen=True)
class Cpu:
    engine: float  # this process (reactor thread, the benchmark's own threads)
    workers: float  # its descendants but the outlet process (extraction workers)

    @classmethod
    def now(cls, exclude: int) -> Cpu:
        kids = sum((s[1] for p in descendants(exclude) if (s := _proc_stat(p))), 0.0)
        return cls(time.process_time(), kids)

    def __sub__(self, other: Cpu) -> Cpu:
        return Cpu(self.engine - other.engine, self.workers - other.workers)


class GcClock:
    """Time spent in the cyclic garbage collector (any thread of this process)."""

    def __init__(self) -> None:
        self.seconds, self.full, self._t0 = 0.0, 0, 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._t0 = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._t0
            self.full += info["generation"] == 2


# --- the polling loop ---------------------------------------------------------------------------


@dataclass
class Tally:
    polls: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    stored: int = 0
    not_modified: int = 0
    requests: int = 0
    errors: int = 0
    seconds: list[float] = field(default_factory=list)


class Poller:
    """Keeps at most ``in_flight`` polls outstanding (never two of one outlet), round-robin, in a
    thread of its own, until stopped; outstanding polls are then waited for (bounded)."""

    def __init__(self, engine: CrawlEngine, names: list[str], in_flight: int, timeout: float):
        self.engine, self.timeout = engine, timeout
        self.in_flight = max(1, min(in_flight, len(names)))
        self.idle = deque(reversed(names))  # popped from the right: round-robin order
        self.done: queue.Queue[tuple[str, concurrent.futures.Future[PollResult]]] = queue.Queue()
        self.tally = Tally()
        self.lock = threading.Lock()
        self.submitted: dict[str, float] = {}
        self.watched: dict[str, list[tuple[float, float, int]]] = {}  # submitted, done, stored
        self.unfinished = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="capacity-poller", daemon=True)

    def start(self) -> Poller:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(self.timeout + 60)

    def snapshot(self) -> Tally:
        with self.lock:
            t = self.tally
            return Tally(
                t.polls, Counter(t.reasons), t.stored, t.not_modified, t.requests, t.errors,
                list(t.seconds),
            )  # fmt: skip

    def watch(self, name: str) -> None:
        with self.lock:
            self.watched.setdefault(name, [])

    def _run(self) -> None:
        outstanding = 0
        while not self._stop.is_set():
            while outstanding < self.in_flight and self.idle:
                name = self.idle.pop()
                self.submitted[name] = time.monotonic()
                try:
                    future = self.engine.submit(name, timeout=self.timeout)
                except Exception as exc:  # the engine is gone: nothing more to measure
                    logging.getLogger("capacity").error("cannot submit %s: %s", name, exc)
                    self._stop.set()
                    break
                future.add_done_callback(lambda f, name=name: self.done.put((name, f)))
                outstanding += 1
            try:
                name, future = self.done.get(timeout=0.5)
            except queue.Empty:
                continue
            outstanding -= 1
            self._account(name, future)
        deadline = time.monotonic() + self.timeout + 30
        while outstanding and time.monotonic() < deadline:
            try:
                name, future = self.done.get(timeout=1.0)
            except queue.Empty:
                continue
            outstanding -= 1
            self._account(name, future)
        self.unfinished = outstanding

    def _account(self, name: str, future: concurrent.futures.Future[PollResult]) -> None:
        self.idle.appendleft(name)
        try:
            result = future.result()
        except Exception as exc:  # the engine refused the poll
            result = None
            logging.getLogger("capacity").error("poll of %s failed: %s", name, exc)
        with self.lock:
            t = self.tally
            t.polls += 1
            if result is None:
                t.reasons["exception"] += 1
                return
            c = result.counts
            t.reasons[result.reason] += 1
            t.stored += c.stored
            t.not_modified += c.not_modified
            t.requests += c.requests
            t.errors += c.error_total
            t.seconds.append(c.seconds)
            if name in self.watched:
                self.watched[name].append((self.submitted[name], time.monotonic(), c.stored))


# --- set-up ---------------------------------------------------------------------------------


def write_config(tmp: Path, farm: OutletFarm, interval: str) -> Config:
    sources = [
        {
            "name": f"outlet-{i:05d}",
            "url": farm.base_url(i) + "/",
            "feeds": [farm.base_url(i) + "/feed.xml"],
            "interval": interval,
            "concurrency": 2,
        }
        for i in range(farm.n)
    ]
    config = {
        "database": "capacity.db",
        "sources": sources,
        "rules": [{"name": "azerbaijan", "query": "Azerbaijan*", "channel": "#caucasus"}],
    }
    path = tmp / "newsmon.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return load_config(path)


class LogCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts: Counter[str] = Counter()
        self.first: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[record.levelname] += 1
        if len(self.first) < 5:
            self.first.append(f"{record.levelname} {record.name}: {record.getMessage()[:200]}")


def stored_count(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def wait_stored(db: Path, url: str, bound: float) -> float | None:
    """When (``time.monotonic``) the article shows up in the database, checked every 50 ms."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
    try:
        deadline = time.monotonic() + bound
        while time.monotonic() < deadline:
            try:
                if conn.execute("SELECT 1 FROM articles WHERE url = ?", (url,)).fetchone():
                    return time.monotonic()
            except sqlite3.OperationalError:  # busy: try again
                pass
            time.sleep(0.05)
        return None
    finally:
        conn.close()


# --- the phases ---------------------------------------------------------------------------------

Rows = list[tuple[str, str]]
GC = GcClock()


def first_crawl(engine: CrawlEngine, names: list[str], timeout: float, farm: OutletFarm) -> Rows:
    print(f"phase 1: first crawl of {len(names)} outlets …", flush=True)
    cpu0, t0 = Cpu.now(farm.pid), time.perf_counter()
    futures = [engine.submit(name, timeout=timeout) for name in names]
    pending: set[concurrent.futures.Future[PollResult]] = set(futures)
    while pending and time.perf_counter() - t0 < timeout + 120:
        _done, pending = concurrent.futures.wait(pending, timeout=10)
        print(f"  {len(names) - len(pending)}/{len(names)} polls done", flush=True)
    wall, cpu = time.perf_counter() - t0, Cpu.now(farm.pid) - cpu0
    results = [f.result() for f in futures if f.done()]
    reasons = Counter(r.reason for r in results)
    reasons["never finished"] = len(pending)
    stored = sum(r.counts.stored for r in results)
    errors = sum(r.counts.error_total for r in results)
    return [
        ("1 first crawl: wall", f"{wall:.1f} s"),
        ("1 polls/s", f"{len(results) / wall:.1f}"),
        ("1 articles stored", f"{stored} (of {3 * len(names)})"),
        ("1 poll outcomes", ", ".join(f"{k} {v}" for k, v in reasons.items() if v)),
        ("1 errors recorded", str(errors)),
        ("1 CPU engine / workers", f"{cpu.engine:.1f} s / {cpu.workers:.1f} s"),
        ("1 CPU ms per article", f"{1000 * (cpu.engine + cpu.workers) / max(1, stored):.1f}"),
    ]


def sustained(
    args: argparse.Namespace, engine: CrawlEngine, names: list[str], farm: OutletFarm, db: Path
) -> Rows:
    interval = parse_duration(args.interval)
    poller = Poller(engine, names, args.in_flight, args.poll_timeout).start()
    print(
        f"phase 2: re-polls of unchanged feeds, {poller.in_flight} in flight, "
        f"{args.warmup:.0f} s warm-up + {args.seconds:.0f} s …",
        flush=True,
    )
    profiler = cProfile.Profile() if args.profile else None
    try:
        time.sleep(args.warmup)
        if profiler is not None:
            call_in_reactor(profiler.enable)  # the reactor thread: where the engine runs
        tally0, cpu0, served0 = poller.snapshot(), Cpu.now(farm.pid), farm.stats()
        gc0 = (GC.seconds, GC.full)
        t0 = time.perf_counter()
        time.sleep(args.seconds)
        tally1, cpu1, served1 = poller.snapshot(), Cpu.now(farm.pid), farm.stats()
        gc1 = (GC.seconds, GC.full)
        window = time.perf_counter() - t0
        if profiler is not None:
            call_in_reactor(profiler.disable)
        rss = status_kb("self", "VmRSS") / 1024
        workers_rss = sum(status_kb(p, "VmRSS") for p in descendants(farm.pid)) / 1024
        polls = tally1.polls - tally0.polls
        rate, cpu = polls / window, cpu1 - cpu0
        durations = sorted(tally1.seconds[len(tally0.seconds) :]) or [0.0]
        served = {k: served1.get(k, 0) - served0.get(k, 0) for k in served1}
        reasons = tally1.reasons - tally0.reasons
        print(f"phase 3: {args.publish} article(s) published while polling goes on …", flush=True)
        latency_rows = latency(args, poller, names, farm, db, rate)
    finally:
        poller.stop()
    rows = [
        ("2 polls/s sustained", f"{rate:.1f} ({polls} polls in {window:.1f} s)"),
        ("2 poll outcomes", ", ".join(f"{k} {v}" for k, v in reasons.items()) or "none"),
        (
            "2 304s / requests / errors",
            f"{tally1.not_modified - tally0.not_modified} / "
            f"{tally1.requests - tally0.requests} / {tally1.errors - tally0.errors}",
        ),
        ("2 outlet requests served", f"{sum(v for k, v in served.items() if k != 'cpu_s'):.0f}"),
        (
            "2 poll time median / p99",
            f"{statistics.median(durations):.2f} s / "
            f"{durations[int(0.99 * (len(durations) - 1))]:.2f} s",
        ),
        ("2 CPU ms/poll engine", f"{1000 * cpu.engine / max(1, polls):.2f}"),
        ("2 CPU ms/poll workers", f"{1000 * cpu.workers / max(1, polls):.2f}"),
        (
            "2 GC pauses",
            f"{1000 * (gc1[0] - gc0[0]) / max(1, polls):.2f} ms/poll, "
            f"{gc1[1] - gc0[1]} full collections, {len(gc.get_objects()):,} objects",
        ),
        ("2 engine CPU busy", f"{100 * cpu.engine / window:.0f} % of one core"),
        ("2 outlet server CPU", f"{100 * (served1['cpu_s'] - served0['cpu_s']) / window:.0f} %"),
        ("2 RSS engine now / peak", f"{rss:.0f} / {status_kb('self', 'VmHWM') / 1024:.0f} MiB"),
        ("2 RSS extraction workers", f"{workers_rss:.0f} MiB"),
        (f"2 outlets/node @ {args.interval}", f"{rate * interval:,.0f} (polls/s × interval)"),
        (
            f"2 ... CPU-bound @ {args.interval}",
            f"{interval / max(1e-9, cpu.engine / max(1, polls)):,.0f}"
            " (interval / engine CPU per poll, one core)",
        ),
        ("2 poller unfinished polls", str(poller.unfinished)),
        (
            "2 politeness bound",
            f"~{len(names):.0f} polls/s (each outlet ≤ 1 poll per 1 s delay)"
            + (": this rate is bound by it" if rate > 0.6 * len(names) else ""),
        ),
    ]
    if profiler is not None:
        profiler.dump_stats(args.profile)
        print(
            f"\nengine profile (reactor thread, {window:.0f} s of phase 2; the CPU figures "
            f"include cProfile's overhead) → {args.profile}"
        )
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    return rows + latency_rows


def latency(
    args: argparse.Namespace,
    poller: Poller,
    names: list[str],
    farm: OutletFarm,
    db: Path,
    rate: float,
) -> Rows:
    rng = random.Random(args.seed)
    cycle = len(names) / max(rate, 0.1)  # every outlet is polled once per cycle
    bound = min(600.0, 2 * cycle + args.poll_timeout + 30)
    rows: Rows = []
    for n in range(args.publish):
        time.sleep(rng.uniform(0, min(cycle, 120)))
        i = rng.randrange(len(names))
        poller.watch(names[i])
        url, published = farm.publish(i)
        found = wait_stored(db, url, bound)
        if found is None:
            rows.append((f"3 article {n + 1} ({names[i]})", f"NOT stored within {bound:.0f} s"))
            continue
        how = ""
        for _ in range(100):  # the poll that stored it ends a moment after the row is written
            with poller.lock:
                polls = [p for p in poller.watched[names[i]] if p[2] and p[1] > published]
            if polls:
                submitted, done, _stored = polls[0]
                how = (
                    f" (stored by a poll submitted {submitted - published:+.1f} s after "
                    f"publication, {done - submitted:.1f} s long)"
                )
                break
            time.sleep(0.1)
        rows.append((f"3 article {n + 1} ({names[i]})", f"{found - published:.2f} s{how}"))
    rows.append(
        ("3 round-robin cycle", f"{cycle:.1f} s: latency ≤ cycle + time to poll")  # (expected)
    )
    rows.append(
        (
            "3 for the daemon",
            f"interval T: latency ≤ T + time to poll (T={args.interval};"
            " adaptive: up to max_interval = 4T, ±10 % jitter ≤ 30 s)",
        )
    )
    return rows


def crawl_only(args: argparse.Namespace, config: Config, names: list[str]) -> Rows:
    rows: Rows = []
    for label in ("first crawl", "re-crawl"):
        print(f"run_crawls: {label} of {len(names)} outlets …", flush=True)
        t0 = time.perf_counter()
        results = run_crawls(config, names, timeout=args.first_timeout)
        wall = time.perf_counter() - t0
        reasons = Counter(r.reason for r in results)
        stored = sum(r.counts.stored for r in results)
        requests = sum(r.counts.requests for r in results)
        goal = " (goal ≤ 15 s; 183 s before the engine)" if label == "first crawl" else ""
        rows += [
            (f"{label}: wall", f"{wall:.1f} s{goal}"),
            (f"{label}: stored / requests", f"{stored} / {requests}"),
            (f"{label}: outcomes", ", ".join(f"{k} {v}" for k, v in reasons.items())),
            (f"{label}: errors", str(sum(r.counts.error_total for r in results))),
        ]
    return rows


def main() -> None:
    if sys.argv[1:2] == ["telegram"]:
        from telegram_capacity import main as telegram_main

        telegram_main(sys.argv[2:])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--outlets", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=60.0, help="phase 2 measuring window")
    ap.add_argument("--warmup", type=float, default=5.0, help="phase 2 seconds not measured")
    ap.add_argument("--in-flight", type=int, default=200, help="polls outstanding in phase 2")
    ap.add_argument("--interval", default="15m", help="the sources' interval")
    ap.add_argument("--publish", type=int, default=3, help="articles published in phase 3")
    ap.add_argument("--poll-timeout", type=float, default=120.0, help="phase 2/3 poll deadline")
    ap.add_argument("--first-timeout", type=float, default=1800.0, help="first-crawl deadline")
    ap.add_argument("--workers", help="NEWSMON_EXTRACT_WORKERS (default: one per CPU)")
    ap.add_argument("--crawl-only", action="store_true", help="time run_crawls end to end")
    ap.add_argument("--profile", help="cProfile the engine during phase 2 into this file")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (config, db, log)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE",
        help="a Scrapy setting for the engine (phases 1-3), e.g. CONCURRENT_REQUESTS=256",
    )  # fmt: skip
    args = ap.parse_args()
    if args.workers is not None:
        os.environ["NEWSMON_EXTRACT_WORKERS"] = args.workers
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # a connection per outlet
    farm = OutletFarm(args.outlets).start()  # forked before any thread of this process
    tmp = Path(tempfile.mkdtemp(prefix="newsmon-capacity-"))
    counter = LogCounter()
    logging.basicConfig(level=logging.WARNING, filename=tmp / "engine.log")
    logging.getLogger().addHandler(counter)
    workers = os.environ.get("NEWSMON_EXTRACT_WORKERS") or f"{os.cpu_count()} (one per CPU)"
    cpu_model = next(
        (ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
         if ln.startswith("model name")), platform.machine(),
    )  # fmt: skip
    print(
        f"newsmon capacity: {args.outlets} outlets on 127.1.x.y:{farm.port}, "
        f"{'crawl-only' if args.crawl_only else f'{args.in_flight} in flight, {args.seconds:.0f} s'}"
        f"\nmachine: {os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable), {cpu_model}; "
        f"Python {platform.python_version()}, Scrapy {scrapy.__version__}, "
        f"Twisted {twisted.__version__}, SQLite {sqlite3.sqlite_version}\n"
        f"extraction workers: {workers}; politeness: default delay 1 s ± 50 %, AutoThrottle, "
        f"concurrency 2, robots.txt; open files ≤ {hard}; work dir {tmp}"
        + (f"\nScrapy settings: {', '.join(args.set)}" if args.set else ""),
        flush=True,
    )
    try:
        config = write_config(tmp, farm, args.interval)
        names = [s.name for s in config.sources]
        if args.crawl_only:
            rows = crawl_only(args, config, names)
        else:
            settings = crawl_settings(config)
            for item in args.set:
                key, _, value = item.partition("=")
                settings.set(key.strip(), value.strip(), priority="cmdline")
            engine = CrawlEngine(config, settings)
            engine.start()
            try:
                rows = first_crawl(engine, names, args.first_timeout, farm)
                rows.append(("1 articles in the database", str(stored_count(config.database))))
                rows += sustained(args, engine, names, farm, config.database)
            finally:
                engine.stop()
    finally:
        farm.stop()
    logs = ", ".join(f"{k} {v}" for k, v in counter.counts.items()) or "none"
    rows.append(("log lines ≥ WARNING", logs))
    width = max(len(k) for k, _ in rows)
    print("\n" + "\n".join(f"{k:<{width}}  {v}" for k, v in rows))
    for line in counter.first:
        print("  " + line)
    if not args.keep:
        for path in sorted(tmp.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        tmp.rmdir()


if __name__ == "__main__":
    main()
