"""One classroom plot style for every notebook: large fonts, thick lines, a colour-blind-safe palette.

Call ``use_style()`` once at the top of a notebook (``lib.plots.use_style()``); every figure after it is
legible on a projector and renders Cyrillic (DejaVu Sans ships with matplotlib).
"""
from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

__all__ = ["PALETTE", "COLORS", "use_style", "heat_strip", "mark_points", "show_bench_table", "GATE_CMAP", "STATE_CMAP"]

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}
COLORS = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky", "yellow", "black")]

# Gates live in [0, 1] (sequential, colour-blind safe); states and tanh values in [-1, 1] (diverging).
GATE_CMAP = "cividis"
STATE_CMAP = "RdBu_r"

_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 14,
    "axes.titlesize": 16,
    "axes.labelsize": 15,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "legend.fontsize": 13,
    "figure.titlesize": 17,
    "lines.linewidth": 2.8,
    "lines.markersize": 9,
    "axes.linewidth": 1.4,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=COLORS),
    "figure.figsize": (8.0, 5.0),
    "figure.dpi": 90,
    "savefig.dpi": 110,
    "savefig.bbox": "tight",
    "image.cmap": "cividis",
}


def use_style() -> None:
    """Apply the course's plot style to matplotlib (idempotent)."""
    mpl.rcParams.update(_RC)


def heat_strip(ax, values, *, row_labels=None, col_labels=None, vmin=-1.0, vmax=1.0, cmap=STATE_CMAP,
               title=None, annotate=False, fmt="{:.2f}", colorbar=True):
    """Draw ``values: (R, T)`` as a heat strip: one row per unit (or gate), one column per time step.

    Returns the ``AxesImage`` so that a widget can update it in place with ``im.set_data(...)``.
    """
    values = np.atleast_2d(np.asarray(values, dtype=float))
    im = ax.imshow(values, aspect="auto", vmin=vmin, vmax=vmax, cmap=cmap, interpolation="nearest")
    ax.grid(False)
    if col_labels is not None:
        ax.set_xticks(range(len(col_labels)), col_labels, rotation=0 if len(col_labels) < 8 else 45,
                      ha="center" if len(col_labels) < 8 else "right")
    if row_labels is not None:
        ax.set_yticks(range(len(row_labels)), row_labels)
    if title:
        ax.set_title(title)
    if annotate:
        mid = (vmin + vmax) / 2
        span = (vmax - vmin) / 2 or 1.0
        for (r, c), v in np.ndenumerate(values):
            ax.text(c, r, fmt.format(v), ha="center", va="center", fontsize=11,
                    color="white" if abs(v - mid) > 0.6 * span else "black")
    if colorbar:
        ax.figure.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
    return im


def mark_points(ax, X, y, *, labels=("0", "1"), size=220):
    """Scatter 2-D points ``X: (N, 2)`` coloured by binary class ``y: (N,)`` (0: orange circles, 1: blue squares)."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    styles = [(PALETTE["orange"], "o"), (PALETTE["blue"], "s")]
    for cls, (color, marker) in enumerate(styles):
        pts = X[y == cls]
        if len(pts):
            ax.scatter(pts[:, 0], pts[:, 1], s=size, c=color, marker=marker, edgecolors="black",
                       linewidths=1.5, zorder=3, label=f"ответ {labels[cls]}")
    return ax


def show_bench_table(name: str) -> None:
    """Show the committed benchmark table ``bench/results/NAME.md`` (written by ``make bench``) in a notebook.

    Found next to the installed ``lib`` package, so it does not depend on the notebook's working directory.
    """
    from pathlib import Path

    from IPython.display import Markdown, display

    path = Path(__file__).resolve().parents[1] / "bench" / "results" / f"{name}.md"
    if not path.exists():
        print(f"таблицы {name} ещё нет: запустите make bench")
        return
    display(Markdown(path.read_text(encoding="utf-8").split("\n", 1)[1]))
