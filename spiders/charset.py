"""Page text with the right charset, also when the server's header names the wrong one.

Scrapy decodes with the HTTP header's charset first, then ``<meta charset>``, then detection —
correct when the header is right. A Russian outlet that serves windows-1251 under a ``utf-8``
header would come out as replacement characters; then the page's own ``<meta>`` declaration,
and failing that charset detection (charset-normalizer), decide.
"""

from __future__ import annotations

import codecs

import charset_normalizer
from scrapy.http import TextResponse
from w3lib.encoding import html_body_declared_encoding


def _decode(body: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        codecs.lookup(encoding)
        return body.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


# Bytes no text page carries: C0 controls other than tab, line feed, form feed and carriage return.
_CONTROL = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20)])  # C0 but tab, LF, FF, CR
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def looks_binary(body: bytes) -> bool:
    """Whether a body served as a page is binary data (an image, an archive, random bytes).

    Text in any charset but UTF-16 has almost no C0 control bytes; binary data has about one
    byte in eleven. More than one in a hundred of the first 64 KiB decides; a UTF-16 page (its
    byte-order mark first) is text.
    """
    head = body[:65536]
    if not head or head.startswith(_UTF16_BOMS):
        return False
    return len(head.translate(None, _NOT_CONTROL)) * 100 > len(head)


def page_text(response: TextResponse) -> str:
    """The response's text, re-decoded when its declared charset does not fit the bytes."""
    text = response.text
    if "\ufffd" not in text:
        return text
    body = response.body
    declared = html_body_declared_encoding(body)
    if declared and declared != response.encoding:
        decoded = _decode(body, declared)
        if decoded is not None:
            return decoded
    best = charset_normalizer.from_bytes(body[:200_000]).best()
    if best is not None and best.encoding != response.encoding:
        decoded = _decode(body, best.encoding)
        if decoded is not None:
            return decoded
    return text
