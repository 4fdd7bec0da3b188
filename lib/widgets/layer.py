"""Widget of notebook 2: look at one test digit and the ten weighted sums of the layer.

What to show is computed by ``lib.layer.digit_view`` (which image, its sums, the winner, the true class) and
``lib.layer.mistake_indices``; here are only the picture (``DigitPicture`` / ``draw_digit_view``) and
``digit_explorer``, which wires a slider and a toggle «только ошибки» to them.

Projector (1280×720 at 150 %: about 670×360 CSS px of notebook on one screen): the explorer is a ``panel`` (text
in em, so it grows with Presentation Mode) with one row of controls, one line of text and a picture drawn at the
size it is shown (``SHOWN_DPI``: 1 PNG px = 1 CSS px at the prose's 14 px), so its smallest text, 9 pt, is
12,5 px on the screen (``lib.plots.MIN_TEXT_PX`` = 12).

Speed (a teacher moves the slider in front of a class): the figure is built once, outside pyplot
(``agg_figure``), its artists are updated in place and the PNG (``png_bytes``) goes to an ``ipywidgets.Image``,
which the browser swaps in place; frames already seen are cached. The helpers are in ``lib.widgets.render``.
"""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as W
import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from lib.digits import show_digit
from lib.layer import DigitView, LayerParams, digit_view, mistake_indices
from lib.plots import PALETTE
from lib.widgets import image, int_slider, panel, row, toggle
from lib.widgets.render import agg_figure, png_bytes, tight_box

__all__ = ["DigitPicture", "digit_explorer", "draw_digit_view"]

SHOWN_DPI = 100  # a picture point is a shown pixel ×100/72: 9 pt = 12,5 px at the prose's normal size
FIGSIZE = (6.4, 2.55)  # inches at SHOWN_DPI → ≈ 640 × 255 px, under one row of controls and one line of text
LINE, TRUE_LINE = 0.8, 2.4  # the bars' outlines in points: the true class's is thick
_RC = {
    "font.size": 9.5,
    "axes.titlesize": 10.5,
    "axes.labelsize": 9.5,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9,
    "axes.linewidth": 0.9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


class DigitPicture:
    """The figure of ``draw_digit_view``, built once on ``fig`` and then updated in place by ``show``.

    Left, the image; right, the ten weighted sums as bars: the winner's bar coloured (blue if right,
    vermillion if wrong), the true class marked with ★, a thick outline and a bold label. The sizes of text and
    lines are for a figure shown at its own size at ``SHOWN_DPI``."""

    def __init__(self, fig: Figure, first: DigitView):
        self.fig = fig
        with mpl.rc_context(_RC):
            self.ax_img, self.ax_bar = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 2.6]})
            self.im = show_digit(self.ax_img, first.image.ravel(), title=" ", fontsize=_RC["axes.titlesize"])
            K = len(first.sums)
            self.bars = self.ax_bar.bar(range(K), np.zeros(K), color=PALETTE["grey"], edgecolor="black", linewidth=LINE)
            self.star = self.ax_bar.text(0, 0, "★", ha="center", va="bottom", fontsize=14)
            self.ax_bar.axhline(0, color="black", linewidth=0.8)
            self.ax_bar.set_xticks(range(K), [str(k) for k in range(K)])
            self.ax_bar.tick_params(length=3, pad=2)
            self.ax_bar.set_xlabel("нейрон (цифра);  ★ — верный ответ", labelpad=2)
            self.ax_bar.set_ylabel("взвешенная сумма", labelpad=2)
            self.ax_bar.set_title(" ")
            self.show(first)
            fig.tight_layout(pad=0.3, w_pad=1.0)  # once: the axes keep their places, only their contents change

    def show(self, view: DigitView) -> Figure:
        """Put ``view`` on the figure (image, bars, ★, limits, titles); returns the figure."""
        self.im.set_data(view.image)
        self.ax_img.set_title(f"картинка № {view.index}", fontsize=_RC["axes.titlesize"])
        win_color = PALETTE["blue"] if view.correct else PALETTE["vermillion"]
        for k, (bar, value) in enumerate(zip(self.bars, view.sums)):
            bar.set_height(value)
            bar.set_facecolor(win_color if k == view.winner else PALETTE["grey"])
            bar.set_linewidth(TRUE_LINE if k == view.true else LINE)
        top = max(view.sums.max(), 0.0)
        span = (view.sums.max() - min(view.sums.min(), 0.0)) or 1.0
        self.star.set_position((view.true, max(view.sums[view.true], 0.0) + 0.03 * span))
        self.ax_bar.set_ylim(min(view.sums.min(), 0.0) - 0.05 * span, top + 0.25 * span)
        for k, label in enumerate(self.ax_bar.get_xticklabels()):
            label.set_fontweight("bold" if k == view.true else "normal")
        verdict = "верно" if view.correct else f"ошибка, на самом деле {view.true}"
        self.ax_bar.title.set_text(f"ответ слоя: {view.winner} ({verdict})")
        self.ax_bar.title.set_color("black" if view.correct else PALETTE["vermillion"])
        return self.fig


