"""Perceptron pictures: one perceptron (perceptron_work.png), a layer of them (more_output.png), a network with
hidden layers (hidden_layer.png)."""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from lib.checks import as_array, check_positive, check_shape
from lib.diagrams.parts import (
    H_EDGE, H_FILL, NEURON_EDGE, NEURON_FILL, X_EDGE, X_FILL, edge_style, num, step_glyph, vec,
)
from lib.diagrams.scene import ACCENT, INK, Box, Circle, Line, Scene, Text, arrow, cmap_color, ink_on, to_hex
from lib.plots import GATE_CMAP

__all__ = ["perceptron_scene", "layer_scene", "mlp_scene"]


def perceptron_scene(weights=None, bias=None, inputs=None) -> Scene:
    """Rosenblatt's perceptron (perceptron_work.png): inputs and the bias input 1, weights, Σ, step, 0/1.

    Without arguments: the symbolic picture x₁, x₂, …, xₙ. With ``weights: (n,)`` (and optionally ``bias``,
    a float, and ``inputs: (n,)``): n inputs, each edge thickened by |w| and coloured by its sign (blue
    ``+``, vermillion dashed ``−``); with ``inputs`` too the weighted sum and the output 0/1 are shown.
    """
    w = None if weights is None else as_array("weights", weights, ndim=1)
    if w is not None and w.size == 0:
        raise ValueError("weights: ожидался хотя бы один вес, получен пустой массив")
    b = None
    if bias is not None:
        b = float(as_array("bias", bias, ndim=0))
    if b is not None and w is None:
        raise ValueError("bias: чтобы показать смещение на схеме, нужны и веса (weights)")
    if inputs is not None:
        if w is None:
            raise ValueError("inputs: чтобы показать сумму, нужны и веса (weights)")
        x = as_array("inputs", inputs, ndim=1)
        if x.shape != w.shape:
            raise ValueError(f"inputs: ожидалась форма {w.shape}, как у weights, получена {x.shape}")
    else:
        x = None
    s = Scene(1420.0, 600.0)
    lw = 3.5
    xin, xs_, xst, xout = 190.0, 700.0, 960.0, 1200.0
    ysum = 330.0
    rin = 34.0
    # input rows: the bias input 1 on top, then x_1 … x_n
    if w is None:
        rows = [("$x_1$", 250.0), ("$x_2$", 345.0), (None, 430.0), ("$x_n$", 515.0)]
    else:
        n = w.size
        ys = np.linspace(250.0, 530.0, n) if n > 1 else np.array([390.0])
        rows = [(f"$x_{{{k + 1}}}$", float(y)) for k, y in enumerate(ys)]
        if n > 1:
            rin = min(rin, 0.36 * (ys[1] - ys[0]))
    wsize = 22.0 if w is None or w.size <= 3 else 18.0
    wmax = float(max(np.max(np.abs(w)), abs(b) if b is not None else 0.0)) if w is not None else 1.0
    s.add(Text(xin, 40, "входы", size=24, weight="bold"),
          Text(445, 40, "веса", size=24, weight="bold"),
          Text(xs_, 40, "сумма", size=24, weight="bold"), Text(xst, 40, "порог", size=24, weight="bold"),
          Text(xout, 40, "выход", size=24, weight="bold"))

    def edge(y0: float, wk: float | None, label: str, frac: float = 0.30):
        d = math.hypot(xs_ - xin, ysum - y0)
        ux, uy = (xs_ - xin) / d, (ysum - y0) / d
        start = (xin + ux * (rin + 4), y0 + uy * (rin + 4))
        end = (xs_ - ux * 62, ysum - uy * 62)
        style = edge_style(wk, wmax) if wk is not None else dict(color=INK, lw=lw, dash=False)
        s.add(arrow([start, end], head_size=18, **style))
        lx, ly = xin + ux * d * frac, y0 + uy * d * frac
        text = label if wk is None else f"{label} = {num(wk)}"
        # above a falling or level edge, below a rising one: the text runs rightwards, away from its line
        off = 16 + style["lw"] / 2
        ly = ly + off + 4 if uy < 0 else ly - off
        s.add(Text(lx + 10, ly, text, size=wsize, ha="left", halo=5, color=style["color"] if wk is not None else INK))

    yb = 130.0
    s.add(Circle(xin, yb, rin, fill="#F2F2F2", edge="#707070", lw=3, z=3), Text(xin, yb, "1", size=26, z=3.5),
          Text(xin - rin - 12, yb, "смещение", size=19, ha="right", color="#3b4a5a"))
    edge(yb, None if w is None else (b or 0.0), "$b$", 0.35)
    for k, (label, y) in enumerate(rows):
        if label is None:
            s.add(Text(xin, y, "⋮", size=36))
            continue
        s.add(Circle(xin, y, rin, fill=X_FILL, edge=X_EDGE, lw=3, z=3))
        s.add(Text(xin, y, label if x is None else num(x[k]).rstrip("0").rstrip(".") or "0",
                   size=min(24.0, 0.75 * rin), z=3.5))
        if x is not None:
            s.add(Text(xin - rin - 12, y, label, size=22, ha="right"))
        wlabel = "$w_n$" if label == "$x_n$" else f"$w_{{{k + 1}}}$"
        frac = (0.30, 0.45)[k % 2] if w is None else (0.20 if w.size <= 3 else (0.12, 0.40)[k % 2])
        edge(y, None if w is None else float(w[k]), wlabel, frac)
    # Σ, threshold, output
    total = None if x is None else float(w @ x + (b or 0.0))
    s.add(Circle(xs_, ysum, 60, fill=NEURON_FILL, edge=NEURON_EDGE, lw=3.5, z=3), Text(xs_, ysum, "Σ", size=46, z=3.5))
    s.add(Text(xs_, ysum + 100, r"$\sum_i w_i x_i + b$" if total is None else
               r"$\sum_i w_i x_i + b$ = " + num(total), size=23))
    s.add(arrow([(xs_ + 62, ysum), (xst - 78, ysum)], lw=lw))
    s.add(Box(xst - 75, ysum - 55, 150, 110, fill="white", edge=NEURON_EDGE, lw=3, r=12, z=3),
          step_glyph(xst, ysum, 104, 64))
    s.add(Text(xst, ysum + 100, "1, если сумма ≥ 0,\nиначе 0", size=21))
    out = None if total is None else int(total >= 0)
    ofill = H_FILL if out is None else (ACCENT if out else "white")
    s.add(arrow([(xst + 76, ysum), (xout - 46, ysum)], lw=lw),
          Circle(xout, ysum, 44, fill=ofill, edge=H_EDGE, lw=3.5, z=3),
          Text(xout, ysum, "0/1" if out is None else str(out), size=26 if out is None else 32, z=3.5, weight="bold"),
          arrow([(xout + 46, ysum), (xout + 160, ysum)], lw=lw))
    s.add(Text(xout, ysum + 100, "ответ:\n0 или 1", size=21))
    if w is not None:
        s.add(Text(xs_ - 20, 578, "синие сплошные — положительные веса, красные пунктирные — отрицательные; "
                   "толщина — |w|", size=17, color="#3b4a5a"))
    return s


