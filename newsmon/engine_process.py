"""The crawl engine as a child process of the daemon (``python -m newsmon.engine_process``).

It runs one :class:`crawler.engine.CrawlEngine` and speaks JSON lines: the daemon writes
``{"poll": "<source>", "timeout": 600}`` or ``{"stop": true}`` to its stdin; it answers
``{"ready": true}`` once it takes polls and ``{"done": "<source>", "ticket": N, "run_id": R,
"reason": "finished"}`` when a poll ends (``ticket`` echoes the daemon's own number for the
poll). Logs go to stderr. EOF on stdin stops it like ``stop``.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import signal
import sys
import threading
from types import FrameType
from typing import Any, TextIO

from crawler.config import EXIT_CONFIG, ConfigError, load_config
from crawler.engine import CrawlEngine, PollResult
from crawler.lifeline import die_with_parent
from crawler.runner import crawl_settings
from newsmon.logs import setup_logging
from newsmon.outages import PASSING

log = logging.getLogger("newsmon.engine")


class Channel:
    """Answers to the daemon, one JSON object a line (from any thread)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.lock = threading.Lock()

    def send(self, **message: Any) -> None:
        line = json.dumps(message, ensure_ascii=False)
        with self.lock:
            self.stream.write(line + "\n")
            self.stream.flush()


def serve(engine: CrawlEngine, commands: TextIO, answers: Channel) -> None:
    answers.send(ready=True)
    for line in commands:
        try:
            command = json.loads(line)
        except json.JSONDecodeError:
            log.error("engine: not a command: %r", line[:200])
            continue
        if command.get("stop"):
            break
        name, ticket = command.get("poll"), command.get("ticket")
        try:
            future = engine.submit(str(name), timeout=command.get("timeout"))
        except (ConfigError, RuntimeError) as exc:
            answers.send(done=name, ticket=ticket, run_id=None, reason="error", error=str(exc))
            continue

        def done(f: Any, name: Any = name, ticket: Any = ticket) -> None:
            try:
                result: PollResult = f.result()
                answers.send(done=name, ticket=ticket, run_id=result.run_id, reason=result.reason)
            except Exception as exc:
                # a database outage is the daemon's to tell (once), not this source's failure
                reason = "database" if isinstance(exc, PASSING) else "error"
                answers.send(done=name, ticket=ticket, run_id=None, reason=reason, error=str(exc))

        future.add_done_callback(done)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsmon-engine", description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("-v", "--verbose", action="count", default=0)
    parser.add_argument("--parent", type=int, help="end when this process (the daemon) ends")
    args = parser.parse_args(argv)
    if args.parent is not None:
        die_with_parent(args.parent)
    setup_logging(args.verbose)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"newsmon: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    # Ctrl-C reaches the daemon's whole process group: the daemon decides when the engine stops
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit)  # stop reading commands; polls end as "shutdown"
    level = "DEBUG" if args.verbose > 1 else "INFO" if args.verbose else "WARNING"
    engine = CrawlEngine(config, crawl_settings(config, log_level=level))
    engine.start()
    gc.freeze()  # what start-up loaded stays: the collector need not walk it again and again
    try:
        serve(engine, sys.stdin, Channel(sys.stdout))
    finally:
        engine.stop()  # open polls end as "shutdown" and are recorded so
    return 0


def _exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


if __name__ == "__main__":
    sys.exit(main())
