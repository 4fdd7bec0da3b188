"""The perceptron's plane of inputs (lesson 1): one scene for the lesson's figures and the widgets' SVG.

``boundary_segment(w, b, box)``, ``half_plane_polygon(w, b, box)``   the line ``w·p + b = 0`` and the region
                                                                   where the perceptron answers 1, clipped to
                                                                   the square ``box²``
``plane_scene(X, y, w, b, ...) -> Scene``                          the square: both regions shaded, the line
                                                                   (and a dashed second one), the points
                                                                   (squares: y = 1, circles: y = 0), every
                                                                   wrong answer ringed, one point highlighted
"""

from __future__ import annotations

import numpy as np

from lib.checks import as_array, check_shape
from lib.diagrams.scene import INK, Box, Circle, Line, Poly, Scene, Text, fade
from lib.plots import PALETTE

__all__ = [
    "boundary_segment",
    "half_plane_polygon",
    "plane_weights",
    "plane_points",
    "plane_scene",
    "BOX",
    "ONE_INPUT_ROW",
]

BOX = (-0.5, 1.5)  # the square shown around the inputs 0 and 1
ONE_INPUT_ROW = 0.5  # a one-input function (NOT): its points are drawn on the line x2 = 0.5


def _line(w, b) -> tuple[np.ndarray, float]:
    w = as_array("w", w, ndim=1)
    check_shape("w", w, (2,))
    return w, float(as_array("b", b, ndim=0))


def _square(box) -> list[tuple[float, float]]:
    lo, hi = box
    return [(lo, lo), (hi, lo), (hi, hi), (lo, hi)]


def half_plane_polygon(w, b, box=BOX) -> list[tuple[float, float]]:
    """The part of the square ``box²`` where ``w·p + b ≥ 0`` (the perceptron answers 1), as polygon vertices.

    ``w: (2,)``. Clips the square by the half-plane (one pass of Sutherland–Hodgman); ``[]`` if it is empty.
    """
    w, b = _line(w, b)
    square = _square(box)
    side = [float(w @ p + b) for p in np.array(square)]
    out = []
    for k, (p, s) in enumerate(zip(square, side)):
        q, t = square[(k + 1) % 4], side[(k + 1) % 4]
        if s >= 0:
            out.append(p)
        if (s >= 0) != (t >= 0):
            a = s / (s - t)
            out.append((p[0] + a * (q[0] - p[0]), p[1] + a * (q[1] - p[1])))
    return out


def boundary_segment(w, b, box=BOX):
    """The piece of the line ``w·p + b = 0`` inside the square ``box²`` as ``((x, y), (x, y))``, or ``None``
    if it misses the square (or ``w = 0``: then the answer is the same everywhere)."""
    w, b = _line(w, b)
    if not np.any(w):
        return None
    square = [np.array(p) for p in _square(box)]
    pts = set()
    for k in range(4):
        p, q = square[k], square[(k + 1) % 4]
        s, t = w @ p + b, w @ q + b
        if s != t and 0 <= s / (s - t) <= 1:
            x, y = p + s / (s - t) * (q - p)
            pts.add((round(float(x), 9) + 0.0, round(float(y), 9) + 0.0))
    pts = sorted(pts)
    return (pts[0], pts[-1]) if len(pts) >= 2 else None


def plane_weights(w) -> np.ndarray:
    """Two weights for the picture: a single weight (NOT) acts along x1 (w2 = 0)."""
    w = np.atleast_1d(np.asarray(w, dtype=float))
    return np.array([w[0], 0.0]) if len(w) == 1 else w


def plane_points(X) -> np.ndarray:
    """Points ``(N, 2)`` for the picture: one-input rows are put on the line x2 = 0.5."""
    X = np.asarray(X, dtype=float)
    return np.column_stack([X[:, 0], np.full(len(X), ONE_INPUT_ROW)]) if X.shape[1] == 1 else X


def plane_scene(
    X, y, w, b, *, box=BOX, dashed=None, highlight: int | None = None, size: float = 330, text_scale: float = 1.0
) -> Scene:
    """The square ``box²`` of inputs for the perceptron ``(w, b)``, ``size × size`` units (its axis labels
    ``text_scale`` times the usual size: a picture shown small keeps legible labels).

    Shaded blue where it answers 1, orange where 0; its line thick black; ``dashed = (w, b)`` a second line
    (the one before an update, or the true one) dashed grey; the points ``X: (N, 1)`` or ``(N, 2)`` by class
    ``y`` (blue squares: 1, orange circles: 0), each wrong answer ringed in vermillion; ``highlight`` = index of
    the example just shown (a yellow disc). With one input the points lie on x2 = 0.5 and x2 is not drawn.
    """
    from lib.perceptron import predict  # the answers are the perceptron's own

    one_input = np.asarray(X).shape[1] == 1
    pts, w = plane_points(X), plane_weights(w)
    y_hat = predict(w, b, pts)
    lo, hi = box
    pad = 0.11 * size
    scale = (size - 2 * pad) / (hi - lo)

    def px(p):
        return (pad + (p[0] - lo) * scale, size - pad - (p[1] - lo) * scale)

    blue, orange, red = PALETTE["blue"], PALETTE["orange"], PALETTE["vermillion"]
    scene = Scene(width=size, height=size)
    for poly, color in ((half_plane_polygon(w, b, box), blue), (half_plane_polygon(-w, -b, box), orange)):
        if poly:
            scene.add(Poly(tuple(map(px, poly)), fill=fade(color, 0.78), z=0.5))
    font = 0.048 * size * text_scale
    for v in range(int(np.ceil(lo)), int(np.floor(hi)) + 1):  # grid lines through the integer inputs
        scene.add(
            Line((px((v, lo)), px((v, hi))), color="#bbbbbb", lw=1, z=0.8),
            Text(px((v, lo))[0], size - 0.45 * pad, str(v).replace("-", "−"), size=font, z=6),
        )
        if not one_input:
            scene.add(
                Line((px((lo, v)), px((hi, v))), color="#bbbbbb", lw=1, z=0.8),
                Text(0.45 * pad, px((lo, v))[1], str(v).replace("-", "−"), size=font, z=6),
            )
    scene.add(Text(size - 0.15 * pad, size - 0.45 * pad, "x1", size=font, ha="right", z=6))
    if not one_input:
        scene.add(Text(0.45 * pad, 0.3 * pad, "x2", size=font, z=6))
    if dashed is not None:
        seg = boundary_segment(plane_weights(dashed[0]), dashed[1], box)
        if seg is not None:
            scene.add(Line(tuple(map(px, seg)), color="#555555", lw=2, dash=True, z=2))
    seg = boundary_segment(w, b, box)
    if seg is not None:
        scene.add(Line(tuple(map(px, seg)), color=INK, lw=3.5, z=2.5))
    r = size * min(0.036, 0.1 / np.sqrt(len(pts)))  # many points: smaller marks
    for k, (p, t, h) in enumerate(zip(pts, np.asarray(y), y_hat)):
        cx, cy = px(p)
        if k == highlight:
            scene.add(Circle(cx, cy, 2 * r, fill=PALETTE["yellow"], edge=INK, lw=1, z=3))
        if t == 1:
            scene.add(Box(cx - r, cy - r, 2 * r, 2 * r, fill=blue, edge=INK, lw=1.5, r=0, z=4))
        else:
            scene.add(Circle(cx, cy, r, fill=orange, edge=INK, lw=1.5, z=4))
        if h != t:
            scene.add(Circle(cx, cy, 1.6 * r, fill="none", edge=red, lw=3 if r > 8 else 1.5, z=5))
    return scene
