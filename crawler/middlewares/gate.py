"""Requests of a poll that has ended (cut off at its deadline, or the engine stopping) are
dropped before they go anywhere: a cut-off poll costs no more requests."""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from crawler.poll import poll_of


class PollGateMiddleware:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PollGateMiddleware:
        return cls()

    def process_request(self, request: Request) -> None:
        poll = poll_of(request.meta)
        if poll is not None and poll.done:
            raise IgnoreRequest(f"the poll of {poll.name} has ended ({poll.reason})")
        return None
