from __future__ import annotations

import pytest

from alerts.rules import (
    ArticleText,
    RuleSet,
    RuleSyntaxError,
    matched_sentence,
    normalize,
    parse_query,
)
from alerts.snippets import snippet


def hits(query: str, text: str) -> bool:
    return bool(RuleSet([("r", query, "#c")]).match(text))


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("Azerbaijan", "Talks with AZERBAIJAN resumed", True),
        ("Azerbaijan", "Azerbaijani outlet", False),  # word boundary
        ("Azerbaijan*", "Azerbaijani outlet", True),
        ("Iran", "Iranian officials", False),
        ("Iran*", "Iranian officials", True),
        ('"Central Asia"', "leaders of Central Asia met", True),
        ('"Central Asia"', "Asia Central", False),
        ('"C5+1"', "the C5+1 format", True),
        ('"C5+1"', "the C5 + 1 format", True),
        ('"C5+1"', "the C5 group", False),
        ("C5+1", "under the C5 + 1 format", True),
        ('"Trans-Caspian"', "the Trans Caspian route", True),
        ('"Trans-Caspian"', "the Trans–Caspian route", True),
        ('"Trans-Caspian"', "across the Caspian Sea", False),
        ("Азербайджан*", "визит в Азербайджан", True),
        ("Азербайджан*", "с Азербайджаном", True),
        ("Azərbaycan", "Azerbaycan Respublikasi", True),
        ("Ozarbayjon", "Oʻzbekiston va Ozarbayjon", True),
        ("Әзірбайжан*", "Әзірбайжанмен келісім", True),
        ("Azerbaijan OR Baku", "a meeting in Baku", True),
        ("Azerbaijan AND Kazakhstan", "Azerbaijan and Georgia", False),
        ("Azerbaijan Kazakhstan", "Kazakhstan and Azerbaijan", True),
        ("Azerbaijan NOT football", "Azerbaijan football team", False),
        ("Azerbaijan -football", "Azerbaijan energy", True),
        ("(Baku OR Astana) AND summit", "a summit in Astana", True),
    ],
)
def test_matching(query: str, text: str, expected: bool) -> None:
    assert hits(query, text) is expected


def test_letters_unicode_does_not_decompose_are_folded() -> None:
    assert normalize("Azərbaycan") == normalize("AZERBAYCAN") == "azerbaycan"
    assert normalize("Қазақстан") == normalize("казакстан")
    assert normalize("İlham") == normalize("ılham") == "ilham"


def test_spans_point_into_original_text() -> None:
    text = "Talks between Kazakhstan and Azerbaijan’s leaders in the C5 + 1 format."
    (m,) = RuleSet([("r", 'Azerbaijan* OR "C5+1"', "#c")]).match(text)
    assert [text[a:b] for a, b in m.spans] == ["Azerbaijan", "C5 + 1"]


@pytest.mark.parametrize(
    ("query", "column"),
    [('"C5+1', 1), ("Baku OR", 8), ("(Baku", 6), ("Baku )", 6), ("NOT Baku", 1), ("", 1)],
)
def test_parse_errors_name_the_column(query: str, column: int) -> None:
    with pytest.raises(RuleSyntaxError) as err:
        parse_query(query)
    assert err.value.column == column
    assert str(err.value).startswith(f"column {column}:")


def test_sentence_and_snippet() -> None:
    text = "First sentence here. Baku & Astana signed a deal on the Trans-Caspian route. Last one."
    rs = RuleSet([("r", '"Trans-Caspian"', "#c")])
    ms = rs.match(text)
    assert (
        matched_sentence(text, ms[0].spans)
        == "Baku & Astana signed a deal on the Trans-Caspian route."
    )
    assert snippet(text, ms) == "Baku &amp; Astana signed a deal on the *Trans-Caspian* route."


# --- the full language --------------------------------------------------------------------------


