"""Tests of lib.perceptron and of every claim notebook 1 prints (with its default parameters)."""

from __future__ import annotations

from itertools import product

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from notebook_params import params  # noqa: E402

from lib import perceptron as P  # noqa: E402
from lib.data import logic_table  # noqa: E402

# the notebook's parameters cell (read from it, never copied)
_P = params("01_perceptron")
SEED, LR, MAX_EPOCHS, N_POINTS, MARGIN = (_P[k] for k in ("seed", "lr", "max_epochs", "n_points", "margin"))
X4 = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def words_rule(w, b, x, y, lr):
    """The notebook's rosenblatt_in_words: the lecture's step 3, literally."""
    y_hat = 1 if w @ x + b >= 0 else 0
    w = w.copy()
    if y == 0 and y_hat == 1:
        w[x == 1] -= lr
        b -= lr
    elif y == 1 and y_hat == 0:
        w[x == 1] += lr
        b += lr
    return w, b


# --- the unit -------------------------------------------------------------------------------------------


def test_predict_thresholds_at_zero():
    assert P.predict([1.0, -1.0], 0.0, [1.0, 1.0]) == 1  # z = 0 → 1
    assert P.predict([1.0, -1.0], -0.1, [1.0, 1.0]) == 0
    np.testing.assert_array_equal(P.predict([1, 1], -1.5, X4), [0, 0, 0, 1])
    assert P.weighted_sum([2, 3], 1, [1, 1]) == 6.0


