"""Widget of notebook 2: look at one test digit and the ten weighted sums of the layer.

The logic is two plain functions, tested in pytest: ``digit_view`` (which image, its sums, the winner, the
true class) and ``draw_digit_view`` (a figure of them). ``digit_explorer`` only wires a slider and a toggle
«только ошибки» to them.
"""
from __future__ import annotations

from typing import NamedTuple

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np

from lib.digits import IMAGE_SHAPE, show_digit
from lib.layer import LayerParams, check_labels, predict, weighted_sums
from lib.plots import PALETTE
from lib.widgets import LAYOUT, int_slider

__all__ = ["DigitView", "mistake_indices", "digit_view", "draw_digit_view", "digit_explorer"]


class DigitView(NamedTuple):
    """What the widget shows for one test image: its ``index`` in the test set, ``image: (8, 8)``,
    ``sums: (K,)``, the ``winner`` (the layer's answer), the ``true`` class, and how many images the slider
    currently runs over (``n_choices``: all of them, or only the mistakes)."""

    index: int
    image: np.ndarray
    sums: np.ndarray
    winner: int
    true: int
    n_choices: int

    @property
    def correct(self) -> bool:
        return self.winner == self.true


def mistake_indices(p: LayerParams, X, y) -> np.ndarray:
    """Indices of the images ``X: (N, 64)`` the layer answers wrongly (``y: (N,)`` the true classes)."""
    pred = predict(p, X)
    y = check_labels("y", y, n=len(pred))
    return np.flatnonzero(pred != y)


def digit_view(p: LayerParams, X, y, position: int, *, only_mistakes: bool = False) -> DigitView:
    """The ``position``-th test image (or the ``position``-th mistake when ``only_mistakes``) and its sums."""
    X = np.asarray(X, dtype=np.float64)
    choices = mistake_indices(p, X, y) if only_mistakes else np.arange(len(X))
    if len(choices) == 0:
        raise ValueError("only_mistakes: ошибок нет, показывать нечего")
    if not isinstance(position, (int, np.integer)) or not 0 <= position < len(choices):
        raise ValueError(f"position: ожидался номер от 0 до {len(choices) - 1}, получено {position!r}")
    i = int(choices[position])
    sums = weighted_sums(p, X[i])
    return DigitView(index=i, image=X[i].reshape(IMAGE_SHAPE), sums=sums, winner=int(np.argmax(sums)),
                     true=int(y[i]), n_choices=len(choices))


def draw_digit_view(view: DigitView):
    """Figure: the image on the left, the ten weighted sums as bars on the right; the winner's bar is
    coloured (blue if right, vermillion if wrong) and the true class is marked with ★ and a bold label."""
    fig, (ax_img, ax_bar) = plt.subplots(1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [1, 2.4]})
    show_digit(ax_img, view.image.ravel(), title=f"тестовая картинка № {view.index}", fontsize=15)
    K = len(view.sums)
    win_color = PALETTE["blue"] if view.correct else PALETTE["vermillion"]
    colors = [win_color if k == view.winner else PALETTE["grey"] for k in range(K)]
    bars = ax_bar.bar(range(K), view.sums, color=colors, edgecolor="black", linewidth=1.0)
    bars[view.true].set_linewidth(3.0)
    top = max(view.sums.max(), 0.0)
    span = (view.sums.max() - min(view.sums.min(), 0.0)) or 1.0
    ax_bar.text(view.true, max(view.sums[view.true], 0.0) + 0.03 * span, "★", ha="center", va="bottom",
                fontsize=22)
    ax_bar.set_ylim(min(view.sums.min(), 0.0) - 0.05 * span, top + 0.25 * span)
    ax_bar.axhline(0, color="black", linewidth=1)
    ax_bar.set_xticks(range(K), [str(k) for k in range(K)])
    ax_bar.get_xticklabels()[view.true].set_fontweight("bold")
    ax_bar.set_xlabel("нейрон (цифра);  ★ — верный ответ")
    ax_bar.set_ylabel("взвешенная сумма")
    verdict = "верно" if view.correct else f"ошибка, на самом деле {view.true}"
    ax_bar.set_title(f"ответ слоя: {view.winner} ({verdict})", color="black" if view.correct else
                     PALETTE["vermillion"])
    fig.tight_layout()
    return fig


def digit_explorer(p: LayerParams, X, y) -> W.VBox:
    """Slider «картинка» over the test images + toggle «только ошибки» → the figure of ``draw_digit_view``."""
    n_mistakes = len(mistake_indices(p, X, y))
    pos = int_slider("картинка", 0, 0, len(X) - 1)
    only = W.ToggleButton(value=False, description=f"только ошибки ({n_mistakes})", icon="filter",
                          layout=W.Layout(width="220px"), disabled=n_mistakes == 0)
    info = W.HTML(layout=LAYOUT)
    out = W.Output()

    def redraw(*_):
        view = digit_view(p, X, y, pos.value, only_mistakes=only.value)
        if only.value:
            info.value = f"<b>ошибка {pos.value + 1} из {view.n_choices}</b>: тестовая картинка № {view.index}"
        else:
            info.value = f"<b>тестовая картинка № {view.index}</b> (всего {len(X)}, номера 0 … {len(X) - 1})"
        with out:
            out.clear_output(wait=True)
            draw_digit_view(view)
            plt.show()

    def switch(change):
        pos.unobserve(redraw, names="value")  # one redraw, after both changes
        pos.value = 0
        pos.max = (n_mistakes if change["new"] else len(X)) - 1
        pos.observe(redraw, names="value")
        redraw()

    pos.observe(redraw, names="value")
    only.observe(switch, names="value")
    redraw()
    return W.VBox([W.HBox([pos, only]), info, out])
