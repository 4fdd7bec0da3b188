"""Tests of notebook 1's widgets: their plain functions for given slider values, and the wiring
(every slider and button changes what the cell shows, as the browser test expects)."""

from __future__ import annotations

import numpy as np
import pytest

from lib import perceptron as P
from lib.data import logic_table
from lib.widgets import perceptron as WP

# --- playground_state -------------------------------------------------------------------------------------


def test_playground_default_sliders_on_and():
    """The widget's start: w1 = w2 = 1, b = −0.5 computes OR, so on AND rows (0,1) and (1,0) are wrong."""
    st = WP.playground_state(1.0, 1.0, -0.5, "AND")
    assert st["n_inputs"] == 2 and st["errors"] == 2
    assert [r["ok"] for r in st["rows"]] == [True, False, False, True]
    assert [r["z"] for r in st["rows"]] == [-0.5, 0.5, 0.5, 1.5]
    assert st["rows"][1] == dict(x=(0, 1), z=0.5, y_hat=1, y=0, ok=False)
    assert st["segment"] == ((-0.5, 1.0), (1.0, -0.5))


@pytest.mark.parametrize(
    "fn, w1, w2, b",
    [("AND", 1, 1, -1.5), ("OR", 1, 1, -0.5), ("NAND", -1, -1, 1.5), ("NOR", -1, -1, 0.5), ("NOT", -1, 2.7, 0.5)],
)
def test_playground_weights_that_work(fn, w1, w2, b):
    st = WP.playground_state(w1, w2, b, fn)
    assert st["errors"] == 0 and all(r["ok"] for r in st["rows"])
    assert "Ошибок нет" in WP.table_html(st)


def test_playground_not_ignores_w2():
    a = WP.playground_state(-1.0, -3.0, 0.5, "NOT")
    b = WP.playground_state(-1.0, 3.0, 0.5, "NOT")
    assert a["n_inputs"] == 1 and len(a["rows"]) == 2 and a["w"].shape == (1,)
    assert a["rows"] == b["rows"] and a["segment"] == b["segment"] == ((0.5, -0.5), (0.5, 1.5))
    assert "<th>x2</th>" not in WP.table_html(a)


def test_playground_xor_always_has_an_error():
    grid = np.arange(-3, 3.01, 0.5)
    fewest = min(WP.playground_state(w1, w2, b, "XOR")["errors"] for w1 in grid for w2 in grid for b in grid)
    assert fewest == 1


def test_playground_zero_weights():
    st = WP.playground_state(0.0, 0.0, -0.5, "OR")
    assert st["segment"] is None and st["region"] == [] and st["errors"] == 3


def test_playground_bad_function():
    with pytest.raises(ValueError, match="fn: ожидалось одно из"):
        WP.playground_state(1, 1, 0, "XNOR")
    with pytest.raises(ValueError, match="b: ожидались конечные числа"):
        WP.playground_state(1, 1, float("nan"), "AND")


def test_table_html_marks_each_row():
    html = WP.table_html(WP.playground_state(1.0, 1.0, -0.5, "AND"))
    assert html.count("✔") == 2 and html.count("✘") == 2 and "Ошибок: 2 из 4" in html


def _items(scene, kind, **attrs):
    return [
        it for it in scene.items if type(it).__name__ == kind and all(getattr(it, k) == v for k, v in attrs.items())
    ]


def test_plane_scene_rings_every_error_and_highlights():
    from lib.diagrams.plane import plane_scene
    from lib.plots import PALETTE

    X, y = logic_table("AND")
    scene = plane_scene(X, y, [1.0, 1.0], -0.5)  # OR's line on AND: two wrong answers
    assert len(_items(scene, "Circle", fill="none")) == 2
    assert len(_items(scene, "Poly")) == 2 and len(_items(scene, "Line", lw=3.5)) == 1
    assert len(_items(scene, "Box")) == 1  # one square: the one row with y = 1
    scene = plane_scene(X, y, [1.0, 1.0], -1.5, dashed=([0.0, 1.0], -0.5), highlight=3)
    assert not _items(scene, "Circle", fill="none") and len(_items(scene, "Line", dash=True)) == 1
    assert len(_items(scene, "Circle", fill=PALETTE["yellow"])) == 1
    X1, y1 = logic_table("NOT")
    scene = plane_scene(X1, y1, [-1.0], 0.5)
    assert not any(t.text == "x2" for t in _items(scene, "Text")) and not _items(scene, "Circle", fill="none")


