"""Apprise destinations through the real Apprise client: a JSON hook and an SMTP server on
127.0.0.1 stand in for the services; the outbox, the dispatcher and the store are the real ones."""

from __future__ import annotations

import email
import re
import socket
import time
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest

from alerts.destinations import AppriseNotifier
from alerts.dispatcher import Dispatcher
from alerts.formats import HTML, MARKDOWN, TEXT, render
from alerts.messages import AlertMessage, build_message
from storage import AlertDraft, NewArticle, PostDraft
from storage.sqlite import SQLiteStore
from tests.hook_standin import HookStandIn
from tests.test_dispatcher import FakeClock

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4  # the chart's bytes, checked on arrival


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore.open(tmp_path / "alerts.db")
    yield s
    s.close()


@pytest.fixture(scope="module")
def hook() -> Iterator[HookStandIn]:
    with HookStandIn() as standin:
        yield standin


@pytest.fixture
def fresh(hook: HookStandIn) -> HookStandIn:
    hook.posted.clear()
    hook.statuses.clear()
    hook.hold_at = None
    return hook


def add(
    store: SQLiteStore,
    n: int,
    channel: str = "desk",
    *,
    source: str = "steppe-herald",
    fingerprint: str | None = None,
    language: str = "en",
    snippet: str = "*Azerbaijan* joins the summit",
) -> int:
    result = store.save_article(
        NewArticle(
            url=f"https://{source}.test/{n}/",
            source=source,
            title=f"Story {n}",
            text=f"Azerbaijan article number {n}",
            fingerprint=fingerprint or f"fp{n}",
            language=language,
        ),
        alerts=(AlertDraft(channel, ("azerbaijan",), snippet),),
    )
    assert result.alert_ids
    return result.alert_ids[0]


def dispatcher(
    store: SQLiteStore,
    urls: dict[str, str],
    clock: FakeClock,
    *,
    attempts: int = 5,
    max_per_hour: int | None = None,
) -> Dispatcher:
    return Dispatcher(
        store,
        AppriseNotifier(urls),
        threadless=list(urls),
        attempts=dict.fromkeys(urls, attempts),
        max_per_hour=max_per_hour,
        clock=clock.time,
        sleep=clock.sleep,
    )


def test_failing_hook_is_retried_with_backoff_and_delivered_once(
    store: SQLiteStore, fresh: HookStandIn
) -> None:
    alert_id = add(store, 1)
    fresh.statuses = [500, 500]
    clock = FakeClock()
    report = dispatcher(store, {"desk": fresh.url()}, clock).drain(60)
    assert report.sent == [alert_id]
    assert [p.status for p in fresh.posted] == [500, 500, 200]
    assert len(fresh.delivered()) == 1
    body = fresh.delivered()[0].message
    assert "[Story 1](https://steppe-herald.test/1/)" in body and "azerbaijan" in body
    row = store.db.execute("SELECT status, attempts, last_error FROM alerts").fetchone()
    assert tuple(row) == ("sent", 3, None)
    assert clock.slept >= 2 + 4  # the backoff between the tries
    (state,) = store.delivery_states()
    assert state.channel == "desk" and state.last_ok_at is not None
    assert "error=500" in (state.last_error or "")  # the hook's answer, per destination


def test_dead_letter_after_the_destinations_attempts(
    store: SQLiteStore, fresh: HookStandIn
) -> None:
    add(store, 1)
    fresh.statuses = [503] * 3
    report = dispatcher(store, {"desk": fresh.url()}, FakeClock(), attempts=3).drain(600)
    assert len(report.dead) == 1 and not fresh.delivered()
    status, error = store.db.execute("SELECT status, last_error FROM alerts").fetchone()
    assert status == "dead"
    assert error.startswith("gave up after 3 attempts: desk (JSON): ") and "503" in error


