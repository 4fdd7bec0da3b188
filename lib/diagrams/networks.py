"""Perceptron pictures: one perceptron (perceptron_work.png), a layer of them (more_output.png), a network with
hidden layers (hidden_layer.png)."""

from __future__ import annotations

import math

import numpy as np

from lib.diagrams.parts import H_EDGE, H_FILL, NEURON_EDGE, NEURON_FILL, X_EDGE, X_FILL, num, step_glyph, vec
from lib.diagrams.scene import ACCENT, INK, Box, Circle, Line, Scene, Text, arrow, to_hex

__all__ = ["perceptron_scene", "layer_scene", "mlp_scene"]


def perceptron_scene() -> Scene:
    """Rosenblatt's perceptron (perceptron_work.png): inputs x₁, x₂, …, xₙ and the bias input 1, weights, Σ,
    the threshold step, the answer 0/1."""
    s = Scene(1420.0, 600.0)
    lw = 3.5
    xin, xs_, xst, xout = 190.0, 700.0, 960.0, 1200.0
    ysum = 330.0
    rin = 34.0
    s.add(
        Text(xin, 40, "входы", size=24, weight="bold"),
        Text(445, 40, "веса", size=24, weight="bold"),
        Text(xs_, 40, "сумма", size=24, weight="bold"),
        Text(xst, 40, "порог", size=24, weight="bold"),
        Text(xout, 40, "выход", size=24, weight="bold"),
    )

    def edge(y0: float, label: str, frac: float):
        d = math.hypot(xs_ - xin, ysum - y0)
        ux, uy = (xs_ - xin) / d, (ysum - y0) / d
        start = (xin + ux * (rin + 4), y0 + uy * (rin + 4))
        end = (xs_ - ux * 62, ysum - uy * 62)
        s.add(arrow([start, end], head_size=18, color=INK, lw=lw, dash=False))
        lx, ly = xin + ux * d * frac, y0 + uy * d * frac
        # above a falling or level edge, below a rising one: the text runs rightwards, away from its line
        off = 16 + lw / 2
        ly = ly + off + 4 if uy < 0 else ly - off
        s.add(Text(lx + 10, ly, label, size=22.0, ha="left", halo=5, color=INK))

    # input rows: the bias input 1 on top, then x_1 … x_n
    yb = 130.0
    s.add(
        Circle(xin, yb, rin, fill="#F2F2F2", edge="#707070", lw=3, z=3),
        Text(xin, yb, "1", size=26, z=3.5),
        Text(xin - rin - 12, yb, "смещение", size=19, ha="right", color="#3b4a5a"),
    )
    edge(yb, "$b$", 0.35)
    for k, (label, y) in enumerate([("$x_1$", 250.0), ("$x_2$", 345.0), (None, 430.0), ("$x_n$", 515.0)]):
        if label is None:
            s.add(Text(xin, y, "⋮", size=36))
            continue
        s.add(Circle(xin, y, rin, fill=X_FILL, edge=X_EDGE, lw=3, z=3))
        s.add(Text(xin, y, label, size=min(24.0, 0.75 * rin), z=3.5))
        edge(y, "$w_n$" if label == "$x_n$" else f"$w_{{{k + 1}}}$", (0.30, 0.45)[k % 2])
    # Σ, threshold, output
    s.add(Circle(xs_, ysum, 60, fill=NEURON_FILL, edge=NEURON_EDGE, lw=3.5, z=3), Text(xs_, ysum, "Σ", size=46, z=3.5))
    s.add(Text(xs_, ysum + 100, r"$\sum_i w_i x_i + b$", size=23))
    s.add(arrow([(xs_ + 62, ysum), (xst - 78, ysum)], lw=lw))
    s.add(
        Box(xst - 75, ysum - 55, 150, 110, fill="white", edge=NEURON_EDGE, lw=3, r=12, z=3),
        step_glyph(xst, ysum, 104, 64),
    )
    s.add(Text(xst, ysum + 100, "1, если сумма ≥ 0,\nиначе 0", size=21))
    s.add(
        arrow([(xst + 76, ysum), (xout - 46, ysum)], lw=lw),
        Circle(xout, ysum, 44, fill=H_FILL, edge=H_EDGE, lw=3.5, z=3),
        Text(xout, ysum, "0/1", size=26, z=3.5, weight="bold"),
        arrow([(xout + 46, ysum), (xout + 160, ysum)], lw=lw),
    )
    s.add(Text(xout, ysum + 100, "ответ:\n0 или 1", size=21))
    return s


# A 7 × 5 bitmap of a handwritten-looking "3" (the default picture of the digit layer).
_DIGIT3 = np.array(
    [
        [0.1, 0.8, 1.0, 0.9, 0.2],
        [0.5, 0.1, 0.0, 0.3, 1.0],
        [0.0, 0.0, 0.0, 0.4, 0.9],
        [0.0, 0.3, 1.0, 0.9, 0.1],
        [0.0, 0.0, 0.0, 0.4, 0.9],
        [0.5, 0.1, 0.0, 0.3, 1.0],
        [0.1, 0.8, 1.0, 0.9, 0.2],
    ]
)
_DIGIT_SCORES = np.array([0.6, -1.3, 1.4, 4.2, -0.4, 2.1, -0.2, 0.9, 2.6, 1.7])


