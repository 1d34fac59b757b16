"""URL canonicalization: one spelling per article, applied before any request and after fetch."""

from __future__ import annotations

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
DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """Lowercase scheme and host, drop default port, fragment and tracking parameters.

    The path keeps its case and its trailing slash (servers differ on whether ``/a`` and
    ``/a/`` are the same page); an empty path becomes ``/``. Remaining query parameters keep
    their order.
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
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
    ]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query, doseq=True), ""))


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
