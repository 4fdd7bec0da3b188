"""Widgets of notebook 5: the gate explorer (a 1-unit LSTM cell with sliders) and, re-exported from
``lib.widgets.lstm_sentences``, the trained-model explorer (the gates over a sentence).

The logic lives in plain functions tested in pytest (``explore``, ``preset``, ``values_table_html``,
``explorer_html``); ``gate_explorer_widget`` only wires ipywidgets controls to them and updates the output in
place (an ``HTML`` widget holding an SVG: no figure is re-created on a slider move).
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from lib import diagrams, fmt
from lib.checks import as_array, check_choice
from lib.lstm import LSTMParams, lstm_step
from lib.widgets import panel, row
from lib.widgets.lstm_sentences import (  # re-exported: the lesson and its tests import one module
    MAX_WORDS,
    PANELS,
    SentenceGates,
    draw_sentence_gates,
    sentence_explorer_widget,
    sentence_gates,
    strip_figsize,
)
from lib.widgets.render import show_scene, svg_view

__all__ = [
    "GATES",
    "WEIGHT_NAMES",
    "STATE_NAMES",
    "DEFAULTS",
    "PRESETS",
    "explore",
    "preset",
    "values_table_html",
    "explorer_html",
    "gate_explorer_widget",
    "SentenceGates",
    "sentence_gates",
    "draw_sentence_gates",
    "strip_figsize",
    "sentence_explorer_widget",
    "MAX_WORDS",
    "PANELS",
]

GATES = ("f", "i", "C", "o")
# For a 1-unit cell W_* = [u_*, w_*] acts on [h_{t-1}, x_t]: u_* is the weight of h_{t-1}, w_* that of x_t.
WEIGHT_NAMES = tuple(f"{k}_{g}" for g in GATES for k in ("u", "w", "b"))
STATE_NAMES = ("x_t", "h_prev", "C_prev")
_GATE_TITLES = {"f": "фильтр забывания f", "i": "входной фильтр i", "C": "кандидат C̃", "o": "выходной фильтр o"}

# Defaults: every gate away from saturation, so every slider visibly moves the picture.
DEFAULTS = {
    "x_t": 1.0,
    "h_prev": 0.5,
    "C_prev": 0.8,
    "u_f": 0.5,
    "w_f": 0.5,
    "b_f": 0.5,
    "u_i": -0.5,
    "w_i": 0.5,
    "b_i": -0.5,
    "u_C": 0.5,
    "w_C": 0.5,
    "b_C": 0.0,
    "u_o": 0.5,
    "w_o": -0.5,
    "b_o": 0.3,
}

# The textbook situations (bias ±6 puts a gate at σ(±6) ≈ 0.998 / 0.002).
PRESETS = {
    "забыть всё": {"u_f": 0.0, "w_f": 0.0, "b_f": -6.0, "u_i": 0.0, "w_i": 0.0, "b_i": -6.0},
    "помнить всё": {"u_f": 0.0, "w_f": 0.0, "b_f": 6.0, "u_i": 0.0, "w_i": 0.0, "b_i": -6.0},
    "записать новое": {
        "u_f": 0.0,
        "w_f": 0.0,
        "b_f": -6.0,
        "u_i": 0.0,
        "w_i": 0.0,
        "b_i": 6.0,
        "u_C": 0.0,
        "w_C": -2.0,
        "b_C": 0.0,
    },
    "скрыть": {
        "u_f": 0.0,
        "w_f": 0.0,
        "b_f": 6.0,
        "u_i": 0.0,
        "w_i": 0.0,
        "b_i": -6.0,
        "u_o": 0.0,
        "w_o": 0.0,
        "b_o": -6.0,
    },
}
_PRESET_HINTS = {
    "забыть всё": "f_t ≈ 0 и i_t ≈ 0: старое состояние стёрто, новое не записано, C_t ≈ 0.",
    "помнить всё": "f_t ≈ 1 и i_t ≈ 0: конвейер везёт C_{t−1} дальше без изменений, C_t ≈ C_{t−1}.",
    "записать новое": "f_t ≈ 0 и i_t ≈ 1: старое стёрто, на его место записан кандидат, C_t ≈ C̃_t.",
    "скрыть": "o_t ≈ 0: ячейка помнит (C_t ≈ C_{t−1}), но наружу ничего не выходит, h_t ≈ 0.",
}


def preset(name: str) -> dict:
    """All 15 slider values of a preset: ``DEFAULTS`` overridden by ``PRESETS[name]``."""
    check_choice("name", name, tuple(PRESETS))
    return {**DEFAULTS, **PRESETS[name]}


def _params(v: dict) -> LSTMParams:
    def w(g):
        return np.array([[v[f"u_{g}"], v[f"w_{g}"]]])

    def b(g):
        return np.array([v[f"b_{g}"]])

    return LSTMParams(W_f=w("f"), b_f=b("f"), W_i=w("i"), b_i=b("i"), W_C=w("C"), b_C=b("C"), W_o=w("o"), b_o=b("o"))


def explore(**values) -> dict:
    """One step of a 1-unit LSTM (D = H = 1) from the 15 slider values (names in ``STATE_NAMES`` and
    ``WEIGHT_NAMES``; missing ones come from ``DEFAULTS``).

    Returns floats: the inputs ``x_t, h_prev, C_prev``, the pre-activations ``z_f, z_i, z_C, z_o``
    (``z = u·h_{t−1} + w·x_t + b``) and the step's ``f_t, i_t, C_tilde, C_t, o_t, h_t`` (computed by
    ``lib.lstm.lstm_step``).
    """
    unknown = [k for k in values if k not in DEFAULTS]
    if unknown:
        raise ValueError(f"{unknown[0]}: неизвестный параметр; допустимые: {', '.join(DEFAULTS)}")
    v = {k: float(as_array(k, values.get(k, d), ndim=0)) for k, d in DEFAULTS.items()}
    s = lstm_step(_params(v), np.array([v["x_t"]]), np.array([v["h_prev"]]), np.array([v["C_prev"]]))
    out = {k: v[k] for k in STATE_NAMES}
    out.update({f"z_{g}": v[f"u_{g}"] * v["h_prev"] + v[f"w_{g}"] * v["x_t"] + v[f"b_{g}"] for g in GATES})
    out.update(
        f_t=float(s.f[0]),
        i_t=float(s.i[0]),
        C_tilde=float(s.C_tilde[0]),
        C_t=float(s.C[0]),
        o_t=float(s.o[0]),
        h_t=float(s.h[0]),
    )
    return out


def _n(x: float) -> str:
    """A number for a product in the table: negatives in parentheses, ``0,835·(−0,300)``."""
    return f"({fmt.num(x, 3)})" if x < 0 else fmt.num(x, 3)


def _signed(x: float) -> str:
    return ("+" if x >= 0 else "") + fmt.num(x, 3)


def values_table_html(r: dict) -> str:
    """A compact two-column HTML table of a step: each layer as «f = σ(z)» with its ``z``, then ``C_t``, ``h_t``."""
    rows = [
        (f"f<sub>t</sub> = σ({_signed(r['z_f'])})", fmt.num(r["f_t"], 3)),
        (f"i<sub>t</sub> = σ({_signed(r['z_i'])})", fmt.num(r["i_t"], 3)),
        (f"C̃<sub>t</sub> = tanh({_signed(r['z_C'])})", fmt.num(r["C_tilde"], 3)),
        (f"o<sub>t</sub> = σ({_signed(r['z_o'])})", fmt.num(r["o_t"], 3)),
        (f"C<sub>t</sub> = {_n(r['f_t'])}·{_n(r['C_prev'])} + {_n(r['i_t'])}·{_n(r['C_tilde'])}", _signed(r["C_t"])),
        (f"h<sub>t</sub> = {_n(r['o_t'])}·tanh({_n(r['C_t'])})", _signed(r["h_t"])),
    ]
    td = "<td style='padding:0.05em 0.3em;white-space:nowrap'>"
    body = "".join(f"<tr>{td}{name}</td>{td}<b>{val}</b></td></tr>" for name, val in rows)
    return f"<table style='font-size:0.85em;line-height:1.25;border-collapse:collapse'>{body}</table>"


def explorer_scene(r: dict):
    """The LSTM diagram (``lib.diagrams``) coloured by the step's values, without the colour legend (the
    numbers are on the lines and in the table beside it): the cell itself gets the whole width."""
    vals = {k: r[k] for k in ("x_t", "h_prev", "C_prev", "f_t", "i_t", "C_tilde", "C_t", "o_t", "h_t")}
    return diagrams.lstm_cell_scene(values=vals, panel=False)


def explorer_html(r: dict, width: float = 310) -> str:
    """The diagram of ``explorer_scene`` as SVG, ``width`` px at the prose's size."""
    return diagrams.render_svg(explorer_scene(r), width=width)