# A 7 × 5 bitmap of a handwritten-looking "3" (the default picture of the digit layer).
_DIGIT3 = np.array([
    [0.1, 0.8, 1.0, 0.9, 0.2],
    [0.5, 0.1, 0.0, 0.3, 1.0],
    [0.0, 0.0, 0.0, 0.4, 0.9],
    [0.0, 0.3, 1.0, 0.9, 0.1],
    [0.0, 0.0, 0.0, 0.4, 0.9],
    [0.5, 0.1, 0.0, 0.3, 1.0],
    [0.1, 0.8, 1.0, 0.9, 0.2],
])
_DIGIT_SCORES = np.array([0.6, -1.3, 1.4, 4.2, -0.4, 2.1, -0.2, 0.9, 2.6, 1.7])


def layer_scene(image=None, scores=None) -> Scene:
    """A layer of perceptrons with several outputs (more_output.png): pixels → 10 neurons, one per digit.

    ``image: (H, W)`` grey levels in [0, 1] drawn as the input picture (default: a 7 × 5 "3");
    ``scores: (K,)`` weighted sums of the K output neurons (default: an illustrative set for "3"). The
    neuron with the largest sum wins: it outputs 1, the others 0.
    """
    img = _DIGIT3 if image is None else as_array("image", image, ndim=2)
    if image is not None and (img.min() < 0 or img.max() > 1):
        raise ValueError(f"image: ожидались яркости из [0, 1], получены от {img.min():g} до {img.max():g}")
    sc = _DIGIT_SCORES if scores is None else as_array("scores", scores, ndim=1)
    if sc.size < 2:
        raise ValueError(f"scores: ожидалось хотя бы 2 выхода, получено {sc.size}")
    K = sc.size
    win = int(np.argmax(sc))
    s = Scene(1540.0, 720.0)
    # the picture
    H, W = img.shape
    cell = min(180.0 / W, 300.0 / H)
    gx, gy = 110.0 - W * cell / 2, 360.0 - H * cell / 2
    for (r, c), v in np.ndenumerate(img):
        g = 1.0 - float(v)
        s.add(Box(gx + c * cell, gy + r * cell, cell, cell, fill=to_hex((g, g, g)), edge="#b0b0b0", lw=1, r=0, z=2))
    s.add(Text(110, gy - 34, "изображение", size=22, weight="bold"),
          Text(110, gy + H * cell + 34, f"{H} × {W} = {H * W} пикселей", size=19, color="#3b4a5a"))
    # input column: one input per pixel
    xin, xo = 400.0, 860.0
    in_rows = [("$x_1$", 190.0), ("$x_2$", 290.0), ("$x_3$", 390.0), (None, 470.0), (f"$x_{{{H * W}}}$", 550.0)]
    s.add(arrow([(110 + W * cell / 2 + 18, 360), (xin - 70, 360)], lw=5, head_size=22))
    ys_out = np.linspace(75.0, 645.0, K)
    for label, y in in_rows:
        if label is None:
            s.add(Text(xin, y, "⋮", size=34))
            continue
        s.add(vec(xin, y, label, "x", r=32, size=21))
        for yo in ys_out:
            s.add(Line(((xin + 32, y), (xo - 26, float(yo))), color="#9aa7b4", lw=1.4, z=1))
    s.add(Text(xin, 110, "входы:\nпиксели", size=21, weight="bold"))
    # output neurons with their weighted sums (bars from a zero axis) and outputs 0/1
    pos = float(max(sc.max(), 0.0))
    neg = float(max(-sc.min(), 0.0))
    scale = min(170.0 / pos if pos else np.inf, 80.0 / neg if neg else np.inf)
    x0 = xo + 40 + (neg * scale if neg else 0.0)          # the zero of the bars
    xout = 1250.0
    for k, (yo, v) in enumerate(zip(ys_out, sc)):
        yo, v = float(yo), float(v)
        winner = k == win
        s.add(Circle(xo, yo, 25, fill=ACCENT if winner else NEURON_FILL, edge=NEURON_EDGE, lw=3 if winner else 2,
                     z=3),
              Text(xo, yo, str(k), size=22, weight="bold", z=3.5))
        length = max(abs(v) * scale, 2.0)
        s.add(Box(x0 if v >= 0 else x0 - length, yo - 11, length, 22, fill=ACCENT if winner else "#b9c4cf",
                  edge="none", lw=0, r=3, z=2))
        s.add(Text(x0 + (length if v >= 0 else 0.0) + 10, yo, num(v), size=18, ha="left",
                   color=INK if winner else "#3b4a5a", weight="bold" if winner else "normal"))
        s.add(Text(xout, yo, "1" if winner else "0", size=26 if winner else 20,
                   weight="bold" if winner else "normal", color=INK if winner else "#8a96a3"))
    s.add(Line(((x0, 55), (x0, 665)), color="#5b6b7b", lw=1.5, z=2.5))
    s.add(Text(xo, 690, f"{K} нейронов", size=20, weight="bold"),
          Text(x0 + 60, 28, "взвешенная сумма", size=20, weight="bold"),
          Text(xout, 28, "выход", size=20, weight="bold"))
    yw = float(ys_out[win])
    s.add(Text(xout + 30, yw, "← наибольшая сумма\n    побеждает", size=19, weight="bold", color="#9a5b00",
               ha="left"))
    return s