@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda: P.predict([1, 1], 0, [[1, 1, 1]]), "X: ожидалась форма"),
        (lambda: P.predict([1, np.nan], 0, [1, 1]), "w: ожидались конечные числа"),
        (lambda: P.predict([[1, 1]], 0, [1, 1]), "w: ожидалось осей"),
        (lambda: P.predict([1, 1], [0, 0], [1, 1]), "b: ожидалось осей"),
        (lambda: P.update([1, 1], 0, [1, 1], 2), "y: ожидались только 0 и 1"),
        (lambda: P.update([1, 1], 0, [1, 1], 1, lr=0), "lr: ожидалось число > 0"),
        (lambda: P.update([1, 1], 0, [[1, 1]], 1), "x: ожидалось осей: 1"),
        (lambda: P.train(X4, [0, 1, 1], max_epochs=3), "y: ожидалась форма (4,)"),
        (lambda: P.train(X4, [0, 1, 1, 0.5]), "y: ожидались только 0 и 1"),
        (lambda: P.train(X4, [0, 0, 0, 1], w0=[0, 0, 0]), "w: ожидалась форма (2,)"),
        (lambda: P.train(X4 * np.nan, [0, 0, 0, 1]), "X: ожидались конечные числа"),
        (lambda: P.mp_output(P.MP_UNITS["AND"], [[0, 2]]), "X: ожидались только 0 и 1"),
        (lambda: P.novikoff_bound(X4, [0, 1, 1, 0], [1, 1], -1.5), "не разделяют"),
        (lambda: P.novikoff_bound(X4, [0, 0, 0, 1], [0, 0], 0), "ненулевой"),
        (lambda: P.separable_data(10, margin=0.7), "margin: ожидалось число меньше 0,5"),
    ],
)
def test_bad_input_is_a_clear_value_error(call, fragment):
    with pytest.raises(ValueError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_non_numeric_input_is_a_type_error():
    with pytest.raises(TypeError, match="w: ожидался числовой массив"):
        P.predict(["a", "b"], 0, [1, 1])
    with pytest.raises(TypeError, match="max_epochs"):
        P.train(X4, [0, 0, 0, 1], max_epochs=2.5)


def test_initial_weights_are_seeded_and_rounded():
    w, b = P.initial_weights(2, SEED)
    np.testing.assert_array_equal(w, [0.0, 0.9])
    assert b == -0.7
    w2, b2 = P.initial_weights(2, SEED)
    np.testing.assert_array_equal(w, w2)
    assert np.all(np.round(w * 10) == w * 10)


# --- McCulloch–Pitts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["AND", "OR", "NOT"])
def test_mcculloch_pitts_units_compute_their_gates(name):
    unit = P.MP_UNITS[name]
    X, y = logic_table(name)
    np.testing.assert_array_equal(P.mp_output(unit, X), y)
    # the same as a perceptron (the notebook prints «да»)
    np.testing.assert_array_equal(P.predict(*unit.as_perceptron(), X), y)


def test_mcculloch_pitts_thresholds_are_the_notebooks():
    assert P.MP_UNITS["AND"] == ("++", 2)
    assert P.MP_UNITS["OR"] == ("++", 1)
    assert P.MP_UNITS["NOT"] == ("−", 0)


def test_mcculloch_pitts_inhibition_is_absolute():
    """One active inhibitory input blocks the unit, however many excitatory ones are on (1943), and the
    perceptron that imitates it needs a weight heavier than all excitatory inputs together."""
    unit = P.MPUnit("+++−", 1)
    X = np.array(list(product((0, 1), repeat=4)))
    out = P.mp_output(unit, X)
    np.testing.assert_array_equal(out, ((X[:, :3].sum(axis=1) >= 1) & (X[:, 3] == 0)).astype(int))
    assert out[X.tolist().index([1, 1, 1, 1])] == 0
    w, b = unit.as_perceptron()
    np.testing.assert_array_equal(P.predict(w, b, X), out)
    assert P.predict([1, 1, 1, -1], b, [1, 1, 1, 1]) == 1  # a weight −1 would not block it


# --- the bias and the likeness to regression ------------------------------------------------------------


def test_bias_widens_what_one_unit_computes():
    """Notebook: without b only NOR works (AND 2, OR 3, NAND 3 of 4); with b every one of the four."""
    without = {n: P.best_line_on_grid(*logic_table(n), bias=False) for n in ["AND", "OR", "NAND", "NOR"]}
    assert without == {"AND": 2, "OR": 3, "NAND": 3, "NOR": 4}
    for name in ["AND", "OR", "NAND", "NOR"]:
        assert P.best_line_on_grid(*logic_table(name)) == 4


def test_hebbs_rule_only_grows_weights():
    """Notebook: 5 epochs of Δw = x·y on AND give w = (5, 5), b = 5 and 3 errors of 4."""
    X, y = logic_table("AND")
    w, b = np.zeros(2), 0.0
    for _ in range(5):
        for x, t in zip(X, y):
            w += x * t
            b += t
    np.testing.assert_array_equal(w, [5, 5])
    assert b == 5
    assert np.sum(P.predict(w, b, X) != y) == 3


# --- the update -----------------------------------------------------------------------------------------


def test_update_hand_worked_too_large():
    """AND, first mistake of the notebook's run: x = (0, 1), y = 0, ŷ = 1 → w2 and b go down by η."""
    s = P.update([0.0, 0.9], -0.7, [0, 1], 0, lr=0.5)
    assert (s.y_hat, s.error) == (1, -1)
    np.testing.assert_allclose(s.dw, [0, -0.5])
    assert s.db == -0.5
    np.testing.assert_allclose(s.w_new, [0, 0.4])
    assert s.b_new == pytest.approx(-1.2)
    text = s.explain()
    assert "Сумма слишком велика" in text and "уменьшаем" in text and "w2 и смещение b" in text
    assert "w1" not in text and "η = 0,5" in text and "z = 0,2" in text


def test_update_hand_worked_too_small_and_right():
    s = P.update([0.0, 0.4], -1.2, [1, 1], 1, lr=0.5)
    assert s.error == 1 and "увеличиваем" in s.explain() and "w1, w2 и смещение b" in s.explain()
    np.testing.assert_allclose(s.w_new, [0.5, 0.9])
    right = P.update([0.0, 0.9], -0.7, [0, 0], 0, lr=0.5)
    assert right.error == 0 and not right.dw.any() and right.db == 0
    assert "Веса не меняются" in right.explain() and "\n" not in right.report()


def test_update_on_zero_inputs_moves_only_the_bias():
    s = P.update([0.0, 0.0], 0.0, [0, 0], 0)
    assert not s.dw.any() and s.db == -1
    assert "только смещение b" in s.explain()
    assert "Δ" in s.report() and "1 (b)" in s.table()


def test_update_does_not_modify_its_arguments():
    w = np.array([0.0, 0.0])
    P.update(w, 0.0, np.array([1.0, 1.0]), 0)
    np.testing.assert_array_equal(w, [0, 0])


@settings(max_examples=200, deadline=None)
@given(
    w=st.lists(st.integers(-20, 20), min_size=2, max_size=2),
    b=st.integers(-20, 20),
    x=st.tuples(st.integers(0, 1), st.integers(0, 1)),
    y=st.integers(0, 1),
    lr=st.sampled_from([0.1, 0.25, 0.5, 1.0, 2.0]),
)
def test_compact_rule_is_the_four_steps(w, b, x, y, lr):
    """w += η·(y − ŷ)·x is exactly «raise/lower the weights whose input was 1» on binary inputs."""
    w, b, x = np.array(w) / 10, b / 10, np.array(x, dtype=float)
    s = P.update(w, b, x, y, lr)
    w_words, b_words = words_rule(w, b, x, y, lr)
    np.testing.assert_array_equal(s.w_new, w_words)
    assert s.b_new == b_words


# --- training -------------------------------------------------------------------------------------------


def test_and_run_of_the_notebook():
    """Notebook: AND from w = (0, 0.9), b = −0.7, η = 0.5: 16 steps, 5 mistakes, 4 epochs, w = (1, 0.4), b = −1.2."""
    X, y = logic_table("AND")
    w0, b0 = P.initial_weights(2, SEED)
    h = P.train(X, y, w0, b0, lr=LR, max_epochs=MAX_EPOCHS)
    assert h.converged and h.cycle is None
    assert (len(h.steps), h.mistakes, h.epochs) == (16, 5, 4)
    assert h.mistakes_per_epoch == [2, 2, 1, 0]
    np.testing.assert_allclose(h.w, [1.0, 0.4])
    assert h.b == pytest.approx(-1.2)
    after_mistakes = [(*s.w_new, s.b_new) for s in h.steps if s.error]
    np.testing.assert_allclose(
        after_mistakes, [(0, 0.4, -1.2), (0.5, 0.9, -0.7), (0.5, 0.4, -1.2), (1, 0.9, -0.7), (1, 0.4, -1.2)], atol=1e-12
    )
    # the words rule, run the notebook's way, gives the identical history
    w, b = w0, b0
    for s in h.steps:
        w, b = words_rule(w, b, s.x, s.y, LR)
        np.testing.assert_array_equal(w, s.w_new)
        assert b == s.b_new
    # the plot of the notebook: errors at the start of each epoch
    errors = [int(np.sum(P.predict(wk, bk, X) != y)) for wk, bk in h.epoch_starts]
    assert errors == [1, 1, 2, 0]


@pytest.mark.parametrize("name", ["AND", "OR", "NAND", "NOR", "NOT"])
def test_every_separable_gate_is_learned(name):
    X, y = logic_table(name)
    h = P.train(X, y, *P.initial_weights(X.shape[1], 0), lr=1.0)
    assert h.converged
    np.testing.assert_array_equal(P.predict(h.w, h.b, X), y)


def test_train_records_every_step():
    X, y = logic_table("OR")
    h = P.train(X, y)
    assert len(h.steps) == 4 * h.epochs
    for prev, s in zip(h.steps, h.steps[1:]):
        np.testing.assert_array_equal(prev.w_new, s.w)
        assert prev.b_new == s.b
    assert h.mistakes == sum(s.error != 0 for s in h.steps)


# --- Novikoff ---------------------------------------------------------------------------------------------


def test_novikoff_on_and():
    """Notebook: AND with x1 + x2 − 1.5: R = 1.732, γ = 0.243, bound 51; 11 mistakes from zero."""
    X, y = logic_table("AND")
    nb = P.novikoff_bound(X, y, [1, 1], -1.5)
    assert nb.R == pytest.approx(np.sqrt(3))
    assert nb.gamma == pytest.approx(0.5 / np.sqrt(4.25))
    assert round(nb.bound) == 51
    run = P.train(X, y, lr=LR, max_epochs=MAX_EPOCHS)
    assert run.converged and run.mistakes == 11 <= nb.bound


def test_novikoff_on_the_notebooks_random_points():
    """Notebook: 60 points, γ = 0.104, R = 1.531, bound 216; converges in 4 epochs with 17 mistakes."""
    X, y, w, b = P.separable_data(N_POINTS, seed=SEED, margin=MARGIN)
    nb = P.novikoff_bound(X, y, w, b)
    assert (round(nb.gamma, 3), round(nb.R, 3), round(nb.bound)) == (0.104, 1.531, 216)
    run = P.train(X, y, lr=LR, max_epochs=MAX_EPOCHS)
    assert run.converged and (run.epochs, run.mistakes) == (4, 17)
    assert run.mistakes <= nb.bound


def test_separable_data_respects_the_margin():
    X, y, w, b = P.separable_data(200, seed=3, margin=0.2)
    assert X.shape == (200, 2) and set(np.unique(y)) <= {0, 1}
    assert np.linalg.norm(w) == pytest.approx(1)
    assert np.all(np.abs(X @ w + b) >= 0.2)
    np.testing.assert_array_equal(y, (X @ w + b > 0).astype(int))


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 80),
    margin=st.floats(0.02, 0.3),
    lr=st.sampled_from([0.1, 0.5, 1.0, 3.0]),
)
def test_converges_within_novikoffs_bound(seed, n, margin, lr):
    X, y, w, b = P.separable_data(n, seed=seed, margin=margin)
    bound = P.novikoff_bound(X, y, w, b).bound
    run = P.train(X, y, lr=lr, max_epochs=int(bound) + 2)
    assert run.converged
    assert run.mistakes <= bound
    np.testing.assert_array_equal(P.predict(run.w, run.b, X), y)


