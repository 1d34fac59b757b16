"""Charts of mentions over time, rendered headless (matplotlib's Agg backend) to PNG bytes."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")  # no display, ever: the daemon and the tests run headless

from matplotlib.figure import Figure  # noqa: E402  (after the backend is chosen)
from matplotlib.ticker import MaxNLocator  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# more lines than this are unreadable: the busiest rules are drawn
MAX_LINES = 8
# lines that coincide (rules matching the same articles) stay visible
STYLES = ("-", "--", ":", "-.")


def mentions_chart(series: Mapping[str, Sequence[int]], days: Sequence[str], title: str) -> bytes:
    """A line per rule: its matched articles on each of ``days`` (same length as each series);
    the :data:`MAX_LINES` busiest rules when there are more. Returns a PNG."""
    fig = Figure(figsize=(8, 3.6), dpi=100)
    ax = fig.add_subplot()
    labels = [date.fromisoformat(d).strftime("%d %b") for d in days]
    x = list(range(len(days)))
    ranked = sorted(series.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
    if len(ranked) > MAX_LINES:
        title += f" — the {MAX_LINES} busiest of {len(ranked)} rules"
        ranked = ranked[:MAX_LINES]
    for i, (name, counts) in enumerate(ranked):
        ax.plot(
            x,
            list(counts),
            marker="o",
            markersize=3,
            linewidth=2.4 if i == 0 else 1.8,
            linestyle=STYLES[i % len(STYLES)],
            label=name,
        )
    if not ranked:
        ax.text(0.5, 0.5, "no mentions yet", ha="center", va="center", transform=ax.transAxes)
    step = max(1, len(x) // 7)
    ticks = x[::step] + ([x[-1]] if x and (len(x) - 1) % step else [])
    ax.set_xticks(ticks)
    ax.set_xticklabels([labels[i] for i in ticks], fontsize=8)
    ax.set_ylabel("articles per day")
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(True, alpha=0.3)
    ax.set_title(title, fontsize=10)
    if ranked:
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
