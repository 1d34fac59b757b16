"""A host's Retry-After slows it for a while, not for the life of the crawl engine."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.middlewares.politeness import SLOWED_FOR_S, PolitenessMiddleware


def test_a_retry_after_is_a_floor_that_lapses() -> None:
    crawler = get_crawler()
    mw = PolitenessMiddleware.from_crawler(crawler)
    now = [1000.0]
    mw.clock = lambda: now[0]
    mw.floors["t.me"] = 1.0  # its robots.txt Crawl-delay stays
    request = Request("https://t.me/s/channel")
    mw.process_response(request, Response(request.url, status=429, headers={"Retry-After": "5"}))
    assert mw.floor("t.me") == 5.0
    now[0] += SLOWED_FOR_S / 2
    mw.process_response(request, Response(request.url, status=429, headers={"Retry-After": "3"}))
    assert mw.floor("t.me") == 5.0  # asked again: the longer wait holds, for longer
    now[0] += SLOWED_FOR_S - 1
    assert mw.floor("t.me") == 5.0
    now[0] += 2
    assert mw.floor("t.me") == 1.0  # back to its Crawl-delay
    assert mw.floor("other.test") == 0.0