def art(body: str, title: str | None = None, lang: str | None = None, source: str | None = None):  # type: ignore[no-untyped-def]
    from alerts.rules import ArticleText

    return ArticleText(body, title, lang, source)


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        # en / ru / kk / uz / az spellings and inflections
        ("Azerbaijan*", "Azerbaijani and Azerbaijan's positions", True),
        ("Azerbaijan", "Azerbaijan’s foreign minister", True),  # possessive split off
        ("Azerbaycan", "Azerbaycan'ın dış politikası", True),  # Turkish-style suffix apostrophe
        ("Азербайджан*", "делегация Азербайджана прибыла", True),
        ("Азербайджан", "делегация Азербайджана прибыла", False),  # exact word only
        ("Әзірбайжан*", "ӘЗІРБАЙЖАН РЕСПУБЛИКАСЫ", True),
        ("Ozarbayjon*", "O'zbekiston va Ozarbayjonning hamkorligi", True),
        ("Oʻzbekiston", "O'zbekiston Respublikasi", True),  # ʻ and ' are the same letter
        ("Oʻzbekiston", "Ozbekiston Respublikasi", True),
        ("Azərbaycan", "AZƏRBAYCAN RESPUBLİKASI", True),
        ("Qazaqstan", "Qazaqstan Respublikasy", True),
        ('"C5+1"', "формат С5+1 (Cyrillic С)", True),
        ('"C5+1"', "the C5 summit", False),
        ('"Trans-Caspian"', "Trans—Caspian", True),
        ('"Trans-Caspian"', "Transcaspian", False),
        ("Транскаспи*", "Транскаспийский газопровод", True),
        ("Iran", "Iran-Azerbaijan border", True),  # a dash is a boundary
        ("Iran", "Iranian", False),
        # NEAR
        ("pipeline NEAR/3 Caspian", "the pipeline under the Caspian", True),
        ("pipeline NEAR/2 Caspian", "the pipeline that runs under the Caspian", False),
        ("Caspian NEAR/3 pipeline", "the pipeline under the Caspian", True),
        ("Caspian NEAR/3f pipeline", "the pipeline under the Caspian", False),
        ("pipeline ONEAR/3 Caspian", "the pipeline under the Caspian", True),
        ('(Baku OR Astana) NEAR/4 "C5+1"', "Astana hosted the C5 + 1 meeting", True),
        ("(Baku OR Astana) NEAR/1 summit", "Astana hosted the summit", False),
    ],
)
def test_full_language(query: str, text: str, expected: bool) -> None:
    assert hits(query, text) is expected


def test_field_scopes_and_filters() -> None:
    rs = RuleSet(
        [
            ("t", "title:Azerbaijan", "#c"),
            ("b", 'text:"C5+1"', "#c"),
            ("l", "Baku lang:ru", "#c"),
            ("s", "Baku source:azer*", "#c"),
            ("x", "Baku -lang:en", "#c"),
        ]
    )

    def names(a: object) -> set[str]:
        return {m.rule for m in rs.match(a)}  # type: ignore[arg-type]

    assert names(art("Azerbaijan in the body only", "A headline")) == set()
    assert names(art("body", "Azerbaijan and Kazakhstan")) == {"t"}
    assert names(art("in the C5+1 format", "C5+1 summit")) == {"b"}
    assert names(art("talks", "C5+1 summit")) == set()
    assert names(art("Baku talks", None, "ru", "azertac")) == {"l", "s", "x"}
    assert names(art("Baku talks", None, "en", "trend")) == set()
    # a phrase never runs from the headline into the body
    assert not RuleSet([("p", '"summit Baku"', "#c")]).match(art("Baku talks", "Summit"))


def test_spans_cover_title_and_body_of_the_combined_text() -> None:
    a = art("Officials met in Baku on Monday.", "Azerbaijan hosts talks")
    (m,) = RuleSet([("r", "Azerbaijan OR Baku", "#c")]).match(a)
    assert [a.combined[x:y] for x, y in m.spans] == ["Azerbaijan", "Baku"]


def test_concepts() -> None:
    concepts = {
        "AZERBAIJAN": ["Azerbaijan*", "Azərbaycan*", "Азербайджан*", "Baku"],
        "CASPIAN": ['"Trans-Caspian"', "Транскаспи*", "@AZERBAIJAN NEAR/5 Caspian"],
    }
    rs = RuleSet([("c", "@CASPIAN AND -football", "#c")], concepts)
    assert rs.match("The Trans Caspian corridor")
    assert rs.match("Baku and the Caspian ports")
    assert not rs.match("Baku football and the Caspian")
    with pytest.raises(RuleSyntaxError, match="unknown concept @NOPE"):
        parse_query("@NOPE OR Baku")


def test_only_candidate_rules_are_evaluated() -> None:
    from alerts.rules import tokenize

    rules = [(f"r{i}", f"word{i} OR prefix{i}x*", "#c") for i in range(2000)]
    rules.append(("az", "Azerbaijan* AND NOT football", "#c"))
    rs = RuleSet(rules)
    tokens = tokenize("Azerbaijani officials and word17 plus prefix42xyz today")
    ids = rs.candidates(tokens)
    assert [rs.rules[i].name for i in ids] == ["r17", "r42", "az"]
    assert {m.rule for m in rs.match("Azerbaijani officials and word17 plus prefix42xyz")} == {
        "r17",
        "r42",
        "az",
    }


