"""A passing outage told once each way, whatever the number of attempts in between."""

from __future__ import annotations

import logging

import pytest

from alerts.outage import Outage


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def told(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]


def test_one_warning_down_one_line_up_with_the_duration(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    clock = Clock()
    outage = Outage("the database", logging.getLogger("t"), clock=clock)
    outage.ok()  # nothing to tell
    for _ in range(7):
        outage.failed("connection refused", "heartbeat")
        clock.now += 1
    outage.ok()
    outage.ok()
    assert told(caplog) == [
        "the database is unreachable (heartbeat): connection refused; retrying until it is back",
        "the database is reachable again after 7.0 s (7 failed attempt(s) meanwhile)",
    ]
    debug = [r for r in caplog.records if r.levelno == logging.DEBUG]
    assert len(debug) == 6  # the attempts in between: with -vv


def test_the_outage_began_with_its_first_failed_attempt(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    outage = Outage("the database", logging.getLogger("t"), clock=clock)
    clock.now = 110.0  # an attempt begun at 100 waited ten seconds, then failed
    outage.failed("timeout", began=100.0)
    clock.now = 112.5
    outage.ok()
    assert told(caplog)[-1].startswith("the database is reachable again after 12.5 s")


def test_a_failure_begun_before_the_last_success_tells_nothing_new(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    outage = Outage("the database", logging.getLogger("t"), clock=clock)
    outage.failed("refused", began=99.0)
    clock.now = 105.0
    outage.ok()  # back
    outage.failed("refused", began=101.0)  # a slow attempt from the outage, reported late
    assert not outage.ongoing
    assert len(told(caplog)) == 2
    outage.failed("refused again", began=106.0)  # a new outage
    assert outage.ongoing and len(told(caplog)) == 3
