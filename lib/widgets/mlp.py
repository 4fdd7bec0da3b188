"""Widgets of notebook 3: what a hidden layer does to XOR, and how backpropagation learns it.

The model logic lives in ``lib.mlp`` (``xor_hidden_view``: two hidden units set by hand and the best output
neuron on top of them; ``train``: gradient descent); this module draws and wires controls:

* ``XorSpacesPicture`` (built once, updated in place by ``show``) and ``draw_xor_spaces`` (one such pyplot
  figure): the figure used by the notebook and both widgets: the input space with the network's decision
  regions, the hidden space with the four points where the hidden layer moved them (and the loss);
* ``XorTraining``: the state of the «шаг / 100 шагов» buttons (the network after so many steps of ``lib.mlp.train``).
"""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as W
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.ticker import FuncFormatter

from lib.checks import check_positive
from lib.data import logic_table
from lib.fmt import num
from lib.mlp import MLPParams, forward, init_mlp, loss, predict, train, xor_hidden_view
from lib.plots import PALETTE, mark_points
from lib.widgets import button, column, em, image, int_slider, panel, row, slider
from lib.widgets.render import FrameRenderer, agg_figure, tight_box

# fmt: off
__all__ = ["XOR_BY_HAND", "XorSpacesPicture", "XorTraining", "draw_xor_spaces", "xor_hidden_explorer",
           "xor_training_widget"]
# fmt: on

# Hidden unit 1 ≈ OR, hidden unit 2 ≈ NAND, as sigmoid units (the threshold made smooth): weights ×6.
XOR_BY_HAND = {"w11": 6.0, "w12": 6.0, "b1": -3.0, "w21": -6.0, "w22": -6.0, "b2": 9.0}

# axis numbers with the decimal comma of the course: 0,5 and −0,5, not 0.5 and -0.5
_COMMA = FuncFormatter(lambda v, _: f"{v:g}".replace("-", "−").replace(".", ","))
_LIGHT = {0: "#F7DDB0", 1: "#B9D7EC"}  # light orange / light blue: the regions of answers 0 and 1


def _group_labels(H: np.ndarray, X: np.ndarray) -> list[tuple[np.ndarray, str]]:
    """Points of ``H`` that (nearly) coincide share one label, e.g. «(0, 1) и (1, 0)»."""
    groups: list[tuple[np.ndarray, list[str]]] = []
    for h, x in zip(H, X):
        name = f"({x[0]:g}, {x[1]:g})"
        for pos, names in groups:
            if np.allclose(pos, h, atol=0.02):
                names.append(name)
                break
        else:
            groups.append((h, [name]))
    return [(pos, " и ".join(names)) for pos, names in groups]


_REGIONS = ListedColormap([_LIGHT[0], _LIGHT[1]])
_GRID = 241  # pixels per side of the decision-region images
# regions 0/1 as an image under the grid; "nearest" keeps the colours flat (a PNG a third the size of a
# blended edge's, 57 against 179 kB per figure), and at 241 pixels a side the steps of the edge are ~1.5 px
_REGION_STYLE = {"origin": "lower", "cmap": _REGIONS, "vmin": 0, "vmax": 1, "interpolation": "nearest", "zorder": 1}


def _line_xy(w, b, lim) -> tuple[np.ndarray, np.ndarray]:
    """Points of the line ``w[0]·u + w[1]·v + b = 0`` across the box ``lim × lim`` (none if ``w`` is 0).
    For a sigmoid unit it is where the unit outputs exactly ½."""
    u = np.linspace(*lim, 50)
    if abs(w[1]) > 1e-9:
        return u, -(w[0] * u + b) / w[1]
    if abs(w[0]) > 1e-9:
        return np.array([-b / w[0]] * 2), np.array(lim)
    return np.array([]), np.array([])


def _pixel_grid(lim) -> np.ndarray:
    """Centres of ``_GRID × _GRID`` square pixels covering the box ``lim × lim``: ``(_GRID², 2)``, row by row
    from the bottom (as ``imshow(origin="lower")`` draws them)."""
    edges = np.linspace(*lim, _GRID + 1)
    g = (edges[:-1] + edges[1:]) / 2
    gx, gy = np.meshgrid(g, g)
    return np.column_stack([gx.ravel(), gy.ravel()])


