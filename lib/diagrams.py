"""Every picture of the course, drawn by code: one geometry, two renderers.

A picture is a :class:`Scene`: a canvas size in abstract units (y grows downwards, as in SVG) and a list of
simple primitives (:class:`Box`, :class:`Circle`, :class:`Line`, :class:`Poly`, :class:`Text`). Functions
named ``*_scene`` build scenes; two renderers draw them:

* :func:`render_mpl` draws a scene on a matplotlib ``Axes`` (used by :func:`save_pics` for ``pics/*.png``,
  1 unit = 1 pixel at 100 dpi);
* :func:`render_svg` writes an SVG string (used by the widgets: ``ipywidgets.HTML(value=svg)`` updated in
  place; building and rendering the LSTM cell takes about a millisecond).

Text labels are matplotlib mathtext (``r"$f_t$"``); the SVG renderer converts the small subset used here
(subscripts, ``\\sigma``, ``\\tilde{C}``, ``\\tanh`` …) to plain Unicode with ``<tspan>`` subscripts.

The LSTM pictures follow the visual language of the lecture (Olah, "Understanding LSTM Networks", 2015):
yellow rectangles are learned layers (σ, tanh), pink circles are pointwise operations (×, +, tanh), lines
carry vectors, merging lines concatenate, forking lines copy.

``python -m lib.diagrams [outdir]`` (``make pics``) redraws the ten pictures of the lecture.
"""
from __future__ import annotations

import functools
import io
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence
from xml.sax.saxutils import escape

import matplotlib as mpl
import numpy as np
from matplotlib import colors as mcolors

from lib.checks import as_array, check_choice, check_positive, check_shape
from lib.plots import GATE_CMAP, PALETTE, STATE_CMAP

__all__ = [
    "Box", "Circle", "Line", "Poly", "Text", "Scene",
    "render_mpl", "render_svg", "scene_figure",
    "lstm_cell_scene", "rnn_cell_scene", "rnn_chain_scene", "perceptron_scene", "layer_scene", "mlp_scene",
    "PICTURES", "save_pics", "LSTM_VALUE_KEYS", "LSTM_HIGHLIGHTS",
]

# ----------------------------------------------------------------------------------------------------------
# Colours of the visual language (shape carries the meaning too, so colour vision is never required).
# ----------------------------------------------------------------------------------------------------------
INK = "#1a1a1a"                 # lines and text
LAYER_FILL = "#F6E46A"          # yellow rectangle: a learned layer (Okabe–Ito yellow, a touch warmer)
LAYER_EDGE = "#9A8600"
OP_FILL = "#F7C6DE"             # pink circle: a pointwise operation (light Okabe–Ito reddish purple)
OP_EDGE = PALETTE["purple"]
CELL_FILL = "#EEF3F8"           # the repeating module
CELL_EDGE = "#7C8EA3"
STATE_COLOR = PALETTE["blue"]   # the cell state C: the "conveyor belt"
POS_COLOR = PALETTE["blue"]     # positive weight
NEG_COLOR = PALETTE["vermillion"]  # negative weight (also dashed)
ACCENT = PALETTE["orange"]      # the current step / the winner
FONT = "DejaVu Sans"
_SVG_FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
_PT = 0.72                      # points per unit: 1 unit = 1/100 inch, rendered at 100 dpi = 1 pixel


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
    ha: str = "center"          # left | center | right
    va: str = "center"          # top | center | bottom | baseline
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

    def add(self, *items) -> "Scene":
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
def _rounded(points: Sequence[tuple], r: float = 18.0, n: int = 6) -> tuple:
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
            out.append(((1 - s) ** 2 * ax + 2 * s * (1 - s) * x1 + s * s * bx,
                        (1 - s) ** 2 * ay + 2 * s * (1 - s) * y1 + s * s * by))
    out.append(points[-1])
    return tuple(out)


def arrow(points: Sequence[tuple], color: str = INK, lw: float = 3.0, z: float = 1.0, *, head: bool = True,
          corner: float = 18.0, tags: tuple = (), dash: bool = False, halo: float = 0.0,
          halo_color: str = "white", head_size: float | None = None) -> list:
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
        items.append(Poly(((x1, y1), (bx - uy * W / 2, by + ux * W / 2), (bx + uy * W / 2, by - ux * W / 2)),
                          fill=color, z=z + 0.01, tags=tags))
        pts[-1] = (x1 - ux * L * 0.7, y1 - uy * L * 0.7)
    items.insert(0, Line(_rounded(pts, corner), color=color, lw=lw, z=z, dash=dash, halo=halo,
                         halo_color=halo_color, tags=tags))
    return items


def _hex(c) -> str:
    return mcolors.to_hex(c)


@functools.lru_cache(maxsize=None)
def _lut(cmap_name: str) -> tuple:
    cmap = mpl.colormaps[cmap_name]
    return tuple(mcolors.to_hex(cmap(k / 255)) for k in range(256))


def cmap_color(value: float, cmap: str = GATE_CMAP, lo: float = 0.0, hi: float = 1.0) -> str:
    """Hex colour of ``value`` on the colormap ``cmap`` spanning ``[lo, hi]`` (clipped)."""
    s = (float(value) - lo) / (hi - lo)
    return _lut(cmap)[int(round(min(max(s, 0.0), 1.0) * 255))]


def _ink_on(fill: str) -> str:
    """Black or white text, whichever reads better on ``fill``."""
    r, g, b = mcolors.to_rgb(fill)
    return INK if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "white"


@functools.lru_cache(maxsize=4096)
def _fade(color: str, amount: float = 0.78) -> str:
    """Mix ``color`` with white (``amount`` = 1 gives white): the look of a part that is not in focus."""
    if color in ("none", None):
        return color
    r, g, b = mcolors.to_rgb(color)
    return mcolors.to_hex((r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount))


def _apply_focus(items: Iterable, keep: set) -> None:
    """Fade, in place, every primitive none of whose tags is in ``keep`` (untagged ones stay as they are)."""
    for it in items:
        if not it.tags or keep.intersection(it.tags):
            continue
        if isinstance(it, (Box, Circle)):
            it.fill, it.edge = _fade(it.fill), _fade(it.edge)
        elif isinstance(it, Line):
            it.color = _fade(it.color)
        elif isinstance(it, Poly):
            it.fill = _fade(it.fill)
        elif isinstance(it, Text):
            it.color = _fade(it.color, 0.65)


