"""Widgets of notebook 4 «Рекуррентные сети»: the unrolled chain step by step, and the fading gradient.

Each widget only wires sliders to plain functions tested in ``tests/test_widgets_rnn.py``:

``unroll_frame(hs, current) -> (H, T)``            states h_1 … h_current as columns, NaN after ``current``
``draw_unrolling(fig, words, hs, current, predictions=None)``   the chain with step ``current`` highlighted,
                                                    above it a heat strip of h_t for every step so far
``gradient_curve(scale, T, hidden_size=32, seed=0) -> (k, norms)``  ‖∂h_T/∂h_{T−k}‖ of a random RNN
``regime(norms) -> str``                            «затухает», «взрывается» or «держится»
``draw_gradient_curve(ax, k, norms, scale, x_max=None)``  the curve on a log scale, fixed axes
``unrolling_widget(words, hs, predictions=None)``, ``gradient_widget(scale=1.0, T=60)``  the ipywidgets
(each redraws a matplotlib figure into an ``ipywidgets.Image``, replaced in place)
"""
from __future__ import annotations

import io
from typing import Sequence

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from lib.checks import as_array, check_positive
from lib.plots import PALETTE, STATE_CMAP, heat_strip
from lib.rnn import init_params, jacobian_norms
from lib.widgets import int_slider, slider

__all__ = ["unroll_frame", "draw_unrolling", "unrolling_widget", "gradient_curve", "regime",
           "draw_gradient_curve", "gradient_widget", "sci", "png_of", "Y_RANGE"]

Y_RANGE = (1e-16, 1e16)       # fixed limits of the gradient plot, so that moving a slider moves the curve


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


def _draw_chain(ax, words: Sequence[str], current: int, predictions: Sequence[str] | None) -> None:
    """Copies of one cell A in a row: x_t (a word) enters from below, h_t goes up and on to the next copy."""
    T = len(words)
    ax.set_xlim(-0.7, T - 0.3)
    ax.set_ylim(-1.25, 1.45)
    ax.axis("off")
    for t, word in enumerate(words):
        step = t + 1
        done, now = step <= current, step == current
        face = PALETTE["orange"] if now else ("#FFE9B8" if done else "#F2F2F2")
        edge = PALETTE["black"] if done else PALETTE["grey"]
        ink = PALETTE["black"] if done else PALETTE["grey"]
        ax.add_patch(FancyBboxPatch((t - 0.3, -0.3), 0.6, 0.6, boxstyle="round,pad=0.02,rounding_size=0.08",
                                    facecolor=face, edgecolor=edge, linewidth=3.5 if now else 2))
        ax.text(t, 0, "A", ha="center", va="center", fontsize=17, color=ink, weight="bold")
        ax.text(t, -1.0, word, ha="center", va="center", fontsize=14, color=ink,
                weight="bold" if now else "normal")
        ax.add_patch(FancyArrowPatch((t, -0.8), (t, -0.32), arrowstyle="-|>", mutation_scale=16, color=edge, lw=2))
        ax.add_patch(FancyArrowPatch((t, 0.32), (t, 0.75), arrowstyle="-|>", mutation_scale=16, color=edge, lw=2))
        label = f"$h_{{{step}}}$"
        if predictions is not None and done:
            label += f"\n→ {predictions[t]}"
        ax.text(t, 0.82, label, ha="center", va="bottom", fontsize=13, color=ink)
        if t > 0:
            prev_done = step - 1 <= current
            ax.add_patch(FancyArrowPatch((t - 0.68, 0), (t - 0.32, 0), arrowstyle="-|>", mutation_scale=16,
                                         color=PALETTE["black"] if done and prev_done else PALETTE["grey"], lw=2))


