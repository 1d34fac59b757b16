"""URL canonicalization: one spelling per article, applied before any request and after fetch."""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import safe_url_string

# Query parameters that identify a click, not a page.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "yclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ocid",
        "cmpid",
        "rss",
        "from_rss",
        "ref_src",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "oly_")
# Query parameters that only ask for the AMP rendering of the same page.
AMP_PARAMS = frozenset({"amp", "outputtype", "amp_js_v", "usqp"})
_AMP_SUFFIX = re.compile(r"/amp/?$")
_AMP_PREFIX = re.compile(r"^/amp(?=/)")
_AMP_EXT = re.compile(r"\.amp(?=\.html?$|$)")
DEFAULT_PORTS = {"http": 80, "https": 443}


def amp_to_canonical(path: str) -> str:
    """``/a/b/amp/`` → ``/a/b/``, ``/amp/a/b`` → ``/a/b``, ``/a/b.amp.html`` → ``/a/b.html``."""
    if "amp" not in path:
        return path
    stripped = _AMP_SUFFIX.sub("/" if path.endswith("/") else "", path)
    stripped = _AMP_PREFIX.sub("", stripped)
    stripped = _AMP_EXT.sub("", stripped)
    return stripped or "/"


@functools.lru_cache(maxsize=8192)
def canonical_url(url: str) -> str:
    """Lowercase scheme and host, drop default port, fragment and tracking parameters, and
    turn AMP URLs into their canonical page.

    The path keeps its case and its trailing slash (the URL is what gets requested, and
    servers differ on whether ``/a`` and ``/a/`` are the same page): :func:`url_key` is the
    slash-insensitive form used to decide whether a page was seen. An empty path becomes
    ``/``. Remaining query parameters keep their order.
    """
    parts = urlsplit(safe_url_string(url.strip()))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS
        and not k.lower().startswith(TRACKING_PREFIXES)
        and not (k.lower() in AMP_PARAMS and v.lower() in ("", "1", "amp", "true"))
    ]
    path = amp_to_canonical(parts.path or "/")
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


@functools.lru_cache(maxsize=8192)
def url_key(url: str) -> str:
    """The key a page is remembered by: its canonical URL without a trailing slash, so that
    ``/a`` and ``/a/`` (announced differently by a feed and a sitemap) are one page."""
    canonical = canonical_url(url)
    parts = urlsplit(canonical)
    if len(parts.path) > 1 and parts.path.endswith("/"):
        return urlunsplit(parts._replace(path=parts.path.rstrip("/") or "/"))
    return canonical


def site_of(host: str) -> str:
    """The host without a leading ``www.`` / ``m.`` / ``amp.``: for same-site comparisons."""
    host = host.lower()
    for prefix in ("www.", "m.", "amp."):
        if host.startswith(prefix):
            return host[len(prefix) :]
    return host


def same_site(a: str, b: str) -> bool:
    ha, hb = site_of(urlsplit(a).hostname or ""), site_of(urlsplit(b).hostname or "")
    return bool(ha) and (ha == hb or ha.endswith("." + hb) or hb.endswith("." + ha))