@settings(max_examples=30, deadline=None)
@given(
    points=st.lists(st.tuples(st.floats(-5, 5), st.floats(-5, 5)), min_size=1, max_size=40),
    angle=st.floats(0, 2 * np.pi),
    offset=st.floats(-2, 2),
)
def test_converges_within_bound_on_arbitrary_points(points, angle, offset):
    """Any points, labelled by a line, points closer than 0.05 to it dropped."""
    w = np.array([np.cos(angle), np.sin(angle)])
    X = np.array(points, dtype=float)
    X = X[np.abs(X @ w + offset) >= 0.05]
    if len(X) == 0:
        return
    y = (X @ w + offset > 0).astype(int)
    bound = P.novikoff_bound(X, y, w, offset).bound
    run = P.train(X, y, max_epochs=int(bound) + 2)
    assert run.converged and run.mistakes <= bound


# --- XOR ------------------------------------------------------------------------------------------------


def test_no_line_computes_xor():
    assert P.best_line_on_grid(*logic_table("XOR")) == 3


def test_xor_cycle_of_the_notebook():
    """Notebook: from w = (0, 0.9), b = −0.7, η = 0.5 the weights at the start of epoch 7 equal those of
    epoch 6 (cycle of 1 epoch, 4 mistakes in it)."""
    X, y = logic_table("XOR")
    h = P.train(X, y, *P.initial_weights(2, SEED), lr=LR, max_epochs=MAX_EPOCHS)
    assert not h.converged
    assert h.cycle == P.Cycle(start=5, period=1)
    assert h.mistakes_per_epoch == [2, 3, 2, 2, 3, 4]
    w5, b5 = h.epoch_starts[5]
    np.testing.assert_allclose(h.w, w5)
    assert h.b == pytest.approx(b5)
    cycle_steps = h.steps[4 * 5 : 4 * 6]
    assert [s.error for s in cycle_steps] == [-1, 1, 1, -1]


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), lr=st.sampled_from([0.1, 0.25, 0.5, 1.0, 2.0]))
def test_xor_never_converges_and_a_cycle_is_found(seed, lr):
    X, y = logic_table("XOR")
    h = P.train(X, y, *P.initial_weights(2, seed), lr=lr, max_epochs=500)
    assert not h.converged
    assert h.cycle is not None and h.cycle.period >= 1
    assert all(m > 0 for m in h.mistakes_per_epoch)