# ----------------------------------------------------------------------------------------------------------
# matplotlib renderer
# ----------------------------------------------------------------------------------------------------------
def render_mpl(scene: Scene, ax) -> None:
    """Draw ``scene`` on the matplotlib axes ``ax`` (limits, aspect and axis visibility are set here)."""
    from matplotlib import patches, patheffects

    ax.set_xlim(0, scene.width)
    ax.set_ylim(scene.height, 0)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_facecolor(scene.background)
    for it in scene.items:
        if isinstance(it, Box):
            ax.add_patch(patches.FancyBboxPatch(
                (it.x + it.r, it.y + it.r), max(it.w - 2 * it.r, 0), max(it.h - 2 * it.r, 0),
                boxstyle=f"round,pad={it.r},rounding_size={it.r}" if it.r else f"square,pad={it.r}",
                facecolor=it.fill, edgecolor=it.edge, linewidth=it.lw * _PT, zorder=it.z))
        elif isinstance(it, Circle):
            ax.add_patch(patches.Circle((it.cx, it.cy), it.r, facecolor=it.fill, edgecolor=it.edge,
                                        linewidth=it.lw * _PT, zorder=it.z))
        elif isinstance(it, Line):
            xs, ys = zip(*it.points)
            effects = None
            if it.halo:
                effects = [patheffects.Stroke(linewidth=(it.lw + 2 * it.halo) * _PT, foreground=it.halo_color,
                                              capstyle="butt"), patheffects.Normal()]
            ax.plot(xs, ys, color=it.color, linewidth=it.lw * _PT, zorder=it.z,
                    linestyle=(0, (3, 2)) if it.dash else "-",
                    solid_capstyle="round", solid_joinstyle="round", dash_capstyle="butt", path_effects=effects)
        elif isinstance(it, Poly):
            ax.add_patch(patches.Polygon(it.points, closed=True, facecolor=it.fill, edgecolor="none",
                                         zorder=it.z))
        elif isinstance(it, Text):
            effects = None
            if it.halo:
                effects = [patheffects.withStroke(linewidth=2 * it.halo * _PT, foreground="white")]
            ax.text(it.x, it.y, it.text, fontsize=it.size * _PT, color=it.color, ha=it.ha,
                    va=it.va, fontweight=it.weight,
                    fontstyle="italic" if it.italic else "normal", fontfamily=FONT, zorder=it.z,
                    path_effects=effects, linespacing=1.15)
        else:  # pragma: no cover - a programming error, not user input
            raise TypeError(f"scene.items: неизвестный примитив {type(it).__name__}")


def scene_figure(scene: Scene):
    """A matplotlib ``Figure`` (no pyplot state) of exactly ``scene.width × scene.height`` pixels at 100 dpi."""
    from matplotlib.figure import Figure

    with mpl.rc_context({"mathtext.fontset": "dejavusans", "font.family": FONT}):
        fig = Figure(figsize=(scene.width / 100, scene.height / 100), dpi=100, facecolor=scene.background)
        ax = fig.add_axes((0, 0, 1, 1))
        render_mpl(scene, ax)
    return fig


# ----------------------------------------------------------------------------------------------------------
# SVG renderer
# ----------------------------------------------------------------------------------------------------------
_MATH_SYMBOLS = {
    "sigma": "σ", "Sigma": "Σ", "sum": "Σ", "cdot": "·", "ast": "∗", "times": "×", "odot": "⊙",
    "ldots": "…", "cdots": "⋯", "vdots": "⋮", "to": "→", "rightarrow": "→", "approx": "≈", "leq": "≤",
    "geq": "≥", "le": "≤", "ge": "≥", "in": "∈", "quad": "\u2003", ",": "\u2009", ";": " ", "!": "",
    " ": " ", "theta": "θ", "alpha": "α", "eta": "η", "Delta": "Δ", "delta": "δ", "pm": "±",
}
_MATH_UPRIGHT = {"tanh", "max", "exp", "log", "sign", "step", "min"}
_TOKEN = re.compile(r"\\([A-Za-z]+|[,;! ])|([_^{}])|([^\\_^{}])")


def _group(toks: list, j: int) -> tuple[list, int]:
    """The tokens of the braced group (or the single token) starting at ``toks[j]``, and the index after it."""
    if j >= len(toks):
        return [], j
    if toks[j][1] != "{":
        return toks[j:j + 1], j + 1
    depth = 0
    for k in range(j, len(toks)):
        if toks[k][1] == "{":
            depth += 1
        elif toks[k][1] == "}":
            depth -= 1
            if depth == 0:
                return toks[j + 1:k], k + 1
    return toks[j + 1:], len(toks)


_BINARY = {"=": " = ", "+": "\u2009+\u2009", "−": "\u2009−\u2009", "∗": "\u2009∗\u2009", "·": "\u2009·\u2009",
           "×": "\u2009×\u2009", "≈": " ≈ ", "→": " → ", "≤": " ≤ ", "≥": " ≥ ", "∈": " ∈ "}


def _math_runs(toks: list, shift: int = 0) -> list:
    """Mathtext tokens → runs ``(text, shift, italic)``; shift −1 = subscript, +1 = superscript."""
    runs: list = []
    i = 0
    while i < len(toks):
        cmd, ctl, ch = toks[i]
        i += 1
        if ctl in ("_", "^"):
            inner, i = _group(toks, i)
            runs.extend(_math_runs(inner, -1 if ctl == "_" else 1))
        elif ctl == "{":
            inner, i = _group(toks, i - 1)
            runs.extend(_math_runs(inner, shift))
        elif ctl == "}":
            continue
        elif cmd in ("tilde", "hat", "bar"):
            inner, i = _group(toks, i)
            sub = _math_runs(inner, shift)
            if sub:
                mark = {"tilde": "\u0303", "hat": "\u0302", "bar": "\u0304"}[cmd]
                t, s, it = sub[0]
                sub[0] = (t[0] + mark + t[1:], s, it)
            runs.extend(sub)
        elif cmd in ("mathrm", "rm", "mathbf"):
            inner, i = _group(toks, i)
            runs.extend((t, s, False) for t, s, _ in _math_runs(inner, shift))
        elif cmd in ("left", "right", "big", "Big"):
            continue
        elif cmd in _MATH_UPRIGHT:
            runs.append((cmd, shift, False))
        elif cmd:
            sym = _MATH_SYMBOLS.get(cmd, cmd)
            runs.append((_BINARY.get(sym, sym) if shift == 0 else sym, shift, False))
        elif not ch.isspace():
            c = "−" if ch == "-" else ch
            if shift == 0 and c in _BINARY:
                c = _BINARY[c]
            runs.append((c, shift, c.isalpha()))
    return runs


