"""Binary bodies served as pages are told from text in any charset."""

from __future__ import annotations

import codecs
import random

import pytest

from spiders.charset import looks_binary

TEXT = "<html><body><p>Азәрбајҹан — Қазақстан, Oʻzbekiston: C5+1 саммит.</p></body></html>\r\n\t"


@pytest.mark.parametrize("charset", ["utf-8", "windows-1251", "koi8-r", "iso-8859-9", "utf-8-sig"])
def test_text_in_any_single_byte_or_utf8_charset_is_text(charset: str) -> None:
    body = TEXT.encode(charset, errors="replace") * 200
    assert not looks_binary(body)


def test_utf16_with_its_byte_order_mark_is_text() -> None:
    assert not looks_binary(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le") * 50)


@pytest.mark.parametrize("seed", range(20))
def test_random_bytes_are_binary(seed: int) -> None:
    body = random.Random(seed).randbytes(300_000)
    assert looks_binary(body)


def test_a_png_served_as_html_is_binary() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40
    assert looks_binary(png)


def test_an_empty_body_is_not_binary() -> None:
    assert not looks_binary(b"")


def test_a_meta_refresh_is_looked_for_only_where_the_bytes_spell_it() -> None:
    from crawler.middlewares.refresh import may_refresh

    assert may_refresh(b'<html><head><meta http-equiv="REFRESH" content="0; url=/x">')
    assert not may_refresh(b"<html><head><title>News</title></head><body>" + b"x" * 20000)
    # past the head Scrapy reads: not a redirect of the page
    assert not may_refresh(b"<html><body>" + b"x" * 20000 + b'<meta http-equiv="refresh">')
    # UTF-16: the bytes do not spell it; Scrapy decodes and looks, as before
    assert may_refresh('\ufeff<html><meta http-equiv="refresh">'.encode("utf-16"))
