"""The shared plumbing every lesson leans on: validation, optimiser, small data sets, plot style, gradient check."""

from __future__ import annotations

from typing import NamedTuple

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from lib import plots  # noqa: E402
from lib.checks import as_array, check_binary, check_choice, check_positive, check_shape  # noqa: E402
from lib.data import LOGIC_FUNCTIONS, adding_problem, logic_table  # noqa: E402
from lib.numerics import numeric_gradient  # noqa: E402
from lib.optim import Adam, clip_by_global_norm, global_norm  # noqa: E402

# ------------------------------------------------------------------------------------------------ checks


def test_errors_name_the_argument_the_expected_and_the_given():
    with pytest.raises(ValueError, match=r"x_t: ожидалась форма \(B, 3\) или \(3,\), получена \(2, 4\)"):
        check_shape("x_t", np.zeros((2, 4)), (None, 3), (3,))
    with pytest.raises(ValueError, match=r"xs: ожидалось осей: 2 или 3, получено 1"):
        as_array("xs", [1.0, 2.0], ndim=(2, 3))
    with pytest.raises(ValueError, match="h0: ожидались конечные числа, получено 1 значение NaN"):
        as_array("h0", [0.0, np.nan])
    with pytest.raises(ValueError, match="h0: ожидались конечные числа, получено 3 значения NaN"):
        as_array("h0", [np.nan, np.inf, -np.inf])
    with pytest.raises(TypeError, match="W: ожидался числовой массив"):
        as_array("W", [["a"]])
    with pytest.raises(ValueError, match="y: ожидались только 0 и 1, получено 2"):
        check_binary("y", [0, 1, 2])
    with pytest.raises(ValueError, match="name: ожидалось одно из 'AND', 'OR', получено 'XAND'"):
        check_choice("name", "XAND", ("AND", "OR"))
    with pytest.raises(TypeError, match="T: ожидалось целое число"):
        check_positive("T", 2.5, integer=True)
    with pytest.raises(ValueError, match="lr: ожидалось число > 0"):
        check_positive("lr", 0.0)


@pytest.mark.parametrize("value", [True, False, np.True_, "0.1", None, [0.1]])
def test_check_positive_says_a_number_is_expected_not_an_integer(value):
    """`integer and not int or bool` once made check_positive("lr", True) demand an integer."""
    with pytest.raises(TypeError, match=r"^lr: ожидалось число, получено "):
        check_positive("lr", value)


def test_check_positive_accepts_numbers_and_rejects_what_is_not_positive():
    assert check_positive("lr", 0.1) == 0.1 and check_positive("lr", np.float32(0.5)) == 0.5
    assert check_positive("lr", np.array(2.0)) == 2.0 and check_positive("n", np.int64(3), integer=True) == 3
    assert check_positive("n", 0, integer=True, allow_zero=True) == 0
    with pytest.raises(TypeError, match="n: ожидалось целое число, получено True"):
        check_positive("n", True, integer=True)
    with pytest.raises(TypeError, match="n: ожидалось целое число, получено 3.0"):
        check_positive("n", 3.0, integer=True)
    for bad, cond in [(-1.0, "> 0"), (float("nan"), "> 0"), (float("inf"), "> 0")]:
        with pytest.raises(ValueError, match=f"lr: ожидалось число {cond}, получено"):
            check_positive("lr", bad)
    with pytest.raises(ValueError, match="n: ожидалось число ≥ 0, получено -1"):
        check_positive("n", -1, integer=True, allow_zero=True)


def test_valid_input_passes_through_as_float64():
    a = as_array("x", [[1, 2, 3]], ndim=2)
    assert a.dtype == np.float64 and check_shape("x", a, (None, 3)) is a
    assert check_binary("y", [0, 1, 1]).tolist() == [0, 1, 1]
    assert check_positive("n", 3, integer=True) == 3


# ------------------------------------------------------------------------------------------------ optim


class RNNParams(NamedTuple):
    """Parameters as the lessons keep them: a NamedTuple of arrays (any shapes; the optimiser keeps the type)."""

    W: np.ndarray
    b: np.ndarray


def test_adam_minimises_a_quadratic():
    target = np.array([3.0, -2.0])
    params = RNNParams(W=np.zeros((1, 2)), b=np.zeros(1))
    opt = Adam(lr=0.1)
    for _ in range(500):
        grads = RNNParams(W=2 * (params.W - target), b=2 * (params.b - 1.0))
        params = opt.step(params, grads)
    assert isinstance(params, RNNParams)
    np.testing.assert_allclose(params.W[0], target, atol=1e-3)
    np.testing.assert_allclose(params.b, [1.0], atol=1e-3)


