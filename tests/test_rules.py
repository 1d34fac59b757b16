from __future__ import annotations

import pytest

from alerts.rules import RuleSet, RuleSyntaxError, matched_sentence, normalize, parse_query
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
