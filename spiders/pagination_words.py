"""The words and names that pagination is recognised by, in the outlets' languages (en, ru,
kk, ky, uz Latin and Cyrillic, tg, az, tk, hy, ka): page parameters and path words, "next" and
"load more" labels, pager classes, and the path words that are never pages."""

from __future__ import annotations

import re

from spiders.feeds import NON_HTML_SUFFIXES

# Query parameters that carry a page number or an offset (compared lowercased; plus PAGEN_<n>,
# 1C-Bitrix's per-block parameter). A link that changes only one of these on the current
# page's own path is a page of the section even alone.
PAGE_PARAMS = frozenset(
    {
        "page",
        "p",
        "pg",
        "paged",
        "pagenum",
        "page_num",
        "pagenumber",
        "page_no",
        "pageno",
        "pn",
        "npage",
        "curpage",
        "cpage",
        "pageindex",
        "start",
        "limitstart",
        "offset",
        "from",
        "skip",
        "sayfa",
        "sahifa",
        "sahypa",
        "sehife",
        "bet",
        "str",
        "stranitsa",
        "страница",
        "стр",
        "бет",
    }
)
_PAGEN = re.compile(r"pagen_\d{1,2}")
# Words that name a page in a path: /page/2/, /bet/2, /sahifa/2, /p2, /страница-2/ (lowercased).
PAGE_WORDS = frozenset(
    {
        "page",
        "pages",
        "p",
        "pg",
        "pagina",
        "seite",
        "str",
        "stranitsa",
        "stranica",
        "страница",
        "стр",
        "бет",
        "bet",
        "sahifa",
        "саҳифа",
        "сахифа",
        "sehife",
        "səhifə",
        "sahife",
        "sayfa",
        "sahypa",
        "էջ",
        "ej",
        "გვერდი",
        "gverdi",
    }
)
# Words before a number that make it anything but a page: /tag/2, /news/12345, /archive/2024.
NOT_MARKER_WORDS = frozenset(
    {
        "tag",
        "tags",
        "author",
        "authors",
        "user",
        "users",
        "profile",
        "search",
        "archive",
        "archives",
        "year",
        "month",
        "day",
        "date",
        "id",
        "photo",
        "photos",
        "video",
        "videos",
        "gallery",
        "comment",
        "comments",
        "topic",
        "topics",
        "category",
        "categories",
        "section",
        "rubric",
        "region",
        "person",
        "people",
        "story",
        "news",
        "article",
        "articles",
        "post",
        "posts",
        "node",
        "item",
        "items",
        "amp",
        "print",
    }
)
# Path segments that, after the section's own path, lead out of it (tag/author pages …).
NOT_SECTION_WORDS = frozenset(
    {
        "tag",
        "tags",
        "author",
        "authors",
        "user",
        "users",
        "profile",
        "search",
        "login",
        "register",
        "category",
        "categories",
        "archive",
        "archives",
        "section",
        "topics",
        "topic",
        "print",
        "amp",
        "feed",
        "rss",
        "comments",
    }
)