class XorSpacesPicture:
    """The figure of ``draw_xor_spaces`` (2 inputs → 2 hidden units → 1 output, on XOR), built once on ``fig``;
    ``show(p, losses)`` puts a network on it by updating the artists in place.

    Left, the input plane: the regions answered 0 (orange) and 1 (blue), the lines where each hidden unit
    switches (dashed), the four points; right, the hidden plane: the four points where the hidden layer put them
    and the output neuron's line. With ``with_losses`` a third panel shows the loss curve.
    """

    def __init__(
        self, fig, *, activation="sigmoid", with_losses=False, title: str | None = None, compact: bool = False
    ):
        """``compact``: a widget's picture (smaller points and labels, one legend under the whole figure)."""
        self.fig, self.activation = fig, activation
        self.X, self.y = logic_table("XOR")
        label_pt, size, self.offset = (9, 110, 9) if compact else (11, 220, 14)
        below = {"loc": "upper center", "bbox_to_anchor": (0.5, -0.24), "frameon": False, "fontsize": label_pt}
        if with_losses:
            axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 1, 0.9]})
        else:
            axes = fig.subplots(1, 2)
        ax_in, ax_h = self.ax_in, self.ax_h = axes[0], axes[1]

        in_lim = (-0.5, 1.5)
        self.in_grid = _pixel_grid(in_lim)
        self.in_regions = ax_in.imshow(np.zeros((_GRID, _GRID)), extent=in_lim * 2, **_REGION_STYLE)
        self.unit_lines = [
            ax_in.plot([], [], color=PALETTE["grey"], ls=ls, label=f"h{'₁₂'[j]} = ½")[0]
            for j, ls in ((0, "--"), (1, ":"))
        ]
        mark_points(ax_in, self.X, self.y, size=size)
        ax_in.set(xlim=in_lim, ylim=in_lim, xlabel="x₁", ylabel="x₂", title="входы: ответ сети")

        self.lo = -1.0 if activation == "tanh" else 0.0
        self.h_lim = (self.lo - 0.15, 1.15)
        self.h_grid = _pixel_grid(self.h_lim)
        self.h_regions = ax_h.imshow(np.zeros((_GRID, _GRID)), extent=self.h_lim * 2, **_REGION_STYLE)
        self.out_line = ax_h.plot([], [], color="black", ls="-", label="выходной нейрон")[0]
        mark_points(ax_h, self.X, self.y, size=size)
        self.h_points = ax_h.collections[-2:]  # the two classes' scatters, moved by ``show``
        self.h_labels = [
            ax_h.annotate("", (0, 0), textcoords="offset points", xytext=(0, 0), fontsize=label_pt)
            for _ in range(len(self.X))
        ]
        ax_h.set(xlim=self.h_lim, ylim=self.h_lim, xlabel="h₁", ylabel="h₂", title="скрытый слой")
        self.legend = None
        if compact:  # in one row under the figure if it is wide enough (laid out by the widget)
            handles = [*self.unit_lines, *ax_in.collections[-2:], self.out_line]
            ncol = 5 if with_losses else 3
            self.legend = fig.legend(handles=handles, loc="lower center", ncol=ncol, frameon=False, fontsize=label_pt)
        else:
            ax_in.legend(ncol=2, **below)
            ax_h.legend(**below)
        for ax in (ax_in, ax_h):
            ax.set_aspect("equal")
            ax.xaxis.set_major_formatter(_COMMA)
            ax.yaxis.set_major_formatter(_COMMA)

        self.loss_line = None
        if with_losses:
            self.ax_loss = axes[2]
            self.loss_line = self.ax_loss.plot([], [], color=PALETTE["blue"])[0]
            self.ax_loss.set(xlabel="шаг", ylabel="перекрёстная энтропия", title="обучение", ylim=(0, 0.8))
            self.ax_loss.set_xlim(0, 1000)
            self.ax_loss.yaxis.set_major_formatter(_COMMA)
        if title:
            fig.suptitle(title)

    def moving_artists(self) -> list:
        """What ``show`` changes (all inside the panels): the regions, the lines, the points, their labels."""
        moving = [self.in_regions, self.h_regions, *self.unit_lines, self.out_line]
        moving += [*self.ax_in.collections, *self.h_points, *self.h_labels]
        return moving + ([self.loss_line] if self.loss_line is not None else [])

    def show(self, p: MLPParams, losses=None):
        """Draw the network ``p`` (and the loss curve ``losses``, if the figure has its panel); returns the
        figure. Raises ``ValueError`` unless ``p`` is 2 → 2 → 1."""
        if p.W1.shape != (2, 2) or p.W2.shape != (1, 2):
            raise ValueError(f"p: нужна сеть 2 → 2 → 1, получены W1 {p.W1.shape}, W2 {p.W2.shape}")
        out = forward(p, self.in_grid, activation=self.activation).out[:, 0]
        self.in_regions.set_data((out >= 0.5).reshape(_GRID, _GRID).astype(float))
        for j, line in enumerate(self.unit_lines):
            line.set_data(*_line_xy(p.W1[j], p.b1[j], (-0.5, 1.5)))

        H = forward(p, self.X, activation=self.activation).h
        side = self.h_grid @ p.W2[0] + p.b2[0] > 0
        self.h_regions.set_data(side.reshape(_GRID, _GRID).astype(float))
        self.out_line.set_data(*_line_xy(p.W2[0], p.b2[0], self.h_lim))
        for cls, points in enumerate(self.h_points):
            points.set_offsets(H[self.y == cls])
        groups = _group_labels(H, self.X)
        centre = H.mean(axis=0)
        for k, label in enumerate(self.h_labels):
            if k >= len(groups):
                label.set_visible(False)
                continue
            pos, text = groups[k]
            c, s = _label_direction(pos, centre, self.lo)
            label.set(
                text=text,
                visible=True,
                ha="left" if c > 0.1 else "right" if c < -0.1 else "center",
                va="bottom" if s > 0.1 else "top" if s < -0.1 else "center",
            )
            label.xy = tuple(pos)
            label.xyann = (self.offset * c, self.offset * s)

        if self.loss_line is not None:
            losses = np.asarray([] if losses is None else losses, dtype=float)
            self.loss_line.set_data(np.arange(1, len(losses) + 1), losses)
            # the axis grows only in doublings from 1000 steps: between them a frame redraws only the line
            limit = self.ax_loss.get_xlim()[1]
            while len(losses) > limit:
                limit *= 2
            self.ax_loss.set_xlim(0, limit)
        return self.fig


