"""The shared plumbing every lesson leans on: validation, optimiser, small data sets, plot style, gradient check."""
from __future__ import annotations

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
from lib.gradcheck import numeric_gradient  # noqa: E402
from lib.optim import Adam, clip_by_global_norm, global_norm  # noqa: E402
from lib.rnn import RNNParams  # noqa: E402

# ------------------------------------------------------------------------------------------------ checks


def test_errors_name_the_argument_the_expected_and_the_given():
    with pytest.raises(ValueError, match=r"x_t: ожидалась форма \(B, 3\) или \(3,\), получена \(2, 4\)"):
        check_shape("x_t", np.zeros((2, 4)), (None, 3), (3,))
    with pytest.raises(ValueError, match=r"xs: ожидалось осей: 2 или 3, получено 1"):
        as_array("xs", [1.0, 2.0], ndim=(2, 3))
    with pytest.raises(ValueError, match="h0: ожидались конечные числа, а найдено 1 значений NaN"):
        as_array("h0", [0.0, np.nan])
    with pytest.raises(TypeError, match="W: ожидался числовой массив"):
        as_array("W", [["a"]])
    with pytest.raises(ValueError, match="y: ожидались только 0 и 1, а встретилось 2"):
        check_binary("y", [0, 1, 2])
    with pytest.raises(ValueError, match="name: ожидалось одно из 'AND', 'OR', получено 'XAND'"):
        check_choice("name", "XAND", ("AND", "OR"))
    with pytest.raises(TypeError, match="T: ожидалось целое число"):
        check_positive("T", 2.5, integer=True)
    with pytest.raises(ValueError, match="lr: ожидалось число > 0"):
        check_positive("lr", 0.0)


def test_valid_input_passes_through_as_float64():
    a = as_array("x", [[1, 2, 3]], ndim=2)
    assert a.dtype == np.float64 and check_shape("x", a, (None, 3)) is a
    assert check_binary("y", [0, 1, 1]).tolist() == [0, 1, 1]
    assert check_positive("n", 3, integer=True) == 3


# ------------------------------------------------------------------------------------------------ optim


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
    g = RNNParams(W=np.full((2, 2), 3.0), b=np.full(2, 4.0))       # norm sqrt(4·9 + 2·16) = sqrt(68)
    clipped = clip_by_global_norm(g, 1.0)
    assert isinstance(clipped, RNNParams)
    assert global_norm(clipped) == pytest.approx(1.0)
    np.testing.assert_allclose(clipped.W / clipped.b[0], g.W / g.b[0])   # direction unchanged
    assert clip_by_global_norm(g, 100.0) is g


# ------------------------------------------------------------------------------------------------ data


@pytest.mark.parametrize("name", LOGIC_FUNCTIONS)
def test_logic_tables(name):
    X, y = logic_table(name)
    expected = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NAND": [1, 1, 1, 0], "NOR": [1, 0, 0, 0],
                "XOR": [0, 1, 1, 0], "NOT": [1, 0]}[name]
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
    assert np.all(marks[: T // 2].sum(axis=0) == 1)                 # one mark in each half
    np.testing.assert_allclose((xs[:, :, 0] * marks).sum(axis=0), y)


def test_adding_problem_baseline_is_one_sixth_and_seeded():
    xs, y = adding_problem(20000, 10, seed=1)
    assert np.mean((y - 1.0) ** 2) == pytest.approx(1 / 6, abs=0.01)
    np.testing.assert_array_equal(adding_problem(5, 10, seed=3)[0], adding_problem(5, 10, seed=3)[0])
    with pytest.raises(ValueError, match="T: ожидалась длина последовательности ≥ 2"):
        adding_problem(5, 1)


# ------------------------------------------------------------------------------------------------ gradcheck, plots


def test_numeric_gradient_of_a_known_function_restores_the_array():
    a = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = a.copy()
    g = numeric_gradient(lambda: float(np.sum(a ** 3)), a)
    np.testing.assert_allclose(g, 3 * before ** 2, rtol=1e-6)
    np.testing.assert_array_equal(a, before)


def test_style_is_large_and_colour_blind_safe_and_heat_strip_updates_in_place():
    plots.use_style()
    assert matplotlib.rcParams["font.size"] >= 14 and matplotlib.rcParams["lines.linewidth"] >= 2.5
    assert matplotlib.rcParams["axes.prop_cycle"].by_key()["color"][:2] == [plots.PALETTE["blue"], plots.PALETTE["orange"]]
    fig, ax = plt.subplots()
    im = plots.heat_strip(ax, np.zeros((2, 3)), row_labels=["a", "b"], col_labels=["x", "y", "z"], annotate=True)
    im.set_data(np.ones((2, 3)))
    assert im.get_array().sum() == 6
    plt.close(fig)


def test_show_bench_table_says_how_to_make_a_missing_one(capsys):
    plots.show_bench_table("no_such_table")
    assert "make bench" in capsys.readouterr().out
