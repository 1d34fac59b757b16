"""Scrapy's meta-refresh redirects, looked for only in pages that can hold one.

Scrapy's own middleware decodes every HTML page and parses its head for
``<meta http-equiv="refresh">``: about 2 % of a crawl's own CPU on article pages, which almost
never redirect that way. A page whose first 4,096 characters (what Scrapy reads) do not spell
"refresh" in any case cannot redirect, and its bytes tell without decoding — but for UTF-16
and UTF-32 pages, which Scrapy's middleware reads as before.
"""

from __future__ import annotations

import codecs

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import Response

# 4,096 characters of UTF-8 (or of any ASCII-compatible charset) take at most this many bytes
HEAD_BYTES = 4 * 4096
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


def may_refresh(body: bytes) -> bool:
    """Whether the body's head can hold a meta refresh."""
    head = body[:HEAD_BYTES]
    return head.startswith(_WIDE_BOMS) or b"refresh" in head.lower()


class QuickMetaRefreshMiddleware(MetaRefreshMiddleware):
    def process_response(
        self, request: Request, response: Response, spider: object = None
    ) -> Request | Response:
        if not may_refresh(response.body):
            return response
        return super().process_response(request, response)
