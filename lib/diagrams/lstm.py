"""The LSTM cell in Olah's layout: lstm.png, lstm1.png … lstm4.png and the gate explorer of notebook 5.

Yellow rectangles are learned layers (σ, tanh), pink circles are pointwise operations (×, +, tanh), lines
carry vectors, merging lines concatenate, forking lines copy (Olah, "Understanding LSTM Networks", 2015).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from lib.checks import check_choice
from lib.diagrams.lstm_panel import lstm_panel
from lib.diagrams.parts import BH as _BH
from lib.diagrams.parts import BW as _BW
from lib.diagrams.parts import OR as _OR
from lib.diagrams.parts import layer_box, num, op_circle, read_values
from lib.diagrams.scene import (
    CELL_EDGE,
    CELL_FILL,
    INK,
    LAYER_FILL,
    OP_FILL,
    STATE_COLOR,
    Box,
    Line,
    Scene,
    Text,
    apply_focus,
    arrow,
    cmap_color,
    rounded,
)
from lib.plots import GATE_CMAP, STATE_CMAP

__all__ = ["lstm_cell_scene", "LSTM_VALUE_KEYS", "LSTM_HIGHLIGHTS"]

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

# Geometry of the cell (units; y grows downwards).
_YC, _YB, _YL = 150.0, 480.0, 360.0  # cell-state line, bottom line (h), centre row of the layers
_XM = 180.0  # where x_t joins h_{t-1}
_XF, _XI, _XG, _XO = 270.0, 420.0, 560.0, 720.0  # σ_f, σ_i, tanh (candidate), σ_o
_XT = 870.0  # output branch: tanh(C_t) and the last ×
_XH = 965.0  # h_t copied upwards
_YMI = 262.0  # the × of i_t and C̃_t
_CELL_W, _PANEL_W, _LSTM_H = 1100.0, 500.0, 660.0


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
    vals = None if values is None else read_values(values, LSTM_VALUE_KEYS, _LSTM_RANGES)
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
        segs = [
            (c_prev, 20.0, _XF, ("Cprev", "update")),
            (c_mid, _XF, _XG, ("Cmid", "update")),
            (c_new, _XG, 1090.0, ("Cnew", "update")),
        ]
        for c, x0, x1, tags in segs:
            width = 4.0 + 5.0 * min(abs(c), 2.0)
            color = cmap_color(c, STATE_CMAP, -1.0, 1.0)
            if tags[0] == "Cnew":  # the last segment ends in the arrow head of C_t
                s.add(arrow([(x0, _YC), (x1, _YC)], color=INK, lw=width + 3, z=1.9, tags=tags, head_size=22))
                s.add(Line(((x0, _YC), (x1 - 22, _YC)), color=color, lw=width, z=2.0, tags=tags))
            else:
                s.add(
                    Line(((x0, _YC), (x1, _YC)), color=INK, lw=width + 3, z=1.9, tags=tags),
                    Line(((x0, _YC), (x1, _YC)), color=color, lw=width, z=2.0, tags=tags),
                )
    else:
        s.add(
            arrow([(20, _YC), (_XF, _YC)], STATE_COLOR, lw=6, z=2, head=False, tags=("Cprev", "update")),
            arrow([(_XF, _YC), (_XG, _YC)], STATE_COLOR, lw=6, z=2, head=False, tags=("Cmid", "update")),
            arrow([(_XG, _YC), (1090, _YC)], STATE_COLOR, lw=6, z=2, head_size=24, tags=("Cnew", "update")),
        )

    # where h_t goes up under the cell state, a gap in h_t shows that the lines cross without touching
    gap = (4.0 + 5.0 * min(abs(vals["C_t"][0]), 2.0) + 3 if vals else 6.0) / 2 + 9
    s.add(Line(((_XH, _YC - gap), (_XH, _YC + gap)), color=CELL_FILL, lw=10, z=1.5))

    # --- inputs: h_{t-1} from the left, x_t from below, merged (concatenated) along the bottom ---
    s.add(
        Line(((20, _YB), (_XF, _YB)), lw=lw, z=1, tags=("x",)),
        Line(rounded([(_XM, 640), (_XM, _YB), (_XM + 30, _YB)], 26), lw=lw, z=1, tags=("x",)),
        Line(((_XF, _YB), (_XI, _YB)), lw=lw, z=1, tags=("in_i", "in_o")),
        Line(((_XI, _YB), (_XG, _YB)), lw=lw, z=1, tags=("in_i", "in_o")),
    )
    s.add(arrow([(_XG, _YB), (_XO, _YB), (_XO, bottom)], lw=lw, corner=26, tags=("in_o",)))
    s.add(
        arrow([(_XF, _YB), (_XF, bottom)], lw=lw, tags=("in_f",)),
        arrow([(_XI, _YB), (_XI, bottom)], lw=lw, tags=("in_i",)),
        arrow([(_XG, _YB), (_XG, bottom)], lw=lw, tags=("in_i",)),
    )

    # --- the four learned layers ---
    def fill_of(key, cmap, lo):
        return cmap_color(vals[key][0], cmap, lo, 1.0) if vals else LAYER_FILL

    s.add(
        layer_box(_XF, _YL, "σ", ("forget",), fill_of("f_t", GATE_CMAP, 0.0)),
        layer_box(_XI, _YL, "σ", ("input",), fill_of("i_t", GATE_CMAP, 0.0)),
        layer_box(_XG, _YL, "tanh", ("input",), fill_of("C_tilde", STATE_CMAP, -1.0), size=24),
        layer_box(_XO, _YL, "σ", ("output",), fill_of("o_t", GATE_CMAP, 0.0)),
    )

    # --- forget: f_t up to × on the cell state ---
    s.add(arrow([(_XF, top), (_XF, _YC + _OR)], lw=lw, tags=("forget", "update")))
    s.add(op_circle(_XF, _YC, "×", ("forget", "update")))
    # --- input: i_t and C̃_t meet at ×, the product goes up to + ---
    s.add(
        arrow([(_XI, top), (_XI, _YMI), (_XG - _OR, _YMI)], lw=lw, corner=24, tags=("input",)),
        arrow([(_XG, top), (_XG, _YMI + _OR)], lw=lw, tags=("input",)),
        op_circle(_XG, _YMI, "×", ("input",)),
        arrow([(_XG, _YMI - _OR), (_XG, _YC + _OR)], lw=lw, tags=("update",)),
        op_circle(_XG, _YC, "+", ("update",), size=30),
    )
    # --- output: tanh(C_t) times o_t gives h_t, which leaves to the right and upwards ---
    r_tanh = 33.0
    y_tanh = 252.0
    s.add(
        arrow([(_XT, _YC), (_XT, y_tanh - r_tanh)], lw=lw, tags=("output",)),
        op_circle(
            _XT,
            y_tanh,
            "tanh",
            ("output",),
            r=r_tanh,
            size=19,
            fill=cmap_color(math.tanh(vals["C_t"][0]), STATE_CMAP, -1, 1) if vals else OP_FILL,
        ),
        arrow([(_XT, y_tanh + r_tanh), (_XT, _YL - _OR)], lw=lw, tags=("output",)),
        arrow([(_XO + _BW / 2, _YL), (_XT - _OR, _YL)], lw=lw, tags=("output",)),
        op_circle(_XT, _YL, "×", ("output",)),
        arrow([(_XT, _YL + _OR), (_XT, _YB), (1090, _YB)], lw=lw, corner=26, tags=("output",)),
        arrow([(_XH, _YB), (_XH, 18)], lw=lw, z=1, tags=("output",)),
    )

    # --- labels (with live values when given) ---
    def lab(key, sym):
        return f"{sym} = {vals[key][1]}" if vals else sym

    size = 22
    s.add(
        Text(28, _YC - 26, lab("C_prev", r"$C_{t-1}$"), size=size, ha="left", tags=("Cprev", "update"), halo=4),
        Text(1092, _YC - 26, lab("C_t", r"$C_t$"), size=size, ha="right", tags=("Cnew", "update", "output"), halo=4),
        Text(28, _YB - 24, lab("h_prev", r"$h_{t-1}$"), size=size, ha="left", tags=("x",), halo=4),
        Text(_XM - 14, 618, lab("x_t", r"$x_t$"), size=size, ha="right", tags=("x",), halo=4),
        Text(1092, _YB - 24, lab("h_t", r"$h_t$"), size=size, ha="right", tags=("output",), halo=4),
        Text(_XH + 14, 26, lab("h_t", r"$h_t$"), size=size, ha="left", tags=("output",), halo=4),
        Text(_XF + 12, 262, lab("f_t", r"$f_t$"), size=size - 1, ha="left", tags=("forget", "update"), halo=4),
        Text(_XI + 12, 302, lab("i_t", r"$i_t$"), size=size - 1, ha="left", tags=("input",), halo=4),
        Text(_XG + 12, 305, lab("C_tilde", r"$\tilde{C}_t$"), size=size - 1, ha="left", tags=("input",), halo=4),
        Text(
            (_XO + _BW / 2 + _XT - _OR) / 2 + 4,
            _YL - (40 if vals else 24),
            lab("o_t", r"$o_t$"),
            size=size - 2,
            tags=("output",),
            halo=4,
        ),
    )
    if vals:
        prod_f = vals["f_t"][0] * vals["C_prev"][0]
        prod_i = vals["i_t"][0] * vals["C_tilde"][0]
        s.add(
            Text((_XF + _XG) / 2, _YC - 26, r"$f_t \ast C_{t-1}$ = " + num(prod_f), size=19, tags=("update",), halo=4),
            Text(
                _XG + 14, 206, r"$i_t \ast \tilde{C}_t$ = " + num(prod_i), size=19, ha="left", tags=("update",), halo=4
            ),
        )
    else:
        s.add(Text(_XG + 14, 206, r"$i_t \ast \tilde{C}_t$", size=19, ha="left", tags=("update",), halo=4))
        s.add(Text(725, 116, "состояние ячейки", size=20, color=STATE_COLOR, weight="bold", tags=("Cnew",)))
    names = [
        (_XF, "фильтр\nзабывания", "forget"),
        (_XI, "входной\nфильтр", "input"),
        (_XG, "кандидат", "input"),
        (_XO, "выходной\nфильтр", "output"),
    ]
    for x, name, tag in names:
        s.add(Text(x, 524, name, size=17, color="#3b4a5a", tags=(tag,)))

    if panel:
        s.add(lstm_panel(vals, highlight, _CELL_W + 20))
    if highlight is not None:
        apply_focus(s.items, _LSTM_FOCUS[highlight])
    return s