def test_plane_svg_is_the_scene_in_relative_size():
    X, y = logic_table("AND")
    svg = WP.plane_svg(X, y, [1.0, 1.0], -0.5, dashed=([0.0, 1.0], -0.5), highlight=1)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert f"width:min(100%, {WP.PICTURE})" in svg and "stroke-dasharray" in svg
    assert svg.count('fill="none"') >= 2  # the two rings


# --- Stepper --------------------------------------------------------------------------------------------


def test_stepper_reproduces_train():
    X, y = logic_table("AND")
    h = P.train(X, y, *P.initial_weights(2, 1), lr=0.5)
    s = WP.Stepper("AND", lr=0.5, seed=1)
    for step in h.steps:
        st = s.step()
        np.testing.assert_array_equal(st["w"], step.w_new)
        assert st["b"] == step.b_new and st["last"].explain() == step.explain()
    assert st["converged"] and "обучение закончено" in st["text"]
    assert s.step()["w"].tolist() == st["w"].tolist()  # after convergence nothing moves


def test_stepper_epoch_and_reset():
    s = WP.Stepper("AND", lr=0.5, seed=1)
    st = s.state()
    assert st["last"] is None and st["epoch"] == 1 and st["position"] == 0 and "Нажмите «шаг»" in st["text"]
    s.step()
    st = s.epoch()
    assert (st["epoch"], st["position"]) == (2, 0)
    np.testing.assert_allclose(st["w"], [0.5, 0.9])
    assert st["b"] == pytest.approx(-0.7)
    for _ in range(3):
        st = s.epoch()
    assert st["converged"] and st["epoch"] == 4
    st = s.reset()
    assert st["last"] is None and st["epoch"] == 1 and st["w"].tolist() == [0.0, 0.9]


def test_stepper_shows_the_line_before_a_mistake():
    s = WP.Stepper("AND", lr=0.5, seed=1)
    assert s.step()["prev_segment"] is None  # x = (0, 0) answered right: nothing moved
    st = s.step()  # x = (0, 1): a mistake
    (x0, y0), (x1, y1) = st["prev_segment"]  # the old line 0.9·x2 − 0.7 = 0
    assert (x0, x1) == (-0.5, 1.5) and y0 == y1 == pytest.approx(0.7 / 0.9)


def test_stepper_lr_and_function():
    s = WP.Stepper("AND", lr=0.5, seed=1)
    assert s.set_lr(1.5)["lr"] == 1.5
    st = s.step()
    st = s.step()  # x = (0, 1): a mistake, moved by the new η
    np.testing.assert_allclose(st["last"].dw, [0, -1.5])
    st = s.set_function("NOT")
    assert st["n"] == 2 and st["w"].shape == (1,) and st["last"] is None
    with pytest.raises(ValueError, match="lr"):
        s.set_lr(0)
    with pytest.raises(ValueError, match="fn"):
        WP.Stepper("XNOR")


def test_stepper_finds_the_xor_cycle():
    s = WP.Stepper("XOR", lr=0.5, seed=1)
    for _ in range(10):
        st = s.epoch()
    assert not st["converged"]
    assert st["cycle"] == P.Cycle(start=5, period=1)  # the same as train finds
    assert "в начале эпохи 7 те же, что в начале эпохи 6: дальше всё повторяется" in st["text"]


# --- the widgets ------------------------------------------------------------------------------------------


def _of_kind(widget, *kinds):
    found = []

    def walk(w):
        if hasattr(w, "children"):
            for c in w.children:
                walk(c)
        elif type(w).__name__ in kinds:
            found.append(w)

    walk(widget)
    return found


def _sliders(widget):
    return _of_kind(widget, "FloatSlider", "IntSlider")


def _shown(widget):
    return "".join(w.value for w in _html(widget))