def layer_scene() -> Scene:
    """A layer of perceptrons with several outputs (more_output.png): pixels → 10 neurons, one per digit.

    The input is a 7 × 5 "3"; the weighted sums are an illustrative set: the neuron with the largest sum wins,
    it outputs 1, the others 0.
    """
    img, sc = _DIGIT3, _DIGIT_SCORES
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
    s.add(
        Text(110, gy - 34, "изображение", size=22, weight="bold"),
        Text(110, gy + H * cell + 34, f"{H} × {W} = {H * W} пикселей", size=19, color="#3b4a5a"),
    )
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
    x0 = xo + 40 + (neg * scale if neg else 0.0)  # the zero of the bars
    xout = 1250.0
    for k, (yo, v) in enumerate(zip(ys_out, sc)):
        yo, v = float(yo), float(v)
        winner = k == win
        s.add(
            Circle(xo, yo, 25, fill=ACCENT if winner else NEURON_FILL, edge=NEURON_EDGE, lw=3 if winner else 2, z=3),
            Text(xo, yo, str(k), size=22, weight="bold", z=3.5),
        )
        length = max(abs(v) * scale, 2.0)
        s.add(
            Box(
                x0 if v >= 0 else x0 - length,
                yo - 11,
                length,
                22,
                fill=ACCENT if winner else "#b9c4cf",
                edge="none",
                lw=0,
                r=3,
                z=2,
            )
        )
        s.add(
            Text(
                x0 + (length if v >= 0 else 0.0) + 10,
                yo,
                num(v),
                size=18,
                ha="left",
                color=INK if winner else "#3b4a5a",
                weight="bold" if winner else "normal",
            )
        )
        s.add(
            Text(
                xout,
                yo,
                "1" if winner else "0",
                size=26 if winner else 20,
                weight="bold" if winner else "normal",
                color=INK if winner else "#8a96a3",
            )
        )
    s.add(Line(((x0, 55), (x0, 665)), color="#5b6b7b", lw=1.5, z=2.5))
    s.add(
        Text(xo, 690, f"{K} нейронов", size=20, weight="bold"),
        Text(x0 + 60, 28, "взвешенная сумма", size=20, weight="bold"),
        Text(xout, 28, "выход", size=20, weight="bold"),
    )
    yw = float(ys_out[win])
    s.add(Text(xout + 30, yw, "← наибольшая сумма\n    побеждает", size=19, weight="bold", color="#9a5b00", ha="left"))
    return s


def mlp_scene() -> Scene:
    """A fully connected network (hidden_layer.png): 3 inputs, two hidden layers of 5, 2 outputs; every edge
    between neighbouring columns."""
    sizes = [3, 5, 5, 2]
    L = len(sizes)
    layer_names = ["входной\nслой"] + [f"скрытый\nслой {k}" for k in range(1, L - 1)] + ["выходной\nслой"]
    width = max(1000.0, 300.0 * L + 100)
    s = Scene(width, 690.0)
    xs = np.linspace(170.0, width - 170.0, L)
    top, bottom = 125.0, 535.0
    r = min(32.0, (bottom - top) / max(sizes) / 2.6)

    def ys(n):
        gap = min((bottom - top) / max(n - 1, 1), 100.0)
        mid = (top + bottom) / 2
        return [mid + (k - (n - 1) / 2) * gap for k in range(n)]

    # the hidden part: outputs nobody sees from outside
    s.add(
        Box(
            xs[1] - 95,
            top - 75,
            xs[-2] - xs[1] + 190,
            bottom - top + 135,
            fill="#F4F1FA",
            edge="#b7a9cf",
            lw=2,
            r=20,
            z=0,
        ),
        Text(
            (xs[1] + xs[-2]) / 2,
            top - 98,
            "скрытые слои: их выходы не видны снаружи",
            size=20,
            color="#6c5a8f",
            weight="bold",
        ),
    )
    for y in ys(sizes[-1]):
        s.add(arrow([(xs[-1] + r + 4, y), (xs[-1] + r + 70, y)], lw=3))
    s.add(Text(xs[-1] + r + 40, ys(sizes[-1])[0] - 50, "ответ\nсети", size=19, color="#3b4a5a"))
    for k in range(L - 1):
        for y0 in ys(sizes[k]):
            for y1 in ys(sizes[k + 1]):
                s.add(Line(((xs[k] + r, y0), (xs[k + 1] - r, y1)), color="#8d9aa8", lw=2.0, z=1))
    for k, (x, n) in enumerate(zip(xs, sizes)):
        fill = X_FILL if k == 0 else (H_FILL if k == L - 1 else NEURON_FILL)
        edge = X_EDGE if k == 0 else (H_EDGE if k == L - 1 else NEURON_EDGE)
        for i, y in enumerate(ys(n)):
            s.add(Circle(float(x), y, r, fill=fill, edge=edge, lw=3, z=3))
            if k == 0:
                s.add(Text(float(x), y, f"$x_{{{i + 1}}}$", size=min(22, r * 0.75), z=3.5))
            elif k == L - 1:
                s.add(Text(float(x), y, f"$y_{{{i + 1}}}$", size=min(22, r * 0.75), z=3.5))
        s.add(Text(float(x), bottom + 100, layer_names[k], size=22, weight="bold"))
    return s
