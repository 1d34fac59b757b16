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


def mentions_chart(series: Mapping[str, Sequence[int]], days: Sequence[str], title: str) -> bytes:
    """A line per rule: its matched articles on each of ``days`` (same length as each series).
    Returns a PNG."""
    fig = Figure(figsize=(8, 3.6), dpi=100)
    ax = fig.add_subplot()
    labels = [date.fromisoformat(d).strftime("%d %b") for d in days]
    x = list(range(len(days)))
    styles = (
        "-",
        "--",
        ":",
        "-.",
    )  # lines that coincide (rules matching the same articles) stay visible
    ranked = sorted(series.items(), key=lambda kv: -sum(kv[1]))
    for i, (name, counts) in enumerate(ranked):
        ax.plot(
            x,
            list(counts),
            marker="o",
            markersize=3,
            linewidth=2.4 if i == 0 else 1.8,
            linestyle=styles[i % len(styles)],
            label=name,
        )
    if not series:
        ax.text(0.5, 0.5, "no mentions yet", ha="center", va="center", transform=ax.transAxes)
    ax.set_xticks(
        x[:: max(1, len(x) // 7)] + ([x[-1]] if x and (len(x) - 1) % max(1, len(x) // 7) else [])
    )
    ax.set_xticklabels([labels[i] for i in ax.get_xticks().astype(int)], fontsize=8)
    ax.set_ylabel("articles per day")
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(True, alpha=0.3)
    ax.set_title(title, fontsize=10)
    if series:
        ax.legend(fontsize=8, loc="upper left", frameon=False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
