"""Rendering single pages in the machine's Chromium for a probe (``newsmon add``, ``newsmon
check``): Playwright's synchronous API, one browser for the probe, images, fonts and media not
loaded. The crawl renders through scrapy-playwright instead (:mod:`crawler.rendering`)."""

from __future__ import annotations

import os
import time
from types import TracebackType
from typing import Any

from crawler.config_render import RenderingConfig
from crawler.rendering import BLOCKED_RESOURCES, QUIET_S, launch_options


class ProbeRenderer:
    """``renderer(url) -> html`` after the page's scripts ran (its requests done). The browser
    starts on first use and closes with the ``with`` block."""

    def __init__(self, config: RenderingConfig, user_agent: str) -> None:
        self.config = config
        self.user_agent = user_agent
        self._playwright: Any = None
        self._browser: Any = None

    @property
    def available(self) -> bool:
        return os.access(self.config.chromium, os.X_OK)

    def __enter__(self) -> ProbeRenderer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None

    def __call__(self, url: str) -> str:
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(**launch_options(self.config))
        page = self._browser.new_page(user_agent=self.user_agent)
        pending: set[Any] = set()
        page.on("request", lambda r: pending.add(r))
        page.on("requestfinished", lambda r: pending.discard(r))
        page.on("requestfailed", lambda r: pending.discard(r))
        try:
            page.route(
                "**/*",
                lambda route: (
                    route.abort()
                    if route.request.resource_type in BLOCKED_RESOURCES
                    else route.continue_()
                ),
            )
            page.goto(url, wait_until="load", timeout=self.config.timeout * 1000)
            # as a crawl reads it: once the page's own requests are done (crawler.rendering)
            deadline = time.monotonic() + self.config.timeout
            quiet_since: float | None = None
            while time.monotonic() < deadline:
                now = time.monotonic()
                if pending:
                    quiet_since = None
                elif quiet_since is None:
                    quiet_since = now
                elif now - quiet_since >= QUIET_S:
                    break
                page.wait_for_timeout(50)
            return str(page.content())
        finally:
            page.close()
