"""Pairs of labelled reports for ``bench/stories.py``: pairwise precision and recall, and which
classes of pairs the story grouping gets wrong.

A pair of reports is grouped right when both share a story and report one event, or neither.
Classes: pairs of one event in one script, across scripts (Latin: en, uz, az; Cyrillic: ru, kk,
ky, tg, uz-Cyrl), in one language; pairs of an event whose copies name little (``few-names``);
pairs of two events on one topic (in one language, across languages); a follow-up and the
event it follows.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence

Row = dict[str, str]
LATIN = {"en", "uz", "az"}


def script(lang: str) -> str:
    return "Latin" if lang in LATIN else "Cyrillic"


def counts(truth: Sequence[str], found: Sequence[int]) -> tuple[int, int, int]:
    """Pairs joined right, pairs joined wrong, pairs missed."""
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(truth)), 2):
        same, grouped = truth[i] == truth[j], found[i] == found[j]
        tp += same and grouped
        fp += grouped and not same
        fn += same and not grouped
    return tp, fp, fn


def scores(tp: int, fp: int, fn: int) -> tuple[float, float]:
    """Pairwise precision (1.0 when nothing was joined) and recall."""
    return (tp / (tp + fp) if tp + fp else 1.0), tp / max(1, tp + fn)


def _classes(a: Row, b: Row) -> list[str]:
    if a["event"] == b["event"]:
        found = [
            "one event, one language" if a["lang"] == b["lang"] else "one event, across languages"
        ]
        if script(a["lang"]) != script(b["lang"]):
            found.append("one event, across scripts")
        if "few-names" in a.get("kinds", ""):
            found.append("one event, copies naming little")
        return found
    if a.get("follows") == b["event"] or b.get("follows") == a["event"]:
        return ["a follow-up and its event"]
    if a.get("topic") and a.get("topic") == b.get("topic"):
        if a["lang"] == b["lang"]:
            return ["two events on one topic, one language"]
        return ["two events on one topic, across languages"]
    return []


def by_class(rows: Sequence[Row], found: Sequence[int]) -> dict[str, tuple[int, int]]:
    """For each class of pairs: how many pairs, how many grouped wrong."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i, j in itertools.combinations(range(len(rows)), 2):
        wrong = (found[i] == found[j]) != (rows[i]["event"] == rows[j]["event"])
        for name in _classes(rows[i], rows[j]):
            table[name][0] += 1
            table[name][1] += wrong
    return {name: (n, bad) for name, (n, bad) in sorted(table.items())}


def same_topic(rows: Sequence[Row], found: Sequence[int]) -> list[str]:
    """Each pair of different events on one topic (a follow-up included), with its outcome."""
    events: dict[str, list[int]] = defaultdict(list)
    for n, row in enumerate(rows):
        events[row["event"]].append(n)
    topic = {rows[ns[0]]["event"]: rows[ns[0]].get("topic", "") for ns in events.values()}
    lines = []
    for a, b in itertools.combinations(sorted(events), 2):
        if not topic[a] or topic[a] != topic[b]:
            continue
        joined = sum(found[i] == found[j] for i in events[a] for j in events[b])
        pairs = len(events[a]) * len(events[b])
        langs = Counter(rows[i]["lang"] for i in events[a]) & Counter(
            rows[j]["lang"] for j in events[b]
        )
        follow = any(rows[i].get("follows") == b for i in events[a]) or any(
            rows[j].get("follows") == a for j in events[b]
        )
        kind = "follow-up" if follow else "same language" if langs else "across languages"
        outcome = "apart" if not joined else f"JOINED {joined}/{pairs} pairs"
        lines.append(f"{topic[a]}: {a} / {b} ({kind}): {outcome}")
    return lines
