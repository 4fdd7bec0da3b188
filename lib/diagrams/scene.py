"""Scene primitives: the colours of the visual language, the shapes a picture is made of, geometry helpers.

A picture is a :class:`Scene`: a canvas size in abstract units (y grows downwards, as in SVG) and a list of
simple primitives (:class:`Box`, :class:`Circle`, :class:`Line`, :class:`Poly`, :class:`Text`). The renderers
(``lib.diagrams.svg``, ``lib.diagrams.mpl``) draw scenes; the picture modules build them.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import matplotlib as mpl
from matplotlib import colors as mcolors

from lib.plots import GATE_CMAP, PALETTE, text_color_on

__all__ = ["Box", "Circle", "Line", "Poly", "Text", "Scene", "arrow", "cmap_color"]

# ----------------------------------------------------------------------------------------------------------
# Colours of the visual language (shape carries the meaning too, so colour vision is never required).
# ----------------------------------------------------------------------------------------------------------
INK = "#1a1a1a"  # lines and text
LAYER_FILL = "#F6E46A"  # yellow rectangle: a learned layer (Okabe–Ito yellow, a touch warmer)
LAYER_EDGE = "#9A8600"
OP_FILL = "#F7C6DE"  # pink circle: a pointwise operation (light Okabe–Ito reddish purple)
OP_EDGE = PALETTE["purple"]
CELL_FILL = "#EEF3F8"  # the repeating module
CELL_EDGE = "#7C8EA3"
STATE_COLOR = PALETTE["blue"]  # the cell state C: the "conveyor belt"
ACCENT = PALETTE["orange"]  # the current step / the winner
FONT = "DejaVu Sans"
SVG_FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
PT = 0.72  # points per unit: 1 unit = 1/100 inch, rendered at 100 dpi = 1 pixel


# ----------------------------------------------------------------------------------------------------------
# Primitives
# ----------------------------------------------------------------------------------------------------------
@dataclass(slots=True)
class Box:
    """A rectangle with rounded corners; ``x, y`` is its top-left corner. A learned layer, a cell, a swatch."""

    x: float
    y: float
    w: float
    h: float
    fill: str = "white"
    edge: str = INK
    lw: float = 2.0
    r: float = 8.0
    z: float = 2.0
    tags: tuple = ()


@dataclass(slots=True)
class Circle:
    """A circle centred at ``cx, cy``: a pointwise operation or a neuron."""

    cx: float
    cy: float
    r: float
    fill: str = "white"
    edge: str = INK
    lw: float = 2.0
    z: float = 3.0
    tags: tuple = ()


@dataclass(slots=True)
class Line:
    """A polyline through ``points``; ``halo`` draws an outline of that width (in ``halo_color``) beneath it."""

    points: tuple
    color: str = INK
    lw: float = 3.0
    z: float = 1.0
    dash: bool = False
    halo: float = 0.0
    halo_color: str = "white"
    tags: tuple = ()


@dataclass(slots=True)
class Poly:
    """A filled polygon (arrow heads, step-function glyphs)."""

    points: tuple
    fill: str = INK
    z: float = 1.5
    tags: tuple = ()


@dataclass(slots=True)
class Text:
    """A label at ``x, y``; ``text`` may hold mathtext (``$f_t$``); ``halo`` is a white outline behind glyphs."""

    x: float
    y: float
    text: str
    size: float = 20.0
    color: str = INK
    ha: str = "center"  # left | center | right
    va: str = "center"  # top | center | bottom | baseline
    weight: str = "normal"
    italic: bool = False
    z: float = 5.0
    halo: float = 0.0
    tags: tuple = ()


@dataclass(slots=True)
class Scene:
    """A picture: ``width × height`` units (y downwards) and its primitives, drawn in order of ``z``."""

    width: float
    height: float
    items: list = field(default_factory=list)
    background: str = "white"

    def add(self, *items) -> Scene:
        """Append primitives (or lists of them); returns the scene for chaining."""
        for it in items:
            if isinstance(it, (list, tuple)):
                self.items.extend(it)
            else:
                self.items.append(it)
        return self


# ----------------------------------------------------------------------------------------------------------
# Geometry helpers
# ----------------------------------------------------------------------------------------------------------
def rounded(points: Sequence[tuple], r: float = 18.0, n: int = 6) -> tuple:
    """Replace each interior corner of a polyline by a short quadratic curve of radius about ``r``."""
    if len(points) < 3 or r <= 0:
        return tuple(points)
    out = [points[0]]
    for (x0, y0), (x1, y1), (x2, y2) in zip(points, points[1:], points[2:]):
        d0 = math.hypot(x1 - x0, y1 - y0)
        d1 = math.hypot(x2 - x1, y2 - y1)
        rr = min(r, d0 / 2, d1 / 2)
        if rr <= 0:
            out.append((x1, y1))
            continue
        ax, ay = x1 - (x1 - x0) * rr / d0, y1 - (y1 - y0) * rr / d0
        bx, by = x1 + (x2 - x1) * rr / d1, y1 + (y2 - y1) * rr / d1
        for k in range(n + 1):
            s = k / n
            out.append(
                (
                    (1 - s) ** 2 * ax + 2 * s * (1 - s) * x1 + s * s * bx,
                    (1 - s) ** 2 * ay + 2 * s * (1 - s) * y1 + s * s * by,
                )
            )
    out.append(points[-1])
    return tuple(out)


def arrow(
    points: Sequence[tuple],
    color: str = INK,
    lw: float = 3.0,
    z: float = 1.0,
    *,
    head: bool = True,
    corner: float = 18.0,
    tags: tuple = (),
    dash: bool = False,
    halo: float = 0.0,
    halo_color: str = "white",
    head_size: float | None = None,
) -> list:
    """A polyline (corners rounded) ending in a filled arrow head at ``points[-1]``: ``[Line, Poly]``."""
    pts = list(points)
    items = []
    if head:
        L = head_size or max(14.0, 4.2 * lw)
        W = 0.8 * L
        (x0, y0), (x1, y1) = pts[-2], pts[-1]
        d = math.hypot(x1 - x0, y1 - y0) or 1.0
        ux, uy = (x1 - x0) / d, (y1 - y0) / d
        bx, by = x1 - ux * L, y1 - uy * L
        items.append(
            Poly(
                ((x1, y1), (bx - uy * W / 2, by + ux * W / 2), (bx + uy * W / 2, by - ux * W / 2)),
                fill=color,
                z=z + 0.01,
                tags=tags,
            )
        )
        pts[-1] = (x1 - ux * L * 0.7, y1 - uy * L * 0.7)
    items.insert(
        0, Line(rounded(pts, corner), color=color, lw=lw, z=z, dash=dash, halo=halo, halo_color=halo_color, tags=tags)
    )
    return items


def to_hex(c) -> str:
    return mcolors.to_hex(c)


@functools.cache
def _lut(cmap_name: str) -> tuple:
    cmap = mpl.colormaps[cmap_name]
    return tuple(mcolors.to_hex(cmap(k / 255)) for k in range(256))


def cmap_color(value: float, cmap: str = GATE_CMAP, lo: float = 0.0, hi: float = 1.0) -> str:
    """Hex colour of ``value`` on the colormap ``cmap`` spanning ``[lo, hi]`` (clipped)."""
    s = (float(value) - lo) / (hi - lo)
    return _lut(cmap)[int(round(min(max(s, 0.0), 1.0) * 255))]


def ink_on(fill: str) -> str:
    """Ink or white text, whichever contrasts more with ``fill`` (the rule of ``lib.plots.text_color_on``)."""
    return INK if text_color_on(fill) == "black" else "white"


@functools.lru_cache(maxsize=4096)
def fade(color: str, amount: float = 0.78) -> str:
    """Mix ``color`` with white (``amount`` = 1 gives white): the look of a part that is not in focus."""
    if color in ("none", None):
        return color
    r, g, b = mcolors.to_rgb(color)
    return mcolors.to_hex((r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount))


def apply_focus(items: Iterable, keep: set) -> None:
    """Fade, in place, every primitive none of whose tags is in ``keep`` (untagged ones stay as they are)."""
    for it in items:
        if not it.tags or keep.intersection(it.tags):
            continue
        if isinstance(it, (Box, Circle)):
            it.fill, it.edge = fade(it.fill), fade(it.edge)
        elif isinstance(it, Line):
            it.color = fade(it.color)
        elif isinstance(it, Poly):
            it.fill = fade(it.fill)
        elif isinstance(it, Text):
            it.color = fade(it.color, 0.65)