@functools.lru_cache(maxsize=2048)
def _svg_text_body(text: str, size: float) -> str:
    """The inside of an SVG ``<text>``: mathtext ``$…$`` segments become Unicode with shifted ``<tspan>``s."""
    runs: list = []
    for k, seg in enumerate(text.split("$")):
        if k % 2:
            runs.extend(_math_runs([(m.group(1), m.group(2), m.group(3)) for m in _TOKEN.finditer(seg)]))
        else:
            runs.extend((line, 0, False) for line in [seg] if seg)
    merged: list = []
    for t, s, it in runs:
        if merged and merged[-1][1] == s and merged[-1][2] == it:
            merged[-1] = (merged[-1][0] + t, s, it)
        else:
            merged.append((t, s, it))
    out = []
    offset = 0.0
    for t, s, it in merged:
        target = {0: 0.0, -1: 0.28 * size, 1: -0.38 * size}[s]
        attrs = []
        if target != offset:
            attrs.append(f'dy="{target - offset:.1f}"')
            offset = target
        if s:
            attrs.append('font-size="72%"')
        if it:
            attrs.append('font-style="italic"')
        body = escape(t)
        out.append(f"<tspan {' '.join(attrs)}>{body}</tspan>" if attrs else body)
    return "".join(out)


_ANCHOR = {"left": "start", "center": "middle", "right": "end"}
_BASELINE = {"top": "hanging", "center": "central", "bottom": "text-after-edge", "baseline": "alphabetic"}


def _pts(points) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def render_svg(scene: Scene, width: float | None = None) -> str:
    """The scene as an SVG document string, ``width`` pixels wide (default: its own width), scaled to fit.

    Meant for widgets: ``ipywidgets.HTML(value=render_svg(scene, width=700))``.
    """
    w = float(width) if width is not None else scene.width
    h = w * scene.height / scene.width
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" '
             f'viewBox="0 0 {scene.width:.0f} {scene.height:.0f}" font-family="{_SVG_FONT}" '
             f'style="max-width:100%;height:auto">',
             f'<rect width="100%" height="100%" fill="{scene.background}"/>']
    for it in sorted(scene.items, key=lambda o: o.z):
        if isinstance(it, Box):
            parts.append(f'<rect x="{it.x:.1f}" y="{it.y:.1f}" width="{it.w:.1f}" height="{it.h:.1f}" '
                         f'rx="{it.r:.1f}" fill="{it.fill}" stroke="{it.edge}" stroke-width="{it.lw:g}"/>')
        elif isinstance(it, Circle):
            parts.append(f'<circle cx="{it.cx:.1f}" cy="{it.cy:.1f}" r="{it.r:.1f}" fill="{it.fill}" '
                         f'stroke="{it.edge}" stroke-width="{it.lw:g}"/>')
        elif isinstance(it, Line):
            pts = _pts(it.points)
            if it.halo:
                parts.append(f'<polyline points="{pts}" fill="none" stroke="{it.halo_color}" '
                             f'stroke-width="{it.lw + 2 * it.halo:g}" stroke-linejoin="round"/>')
            dash = f' stroke-dasharray="{3 * it.lw:g} {2 * it.lw:g}"' if it.dash else ""
            cap = "butt" if it.dash else "round"
            parts.append(f'<polyline points="{pts}" fill="none" stroke="{it.color}" stroke-width="{it.lw:g}" '
                         f'stroke-linecap="{cap}" stroke-linejoin="round"{dash}/>')
        elif isinstance(it, Poly):
            parts.append(f'<polygon points="{_pts(it.points)}" fill="{it.fill}"/>')
        elif isinstance(it, Text):
            style = ""
            if it.halo:
                style = (f' stroke="white" stroke-width="{2 * it.halo:g}" paint-order="stroke" '
                         f'stroke-linejoin="round"')
            weight = ' font-weight="bold"' if it.weight == "bold" else ""
            ital = ' font-style="italic"' if it.italic else ""
            lines = it.text.split("\n")
            base = _BASELINE[it.va]
            if len(lines) == 1:
                parts.append(f'<text x="{it.x:.1f}" y="{it.y:.1f}" font-size="{it.size:g}" fill="{it.color}" '
                             f'text-anchor="{_ANCHOR[it.ha]}" dominant-baseline="{base}"{weight}{ital}{style}>'
                             f'{_svg_text_body(it.text, it.size)}</text>')
            else:  # multi-line: stack the lines around the anchor like matplotlib does
                step = 1.15 * it.size
                top = {"top": 0.0, "center": -(len(lines) - 1) * step / 2, "bottom": -(len(lines) - 1) * step,
                       "baseline": -(len(lines) - 1) * step}[it.va]
                for k, line in enumerate(lines):
                    parts.append(f'<text x="{it.x:.1f}" y="{it.y + top + k * step:.1f}" font-size="{it.size:g}" '
                                 f'fill="{it.color}" text-anchor="{_ANCHOR[it.ha]}" dominant-baseline="{base}"'
                                 f'{weight}{ital}{style}>{_svg_text_body(line, it.size)}</text>')
    parts.append("</svg>")
    return "".join(parts)


# ----------------------------------------------------------------------------------------------------------
# Values shown in live diagrams
# ----------------------------------------------------------------------------------------------------------
def _num(v: float) -> str:
    """``0.7312 → '0.73'``, ``-0.5 → '−0.50'`` (typographic minus, no ``−0.00``)."""
    return f"{round(v, 2) + 0.0:.2f}".replace("-", "−")


