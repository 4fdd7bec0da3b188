"""Widgets of notebook 4 «Рекуррентные сети»: the unrolled chain step by step, and the fading gradient.

Each widget only wires sliders to plain functions tested in ``tests/test_widgets_rnn.py``:

``unroll_frame(hs, current) -> (H, T)``            states h_1 … h_current as columns, NaN after ``current``
``UnrollingPicture(fig, words, hs, predictions=None).show(current)``   the chain with step ``current``
                                                    highlighted, below it a heat strip of h_t for every step so
                                                    far (built once, updated in place; ``draw_unrolling`` = both)
``gradient_curve(scale, T, hidden_size=32, seed=0) -> (k, norms)``  ‖∂h_T/∂h_{T−k}‖ of a random RNN
``regime(norms) -> str``                            «затухает», «взрывается» or «держится»
``draw_gradient_curve(ax, k, norms, scale, x_max=None)``  the curve on a log scale, fixed axes
``unrolling_widget(words, hs, predictions=None)``, ``gradient_widget(scale=1.0, T=60)``  the ipywidgets
(each builds its matplotlib figure once, updates its artists in place and sends the PNG to an
``ipywidgets.Image``; every frame is rendered once, then cached: a slider responds at once on a projector;
one row of controls above a wider-than-tall picture drawn at its shown size, so both fit one projector screen)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import ipywidgets as W
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from lib.checks import as_array, check_positive
from lib.plots import PALETTE, heat_strip
from lib.rnn import init_params, jacobian_norms
from lib.widgets import image, int_slider, panel, row, slider
from lib.widgets.render import FrameRenderer, agg_figure, png_bytes, tight_box

__all__ = [
    "GRADIENT_FIGSIZE",
    "SHOWN_DPI",
    "UNROLL_FIGSIZE",
    "Y_RANGE",
    "UnrollingPicture",
    "draw_gradient_curve",
    "draw_unrolling",
    "gradient_curve",
    "gradient_widget",
    "regime",
    "sci",
    "unroll_frame",
    "unrolling_widget",
]

Y_RANGE = (1e-16, 1e16)  # fixed limits of the gradient plot, so that moving a slider moves the curve
# At 1280×720, zoom 150 % the notebook shows an output ~670 × 359 CSS px (side bars closed): each picture with its
# controls must fit there. The pictures are drawn at the size they are shown: at SHOWN_DPI a point of the figure
# is a pixel of the PNG, and the PNG is shown one pixel per CSS px at the prose's 14 px (widths in em, so both
# grow with Presentation Mode), so a 12-point text is 12 px on the screen (``lib.plots.MIN_TEXT_PX``).
SHOWN_DPI = 72
UNROLL_FIGSIZE = (640 / SHOWN_DPI, 300 / SHOWN_DPI)  # 640 × 300 px under one slider row (~32 px)
GRADIENT_FIGSIZE = (640 / SHOWN_DPI, 288 / SHOWN_DPI)  # 640 × 288 px under one row of two sliders
_SLIDER_WIDTH = "22em"  # two sliders side by side in one row of the ~670 px output


# -------------------------------------------------------------------------------------------- unrolling


def unroll_frame(hs, current: int) -> np.ndarray:
    """``hs: (T, H)`` states → ``(H, T)`` columns for a heat strip; columns after step ``current`` are NaN.

    ``current`` counts from 1 (h_1 is the state after the first word) up to ``T``.
    """
    hs = as_array("hs", hs, ndim=2)
    T = hs.shape[0]
    if isinstance(current, bool) or not isinstance(current, (int, np.integer)) or not 1 <= current <= T:
        raise ValueError(f"current: ожидался номер шага от 1 до {T}, получено {current!r}")
    frame = np.full((hs.shape[1], T), np.nan)
    frame[:, :current] = hs[:current].T
    return frame


_CHAIN_STYLE = {  # (face, edge and ink colour, box line width) of a copy of the cell: not yet read / read / now
    "future": ("#F2F2F2", PALETTE["grey"], 2),
    "done": ("#FFE9B8", PALETTE["black"], 2),
    "now": (PALETTE["orange"], PALETTE["black"], 3.5),
}


def _arrow(ax, start, end, color) -> FancyArrowPatch:
    """An arrow in data coordinates, drawn without shrinking (its ends are placed where they should stop)."""
    return ax.add_patch(
        FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=16, color=color, lw=2, shrinkA=0, shrinkB=0)
    )


class UnrollingPicture:
    """The unrolled chain over ``words`` and the heat strip of ``hs: (T, H)``, built once on ``fig``;
    ``show(current)`` highlights step ``current`` (1 … T) by updating the artists in place.

    Copies of one cell A in a row: x_t (a word) enters from below, h_t goes up (with the predicted next word
    above it once read, if ``predictions`` are given) and on to the next copy. Below, the heat strip's column t
    stands under copy t. The axes are placed in pixels of ``fig`` (its size in inches × dpi), so that text in
    points keeps its room: laid out for ``UNROLL_FIGSIZE`` at ``SHOWN_DPI``, a point is a shown pixel."""

    def __init__(self, fig, words: Sequence[str], hs, predictions: Sequence[str] | None = None):
        self.words = list(words)
        self.hs = as_array("hs", hs, ndim=2)
        T, H = self.hs.shape
        if len(self.words) != T:
            raise ValueError(f"words: ожидалось {T} слов (по одному на шаг hs), получено {len(self.words)}")
        if predictions is not None and len(predictions) != T:
            raise ValueError(f"predictions: ожидалось {T} слов, получено {len(predictions)}")
        self.predictions = None if predictions is None else list(predictions)
        self.fig = fig
        fig.clear()
        w, h = fig.get_size_inches() * 72.0  # the figure in points: the axes below are placed in points

        def rect(left, bottom, width, height):  # a rectangle in points → figure fractions
            return [left / w, bottom / h, width / w, height / h]

        left, right = 46.0, 58.0  # room for the heat strip's neuron label and its colour bar
        self.ax_chain = fig.add_axes(rect(left, 124, w - left - right, h - 124 - 22))
        self.ax_heat = fig.add_axes(rect(left, 20, w - left - right, 82))
        cax = fig.add_axes(rect(w - right + 10, 20, 9, 82))
        ax = self.ax_chain
        ax.set_xlim(-0.5, T - 0.5)
        ax.set_ylim(-1.2, 1.5)
        ax.axis("off")
        grey = PALETTE["grey"]
        self.boxes, self.cells, self.inputs, self.labels = [], [], [], []
        self.in_arrows, self.up_arrows, self.links = [], [], []
        for t, word in enumerate(self.words):
            self.boxes.append(
                ax.add_patch(FancyBboxPatch((t - 0.28, -0.3), 0.56, 0.6, boxstyle="round,pad=0.02,rounding_size=0.08"))
            )
            self.cells.append(ax.text(t, 0, "A", ha="center", va="center", fontsize=16, weight="bold"))
            self.inputs.append(ax.text(t, -0.98, word, ha="center", va="center", fontsize=14))
            self.in_arrows.append(_arrow(ax, (t, -0.76), (t, -0.34), grey))
            self.up_arrows.append(_arrow(ax, (t, 0.34), (t, 0.7), grey))
            self.labels.append(ax.text(t, 0.76, "", ha="center", va="bottom", fontsize=13, linespacing=1.1))
            if t > 0:
                self.links.append(_arrow(ax, (t - 0.68, 0), (t - 0.32, 0), grey))
        self.title = ax.set_title(" ", fontsize=15, pad=4)
        self.heat = heat_strip(
            self.ax_heat,
            np.full(self.hs.T.shape, np.nan),
            col_labels=[f"$h_{{{t + 1}}}$" for t in range(T)],
            colorbar=False,
        )
        self.ax_heat.set_xlim(-0.5, T - 0.5)
        self.ax_heat.tick_params(labelsize=12, pad=2, length=0)
        self.ax_heat.set_yticks([0, H - 1], ["1", str(H)])
        self.ax_heat.set_ylabel("нейрон", fontsize=12, labelpad=0)
        self.ax_heat.set_title(
            "Скрытое состояние $h_t$: каждый столбец — шаг, цвет — значение от −1 до 1", fontsize=13, pad=4
        )
        bar = fig.colorbar(self.heat, cax=cax, ticks=[-1, 0, 1])
        bar.ax.tick_params(labelsize=12, pad=2)
        bar.ax.set_yticklabels(["−1", "0", "1"])

    def show(self, current: int):
        """Highlight step ``current`` (1 … T): the copies read so far in black, the current one orange, the
        states h_1 … h_current in the heat strip. Returns the figure."""
        frame = unroll_frame(self.hs, current)
        for t in range(len(self.words)):
            step = t + 1
            state = "now" if step == current else "done" if step < current else "future"
            face, ink, width = _CHAIN_STYLE[state]
            self.boxes[t].set(facecolor=face, edgecolor=ink, linewidth=width)
            self.cells[t].set_color(ink)
            self.inputs[t].set(color=ink, weight="bold" if state == "now" else "normal")
            self.in_arrows[t].set_color(ink)
            self.up_arrows[t].set_color(ink)
            label = f"$h_{{{step}}}$"
            if self.predictions is not None and step <= current:
                label += f"\n→ {self.predictions[t]}"
            self.labels[t].set(text=label, color=ink)
            if t > 0:
                self.links[t - 1].set_color(ink)
        self.title.set_text(f"Шаг {current} из {len(self.words)}: сеть прочитала «{' '.join(self.words[:current])}»")
        self.heat.set_data(frame)
        return self.fig


def draw_unrolling(fig, words: Sequence[str], hs, current: int, predictions: Sequence[str] | None = None):
    """Draw on ``fig``: the unrolled chain over ``words`` with step ``current`` (1 … T) highlighted and, below,
    the heat strip of ``hs: (T, H)`` for steps 1 … current. ``predictions`` (one word per step) are written
    above the states. Returns ``fig`` (an ``UnrollingPicture`` shown once)."""
    return UnrollingPicture(fig, words, hs, predictions).show(current)


def unrolling_widget(words: Sequence[str], hs, predictions: Sequence[str] | None = None) -> W.VBox:
    """A slider over the steps of ``words`` showing ``UnrollingPicture`` in an image.

    The figure is built once and every step's frame rendered ahead, so moving the slider only swaps PNGs."""
    words = list(words)
    step = int_slider("шаг t", 1, 1, len(words))
    picture = UnrollingPicture(agg_figure(UNROLL_FIGSIZE, dpi=SHOWN_DPI), words, hs, predictions)
    box = tight_box(picture.show(len(words)))  # the last step has the longest title
    frame = lru_cache(maxsize=None)(lambda current: png_bytes(picture.show(current), box))
    for current in range(1, len(words) + 1):  # a sentence: a few frames, rendered ahead (~0.1 s each)
        frame(current)
    picture_view = image(frame(1), width_px=box[2] - box[0])  # shown at its own size
    step.observe(lambda change: setattr(picture_view, "value", frame(change["new"])), names="value")
    return panel([step, picture_view])


