"""Pages rendered in a browser, for outlets that build their articles with JavaScript.

A source with ``render: true`` has its article pages (with ``render: "listings"`` also its
listing pages and homepage) fetched through scrapy-playwright in the machine's Chromium; every
other request of the crawl goes through Scrapy's own HTTP handler. Bounded:

- the download handler is installed only when a configured source renders
  (:func:`render_settings`), so an engine without one never starts Playwright or a browser;
- one browser per engine process, at most ``rendering.max_pages`` pages at once, a per-page
  timeout, images, fonts and media never loaded;
- :class:`BrowserWatch` restarts the browser when its processes hold more memory than
  ``rendering.memory``; a browser that crashed is launched anew for the next page (its pages
  in flight fail and are recorded, counted as ``render_failures`` in the poll).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from pathlib import Path
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from twisted.internet.task import LoopingCall

from crawler.config import Config, SourceConfig
from crawler.config_render import RenderingConfig

log = logging.getLogger("newsmon.rendering")
HANDLER = "crawler.rendering.SharedPlaywrightHandler"
BLOCKED_RESOURCES = frozenset({"image", "font", "media"})
RENDER_META = "newsmon_render"
WATCH_EVERY_S = 2.0
# Past the memory ceiling, how long the browser's open pages may delay its restart.
RESTART_WAIT_S = 30.0
# A browser that needs more than the ceiling just to render is not restarted over and over.
MIN_RESTART_GAP_S = 20.0


def launch_options(config: RenderingConfig) -> dict[str, Any]:
    """How Playwright starts the machine's Chromium (never a browser of its own)."""
    args = ["--disable-dev-shm-usage", "--disable-gpu", "--no-first-run"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    return {
        "executable_path": config.chromium,
        "headless": True,
        "args": args,
        "timeout": config.timeout * 1000,
    }


def should_abort(request: Any) -> bool:
    """Playwright's requests not worth loading for the text: images, fonts, media."""
    return str(request.resource_type) in BLOCKED_RESOURCES


def renders(source: SourceConfig, kind: str) -> bool:
    """Whether a request of ``kind`` (home, feed, sitemap, listing, article) is rendered."""
    if not source.render:
        return False
    if kind == "article":
        return True
    return source.render == "listings" and kind in ("home", "listing")


# After load, the page is read once none of its requests has been open for this long (its
# scripts' JSON requests answered and applied): shorter than Playwright's "networkidle" (0.5 s).
QUIET_S = 0.25
_PENDING = "_newsmon_pending"


async def track_requests(page: Any, request: Request) -> None:
    """Page init callback: keeps the set of the page's requests still open."""
    pending: set[Any] = set()
    setattr(page, _PENDING, pending)
    page.on("request", lambda r: pending.add(r))
    page.on("requestfinished", lambda r: pending.discard(r))
    page.on("requestfailed", lambda r: pending.discard(r))


async def settle(page: Any, limit: float) -> None:
    """Wait (at most ``limit`` seconds) until the page has had no open request for
    :data:`QUIET_S`."""
    pending: set[Any] = getattr(page, _PENDING, set())
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    quiet_since: float | None = None
    while loop.time() < deadline:
        now = loop.time()
        if pending:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= QUIET_S:
            return
        await asyncio.sleep(0.05)


def render_meta(timeout: float) -> dict[str, Any]:
    """The meta of a rendered request: the page is read after its load event once its own
    requests are done (a body filled by a JSON request after load is there), within
    ``timeout`` seconds."""
    from scrapy_playwright.page import PageMethod

    return {
        "playwright": True,
        RENDER_META: True,
        "playwright_page_goto_kwargs": {"wait_until": "load", "timeout": timeout * 1000},
        "playwright_page_init_callback": track_requests,
        "playwright_page_methods": [PageMethod(settle, timeout)],
    }


# A page that says it needs JavaScript, or whose body is an empty app shell.
_JS_HINTS = re.compile(
    r"enable javascript|javascript (is )?required|включите javascript|"
    r"<div[^>]+id=[\"'](app|root|__next|__nuxt)[\"'][^>]*>\s*</div>",
    re.I,
)
_SCRIPTS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>|\s+", re.S | re.I)


def looks_like_js_shell(html: str) -> bool:
    """A page that builds its content with scripts: it says so, or it has scripts and its body
    holds next to no text."""
    head = html[:500_000]
    if _JS_HINTS.search(head):
        return True
    lower = head.lower()
    if "<script" not in lower:
        return False
    start = lower.find("<body")
    return len(_SCRIPTS.sub("", head[start:] if start >= 0 else head)) < 200


def _shared_handler_class() -> type:
    from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

    class Shared(ScrapyPlaywrightDownloadHandler):  # type: ignore[misc]
        """One handler (so one browser) for http and https alike."""

        @classmethod
        def from_crawler(cls, crawler: Crawler) -> Any:
            shared = crawler.__dict__.get("_newsmon_playwright")
            if shared is None:
                shared = crawler.__dict__["_newsmon_playwright"] = cls(crawler)
            return shared

        async def close(self) -> None:
            if not getattr(self, "_newsmon_closed", False):
                self._newsmon_closed = True
                await super().close()

    return Shared


def __getattr__(name: str) -> Any:
    # the handler class is built on first use: importing Playwright costs only a rendering crawl
    if name == "SharedPlaywrightHandler":
        cls = _shared_handler_class()
        globals()[name] = cls
        return cls
    raise AttributeError(name)


def render_settings(config: Config) -> dict[str, Any]:
    """Scrapy settings that install the browser — only when a configured source renders."""
    if not any(s.render for s in config.sources):
        return {}
    r = config.model.rendering
    handler = {"http": HANDLER, "https": HANDLER}
    return {
        "DOWNLOAD_HANDLERS": handler,
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": launch_options(r),
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": r.max_pages,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": r.timeout * 1000,
        "PLAYWRIGHT_ABORT_REQUEST": should_abort,
        "PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER": True,
        "NEWSMON_RENDER_MEMORY_MIB": r.memory,
    }


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def descendants(pid: int) -> list[int]:
    """The processes below ``pid`` (Linux /proc; empty elsewhere)."""
    if not Path("/proc").is_dir():
        return []
    tree, out, todo = _children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def memory_bytes(pids: list[int]) -> int:
    """The memory the processes hold: their proportional set size (shared pages split among
    the processes that share them, so a browser's many processes are not counted many times
    over), else their resident size."""
    total = 0
    for pid in pids:
        for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
            try:
                lines = Path(f"/proc/{pid}/{name}").read_text().splitlines()
            except OSError:
                continue
            found = [int(line.split()[1]) * 1024 for line in lines if line.startswith(key)]
            if found:
                total += found[0]
                break
    return total


def playwright_handler(crawler: Crawler) -> Any:
    """The crawl's scrapy-playwright download handler, once it has been built (else None)."""
    from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

    engine = crawler.engine
    handlers = getattr(getattr(engine, "downloader", None), "handlers", None)
    for handler in (getattr(handlers, "_handlers", None) or {}).values():
        if isinstance(handler, ScrapyPlaywrightDownloadHandler):
            return handler
    return None


def browser_pids(crawler: Crawler) -> list[int]:
    """The browser's processes (below Playwright's driver)."""
    handler = playwright_handler(crawler)
    provider = getattr(handler, "browser_provider", None)
    manager = getattr(provider, "playwright_context_manager", None)
    # Playwright's driver process (its private attributes: no public accessor exists)
    for path in (("_client", "_transport"), ("_connection", "_transport")):
        node: Any = manager
        for name in path:
            node = getattr(node, name, None)
        proc = getattr(node, "_proc", None)
        if proc is not None and getattr(proc, "pid", None):
            return descendants(int(proc.pid))
    return []


class BrowserWatch:
    """Restarts the browser past the memory ceiling; counts rendered pages and failures."""

    def __init__(self, crawler: Crawler, ceiling_mib: int) -> None:
        self.crawler = crawler
        self.ceiling = ceiling_mib * 2**20
        self.peak = 0
        self._loop: LoopingCall | None = None
        self._closing = False
        self._restarted = -MIN_RESTART_GAP_S  # when the browser was last restarted

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BrowserWatch:
        ceiling = crawler.settings.getint("NEWSMON_RENDER_MEMORY_MIB")
        if not ceiling:
            raise NotConfigured  # no source renders (said without a warning)
        watch = cls(crawler, ceiling)
        crawler.signals.connect(watch.opened, signal=signals.spider_opened)
        crawler.signals.connect(watch.closed, signal=signals.spider_closed)
        return watch

    def opened(self, spider: Spider) -> None:
        self._loop = LoopingCall(self.check)
        self._loop.start(WATCH_EVERY_S, now=False)

    def closed(self, spider: Spider) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()

    def memory(self) -> int:
        used = memory_bytes(browser_pids(self.crawler))
        self.peak = max(self.peak, used)
        assert self.crawler.stats is not None
        self.crawler.stats.max_value("newsmon/render_memory_peak", used)
        return used

    def check(self) -> None:
        used = self.memory()
        now = time.monotonic()
        if used <= self.ceiling or self._closing or now - self._restarted < MIN_RESTART_GAP_S:
            return
        self._restarted = now
        log.warning(
            "the browser holds %d MiB (ceiling %d MiB): restarting it once its open pages are done",
            used // 2**20,
            self.ceiling // 2**20,
        )
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("newsmon/render_restarts")
        self._closing = True
        asyncio.ensure_future(self._restart())

    async def _restart(self) -> None:
        """Drain the browser (no new page starts; its open pages finish, within
        :data:`RESTART_WAIT_S`), close it, and let the next page launch a new one."""
        held: list[asyncio.Semaphore] = []
        try:
            handler = playwright_handler(self.crawler)
            if handler is None or getattr(handler, "browser", None) is None:
                return
            slots = [
                (w.semaphore, handler.config.max_pages_per_context)
                for w in handler.context_wrappers.values()
            ]

            async def drain() -> None:
                for semaphore, n in slots:
                    for _ in range(n):
                        await semaphore.acquire()
                        held.append(semaphore)

            try:
                await asyncio.wait_for(drain(), RESTART_WAIT_S)
            except TimeoutError:
                log.warning(
                    "the browser's pages did not finish in %.0fs: closing it", RESTART_WAIT_S
                )
            browser = getattr(handler, "browser", None)
            if browser is not None:
                await browser.close()  # the handler launches a new one for the next page
        except Exception as exc:
            log.warning("restarting the browser: %s", exc)
        finally:
            for semaphore in held:
                semaphore.release()
            self._closing = False


def is_rendered(request: Request | None, response: Response | None = None) -> bool:
    if response is not None and "playwright" in response.flags:
        return True
    return bool(request is not None and request.meta.get(RENDER_META))
