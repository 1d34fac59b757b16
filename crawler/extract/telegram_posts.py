"""A Telegram post as an article: the text the archive keeps and the rules read.

The stored text is the post as a reader sees it: the forwarded-from header first, the post's
text (links followed by their URL), the poll question, the link preview (site, title,
description) and a last line naming the media the post carried. The rules never see the
forwarded header (a channel named "Azerbaijan News" forwarding a post does not make it about
Azerbaijan), the links' URLs or the media line: those are ``linked`` spans of the text, kept for
reading and export, like the anchors of related-article links inside a web article.
"""

from __future__ import annotations

from crawler.extract.article import Article, fingerprint
from crawler.extract.embedding import story_text
from crawler.extract.evidence import evidence
from crawler.extract.metadata import detect_language
from crawler.extract.telegram_preview import Post


class _Text:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.hidden: list[tuple[int, int]] = []

    def line(self, text: str, *, hidden: bool = False) -> int:
        if self.parts:
            self.parts.append("\n")
            self.size += 1
        start = self.size
        self.parts.append(text)
        self.size += len(text)
        if hidden:
            self.hidden.append((start, self.size))
        return start

    @property
    def text(self) -> str:
        return "".join(self.parts)


def post_text(post: Post) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The post's stored text and the spans of it the rules do not see."""
    out = _Text()
    if post.forwarded_from:
        out.line(f"Forwarded from {post.forwarded_from}", hidden=True)
    if post.text:
        start = out.line(post.text)
        out.hidden.extend((start + a, start + b) for a, b in post.link_spans)
    question = post.poll_question
    if question and question not in post.text:
        out.line(f"Poll: {question}")
    if post.preview is not None:
        p = post.preview
        head = " — ".join(x for x in (p.site, p.title) if x)
        if head:
            out.line(head)
        if p.description:
            out.line(p.description)
        if p.url not in post.links:
            out.line(p.url, hidden=True)
    if post.media:
        out.line("Media: " + ", ".join(post.media), hidden=True)
    return out.text, tuple(sorted(out.hidden))


def post_article(post: Post) -> Article:
    """The post as an article: permalink, title (first line or sentence), text, signature as
    author, the language of its words."""
    text, hidden = post_text(post)
    visible = "\n".join(
        x
        for x in (post.text, post.poll_question, post.preview.title if post.preview else None)
        if x
    )
    title = post.title
    description = post.preview.description if post.preview else None
    return Article(
        url=post.url,
        title=title,
        text=text,
        author=post.signature,
        published=post.published,
        language=detect_language(None, visible),
        description=description,
        fingerprint=fingerprint(text),
        evidence=evidence(story_text(title, post.text or text, description)),
        linked=hidden,
    )