def test_clipping_scales_all_gradients_together_and_keeps_the_type():
    g = RNNParams(W=np.full((2, 2), 3.0), b=np.full(2, 4.0))  # norm sqrt(4·9 + 2·16) = sqrt(68)
    clipped = clip_by_global_norm(g, 1.0)
    assert isinstance(clipped, RNNParams)
    assert global_norm(clipped) == pytest.approx(1.0)
    np.testing.assert_allclose(clipped.W / clipped.b[0], g.W / g.b[0])  # direction unchanged
    assert clip_by_global_norm(g, 100.0) is g


def test_optimiser_arguments_are_validated_where_they_are_given():
    with pytest.raises(ValueError, match="lr: ожидалось число > 0"):
        Adam(lr=0.0)
    with pytest.raises(ValueError, match=r"beta1: ожидалось число из \[0, 1\), получено 1.0"):
        Adam(beta1=1.0)
    with pytest.raises(ValueError, match="max_norm: ожидалось число > 0"):
        clip_by_global_norm([np.ones(2)], -1.0)


# ------------------------------------------------------------------------------------------------ data


@pytest.mark.parametrize("name", LOGIC_FUNCTIONS)
def test_logic_tables(name):
    X, y = logic_table(name)
    expected = {
        "AND": [0, 0, 0, 1],
        "OR": [0, 1, 1, 1],
        "NAND": [1, 1, 1, 0],
        "NOR": [1, 0, 0, 0],
        "XOR": [0, 1, 1, 0],
        "NOT": [1, 0],
    }[name]
    assert y.tolist() == expected
    assert X.shape == (len(expected), 1 if name == "NOT" else 2) and X.dtype == np.float64


