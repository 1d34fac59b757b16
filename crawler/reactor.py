"""One Twisted reactor per process, running in a background thread, so that crawls can run
(and run again) from ordinary synchronous code: the CLI, the daemon's workers, the tests.

Scrapy's own ``CrawlerProcess`` runs the reactor in the main thread and cannot start it twice;
here it starts once, on first use, and lives until the process exits.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
_lock = threading.Lock()
_thread: threading.Thread | None = None


def ensure_reactor() -> Any:
    """The running asyncio reactor (installed and started on first call)."""
    global _thread
    with _lock:
        if _thread is None:
            from scrapy.utils.reactor import is_reactor_installed
            from twisted.internet import asyncioreactor

            if not is_reactor_installed():
                asyncioreactor.install(eventloop=asyncio.new_event_loop())
            from twisted.internet import reactor

            started = threading.Event()
            reactor.callWhenRunning(started.set)
            _thread = threading.Thread(
                target=reactor.run,  # type: ignore[misc]
                kwargs={"installSignalHandlers": False},
                name="newsmon-reactor",
                daemon=True,
            )
            _thread.start()
            started.wait()
        from twisted.internet import reactor

        return reactor


def call_in_reactor(func: Callable[[], Any]) -> Any:
    """Run ``func`` in the reactor thread and wait for its result (a Deferred is waited for)."""
    from twisted.internet.threads import blockingCallFromThread

    return blockingCallFromThread(ensure_reactor(), func)
