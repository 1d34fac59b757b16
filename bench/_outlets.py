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
# Prose from templates whose every few words are drawn at random (names, places, numbers), so
# that articles share few word 5-shingles, as real articles on different topics do.
FIRST = (
    "Aigerim", "Bakhyt", "Dilnoza", "Elnur", "Farida", "Gulnara", "Ilham", "Jamshid", "Kamila",
    "Leyla", "Murat", "Nodira", "Oleg", "Parviz", "Rustam", "Saida", "Timur", "Ulugbek",
    "Vugar", "Zarina", "Arman", "Nino", "Giorgi", "Anahit", "Davit", "Madina", "Sanjar",
)  # fmt: skip
LAST = (
    "Abdullayev", "Beisenova", "Karimov", "Mammadova", "Nurlanov", "Rashidova", "Sadykov",
    "Tursunova", "Yusupov", "Zhakupova", "Aliyev", "Ismoilova", "Kenzhebekov", "Osmonova",
    "Gelashvili", "Hovhannisyan", "Kadyrov", "Safarova", "Ergashev", "Omarova", "Beridze",
)  # fmt: skip
PLACES = (
    "Almaty", "Astana", "Tashkent", "Samarkand", "Bishkek", "Osh", "Dushanbe", "Khujand",
    "Ashgabat", "Baku", "Ganja", "Sumgait", "Tbilisi", "Batumi", "Kutaisi", "Yerevan", "Gyumri",
    "Aktau", "Atyrau", "Shymkent", "Karaganda", "Nukus", "Bukhara", "Fergana", "Namangan",
    "Azerbaijan", "Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Tajikistan", "Georgia", "Armenia",
)  # fmt: skip
ROLES = (
    "minister", "deputy head", "spokeswoman", "chairman", "director", "senior economist",
    "governor", "head of research", "press secretary", "chief engineer", "mayor", "adviser",
)  # fmt: skip
ORGS = (
    "transport ministry", "central bank", "railway company", "port authority", "customs service",
    "statistics agency", "energy regulator", "farmers' union", "chamber of commerce",
    "water agency", "health ministry", "city council", "development bank", "tax committee",
    "teachers' union", "airport operator", "grain board",
)  # fmt: skip
NOUNS = (
    "freight tariffs", "bread prices", "ferry crossings", "grain exports", "gas deliveries",
    "school repairs", "rural roads", "water quotas", "cotton harvests", "rail tickets",
    "border queues", "pension payments", "solar plants", "bus routes", "hospital beds",
    "mobile coverage", "housing loans", "fuel imports", "tourist arrivals", "irrigation canals",
)  # fmt: skip
DONE = (
    "reviewed", "postponed", "expanded", "audited", "halved", "doubled", "renegotiated",
    "suspended", "digitised", "subsidised", "privatised", "capped",
)  # fmt: skip
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
TEMPLATES = (
    "{name}, {role} of the {org} in {place}, said on {day} that {n} {noun} would be {done} "
    "by {month}.",
    "According to the {org}, {noun} in {place} rose {p} percent in {month}, while {noun2} in "
    "{place2} fell {q} percent.",
    "{name} told reporters in {place} that talks with {place2} about {noun} had stalled after "
    "{k} rounds.",
    "The {org} of {place} plans to spend {n} million on {noun} and {noun2} by {year}.",
    "Residents of {place} said on {day} that {noun} had cost them {p} percent more since "
    "{month}, {name} reported.",
    "{name}, {role} in {place2}, warned that {noun} were {done} twice since {year}.",
    "In {place}, {k} companies asked the {org} whether {noun} could be {done} before {month}.",
)


def _sentence(rng: random.Random) -> str:
    return rng.choice(TEMPLATES).format(
        name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        role=rng.choice(ROLES),
        org=rng.choice(ORGS),
        place=rng.choice(PLACES),
        place2=rng.choice(PLACES),
        day=rng.choice(DAYS),
        month=rng.choice(MONTHS),
        noun=rng.choice(NOUNS),
        noun2=rng.choice(NOUNS),
        done=rng.choice(DONE),
        n=rng.randint(12, 4800),
        k=rng.randint(2, 19),
        p=rng.randint(2, 40),
        q=rng.randint(2, 40),
        year=rng.randint(2009, 2031),
    )


def outlet_host(i: int) -> str:
    """The loopback address of outlet i (127.1.0.1, …, 127.1.0.250, 127.1.1.1, …)."""
    return f"127.1.{i // 250}.{1 + i % 250}"


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
        place, noun = rng.choice(PLACES), rng.choice(NOUNS)
        title = f"{place}: {noun} {rng.choice(DONE)}, says {rng.choice(ORGS)}"
        slug = "-".join(f"{place} {noun}".lower().replace("'", "").split())
        paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(5)]
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