def draw_xor_spaces(p: MLPParams, *, activation: str = "sigmoid", losses=None, title: str | None = None):
    """The figure of ``XorSpacesPicture`` for the network ``p`` (a pyplot figure, for a notebook cell):
    the input plane with the decision regions, the hidden plane with the four points and, with ``losses``,
    the loss curve."""
    figsize = (9.6, 4.5) if losses is None else (13.4, 4.5)
    picture = XorSpacesPicture(
        plt.figure(figsize=figsize), activation=activation, with_losses=losses is not None, title=title
    )
    try:
        picture.show(p, losses)
    except ValueError:
        plt.close(picture.fig)
        raise
    picture.fig.tight_layout()
    return picture.fig


def _label_direction(pos, centre, lo: float) -> tuple[float, float]:
    """Unit vector (one of 8 directions) along which to put a point's label: away from the centre of the
    points, turned back inside the box ``[lo, 1]²`` when the point is near an edge."""
    d = np.asarray(pos, dtype=float) - centre
    angle = np.arctan2(d[1], d[0]) if np.hypot(*d) > 1e-9 else np.pi / 2
    angle = np.round(angle / (np.pi / 4)) * (np.pi / 4)
    c, s = float(np.cos(angle)), float(np.sin(angle))
    span = 1.0 - lo
    if (pos[0] > 1.0 - 0.15 * span and c > 0.1) or (pos[0] < lo + 0.1 * span and c < -0.1):
        c = -c
    if (pos[1] > 1.0 - 0.15 * span and s > 0.1) or (pos[1] < lo + 0.1 * span and s < -0.1):
        s = -s
    return c, s


