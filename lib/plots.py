"""One classroom plot style for every notebook: large fonts, thick lines, a colour-blind-safe palette.

Call ``use_style()`` once at the top of a notebook (``lib.plots.use_style()``); every figure after it is
legible on a projector and renders Cyrillic (DejaVu Sans ships with matplotlib).

Legible as shown: JupyterLab scales a figure wider than the notebook column down to fit it, and with it every
font (a 16-inch row of panels at 1280×720 and 150 % zoom showed its legend at about 7 px). In a notebook,
``use_style()`` therefore shows each figure through ``legible(fig)``, which raises any text that would be
shown under ``MIN_TEXT_PX`` CSS pixels in a ``SHOWN_PX``-wide column to that size. Text colour on a colour
(``text_color_on``) follows the background's luminance (WCAG contrast), not its distance from the middle.
"""

from __future__ import annotations

import warnings

import matplotlib as mpl
import numpy as np

__all__ = [
    "PALETTE",
    "COLORS",
    "use_style",
    "legible",
    "text_color_on",
    "heat_strip",
    "mark_points",
    "show_bench_table",
    "GATE_CMAP",
    "STATE_CMAP",
    "SHOWN_PX",
    "MIN_TEXT_PX",
]

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
    "xtick.labelsize": 14,
    "ytick.labelsize": 14,
    "legend.fontsize": 14,
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


# The width JupyterLab gives an output image at 1280×720, zoom 150 %, side bar closed (CSS px; measured by
# tests/browser: 673 px, 627 px in Presentation Mode), and the smallest text size legible there on a projector.
SHOWN_PX = 640.0
MIN_TEXT_PX = 12.0


def use_style() -> None:
    """Apply the course's plot style to matplotlib and, in a notebook, show figures through ``legible``
    (idempotent)."""
    mpl.rcParams.update(_RC)
    _show_figures_legibly()


def legible(fig, shown_px: float = SHOWN_PX, min_px: float = MIN_TEXT_PX):
    """Raise every text of ``fig`` (ticks, legends, titles, labels, annotations) that would be shown under
    ``min_px`` CSS pixels when the figure is scaled down to ``shown_px`` to that size; returns ``fig``.

    A figure no wider than ``shown_px`` is shown at its own size, so the style's sizes already hold. A figure
    laid out by ``tight_layout()`` is laid out again after its text grew (constrained layout does it itself)."""
    from matplotlib.layout_engine import PlaceHolderLayoutEngine
    from matplotlib.text import Text

    width_px = fig.get_figwidth() * fig.dpi
    shrink = min(1.0, shown_px / width_px)
    min_pt = min_px / shrink * 72.0 / fig.dpi
    grew = False
    for ax in fig.axes:
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            labels = axis.get_ticklabels()
            if labels and labels[0].get_fontsize() < min_pt:
                ax.tick_params(axis=name, which="both", labelsize=min_pt)
                grew = True
    for text in fig.findobj(Text):
        if text.get_text() and text.get_fontsize() < min_pt:
            text.set_fontsize(min_pt)
            grew = True
    if grew and isinstance(fig.get_layout_engine(), PlaceHolderLayoutEngine):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # axes tight_layout cannot place (a colorbar's) stay where they are
            fig.tight_layout()
    return fig


def _show_figures_legibly() -> None:
    """In IPython, wrap the inline backend's PNG printer of figures so that it shows ``legible(fig)``."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the course's environment
        return
    shell = get_ipython()
    if shell is None:
        return
    from matplotlib.figure import Figure

    if "matplotlib_inline" in str(mpl.get_backend(auto_select=False)):
        # loading the backend now (matplotlib would on the first figure) registers its PNG printer to wrap
        import matplotlib_inline.backend_inline  # noqa: F401

    png = shell.display_formatter.formatters["image/png"]
    try:
        printer = png.lookup_by_type(Figure)
    except KeyError:  # no inline backend: nothing is shown as PNG
        return
    if getattr(printer, "shows_legibly", False):
        return

    def show(fig):
        return printer(legible(fig))

    show.shows_legibly = True
    png.for_type(Figure, show)


def text_color_on(color) -> str:
    """``"black"`` or ``"white"``, whichever contrasts more with ``color`` (WCAG relative luminance).

    Bright yellow (cividis at 1) gets black; dark blue gets white."""
    rgb = np.asarray(mpl.colors.to_rgb(color))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    luminance = float(linear @ [0.2126, 0.7152, 0.0722])
    return "black" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "white"


def heat_strip(
    ax,
    values,
    *,
    row_labels=None,
    col_labels=None,
    vmin=-1.0,
    vmax=1.0,
    cmap=STATE_CMAP,
    title=None,
    annotate=False,
    fmt="{:.2f}",
    colorbar=True,
):
    """Draw ``values: (R, T)`` as a heat strip: one row per unit (or gate), one column per time step.

    ``annotate=True`` writes each value in its cell, black or white by the cell's luminance
    (``text_color_on``). Returns the ``AxesImage`` so that a widget can update it in place with
    ``im.set_data(...)``.
    """
    values = np.atleast_2d(np.asarray(values, dtype=float))
    im = ax.imshow(values, aspect="auto", vmin=vmin, vmax=vmax, cmap=cmap, interpolation="nearest")
    ax.grid(False)
    if col_labels is not None:
        ax.set_xticks(
            range(len(col_labels)),
            col_labels,
            rotation=0 if len(col_labels) < 8 else 45,
            ha="center" if len(col_labels) < 8 else "right",
        )
    if row_labels is not None:
        ax.set_yticks(range(len(row_labels)), row_labels)
    if title:
        ax.set_title(title)
    if annotate:
        colormap, norm = im.get_cmap(), im.norm
        for (r, c), v in np.ndenumerate(values):
            if np.isfinite(v):
                ax.text(
                    c, r, fmt.format(v), ha="center", va="center", fontsize=12, color=text_color_on(colormap(norm(v)))
                )
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
            ax.scatter(
                pts[:, 0],
                pts[:, 1],
                s=size,
                c=color,
                marker=marker,
                edgecolors="black",
                linewidths=1.5,
                zorder=3,
                label=f"ответ {labels[cls]}",
            )
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