def draw_digit_view(view: DigitView) -> Figure:
    """The figure of one ``view`` (a ``DigitPicture`` on a fresh figure, outside pyplot)."""
    return DigitPicture(agg_figure(FIGSIZE, dpi=SHOWN_DPI), view).fig


def digit_explorer(p: LayerParams, X, y) -> W.VBox:
    """Slider over the test images + toggle «только ошибки» → the picture of ``DigitPicture``.

    Over all images the slider shows the image's number in the test set (0 … N − 1); over the mistakes it
    counts them from 1 («ошибка 5 из 35» is the slider at 5). A ``panel``: the controls in one row (they wrap
    on a narrow page), a line of text, the picture ≈ 640 px wide as drawn (in em, so all of it grows with
    Presentation Mode; it shrinks to fit a narrower notebook). The figure is built once and redrawn in place;
    each frame (keyed by the toggle and the position) is rendered once and then served from a cache."""
    n_mistakes = len(mistake_indices(p, X, y))
    pos = int_slider("картинка №", 0, 0, len(X) - 1, width="26em")
    only = toggle(f"только ошибки ({n_mistakes})", icon="filter", disabled=n_mistakes == 0)
    info = W.HTML()
    picture = DigitPicture(agg_figure(FIGSIZE, dpi=SHOWN_DPI), digit_view(p, X, y, 0))
    box = tight_box(picture.fig, pad_inches=0.04)
    view_img = image(width_px=box[2] - box[0])

    @lru_cache(maxsize=256)
    def frame(only_mistakes: bool, position: int) -> tuple[DigitView, bytes]:
        view = digit_view(p, X, y, position, only_mistakes=only_mistakes)
        return view, png_bytes(picture.show(view), box)

    def redraw(*_):
        position = pos.value - 1 if only.value else pos.value  # mistakes are counted from 1
        view, png = frame(only.value, position)
        view_img.value = png
        if only.value:
            info.value = f"<b>ошибка {pos.value} из {view.n_choices}</b>: тестовая картинка № {view.index}"
        else:
            info.value = f"<b>тестовая картинка № {view.index}</b> (всего {len(X)}, номера 0 … {len(X) - 1})"

    def switch(change):
        pos.unobserve(redraw, names="value")  # one redraw, after both changes
        if change["new"]:
            pos.description = "ошибка №"
            pos.min, pos.max, pos.value = 0, n_mistakes, 1
            pos.min = 1
        else:
            pos.description = "картинка №"
            pos.max, pos.min, pos.value = len(X) - 1, 0, 0
        pos.observe(redraw, names="value")
        redraw()

    pos.observe(redraw, names="value")
    only.observe(switch, names="value")
    redraw()
    return panel([row([pos, only], align_items="center"), info, view_img])
