"""Widgets of notebook 5: the gate explorer (a 1-unit LSTM cell with sliders) and the trained-model explorer.

The logic lives in plain functions tested in pytest (``explore``, ``preset``, ``values_table_html``,
``explorer_html``, ``sentence_gates``); the ``*_widget`` builders only wire ipywidgets controls to them and
update the output in place (an ``HTML`` widget holding an SVG: no figure is re-created on a slider move).
"""
from __future__ import annotations

import time
from typing import NamedTuple

import ipywidgets as W
import numpy as np

from lib import diagrams, gender
from lib.checks import as_array, check_choice
from lib.lstm import LSTMParams, lstm_step

__all__ = ["GATES", "WEIGHT_NAMES", "STATE_NAMES", "DEFAULTS", "PRESETS", "explore", "preset",
           "values_table_html", "explorer_html", "gate_explorer_widget", "SentenceGates", "sentence_gates",
           "draw_sentence_gates", "figure_html", "sentence_explorer_widget"]

GATES = ("f", "i", "C", "o")
# For a 1-unit cell W_* = [u_*, w_*] acts on [h_{t-1}, x_t]: u_* is the weight of h_{t-1}, w_* that of x_t.
WEIGHT_NAMES = tuple(f"{k}_{g}" for g in GATES for k in ("u", "w", "b"))
STATE_NAMES = ("x_t", "h_prev", "C_prev")
_GATE_TITLES = {"f": "фильтр забывания f", "i": "входной фильтр i", "C": "кандидат C̃", "o": "выходной фильтр o"}

# Defaults: every gate away from saturation, so every slider visibly moves the picture.
DEFAULTS = {"x_t": 1.0, "h_prev": 0.5, "C_prev": 0.8,
            "u_f": 0.5, "w_f": 0.5, "b_f": 0.5,
            "u_i": -0.5, "w_i": 0.5, "b_i": -0.5,
            "u_C": 0.5, "w_C": 0.5, "b_C": 0.0,
            "u_o": 0.5, "w_o": -0.5, "b_o": 0.3}