# A widget's picture is drawn at the size it is shown (1 PNG px = 1 CSS px at the prose's 14 px, 100 px per
# inch), so its text is shown at its own size: 9 pt = 12,5 px and more (lib.plots.MIN_TEXT_PX = 12).
_WIDGET_DPI = 100
_WIDGET_SIZE = {False: (4.05, 2.75), True: (6.55, 2.55)}  # → ≈ 400 and ≈ 650 px wide once cropped
_WIDGET_RC = {
    "font.size": 9.5,
    "axes.titlesize": 10.5,
    "axes.labelsize": 9.5,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "lines.linewidth": 1.8,
    "axes.linewidth": 0.9,
}


def _xor_widget_picture(*, with_losses: bool, first: MLPParams):
    """A compact ``XorSpacesPicture`` for a widget (outside pyplot), laid out once on ``first`` and cropped as
    a notebook plot; returns its width in px (as drawn, to show it at) and ``render(p, losses) -> PNG bytes``."""
    fig = agg_figure(_WIDGET_SIZE[with_losses], dpi=_WIDGET_DPI)
    with mpl.rc_context(_WIDGET_RC):
        picture = XorSpacesPicture(fig, with_losses=with_losses, compact=True)
        for ax in fig.axes:  # ticks made later (a wider loss axis) keep these sizes
            ax.tick_params(labelsize=_WIDGET_RC["xtick.labelsize"], length=3, pad=2)
        picture.show(first)
        fig.canvas.draw()  # the legend's height, to leave it room under the panels
        legend_h = picture.legend.get_window_extent().height / fig.bbox.height
        fig.tight_layout(pad=0.3, w_pad=0.6, rect=(0, legend_h, 1, 1))  # once: the panels keep their places
        box = tight_box(fig, pad_inches=0.04)
    frames = FrameRenderer(fig, picture.moving_artists(), box)

    def render(p: MLPParams, losses=None) -> bytes:
        picture.show(p, losses)
        return frames.png()

    return box[2] - box[0], render


def xor_hidden_explorer() -> W.VBox:
    """Six sliders (the two hidden units' weights and biases) → the picture of ``lib.mlp.xor_hidden_view``
    (``XorSpacesPicture``, built once and redrawn in place). Starts at ``XOR_BY_HAND`` (OR and NAND).

    For a projector (1280×720 at 150 %: about 670×360 CSS px of output on one screen): a column of compact
    sliders beside a picture drawn ≈ 400 px wide; in em, so it grows with Presentation Mode (where the picture
    shrinks a little to stay beside the sliders)."""
    names = {"w11": "w₁₁ · x₁", "w12": "w₁₂ · x₂", "b1": "b₁", "w21": "w₂₁ · x₁", "w22": "w₂₂ · x₂", "b2": "b₂"}
    sliders = {k: slider(label, XOR_BY_HAND[k], -10.0, 10.0, 0.5, width="15em") for k, label in names.items()}
    for s in sliders.values():
        s.style.description_width = "4em"
    reset = button("как в решении вручную", icon="undo")
    info = W.HTML()
    width_px, render = _xor_widget_picture(with_losses=False, first=xor_hidden_view(**XOR_BY_HAND).params)
    picture = image(width_px=width_px)

    @lru_cache(maxsize=1024)
    def frame(weights: tuple[float, ...]) -> tuple[int, bytes]:
        view = xor_hidden_view(*weights)
        return view.n_correct, render(view.params)

    def redraw(*_):
        n_correct, picture.value = frame(tuple(float(s.value) for s in sliders.values()))
        mark = "✔ точки разделимы прямой" if n_correct == 4 else "✘ одной прямой не разделить"
        info.value = f"<b>верно {n_correct} из 4</b> &nbsp; {mark}"

    def to_hand(_):
        for k, s in sliders.items():
            s.unobserve(redraw, names="value")
            s.value = XOR_BY_HAND[k]
            s.observe(redraw, names="value")
        redraw()

    for s in sliders.values():
        s.observe(redraw, names="value")
    reset.on_click(to_hand)
    redraw()

    def unit(j: int) -> list:
        return [W.HTML(f"<b>скрытый нейрон h{'₁₂'[j]}</b>")] + list(sliders.values())[3 * j : 3 * j + 3]

    # the picture's column takes the room the sliders leave: shrinks before it wraps under them
    beside = W.VBox([picture, info], layout=W.Layout(flex="1 1 18em", max_width=em(width_px + 8), min_width="0"))
    return panel([row([column([*unit(0), *unit(1), reset], width="16em"), beside], align_items="flex-start")])


