"""A local stand-in for the Slack Web API, for the demo and the tests.

It answers the calls newsmon makes (``chat.postMessage``, ``chat.update``, ``conversations.history``,
``conversations.replies``, ``conversations.list``, ``auth.test``, and the three steps of a file
upload: ``files.getUploadURLExternal``, the upload to the URL it returns,
``files.completeUploadExternal``) and incoming webhooks (``POST /services/...``) on
127.0.0.1, records every posted message, checks Block Kit limits the way Slack does
(``invalid_blocks``), and can be told to fail: answer 429 with a ``Retry-After``, 5xx, a Slack
error such as ``invalid_auth``, or accept a message and then stall past the client's timeout.
Use it through the real client: ``WebClient(token=..., base_url=standin.base_url)``, or
``WebhookClient(standin.webhook_url("caucasus"))``.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from newsmon.demo.local_server import LocalServer
from newsmon.demo.slack_files import FileUploadHandler, Uploaded


@dataclass
class Fault:
    """One planned misbehaviour, used for the next ``times`` calls of ``method``."""

    status: int = 200
    error: str | None = None  # Slack error code, returned as {"ok": false, "error": ...}
    headers: dict[str, str] = field(default_factory=dict)
    stall: float = 0.0  # seconds to wait before answering
    record: bool = False  # still record the message (a send whose answer is lost)
    times: int = 1
    method: str = "chat.postMessage"


@dataclass
class Posted:
    channel: str
    ts: str
    text: str
    thread_ts: str | None
    blocks: list[dict[str, Any]] | None
    metadata: dict[str, Any] | None
    unfurl_links: Any
    at: float  # time.monotonic() when received
    edits: int = 0  # times it was replaced by chat.update
    via: str = "/api/"  # the path the client called it under (several clients, one stand-in)


_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")


class SlackStandIn(LocalServer):
    def __init__(self, token: str | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.token = token
        self.messages: list[Posted] = []
        self.calls: list[tuple[str, float]] = []
        self.faults: list[Fault] = []
        self._lock = threading.Lock()
        self._seq = 0
        self.uploads: dict[str, Uploaded] = {}  # by file id
        self.channel_ids: dict[str, str] = {}  # channel name (as posted to) → its id
        super().__init__(type("Handler", (_Handler,), {"standin": self}), host, port)

    def channel_id(self, channel: str) -> str:
        """The id Slack gives a channel posted to (an id is its own): the channel exists from
        then on."""
        with self._lock:
            got = self.channel_ids.get(channel)
            if got is None:
                digest = hashlib.sha1(channel.encode()).hexdigest()[:9].upper()
                got = channel if _CHANNEL_ID.match(channel) else "C" + digest
                self.channel_ids[channel] = got
            return got

    def channel_named(self, channel_id: str) -> str | None:
        """The channel with this id, if one was posted to (else Slack's channel_not_found)."""
        with self._lock:
            for name, cid in self.channel_ids.items():
                if cid == channel_id:
                    return name
        return None

    def files(self, channel: str | None = None) -> list[Uploaded]:
        """Files shared (all three steps done), in a channel (by name or id) or anywhere."""
        return [
            f
            for f in self.uploads.values()
            if f.completed
            and (channel is None or f.channel_id in (channel, self.channel_ids.get(channel)))
        ]

    @property
    def base_url(self) -> str:
        return self.origin + "/api/"

    def webhook_url(self, name: str) -> str:
        """An incoming-webhook URL; messages posted to it get the channel ``webhook:<name>``."""
        return self.base_url.replace("/api/", f"/services/T000/B000/{name}")

    def fail(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(fault)

    def top_level(self, channel: str | None = None) -> list[Posted]:
        return [m for m in self.messages if m.thread_ts is None and channel in (None, m.channel)]

    def replies(self, thread_ts: str) -> list[Posted]:
        return [m for m in self.messages if m.thread_ts == thread_ts]

    # -- used by the handler -----------------------------------------------------------------

    def _take_fault(self, method: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.method == method and fault.times > 0:
                    fault.times -= 1
                    if fault.times == 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def _post(self, args: dict[str, Any], via: str = "/api/") -> Posted:
        with self._lock:
            self._seq += 1
            ts = f"{1_700_000_000 + self._seq}.{self._seq:06d}"
            blocks = args.get("blocks")
            if isinstance(blocks, str):
                blocks = json.loads(blocks)
            metadata = args.get("metadata")
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            posted = Posted(
                channel=str(args.get("channel")),
                ts=ts,
                text=str(args.get("text") or ""),
                thread_ts=args.get("thread_ts") or None,
                blocks=blocks,
                metadata=metadata,
                unfurl_links=args.get("unfurl_links"),
                at=time.monotonic(),
                via=via,
            )
            self.messages.append(posted)
            return posted


def block_kit_problem(blocks: Any) -> str | None:
    """What Slack would reject in these blocks (its documented limits), or None."""
    if blocks is None:
        return None
    if not isinstance(blocks, list):
        return "blocks is not a list"
    if len(blocks) > 50:
        return f"{len(blocks)} blocks (max 50)"
    for i, block in enumerate(blocks):
        if not isinstance(block, dict) or "type" not in block:
            return f"block {i} has no type"
        text = block.get("text") or {}
        content = text.get("text", "") if isinstance(text, dict) else ""
        if block["type"] == "header" and len(content) > 150:
            return f"header block {i} text is {len(content)} chars (max 150)"
        if block["type"] == "section" and len(content) > 3000:
            return f"section block {i} text is {len(content)} chars (max 3000)"
        for element in block.get("elements", []) if block["type"] == "context" else []:
            if len(element.get("text", "")) > 3000:
                return f"context block {i} element is too long"
        if block["type"] == "context" and len(block.get("elements", [])) > 10:
            return f"context block {i} has more than 10 elements"
    return None


class _Handler(FileUploadHandler, BaseHTTPRequestHandler):
    standin: SlackStandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def _args(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        args: dict[str, Any] = dict(parse_qsl(urlsplit(self.path).query))
        ctype = (self.headers.get("Content-Type") or "").lower()
        if raw and "json" in ctype:
            args.update(json.loads(raw))
        elif raw:
            args.update(parse_qsl(raw.decode("utf-8")))
        return args

    def _send(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _via(self) -> str:
        path = urlsplit(self.path).path
        return path[: path.rindex("/") + 1]

    def do_GET(self) -> None:
        self.do_POST()

    def _webhook(self) -> None:
        s = self.standin
        name = urlsplit(self.path).path.rsplit("/", 1)[-1]
        s.calls.append(("webhook", time.monotonic()))
        fault = s._take_fault("webhook")
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        if fault is not None:
            if fault.record:
                s._post({**body, "channel": f"webhook:{name}"})
            if fault.stall:
                time.sleep(fault.stall)
            self._reply_text(fault.status, fault.error or "fault", fault.headers)
            return
        problem = block_kit_problem(body.get("blocks"))
        if problem:
            self._reply_text(400, "invalid_blocks")
            return
        if not body.get("text") and not body.get("blocks"):
            self._reply_text(400, "no_text")
            return
        s._post({**body, "channel": f"webhook:{name}"})
        self._reply_text(200, "ok")

    def _reply_text(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        s = self.standin
        if urlsplit(self.path).path.startswith("/services/"):
            self._webhook()
            return
        if urlsplit(self.path).path.startswith("/upload/v1/"):
            self._upload()
            return
        method = urlsplit(self.path).path.rsplit("/", 1)[-1]
        args = self._args()
        s.calls.append((method, time.monotonic()))
        auth = self.headers.get("Authorization") or ""
        token = auth.removeprefix("Bearer ").strip() or args.get("token")
        fault = s._take_fault(method)
        if fault is not None:
            if fault.record and method == "chat.postMessage":
                s._post(args, self._via())
            if fault.stall:
                time.sleep(fault.stall)
            if fault.error:
                self._send(fault.status, {"ok": False, "error": fault.error}, fault.headers)
            else:
                self._send(fault.status, {"ok": False, "error": "fault"}, fault.headers)
            return
        if s.token is not None and token != s.token:
            self._send(200, {"ok": False, "error": "invalid_auth"})
            return
        if method == "auth.test":
            self._send(200, {"ok": True, "team": "newsmon-standin", "user": "newsmon"})
        elif method == "chat.postMessage":
            if not args.get("channel"):
                self._send(200, {"ok": False, "error": "channel_not_found"})
                return
            if not args.get("text") and not args.get("blocks"):
                self._send(200, {"ok": False, "error": "no_text"})
                return
            blocks = args.get("blocks")
            problem = block_kit_problem(json.loads(blocks) if isinstance(blocks, str) else blocks)
            if problem:
                self._send(200, {"ok": False, "error": "invalid_blocks", "detail": problem})
                return
            posted = s._post(args, self._via())
            self._send(
                200,
                {
                    "ok": True,
                    "channel": s.channel_id(posted.channel),
                    "ts": posted.ts,
                    "message": {"text": posted.text, "ts": posted.ts},
                },
            )
        elif method == "chat.update":
            blocks = args.get("blocks")
            problem = block_kit_problem(json.loads(blocks) if isinstance(blocks, str) else blocks)
            if problem:
                self._send(200, {"ok": False, "error": "invalid_blocks", "detail": problem})
                return
            with s._lock:
                found = [
                    m
                    for m in s.messages
                    if m.channel == args.get("channel") and m.ts == args.get("ts")
                ]
                if found:
                    m = found[0]
                    m.text = str(args.get("text") or m.text)
                    m.blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
                    m.edits += 1
            if not found:
                self._send(200, {"ok": False, "error": "message_not_found"})
                return
            self._send(200, {"ok": True, "channel": found[0].channel, "ts": found[0].ts})
        elif method == "conversations.history":
            # like Slack: top-level messages only (thread replies are in conversations.replies)
            channel = args.get("channel")
            msgs = [
                {"ts": m.ts, "text": m.text, "metadata": m.metadata}
                for m in reversed(s.messages)
                if m.channel == channel and m.thread_ts is None
            ]
            self._send(200, {"ok": True, "messages": msgs, "has_more": False})
        elif method == "conversations.replies":
            channel, ts = args.get("channel"), args.get("ts")
            thread = [
                {
                    "ts": m.ts,
                    "text": m.text,
                    "thread_ts": m.thread_ts or m.ts,
                    "metadata": m.metadata,
                }
                for m in s.messages
                if m.channel == channel and (m.ts == ts or m.thread_ts == ts)
            ]
            if not thread:
                self._send(200, {"ok": False, "error": "thread_not_found"})
                return
            self._send(200, {"ok": True, "messages": thread, "has_more": False})
        elif method == "files.getUploadURLExternal":
            self._get_upload_url(args)
        elif method == "files.completeUploadExternal":
            self._complete_upload(args)
        elif method == "conversations.list":
            with s._lock:
                known = list(s.channel_ids.items())
            channels = [{"id": cid, "name": name.lstrip("#")} for name, cid in known]
            self._send(200, {"ok": True, "channels": channels, "response_metadata": {}})
        else:
            self._send(200, {"ok": False, "error": "unknown_method"})