# The textbook situations (bias ±6 puts a gate at σ(±6) ≈ 0.998 / 0.002).
PRESETS = {
    "забыть всё": {"u_f": 0.0, "w_f": 0.0, "b_f": -6.0, "u_i": 0.0, "w_i": 0.0, "b_i": -6.0},
    "помнить всё": {"u_f": 0.0, "w_f": 0.0, "b_f": 6.0, "u_i": 0.0, "w_i": 0.0, "b_i": -6.0},
    "записать новое": {"u_f": 0.0, "w_f": 0.0, "b_f": -6.0, "u_i": 0.0, "w_i": 0.0, "b_i": 6.0,
                       "u_C": 0.0, "w_C": -2.0, "b_C": 0.0},
    "скрыть состояние": {"u_f": 0.0, "w_f": 0.0, "b_f": 6.0, "u_i": 0.0, "w_i": 0.0, "b_i": -6.0,
                         "u_o": 0.0, "w_o": 0.0, "b_o": -6.0},
}
_PRESET_HINTS = {
    "забыть всё": "f_t ≈ 0 и i_t ≈ 0: старое состояние стёрто, новое не записано, C_t ≈ 0.",
    "помнить всё": "f_t ≈ 1 и i_t ≈ 0: конвейер везёт C_{t−1} дальше без изменений, C_t ≈ C_{t−1}.",
    "записать новое": "f_t ≈ 0 и i_t ≈ 1: старое стёрто, на его место записан кандидат, C_t ≈ C̃_t.",
    "скрыть состояние": "o_t ≈ 0: ячейка помнит (C_t ≈ C_{t−1}), но наружу ничего не выходит, h_t ≈ 0.",
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

    return LSTMParams(W_f=w("f"), b_f=b("f"), W_i=w("i"), b_i=b("i"), W_C=w("C"), b_C=b("C"),
                      W_o=w("o"), b_o=b("o"))


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
    out.update(f_t=float(s.f[0]), i_t=float(s.i[0]), C_tilde=float(s.C_tilde[0]), C_t=float(s.C[0]),
               o_t=float(s.o[0]), h_t=float(s.h[0]))
    return out


def _n(x: float) -> str:
    """A number for a product in the table: negatives in parentheses, ``0.835·(−0.300)``."""
    return f"({x:.3f})".replace("-", "−") if x < 0 else f"{x:.3f}"


def values_table_html(r: dict) -> str:
    """A small HTML table of a step: for each layer its pre-activation ``z`` and value, then ``C_t``, ``h_t``."""
    rows = [("f<sub>t</sub> = σ(z<sub>f</sub>)", r["z_f"], r["f_t"]),
            ("i<sub>t</sub> = σ(z<sub>i</sub>)", r["z_i"], r["i_t"]),
            ("C̃<sub>t</sub> = tanh(z<sub>C</sub>)", r["z_C"], r["C_tilde"]),
            ("o<sub>t</sub> = σ(z<sub>o</sub>)", r["z_o"], r["o_t"])]
    body = "".join(f"<tr><td style='padding:2px 10px'>{name}</td><td style='padding:2px 10px'>z = {z:+.3f}</td>"
                   f"<td style='padding:2px 10px'><b>{val:.3f}</b></td></tr>" for name, z, val in rows)
    body += (f"<tr><td style='padding:2px 10px'>C<sub>t</sub> = f·C<sub>t−1</sub> + i·C̃</td>"
             f"<td style='padding:2px 10px'>{_n(r['f_t'])}·{_n(r['C_prev'])} + {_n(r['i_t'])}·{_n(r['C_tilde'])}"
             f"</td><td style='padding:2px 10px'><b>{r['C_t']:+.3f}</b></td></tr>"
             f"<tr><td style='padding:2px 10px'>h<sub>t</sub> = o·tanh(C<sub>t</sub>)</td>"
             f"<td style='padding:2px 10px'>{_n(r['o_t'])}·{_n(float(np.tanh(r['C_t'])))}</td>"
             f"<td style='padding:2px 10px'><b>{r['h_t']:+.3f}</b></td></tr>")
    return f"<table style='font-size:15px;border-collapse:collapse'>{body}</table>"


def explorer_html(r: dict, width: float = 860) -> str:
    """The LSTM diagram coloured by the step's values (``lib.diagrams``) followed by the values table."""
    vals = {"x_t": r["x_t"], "h_prev": r["h_prev"], "C_prev": r["C_prev"], "f_t": r["f_t"], "i_t": r["i_t"],
            "C_tilde": r["C_tilde"], "C_t": r["C_t"], "o_t": r["o_t"], "h_t": r["h_t"]}
    svg = diagrams.render_svg(diagrams.lstm_cell_scene(values=vals), width=width)
    return svg + values_table_html(r)


def _slider(name: str, value: float, lo: float, hi: float, description: str) -> W.FloatSlider:
    return W.FloatSlider(value=value, min=lo, max=hi, step=0.1, description=description, continuous_update=True,
                         readout_format=".1f", layout=W.Layout(width="290px"),
                         style={"description_width": "95px"})


def gate_explorer_widget(width: float = 860) -> W.Widget:
    """Sliders for ``x_t, h_{t−1}, C_{t−1}`` and each layer's ``u, w, b``; presets as buttons; the diagram
    and the table of values redrawn in place on every move. ``widget.timings`` keeps the last update times
    (seconds, Python side: compute + SVG)."""
    sliders = {"x_t": _slider("x_t", DEFAULTS["x_t"], -2, 2, "вход xₜ"),
               "h_prev": _slider("h_prev", DEFAULTS["h_prev"], -1, 1, "выход hₜ₋₁"),
               "C_prev": _slider("C_prev", DEFAULTS["C_prev"], -2, 2, "ячейка Cₜ₋₁")}
    for g in GATES:
        sym = "C̃" if g == "C" else g
        sliders[f"u_{g}"] = _slider(f"u_{g}", DEFAULTS[f"u_{g}"], -6, 6, f"{sym}: вес h")
        sliders[f"w_{g}"] = _slider(f"w_{g}", DEFAULTS[f"w_{g}"], -6, 6, f"{sym}: вес x")
        sliders[f"b_{g}"] = _slider(f"b_{g}", DEFAULTS[f"b_{g}"], -6, 6, f"{sym}: сдвиг b")
    out = W.HTML()
    hint = W.HTML("<i>Подвигайте ползунки или выберите готовую ситуацию.</i>")
    timings: list[float] = []

    def update(_=None):
        t0 = time.perf_counter()
        out.value = explorer_html(explore(**{k: s.value for k, s in sliders.items()}), width=width)
        timings.append(time.perf_counter() - t0)
        del timings[:-50]

    busy = {"on": False}

    def on_change(_):
        if not busy["on"]:
            update()

    def apply(name):
        busy["on"] = True
        try:
            for k, val in preset(name).items():
                sliders[k].value = val
        finally:
            busy["on"] = False
        update()
        hint.value = f"<b>{name}</b>: {_PRESET_HINTS[name]}"

    buttons = []
    for name in PRESETS:
        b = W.Button(description=name, layout=W.Layout(width="170px"))
        b.on_click(lambda _, n=name: apply(n))
        buttons.append(b)
    reset = W.Button(description="сбросить", layout=W.Layout(width="120px"))

    def on_reset(_):
        busy["on"] = True
        try:
            for k, val in DEFAULTS.items():
                sliders[k].value = val
        finally:
            busy["on"] = False
        update()
        hint.value = "<i>Исходные значения.</i>"

    reset.on_click(on_reset)
    for s in sliders.values():
        s.observe(on_change, names="value")
    columns = [W.VBox([W.HTML("<b>состояние и вход</b>")] + [sliders[k] for k in STATE_NAMES])]
    columns += [W.VBox([W.HTML(f"<b>{_GATE_TITLES[g]}</b>")] + [sliders[f"{k}_{g}"] for k in "uwb"])
                for g in GATES]
    update()
    box = W.VBox([W.HBox(buttons + [reset]), hint, out, W.HBox(columns[:3]), W.HBox(columns[3:])])
    box.timings = timings
    box.sliders = sliders
    box.apply_preset = apply
    return box


# ----------------------------------------------------------------------------------------- trained model

class SentenceGates(NamedTuple):
    """What a trained LSTM does over one sentence: ``words`` (T,), for the chosen ``units`` (k,) the arrays
    ``f, i, o, C`` of shape ``(k, T)``, the class probabilities ``probs: (4,)`` at the verb, the predicted class
    and verb form, and the class of the subject (``-1`` if the sentence has no noun)."""

    words: tuple[str, ...]
    units: tuple[int, ...]
    f: np.ndarray
    i: np.ndarray
    o: np.ndarray
    C: np.ndarray
    probs: np.ndarray
    predicted: int
    verb: str
    label: int


def sentence_gates(gm: gender.GenderModel, text: str, units) -> SentenceGates:
    """Run the trained LSTM ``gm`` over ``text`` (words of ``gender.VOCAB``; raises ``ValueError`` in
    Russian otherwise) and keep the gates and cell of ``units``."""
    if gm.model != "lstm":
        raise ValueError(f"gm: нужна обученная LSTM (model='lstm'), получена {gm.model!r}")
    s = gender.parse_sentence(text)
    trace, probs = gender.sentence_trace(gm, s)
    units = tuple(int(u) for u in units)
    pred = int(np.argmax(probs))
    pick = list(units)
    return SentenceGates(words=s.words[:-1] + (gender.verb_form(s.words[-1], pred),), units=units,
                         f=trace.f[:, pick].T, i=trace.i[:, pick].T, o=trace.o[:, pick].T,
                         C=np.tanh(trace.C[:, pick].T), probs=probs, predicted=pred,
                         verb=gender.verb_form(s.words[-1], pred), label=s.label)


def draw_sentence_gates(sg: SentenceGates, fig=None):
    """Four heat strips (f_t, i_t, o_t over [0, 1]; tanh C_t over [−1, 1]), units × words, and a title with
    the predicted form and its probability. Returns the figure."""
    import matplotlib.pyplot as plt

    from lib.plots import GATE_CMAP, STATE_CMAP, heat_strip

    k, T = sg.f.shape
    if fig is None:
        fig = plt.figure(figsize=(max(8.0, 1.0 * T + 2.5), 1.0 + 4 * (0.45 * k + 0.9)))
    axes = fig.subplots(4, 1, sharex=True)
    rows = [f"ед. {u}" for u in sg.units]
    panels = [("f_t: фильтр забывания", sg.f, 0, 1, GATE_CMAP), ("i_t: входной фильтр", sg.i, 0, 1, GATE_CMAP),
              ("tanh(C_t): состояние ячейки", sg.C, -1, 1, STATE_CMAP), ("o_t: выходной фильтр", sg.o, 0, 1, GATE_CMAP)]
    for ax, (title, vals, lo, hi, cmap) in zip(axes, panels):
        heat_strip(ax, vals, row_labels=rows, col_labels=list(sg.words) if ax is axes[-1] else None,
                   vmin=lo, vmax=hi, cmap=cmap, annotate=T <= 14, fmt="{:.1f}")
        ax.set_title(title, loc="left", fontsize=14)
    p = sg.probs[sg.predicted]
    ok = "" if sg.label < 0 else (" ✓" if sg.predicted == sg.label else " ✗ (ошибка)")
    fig.suptitle(f"предсказание: «{sg.verb}» ({gender.CLASS_NAMES[gender.CLASSES[sg.predicted]]}, "
                 f"p = {p:.2f}){ok}")
    return fig


def figure_html(fig) -> str:
    """A matplotlib figure as an ``<img>`` tag with an embedded PNG (closes the figure)."""
    import base64
    import io

    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" style="max-width:100%"/>'


def sentence_explorer_widget(gm: gender.GenderModel, units) -> W.Widget:
    """A dropdown of example sentences and a text box; the gates of ``units`` per word as heat strips.

    The picture is a PNG inside an ``HTML`` widget, replaced in place when the sentence changes; a sentence
    with a word outside the vocabulary leaves the picture and shows the Russian error message instead.
    """
    choose = W.Dropdown(options=list(gender.EXAMPLES), value=gender.EXAMPLES[-1], description="пример",
                        layout=W.Layout(width="860px"))
    text = W.Text(value=gender.EXAMPLES[-1], description="своё", continuous_update=False,
                  layout=W.Layout(width="860px"), placeholder="например: ваза тут , а стулья вчера упали")
    msg = W.HTML()
    out = W.HTML()

    def show(sentence):
        try:
            sg = sentence_gates(gm, sentence, units)
        except ValueError as exc:
            msg.value = f"<span style='color:#D55E00'>{exc}</span>"
            return
        msg.value = ""
        out.value = figure_html(draw_sentence_gates(sg))

    choose.observe(lambda ch: setattr(text, "value", ch["new"]), names="value")
    text.observe(lambda ch: show(ch["new"]), names="value")
    show(text.value)
    return W.VBox([choose, text, msg, out])