def test_digest_and_one_follow_up_per_story_and_hour(
    store: SQLiteStore, fresh: HookStandIn
) -> None:
    """Past max_per_hour the hour's alerts wait for one digest; the later copies of a story,
    which a hook cannot thread, go out as one follow-up when the hour ends."""
    clock = FakeClock()
    clock.now = 3600 * (int(time.time()) // 3600) + 60  # early in a clock hour
    first = add(store, 1, fingerprint="same")
    d = dispatcher(store, {"desk": fresh.url()}, clock, max_per_hour=1)
    assert d.run_once().sent == [first]
    copies = [
        add(store, 2, source="caspian-wire", fingerprint="same"),
        add(store, 3, source="stepnoy-vestnik", fingerprint="same", language="ru"),
    ]
    flooded = [add(store, 4), add(store, 5)]
    report = d.run_once()
    assert sorted(report.held) == sorted(copies + flooded) and len(fresh.posted) == 1
    clock.now += 3600  # the hour ends
    report = d.run_once()
    assert sorted(report.sent) == sorted(copies + flooded) and report.digests == 2
    assert len(fresh.delivered()) == 3
    digest, follow_up = fresh.delivered()[1].message, fresh.delivered()[2].message
    assert "2 more alerts" in digest and "(https://steppe-herald.test/4/)" in digest
    assert "Also reported by caspian-wire, stepnoy-vestnik, in English, Russian" in follow_up
    assert "(https://caspian-wire.test/2/)" in follow_up
    assert "(https://stepnoy-vestnik.test/3/)" in follow_up
    assert "(https://steppe-herald.test/1/)" in follow_up  # the story's first headline
    assert d.run_once().sent == []  # nothing twice


def long_alert(channel: str, snippet_words: int) -> AlertMessage:
    from storage import OutboxAlert

    alert = OutboxAlert(
        id=7,
        article_id=7,
        story_id=7,
        channel=channel,
        rules=("azerbaijan",),
        snippet="*Azerbaijan* " + " ".join(f"word{i}" for i in range(snippet_words)),
        status="pending",
        attempts=0,
        last_error=None,
        url="https://outlet.test/2025/10/28/a-long-story/",
        title="Tokayev Backs Azerbaijan to Join Central Asia-U.S. Summit",
        source="steppe-herald",
        published="2025-10-28",
        language="en",
    )
    return build_message(alert)


@pytest.mark.parametrize(
    ("url", "limit"),
    [
        ("tgram://123456789:abcdefghijABCDEFGHIJabcdefghij12345/-1001234", 4096),
        ("discord://1234567/abcdefghABCDEFGH", 2000),
        ("workflows://prod.example.org:443/wf1234/sig5678", 1000),
    ],
)
def test_length_limits_cut_cleanly_and_keep_the_link(url: str, limit: int) -> None:
    notifier = AppriseNotifier({"t": url})
    assert notifier.limit("t") == limit
    from alerts.destinations import body_format

    fmt = body_format(notifier._plugin("t"))
    message = long_alert("t", 2000)  # a snippet far longer than any of the limits
    body = render(message, fmt, notifier.limit("t"))
    assert len(body.title) + len(body.body) <= limit
    assert "https://outlet.test/2025/10/28/a-long-story/" in body.body.split("\n")[0]
    assert re.sub(r"<[^>]+>", "", body.body).endswith("…") and "word1 " in body.body
    last = body.body.split("\n")[-1]
    assert last.startswith("> ") if fmt == MARKDOWN else last.endswith("</blockquote>")


def test_formats_link_the_headline() -> None:
    message = long_alert("t", 3)
    assert render(message, MARKDOWN, None).body.startswith(
        "**[Tokayev Backs Azerbaijan to Join Central Asia-U.S. Summit](https://outlet.test/"
    )
    html = render(message, HTML, None).body
    assert '<a href="https://outlet.test/2025/10/28/a-long-story/">' in html
    assert "<blockquote><b>Azerbaijan</b> word0 word1 word2</blockquote>" in html
    text = render(message, TEXT, None).body
    assert "(https://outlet.test/2025/10/28/a-long-story/)" in text and "*" not in text


def test_a_digest_too_long_for_the_target_keeps_whole_lines() -> None:
    lines = [f"• <https://outlet.test/{i}/|Story {i}> — outlet" for i in range(100)]
    message = AlertMessage(
        alert_id=1,
        story_id=1,
        channel="t",
        url="",
        title="100 more alerts",
        source="x",
        published=None,
        language=None,
        rules=(),
        snippet="",
        blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}}],
    )
    body = render(message, MARKDOWN, 1000).body
    assert len(body) <= 1000
    kept = body.split("\n")
    assert all(line.endswith("/) — outlet") for line in kept[:-1])
    assert kept[-1].startswith("…") and kept[-1].endswith("more lines left out")


# --- the e-mail briefing ----------------------------------------------------------------------


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_email_briefing_is_html_with_the_chart_inline_and_a_plain_text_part(
    store: SQLiteStore,
) -> None:
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        url = (
            f"mailto://127.0.0.1:{controller.port}/desk@example.org"
            "?from=newsmon@example.org&mode=insecure"
        )
        post_id = store.add_post(
            PostDraft(
                key="briefing:mail:2025-10-28",
                kind="briefing",
                channel="mail",
                subject="mail",
                day="2025-10-28",
                volume=1,
                text="Daily briefing mail 2025-10-28: 1 top story of the last 24 h",
                blocks=(
                    {"type": "header", "text": {"type": "plain_text", "text": "Daily briefing"}},
                    {
                        "type": "section",
                        "text": {
                            "type": "mrkdwn",
                            "text": "• <https://outlet.test/1/|Summit &amp; talks> — 3 outlets",
                        },
                    },
                ),
                filename="mentions-mail-2025-10-28.png",
                file=PNG,
            )
        )
        assert post_id is not None
        report = dispatcher(store, {"mail": url}, FakeClock()).drain(30)
        assert report.posts == 1
    finally:
        controller.stop()
    (mail,) = mailbox.messages
    assert mail["Subject"].startswith("Daily briefing mail 2025-10-28")
    assert mail.get_content_type() == "multipart/related"
    parts = {p.get_content_type(): p for p in mail.walk()}
    html = parts["text/html"].get_payload(decode=True).decode()
    plain = parts["text/plain"].get_payload(decode=True).decode()
    assert '<a href="https://outlet.test/1/">Summit &amp; talks</a>' in html
    assert 'src="cid:mentions-mail-2025-10-28.png"' in html
    assert "Summit & talks" in plain and "<a " not in plain
    image = parts["image/png"]
    assert image["Content-ID"].strip("<>") == "mentions-mail-2025-10-28.png"
    assert image.get_payload(decode=True) == PNG
    assert store.db.execute("SELECT status FROM trend_posts").fetchone()[0] == "sent"