def test_unknown_logic_function_is_named():
    with pytest.raises(ValueError, match="name: ожидалось одно из .*получено 'XNOR'"):
        logic_table("XNOR")


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 20), T=st.integers(2, 60), seed=st.integers(0, 1000))
def test_adding_problem_marks_two_values_and_sums_them(n, T, seed):
    xs, y = adding_problem(n, T, seed=seed)
    assert xs.shape == (T, n, 2) and y.shape == (n,)
    marks = xs[:, :, 1]
    assert np.all(marks.sum(axis=0) == 2)
    assert np.all(marks[: T // 2].sum(axis=0) == 1)  # one mark in each half
    np.testing.assert_allclose((xs[:, :, 0] * marks).sum(axis=0), y)


def test_adding_problem_baseline_is_one_sixth_and_seeded():
    xs, y = adding_problem(20000, 10, seed=1)
    assert np.mean((y - 1.0) ** 2) == pytest.approx(1 / 6, abs=0.01)
    np.testing.assert_array_equal(adding_problem(5, 10, seed=3)[0], adding_problem(5, 10, seed=3)[0])
    with pytest.raises(ValueError, match="T: ожидалась длина последовательности ≥ 2"):
        adding_problem(5, 1)


# ------------------------------------------------------------------------------------------------ numerics, plots


def test_numeric_gradient_of_a_known_function_restores_the_array():
    a = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = a.copy()
    g = numeric_gradient(lambda: float(np.sum(a**3)), a)
    np.testing.assert_allclose(g, 3 * before**2, rtol=1e-6)
    np.testing.assert_array_equal(a, before)


def test_style_is_large_and_colour_blind_safe_and_heat_strip_updates_in_place():
    plots.use_style()
    assert matplotlib.rcParams["font.size"] >= 14 and matplotlib.rcParams["lines.linewidth"] >= 2.5
    cycle = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
    assert cycle[:2] == [plots.PALETTE["blue"], plots.PALETTE["orange"]]
    fig, ax = plt.subplots()
    im = plots.heat_strip(ax, np.zeros((2, 3)), row_labels=["a", "b"], col_labels=["x", "y", "z"], annotate=True)
    im.set_data(np.ones((2, 3)))
    assert im.get_array().sum() == 6
    plt.close(fig)


def test_text_on_a_colour_follows_its_luminance():
    cividis, rdbu = matplotlib.colormaps[plots.GATE_CMAP], matplotlib.colormaps[plots.STATE_CMAP]
    assert plots.text_color_on(cividis(1.0)) == "black"  # bright yellow: white text was unreadable
    assert plots.text_color_on(plots.PALETTE["yellow"]) == "black"
    assert plots.text_color_on(cividis(0.0)) == "white" and plots.text_color_on(rdbu(0.0)) == "white"
    assert plots.text_color_on("white") == "black" and plots.text_color_on("black") == "white"


def test_heat_strip_writes_black_on_bright_cells_and_white_on_dark_ones():
    fig, ax = plt.subplots()
    plots.heat_strip(ax, [[0.0, 0.5, 1.0]], vmin=0, vmax=1, cmap=plots.GATE_CMAP, annotate=True, colorbar=False)
    colours = {t.get_text(): t.get_color() for t in ax.texts}
    assert colours == {"0.00": "white", "0.50": "black", "1.00": "black"}
    plt.close(fig)


def test_legible_enlarges_text_a_wide_figure_would_show_too_small():
    plots.use_style()
    fig, axes = plt.subplots(1, 3, figsize=(18, 4), dpi=90)
    for ax in axes:
        ax.plot([0, 1], label="линия")
        ax.legend(fontsize=11)
        ax.set_title("заголовок")
    plots.legible(fig)
    shrink = plots.SHOWN_PX / (18 * 90)
    shown = lambda text: text.get_fontsize() * 90 / 72 * shrink  # CSS px once scaled into the column
    for ax in axes:
        assert shown(ax.get_legend().get_texts()[0]) >= plots.MIN_TEXT_PX - 1e-9
        assert shown(ax.xaxis.get_ticklabels()[0]) >= plots.MIN_TEXT_PX - 1e-9
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(6, 4), dpi=90)  # fits the column: left as it is
    ax.legend(handles=ax.plot([0, 1], label="линия"))
    before = ax.get_legend().get_texts()[0].get_fontsize()
    assert plots.legible(fig).axes[0].get_legend().get_texts()[0].get_fontsize() == before
    plt.close(fig)


def test_bench_results_go_to_json_for_programs_and_markdown_for_people(tmp_path, monkeypatch, capsys):
    import importlib.util
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "bench" / "_common.py"
    spec = importlib.util.spec_from_file_location("bench_common", path)
    common = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(common)
    monkeypatch.setattr(common, "RESULTS", tmp_path)
    rows = [
        {"notebook": "01", "median_s": 2.75, "ok": True, "runs": [2.7, 2.8]},
        {"notebook": "02", "median_s": None, "ok": False, "runs": []},
    ]
    js, md = common.write_results(
        "demo",
        rows,
        {
            "title": "Демо",
            "command": "python bench/demo.py",
            "goal_s": 30.0,
            "columns": {"notebook": "ноутбук", "median_s": ("медиана, с", 1), "ok": "в цели"},
        },
    )
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["rows"] == rows and data["goal_s"] == 30.0 and data["command"] == "python bench/demo.py"
    assert common.read_results("demo")["title"] == "Демо"
    table = md.read_text(encoding="utf-8")
    assert "| ноутбук | медиана, с | в цели |" in table and "| 01 | 2,8 | да |" in table and "| 02 | — | нет |" in table
    with pytest.raises(ValueError, match="command"):
        common.write_results("demo", rows, {"title": "Демо"})


def test_the_two_image_paths_into_a_widget():
    from lib import diagrams
    from lib.widgets import render

    view = render.svg_view(diagrams.lstm_cell_scene(), width_px=700)
    assert view.value.startswith("<svg") and 'width="50.00em"' in view.value
    render.show_scene(view, diagrams.lstm_cell_scene(highlight="forget"))
    assert "Фильтр забывания" in view.value and 'width="50.00em"' in view.value
    fig = render.agg_figure((4, 3))
    fig.subplots().plot([0, 1])
    image = render.png_view(render.png_bytes(fig), width_px=440)
    assert bytes(image.value)[:8] == b"\x89PNG\r\n\x1a\n" and image.layout.width.endswith("em")


def test_show_bench_table_says_how_to_make_a_missing_one(capsys):
    plots.show_bench_table("no_such_table")
    assert "make bench" in capsys.readouterr().out


def test_check_trace_names_the_forward_pass_and_the_sizes():
    from lib import rnn
    from lib.checks import check_trace

    p = rnn.init_params(2, 3, seed=0)
    trace = rnn.rnn_forward(p, np.zeros((4, 2)))
    check_trace(trace, rnn.RNNTrace, "rnn_forward", 2, 3)
    with pytest.raises(TypeError, match="trace: ожидался результат rnn_forward \\(RNNTrace\\), получено tuple"):
        check_trace((), rnn.RNNTrace, "rnn_forward", 2, 3)
    with pytest.raises(ValueError, match="не подходит к параметрам \\(D = 5, H = 3\\)"):
        check_trace(trace, rnn.RNNTrace, "rnn_forward", 5, 3)
