"""Tests of lib.widgets.lstm: the gate explorer's logic, presets and layout, and the sentence explorer
(its speed is measured by bench/bench_lstm_speed.py, not here)."""

import numpy as np
import pytest

from lib import gender
from lib.numerics import sigmoid
from lib.widgets import lstm as wl


def test_explore_defaults_compute_the_equations():
    r = wl.explore()
    d = wl.DEFAULTS
    z_f = d["u_f"] * d["h_prev"] + d["w_f"] * d["x_t"] + d["b_f"]
    assert np.isclose(r["z_f"], z_f) and np.isclose(r["f_t"], sigmoid(z_f))
    assert np.isclose(r["C_t"], r["f_t"] * d["C_prev"] + r["i_t"] * r["C_tilde"])
    assert np.isclose(r["h_t"], r["o_t"] * np.tanh(r["C_t"]))
    assert all(isinstance(v, float) for v in r.values())


def test_defaults_are_not_saturated():
    """Every gate in the middle of its range: a slider step then visibly changes the picture."""
    r = wl.explore()
    for k in ("f_t", "i_t", "o_t"):
        assert 0.2 < r[k] < 0.9
    assert 0.2 < abs(r["C_tilde"]) < 0.9
    assert wl.DEFAULTS["x_t"] != 0 and wl.DEFAULTS["h_prev"] != 0 and wl.DEFAULTS["C_prev"] != 0


@pytest.mark.parametrize("name", list(wl.DEFAULTS))
def test_every_slider_changes_the_display(name):
    base = wl.explorer_html(wl.explore())
    moved = wl.explorer_html(wl.explore(**{name: wl.DEFAULTS[name] + 0.1}))
    assert moved != base


def test_presets_are_the_textbook_situations():
    forget = wl.explore(**wl.preset("забыть всё"))
    assert forget["f_t"] < 0.01 and forget["i_t"] < 0.01 and abs(forget["C_t"]) < 0.01
    keep = wl.explore(**wl.preset("помнить всё"))
    assert keep["f_t"] > 0.99 and keep["i_t"] < 0.01 and abs(keep["C_t"] - keep["C_prev"]) < 0.01
    for x in (-2.0, 0.0, 2.0):  # whatever comes in, the state stays
        assert abs(wl.explore(**{**wl.preset("помнить всё"), "x_t": x})["C_t"] - keep["C_prev"]) < 0.01
    write = wl.explore(**wl.preset("записать новое"))
    assert write["f_t"] < 0.01 and write["i_t"] > 0.99 and abs(write["C_t"] - write["C_tilde"]) < 0.01
    assert abs(write["C_t"] - write["C_prev"]) > 1.0
    hide = wl.explore(**wl.preset("скрыть"))
    assert hide["o_t"] < 0.01 and abs(hide["h_t"]) < 0.01 and abs(hide["C_t"] - hide["C_prev"]) < 0.01


def test_explore_validates():
    with pytest.raises(ValueError, match="неизвестный параметр"):
        wl.explore(w_z=1.0)
    with pytest.raises(ValueError, match="x_t"):
        wl.explore(x_t=float("nan"))
    with pytest.raises(ValueError, match="name"):
        wl.preset("всё сразу")


def test_explorer_draws_the_values_with_decimal_commas():
    r = wl.explore()
    assert wl.explorer_html(r).lstrip().startswith("<svg")
    table = wl.values_table_html(r)
    assert "<table" in table and wl.fmt.num(r["C_t"], 3) in table and "." not in table.split("<b>")[1][:6]


def test_gate_explorer_widget_updates_in_place():
    w = wl.gate_explorer_widget()
    for name, s in w.sliders.items():
        before = w.diagram.value + w.table.value
        s.value = round(s.value + s.step, 1)
        assert w.diagram.value + w.table.value != before, name
    w.apply_preset("забыть всё")
    assert w.sliders["b_f"].value == -6.0 and "забыть всё" in w.hint.value