def _read_value(name: str, value) -> tuple[float, str]:
    """A float or a short 1-D array → (first component, text: '0.73' or '[0.73, 0.10, …]')."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"values[{name!r}]: ожидалось число или короткий 1-D массив, "
                        f"получено {type(value).__name__}") from None
    if arr.ndim > 1 or arr.size == 0:
        raise ValueError(f"values[{name!r}]: ожидалось число или непустой 1-D массив, получена форма {arr.shape}")
    flat = arr.ravel()
    if not np.all(np.isfinite(flat)):
        raise ValueError(f"values[{name!r}]: ожидались конечные числа, получено {flat.tolist()}")
    if flat.size == 1:
        return float(flat[0]), _num(float(flat[0]))
    shown = ", ".join(_num(float(v)) for v in flat[:2])
    return float(flat[0]), f"[{shown}{', …' if flat.size > 2 else ''}]"


def _read_values(values: Mapping, keys: Sequence[str], ranges: Mapping | None = None) -> dict:
    """Check a mapping of live values: exactly ``keys``, each finite, gates within their ranges."""
    if not isinstance(values, Mapping):
        raise TypeError(f"values: ожидался словарь с ключами {', '.join(keys)}, получено {type(values).__name__}")
    unknown = [k for k in values if k not in keys]
    if unknown:
        raise ValueError(f"values: неизвестный ключ {unknown[0]!r}; допустимые ключи: {', '.join(keys)}")
    out = {}
    for k in keys:
        if k not in values or values[k] is None:
            raise ValueError(f"values: нет значения {k!r} (нужны все ключи: {', '.join(keys)})")
        out[k] = _read_value(k, values[k])
        if ranges and k in ranges:
            lo, hi = ranges[k]
            arr = np.asarray(values[k], dtype=float)
            if np.any(arr < lo - 1e-9) or np.any(arr > hi + 1e-9):
                raise ValueError(f"values[{k!r}]: ожидались числа из [{lo:g}, {hi:g}], получено {out[k][1]}")
    return out


def _colorbar(x: float, y: float, w: float, h: float, cmap: str, lo: float, hi: float, label: str,
              n: int = 24, size: float = 18) -> list:
    """A horizontal colour scale of ``n`` swatches with its end values and a label above it."""
    items = [Box(x + k * w / n, y, w / n + 0.6, h, fill=cmap_color(lo + (k + 0.5) * (hi - lo) / n, cmap, lo, hi),
                 edge="none", lw=0, r=0, z=2) for k in range(n)]
    items += [Box(x, y, w, h, fill="none", edge=INK, lw=1.5, r=0, z=2.1),
              Text(x, y - 12, label, size=size, ha="left", va="bottom"),
              Text(x, y + h + 6, _num(lo).rstrip("0").rstrip("."), size=size - 2, ha="center", va="top"),
              Text(x + w / 2, y + h + 6, _num((lo + hi) / 2).rstrip("0").rstrip("."), size=size - 2, ha="center",
                   va="top"),
              Text(x + w, y + h + 6, _num(hi).rstrip("0").rstrip("."), size=size - 2, ha="center", va="top")]
    return items


# ----------------------------------------------------------------------------------------------------------
# LSTM cell (lstm.png, lstm1.png … lstm4.png, the gate-explorer widget of notebook 5)
# ----------------------------------------------------------------------------------------------------------
LSTM_VALUE_KEYS = ("x_t", "h_prev", "C_prev", "f_t", "i_t", "C_tilde", "C_t", "o_t", "h_t")
LSTM_HIGHLIGHTS = ("forget", "input", "update", "output")
_LSTM_RANGES = {"f_t": (0.0, 1.0), "i_t": (0.0, 1.0), "o_t": (0.0, 1.0), "C_tilde": (-1.0, 1.0)}

# Which tags each step brings into focus (the rest is faded).
_LSTM_FOCUS = {
    "forget": {"forget", "in_f", "x", "Cprev"},
    "input": {"input", "in_i", "x"},
    "update": {"update", "Cprev", "Cmid", "Cnew"},
    "output": {"output", "in_o", "x", "Cnew"},
}

_LSTM_STEPS = {
    "forget": dict(
        step="Шаг 1 из 4", title="Фильтр забывания",
        eqs=[r"$f_t = \sigma\left(W_f\cdot[h_{t-1},\,x_t] + b_f\right)$"],
        text="σ-слой смотрит на $h_{t-1}$ и $x_t$ и для\nкаждого числа в $C_{t-1}$ выдаёт число\n"
             "от 0 («забыть») до 1 («сохранить»).",
        example="Встретилось новое существительное —\nрод старого можно забыть."),
    "input": dict(
        step="Шаг 2 из 4", title="Входной фильтр и кандидат",
        eqs=[r"$i_t = \sigma\left(W_i\cdot[h_{t-1},\,x_t] + b_i\right)$",
             r"$\tilde{C}_t = \tanh\left(W_C\cdot[h_{t-1},\,x_t] + b_C\right)$"],
        text="σ-слой $i_t$ решает, какие числа\nсостояния обновить; tanh-слой\n"
             r"предлагает новые значения $\tilde{C}_t$.",
        example="Готовим к записи род нового\nсуществительного."),
    "update": dict(
        step="Шаг 3 из 4", title="Обновление состояния",
        eqs=[r"$C_t = f_t \ast C_{t-1} + i_t \ast \tilde{C}_t$"],
        text="Старое состояние умножаем на $f_t$\n(забываем), затем прибавляем\n"
             r"кандидатов, отобранных $i_t$.",
        example="Род старого существительного\nстёрт, род нового записан."),
    "output": dict(
        step="Шаг 4 из 4", title="Выходной фильтр",
        eqs=[r"$o_t = \sigma\left(W_o\cdot[h_{t-1},\,x_t] + b_o\right)$",
             r"$h_t = o_t \ast \tanh(C_t)$"],
        text="σ-слой $o_t$ выбирает, какую часть\nсостояния выдать наружу; tanh\n"
             "сжимает $C_t$ в интервал (−1, 1).",
        example="Выдаём, в каком числе стоит\nсуществительное: от этого\nзависит форма глагола."),
}

# Geometry of the cell (units; y grows downwards).
_YC, _YB, _YL = 150.0, 480.0, 360.0         # cell-state line, bottom line (h), centre row of the layers
_XM = 180.0                                  # where x_t joins h_{t-1}
_XF, _XI, _XG, _XO = 270.0, 420.0, 560.0, 720.0  # σ_f, σ_i, tanh (candidate), σ_o
_XT = 870.0                                  # output branch: tanh(C_t) and the last ×
_XH = 965.0                                  # h_t copied upwards
_YMI = 262.0                                 # the × of i_t and C̃_t
_BW, _BH, _OR = 84.0, 52.0, 24.0             # layer box size, radius of a pointwise circle
_CELL_W, _PANEL_W, _LSTM_H = 1100.0, 500.0, 660.0


def _layer(x: float, y: float, label: str, tags: tuple, fill: str = LAYER_FILL, edge: str = LAYER_EDGE,
           size: float = 30) -> list:
    """A learned layer: a yellow rectangle centred at ``x, y`` with its activation written inside."""
    return [Box(x - _BW / 2, y - _BH / 2, _BW, _BH, fill=fill, edge=edge, lw=2.5, r=9, z=3, tags=tags),
            Text(x, y, label, size=size, color=_ink_on(fill), z=3.5, tags=tags)]


def _op(x: float, y: float, label: str, tags: tuple, r: float = _OR, fill: str = OP_FILL,
        size: float = 26) -> list:
    """A pointwise operation: a pink circle centred at ``x, y``."""
    return [Circle(x, y, r, fill=fill, edge=OP_EDGE, lw=2.5, z=3, tags=tags),
            Text(x, y + (1 if label in "×+" else 0), label, size=size, color=_ink_on(fill), z=3.5, tags=tags)]


def lstm_cell_scene(values: Mapping | None = None, highlight: str | None = None, *, panel: bool = True) -> Scene:
    """The LSTM repeating module in Olah's layout, optionally with live values and one step in focus.

    ``values``: ``None`` or a dict with every key of ``LSTM_VALUE_KEYS`` (``x_t, h_prev, C_prev, f_t, i_t,
    C_tilde, C_t, o_t, h_t``), each a float or a short 1-D array (a 1-unit cell: its first component colours
    the picture; the text shows up to two components). Then every layer box is filled by its activation
    (σ gates on ``GATE_CMAP`` over [0, 1], the candidate on ``STATE_CMAP`` over [−1, 1]), the cell-state
    line is coloured by C and thickened by |C|, and the numbers (2 decimals) are written by the lines.

    ``highlight``: ``None`` or one of ``"forget"``, ``"input"``, ``"update"``, ``"output"`` (pictures
    lstm1 … lstm4): that step is drawn strongly, the rest faded, its equations written beside the cell.

    ``panel``: add the right-hand panel (legend, equations, or colour scales); ``False`` gives the cell alone
    (1100 × 660 units instead of 1600 × 660).

    Raises ``ValueError`` for an unknown highlight, a missing, unknown or non-finite value, or a gate
    outside its range.
    """
    if highlight is not None:
        check_choice("highlight", highlight, LSTM_HIGHLIGHTS)
    vals = None if values is None else _read_values(values, LSTM_VALUE_KEYS, _LSTM_RANGES)
    s = Scene(_CELL_W + (_PANEL_W if panel else 0.0), _LSTM_H)
    lw = 4.0
    top = _YL - _BH / 2
    bottom = _YL + _BH / 2

    # the module itself
    s.add(Box(110, 70, 900, 490, fill=CELL_FILL, edge=CELL_EDGE, lw=2.5, r=26, z=0))

    # --- cell state: C_{t-1} → × f_t → + → C_t (three segments, so live values can colour each) ---
    if vals:
        c_prev, c_new = vals["C_prev"][0], vals["C_t"][0]
        c_mid = vals["f_t"][0] * c_prev
        segs = [(c_prev, 20.0, _XF, ("Cprev", "update")), (c_mid, _XF, _XG, ("Cmid", "update")),
                (c_new, _XG, 1090.0, ("Cnew", "update"))]
        for c, x0, x1, tags in segs:
            width = 4.0 + 5.0 * min(abs(c), 2.0)
            color = cmap_color(c, STATE_CMAP, -1.0, 1.0)
            if tags[0] == "Cnew":            # the last segment ends in the arrow head of C_t
                s.add(arrow([(x0, _YC), (x1, _YC)], color=INK, lw=width + 3, z=1.9, tags=tags, head_size=22))
                s.add(Line(((x0, _YC), (x1 - 22, _YC)), color=color, lw=width, z=2.0, tags=tags))
            else:
                s.add(Line(((x0, _YC), (x1, _YC)), color=INK, lw=width + 3, z=1.9, tags=tags),
                      Line(((x0, _YC), (x1, _YC)), color=color, lw=width, z=2.0, tags=tags))
    else:
        s.add(arrow([(20, _YC), (_XF, _YC)], STATE_COLOR, lw=6, z=2, head=False, tags=("Cprev", "update")),
              arrow([(_XF, _YC), (_XG, _YC)], STATE_COLOR, lw=6, z=2, head=False, tags=("Cmid", "update")),
              arrow([(_XG, _YC), (1090, _YC)], STATE_COLOR, lw=6, z=2, head_size=24, tags=("Cnew", "update")))

    # where h_t goes up under the cell state, a gap in h_t shows that the lines cross without touching
    gap = (4.0 + 5.0 * min(abs(vals["C_t"][0]), 2.0) + 3 if vals else 6.0) / 2 + 9
    s.add(Line(((_XH, _YC - gap), (_XH, _YC + gap)), color=CELL_FILL, lw=10, z=1.5))

    # --- inputs: h_{t-1} from the left, x_t from below, merged (concatenated) along the bottom ---
    s.add(Line(((20, _YB), (_XF, _YB)), lw=lw, z=1, tags=("x",)),
          Line(_rounded([(_XM, 640), (_XM, _YB), (_XM + 30, _YB)], 26), lw=lw, z=1, tags=("x",)),
          Line(((_XF, _YB), (_XI, _YB)), lw=lw, z=1, tags=("in_i", "in_o")),
          Line(((_XI, _YB), (_XG, _YB)), lw=lw, z=1, tags=("in_i", "in_o")))
    s.add(arrow([(_XG, _YB), (_XO, _YB), (_XO, bottom)], lw=lw, corner=26, tags=("in_o",)))
    s.add(arrow([(_XF, _YB), (_XF, bottom)], lw=lw, tags=("in_f",)),
          arrow([(_XI, _YB), (_XI, bottom)], lw=lw, tags=("in_i",)),
          arrow([(_XG, _YB), (_XG, bottom)], lw=lw, tags=("in_i",)))

    # --- the four learned layers ---
    def fill_of(key, cmap, lo):
        return cmap_color(vals[key][0], cmap, lo, 1.0) if vals else LAYER_FILL

    s.add(_layer(_XF, _YL, "σ", ("forget",), fill_of("f_t", GATE_CMAP, 0.0)),
          _layer(_XI, _YL, "σ", ("input",), fill_of("i_t", GATE_CMAP, 0.0)),
          _layer(_XG, _YL, "tanh", ("input",), fill_of("C_tilde", STATE_CMAP, -1.0), size=24),
          _layer(_XO, _YL, "σ", ("output",), fill_of("o_t", GATE_CMAP, 0.0)))

    # --- forget: f_t up to × on the cell state ---
    s.add(arrow([(_XF, top), (_XF, _YC + _OR)], lw=lw, tags=("forget", "update")))
    s.add(_op(_XF, _YC, "×", ("forget", "update")))
    # --- input: i_t and C̃_t meet at ×, the product goes up to + ---
    s.add(arrow([(_XI, top), (_XI, _YMI), (_XG - _OR, _YMI)], lw=lw, corner=24, tags=("input",)),
          arrow([(_XG, top), (_XG, _YMI + _OR)], lw=lw, tags=("input",)),
          _op(_XG, _YMI, "×", ("input",)),
          arrow([(_XG, _YMI - _OR), (_XG, _YC + _OR)], lw=lw, tags=("update",)),
          _op(_XG, _YC, "+", ("update",), size=30))
    # --- output: tanh(C_t) times o_t gives h_t, which leaves to the right and upwards ---
    r_tanh = 33.0
    y_tanh = 252.0
    s.add(arrow([(_XT, _YC), (_XT, y_tanh - r_tanh)], lw=lw, tags=("output",)),
          _op(_XT, y_tanh, "tanh", ("output",), r=r_tanh, size=19,
              fill=cmap_color(math.tanh(vals["C_t"][0]), STATE_CMAP, -1, 1) if vals else OP_FILL),
          arrow([(_XT, y_tanh + r_tanh), (_XT, _YL - _OR)], lw=lw, tags=("output",)),
          arrow([(_XO + _BW / 2, _YL), (_XT - _OR, _YL)], lw=lw, tags=("output",)),
          _op(_XT, _YL, "×", ("output",)),
          arrow([(_XT, _YL + _OR), (_XT, _YB), (1090, _YB)], lw=lw, corner=26, tags=("output",)),
          arrow([(_XH, _YB), (_XH, 18)], lw=lw, z=1, tags=("output",)))

    # --- labels (with live values when given) ---
    def lab(key, sym):
        return f"{sym} = {vals[key][1]}" if vals else sym

    size = 22
    s.add(Text(28, _YC - 26, lab("C_prev", r"$C_{t-1}$"), size=size, ha="left", tags=("Cprev", "update"), halo=4),
          Text(1092, _YC - 26, lab("C_t", r"$C_t$"), size=size, ha="right", tags=("Cnew", "update", "output"),
               halo=4),
          Text(28, _YB - 24, lab("h_prev", r"$h_{t-1}$"), size=size, ha="left", tags=("x",), halo=4),
          Text(_XM - 14, 618, lab("x_t", r"$x_t$"), size=size, ha="right", tags=("x",), halo=4),
          Text(1092, _YB - 24, lab("h_t", r"$h_t$"), size=size, ha="right", tags=("output",), halo=4),
          Text(_XH + 14, 26, lab("h_t", r"$h_t$"), size=size, ha="left", tags=("output",), halo=4),
          Text(_XF + 12, 262, lab("f_t", r"$f_t$"), size=size - 1, ha="left", tags=("forget", "update"), halo=4),
          Text(_XI + 12, 302, lab("i_t", r"$i_t$"), size=size - 1, ha="left", tags=("input",), halo=4),
          Text(_XG + 12, 305, lab("C_tilde", r"$\tilde{C}_t$"), size=size - 1, ha="left", tags=("input",), halo=4),
          Text((_XO + _BW / 2 + _XT - _OR) / 2 + 4, _YL - (40 if vals else 24), lab("o_t", r"$o_t$"), size=size - 2,
               tags=("output",), halo=4))
    if vals:
        prod_f = vals["f_t"][0] * vals["C_prev"][0]
        prod_i = vals["i_t"][0] * vals["C_tilde"][0]
        s.add(Text((_XF + _XG) / 2, _YC - 26, r"$f_t \ast C_{t-1}$ = " + _num(prod_f), size=19,
                   tags=("update",), halo=4),
              Text(_XG + 14, 206, r"$i_t \ast \tilde{C}_t$ = " + _num(prod_i), size=19, ha="left",
                   tags=("update",), halo=4))
    else:
        s.add(Text(_XG + 14, 206, r"$i_t \ast \tilde{C}_t$", size=19, ha="left", tags=("update",), halo=4))
        s.add(Text(725, 116, "состояние ячейки", size=20, color=STATE_COLOR, weight="bold", tags=("Cnew",)))
    names = [(_XF, "фильтр\nзабывания", "forget"), (_XI, "входной\nфильтр", "input"),
             (_XG, "кандидат", "input"), (_XO, "выходной\nфильтр", "output")]
    for x, name, tag in names:
        s.add(Text(x, 524, name, size=17, color="#3b4a5a", tags=(tag,)))

    if panel:
        s.add(_lstm_panel(vals, highlight))
    if highlight is not None:
        _apply_focus(s.items, _LSTM_FOCUS[highlight])
    return s


def _lstm_panel(vals: dict | None, highlight: str | None) -> list:
    """The right-hand panel: a step's equations, the colour scales of live values, or the legend."""
    x0 = _CELL_W + 20
    items: list = []
    if highlight is not None:
        step = _LSTM_STEPS[highlight]
        items.append(Text(x0, 62, step["step"], size=20, ha="left", color="#5b6b7b"))
        items.append(Text(x0, 100, step["title"], size=26, weight="bold", ha="left"))
        y = 175
        for eq in step["eqs"]:
            items.append(Text(x0, y, eq, size=27, ha="left"))
            y += 62
        if vals:
            v = {k: vals[k][1] for k in vals}
            p = {k: f"({t})" if t.startswith("−") else t for k, t in v.items()}  # negatives in brackets
            numbers = {
                "forget": [rf"$f_t$ = {v['f_t']}"],
                "input": [rf"$i_t$ = {v['i_t']},   $\tilde{{C}}_t$ = {v['C_tilde']}"],
                "update": [rf"$C_t$ = {p['f_t']} ∗ {p['C_prev']} + {p['i_t']} ∗ {p['C_tilde']}",
                           rf"     = {v['C_t']}"],
                "output": [rf"$o_t$ = {v['o_t']}", rf"$h_t$ = {p['o_t']} ∗ tanh({v['C_t']}) = {v['h_t']}"],
            }[highlight]
            for line in numbers:
                items.append(Text(x0, y, line, size=23, ha="left", color=PALETTE["blue"]))
                y += 44
            y += 14
        items.append(Text(x0, y + 6, step["text"], size=21, ha="left", va="top", color="#333333"))
        y += 6 + 1.15 * 21 * (step["text"].count("\n") + 1) + 28
        items.append(Text(x0, y, "Пример (языковая модель):", size=19, ha="left", va="top", color="#5b6b7b",
                          weight="bold"))
        items.append(Text(x0, y + 30, step["example"], size=19, ha="left", va="top", color="#5b6b7b"))
        return items
    if vals:
        items += [Text(x0, 92, "Цвет — значение", size=25, weight="bold", ha="left")]
        items += _colorbar(x0, 170, 400, 34, GATE_CMAP, 0.0, 1.0, "фильтры σ: от 0 до 1")
        items += _colorbar(x0, 300, 400, 34, STATE_CMAP, -1.0, 1.0, "tanh и состояние C: от −1 до 1")
        items.append(Text(x0, 400, "Толщина линии состояния\nпоказывает |C|.", size=20, ha="left", va="top",
                          color="#333333"))
        return items
    # legend of the visual language
    items.append(Text(x0, 92, "Обозначения", size=27, weight="bold", ha="left"))
    ix, tx, y, step = x0 + 45, x0 + 115, 168.0, 74.0
    rows = [
        (_layer(ix, y, "σ", ()), "обучаемый слой"),
        (_op(ix, y + step, "×", ()), "поточечная операция"),
        (arrow([(ix - 45, y + 2 * step), (ix + 45, y + 2 * step)], lw=4), "вектор"),
        ([*arrow([(ix - 45, y + 3 * step - 22), (ix - 12, y + 3 * step - 22), (ix - 12, y + 3 * step),
                  (ix + 45, y + 3 * step)], lw=4, corner=11),
          Line(_rounded([(ix - 45, y + 3 * step + 22), (ix - 12, y + 3 * step + 22), (ix - 12, y + 3 * step),
                         (ix + 10, y + 3 * step)], 11), lw=4)],
         "объединение векторов"),
        ([Line(((ix - 45, y + 4 * step), (ix - 5, y + 4 * step)), lw=4),
          *arrow([(ix - 5, y + 4 * step), (ix + 45, y + 4 * step)], lw=4),
          *arrow([(ix - 5, y + 4 * step), (ix - 5, y + 4 * step - 22), (ix + 45, y + 4 * step - 22)], lw=4,
                 corner=10)], "копирование"),
        (arrow([(ix - 45, y + 5 * step), (ix + 45, y + 5 * step)], STATE_COLOR, lw=6), "состояние ячейки"),
    ]
    for k, (icon, text) in enumerate(rows):
        items += icon
        items.append(Text(tx, y + k * step, text, size=22, ha="left"))
    return items


