"""Learning an outlet's page template by place: the container of its articles, the sidebars and
in-container noise left out whatever they say, linked or not."""

from __future__ import annotations

import random

from lxml import html as lxml_html

from crawler.extract.template import MIN_PAGES, Layout, Template, layout, learn

WORDS = [
    "Baku",
    "port",
    "cargo",
    "ferry",
    "Caspian",
    "corridor",
    "ministry",
    "tariff",
    "grain",
    "wagons",
    "container",
    "terminal",
    "minister",
    "talks",
    "agreement",
    "investment",
    "railway",
    "Aktau",
    "Kuryk",
    "shipping",
    "capacity",
    "freight",
]


def sentence(rnd: random.Random, n: int = 14) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(n)).capitalize() + f" {rnd.randrange(10**6)}."


def page(n: int, headlines: list[str], videos: list[str], paragraphs: list[str]) -> str:
    """A page of a hand-made template: a table layout, few classes, a sidebar of the newest
    headlines with dates, a video box of titles without links, a share bar in the article."""
    latest = "".join(
        f"<div><span>07.12.2026</span> <span>1{i}:00</span> <a href='/n/{i}'>{h}</a></div>"
        for i, h in enumerate(headlines)
    )
    video = "".join(f"<div class='v-item'>{v}</div>" for v in videos)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>Article {n}</title></head><body>"
        "<div id='top'><a href='/'>Home</a> <a href='/politics'>Politics</a></div>"
        "<table><tr>"
        f"<td><h1>Article {n}</h1><div class='date'>07.12.2026 10:{n:02d}</div>"
        f"<div class='txt'>{body}<div class='soc'>Share: Facebook Telegram</div></div></td>"
        f"<td><div><b>Latest news</b>{latest}</div><div><h3>Video</h3>{video}</div></td>"
        "</tr></table><div id='footer'>© Outlet 2026</div></body></html>"
    )


def outlet(pages: int, seed: int = 1) -> tuple[list[Layout], list[list[str]]]:
    """Pages published one after another: each page's sidebar shows the headlines newest when
    it was served — its own headline and ones no other page shows yet among them."""
    rnd = random.Random(seed)
    titles = [f"Azerbaijan headline {i} " + sentence(rnd, 6) for i in range(pages + 12)]
    videos = [f"Video about Azerbaijan {i}" for i in range(pages + 12)]
    layouts, truths = [], []
    for n in range(pages):
        paragraphs = [sentence(rnd) for _ in range(rnd.randint(3, 5))]
        html = page(n, titles[n : n + 10], videos[n // 2 : n // 2 + 8], paragraphs)
        layouts.append(layout(lxml_html.document_fromstring(html)))
        truths.append(paragraphs)
    return layouts, truths


def test_the_container_is_found_and_the_sidebars_are_left_out() -> None:
    layouts, truths = outlet(6)
    template = learn(layouts[:4])
    assert template is not None, "no template learned"
    for page_layout, paragraphs in zip(layouts, truths, strict=True):
        text = template.text_of(page_layout)
        assert text is not None
        assert text.split("\n") == paragraphs  # no headline, no video title, no share bar
        assert "Azerbaijan" not in text


def test_too_few_pages_learn_nothing() -> None:
    layouts, _ = outlet(MIN_PAGES - 1)
    assert learn(layouts) is None


def test_pages_of_different_sites_share_no_template() -> None:
    rnd = random.Random(3)
    shapes = [
        "<html><body><div class='a'><p>{}</p><p>{}</p></div></body></html>",
        "<html><body><main><section id='s'><p>{}</p><p>{}</p></section></main></body></html>",
        "<html><body><table><tr><td><span>{}</span><br>{}</td></tr></table></body></html>",
        "<html><body><article class='x'><div><p>{}</p></div><p>{}</p></article></body></html>",
    ]
    layouts = [
        layout(lxml_html.document_fromstring(s.format(sentence(rnd), sentence(rnd))))
        for s in shapes
    ]
    assert learn(layouts) is None


def test_pages_of_different_sites_alike_in_shape_share_no_template() -> None:
    """Plain nested divs on every page (many sites look like this), nothing repeated."""
    rnd = random.Random(5)
    layouts = [
        layout(
            lxml_html.document_fromstring(
                "<html><body><div><div><p>"
                + "</p><p>".join(sentence(rnd) for _ in range(4))
                + "</p></div><div>"
                + sentence(rnd, 6)
                + "</div></div></body></html>"
            )
        )
        for _ in range(6)
    ]
    assert learn(layouts) is None


def test_a_page_without_the_container_is_not_read_by_the_template() -> None:
    layouts, _ = outlet(5)
    template = learn(layouts)
    assert template is not None
    other = "<html><body><div class='gallery'><p>" + "Photo " * 80 + "</p></div></body></html>"
    assert template.text_of(layout(lxml_html.document_fromstring(other))) is None


def test_a_template_is_data() -> None:
    layouts, _ = outlet(5)
    template = learn(layouts)
    assert template is not None
    again = Template.from_json(template.to_json())
    assert again == template
    assert Template.from_json("{not json") is None