def test_gate_explorer_layout_is_relative_diagram_beside_controls():
    """Diagram (left) and the tabs of sliders (right) side by side, sized in % so they scale on a projector."""
    import ipywidgets as W

    w = wl.gate_explorer_widget()
    _style, row, _ = w.children  # panel() keeps its stylesheet first
    left, right = w.columns
    assert left.layout.width.endswith("%") and right.layout.width.endswith("%")
    assert w.diagram in left.children and isinstance(right.children[0], W.Tab)
    buttons = [b for b in row.children if isinstance(b, W.Button)]
    assert {b.description for b in buttons} >= set(wl.PRESETS)
    assert all(b.layout.width == "auto" for b in buttons)  # never truncated
    assert all(s.layout.width.endswith("%") for s in w.sliders.values())


@pytest.fixture(scope="module")
def gm():
    return gender.train_gender("lstm", max_gap=6, hidden_size=4, lr=0.03, steps=60, seed=0)


def test_sentence_gates(gm):
    sg = wl.sentence_gates(gm, "шкаф там , а ваза вчера упала", units=range(4))
    assert sg.f.shape == (4, 7) and sg.C.shape == (4, 7)
    assert np.all((sg.f >= 0) & (sg.f <= 1)) and np.all(np.abs(sg.C) <= 1)
    assert sg.words[:-1] == ("шкаф", "там", ",", "а", "ваза", "вчера")
    assert sg.verb == gender.VERBS["упасть"][sg.predicted] == sg.words[-1]
    assert sg.label == 1 and np.isclose(sg.probs.sum(), 1)
    with pytest.raises(ValueError, match="«кот» не из словаря"):
        wl.sentence_gates(gm, "кот спал", units=[0])


@pytest.mark.slow
def test_draw_sentence_gates_and_widget(gm):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = wl.draw_sentence_gates(wl.sentence_gates(gm, "лампа стояла", units=[0, 1]))
    assert len(fig.axes) >= 4 and "предсказание" in fig._suptitle.get_text()
    plt.close(fig)
    fig = wl.draw_sentence_gates(wl.sentence_gates(gm, "лампа стояла", units=[0, 1]), panels=("C",))
    assert fig.axes[0].get_title(loc="left") == "tanh(C_t)" and "предсказание" in fig.axes[0].get_title(loc="right")
    plt.close(fig)
    with pytest.raises(ValueError, match="panels"):
        wl.draw_sentence_gates(wl.sentence_gates(gm, "лампа стояла", units=[0]), panels=("z",))
    w = wl.sentence_explorer_widget(gm, units=range(4))
    first = w.picture.value
    assert bytes(first).startswith(b"\x89PNG") and "Enter" in w.message.value
    w.text.value = "кот спал"  # an error clears the old picture, in Russian
    assert "не из словаря" in w.message.value and bytes(w.picture.value) == b""
    assert "text:" not in w.message.value and w.message.value.count("Не получилось") == 1
    w.choose.value = gender.EXAMPLES[0]
    assert w.text.value == gender.EXAMPLES[0] and "Готово" in w.message.value and bytes(w.picture.value) != bytes(first)
    w.text.value = "Лампа стояла."  # punctuation is fine
    assert "Готово" in w.message.value and w.picture.value
    w.text.value = " ".join(["лампа"] + ["тихо"] * wl.MAX_WORDS)  # too long: refused at once, with a reason
    assert "не больше" in w.message.value and bytes(w.picture.value) == b""
    w.text.value = gender.EXAMPLES[0]
    assert "Готово" in w.message.value and "Enter" in w.message.value  # shown again from the cache
    plt.close("all")
    rnn_model = gender.train_gender("rnn", max_gap=2, hidden_size=4, steps=2)
    with pytest.raises(ValueError, match="LSTM"):
        wl.sentence_gates(rnn_model, "лампа стояла", units=[0])
