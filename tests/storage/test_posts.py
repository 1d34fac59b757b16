"""What Telegram posts need of storage, on both backends: an article found by its URL, an
edited post's title and text revised with an alert only for a channel that never had one,
and a post and the article it links to in one story whichever is stored first."""

from __future__ import annotations

from storage import AlertDraft, Storage
from tests.storage.conftest import article

NOW = 1_000_000.0


def test_article_by_url(store: Storage) -> None:
    saved = store.save_article(article(1))
    found = store.article_by_url("https://outlet.test/herald/1")
    assert found is not None and found.id == saved.article_id and found.title == "Title 1"
    assert store.article_by_url("https://outlet.test/herald/2") is None


def test_an_edited_post_is_revised_and_alerts_only_a_channel_it_never_alerted(
    store: Storage,
) -> None:
    saved = store.save_article(
        article(1, text="Ferry news"), alerts=[AlertDraft("#ports", ("ferry",))]
    )
    assert saved.article_id is not None
    (alert,) = store.due_alerts(NOW)
    assert store.claim_alert(alert.id, now=NOW, lease=60)
    store.mark_sent(alert, "1.1", None)
    store.revise_article(
        saved.article_id,
        text="Ferry news. Update: Azerbaijan closes the crossing",
        fingerprint="fp-edited",
        linked=(),
        alerts=[AlertDraft("#ports", ("ferry",)), AlertDraft("#caucasus", ("azerbaijan",))],
        title="Ferry news, updated",
        enqueue=True,
    )
    (new,) = store.due_alerts(NOW)  # #ports had its alert: no second one
    assert (new.channel, new.rules, new.title) == (
        "#caucasus",
        ("azerbaijan",),
        "Ferry news, updated",
    )
    stored = store.article(saved.article_id)
    assert stored is not None and stored.fingerprint == "fp-edited"
    assert [h.id for h in store.search("crossing").hits] == [saved.article_id]
    assert [h.id for h in store.search("title:updated").hits] == [saved.article_id]


def test_a_post_and_its_linked_article_share_a_story_either_way(store: Storage) -> None:
    # the article first, the post naming it later
    web = store.save_article(article(1, story_keys=("linked:web1",)))
    post = store.save_article(
        article(2, source="tg", text="A post", story_keys=("key-of-web-1",)),
        url_keys=("key-of-post-2", "linked:key-of-web-3"),
    )
    assert web.story_id is not None and post.story_id != web.story_id  # key-of-web-1 unknown
    # the post first: the article stored later joins its story through the post's key
    late = store.save_article(article(3, story_keys=("linked:key-of-web-3",)))
    assert late.story_id == post.story_id
    # and a post naming an article stored under its key joins that article's story
    keyed = store.save_article(article(4, text="The article"), url_keys=("key-of-web-4",))
    second = store.save_article(
        article(5, source="tg", text="Another post", story_keys=("key-of-web-4",))
    )
    assert second.story_id == keyed.story_id