# Labels (whole label, or its first words) of a link to the next page. Compared lowercased,
# "ё" as "е", every apostrophe as "'", arrows and punctuation around them stripped.
NEXT_WORDS = frozenset(
    {
        # en
        "next",
        "next page",
        "older",
        "older posts",
        "older entries",
        "older news",
        "older articles",
        # ru
        "далее",
        "дальше",
        "следующая",
        "следующая страница",
        "следующие",
        "след",
        "вперед",
        "ранее",
        # kk
        "келесі",
        "келесі бет",
        "әрі қарай",
        "ары қарай",
        "алға",
        # ky
        "кийинки",
        "кийинкиси",
        "кийинки бет",
        "андан ары",
        # uz (Latin, Cyrillic)
        "keyingi",
        "keyingisi",
        "keyingi sahifa",
        "navbatdagi",
        "oldinga",
        "кейинги",
        "кейингиси",
        "кейинги саҳифа",
        "навбатдаги",
        "олдинга",
        # tg
        "баъдӣ",
        "навбатӣ",
        "саҳифаи навбатӣ",
        "саҳифаи баъдӣ",
        "минбаъда",
        # az, tr
        "növbəti",
        "sonrakı",
        "növbəti səhifə",
        "sonrakı səhifə",
        "irəli",
        "sonraki",
        "sonraki sayfa",
        "ileri",
        # tk
        "indiki",
        "indiki sahypa",
        "nobatdaky",
        "öňe",
        # hy
        "հաջորդ",
        "հաջորդը",
        "հաջորդ էջ",
        # ka
        "შემდეგი",
        "შემდეგი გვერდი",
    }
)
# Labels of a "load more" button or link.
MORE_WORDS = frozenset(
    {
        # en
        "more",
        "load more",
        "show more",
        "see more",
        "view more",
        "more news",
        "more articles",
        "more stories",
        # ru
        "еще",
        "показать еще",
        "загрузить еще",
        "больше",
        "показать больше",
        "больше новостей",
        "еще новости",
        # kk
        "тағы",
        "тағы да",
        "көбірек",
        "тағы көрсету",
        "тағы жүктеу",
        "көбірек көрсету",
        # ky
        "дагы",
        "дагы көрсөтүү",
        "дагы жүктөө",
        "көбүрөөк",
        # uz (Latin, Cyrillic)
        "yana",
        "ko'proq",
        "yana ko'rsatish",
        "yana yuklash",
        "ko'proq ko'rsatish",
        "яна",
        "кўпроқ",
        "яна кўрсатиш",
        "яна юклаш",
        # tg
        "бештар",
        "боз",
        "бештар нишон додан",
        # az, tr
        "daha çox",
        "daha cox",
        "daha çox göstər",
        "daha çox xəbər",
        "daha fazla",
        # tk
        "ýene",
        "has köp",
        "köpräk",
        "ýene görkez",
        # hy
        "ավելին",
        "ավելի շատ",
        "բեռնել ավելին",
        "տեսնել ավելին",
        # ka
        "მეტი",
        "მეტის ნახვა",
        "მეტის ჩატვირთვა",
        "მეტის ჩვენება",
    }
)
# "Read more" on a teaser is never a next page, whatever else the label says.
READ_MORE_WORDS = frozenset(
    {
        "read more",
        "continue reading",
        "читать далее",
        "читать полностью",
        "подробнее",
        "batafsil",
        "батафсил",
        "davomi",
        "давоми",
        "ətraflı",
        "ardı",
        "ardını oxu",
        "толығырақ",
        "кененирээк",
        "муфассал",
        "dowamy",
        "doly oka",
        "ვრცლად",
        "ko'proq o'qish",
        "кўпроқ ўқиш",
        "more details",
        "more info",
        "daha ətraflı",
    }
)
NEXT_ARROWS = "»›→⟶⟩❯>▶►⇒⟫〉"
_PREV_ARROWS = "«‹←⟵⟨❮<◀◄⇐⟪〈"
_LABEL_STRIP = NEXT_ARROWS + _PREV_ARROWS + " .:…!|·•-–—()[]"
_FOLD = str.maketrans(
    {"ʻ": "'", "’": "'", "‘": "'", "`": "'", "ʼ": "'", "ё": "е", "Ё": "е", "İ": "i"}
)

# Class/id hints: on the link (or its li/span) for "next", on an ancestor for a pager block,
# on a button for "load more", on a share widget (whose data-url is the shared page).
_NEXT_HINT = re.compile(r"(?i:(?:^|[-_\s])(?:next|older))|[a-z]Next")
_PAGER_HINT = re.compile(
    r"paginat|pager|paging|page-?nav|pagenavi|page-?numbers|nav-links|pages?[-_]?list|pagelinks",
    re.I,
)
_MORE_HINT = re.compile(
    r"load-?more|show-?more|more-?news|btn-?more|js-?more|infinite|ajax|next|(^|[-_\s])more($|[-_\s])",
    re.I,
)
_SHARE_HINT = re.compile(
    r"share|social|sharing|addthis|facebook|twitter|telegram|whatsapp|vkontakte|print|copy", re.I
)
# Inline wrappers skipped when finding the block a link belongs to.
_INLINE = frozenset(
    {"li", "span", "strong", "b", "em", "i", "small", "font", "u", "sup", "sub", "bdi", "abbr"}
    | {"label", "mark", "s", "noscript"}
)
# data-* attributes naming a "load more" endpoint: the strong ones on any element, the weak
# ones only on an element that says "load more" (label or class) and is no share widget.
FRAGMENT_ATTRS_STRONG = (
    "data-load-more",
    "data-loadmore",
    "data-load-more-url",
    "data-next",
    "data-next-url",
    "data-next-page-url",
    "data-more-url",
)
FRAGMENT_ATTRS_WEAK = ("data-url", "data-href", "data-ajax-url", "data-endpoint")
_URL_LIKE = re.compile(r"(https?://|//|/|\?|\.\.?/)\S*|[\w.~%-]+[/?]\S*")
_DIGITS = re.compile(r"[0-9]{1,7}")
_WORD = re.compile(r"[^\W\d_]{1,20}(?:[-_][^\W\d_]{1,20})?")
# A path segment holding a page number: 7, p7, page-7, страница_7, 7.html, page-7.html.
_SEG_MARKER = re.compile(r"(?:([^\W\d_]{1,20})[-_]?)?([0-9]{1,7})(?:\.(?:html?|php|aspx?))?")
_NUMBER = re.compile(r"[0-9]+")
_NOT_PAGE_SUFFIXES = (*NON_HTML_SUFFIXES, ".css", ".js", ".xml")
