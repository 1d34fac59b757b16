"""One headless Chromium for many pages, driven over the DevTools protocol on a pipe
(``--remote-debugging-pipe``: JSON messages ended by NUL on file descriptors 3 and 4), so a test
opens several pages for the price of one browser start. Any fetch beyond loopback fails."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shlex
import shutil
import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class Chromium:
    def __init__(self, profile: Path, width: int = 1200, height: int = 1000) -> None:
        assert CHROMIUM is not None
        self.size = (width, height)
        to_browser, self._to = os.pipe()
        self._from, from_browser = os.pipe()
        args = [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--remote-debugging-pipe",
            f"--user-data-dir={profile}",
            "--proxy-server=http://127.0.0.1:9",  # loopback is reached directly, nothing else
            "about:blank",
        ]
        shell = f"exec {shlex.join(args)} 3<&{to_browser} 4>&{from_browser}"
        profile.mkdir(parents=True, exist_ok=True)
        with (profile.parent / "chromium.log").open("wb") as log:
            self.proc = subprocess.Popen(
                ["bash", "-c", shell],  # dash reads one-digit descriptors only
                pass_fds=(to_browser, from_browser),
                stdout=log,
                stderr=log,
            )
        os.close(to_browser)
        os.close(from_browser)
        self._next = 0
        self._buffer = b""
        self.events: list[dict[str, Any]] = []

    def __enter__(self) -> Chromium:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        with contextlib.suppress(OSError, RuntimeError):
            self.call("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to)
        os.close(self._from)

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise RuntimeError("Chromium did not answer in time")
            chunk = os.read(self._from, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed its pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)  # type: ignore[no-any-return]

    def call(
        self, method: str, session: str | None = None, timeout: float = 20, **params: Any
    ) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self._read(deadline)
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})  # type: ignore[no-any-return]
            self.events.append(answer)

    def _wait_event(self, method: str, session: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method and event.get("sessionId") == session:
                    del self.events[i]
                    return
            self.events.append(self._read(deadline))

    def open(self, url: str, ready: str = "true", timeout: float = 10) -> tuple[str, bytes]:
        """The page at ``url`` once loaded and ``ready`` (a JavaScript expression) holds: its
        DOM as HTML, and a PNG screenshot of its top."""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        width, height = self.size
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.call("Page.enable", session)
        self.call("Page.navigate", session, url=url)
        self._wait_event("Page.loadEventFired", session, timeout)
        deadline = time.monotonic() + timeout
        while not self._eval(session, ready):
            if time.monotonic() > deadline:
                break  # the caller's checks on the DOM say what is missing
            time.sleep(0.05)
        dom = str(self._eval(session, "document.documentElement.outerHTML"))
        shot = base64.b64decode(self.call("Page.captureScreenshot", session, format="png")["data"])
        self.call("Target.closeTarget", targetId=target)
        return dom, shot

    def _eval(self, session: str, expression: str) -> Any:
        result = self.call("Runtime.evaluate", session, expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")