# ----------------------------------------------------------------------------------------------------------
# Plain RNN: the repeating module (one_layer.png) and the unrolled chain (rnn.png, widget of notebook 4)
# ----------------------------------------------------------------------------------------------------------
X_FILL, X_EDGE = "#D4E9F7", PALETTE["sky"]         # input vectors x_t
H_FILL, H_EDGE = "#FBE2BD", PALETTE["orange"]      # outputs / hidden states h_t
RNN_VALUE_KEYS = ("x_t", "h_prev", "h_t")


def _vec(x: float, y: float, label: str, kind: str, r: float = 34.0, tags: tuple = (), fill: str | None = None,
         size: float = 24) -> list:
    """A vector drawn as a circle: ``kind`` "x" (input, blue) or "h" (output/state, orange)."""
    f, e = (X_FILL, X_EDGE) if kind == "x" else (H_FILL, H_EDGE)
    f = fill or f
    return [Circle(x, y, r, fill=f, edge=e, lw=3, z=3, tags=tags),
            Text(x, y, label, size=size, color=_ink_on(f), z=3.5, tags=tags)]


def _module(x: float, y: float, w: float, h: float, label: str = "A", tags: tuple = (), fill: str = CELL_FILL,
            edge: str = CELL_EDGE, lw: float = 3.0, size: float = 40) -> list:
    """A whole repeating module drawn as a box ``w × h`` centred at ``x, y`` with its name inside."""
    return [Box(x - w / 2, y - h / 2, w, h, fill=fill, edge=edge, lw=lw, r=18, z=2, tags=tags),
            Text(x, y, label, size=size, weight="bold", color="#2c3e50", z=2.5, tags=tags)]