def _slider(value: float, lo: float, hi: float, description: str) -> W.FloatSlider:
    return W.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=0.1,
        description=description,
        continuous_update=True,
        readout_format=".1f",
        layout=W.Layout(width="98%"),
        style={"description_width": "6.5em"},
    )


def gate_explorer_widget(width: float = 310) -> W.Widget:
    """The diagram (left) beside compact controls (right): preset buttons, the sliders for ``x_t, h_{t−1},
    C_{t−1}`` and each layer's ``u, w, b`` on tabs, and the table of the step's values; everything is redrawn
    in place on every move. Sizes are relative (%, em), so the whole explorer fits a projector screen."""
    sliders = {
        "x_t": _slider(DEFAULTS["x_t"], -2, 2, "вход xₜ"),
        "h_prev": _slider(DEFAULTS["h_prev"], -1, 1, "выход hₜ₋₁"),
        "C_prev": _slider(DEFAULTS["C_prev"], -2, 2, "ячейка Cₜ₋₁"),
    }
    for g in GATES:
        sym = "C̃" if g == "C" else g
        sliders[f"u_{g}"] = _slider(DEFAULTS[f"u_{g}"], -6, 6, f"{sym}: вес h")
        sliders[f"w_{g}"] = _slider(DEFAULTS[f"w_{g}"], -6, 6, f"{sym}: вес x")
        sliders[f"b_{g}"] = _slider(DEFAULTS[f"b_{g}"], -6, 6, f"{sym}: смещ. b")
    out = svg_view(width_px=width, width="100%")
    table = W.HTML(layout=W.Layout(width="100%"))
    hint = W.HTML("<i>Подвигайте ползунки или выберите готовую ситуацию.</i>")

    def update(_=None):
        r = explore(**{k: s.value for k, s in sliders.items()})
        show_scene(out, explorer_scene(r))
        table.value = values_table_html(r)

    busy = {"on": False}

    def on_change(_):
        if not busy["on"]:
            update()

    def set_all(values: dict):
        busy["on"] = True
        try:
            for k, val in values.items():
                sliders[k].value = val
        finally:
            busy["on"] = False
        update()

    def apply(name):
        set_all(preset(name))
        hint.value = f"<b>{name}</b>: {_PRESET_HINTS[name]}"

    def on_reset(_):
        set_all(DEFAULTS)
        hint.value = "<i>Исходные значения.</i>"

    buttons = []
    for name in PRESETS:
        b = W.Button(description=name, tooltip=_PRESET_HINTS[name], layout=W.Layout(width="auto"))
        b.on_click(lambda _, n=name: apply(n))
        buttons.append(b)
    reset = W.Button(description="сбросить", layout=W.Layout(width="auto"))
    reset.on_click(on_reset)
    for sl in sliders.values():
        sl.observe(on_change, names="value")
    tabs = W.Tab(
        children=[W.VBox([sliders[k] for k in STATE_NAMES])]
        + [W.VBox([sliders[f"{k}_{g}"] for k in "uwb"]) for g in GATES],
        layout=W.Layout(width="100%"),
    )
    for k, title in enumerate(["вход", "f", "i", "C̃", "o"]):
        tabs.set_title(k, title)
    update()
    left = W.VBox([out, hint], layout=W.Layout(width="60%"))
    right = W.VBox([tabs, table], layout=W.Layout(width="39%"))
    box = panel(
        [
            row(buttons + [reset], width="100%"),
            W.HBox([left, right], layout=W.Layout(width="100%", align_items="flex-start")),
        ],
        width="100%",
    )
    box.columns = (left, right)
    box.sliders = sliders
    box.apply_preset = apply
    box.diagram, box.table, box.hint = out, table, hint
    return box
