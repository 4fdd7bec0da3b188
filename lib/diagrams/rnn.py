"""The plain RNN: its repeating module (one_layer.png) and the network unrolled in time (rnn.png)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from lib.checks import check_positive
from lib.diagrams.parts import layer_box, module_box, num, read_values, vec
from lib.diagrams.scene import (
    ACCENT, CELL_EDGE, CELL_FILL, INK, LAYER_FILL, Box, Line, Scene, Text, apply_focus, arrow, cmap_color, rounded,
)
from lib.plots import STATE_CMAP

__all__ = ["rnn_cell_scene", "rnn_chain_scene", "RNN_VALUE_KEYS"]

RNN_VALUE_KEYS = ("x_t", "h_prev", "h_t")


def rnn_cell_scene(values: Mapping | None = None) -> Scene:
    """The repeating module of a plain RNN (one_layer.png): one tanh layer on ``[h_{t-1}, x_t]``.

    Three copies in a chain, the middle one opened up. ``values``: ``None`` or a dict with keys
    ``x_t, h_prev, h_t`` (floats or short 1-D arrays): the tanh layer is filled by ``h_t`` on ``STATE_CMAP``
    over [−1, 1] and the numbers are written by the vectors.
    """
    vals = None if values is None else read_values(values, RNN_VALUE_KEYS)
    s = Scene(1500.0, 640.0)
    lw = 4.0
    yb, yt = 420.0, 200.0            # bottom line (state in and out), top turn of the output
    # the neighbours: closed modules
    for cx, sub in ((190.0, "t-1"), (1310.0, "t+1")):
        s.add(module_box(cx, 305, 220, 300, "A"),
              arrow([(cx, 590), (cx, 455 + 2)], lw=lw), vec(cx, 590 + 0, f"$x_{{{sub}}}$", "x", r=30, size=21),
              arrow([(cx, 155), (cx, 62 + 2)], lw=lw), vec(cx, 40 + 0, f"$h_{{{sub}}}$", "h", r=30, size=21))
    s.add(arrow([(20, yb), (80, yb)], lw=lw), arrow([(1420, yb), (1480, yb)], lw=lw))
    # the opened module
    s.add(Box(400, 100, 700, 410, fill=CELL_FILL, edge=CELL_EDGE, lw=3, r=26, z=0))
    xm, xl, xo, xh = 500.0, 700.0, 880.0, 980.0
    s.add(Line(((300, yb), (xl - 60, yb)), lw=lw),
          Line(rounded([(xm, 560), (xm, yb), (xm + 30, yb)], 26), lw=lw),
          arrow([(xl - 60, yb), (xl, yb), (xl, 326)], lw=lw, corner=26))
    fill = cmap_color(vals["h_t"][0], STATE_CMAP, -1, 1) if vals else LAYER_FILL
    s.add(layer_box(xl, 300, "tanh", (), fill=fill, size=24))
    s.add(arrow([(xl, 274), (xl, yt), (xo, yt), (xo, yb), (1200, yb)], lw=lw, corner=26),
          arrow([(xh, yb), (xh, 62)], lw=lw), vec(xh, 40, "$h_t$", "h", r=30, size=21),
          vec(xm, 590, "$x_t$", "x", r=30, size=21))
    if vals:
        v = {k: vals[k][1] for k in vals}
        s.add(Text(xm + 44, 592, f"= {v['x_t']}", size=21, ha="left"),
              Text(310, yb - 26, f"$h_{{t-1}}$ = {v['h_prev']}", size=21, ha="left", halo=4),
              Text(xh + 44, 42, f"= {v['h_t']}", size=21, ha="left"))
    else:
        s.add(Text(310, yb - 26, "$h_{t-1}$", size=22, ha="left", halo=4))
    s.add(Text(xl + 56, 300, "слой tanh", size=19, color="#3b4a5a", ha="left"),
          Text(750, 620, r"$h_t = \tanh\left(W\cdot[h_{t-1},\,x_t] + b\right)$", size=26))
    return s


def _chain_slots(T: int | None, labels) -> list:
    """Subscripts of the unrolled steps; ``None`` marks the '⋯' gap of the symbolic picture."""
    if labels is None and T is None:
        return ["0", "1", "2", None, "t"]
    return [str(k) for k in range(T)]


def rnn_chain_scene(T: int | None = None, current: int | None = None, labels: Sequence[str] | None = None,
                    values=None, *, folded: bool = True) -> Scene:
    """An RNN with its loop (left), "=", and the same network unrolled in time (right) — rnn.png.

    ``T``: number of unrolled steps (default: the symbolic picture x₀, x₁, x₂, …, x_t); ``labels``: words
    written under the inputs (then ``T = len(labels)``); ``current``: index of the step drawn in focus (later
    steps are faded: not computed yet); ``values``: ``(T,)`` numbers (or ``(T, H)``: first unit) of h_t,
    colouring the outputs on ``STATE_CMAP`` over [−1, 1] and written above them. ``folded=False`` drops the
    rolled-up picture on the left (for a wide sentence in a widget).
    """
    if labels is not None:
        labels = [str(w) for w in labels]
        if not labels:
            raise ValueError("labels: ожидался непустой список слов, получен пустой")
        if T is not None and T != len(labels):
            raise ValueError(f"T: ожидалось T = len(labels) = {len(labels)}, получено {T}")
        T = len(labels)
    if T is not None:
        check_positive("T", T, integer=True)
    n = T if T is not None else 4
    if current is not None:
        if not isinstance(current, (int, np.integer)) or isinstance(current, bool):
            raise TypeError(f"current: ожидался номер шага (целое число), получено {current!r}")
        if not 0 <= current < n:
            raise ValueError(f"current: ожидался номер шага от 0 до {n - 1}, получено {current}")
    hv = None
    if values is not None:
        arr = np.asarray(values, dtype=float)
        if arr.ndim not in (1, 2) or arr.shape[0] != n:
            raise ValueError(f"values: ожидалась форма ({n},) или ({n}, H), получена {arr.shape}")
        if not np.all(np.isfinite(arr)):
            raise ValueError("values: ожидались конечные числа, а найдены NaN или бесконечность")
        hv = arr if arr.ndim == 1 else arr[:, 0]
    slots = _chain_slots(T, labels)
    lw = 4.0
    yx, ya, yh = 500.0, 300.0, 100.0     # rows: inputs, modules, outputs
    step = 200.0
    x = 110.0
    items: list = []
    if folded:
        cx = 150.0
        items += [*module_box(cx, ya, 130, 120, "A"),
                  *arrow([(cx, yx - 36), (cx, ya + 62)], lw=lw), *vec(cx, yx, "$x_t$", "x"),
                  *arrow([(cx, ya - 60), (cx, yh + 36)], lw=lw), *vec(cx, yh, "$h_t$", "h"),
                  *arrow([(cx + 65, ya + 28), (cx + 118, ya + 28), (cx + 118, ya - 28), (cx + 67, ya - 28)], lw=lw,
                         corner=22),
                  Text(cx + 118, ya - 56, "петля", size=19, color="#3b4a5a"),
                  Text(370, ya, "=", size=56, weight="bold")]
        x = 500.0
    xs = []
    for k, sub in enumerate(slots):
        if sub is None:
            xs.append(x - step * 0.2)
            x += step * 0.6
        else:
            xs.append(x)
            x += step
    width = xs[-1] + 120
    s = Scene(width, 630.0 if labels is not None else 570.0)
    s.add(items)
    k_step = 0
    from_x = None                       # where the next state arrow starts
    for j, (sub, cx) in enumerate(zip(slots, xs)):
        if sub is None:
            s.add(Text(cx, ya, "⋯", size=40))
            s.add(arrow([(from_x, ya), (cx - 36, ya)], lw=lw))
            from_x = cx + 36
            continue
        focus = current is not None and k_step == current
        later = current is not None and k_step > current
        tags = (f"later{k_step}",) if later else ("now",)
        box_fill = "#FCE6C6" if focus else CELL_FILL
        box_edge = ACCENT if focus else CELL_EDGE
        s.add(module_box(cx, ya, 130, 120, "A", tags=tags, fill=box_fill, edge=box_edge, lw=5 if focus else 3))
        s.add(arrow([(cx, yx - 36), (cx, ya + 62)], lw=lw, tags=tags), vec(cx, yx, f"$x_{{{sub}}}$", "x", tags=tags))
        hfill = cmap_color(hv[k_step], STATE_CMAP, -1, 1) if hv is not None else None
        s.add(arrow([(cx, ya - 60), (cx, yh + 36)], lw=lw, tags=tags),
              vec(cx, yh, f"$h_{{{sub}}}$", "h", tags=tags, fill=hfill))
        if hv is not None:
            s.add(Text(cx + 40, yh - 40, num(float(hv[k_step])), size=19, ha="left", tags=tags, halo=3))
        if labels is not None:
            s.add(Text(cx, yx + 70, labels[k_step], size=24, weight="bold" if focus else "normal",
                       color=ACCENT if focus else INK, tags=tags))
        if from_x is not None:
            s.add(arrow([(from_x, ya), (cx - 67, ya)], lw=lw, tags=tags))
        from_x = cx + 65
        k_step += 1
    if current is not None:
        apply_focus(s.items, {"now"})
    return s
