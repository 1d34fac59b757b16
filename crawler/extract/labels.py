"""Label phrases of in-body inserts in the outlets' languages (en, ru, kk, ky, uz Latin and
Cyrillic, tg, az, tk, hy, ka): a second signal beside the inserts' shape
(``crawler.extract.inserts``), and the furniture headings of ``crawler.extract.pruning``.

All phrases are casefolded; apostrophe variants of Uzbek and Turkmen are folded before
comparison (``ʻ ʼ ’ ‘ ` ´`` → ``'``).
"""

from __future__ import annotations

import re

# "Read also" and its kin: the label of a link to another article.
READ_ALSO = (
    # en
    "read also",
    "also read",
    "read more",
    "see also",
    "related",
    "related news",
    "related stories",
    "related articles",
    "more on this",
    "more on this topic",
    "more on the topic",
    "recommended",
    "you may also like",
    # ru
    "читайте также",
    "читать также",
    "также читайте",
    "смотрите также",
    "по теме",
    "новости по теме",
    "материалы по теме",
    "похожие новости",
    "похожие материалы",
    "читайте нас",
    "рекомендуем",
    "актуально",
    # kk
    "тағы оқыңыз",
    "оқи отырыңыз",
    "сондай-ақ оқыңыз",
    "сондай ақ оқыңыз",
    "оқыңыз",
    "тақырыпқа қатысты",
    "тақырып бойынша",
    "ұқсас жаңалықтар",
    "ұқсас материалдар",
    # ky
    "дагы окуңуз",
    "ошондой эле окуңуз",
    "окуй отуруңуз",
    "окуңуз",
    "тема боюнча",
    "байланыштуу",
    "окшош жаңылыктар",
    "ушул темада",
    # uz Latin
    "yana o'qing",
    "shuningdek o'qing",
    "shuningdek, o'qing",
    "o'qing",
    "mavzuga oid",
    "mavzu bo'yicha",
    "o'xshash yangiliklar",
    "bu haqda",
    # uz Cyrillic
    "яна ўқинг",
    "шунингдек ўқинг",
    "шунингдек, ўқинг",
    "ўқинг",
    "мавзуга оид",
    "мавзу бўйича",
    "ўхшаш янгиликлар",
    # tg
    "инчунин бихонед",
    "ҳамчунин бихонед",
    "бихонед",
    "хонед",
    "мавзӯи марбут",
    "марбут",
    "хабарҳои марбут",
    "дар ин мавзӯъ",
    # az
    "həmçinin oxuyun",
    "həmçinin oxu",
    "oxuyun",
    "oxu",
    "mövzu ilə bağlı",
    "mövzuya aid",
    "oxşar xəbərlər",
    "digər xəbərlər",
    "əlaqəli xəbərlər",
    # tk
    "şeýle hem okaň",
    "okaň",
    "degişli habarlar",
    "meňzeş habarlar",
    "şu tema boýunça",
    "tema boýunça",
    # hy
    "կարդացեք նաև",
    "կարդացեք նաեւ",
    "կարդալ նաև",
    "նաև կարդացեք",
    "թեմայի շուրջ",
    "նմանատիպ նյութեր",
    "առնչվող նյութեր",
    # ka
    "ასევე წაიკითხეთ",
    "წაიკითხეთ ასევე",
    "წაიკითხეთ",
    "თემასთან დაკავშირებით",
    "მსგავსი სიახლეები",
    "დაკავშირებული სიახლეები",
)

# Headings that open furniture: latest/most-read lists, polls, share bars, comments.
FURNITURE = (
    "recent news",
    "recent posts",
    "latest news",
    "latest posts",
    "more news",
    "more stories",
    "popular",
    "most read",
    "poll",
    "share this post",
    "share this",
    "share",
    "share this article",
    "tags",
    "comments",
    "leave a reply",
    "subscribe",
    "последние новости",
    "популярное",
    "опрос",
    "поделиться",
    "комментарии",
    "соңғы жаңалықтар",
    "акыркы жаңылыктар",
    "so'nggi yangiliklar",
    "сўнгги янгиликлар",
    "охирин хабарҳо",
    "son xəbərlər",
    "soňky habarlar",
    "վերջին լուրեր",
    "ბოლო სიახლეები",
)

# "Follow us / subscribe" words (stems) and network names: a short line with both is a
# follow line even without a link.
FOLLOW_WORDS = (
    "follow us",
    "follow ",
    "subscribe",
    "join us",
    "подпис",
    "присоединя",
    "следите за",
    "жазылыңыз",
    "жазылың",
    "қосылыңыз",
    "катталыңыз",
    "кошулуңуз",
    "жазылып",
    "obuna",
    "обуна",
    "кузатиб",
    "kuzatib",
    "обуна шавед",
    "пайгирӣ",
    "abunə",
    "izləyin",
    "agza boluň",
    "yzarlaň",
    "goşulyň",
    "բաժանորդագրվ",
    "հետևեք",
    "միացեք",
    "გამოიწერ",
    "მოგვყევით",
    "შემოგვიერთდით",
)
NETWORK_NAMES = (
    "telegram",
    "телеграм",
    "whatsapp",
    "ватсап",
    "facebook",
    "фейсбук",
    "instagram",
    "инстаграм",
    "youtube",
    "ютуб",
    "tiktok",
    "тикток",
    "twitter",
    "твиттер",
    "вконтакте",
    "дзен",
    "viber",
    "вайбер",
    "linkedin",
    "threads",
)

# Openings of photo credits and captions.
CREDIT_PREFIXES = (
    "photo:",
    "photo by",
    "photo credit",
    "photos:",
    "image:",
    "picture:",
    "credit:",
    "фото:",
    "фото -",
    "фото —",
    "фото из",
    "фото с",
    "фото предоставлено",
    "фотография:",
    "сурет:",
    "сурет -",
    "сүрөт:",
    "сүрөт -",
    "surat:",
    "foto:",
    "foto -",
    "сурат:",
    "акс:",
    "аксҳо:",
    "şekil:",
    "surat -",
    "լուսանկարը՝",
    "լուսանկարը:",
    "լուսանկար՝",
    "ლუსანკარი",
    "ფოტო:",
    "ფოტო -",
)

_APOSTROPHES = re.compile(r"[ʻʼ’‘`´]")
_LABEL_END = re.compile(r"\s*[:：—–\-»>|•·՝։]")


def fold(text: str) -> str:
    """Casefolded, apostrophes unified, spacing collapsed."""
    return " ".join(_APOSTROPHES.sub("'", text).casefold().split())


def starts_with_label(text: str) -> bool:
    """Whether the text opens with a "read also" label of any of the outlets' languages."""
    low = fold(text)
    for label in _LABELS:
        if low.startswith(label):
            rest = low[len(label) :]
            if not rest or _LABEL_END.match(rest):  # "Read also: …", not "Related to this …"
                return True
    return False


def is_furniture_heading(label: str) -> bool:
    low = fold(label).strip(" :：-—՝")
    return low in _LABELS or low in _FURNITURE


_LABELS = frozenset(fold(label) for label in READ_ALSO)  # Armenian "և" folds to "եւ"
_FURNITURE = frozenset(fold(label) for label in FURNITURE)