# -------------------------------------------------------------------------------------- vanishing gradient


def gradient_curve(scale: float, T: int, hidden_size: int = 32, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``(k, norms)``: ``k = 0 … T−1`` and ``norms[k] = ‖∂h_T/∂h_{T−k}‖`` for a random tanh RNN whose
    recurrent weights have gain ``scale`` (``lib.rnn.init_params``), fed ``T`` random numbers ``x_t ~ N(0, 1)``.

    The same ``seed`` gives the same weights and the same first inputs for every ``T`` and ``scale``.
    """
    check_positive("scale", scale)
    check_positive("T", T, integer=True)
    p = init_params(1, hidden_size, seed=seed, scale=scale)
    xs = np.random.default_rng(seed + 1).standard_normal((T, 1))
    return np.arange(T), jacobian_norms(p, xs)


def regime(norms) -> str:
    """«затухает» if the farthest norm is below 1e-3, «взрывается» if above 1e3, otherwise «держится»."""
    last = float(np.asarray(norms)[-1])
    if last < 1e-3:
        return "затухает"
    if last > 1e3:
        return "взрывается"
    return "держится"


def sci(x: float) -> str:
    """``x`` in mathtext scientific notation: ``2.8e11 → '$2.8 \\cdot 10^{11}$'`` (0.01 … 1000 as is)."""
    x = float(x)
    if x == 0 or 1e-2 <= abs(x) < 1e3:
        return f"{x:.3g}"
    e = int(np.floor(np.log10(abs(x))))
    m = x / 10.0**e
    if round(m, 1) >= 10:
        m, e = m / 10, e + 1
    return rf"${m:.1f} \cdot 10^{{{e}}}$"


def draw_gradient_curve(ax, k, norms, scale: float, x_max: int | None = None):
    """``norms`` against the distance ``k`` on a log scale, with fixed limits ``Y_RANGE`` (and ``0 … x_max``
    along the distance if given, so that a longer sequence draws a longer curve)."""
    ax.semilogy([], [], lw=3)
    ax.axhline(1.0, color=PALETTE["grey"], lw=1.5, ls="--")
    ax.set_ylim(*Y_RANGE)
    ax.set_xlabel("расстояние $T - t$ (шагов назад)", fontsize=14)
    ax.set_ylabel(r"$\|\partial h_T / \partial h_t\|$", fontsize=14)
    ax.tick_params(labelsize=13)  # sizes of their own (not the style's): legible as shown, with or without it
    ax.set_title(" ", fontsize=14)
    return _update_gradient_curve(ax, k, norms, scale, x_max)


def _update_gradient_curve(ax, k, norms, scale: float, x_max: int | None = None):
    """Put a new curve on an axes made by ``draw_gradient_curve``: its data, colour (the regime), title, x-range."""
    k = np.asarray(k)
    line = ax.lines[0]
    line.set_data(k, np.clip(np.asarray(norms, dtype=float), *Y_RANGE))
    line.set_color(
        {"затухает": PALETTE["blue"], "взрывается": PALETTE["vermillion"]}.get(regime(norms), PALETTE["green"])
    )
    ax.set_xlim(0, x_max if x_max is not None else max(int(k[-1]), 1))
    ax.title.set_text(f"масштаб весов {scale:.1f}: через {int(k[-1])} шагов норма {sci(norms[-1])} — {regime(norms)}")
    return ax


def gradient_widget(scale: float = 1.0, T: int = 60, hidden_size: int = 32, seed: int = 0) -> W.VBox:
    """Sliders for the recurrent weight scale and the sequence length, redrawing ``draw_gradient_curve``.

    The figure is built once and its curve updated in place; each (scale, T) frame is rendered once, then
    served from a cache (the slider steps make the pairs finitely many)."""
    s_scale = slider("масштаб W_h", scale, 0.1, 4.0, 0.1, width=_SLIDER_WIDTH)
    s_T = int_slider("длина T", T, 5, 200, 5, width=_SLIDER_WIDTH)
    fig = agg_figure(GRADIENT_FIGSIZE, dpi=SHOWN_DPI)
    ax = fig.subplots()
    draw_gradient_curve(ax, *gradient_curve(scale, T, hidden_size, seed), scale, x_max=s_T.max)
    fig.tight_layout()  # once: the axes keep their place
    frames = FrameRenderer(fig, [ax.lines[0], ax.title])  # only the curve and the title change

    @lru_cache(maxsize=512)
    def frame(scale: float, T: int) -> bytes:
        _update_gradient_curve(ax, *gradient_curve(scale, T, hidden_size, seed), scale, x_max=s_T.max)
        return frames.png()

    picture_view = image(frame(round(s_scale.value, 6), s_T.value), width_px=fig.bbox.width)  # at its own size

    def redraw(*_):
        picture_view.value = frame(round(s_scale.value, 6), s_T.value)

    s_scale.observe(redraw, names="value")
    s_T.observe(redraw, names="value")
    return panel([row([s_scale, s_T]), picture_view])