def mlp_scene(sizes: Sequence[int] = (3, 5, 5, 2), activations=None, weights=None,
              layer_names: Sequence[str] | None = None) -> Scene:
    """A fully connected network (hidden_layer.png): columns of neurons, every edge between neighbours.

    ``sizes``: neurons per layer, input first. ``activations``: optional list of ``(sizes[k],)`` arrays
    colouring the neurons on ``GATE_CMAP`` over [0, 1] (numbers written inside); ``weights``: optional list
    of ``(sizes[k+1], sizes[k])`` matrices, edges thickened by |w|, blue ``+`` / vermillion dashed ``−``.
    ``layer_names``: captions under the columns (default: входной слой, скрытый слой 1 …, выходной слой).
    """
    sizes = [int(check_positive(f"sizes[{k}]", n, integer=True)) for k, n in enumerate(sizes)]
    L = len(sizes)
    if L < 2:
        raise ValueError(f"sizes: ожидалось хотя бы 2 слоя, получено {L}")
    if layer_names is None:
        layer_names = (["входной\nслой"] + [f"скрытый\nслой {k}" for k in range(1, L - 1)] + ["выходной\nслой"])
    if len(layer_names) != L:
        raise ValueError(f"layer_names: ожидалось {L} подписей, получено {len(layer_names)}")
    acts = None
    if activations is not None:
        if len(activations) != L:
            raise ValueError(f"activations: ожидалось {L} массивов, получено {len(activations)}")
        acts = [check_shape(f"activations[{k}]", as_array(f"activations[{k}]", a), (n,))
                for k, (a, n) in enumerate(zip(activations, sizes))]
    ws = None
    if weights is not None:
        if len(weights) != L - 1:
            raise ValueError(f"weights: ожидалось {L - 1} матриц, получено {len(weights)}")
        ws = [check_shape(f"weights[{k}]", as_array(f"weights[{k}]", m), (sizes[k + 1], sizes[k]))
              for k, m in enumerate(weights)]
    width = max(1000.0, 300.0 * L + 100)
    s = Scene(width, 690.0)
    xs = np.linspace(170.0, width - 170.0, L)
    top, bottom = 125.0, 535.0
    r = min(32.0, (bottom - top) / max(sizes) / 2.6)

    def ys(n):
        gap = min((bottom - top) / max(n - 1, 1), 100.0)
        mid = (top + bottom) / 2
        return [mid + (k - (n - 1) / 2) * gap for k in range(n)]

    if L > 2:  # the hidden part: outputs nobody sees from outside
        s.add(Box(xs[1] - 95, top - 75, xs[-2] - xs[1] + 190, bottom - top + 135, fill="#F4F1FA", edge="#b7a9cf",
                  lw=2, r=20, z=0),
              Text((xs[1] + xs[-2]) / 2, top - 98, "скрытые слои: их выходы не видны снаружи", size=20,
                   color="#6c5a8f", weight="bold"))
    for y in ys(sizes[-1]):
        s.add(arrow([(xs[-1] + r + 4, y), (xs[-1] + r + 70, y)], lw=3))
    s.add(Text(xs[-1] + r + 40, ys(sizes[-1])[0] - 50, "ответ\nсети", size=19, color="#3b4a5a"))
    wmax = max(float(np.max(np.abs(m))) for m in ws) if ws else 1.0
    for k in range(L - 1):
        for i, y0 in enumerate(ys(sizes[k])):
            for j, y1 in enumerate(ys(sizes[k + 1])):
                if ws is None:
                    s.add(Line(((xs[k] + r, y0), (xs[k + 1] - r, y1)), color="#8d9aa8", lw=2.0, z=1))
                else:
                    st = edge_style(float(ws[k][j, i]), wmax)
                    s.add(Line(((xs[k] + r, y0), (xs[k + 1] - r, y1)), z=1, **st))
    for k, (x, n) in enumerate(zip(xs, sizes)):
        kind_fill = X_FILL if k == 0 else (H_FILL if k == L - 1 else NEURON_FILL)
        kind_edge = X_EDGE if k == 0 else (H_EDGE if k == L - 1 else NEURON_EDGE)
        for i, y in enumerate(ys(n)):
            fill = cmap_color(acts[k][i], GATE_CMAP, 0, 1) if acts is not None else kind_fill
            s.add(Circle(float(x), y, r, fill=fill, edge=kind_edge, lw=3, z=3))
            if acts is not None:
                s.add(Text(float(x), y, num(float(acts[k][i])), size=min(18, r * 0.6), color=ink_on(fill), z=3.5))
            elif k == 0:
                s.add(Text(float(x), y, f"$x_{{{i + 1}}}$", size=min(22, r * 0.75), z=3.5))
            elif k == L - 1:
                s.add(Text(float(x), y, f"$y_{{{i + 1}}}$", size=min(22, r * 0.75), z=3.5))
        s.add(Text(float(x), bottom + 100, layer_names[k], size=22, weight="bold"))
    return s
