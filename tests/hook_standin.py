"""A JSON hook on 127.0.0.1 standing in for an Apprise target (``json://127.0.0.1:PORT/hook``):
it records each message Apprise posts, answers with the statuses it is told to (500 twice, then
200 …), and can hold a request until the test releases it (to kill the sender mid-send)."""

from __future__ import annotations

import json
import select
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Posted:
    path: str
    body: dict[str, Any]
    status: int
    answered: bool = False  # the answer reached a sender still waiting for it

    @property
    def message(self) -> str:
        return str(self.body.get("message", ""))

    @property
    def title(self) -> str:
        return str(self.body.get("title", ""))


class HookStandIn:
    def __init__(self) -> None:
        self.posted: list[Posted] = []
        self.statuses: list[int] = []  # answers to give, in order (then 200)
        self.hold_at: int | None = None  # hold the request with this index (0-based)
        self.held = threading.Event()  # set when that request is being held
        self.release = threading.Event()
        self._lock = threading.Lock()
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with standin._lock:
                    status = standin.statuses.pop(0) if standin.statuses else 200
                    index = len(standin.posted)
                    posted = Posted(self.path, body, status)
                    standin.posted.append(posted)
                if index == standin.hold_at:
                    standin.held.set()
                    while not standin.release.wait(0.05):
                        ready, _, _ = select.select([self.connection], [], [], 0)
                        if ready and not self.connection.recv(1, socket.MSG_PEEK):  # closed
                            return  # the sender is gone: no answer reached it
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'{"ok": true}' if status < 300 else b'{"error": "boom"}')
                    self.wfile.flush()
                    posted.answered = True
                except OSError:
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def url(self, path: str = "/hook") -> str:
        return f"json://127.0.0.1:{self.port}{path}"

    def delivered(self) -> list[Posted]:
        """The messages answered with a success."""
        return [p for p in self.posted if p.answered and p.status < 300]

    def __enter__(self) -> HookStandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def hook() -> Iterator[HookStandIn]:
    with HookStandIn() as standin:
        yield standin
