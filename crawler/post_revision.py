"""An edited Telegram post seen again: its stored text revised like a revised article.

The alerts it already has are left alone once sent, follow the new text while they wait, and
a channel gets an alert of the post only if a rule for it newly matches (never a second one).
"""

from __future__ import annotations

from collections.abc import Sequence

from crawler.items import ArticleItem
from crawler.matching import Matched, Matcher
from storage import AlertDraft, Storage

# ``urls`` key prefix under which a post remembers the article it links to (never a URL key
# of a page: is_known() is never asked for it), so that the article, stored later, joins the
# post's story
LINKED_KEY = "linked-from-post:"


def revise_post(
    store: Storage,
    matcher: Matcher,
    item: ArticleItem,
    drafts: Sequence[AlertDraft],
    matched: Matched,
) -> str:
    """``revised`` (text changed and stored), ``unchanged`` or ``missing`` (not stored)."""
    art = item.article
    stored = store.article_by_url(art.url)
    if stored is None:
        return "missing"
    if stored.fingerprint == art.fingerprint and stored.title == art.title:
        return "unchanged"
    store.revise_article(
        stored.id,
        text=art.text,
        fingerprint=art.fingerprint,
        linked=art.linked,
        alerts=drafts,
        mentions=matched.mentions,
        looked_for=matcher.subjects,
        title=art.title,
        enqueue=True,
    )
    return "revised"
