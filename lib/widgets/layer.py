"""Widget of notebook 2: look at one test digit and the ten weighted sums of the layer.

What to show is computed by ``lib.layer.digit_view`` (which image, its sums, the winner, the true class) and
``lib.layer.mistake_indices``; here are only the picture (``DigitPicture`` / ``draw_digit_view``) and
``digit_explorer``, which wires a slider and a toggle «только ошибки» to them.

Speed (a teacher moves the slider in front of a class): the widgets of notebooks 2–4 build their matplotlib
figure once, outside pyplot (``agg_figure``), update its artists in place and send the PNG (``png_bytes``, or
``FrameRenderer`` when only the insides of the axes change) to an ``ipywidgets.Image``, which the browser swaps in
place; frames already seen are cached. The helpers are in ``lib.widgets.render``.
"""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from lib.digits import show_digit
from lib.layer import DigitView, LayerParams, digit_view, mistake_indices
from lib.plots import PALETTE
from lib.widgets.render import agg_figure, png_bytes

__all__ = ["DigitPicture", "digit_explorer", "draw_digit_view"]

FIGSIZE = (11, 4.2)  # inches; shown at the notebook's width (the image scales, its aspect stays)


class DigitPicture:
    """The figure of ``draw_digit_view``, built once on ``fig`` and then updated in place by ``show``.

    Left, the image; right, the ten weighted sums as bars: the winner's bar coloured (blue if right,
    vermillion if wrong), the true class marked with ★, a thick outline and a bold label."""

    def __init__(self, fig: Figure, first: DigitView):
        self.fig = fig
        self.ax_img, self.ax_bar = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 2.4]})
        self.im = show_digit(self.ax_img, first.image.ravel(), title=" ", fontsize=15)
        K = len(first.sums)
        self.bars = self.ax_bar.bar(range(K), np.zeros(K), color=PALETTE["grey"], edgecolor="black", linewidth=1.0)
        self.star = self.ax_bar.text(0, 0, "★", ha="center", va="bottom", fontsize=22)
        self.ax_bar.axhline(0, color="black", linewidth=1)
        self.ax_bar.set_xticks(range(K), [str(k) for k in range(K)])
        self.ax_bar.set_xlabel("нейрон (цифра);  ★ — верный ответ")
        self.ax_bar.set_ylabel("взвешенная сумма")
        self.ax_bar.set_title(" ")
        self.show(first)
        fig.tight_layout()  # once: the axes keep their places, only their contents change

    def show(self, view: DigitView) -> Figure:
        """Put ``view`` on the figure (image, bars, ★, limits, titles); returns the figure."""
        self.im.set_data(view.image)
        self.ax_img.set_title(f"тестовая картинка № {view.index}", fontsize=15)
        win_color = PALETTE["blue"] if view.correct else PALETTE["vermillion"]
        for k, (bar, value) in enumerate(zip(self.bars, view.sums)):
            bar.set_height(value)
            bar.set_facecolor(win_color if k == view.winner else PALETTE["grey"])
            bar.set_linewidth(3.0 if k == view.true else 1.0)
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
    return DigitPicture(agg_figure(FIGSIZE), view).fig


def digit_explorer(p: LayerParams, X, y) -> W.VBox:
    """Slider over the test images + toggle «только ошибки» → the picture of ``DigitPicture``.

    Over all images the slider shows the image's number in the test set (0 … N − 1); over the mistakes it
    counts them from 1 («ошибка 5 из 35» is the slider at 5). Sizes are relative (em, %), so the controls
    and the picture scale with the browser's zoom and fit a projector's width. The figure is built once and
    redrawn in place into an ``ipywidgets.Image``; each frame (keyed by the toggle and the position) is
    rendered once and then served from a cache."""
    n_mistakes = len(mistake_indices(p, X, y))
    pos = W.IntSlider(
        value=0,
        min=0,
        max=len(X) - 1,
        description="картинка №",
        continuous_update=True,
        style={"description_width": "7em"},
        layout=W.Layout(width="26em", max_width="100%"),
    )
    only = W.ToggleButton(
        value=False,
        description=f"только ошибки ({n_mistakes})",
        icon="filter",
        layout=W.Layout(width="auto"),
        disabled=n_mistakes == 0,
    )
    info = W.HTML(layout=W.Layout(width="auto"))
    picture = DigitPicture(agg_figure(FIGSIZE), digit_view(p, X, y, 0))
    image = W.Image(format="png", layout=W.Layout(width="100%", max_width="52em", height="auto"))

    @lru_cache(maxsize=256)
    def frame(only_mistakes: bool, position: int) -> tuple[DigitView, bytes]:
        view = digit_view(p, X, y, position, only_mistakes=only_mistakes)
        return view, png_bytes(picture.show(view))

    def redraw(*_):
        position = pos.value - 1 if only.value else pos.value  # mistakes are counted from 1
        view, png = frame(only.value, position)
        image.value = png
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
    return W.VBox(
        [W.HBox([pos, only], layout=W.Layout(flex_flow="row wrap", width="100%")), info, image],
        layout=W.Layout(width="100%"),
    )
