"""Listing pages on saved pages of real CMS shapes: pagination by structure, "load more"
endpoints, fragment responses (spiders.listings, spiders.pagination; no network)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from spiders.listings import ListingLinks, fragment_links, listing_links

LISTINGS = Path(__file__).parent / "fixtures" / "listings"


def page(name: str) -> str:
    return (LISTINGS / name).read_text(encoding="utf-8")


# fixture, the page's URL, the section's path, next_pages, fragments, articles
CASES = {
    "joomla-ru.html": (
        "https://www.ca-news.test/ru/politika",
        "/ru/politika",
        [
            "https://www.ca-news.test/ru/politika?start=20",
            "https://www.ca-news.test/ru/politika?start=40",
            "https://www.ca-news.test/ru/politika?start=60",
            "https://www.ca-news.test/ru/politika?start=80",
            "https://www.ca-news.test/ru/politika?start=460",
        ],
        [],
        [
            "https://www.ca-news.test/ru/politika/48213-tokaev-i-mirziyoev-obsudili-vodnye-resursy",
            "https://www.ca-news.test/ru/politika/48207-baku-i-astana-dogovorilis-o-tranzite-cherez-kaspiy",
            "https://www.ca-news.test/ru/politika/48199-parlament-kyrgyzstana-prinyal-zakon-o-smi",
            "https://www.ca-news.test/ru/politika/48190-vybory-v-gruzii-itogi",
            "https://www.ca-news.test/ru/politika/48185-armeniya-i-azerbaydzhan-prodolzhat-peregovory",
            "https://www.ca-news.test/ru/ekonomika/48211-tenge-ukrepilsya-k-dollaru",
            "https://www.ca-news.test/ru/sport/48205-sbornaya-kazakhstana-vyshla-v-final",
            "https://www.ca-news.test/ru/sport/48201-dzhudo-chempionat-azii-2025",
        ],
    ),
    # page 3 of 10: the earlier pages (the first one without ?start) are not followed again
    "joomla-uz.html": (
        "https://xabar.test/uz/siyosat?start=40",
        "/uz/siyosat",
        [
            "https://xabar.test/uz/siyosat?start=60",
            "https://xabar.test/uz/siyosat?start=80",
            "https://xabar.test/uz/siyosat?start=180",
        ],
        [],
        [
            "https://xabar.test/uz/siyosat/31877-prezident-qozogiston-bilan-suv-masalasini-muhokama-qildi",
            "https://xabar.test/uz/siyosat/31870-ozbekiston-va-ozarbayjon-transport-yolagi-boyicha-kelishdi",
            "https://xabar.test/uz/sport/31866-futbol-terma-jamoa-osiyo-kubogida",
        ],
    ),
    "bitrix-ru.html": (
        "https://kaznews.test/news/politics/",
        "/news/politics",
        [
            "https://kaznews.test/news/politics/?PAGEN_1=2",
            "https://kaznews.test/news/politics/?PAGEN_1=3",
            "https://kaznews.test/news/politics/?PAGEN_1=4",
            "https://kaznews.test/news/politics/?PAGEN_1=5",
            "https://kaznews.test/news/politics/?PAGEN_1=87",
        ],
        [],
        [
            "https://kaznews.test/news/politics/118230/",
            "https://kaznews.test/news/politics/118227/",
            "https://kaznews.test/news/politics/118219/",
            "https://kaznews.test/news/economy/118225/",
            "https://kaznews.test/news/sport/118221/",
        ],
    ),
    # 0-based: ?page=0 is this page, ?page=1 the second
    "drupal-kk.html": (
        "https://egemen.test/kk/sayasat",
        "/kk/sayasat",
        [
            "https://egemen.test/kk/sayasat?page=1",
            "https://egemen.test/kk/sayasat?page=2",
            "https://egemen.test/kk/sayasat?page=3",
            "https://egemen.test/kk/sayasat?page=41",
        ],
        [],
        [
            "https://egemen.test/kk/sayasat/tokaev-azerbaijan-kazakstan-odagyn-nygaitu-turaly",
            "https://egemen.test/kk/node/52871",
            "https://egemen.test/kk/sayasat/ortalyq-aziia-elderi-kaspii-arkyly-zhuk-tasymaldau-kelisimi",
            "https://egemen.test/kk/ekonomika/ulttyk-bank-bazalyk-mölsherlemeni-ozgertpedi",
            "https://egemen.test/kk/sport/kazakstan-kurama-komandasy-finalga-shykty",
        ],
    ),
    "wordpress-uz.html": (
        "https://daryo.test/uz/category/siyosat/",
        "/uz/category/siyosat",
        [
            "https://daryo.test/uz/category/siyosat/page/2/",
            "https://daryo.test/uz/category/siyosat/page/3/",
            "https://daryo.test/uz/category/siyosat/page/12/",
        ],
        [],
        [
            "https://daryo.test/uz/2025/10/28/mirziyoyev-va-aliyev-transkaspiy-yolagini-muhokama-qildi/",
            "https://daryo.test/uz/2025/10/27/senat-yangi-saylov-kodeksini-tasdiqladi/",
            "https://daryo.test/uz/2025/10/28/ozbekiston-terma-jamoasi-osiyo-kubogida-galaba-qozondi/",
            "https://daryo.test/uz/2025/10/28/dollar-kursi-yana-pasaydi-markaziy-bank/",
        ],
    ),
    # no rel=next, no class naming the pager; page numbers in the path; a "Daha çox" button
    "nextjs-az.html": (
        "https://report.test/news/politics",
        "/news/politics",
        [
            "https://report.test/news/politics/2",
            "https://report.test/news/politics/3",
            "https://report.test/news/politics/4",
        ],
        ["https://report.test/api/news?page=2"],
        [
            "https://report.test/news/politics/azerbaycan-ve-qazaxistan-transkaspi-marsrutunu-genislendirir",
            "https://report.test/news/politics/345678",
            "https://report.test/news/politics/345671",
            "https://report.test/news/economy/neft-qiymetleri-yene-bahalasib-brent-80-dollari-kecib",
            "https://report.test/news/politics/345612",
        ],
    ),
    # infinite scroll; the only way on is the <noscript> link
    "noscript-tg.html": (
        "https://asiaplus.test/tj/news/tajikistan/politics",
        "/tj/news/tajikistan/politics",
        ["https://asiaplus.test/tj/news/tajikistan/politics?page=2"],
        [],
        [
            "https://asiaplus.test/tj/news/tajikistan/politics/20251028/rahmon-va-aliev-dar-dushanbe-mulokot-kardand",
            "https://asiaplus.test/tj/news/tajikistan/politics/20251027/majlisi-namoyandagon-qonuni-navro-qabul-kard",
            "https://asiaplus.test/tj/news/sport/20251026/terma-dastai-tojikiston-ba-nimfinal-rohyob-shud",
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_saved_listing_pages(name: str) -> None:
    url, _, next_pages, fragments, articles = CASES[name]
    links = listing_links(page(name), url)
    assert links.next_pages == next_pages
    assert links.fragments == fragments
    assert links.articles == articles


@pytest.mark.parametrize("name", sorted(CASES))
def test_saved_pages_stay_in_the_section(name: str) -> None:
    url, section, *_ = CASES[name]
    links = listing_links(page(name), url)
    here = urlsplit(url)
    assert links.next_pages
    for next_url in links.next_pages:
        parts = urlsplit(next_url)
        assert parts.hostname == here.hostname
        assert parts.path.rstrip("/") == section or parts.path.startswith(section + "/")
        assert not re.search(r"/(tag|tags|author|archive|sport)/", parts.path)
        assert next_url != url


def test_bytes_with_the_page_charset() -> None:
    body = page("bitrix-ru.html").replace("charset=UTF-8", "charset=windows-1251")
    body = body.replace("Қазақша", "Казахский")  # not in windows-1251
    links = listing_links(body.encode("cp1251"), "https://kaznews.test/news/politics/")
    assert links == listing_links(page("bitrix-ru.html"), "https://kaznews.test/news/politics/")
    # a label only readable in the page's charset
    cursor = (
        '<html><head><meta charset="windows-1251"></head><body>'
        '<a href="/news/politics/?cursor=MTE4MTAx">Следующая страница</a></body></html>'
    )
    links = listing_links(cursor.encode("cp1251"), "https://kaznews.test/news/politics/")
    assert links.next_pages == ["https://kaznews.test/news/politics/?cursor=MTE4MTAx"]


def test_shape_alone_without_next_label_or_button() -> None:
    """Numbered path links under hashed class names: the structure is enough."""
    body = page("nextjs-az.html")
    body = re.sub(r'<a href="/news/politics/2" class="sc-b81f3c-2">.*?</a>', "", body, flags=re.S)
    body = re.sub(r"<button .*?</button>", "", body, flags=re.S)
    assert "Növbəti <svg" not in body and 'data-url="/api' not in body
    links = listing_links(body, "https://report.test/news/politics")
    assert links.next_pages == [
        "https://report.test/news/politics/2",
        "https://report.test/news/politics/3",
        "https://report.test/news/politics/4",
    ]
    assert links.fragments == []


def test_drupal_zero_based_without_rel_next() -> None:
    body = re.sub(
        r'<li class="pager__item pager__item--next">.*?</li>',
        "",
        page("drupal-kk.html"),
        flags=re.S,
    )
    assert 'rel="next"' not in body
    links = listing_links(body, "https://egemen.test/kk/sayasat")
    assert links.next_pages == [
        "https://egemen.test/kk/sayasat?page=1",
        "https://egemen.test/kk/sayasat?page=2",
        "https://egemen.test/kk/sayasat?page=3",
        "https://egemen.test/kk/sayasat?page=41",
    ]


def test_one_based_first_page_is_the_current_page() -> None:
    html = """<div class="pages"><a href="?pg=1">1</a> <a href="?pg=2">2</a>
      <a href="?pg=3">3</a> <a href="?pg=2">›</a></div>"""
    links = listing_links(html, "https://x.test/kk/news")
    assert links.next_pages == ["https://x.test/kk/news?pg=2", "https://x.test/kk/news?pg=3"]


def test_middle_page_goes_forward_only() -> None:
    html = """<html><body><div class="c-7fa">
      <a href="/news/politics">1</a><a href="/news/politics/2">2</a><span>3</span>
      <a href="/news/politics/4">4</a><a href="/news/politics/5">5</a>
      <a href="/news/politics/3">3</a><a href="/news/politics/4">Кейинги</a></div></body></html>"""
    links = listing_links(html, "https://x.test/news/politics/3")
    assert links.next_pages == ["https://x.test/news/politics/4", "https://x.test/news/politics/5"]


@pytest.mark.parametrize(
    ("href", "followed"),
    [
        ("/uz/siyosat/page/2/", True),
        ("/uz/siyosat/page-2.html", True),
        ("/uz/siyosat/p2", True),
        ("/uz/siyosat/страница-2/", True),
        ("/uz/siyosat/bet/2", True),
        ("/uz/siyosat/sahifa/2", True),
        ("/uz/siyosat/sehife/2", True),
        ("/uz/siyosat/?sayfa=2", True),
        ("/uz/siyosat?limitstart=20", True),
        ("/uz/siyosat/tag/2", False),
        ("/uz/siyosat/video/2", False),
        ("/uz/siyosat/2", False),  # a lone bare number: no block, no label, no structure
        ("/uz/sport/page/2/", False),
        ("/uz/siyosat?year=2024", False),
    ],
)
def test_page_spellings_alone(href: str, followed: bool) -> None:
    html = f'<html><body><p>Sahifalar: <a href="{href}">2</a></p></body></html>'
    links = listing_links(html, "https://x.test/uz/siyosat/")
    assert links.next_pages == ([f"https://x.test{href}"] if followed else [])


def test_any_parameter_name_by_structure_not_years() -> None:
    html = """<html><body>
      <div class="list-nav"><b>1</b> <a href="/az/siyaset?o=2">2</a> <a href="/az/siyaset?o=3">3</a>
        <a href="/az/siyaset?o=9">9</a></div>
      <div class="calendar"><a href="/az/siyaset?il=2024">2024</a> <a href="/az/siyaset?il=2025">2025</a></div>
      <ul class="years"><li><a href="/az/siyaset/2023">2023</a></li><li><a href="/az/siyaset/2024">2024</a></li></ul>
    </body></html>"""
    links = listing_links(html, "https://x.test/az/siyaset")
    assert links.next_pages == [
        "https://x.test/az/siyaset?o=2",
        "https://x.test/az/siyaset?o=3",
        "https://x.test/az/siyaset?o=9",
    ]


def test_noscript_is_a_pager_signal() -> None:
    inside = '<html><body><noscript><a href="?n=2">2</a></noscript></body></html>'
    outside = '<html><body><p><a href="?n=2">2</a></p></body></html>'
    assert listing_links(inside, "https://x.test/ky/news").next_pages == [
        "https://x.test/ky/news?n=2"
    ]
    assert listing_links(outside, "https://x.test/ky/news").next_pages == []


def test_nothing_outside_the_section() -> None:
    html = """<html><head>
      <link rel="next" href="https://other.test/news/politics/?page=2">
      <link rel="next" href="/news/economy/?page=2">
    </head><body>
      <a href="/news/politics/?utm_source=menu">Next</a>
      <a href="/news/politics/index.php">Keyingi</a>
      <nav class="pagination">
        <a href="/news/politics/?page=1">1</a>
        <a href="/news/politics/?page=2">2</a>
        <a href="/news/politics/?page=3">3</a>
        <a href="/news/politics/?page=2&amp;sort=popular">2</a>
        <a href="/news/politics/">1</a>
        <a href="/sport/?page=2">2</a>
        <a href="/news/sport/?page=2">2</a>
        <a href="https://other.test/news/politics/?page=2">2</a>
        <a href="https://kun.x.test/news/politics/?page=2">2</a>
        <a href="/tag/baku/?page=2">2</a>
        <a href="/news/politics/tag/2">2</a>
        <a href="/author/ali/page/2/">2</a>
        <a href="/news/politics/author/ali/">Next</a>
        <a href="/archive/2024/">2024</a>
        <a href="/news/economy/">Next</a>
        <a href="/news/politics/?page=2">Next »</a>
        <a href="/news/politics/rss.xml?page=2">RSS</a>
      </nav>
    </body></html>"""
    links = listing_links(html, "https://www.x.test/news/politics/")
    assert links.next_pages == [
        "https://www.x.test/news/politics/?page=2",
        "https://www.x.test/news/politics/?page=3",
    ]
    assert links.fragments == []


def test_labels_are_a_second_signal_only() -> None:
    html = """<html><body>
      <a class="btn" href="/ru/politika/?before=1730000000">Следующая страница →</a>
      <a href="/ru/politika/kratko">Подробнее</a>
      <a href="/ru/ekonomika/">Далее</a>
      <a href="/ru/politika/2025/10/28/prezident-podpisal-zakon-o-smi/">Далее</a>
      <a href="/ru/politika/48213-tokaev-i-mirziyoev-obsudili-vodnye-resursy">Далее →</a>
      <a href="/ru/politika/uz">Ko'proq o'qish</a>
      <a href="/ru/politika/tags/vybory/">Ещё</a>
      <a href="/ru/politika/arkhiv">Архив</a>
    </body></html>"""
    links = listing_links(html, "https://x.test/ru/politika/")
    assert links.next_pages == ["https://x.test/ru/politika/?before=1730000000"]
    assert links.articles == [
        "https://x.test/ru/politika/2025/10/28/prezident-podpisal-zakon-o-smi/",
        "https://x.test/ru/politika/48213-tokaev-i-mirziyoev-obsudili-vodnye-resursy",
    ]


@pytest.mark.parametrize(
    "label",
    ["Next", "Keyingi", "Кейинги", "Növbəti", "sonrakı", "келесі", "Кийинки", "следующая",
     "Навбатӣ", "indiki", "Հաջորդ", "შემდეგი", "»", "›", "→", "Daha çox", "Ещё", "Yana",
     "Koʻproq", "Тағы", "ավելին", "მეტი"],
)  # fmt: skip
def test_next_and_more_labels(label: str) -> None:
    html = f'<html><body><p><a href="/news/?cursor=ab12">{label}</a></p></body></html>'
    assert listing_links(html, "https://x.test/news/").next_pages == [
        "https://x.test/news/?cursor=ab12"
    ]


def test_load_more_endpoints() -> None:
    html = """<html><body>
      <button class="btn js-load-more" data-url="/ajax/news.php?section=politics&amp;page=2">Показать ещё</button>
      <div class="feed" data-next="https://api.x.test/v1/feed?cursor=abc"></div>
      <a href="#" data-load-more="/ru/politika/more/2">…</a>
      <div class="card" data-url="/ru/politika/some-other-endpoint">Аналитика</div>
      <div class="share" data-url="/ru/politika/"><button data-url="/ru/politika/share-endpoint">Ещё</button></div>
      <button class="load-more" data-url="https://other.test/api/news?page=2">Ещё</button>
      <button class="load-more" data-url="/ru/politika/2025/10/28/prezident-podpisal-zakon-o-smi/">Ещё</button>
      <button class="load-more" data-url="true">Ещё</button>
      <button class="load-more" data-url="/ru/politika/">Ещё</button>
    </body></html>"""
    links = listing_links(html, "https://x.test/ru/politika/")
    assert links.fragments == [
        "https://x.test/ajax/news.php?section=politics&page=2",
        "https://api.x.test/v1/feed?cursor=abc",
        "https://x.test/ru/politika/more/2",
    ]
    assert links.next_pages == []


JSON_RESPONSE = {
    "status": "ok",
    "data": {
        "items": [
            {
                "id": 345601,
                "title": "Bakıda Xəzər forumu keçirilib",
                "url": "/news/politics/345601",
                "image": {"src": "https://cdn.report.test/media/2025/10/27/forum.jpg"},
                "category": {"name": "Siyasət", "url": "/news/politics"},
            },
            {
                "id": 345598,
                "title": "Tokayev Bakıya səfər edəcək",
                "links": ["https://report.test/news/politics/tokayev-bakiya-sefer-edecek-noyabrda"],
                "share": "https://www.facebook.com/sharer.php?u=https://report.test/news/politics/345598",
            },
        ],
        "html": '<li><a href="/news/politics/345590">Milli Məclisdə müzakirə</a></li>'
        '<li><a href="/tag/xezer">Xəzər</a></li>',
    },
    "pagination": {"page": 2, "next_url": "/api/news?page=3", "hasMore": True},
}


def test_fragment_links_on_json() -> None:
    links = fragment_links(
        json.dumps(JSON_RESPONSE).encode(),
        "application/json; charset=utf-8",
        "https://report.test/api/news?page=2",
    )
    assert links.articles == [
        "https://report.test/news/politics/345601",
        "https://report.test/news/politics/tokayev-bakiya-sefer-edecek-noyabrda",
        "https://report.test/news/politics/345590",
    ]
    assert links.next_pages == []
    assert links.fragments == ["https://report.test/api/news?page=3"]
    # the same body on a listing URL (the spider may not know it is JSON)
    assert listing_links(json.dumps(JSON_RESPONSE), "https://report.test/api/news?page=2") == links


def test_fragment_links_json_end_and_numbered_next() -> None:
    last = {
        "items": [{"link": "/news/politics/345500"}],
        "next": "/api/news?page=9",
        "has_more": False,
    }
    links = fragment_links(
        json.dumps(last), "application/json", "https://report.test/api/news?page=8"
    )
    assert links == ListingLinks(["https://report.test/news/politics/345500"], [], [])
    numbered = {"posts": [], "nextPage": 5, "meta": {"next": None}, "content": "/news/345499"}
    links = fragment_links(
        json.dumps(numbered), "text/json", "https://report.test/api/v2/posts?lang=az&page=4"
    )
    assert links.fragments == ["https://report.test/api/v2/posts?lang=az&page=5"]
    assert links.articles == ["https://report.test/news/345499"]
    assert (
        fragment_links(b"{not json", "application/json", "https://report.test/api").articles == []
    )


def test_fragment_links_on_html_fragment() -> None:
    """An HTML fragment in the charset its Content-Type names (no <meta> in a fragment)."""
    body = """<div class="news-item"><a href="/news/politics/118101/">Сенат принял закон</a></div>
      <div class="news-item"><a href="/news/politics/118099/">Мажилис одобрил поправки</a>
        <a href="/tags/senat/">сенат</a></div>
      <button data-url="/local/ajax/news.php?PAGEN_1=4&amp;section=politics">Показать ещё</button>"""
    links = fragment_links(
        body.encode("cp1251"),
        "text/html; charset=windows-1251",
        "https://kaznews.test/local/ajax/news.php?PAGEN_1=3&section=politics",
    )
    assert links.articles == [
        "https://kaznews.test/news/politics/118101/",
        "https://kaznews.test/news/politics/118099/",
    ]
    assert links.fragments == [
        "https://kaznews.test/local/ajax/news.php?PAGEN_1=4&section=politics"
    ]
    assert links.next_pages == []


def test_backwards_compatible_and_deterministic() -> None:
    old = ListingLinks(["a"], ["b"])
    assert (old.articles, old.next_pages, old.fragments) == (["a"], ["b"], [])
    assert listing_links("", "https://x.test/") == ListingLinks([], [])
    assert listing_links("<!-- nothing -->", "https://x.test/") == ListingLinks([], [])
    body, url = page("nextjs-az.html"), "https://report.test/news/politics"
    assert listing_links(body, url) == listing_links(body, url)
    # with an article pattern, page links are still pages, not articles (the year links
    # match the pattern: the pattern decides)
    links = listing_links(body, url, re.compile(r"/news/politics/\d+$"))
    assert links.articles == [
        "https://report.test/news/politics/345678",
        "https://report.test/news/politics/345671",
        "https://report.test/news/politics/345612",
        "https://report.test/news/politics/2024",
        "https://report.test/news/politics/2023",
    ]
    assert links.next_pages == CASES["nextjs-az.html"][2]
