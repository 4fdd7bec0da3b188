"""Pieces several picture families share: live values read and checked, numbers as text, a colour scale,
a learned layer, a pointwise operation, a vector, a whole module, the threshold step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from lib import fmt
from lib.diagrams.scene import (
    CELL_EDGE,
    CELL_FILL,
    INK,
    LAYER_EDGE,
    LAYER_FILL,
    OP_EDGE,
    OP_FILL,
    Box,
    Circle,
    Line,
    Text,
    cmap_color,
    ink_on,
)
from lib.plots import PALETTE

X_FILL, X_EDGE = "#D4E9F7", PALETTE["sky"]  # input vectors x_t
H_FILL, H_EDGE = "#FBE2BD", PALETTE["orange"]  # outputs / hidden states h_t
NEURON_FILL, NEURON_EDGE = "#E8EEF4", "#4d6275"
BW, BH, OR = 84.0, 52.0, 24.0  # layer box size, radius of a pointwise circle


def num(v: float) -> str:
    """``0.7312 → '0,73'``, ``-0.5 → '−0,50'``: ``lib.fmt.num`` (decimal comma, true minus, no ``−0,00``)."""
    return fmt.num(v, 2)


def short(v: float) -> str:
    """``0.5 → '0,5'``, ``1.0 → '1'``, ``-1.0 → '−1'``: a scale's end value without trailing zeros."""
    return num(v).rstrip("0").rstrip(",")


def read_value(name: str, value) -> tuple[float, str]:
    """A float or a short 1-D array → (first component, text: '0,73' or '[0,73; 0,10; …]')."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"values[{name!r}]: ожидалось число или короткий 1-D массив, получено {type(value).__name__}"
        ) from None
    if arr.ndim > 1 or arr.size == 0:
        raise ValueError(f"values[{name!r}]: ожидалось число или непустой 1-D массив, получена форма {arr.shape}")
    flat = arr.ravel()
    if not np.all(np.isfinite(flat)):
        raise ValueError(f"values[{name!r}]: ожидались конечные числа, получено {flat.tolist()}")
    if flat.size == 1:
        return float(flat[0]), num(float(flat[0]))
    shown = "; ".join(num(float(v)) for v in flat[:2])
    return float(flat[0]), f"[{shown}{'; …' if flat.size > 2 else ''}]"


def read_values(values: Mapping, keys: Sequence[str], ranges: Mapping | None = None) -> dict:
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
        out[k] = read_value(k, values[k])
        if ranges and k in ranges:
            lo, hi = ranges[k]
            arr = np.asarray(values[k], dtype=float)
            if np.any(arr < lo - 1e-9) or np.any(arr > hi + 1e-9):
                raise ValueError(f"values[{k!r}]: ожидались числа из [{lo:g}, {hi:g}], получено {out[k][1]}")
    return out


def colorbar(
    x: float, y: float, w: float, h: float, cmap: str, lo: float, hi: float, label: str, n: int = 24, size: float = 18
) -> list:
    """A horizontal colour scale of ``n`` swatches with its end values and a label above it."""
    items = [
        Box(
            x + k * w / n,
            y,
            w / n + 0.6,
            h,
            fill=cmap_color(lo + (k + 0.5) * (hi - lo) / n, cmap, lo, hi),
            edge="none",
            lw=0,
            r=0,
            z=2,
        )
        for k in range(n)
    ]
    items += [
        Box(x, y, w, h, fill="none", edge=INK, lw=1.5, r=0, z=2.1),
        Text(x, y - 12, label, size=size, ha="left", va="bottom"),
        Text(x, y + h + 6, short(lo), size=size - 2, ha="center", va="top"),
        Text(x + w / 2, y + h + 6, short((lo + hi) / 2), size=size - 2, ha="center", va="top"),
        Text(x + w, y + h + 6, short(hi), size=size - 2, ha="center", va="top"),
    ]
    return items


def layer_box(
    x: float, y: float, label: str, tags: tuple, fill: str = LAYER_FILL, edge: str = LAYER_EDGE, size: float = 30
) -> list:
    """A learned layer: a yellow rectangle centred at ``x, y`` with its activation written inside."""
    return [
        Box(x - BW / 2, y - BH / 2, BW, BH, fill=fill, edge=edge, lw=2.5, r=9, z=3, tags=tags),
        Text(x, y, label, size=size, color=ink_on(fill), z=3.5, tags=tags),
    ]


def op_circle(
    x: float, y: float, label: str, tags: tuple, r: float = OR, fill: str = OP_FILL, size: float = 26
) -> list:
    """A pointwise operation: a pink circle centred at ``x, y``."""
    return [
        Circle(x, y, r, fill=fill, edge=OP_EDGE, lw=2.5, z=3, tags=tags),
        Text(x, y + (1 if label in "×+" else 0), label, size=size, color=ink_on(fill), z=3.5, tags=tags),
    ]


def vec(
    x: float,
    y: float,
    label: str,
    kind: str,
    r: float = 34.0,
    tags: tuple = (),
    fill: str | None = None,
    size: float = 24,
) -> list:
    """A vector drawn as a circle: ``kind`` "x" (input, blue) or "h" (output/state, orange)."""
    f, e = (X_FILL, X_EDGE) if kind == "x" else (H_FILL, H_EDGE)
    f = fill or f
    return [
        Circle(x, y, r, fill=f, edge=e, lw=3, z=3, tags=tags),
        Text(x, y, label, size=size, color=ink_on(f), z=3.5, tags=tags),
    ]


def module_box(
    x: float,
    y: float,
    w: float,
    h: float,
    label: str = "A",
    tags: tuple = (),
    fill: str = CELL_FILL,
    edge: str = CELL_EDGE,
    lw: float = 3.0,
    size: float = 40,
) -> list:
    """A whole repeating module drawn as a box ``w × h`` centred at ``x, y`` with its name inside."""
    return [
        Box(x - w / 2, y - h / 2, w, h, fill=fill, edge=edge, lw=lw, r=18, z=2, tags=tags),
        Text(x, y, label, size=size, weight="bold", color="#2c3e50", z=2.5, tags=tags),
    ]


def step_glyph(x: float, y: float, w: float, h: float, tags: tuple = ()) -> list:
    """A little plot of the threshold step (0 left of the threshold, 1 right of it) inside ``w × h`` at x, y."""
    x0, x1, xm = x - w / 2, x + w / 2, x
    y0, y1 = y + h / 2, y - h / 2
    return [
        Line(((x0, y0), (x1, y0)), color="#8a96a3", lw=1.5, z=3.6, tags=tags),
        Line(((xm, y0 + 4), (xm, y1 - 4)), color="#8a96a3", lw=1.5, z=3.6, tags=tags),
        Line(((x0, y0), (xm, y0), (xm, y1), (x1, y1)), color=PALETTE["blue"], lw=4.0, z=3.7, tags=tags),
    ]