def _html(widget):
    out = []

    def walk(w):
        if hasattr(w, "children"):
            for c in w.children:
                walk(c)
        elif type(w).__name__ == "HTML":
            out.append(w)

    walk(widget)
    return out


@pytest.mark.parametrize("make", [WP.playground, WP.stepper])
def test_every_slider_changes_the_output(make):
    widget = make()
    sliders = _sliders(widget)
    assert sliders
    for s in sliders:
        before = _shown(widget)
        s.value = min(s.max, s.value + s.step) if s.value + s.step <= s.max else s.value - s.step
        assert _shown(widget) != before, s.description


def test_playground_switches_w2_off_for_not():
    widget = WP.playground()
    (choice,) = _of_kind(widget, "Dropdown")
    w2 = _sliders(widget)[1]
    assert not w2.disabled
    choice.value = "NOT"
    assert w2.disabled and "w2 не участвует" in _shown(widget)
    choice.value = "XOR"
    assert not w2.disabled


def test_stepper_buttons():
    widget = WP.stepper(seed=1)
    buttons = _of_kind(widget, "Button")
    assert [b.description for b in buttons] == ["шаг", "эпоха", "сначала"]
    start = _shown(widget)
    buttons[0].click()
    after_step = _shown(widget)
    assert after_step != start and "эпоха 1, следующий пример 2 из 4" in after_step
    buttons[1].click()
    assert "эпоха 2, следующий пример 1 из 4" in _shown(widget)
    buttons[2].click()
    assert _shown(widget) == start


def test_stepper_shows_the_count_of_the_epoch_that_just_ended():
    """After «эпоха» the panel shows the finished epoch's mistakes, not the new epoch's reset counter."""
    s = WP.Stepper("AND", lr=0.5, seed=1)
    st = s.epoch()
    assert st["finished"] == (1, 2) and st["mistakes"] == 0
    html = WP._stepper_html(st)
    assert "Эпоха 1 закончилась: 2 ошибки из 4" in html and "Ошибок в этой эпохе" not in html
    st = s.step()
    assert st["finished"] is None and "Ошибок в этой эпохе пока: 0" in WP._stepper_html(st)
    widget = WP.stepper(seed=1)
    _of_kind(widget, "Button")[1].click()
    assert "Эпоха 1 закончилась: 2 ошибки из 4" in _shown(widget)


def test_stepper_is_the_algorithm_of_train():
    """One implementation: the stepper's machine is lib.perceptron.Rosenblatt, whose history is train's."""
    s = WP.Stepper("XOR", lr=0.5, seed=1)
    assert isinstance(s.run, P.Rosenblatt)
    for _ in range(6):
        s.epoch()
    h = P.train(*logic_table("XOR"), *P.initial_weights(2, 1), lr=0.5)
    assert s.run.history.mistakes_per_epoch == h.mistakes_per_epoch and s.run.history.cycle == h.cycle


def test_stepper_new_lr_forgets_the_old_cycle():
    s = WP.Stepper("XOR", lr=0.5, seed=1)
    for _ in range(6):
        st = s.epoch()
    assert st["cycle"] is not None
    assert s.set_lr(1.0)["cycle"] is None  # the old epochs ran with another η


@pytest.mark.parametrize("make", [WP.playground, WP.stepper])
def test_layouts_are_relative(make):
    """Projector: the course's panel (its em-based stylesheet follows Presentation Mode) holding one row, the
    picture on the left and the controls beside it; no fixed pixel sizes; rows wrap instead of clipping."""
    widget = make()
    assert "nn-course" in widget._dom_classes
    (layout,) = [c for c in widget.children if type(c).__name__ == "HBox"]
    picture, side = layout.children
    assert "<svg" in picture.value and _sliders(side) and not _sliders(picture)
    stack = [widget]
    while stack:
        w = stack.pop()
        stack.extend(getattr(w, "children", ()))
        for key in ("width", "height", "min_width", "max_width", "margin", "flex"):
            value = getattr(w.layout, key, None) or ""
            assert "px" not in value, (type(w).__name__, key, value)
        if type(w).__name__ == "HBox":
            assert "nn-row" in w._dom_classes
