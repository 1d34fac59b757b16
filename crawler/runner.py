"""Running crawls in this process: the named sources polled at once by one crawl engine on the
process's reactor thread (``crawler.engine``)."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

from scrapy.settings import Settings

from crawler.config import Config
from crawler.engine import CrawlEngine, PollResult
from crawler.rendering import render_settings


def crawl_settings(
    config: Config, *, log_level: str = "WARNING", progress: bool = False
) -> Settings:
    settings = Settings()
    settings.set("NEWSMON_PROGRESS", progress, priority="cmdline")
    settings.setmodule("crawler.settings", priority="project")
    settings.set("NEWSMON_CONFIG", str(config.path), priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    settings.set("USER_AGENT", config.model.user_agent, priority="cmdline")
    if os.environ.get("NEWSMON_EXTRACT_WORKERS"):
        settings.set("NEWSMON_EXTRACT_WORKERS", os.environ["NEWSMON_EXTRACT_WORKERS"], "cmdline")
    if os.environ.get("NEWSMON_TEMPLATES"):
        templates = os.environ["NEWSMON_TEMPLATES"] not in ("0", "false", "no")
        settings.set("NEWSMON_TEMPLATES", templates, "cmdline")
    if os.environ.get("NEWSMON_STORY_VECTORS"):
        vectors = os.environ["NEWSMON_STORY_VECTORS"] not in ("0", "false", "no")
        settings.set("NEWSMON_STORY_VECTORS", vectors, "cmdline")
    for key, value in render_settings(config).items():  # only when a source renders
        settings.set(key, value, priority="cmdline")
    # The newsmon CLI owns logging (one stderr handler at the --verbose level).
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    return settings


# After SIGINT/SIGTERM, how long the crawl may take to close (downloads in flight, the pages in
# the pipelines) before its polls end anyway and the command goes on to exit.
STOP_GRACE_S = 15.0

# What one source's crawl came to (a poll of the engine).
CrawlSummary = PollResult


def run_crawls(
    config: Config,
    names: list[str],
    *,
    log_level: str = "WARNING",
    progress: bool = False,
    timeout: float | None = None,
) -> list[PollResult]:
    """Crawl the named sources concurrently in one engine (politeness applies per site) and
    wait for all; callable again after it returns. In the main thread a first SIGINT/SIGTERM
    stops the crawls cleanly (their records say ``shutdown``; within ``STOP_GRACE_S``), a
    second one interrupts."""
    engine = CrawlEngine(config, crawl_settings(config, log_level=log_level, progress=progress))
    engine.start()
    try:
        with _stop_on_signals(lambda: engine.stop(grace=STOP_GRACE_S)):
            futures = [engine.submit(name, timeout=timeout) for name in names]
            results = [f.result() for f in futures]
    finally:
        engine.stop()
    return results


@contextmanager
def _stop_on_signals(stop: Callable[[], None]) -> Iterator[None]:
    """While crawling in the main thread: SIGINT/SIGTERM → ``stop`` (in a thread of its own, so
    that the handler returns at once); then the old handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def handler(signum: int, frame: FrameType | None) -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)
        threading.Thread(target=stop, name="newsmon-stop", daemon=True).start()

    for sig in previous:
        signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