def test_two_layers_compute_xor():
    X, y = logic_table("XOR")
    h = np.column_stack([P.predict([1, 1], -0.5, X), P.predict([-1, -1], 1.5, X)])
    np.testing.assert_array_equal(P.predict([1, 1], -1.5, h), y)


def test_fourteen_of_sixteen_tables_are_learnable():
    not_learnable = {t for t in product((0, 1), repeat=4) if not P.train(X4, np.array(t)).converged}
    assert not_learnable == {(0, 1, 1, 0), (1, 0, 0, 1)}


# --- the decision line ------------------------------------------------------------------------------------


def test_boundary_segment_and_region():
    from lib.diagrams.plane import boundary_segment, half_plane_polygon

    seg = boundary_segment([1, 1], -1.5)
    assert seg == ((0.0, 1.5), (1.5, 0.0))
    assert boundary_segment([0, 0], 1) is None
    assert boundary_segment([1, 0], -5) is None  # the line misses the square
    region = half_plane_polygon([1, 1], -1.5)
    assert sorted(region) == [(0.0, 1.5), (1.5, 0.0), (1.5, 1.5)]
    assert half_plane_polygon([0, 0], -1) == []
    assert len(half_plane_polygon([0, 0], 1)) == 4


def test_plot_decision_draws_the_widgets_scene():
    """One scene for the figure and the widget: every primitive of plane_scene becomes one artist."""
    from lib.diagrams.plane import plane_scene

    X, y = logic_table("AND")
    scene = plane_scene(X, y, [1, 1], -0.5, dashed=([1, 1], -1.5), highlight=2)
    fig, ax = plt.subplots()
    P.plot_decision(ax, X, y, [1, 1], -0.5, title="t", dashed=([1, 1], -1.5), highlight=2)
    kinds = [type(it).__name__ for it in scene.items]
    assert len(ax.patches) == sum(k in ("Box", "Circle", "Poly") for k in kinds)
    assert len(ax.lines) == kinds.count("Line") and len(ax.texts) == kinds.count("Text")
    assert ax.get_title() == "t"
    labels = [t.get_text() for t in ax.legend().get_texts()]
    assert labels == ["ответ 1", "ответ 0"]
    plt.close(fig)


