"""Logging for every newsmon command: one stderr handler at the ``--verbose`` level."""

from __future__ import annotations

import logging
import sys


def setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # slack-sdk logs whole request bodies at DEBUG; keep it quieter than ours.
    logging.getLogger("slack_sdk").setLevel(max(level, logging.INFO))
    # APScheduler reports every job run at INFO: only with -vv.
    logging.getLogger("apscheduler").setLevel(logging.DEBUG if verbose > 1 else logging.WARNING)
    # A job still running at its next turn (the claim job waiting on a database that is down)
    # is skipped and said so every quarter second; the outage itself is told once (-vv: all).
    skipped = logging.getLogger("apscheduler.scheduler")
    for old in [f for f in skipped.filters if isinstance(f, _SkippedRuns)]:
        skipped.removeFilter(old)
    if verbose < 2:
        skipped.addFilter(_SkippedRuns())
    # The connection pool warns at each failed reconnection; the outage is told once (-vv: all).
    logging.getLogger("psycopg.pool").setLevel(logging.DEBUG if verbose > 1 else logging.ERROR)
    quiet = logging.CRITICAL if verbose == 0 else logging.NOTSET
    # Page failures are recorded per source and counted in the crawl summary (and shown by
    # `newsmon status`); without -v Scrapy's own tracebacks for them are noise.
    for name in ("scrapy.downloadermiddlewares.robotstxt", "scrapy.downloadermiddlewares.retry"):
        logging.getLogger(name).setLevel(quiet)


class _SkippedRuns(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()
