"""A local HTTP server for fixture outlets (the demo and the tests).

It serves a folder of saved pages on 127.0.0.1, writes its own base URL wherever a page says
``{{BASE}}``, answers conditional GETs (ETag / Last-Modified → 304), and logs every request so a
test can assert what a crawl fetched. Routes can be added or overridden at run time (a new
article appearing, a page turning into a 500).
"""

from __future__ import annotations

import contextlib
import hashlib
import mimetypes
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsmon.demo.local_server import LocalServer

SITE = Path(__file__).parent / "site"
TEXT_TYPES = (
    "text/",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/json",
)


@dataclass
class Route:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    times: int | None = None  # served this many times, then the route underneath answers
    stall_after: int | None = None  # send this many body bytes, then stall for `delay` seconds


@dataclass(frozen=True)
class Hit:
    method: str
    path: str
    status: int
    headers: dict[str, str]
    at: float  # when the response was sent (monotonic)
    started: float = 0.0  # when the request arrived (monotonic)


class OutletServer(LocalServer):
    def __init__(self, root: Path | None = SITE, host: str = "127.0.0.1", port: int = 0) -> None:
        self.root = root
        self.routes: dict[str, list[Route]] = {}
        self.log: list[Hit] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self.started = formatdate(time.time() - 3600, usegmt=True)
        super().__init__(type("Handler", (_Handler,), {"outlet": self}), host, port)

    @property
    def base_url(self) -> str:
        return self.origin

    def url(self, path: str) -> str:
        return self.base_url + path

    def set(
        self,
        path: str,
        body: str | bytes,
        content_type: str = "text/html; charset=utf-8",
        **kw: Any,
    ) -> None:
        """Serve ``body`` at ``path``. With ``times=N`` the route answers N times and then the
        previous route for the path (or the site folder) answers again."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        route = Route(data, content_type, **kw)
        with self._lock:
            stack = self.routes.setdefault(path, [])
            if route.times is None:
                stack.clear()
            stack.append(route)

    def hits(self, prefix: str = "/") -> list[Hit]:
        return [h for h in self.log if h.path.startswith(prefix)]

    def resolve(self, path: str, *, files: bool = True) -> Route | None:
        with self._lock:
            stack = self.routes.get(path)
            if stack:
                route = stack[-1]
                if route.times is not None:
                    route.times -= 1
                    if route.times <= 0:
                        stack.pop()
                return route
        if self.root is None or not files:
            return None
        rel = path.lstrip("/")
        candidates = [rel, rel.rstrip("/") + "/index.html"] if rel else ["index.html"]
        for cand in candidates:
            file = (self.root / cand).resolve()
            if file.is_file() and self.root.resolve() in file.parents:
                ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                if file.suffix == ".xml":
                    ctype = "application/rss+xml" if "feed" in file.name else "application/xml"
                if ctype.startswith("text/") or ctype.endswith("xml"):
                    ctype += "; charset=utf-8"
                return Route(file.read_bytes(), ctype)
        return None


class _Handler(BaseHTTPRequestHandler):
    outlet: OutletServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:
        o = self.outlet
        started = time.monotonic()
        with o._lock:
            o.in_flight += 1
            o.max_in_flight = max(o.max_in_flight, o.in_flight)
        try:
            self._respond(head, started)
        finally:
            with o._lock:
                o.in_flight -= 1

    def _respond(self, head: bool, started: float) -> None:
        o = self.outlet
        parts = urlsplit(self.path)
        path = parts.path
        # a route set for the path with its query (``/news/?page=2``) first, else the path's
        route = (o.resolve(f"{path}?{parts.query}", files=False) if parts.query else None) or (
            o.resolve(path)
        )
        status = 404
        if route is None:
            body, ctype, extra = (
                b"<html><body><h1>Not found</h1></body></html>",
                "text/html; charset=utf-8",
                {},
            )
        else:
            if route.delay and route.stall_after is None:
                time.sleep(route.delay)
            body, ctype, extra, status = (
                route.body,
                route.content_type,
                dict(route.headers),
                route.status,
            )
            if any(ctype.startswith(t) for t in TEXT_TYPES) or "xml" in ctype:
                body = body.replace(b"{{BASE}}", o.base_url.encode())
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if status == 200:
            extra.setdefault("ETag", etag)
            extra.setdefault("Last-Modified", o.started)
            if self.headers.get("If-None-Match") == extra["ETag"] or (
                not self.headers.get("If-None-Match")
                and self.headers.get("If-Modified-Since") == extra["Last-Modified"]
            ):
                status, body = 304, b""
        with o._lock:
            o.log.append(
                Hit(
                    "HEAD" if head else "GET",
                    self.path,
                    status,
                    dict(self.headers),
                    time.monotonic(),
                    started,
                )
            )
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra.items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            # the client may hang up (a size cap, a timeout): its business
            with contextlib.suppress(ConnectionResetError, BrokenPipeError):
                if route is not None and route.stall_after is not None:
                    self.wfile.write(body[: route.stall_after])
                    self.wfile.flush()
                    time.sleep(route.delay)
                    body = body[route.stall_after :]
                self.wfile.write(body)