def rnn_cell_scene(values: Mapping | None = None) -> Scene:
    """The repeating module of a plain RNN (one_layer.png): one tanh layer on ``[h_{t-1}, x_t]``.

    Three copies in a chain, the middle one opened up. ``values``: ``None`` or a dict with keys
    ``x_t, h_prev, h_t`` (floats or short 1-D arrays): the tanh layer is filled by ``h_t`` on ``STATE_CMAP``
    over [−1, 1] and the numbers are written by the vectors.
    """
    vals = None if values is None else _read_values(values, RNN_VALUE_KEYS)
    s = Scene(1500.0, 640.0)
    lw = 4.0
    yb, yt = 420.0, 200.0            # bottom line (state in and out), top turn of the output
    # the neighbours: closed modules
    for cx, sub in ((190.0, "t-1"), (1310.0, "t+1")):
        s.add(_module(cx, 305, 220, 300, "A"),
              arrow([(cx, 590), (cx, 455 + 2)], lw=lw), _vec(cx, 590 + 0, f"$x_{{{sub}}}$", "x", r=30, size=21),
              arrow([(cx, 155), (cx, 62 + 2)], lw=lw), _vec(cx, 40 + 0, f"$h_{{{sub}}}$", "h", r=30, size=21))
    s.add(arrow([(20, yb), (80, yb)], lw=lw), arrow([(1420, yb), (1480, yb)], lw=lw))
    # the opened module
    s.add(Box(400, 100, 700, 410, fill=CELL_FILL, edge=CELL_EDGE, lw=3, r=26, z=0))
    xm, xl, xo, xh = 500.0, 700.0, 880.0, 980.0
    s.add(Line(((300, yb), (xl - 60, yb)), lw=lw),
          Line(_rounded([(xm, 560), (xm, yb), (xm + 30, yb)], 26), lw=lw),
          arrow([(xl - 60, yb), (xl, yb), (xl, 326)], lw=lw, corner=26))
    fill = cmap_color(vals["h_t"][0], STATE_CMAP, -1, 1) if vals else LAYER_FILL
    s.add(_layer(xl, 300, "tanh", (), fill=fill, size=24))
    s.add(arrow([(xl, 274), (xl, yt), (xo, yt), (xo, yb), (1200, yb)], lw=lw, corner=26),
          arrow([(xh, yb), (xh, 62)], lw=lw), _vec(xh, 40, "$h_t$", "h", r=30, size=21),
          _vec(xm, 590, "$x_t$", "x", r=30, size=21))
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
        items += [*_module(cx, ya, 130, 120, "A"),
                  *arrow([(cx, yx - 36), (cx, ya + 62)], lw=lw), *_vec(cx, yx, "$x_t$", "x"),
                  *arrow([(cx, ya - 60), (cx, yh + 36)], lw=lw), *_vec(cx, yh, "$h_t$", "h"),
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
        s.add(_module(cx, ya, 130, 120, "A", tags=tags, fill=box_fill, edge=box_edge, lw=5 if focus else 3))
        s.add(arrow([(cx, yx - 36), (cx, ya + 62)], lw=lw, tags=tags), _vec(cx, yx, f"$x_{{{sub}}}$", "x", tags=tags))
        hfill = cmap_color(hv[k_step], STATE_CMAP, -1, 1) if hv is not None else None
        s.add(arrow([(cx, ya - 60), (cx, yh + 36)], lw=lw, tags=tags),
              _vec(cx, yh, f"$h_{{{sub}}}$", "h", tags=tags, fill=hfill))
        if hv is not None:
            s.add(Text(cx + 40, yh - 40, _num(float(hv[k_step])), size=19, ha="left", tags=tags, halo=3))
        if labels is not None:
            s.add(Text(cx, yx + 70, labels[k_step], size=24, weight="bold" if focus else "normal",
                       color=ACCENT if focus else INK, tags=tags))
        if from_x is not None:
            s.add(arrow([(from_x, ya), (cx - 67, ya)], lw=lw, tags=tags))
        from_x = cx + 65
        k_step += 1
    if current is not None:
        _apply_focus(s.items, {"now"})
    return s


# ----------------------------------------------------------------------------------------------------------
# Perceptron, a layer of perceptrons, a network with hidden layers
# ----------------------------------------------------------------------------------------------------------
NEURON_FILL, NEURON_EDGE = "#E8EEF4", "#4d6275"


def _edge_style(w: float, wmax: float) -> dict:
    """Colour, width and dash of an edge of weight ``w``: blue solid if w ≥ 0, vermillion dashed if w < 0."""
    return dict(color=POS_COLOR if w >= 0 else NEG_COLOR, lw=1.5 + 6.0 * min(abs(w) / (wmax or 1.0), 1.0),
                dash=w < 0)


def _step_glyph(x: float, y: float, w: float, h: float, tags: tuple = ()) -> list:
    """A little plot of the threshold step (0 left of the threshold, 1 right of it) inside ``w × h`` at x, y."""
    x0, x1, xm = x - w / 2, x + w / 2, x
    y0, y1 = y + h / 2, y - h / 2
    return [Line(((x0, y0), (x1, y0)), color="#8a96a3", lw=1.5, z=3.6, tags=tags),
            Line(((xm, y0 + 4), (xm, y1 - 4)), color="#8a96a3", lw=1.5, z=3.6, tags=tags),
            Line(((x0, y0), (xm, y0), (xm, y1), (x1, y1)), color=PALETTE["blue"], lw=4.0, z=3.7, tags=tags)]


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
        style = _edge_style(wk, wmax) if wk is not None else dict(color=INK, lw=lw, dash=False)
        s.add(arrow([start, end], head_size=18, **style))
        lx, ly = xin + ux * d * frac, y0 + uy * d * frac
        text = label if wk is None else f"{label} = {_num(wk)}"
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
        s.add(Text(xin, y, label if x is None else _num(x[k]).rstrip("0").rstrip(".") or "0",
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
               r"$\sum_i w_i x_i + b$ = " + _num(total), size=23))
    s.add(arrow([(xs_ + 62, ysum), (xst - 78, ysum)], lw=lw))
    s.add(Box(xst - 75, ysum - 55, 150, 110, fill="white", edge=NEURON_EDGE, lw=3, r=12, z=3),
          _step_glyph(xst, ysum, 104, 64))
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
        s.add(Box(gx + c * cell, gy + r * cell, cell, cell, fill=_hex((g, g, g)), edge="#b0b0b0", lw=1, r=0, z=2))
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
        s.add(_vec(xin, y, label, "x", r=32, size=21))
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
        s.add(Text(x0 + (length if v >= 0 else 0.0) + 10, yo, _num(v), size=18, ha="left",
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
                    st = _edge_style(float(ws[k][j, i]), wmax)
                    s.add(Line(((xs[k] + r, y0), (xs[k + 1] - r, y1)), z=1, **st))
    for k, (x, n) in enumerate(zip(xs, sizes)):
        kind_fill = X_FILL if k == 0 else (H_FILL if k == L - 1 else NEURON_FILL)
        kind_edge = X_EDGE if k == 0 else (H_EDGE if k == L - 1 else NEURON_EDGE)
        for i, y in enumerate(ys(n)):
            fill = cmap_color(acts[k][i], GATE_CMAP, 0, 1) if acts is not None else kind_fill
            s.add(Circle(float(x), y, r, fill=fill, edge=kind_edge, lw=3, z=3))
            if acts is not None:
                s.add(Text(float(x), y, _num(float(acts[k][i])), size=min(18, r * 0.6), color=_ink_on(fill), z=3.5))
            elif k == 0:
                s.add(Text(float(x), y, f"$x_{{{i + 1}}}$", size=min(22, r * 0.75), z=3.5))
            elif k == L - 1:
                s.add(Text(float(x), y, f"$y_{{{i + 1}}}$", size=min(22, r * 0.75), z=3.5))
        s.add(Text(float(x), bottom + 100, layer_names[k], size=22, weight="bold"))
    return s


# ----------------------------------------------------------------------------------------------------------
# The ten pictures of the lecture
# ----------------------------------------------------------------------------------------------------------
PICTURES = {
    "perceptron_work": lambda: perceptron_scene(),
    "more_output": lambda: layer_scene(),
    "hidden_layer": lambda: mlp_scene(),
    "rnn": lambda: rnn_chain_scene(),
    "one_layer": lambda: rnn_cell_scene(),
    "lstm": lambda: lstm_cell_scene(),
    "lstm1": lambda: lstm_cell_scene(highlight="forget"),
    "lstm2": lambda: lstm_cell_scene(highlight="input"),
    "lstm3": lambda: lstm_cell_scene(highlight="update"),
    "lstm4": lambda: lstm_cell_scene(highlight="output"),
}


def save_pics(outdir: str | Path = "pics") -> list[Path]:
    """Draw the ten pictures of the lecture into ``outdir`` as PNG (byte-identical on every run)."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, build in PICTURES.items():
        path = out / f"{name}.png"
        path.write_bytes(png_bytes(build()))
        paths.append(path)
    return paths


def png_bytes(scene: Scene) -> bytes:
    """The scene as a compact PNG (1 unit = 1 pixel; 256-colour palette; no timestamps: reproducible bytes)."""
    from PIL import Image

    fig = scene_figure(scene)
    buf = io.BytesIO()
    with mpl.rc_context({"mathtext.fontset": "dejavusans", "font.family": FONT}):
        fig.savefig(buf, format="png", dpi=100, facecolor=fig.get_facecolor(), bbox_inches=None,
                    metadata={"Software": None})
    img = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    pal = img.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    pal.save(out, format="PNG", optimize=True)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m lib.diagrams [outdir]``: redraw every picture (``make pics``)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    outdir = argv[0] if argv else "pics"
    for path in save_pics(outdir):
        print(f"{path}  ({path.stat().st_size // 1024} КБ)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
