"""Stories: syndicated copies (light edits, another headline, other boilerplate) share one
story_id; different articles on the same topic do not."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.extract.article import fingerprint
from crawler.extract.stories import signature
from storage import NewArticle
from storage.sqlite import SQLiteStore

AGENCY = (
    "Kazakhstan and Azerbaijan agreed on Tuesday to double the capacity of the ferry line between "
    "the ports of Aktau and Baku by 2027, the two transport ministries said in a joint statement. "
    "The plan foresees four new roll-on roll-off vessels built at the Baku shipyard, a common "
    "electronic queue for lorries at both terminals and a single customs declaration for cargo "
    "travelling on the Middle Corridor between China and Europe. Officials said freight volumes "
    "on the Trans-Caspian route grew by a third in the first nine months of the year, while "
    "waiting times for trucks in Aktau still reach several days in peak season. The ministers "
    "also discussed tariffs for container trains and the digitalisation of border procedures, "
    "and instructed their deputies to prepare an intergovernmental agreement before the summit "
    "of Turkic states scheduled for next spring in Astana."
)
SUMMIT = (
    "President Kassym-Jomart Tokayev welcomed the decision to invite Azerbaijan to the Central "
    "Asia plus United States format, saying the C5+1 platform had become a key channel for "
    "cooperation on critical minerals, transport and energy. Speaking at the Washington summit, "
    "Tokayev said the region was ready to deepen ties with American companies, pointing to new "
    "agreements on rare earth processing and on flights between Almaty and New York. He thanked "
    "the host for what he called a pragmatic and respectful partnership and invited investors "
    "to the Astana International Forum next year, where energy security will be on the agenda."
)


def copies(base: str) -> list[str]:
    """What other outlets make of one agency text."""
    edited = base.replace("said in a joint statement", "announced in a joint statement").replace(
        "several days", "up to five days"
    )
    return [
        base,
        "BAKU, Nov 25 (Trend) — " + edited + " Follow Trend on Telegram for the latest news.",
        edited.rsplit(". ", 2)[0] + ". Read more: Caspian shipping news.",  # trimmed, other tail
    ]


SAME_TOPIC = [
    # different articles about the same subject: they must not merge with the agency story
    "A new ferry schedule between Aktau and Baku took effect this week. Drivers interviewed in "
    "the port said queues had shortened, but complained about prices for the crossing, which "
    "have risen twice this year. The port authority promised more vessels in the summer.",
    "Analysts at a Tashkent think tank argue that the Middle Corridor will only compete with the "
    "northern route if Caspian ports are modernised. They estimate the investment needed at "
    "several billion dollars and point to Georgia's Black Sea ports as the next bottleneck.",
    "Azerbaijan's shipyard in Baku launched its second roll-on roll-off ferry of the year on "
    "Friday. The vessel, built with a Dutch partner, can carry fifty lorries and will serve the "
    "Turkmenbashi line first, the shipping company said in a statement on its website.",
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore.open(tmp_path / "stories.db")
    yield s
    s.close()


def save(store: SQLiteStore, n: int, text: str, title: str) -> int:
    sig = signature(text)
    assert sig is not None
    result = store.save_article(
        NewArticle(
            url=f"https://outlet{n}.test/{n}/",
            source=f"outlet{n}",
            title=title,
            text=text,
            fingerprint=fingerprint(text),
            minhash=sig.hashvalues,
            bands=sig.bands,
            shingles=sig.size,
        ),
    )
    assert result.story_id is not None
    return result.story_id


def test_grouping_precision_and_recall(store: SQLiteStore) -> None:
    truth: list[str] = []
    texts: list[tuple[str, str]] = []
    for label, base in (("ferry", AGENCY), ("summit", SUMMIT)):
        for i, text in enumerate(copies(base)):
            texts.append((text, f"{label} headline {i}"))
            truth.append(label)
    for i, text in enumerate(SAME_TOPIC):
        texts.append((text, f"ferry feature {i}"))
        truth.append(f"other-{i}")
    stories = [save(store, n, text, title) for n, (text, title) in enumerate(texts)]
    pairs = list(itertools.combinations(range(len(texts)), 2))
    same_true = {p for p in pairs if truth[p[0]] == truth[p[1]]}
    same_pred = {p for p in pairs if stories[p[0]] == stories[p[1]]}
    precision = len(same_true & same_pred) / max(1, len(same_pred))
    recall = len(same_true & same_pred) / max(1, len(same_true))
    assert (precision, recall) == (1.0, 1.0), (stories, truth)


def test_copies_outside_the_window_start_a_new_story(store: SQLiteStore) -> None:
    first = save(store, 1, AGENCY, "a")
    store.db.execute("UPDATE story_bands SET created_at = created_at - 8 * 86400")
    store.db.conn.commit()
    later = save(store, 2, copies(AGENCY)[1], "b")
    assert later != first


def test_short_texts_have_no_signature() -> None:
    assert signature("Too short to tell.") is None


@pytest.mark.parametrize("text", [AGENCY, SUMMIT, " ".join(f"w{i}" for i in range(4000))])
def test_signatures_are_datasketchs_minhash_bit_for_bit(text: str) -> None:
    """Stored signatures stay comparable: the MinHash is datasketch's (seed 1, 128
    permutations), computed without importing it."""
    from array import array

    from datasketch import MinHash

    sig = signature(text)
    assert sig is not None
    words = [w.casefold() for w in re.findall(r"\w+", text.casefold())][:3000]
    shingles = {" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))}
    reference = MinHash(num_perm=128, seed=1)
    reference.update_batch([s.encode("utf-8") for s in shingles])
    assert sig.hashvalues == array("I", (int(v) for v in reference.hashvalues)).tobytes()
    assert sig.size == len(shingles)