class XorTraining:
    """Gradient descent on XOR with a 2 → 2 → 1 sigmoid network, kept between button presses.

    >>> t = XorTraining(seed=0, lr=4.0); t.step(100); t.losses[-1]
    """

    def __init__(self, seed: int = 0, lr: float = 4.0):
        check_positive("lr", lr)
        self.lr = lr
        self.X, self.y = logic_table("XOR")
        self.reset(seed)

    def reset(self, seed: int | None = None) -> None:
        """Back to the start: fresh random weights from ``seed`` (the last one if ``None``), no steps."""
        if seed is not None:
            self.seed = seed
        self.params = init_mlp(2, 2, 1, seed=self.seed)
        self.losses: list[float] = []

    def step(self, n: int = 1) -> float:
        """``n`` steps of gradient descent on the four rows (``lib.mlp.train`` with ``optimizer="sgd"``, the
        same steps as ``train_step``); returns the loss before the last one."""
        check_positive("n", n, integer=True)
        self.params, losses = train(self.params, self.X, self.y, steps=n, lr=self.lr, optimizer="sgd")
        self.losses.extend(float(v) for v in losses)
        return self.losses[-1]

    @property
    def loss(self) -> float:
        """The loss of the current weights on the four rows."""
        return loss(self.params, self.X, self.y)

    @property
    def n_correct(self) -> int:
        return int(np.sum(predict(self.params, self.X) == self.y))


def xor_training_widget(seed: int = 0, lr: float = 4.0) -> W.VBox:
    """Buttons «шаг», «100 шагов», «сначала» and a slider for the starting weights → the picture of the
    current network with its loss curve (``XorSpacesPicture``, built once and redrawn in place).

    A press first disables the buttons and says «считаю…» (so the class sees at once that it works), then
    computes and draws. The network is a function of (starting weights, number of steps), so each such frame
    is rendered once."""
    state = XorTraining(seed=seed, lr=lr)
    one = button("шаг", icon="step-forward")
    hundred = button("100 шагов", icon="fast-forward")
    again = button("сначала", icon="undo")
    buttons = (one, hundred, again)
    start = int_slider("начальные веса", seed, 0, 20, width="22em")
    info = W.HTML()
    width_px, render = _xor_widget_picture(with_losses=True, first=state.params)
    picture = image(width_px=width_px)
    frame = lru_cache(maxsize=256)(lambda seed, n_steps: render(state.params, state.losses))

    def redraw():
        picture.value = frame(state.seed, len(state.losses))
        info.value = (
            f"<b>шаг {len(state.losses)}</b> &nbsp; потеря {num(state.loss, 3)} &nbsp; верно {state.n_correct} из 4"
        )

    def busy(action):
        def run(*_):
            for b in buttons:
                b.disabled = True
            info.value = f"<b>шаг {len(state.losses)}</b> &nbsp; считаю…"
            try:
                action()
                redraw()
            finally:
                for b in buttons:
                    b.disabled = False

        return run

    one.on_click(busy(lambda: state.step(1)))
    hundred.on_click(busy(lambda: state.step(100)))
    again.on_click(busy(state.reset))
    start.observe(lambda ch: (state.reset(ch["new"]), redraw()), names="value")  # at once: no «считаю…»
    redraw()
    return panel([row([*buttons, start], align_items="center"), info, picture])
