"""The Slack stand-in's file uploads, the three steps ``files_upload_v2`` takes, checked the way
Slack checks them: ``files.getUploadURLExternal`` (a file name and a positive length), the bytes
POSTed to the URL it returned (exactly the announced length), ``files.completeUploadExternal``
(uploaded files only, once, into a channel that exists)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Uploaded:
    """A file shared through the three upload steps, as Slack would hold it."""

    file_id: str
    filename: str
    length: int  # as announced in files.getUploadURLExternal
    content: bytes = b""
    title: str | None = None
    channel_id: str | None = None  # set by files.completeUploadExternal
    initial_comment: str | None = None
    thread_ts: str | None = None
    completed: bool = False


class FileUploadHandler:
    """The upload endpoints of the stand-in's request handler."""

    standin: Any
    headers: Any
    path: str
    rfile: Any

    def _send(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        raise NotImplementedError

    def _reply_text(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
        raise NotImplementedError

    def _upload(self) -> None:
        """Step 2 of a file upload: the bytes, POSTed to the URL step 1 returned."""
        s = self.standin
        file_id = urlsplit(self.path).path.rsplit("/", 1)[-1]
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else b""
        s.calls.append(("upload", time.monotonic()))
        upload = s.uploads.get(file_id)
        if upload is None:
            self._reply_text(404, "unknown upload URL")
            return
        if len(data) != upload.length:  # Slack refuses a body that is not the announced size
            self._reply_text(400, f"expected {upload.length} bytes, got {len(data)}")
            return
        upload.content = data
        self._reply_text(200, f"OK - {len(data)}")

    def _get_upload_url(self, args: dict[str, Any]) -> None:
        s = self.standin
        filename = args.get("filename")
        try:
            length = int(args.get("length") or 0)
        except (TypeError, ValueError):
            length = 0
        if not filename or length <= 0:
            self._send(200, {"ok": False, "error": "invalid_arguments"})
            return
        with s._lock:
            s._seq += 1
            file_id = f"F{s._seq:09d}"
            s.uploads[file_id] = Uploaded(file_id, str(filename), length)
        self._send(
            200,
            {"ok": True, "upload_url": f"{s.origin}/upload/v1/{file_id}", "file_id": file_id},
        )

    def _complete_upload(self, args: dict[str, Any]) -> None:
        s = self.standin
        try:
            files = json.loads(args.get("files") or "[]")
        except ValueError:
            files = None
        if not isinstance(files, list) or not files:
            self._send(200, {"ok": False, "error": "invalid_arguments"})
            return
        channel_id = args.get("channel_id")
        if channel_id and s.channel_named(str(channel_id)) is None:
            self._send(200, {"ok": False, "error": "channel_not_found"})
            return
        done = []
        for item in files:
            upload = s.uploads.get(str(item.get("id")))
            if upload is None or upload.completed:
                self._send(200, {"ok": False, "error": "file_not_found"})
                return
            if len(upload.content) != upload.length:  # step 2 never happened
                self._send(200, {"ok": False, "error": "file_upload_incomplete"})
                return
            done.append((upload, item.get("title")))
        for upload, title in done:
            upload.title = title or upload.filename
            upload.channel_id = channel_id or None
            upload.initial_comment = args.get("initial_comment") or None
            upload.thread_ts = args.get("thread_ts") or None
            upload.completed = True
        self._send(
            200,
            {
                "ok": True,
                "files": [{"id": u.file_id, "title": u.title, "name": u.filename} for u, _ in done],
            },
        )
