"""The one-hidden-layer network (lib.mlp): forward, backprop checked by finite differences, training, and the
XOR helpers (truth tables and their names, the fitted output neuron, many random starts).

The claims of notebook 3 are in test_claims_mlp.py, its exercise checks in test_exercises_mlp.py."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import mlp as M
from lib.data import logic_table
from lib.mlp import MLPParams
from lib.numerics import sigmoid


def xor_by_hand() -> MLPParams:
    """Hidden unit 1 = OR, hidden unit 2 = NAND, output = AND of the two (thresholds)."""
    return MLPParams(
        W1=np.array([[1.0, 1.0], [-1.0, -1.0]]),
        b1=np.array([-0.5, 1.5]),
        W2=np.array([[1.0, 1.0]]),
        b2=np.array([-1.5]),
    )


def test_shapes_with_and_without_batch():
    p = M.init_mlp(5, 4, 3, seed=0)
    assert [a.shape for a in p] == [(4, 5), (4,), (3, 4), (3,)]
    tr = M.forward(p, np.zeros((7, 5)))
    assert tr.z1.shape == tr.h.shape == (7, 4) and tr.z2.shape == tr.out.shape == (7, 3)
    assert np.allclose(tr.out.sum(axis=1), 1.0)
    one = M.forward(p, np.ones(5))
    assert one.h.shape == (4,) and one.out.shape == (3,)
    assert M.predict(p, np.ones(5)).shape == ()


def test_init_is_seeded():
    a, b, c = M.init_mlp(3, 4, 2, seed=1), M.init_mlp(3, 4, 2, seed=1), M.init_mlp(3, 4, 2, seed=2)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not np.array_equal(a.W1, c.W1)


def test_xor_by_hand_with_step_units():
    X, y = logic_table("XOR")
    tr = M.forward(xor_by_hand(), X, activation="step")
    assert tr.h.tolist() == [[0, 1], [1, 1], [1, 1], [1, 0]]  # (OR, NAND) of each row
    assert M.predict(xor_by_hand(), X, activation="step").tolist() == y.tolist()


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize("sizes", [(2, 3, 1), (5, 4, 3), (3, 6, 2)])
def test_backward_matches_finite_differences(activation, sizes):
    D, H, K = sizes
    rng = np.random.default_rng(sum(sizes))
    X = rng.normal(size=(6, D))
    y = rng.integers(0, max(K, 2), size=6)
    p = M.init_mlp(D, H, K, seed=3, scale=1.5)
    p = p._replace(b1=rng.normal(size=H), b2=rng.normal(size=K))
    assert M.gradient_check(p, X, y, activation=activation) < 1e-7


@settings(max_examples=15, deadline=None, derandomize=True)
@given(
    D=st.integers(1, 4),
    H=st.integers(1, 4),
    K=st.integers(1, 4),
    B=st.integers(1, 5),
    activation=st.sampled_from(["sigmoid", "tanh"]),
    seed=st.integers(0, 10_000),
)
def test_backward_matches_finite_differences_any_size(D, H, K, B, activation, seed):
    rng = np.random.default_rng(seed)
    p = M.init_mlp(D, H, K, seed=seed)._replace(b1=rng.normal(size=H), b2=rng.normal(size=K))
    X = rng.normal(size=(B, D))
    y = rng.integers(0, max(K, 2), size=B)
    assert M.gradient_check(p, X, y, activation=activation) < 1e-6


def test_gradient_check_catches_a_wrong_backward(monkeypatch):
    X, y = logic_table("XOR")
    p = M.init_mlp(2, 3, 1, seed=0)
    monkeypatch.setattr(M, "_activation_grad", lambda h, a: np.ones_like(h))  # forgot act'(z1)
    assert M.gradient_check(p, X, y) > 1e-2


def test_backward_one_example_by_hand():
    """The computation notebook 3 shows in a cell, on one example."""
    p = MLPParams(
        W1=np.array([[0.5, -0.4], [0.3, 0.8]]),
        b1=np.array([0.1, -0.2]),
        W2=np.array([[1.2, -0.7]]),
        b2=np.array([0.05]),
    )
    x = np.array([[1.0, 0.0]])
    y = np.array([1])
    h = sigmoid(x @ p.W1.T + p.b1)
    out = sigmoid(h @ p.W2.T + p.b2)
    dz2 = out - 1.0
    dz1 = (dz2 @ p.W2) * h * (1 - h)
    _, g = M.loss_and_grads(p, x, y)
    assert np.allclose(g.W2, dz2.T @ h) and np.allclose(g.W1, dz1.T @ x)
    assert np.allclose(g.b2, dz2[0]) and np.allclose(g.b1, dz1[0])


def test_loss_is_stable_for_confident_wrong_answers():
    p = MLPParams(W1=np.eye(2), b1=np.zeros(2), W2=np.array([[1000.0, 0.0]]), b2=np.zeros(1))
    value = M.loss(p, np.array([[1.0, 0.0]]), np.array([0]), activation="tanh")
    assert np.isfinite(value) and value > 100


def test_train_sgd_and_adam_learn_xor():
    X, y = logic_table("XOR")
    p0 = M.init_mlp(2, 2, 1, seed=0)
    p, losses = M.train(p0, X, y, steps=300, lr=0.1)
    assert losses[-1] < 0.05 and M.accuracy(p, X, y) == 1.0
    q = p0
    for _ in range(2000):
        q, value = M.train_step(q, X, y, lr=2.0)
    assert value < 0.05 and M.predict(q, X).tolist() == y.tolist()


def test_train_minibatches_are_seeded():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = (X[:, 0] > 0).astype(int)
    p0 = M.init_mlp(3, 4, 2, seed=0)
    a, la = M.train(p0, X, y, steps=20, lr=0.05, batch_size=8, seed=4)
    b, lb = M.train(p0, X, y, steps=20, lr=0.05, batch_size=8, seed=4)
    assert np.array_equal(la, lb) and np.array_equal(a.W1, b.W1)


def test_bad_inputs_are_named():
    p = M.init_mlp(2, 3, 1)
    with pytest.raises(ValueError, match=r"x: ожидалась форма \(B, 2\) или \(2,\), получена \(4, 3\)"):
        M.forward(p, np.zeros((4, 3)))
    with pytest.raises(ValueError, match="activation: ожидалось одно из"):
        M.forward(p, np.zeros(2), activation="relu")
    with pytest.raises(ValueError, match="ступеньки"):
        M.loss_and_grads(p, np.zeros((4, 2)), np.zeros(4, dtype=int), activation="step")
    with pytest.raises(ValueError, match=r"y: ожидался массив целых меток формы \(4,\)"):
        M.loss_and_grads(p, np.zeros((4, 2)), np.zeros(3, dtype=int))
    with pytest.raises(ValueError, match="y: ожидались метки от 0 до 1, встретилась 2"):
        M.loss_and_grads(p, np.zeros((2, 2)), np.array([0, 2]))
    with pytest.raises(ValueError, match=r"p.W2: ожидалась форма \(K, 3\)"):
        M.forward(p._replace(W2=np.zeros((1, 4))), np.zeros(2))
    with pytest.raises(TypeError, match="p: ожидались MLPParams"):
        M.forward(tuple(p), np.zeros(2))
    with pytest.raises(ValueError, match="NaN"):
        M.forward(p, np.array([np.nan, 0.0]))
    with pytest.raises(ValueError, match="optimizer"):
        M.train(p, np.zeros((2, 2)), np.array([0, 1]), optimizer="rmsprop")


def test_logic_names_cover_all_sixteen_functions():
    tables = [tuple(int(b) for b in f"{k:04b}") for k in range(16)]
    names = {M.logic_name(t) for t in tables}
    assert len(names) == 16
    assert M.logic_name((0, 0, 0, 1)) == "И (AND)" and M.logic_name(np.array([0, 1, 1, 1])) == "ИЛИ (OR)"
    assert M.logic_name((1, 1, 1, 0)) == "НЕ-И (NAND)" and M.logic_name((0, 1, 1, 0)) == "XOR"
    with pytest.raises(ValueError, match="table: ожидались четыре ответа"):
        M.logic_name((0, 1, 2, 0))


def test_truth_tables_of_the_hand_solution():
    assert M.truth_tables(xor_by_hand(), activation="step").tolist() == [[0, 1, 1, 1], [1, 1, 1, 0]]
    sig = xor_by_hand()._replace(W1=6 * xor_by_hand().W1, b1=6 * xor_by_hand().b1)
    assert M.truth_tables(sig).tolist() == [[0, 1, 1, 1], [1, 1, 1, 0]]
    assert M.truth_tables(sig, activation="tanh").tolist() == [[0, 1, 1, 1], [1, 1, 1, 0]]


def test_fit_output_neuron_separates_separable_points():
    H = np.array([[0.0, 1.0], [1.0, 1.0], [1.0, 1.0], [1.0, 0.0]])
    y = np.array([0, 1, 1, 0])
    w, b = M.fit_output_neuron(H, y)
    assert ((H @ w + b > 0).astype(int) == y).all()
    assert np.all(np.isfinite(w)) and np.abs(w).max() < 100
    with pytest.raises(ValueError, match=r"y: ожидалась форма \(4,\)"):
        M.fit_output_neuron(H, y[:3])


def test_xor_hidden_view():
    good = M.xor_hidden_view(6.0, 6.0, -3.0, -6.0, -6.0, 9.0)  # OR and NAND, sigmoid units
    assert good.n_correct == 4 and good.H.shape == (4, 2)
    assert M.predict(good.params, logic_table("XOR")[0]).tolist() == [0, 1, 1, 0]
    same = M.xor_hidden_view(6.0, 6.0, -3.0, 6.0, 6.0, -3.0)  # OR twice: the points on one line
    assert same.n_correct < 4


def test_xor_restarts_are_the_sgd_training_and_cached():
    X, y = logic_table("XOR")
    runs = M.xor_restarts(2, (0, 1), steps=300, lr=4.0)
    assert [r.seed for r in runs] == [0, 1]
    p, _ = M.train(M.init_mlp(2, 2, 1, seed=1), X, y, steps=300, lr=4.0, optimizer="sgd")
    assert runs[1].loss == pytest.approx(M.loss(p, X, y))
    assert runs[1].n_correct == int(np.sum(M.predict(p, X) == y))
    assert M.xor_restarts(2, (0, 1), steps=300, lr=4.0) is runs


def test_mlp_steps_match_the_softmax_layers_batches():
    from lib.compare import mlp_steps

    assert mlp_steps(1347, 40, 64) == 40 * 22  # the last, short batch of a pass counts
    assert mlp_steps(128, 3, 64) == 6
    with pytest.raises(ValueError, match="batch_size"):
        mlp_steps(10, 1, 0)


def test_choose_mlp_lr_sees_only_the_training_data():
    from lib.compare import choose_mlp_lr
    from lib.digits import digits_split

    Xtr, _, ytr, _ = digits_split(seed=0)
    best, scores = choose_mlp_lr(Xtr, ytr, hidden_units=8, lrs=(0.003, 0.03), epochs=2, seed=0)
    assert set(scores) == {0.003, 0.03} and best == max(scores, key=lambda lr: (scores[lr], -lr))
    again, _ = choose_mlp_lr(Xtr, ytr, hidden_units=8, lrs=(0.03, 0.003), epochs=2, seed=0)
    assert again == best  # the order of the grid does not matter


def test_compare_layers_picks_each_rate_on_the_training_part_and_is_cached():
    from lib import compare, layer
    from lib.digits import digits_split

    kw = {"hidden_units": 8, "epochs": 2, "layer_lrs": (1.0, 3.0), "mlp_lrs": (0.01, 0.03)}
    r = compare.compare_layers(1, **kw)
    assert compare.compare_layers(1, **kw) is r
    Xtr, Xte, ytr, yte = digits_split(seed=1)
    assert (r.layer_lr, r.layer_scores) == layer.choose_softmax_lr(Xtr, ytr, lrs=(1.0, 3.0), epochs=2, seed=1)
    assert (r.mlp_lr, r.mlp_scores) == compare.choose_mlp_lr(
        Xtr, ytr, hidden_units=8, lrs=(0.01, 0.03), epochs=2, seed=1
    )
    assert r.acc_mlp == M.accuracy(r.p_mlp, Xte, yte) and r.acc_layer == layer.accuracy(r.p_layer, Xte, yte)
