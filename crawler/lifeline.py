"""Child processes that end with the process they work for, so that a crawl or an engine killed
outright (SIGKILL, the out-of-memory killer) leaves none of its processes behind.

On Linux a child asks the kernel for a signal when its parent ends (``PR_SET_PDEATHSIG``). The
kernel sends it when the *thread* that started the child ends, so a parent with threads starts
such children from a thread that lives as long as it does. A process that is not its owner's own
child (an extraction worker: multiprocessing's fork server forks it) also watches its owner
through a pidfd, which ends with the whole process. Elsewhere all of this does nothing.
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _libc_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


# looked up once, here: a child between fork and exec should not load libraries
_prctl = _libc_prctl()


def _stat(pid: int) -> tuple[int, int] | None:
    """The parent pid and start time (clock ticks after boot) of a process, or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), int(fields[19])  # fields 4 and 22 of proc(5)


@dataclass(frozen=True)
class Owner:
    """The process a child works for; its start time tells it from a later process that got
    the same pid."""

    pid: int
    started: int | None

    @classmethod
    def this_process(cls) -> Owner:
        stat = _stat(os.getpid())
        return cls(os.getpid(), stat[1] if stat else None)

    def alive(self) -> bool:
        stat = _stat(self.pid)
        return stat is not None and stat[1] == self.started


def signal_on_parent_death(sig: int) -> bool:
    """Have the kernel send ``sig`` to this process when its parent ends (Linux only)."""
    return _prctl is not None and _prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0


def die_with_parent(parent: int, sig: int = signal.SIGKILL) -> None:
    """In a child of ``parent``, first thing: ``sig`` when the parent ends, and now if it has
    already ended (the child was handed on to another parent before it asked)."""
    if signal_on_parent_death(sig) and os.getppid() != parent:
        os.kill(os.getpid(), sig)


def die_with_owner(owner: Owner, sig: int = signal.SIGKILL) -> None:
    """In a process started for ``owner``, by the owner itself or by a helper process of the
    owner's (a process pool's ``initializer``): ``sig`` when the owner or that helper ends."""
    if _prctl is None or _stat(os.getpid()) is None:
        return
    parent = os.getppid()
    signal_on_parent_death(sig)
    # a parent that ended before the signal was asked for has handed this process on (to init)
    if os.getppid() != parent or not _started_by(parent, owner.pid):
        os.kill(os.getpid(), sig)
    if parent != owner.pid:
        _watch(owner, sig)


def _started_by(pid: int, owner: int) -> bool:
    if pid == owner:
        return True
    stat = _stat(pid)
    return stat is not None and stat[0] == owner


def _watch(owner: Owner, sig: int) -> None:
    """``sig`` to this process once ``owner`` ends (a thread waiting on a pidfd; where there is
    none, one looking every second)."""
    pidfd: int | None
    try:
        pidfd = os.pidfd_open(owner.pid)
    except (AttributeError, OSError):  # gone, or no pidfd here (Linux before 5.3)
        pidfd = None
    if not owner.alive():  # gone, or its pid taken by another process
        os.kill(os.getpid(), sig)
        return
    threading.Thread(
        target=_end_with, args=(owner, pidfd, sig), name="newsmon-lifeline", daemon=True
    ).start()


def _end_with(owner: Owner, pidfd: int | None, sig: int) -> None:
    if pidfd is not None:
        waiting = select.poll()
        waiting.register(pidfd, select.POLLIN)
        waiting.poll()  # readable once the owner has ended
    else:
        while owner.alive():
            time.sleep(1.0)
    os.kill(os.getpid(), sig)
