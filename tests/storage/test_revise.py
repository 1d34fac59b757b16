"""Cleaning stored articles again when their source's boilerplate grows: the text, its link
spans and its search entry change; alerts not sent yet follow the new text; nothing new is
enqueued and nothing sent is touched."""

from __future__ import annotations

from storage import AlertDraft, Storage
from tests.storage.conftest import article

NOW = 1_000_000.0
BODY = "Ferry tariffs agreed in Aktau.\nSpecial project: Azerbaijan desk"


def test_recent_texts_newest_first_with_their_link_spans(store: Storage) -> None:
    for n in range(3):
        store.save_article(article(n, text=f"Text {n} with a link", linked=((7, 13),)))
    store.save_article(article(9, source="wire"))
    recent = store.recent_texts("herald", 2)
    assert [r.text for r in recent] == ["Text 2 with a link", "Text 1 with a link"]
    assert recent[0].linked == ((7, 13),) and recent[0].title == "Title 2"
    assert store.recent_texts("nobody", 5) == []


def test_revise_withdraws_waiting_alerts_that_no_longer_match(store: Storage) -> None:
    saved = store.save_article(
        article(1, text=BODY),
        alerts=[
            AlertDraft("#caucasus", ("azerbaijan",), "Azerbaijan desk"),
            AlertDraft("#ports", ("ferry",)),
        ],
    )
    assert saved.article_id is not None
    withdrawn = store.revise_article(
        saved.article_id,
        text="Ferry tariffs agreed in Aktau.",
        fingerprint="fp-new",
        linked=(),
        alerts=[AlertDraft("#ports", ("ferry", "aktau"), "Ferry tariffs")],
    )
    assert withdrawn == 1
    (left,) = store.due_alerts(NOW)
    assert (left.channel, left.rules, left.snippet) == (
        "#ports",
        ("ferry", "aktau"),
        "Ferry tariffs",
    )
    stored = store.article(saved.article_id)
    assert stored is not None and stored.text == "Ferry tariffs agreed in Aktau."
    assert stored.fingerprint == "fp-new"
    assert store.search("Azerbaijan").hits == ()
    assert [h.id for h in store.search("Aktau").hits] == [saved.article_id]


def test_revise_never_touches_a_sent_alert_nor_adds_one(store: Storage) -> None:
    saved = store.save_article(
        article(1, text=BODY), alerts=[AlertDraft("#caucasus", ("azerbaijan",))]
    )
    assert saved.article_id is not None
    (alert,) = store.due_alerts(NOW)
    assert store.claim_alert(alert.id, now=NOW, lease=60)
    store.mark_sent(alert, "1.1", None)
    withdrawn = store.revise_article(
        saved.article_id,
        text="Ferry tariffs agreed in Aktau.",
        fingerprint=None,
        linked=((0, 5),),
        alerts=[AlertDraft("#ports", ("ferry",))],
    )
    assert withdrawn == 0 and store.due_alerts(NOW) == []
    assert store.alert_counts().sent == 1
    (recent,) = store.recent_texts("herald", 1)
    assert recent.linked == ((0, 5),)