def draw_unrolling(fig, words: Sequence[str], hs, current: int, predictions: Sequence[str] | None = None):
    """Draw on ``fig``: the unrolled chain over ``words`` with step ``current`` (1 … T) highlighted and, below,
    the heat strip of ``hs: (T, H)`` for steps 1 … current. ``predictions`` (one word per step) are written
    above the states. Returns ``fig``."""
    words = list(words)
    hs = as_array("hs", hs, ndim=2)
    if len(words) != hs.shape[0]:
        raise ValueError(f"words: ожидалось {hs.shape[0]} слов (по одному на шаг hs), получено {len(words)}")
    if predictions is not None and len(predictions) != len(words):
        raise ValueError(f"predictions: ожидалось {len(words)} слов, получено {len(predictions)}")
    frame = unroll_frame(hs, current)
    fig.clear()
    ax_chain, ax_heat = fig.subplots(2, 1, gridspec_kw={"height_ratios": [1.15, 1]})
    _draw_chain(ax_chain, words, current, predictions)
    ax_chain.set_title(f"Шаг {current} из {len(words)}: сеть прочитала «{' '.join(words[:current])}»", fontsize=15)
    heat_strip(ax_heat, frame, col_labels=[f"$h_{{{t + 1}}}$" for t in range(len(words))], colorbar=True)
    ax_heat.set_yticks([0, hs.shape[1] - 1], ["1", str(hs.shape[1])])
    ax_heat.set_ylabel("нейрон")
    ax_heat.set_title("Скрытое состояние $h_t$: каждый столбец — шаг, цвет — значение от −1 до 1", fontsize=13)
    return fig


def png_of(fig) -> bytes:
    """The PNG bytes of ``fig`` (then closed): what an ``ipywidgets.Image`` shows, replaced in place."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi)
    plt.close(fig)
    return buf.getvalue()


def unrolling_widget(words: Sequence[str], hs, predictions: Sequence[str] | None = None) -> W.VBox:
    """A slider over the steps of ``words`` redrawing ``draw_unrolling`` into an image."""
    words = list(words)
    step = int_slider("шаг t", 1, 1, len(words))
    image = W.Image(format="png")

    def redraw(*_):
        fig = plt.figure(figsize=(11, 6.3))
        image.value = png_of(draw_unrolling(fig, words, hs, step.value, predictions))

    step.observe(redraw, names="value")
    redraw()
    return W.VBox([step, image])


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
    m = x / 10.0 ** e
    if round(m, 1) >= 10:
        m, e = m / 10, e + 1
    return rf"${m:.1f} \cdot 10^{{{e}}}$"


def draw_gradient_curve(ax, k, norms, scale: float, x_max: int | None = None):
    """``norms`` against the distance ``k`` on a log scale, with fixed limits ``Y_RANGE`` (and ``0 … x_max``
    along the distance if given, so that a longer sequence draws a longer curve)."""
    k = np.asarray(k)
    shown = np.clip(np.asarray(norms, dtype=float), *Y_RANGE)
    color = {"затухает": PALETTE["blue"], "взрывается": PALETTE["vermillion"]}.get(regime(norms), PALETTE["green"])
    ax.semilogy(k, shown, color=color, lw=3)
    ax.axhline(1.0, color=PALETTE["grey"], lw=1.5, ls="--")
    ax.set_ylim(*Y_RANGE)
    ax.set_xlim(0, x_max if x_max is not None else max(int(k[-1]), 1))
    ax.set_xlabel("расстояние $T - t$ (шагов назад)")
    ax.set_ylabel(r"$\|\partial h_T / \partial h_t\|$")
    ax.set_title(f"масштаб весов {scale:.1f}: через {int(k[-1])} шагов норма {sci(norms[-1])} — {regime(norms)}",
                 fontsize=15)
    return ax


def gradient_widget(scale: float = 1.0, T: int = 60, hidden_size: int = 32, seed: int = 0) -> W.VBox:
    """Sliders for the recurrent weight scale and the sequence length, redrawing ``draw_gradient_curve``."""
    s_scale = slider("масштаб W_h", scale, 0.1, 4.0, 0.1)
    s_T = int_slider("длина T", T, 5, 200, 5)
    image = W.Image(format="png")

    def redraw(*_):
        k, norms = gradient_curve(s_scale.value, s_T.value, hidden_size, seed)
        fig, ax = plt.subplots(figsize=(9, 5))
        draw_gradient_curve(ax, k, norms, s_scale.value, x_max=s_T.max)
        image.value = png_of(fig)

    s_scale.observe(redraw, names="value")
    s_T.observe(redraw, names="value")
    redraw()
    return W.VBox([s_scale, s_T, image])
