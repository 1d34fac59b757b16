"""Many fixture outlets for ``bench/capacity.py``: one asyncio process serves N outlets, each on
a loopback address of its own (127.1.x.y, one listening socket per address, one port for all),
so that each outlet is its own host and Scrapy download slot.

Per outlet: ``/robots.txt`` (allow all), ``/feed.xml`` (RSS of the newest 3 articles, with ETag
and Last-Modified; 304 to a matching If-None-Match, or If-Modified-Since without one), the
article pages (~2 KB of varied prose, marked up as articles) and a small homepage. The benchmark
drives the process through a pipe: ``publish(i)`` puts a new article on outlet i (the feed
changes, new ETag), ``stats()`` returns request counters and the server's CPU time.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import multiprocessing
import random
import resource
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from multiprocessing.connection import Connection
from typing import Any

PER_FEED = 3
SUBJECTS = (
    "The ministry of transport", "Officials in Astana", "A delegation from Baku",
    "The central bank", "Regional governors", "Customs officers at the border",
    "Farmers in the Fergana valley", "The national railway company", "Energy ministers",
    "Local entrepreneurs", "The budget committee of parliament", "Port authorities in Aktau",
    "Independent economists", "City officials in Tashkent", "Lenders from the EBRD",
    "Teachers' unions", "The state statistics agency", "Diplomats from Tbilisi",
)  # fmt: skip
VERBS = (
    "discussed", "announced", "reviewed", "criticised", "approved", "postponed", "welcomed",
    "presented", "questioned", "outlined", "defended", "revised",
)  # fmt: skip
OBJECTS = (
    "new ferry schedules on the Caspian route", "a plan to modernise the grain terminals",
    "tariffs for transit cargo", "a second track for the main rail line",
    "water quotas for the summer season", "a loan for rural roads",
    "electronic customs declarations", "gas deliveries for the winter",
    "a programme of vocational training", "simpler rules for small businesses",
    "the price of bread in the capital", "a new bridge over the river",
    "pensions for retired miners", "visa-free travel for students",
)  # fmt: skip
PLACES = (
    "Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Georgia", "Armenia", "Tajikistan",
    "Azerbaijan", "Turkmenistan",
)  # fmt: skip
TAILS = (
    "on Tuesday", "after months of talks", "at a meeting in the capital",
    "despite objections from opposition deputies", "ahead of the regional summit",
    "according to a statement on the ministry's website", "in a televised address",
    "during a visit to the border crossing", "at a press conference on Friday",
)  # fmt: skip
FOLLOW = (
    "The decision is expected to affect {n} companies across the country.",
    "Officials said the first results would be visible by the end of {month}.",
    "The cost of the project was estimated at {n} million dollars, partly paid by {place}.",
    "Critics pointed out that similar promises had been made in {year} and never kept.",
    "Traders in the bazaars reported that prices had risen by {p} percent in a month.",
    "A spokesman declined to say when the agreement with {place} would be signed.",
    "Analysts in {place} said the figures were {p} percent below last year's forecast.",
    "Residents interviewed by local media were sceptical about the timetable.",
)
MONTHS = ("March", "May", "June", "September", "October", "December")


def outlet_host(i: int) -> str:
    """The loopback address of outlet i (127.1.0.1, …, 127.1.0.250, 127.1.1.1, …)."""
    return f"127.1.{i // 250}.{1 + i % 250}"


def _sentence(rng: random.Random) -> str:
    text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}."
    follow = rng.choice(FOLLOW).format(
        n=rng.randint(12, 4800),
        month=rng.choice(MONTHS),
        place=rng.choice(PLACES),
        year=rng.randint(2009, 2024),
        p=rng.randint(2, 40),
    )
    return f"{text} {follow}"


@dataclass
class _Article:
    path: str
    title: str
    published: float
    paragraphs: list[str]


@dataclass
class _Outlet:
    index: int
    base: str
    articles: list[_Article] = field(default_factory=list)  # oldest first
    pages: dict[str, bytes] = field(default_factory=dict)
    feed: bytes = b""
    etag: str = ""
    last_modified: str = ""
    version: int = 0

    def add_article(self, published: float) -> _Article:
        k = len(self.articles)
        rng = random.Random(self.index * 100_003 + k)
        day = time.strftime("%Y/%m/%d", time.gmtime(published))
        words = rng.choice(OBJECTS).split()[:4]
        slug = "-".join(w.strip(",.'").lower() for w in words)
        title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {' '.join(words)} ({k + 1})"
        paragraphs = [" ".join(_sentence(rng) for _ in range(2)) for _ in range(6)]
        article = _Article(f"/{day}/{slug}-{k}/", title, published, paragraphs)
        self.articles.append(article)
        self.pages[article.path] = self._page(article)
        self._feed(published)
        return article

    def _page(self, a: _Article) -> bytes:
        iso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(a.published))
        body = "".join(f"<p>{p}</p>" for p in a.paragraphs)
        return (
            f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{a.title}</title>"
            f"<meta property='og:type' content='article'>"
            f"<meta property='article:published_time' content='{iso}'>"
            f"<link rel='canonical' href='{self.base}{a.path}'></head><body>"
            f"<header><nav><a href='/'>Outlet {self.index}</a> <a href='/politics/'>Politics</a>"
            f"</nav></header><main><article><h1>{a.title}</h1><time datetime='{iso}'>{iso[:10]}"
            f"</time>{body}</article></main><footer>© Outlet {self.index}</footer></body></html>"
        ).encode()

    def _feed(self, changed: float) -> None:
        items = "".join(
            f"<item><title>{a.title}</title><link>{self.base}{a.path}</link>"
            f"<guid>{self.base}{a.path}</guid><pubDate>{formatdate(a.published, usegmt=True)}"
            f"</pubDate><description>{a.paragraphs[0][:160]}</description></item>"
            for a in reversed(self.articles[-PER_FEED:])
        )
        self.feed = (
            f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>Outlet {self.index}</title><link>{self.base}/</link>"
            f"<description>News of outlet {self.index}</description>{items}</channel></rss>"
        ).encode()
        self.version += 1
        self.etag = f'"o{self.index}-v{self.version}"'
        self.last_modified = formatdate(changed, usegmt=True)

    def home(self) -> bytes:
        links = "".join(f"<li><a href='{a.path}'>{a.title}</a></li>" for a in self.articles)
        return (
            f"<!doctype html><html lang='en'><head><title>Outlet {self.index}</title>"
            f"<link rel='alternate' type='application/rss+xml' href='/feed.xml'></head>"
            f"<body><h1>Outlet {self.index}</h1><ul>{links}</ul></body></html>"
        ).encode()


class _Farm:
    def __init__(self, n: int, port: int) -> None:
        now = time.time()
        self.outlets = [_Outlet(i, f"http://{outlet_host(i)}:{port}") for i in range(n)]
        for outlet in self.outlets:
            for k in range(PER_FEED):
                outlet.add_article(now - 3600 * (PER_FEED - k))
        self.counts: dict[str, int] = {}

    def respond(
        self, i: int, target: str, headers: dict[str, str]
    ) -> tuple[int, str, bytes, dict[str, str]]:
        outlet, path = self.outlets[i], target.split("?", 1)[0]
        html = "text/html; charset=utf-8"
        answer: tuple[int, str, bytes, dict[str, str]]
        if path == "/robots.txt":
            kind, answer = "robots", (200, "text/plain", b"User-agent: *\nAllow: /\n", {})
        elif path == "/feed.xml":
            extra = {"ETag": outlet.etag, "Last-Modified": outlet.last_modified}
            inm, ims = headers.get("if-none-match"), headers.get("if-modified-since")
            if inm == outlet.etag or (inm is None and ims == outlet.last_modified):
                kind, answer = "feed_304", (304, "", b"", extra)
            else:
                kind, answer = "feed_200", (200, "application/rss+xml", outlet.feed, extra)
        elif path in outlet.pages:
            kind, answer = "article", (200, html, outlet.pages[path], {})
        elif path == "/":
            kind, answer = "home", (200, html, outlet.home(), {})
        else:
            kind, answer = "not_found", (404, html, b"<html><body>Not found</body></html>", {})
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return answer


REASONS = {200: "OK", 304: "Not Modified", 404: "Not Found", 400: "Bad Request"}


class _Http(asyncio.Protocol):
    """HTTP/1.1 with keep-alive (GET/HEAD, no request bodies)."""

    def __init__(self, farm: _Farm, index: int) -> None:
        self.farm, self.index, self.buf = farm, index, b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        assert self.transport is not None
        self.buf += data
        while (end := self.buf.find(b"\r\n\r\n")) >= 0:
            head, self.buf = self.buf[:end].decode("latin-1"), self.buf[end + 4 :]
            lines = head.split("\r\n")
            parts = lines[0].split()
            if len(parts) != 3:
                self.transport.close()
                return
            headers = {}
            for line in lines[1:]:
                key, _, value = line.partition(":")
                headers[key.strip().lower()] = value.strip()
            status, ctype, body, extra = self.farm.respond(self.index, parts[1], headers)
            out = [f"HTTP/1.1 {status} {REASONS.get(status, 'OK')}"]
            if ctype:
                out.append(f"Content-Type: {ctype}")
            out.append(f"Content-Length: {len(body)}")
            out += [f"{k}: {v}" for k, v in extra.items()]
            self.transport.write(("\r\n".join(out) + "\r\n\r\n").encode("latin-1"))
            if parts[0] != "HEAD":
                self.transport.write(body)
            if headers.get("connection", "").lower() == "close":
                self.transport.close()
                return


async def _main(n: int, conn: Connection) -> None:
    loop = asyncio.get_running_loop()
    servers: list[asyncio.Server] = []
    for _attempt in range(20):  # one port free on every address
        first = await loop.create_server(asyncio.Protocol, outlet_host(0), 0)
        port = first.sockets[0].getsockname()[1]
        first.close()
        farm = _Farm(n, port)
        try:
            for i in range(n):
                servers.append(
                    await loop.create_server(
                        functools.partial(_Http, farm, i), outlet_host(i), port, backlog=64
                    )
                )
            break
        except OSError:
            for server in servers:
                server.close()
            servers = []
    else:
        conn.send(("error", "no port free on every loopback address"))
        return
    conn.send(("ready", port))
    stopped = asyncio.Event()

    def command() -> None:
        try:
            message = conn.recv()
        except EOFError:
            stopped.set()
            return
        if message[0] == "publish":
            outlet = farm.outlets[message[1]]
            article = outlet.add_article(time.time())
            conn.send((outlet.base + article.path, time.monotonic()))
        elif message[0] == "stats":
            usage = resource.getrusage(resource.RUSAGE_SELF)
            conn.send({**farm.counts, "cpu_s": usage.ru_utime + usage.ru_stime})
        else:
            stopped.set()

    loop.add_reader(conn.fileno(), command)
    await stopped.wait()
    for server in servers:
        server.close()


def _serve(n: int, conn: Connection) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    asyncio.run(_main(n, conn))


class OutletFarm:
    """The handle on the outlet process (start it before any thread of the benchmark)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.port = 0
        self._conn, child = multiprocessing.Pipe()
        self._proc = multiprocessing.get_context("fork").Process(
            target=_serve, args=(n, child), name="capacity-outlets", daemon=True
        )

    def start(self, timeout: float = 120.0) -> OutletFarm:
        self._proc.start()
        if not self._conn.poll(timeout):
            self.stop()
            raise RuntimeError(f"the outlet process did not start within {timeout:.0f}s")
        kind, value = self._conn.recv()
        if kind != "ready":
            self.stop()
            raise RuntimeError(f"the outlet process failed: {value}")
        self.port = int(value)
        return self

    @property
    def pid(self) -> int:
        return self._proc.pid or 0

    def base_url(self, i: int) -> str:
        return f"http://{outlet_host(i)}:{self.port}"

    def _ask(self, *message: Any) -> Any:
        self._conn.send(message)
        if not self._conn.poll(30):
            raise RuntimeError("the outlet process does not answer")
        return self._conn.recv()

    def publish(self, i: int) -> tuple[str, float]:
        """A new article on outlet i: its URL and the moment (``time.monotonic``) it appeared."""
        url, at = self._ask("publish", i)
        return str(url), float(at)

    def stats(self) -> dict[str, float]:
        return dict(self._ask("stats"))

    def stop(self) -> None:
        if self._proc.is_alive():
            with contextlib.suppress(OSError):
                self._conn.send(("stop",))
            self._proc.join(10)
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join(5)