@pytest.mark.parametrize(
    ("query", "column", "message"),
    [
        ("Baku NEAR/x Astana", 6, "NEAR/n"),
        ("Baku NEAR/3 (Astana AND summit)", 6, "NEAR joins"),
        ("title: OR Baku", 1, "title: needs"),
        ("lang:", 1, "lang: needs a value"),
        ("lang:ru", 1, "at least one word"),
        ("Baku OR NOT Astana", 1, "at least one word"),
        ("Baku AND @MISSING", 10, "unknown concept"),
    ],
)
def test_language_errors_name_the_column(query: str, column: int, message: str) -> None:
    with pytest.raises(RuleSyntaxError) as err:
        parse_query(query)
    assert err.value.column == column and message in str(err.value)


# Headlines and names as regional outlets print them, in each script of each language:
# (language, concept term, Latin-script text, Cyrillic-script text).
TRANSLITERATED = [
    # Kazinform (kk Cyrillic) / Kazinform's Latin-script edition
    ("kk", "Қазақстан*", "Qazaqstan Prezıdenti Toqaev", "Қазақстан Президенті Тоқаев"),
    ("kk", "Toqaev", "Memleket basshysy Qasym-Jomart Toqaev", "Мемлекет басшысы Тоқаев"),
    # Kun.uz, Gazeta.uz (Latin) / Xalq so'zi's Cyrillic edition
    (
        "uz",
        "Ozarbayjon*",
        "Prezident Ozarbayjonga tashrif buyurdi",
        "Президент Озарбайжонга ташриф",
    ),
    ("uz", "Mirziyoyev", "Shavkat Mirziyoyev Bokuga bordi", "Шавкат Мирзиёев Бокуга борди"),
    ("uz", "Ўзбекистон", "Oʻzbekiston Respublikasi Prezidenti", "Ўзбекистон Республикаси"),
    # AZERTAC (Latin) / the Cyrillic of Azerbaijani papers in Dagestan and Iran's diaspora press
    (
        "az",
        "Azərbaycan*",
        "Azərbaycan Prezidenti İlham Əliyev",
        "Азәрбајҹан Президенти Илһам Әлијев",
    ),
    ("az", '"İlham Əliyev"', "Prezident İlham Əliyev qəbul edib", "Президент Илһам Әлијев"),
    # Kabar (ky Cyrillic) / 24.kg's English edition
    ("ky", "Жапаров", "President Sadyr Japarov met", "Президент Садыр Жапаров"),
    ("ky", "Кыргызстан*", "Kyrgyzstan and Uzbekistan", "Кыргызстандын президенти"),
    # Khovar (tg Cyrillic) / Asia-Plus's English edition
    ("tg", "Раҳмон", "President Emomali Rahmon", "Президенти Тоҷикистон Эмомалӣ Раҳмон"),
    ("tg", "Tojikiston", "Jumhurii Tojikiston", "Ҷумҳурии Тоҷикистон"),
]


@pytest.mark.parametrize(("lang", "term", "latin", "cyrillic"), TRANSLITERATED)
def test_concepts_match_both_scripts_when_transliterating(
    lang: str, term: str, latin: str, cyrillic: str
) -> None:
    from alerts.rules import Concept

    plain = RuleSet([("r", "@X", "#c")], {"X": [term]})
    both = RuleSet([("r", "@X", "#c")], {"X": Concept((term,), (lang,))})
    assert both.match(latin) and both.match(cyrillic)
    assert len([t for t in (latin, cyrillic) if plain.match(t)]) == 1  # only its own script
    assert not both.match("Prezident Astanada / Президент в Астане")


def test_transliterated_spans_and_spellings() -> None:
    from alerts.rules import Concept, concept_spellings

    concept = Concept(("Қазақстан* lang:kk", '"C5+1" саммит*', "Astana"), ("kk",))
    text = "Qazaqstanda C5+1 sammiti"
    (m,) = RuleSet([("r", "@KZ", "#c")], {"KZ": concept}).match(ArticleText(text, language="kk"))
    assert [text[a:b] for a, b in m.spans] == ["Qazaqstanda", "C5+1", "sammiti"]
    assert RuleSet([("r", "@KZ", "#c")], {"KZ": concept}).match("Астана қаласында")
    assert concept_spellings(concept) == [
        ("Қазақстан*", ["qazaqstan*"]),  # not the filter's "kk"
        ("саммит*", ["sammit*"]),  # symbols and digits are the same in both scripts
        ("Astana", ["астана"]),
    ]


def test_unknown_transliteration_language() -> None:
    from alerts.rules import Concept, ConceptError, compile_concepts

    with pytest.raises(ConceptError, match="unknown language 'tr'"):
        compile_concepts({"X": Concept(("Baku",), ("az", "tr"))})