def test_a_briefing_goes_to_a_hook_with_its_chart_attached(
    store: SQLiteStore, fresh: HookStandIn
) -> None:
    import base64

    store.add_post(
        PostDraft(
            key="briefing:desk:2025-10-28",
            kind="briefing",
            channel="desk",
            subject="desk",
            day="2025-10-28",
            volume=0,
            text="Daily briefing desk 2025-10-28: 0 top stories of the last 24 h",
            blocks=({"type": "header", "text": {"type": "plain_text", "text": "Daily briefing"}},),
            filename="mentions-desk-2025-10-28.png",
            file=PNG,
        )
    )
    fresh.statuses = [502]  # the first try fails: the retry sends message and chart together
    clock = FakeClock()
    d = dispatcher(store, {"desk": fresh.url()}, clock)
    assert d.run_once().posts == 0
    clock.now += 2  # the backoff
    assert d.run_once().posts == 1 and len(fresh.posted) == 2
    (posted,) = fresh.delivered()
    (attached,) = posted.body["attachments"]
    assert attached["filename"] == "mentions-desk-2025-10-28.png"
    assert base64.b64decode(attached["base64"]) == PNG
    assert posted.title.startswith("Daily briefing desk 2025-10-28")


def test_a_headline_too_long_for_the_target_keeps_its_link() -> None:
    url = "https://outlet.test/" + "long-path/" * 60
    message = AlertMessage(
        alert_id=1,
        story_id=1,
        channel="t",
        url=url,
        title="x",
        source="x",
        published=None,
        language=None,
        rules=(),
        snippet="",
        blocks=[
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"*<{url}|{'Headline ' * 60}>*"},
            },
            {"type": "section", "text": {"type": "mrkdwn", "text": "> the matched sentence"}},
        ],
    )
    for fmt in (MARKDOWN, HTML, TEXT):
        body = render(message, fmt, 1000).body
        assert url in body and "Headline" not in body


def test_the_parts_apprise_masks_are_taken_out_of_an_answer() -> None:
    from alerts.destinations import _secrets, shown_url

    url = "tgram://123456789:abcdefghijABCDEFGHIJabcdefghij12345/-1001234567"
    secrets = _secrets(url)
    assert "abcdefghijABCDEFGHIJabcdefghij12345" in secrets and "-1001234567" not in secrets
    assert "abcdefghij" not in shown_url(url)
    mail = "mailtos://newsmon:pw-9x@mail.example.org?to=desk@example.org"
    assert _secrets(mail) == ["pw-9x"] and "pw-9x" not in shown_url(mail)


def test_paced_per_destination_and_the_drain_deadline_keeps_the_rest(
    store: SQLiteStore, fresh: HookStandIn
) -> None:
    ids = [add(store, n) for n in range(8)]
    clock = FakeClock()
    start = clock.now
    notifier = AppriseNotifier({"desk": fresh.url()})
    sent_at: list[float] = []
    send = notifier.send

    def timed(message: AlertMessage, thread_ts: str | None) -> str:
        ts = send(message, thread_ts)
        sent_at.append(clock.now)
        return ts

    notifier.send = timed  # type: ignore[method-assign]
    d = Dispatcher(
        store,
        notifier,
        threadless=["desk"],
        intervals={"desk": 2.0},
        clock=clock.time,
        sleep=clock.sleep,
    )
    report = d.drain(5.0)  # a SIGTERM's deadline: five seconds' worth at one per 2 s
    n = len(report.sent)
    assert report.sent == ids[:n] and 3 <= n <= 4 and len(fresh.delivered()) == n
    assert [round(t - start, 1) for t in sent_at] == [0.0, 2.0, 4.0, 6.0][:n]
    pending = store.db.execute("SELECT count(*) FROM alerts WHERE status = 'pending'")
    assert pending.fetchone()[0] == 8 - n  # the rest stays queued for the next run