def test_format():
    """Decimal commas; a semicolon between entries once one of them has a comma; a true minus, never −0."""
    assert P.format_vector([0.5, -1.0, 0.0]) == "(0,5; −1; 0)"
    assert P.format_vector([0.0, 1.0]) == "(0, 1)"
    assert P.format_number(-0.0001) == "0" and P.format_number(1.25) == "1,25" and P.format_number(-2) == "−2"


def test_a_sum_that_is_zero_by_hand_answers_one():
    """Weights on the 0.1 grid: 0.3 − 0.2 − 0.1 is −2.8e−17 in floating point, 0 by hand; the lesson says 0 → 1."""
    assert 0.3 - 0.2 - 0.1 < 0
    assert P.weighted_sum([0.3, -0.2], -0.1, [1, 1]) == 0.0
    assert P.predict([0.3, -0.2], -0.1, [1, 1]) == 1
    s = P.update([0.3, -0.2], -0.1, [1, 1], 0, lr=0.5)
    assert s.z == 0 and s.y_hat == 1 and s.error == -1


@pytest.mark.parametrize("lr", [0.1, 0.2, 0.3, 0.5, 1.0, 2.0])
def test_from_zero_weights_the_learning_rate_changes_no_answer(lr):
    """The lesson: from zero weights another η only scales every weight, so the mistakes are the same."""
    X, y = logic_table("AND")
    base = P.train(X, y, lr=1.0)
    run = P.train(X, y, lr=lr)
    assert run.mistakes_per_epoch == base.mistakes_per_epoch
    assert [s.error for s in run.steps] == [s.error for s in base.steps]
