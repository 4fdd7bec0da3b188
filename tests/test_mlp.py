"""The one-hidden-layer network (lib.mlp): forward, backprop checked by finite differences, training, claims."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import layer as L
from lib import mlp as M
from lib.data import logic_table
from lib.digits import digits_split
from lib.mlp import MLPParams


def xor_by_hand() -> MLPParams:
    """Hidden unit 1 = OR, hidden unit 2 = NAND, output = AND of the two (thresholds)."""
    return MLPParams(W1=np.array([[1.0, 1.0], [-1.0, -1.0]]), b1=np.array([-0.5, 1.5]),
                     W2=np.array([[1.0, 1.0]]), b2=np.array([-1.5]))


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
    assert tr.h.tolist() == [[0, 1], [1, 1], [1, 1], [1, 0]]   # (OR, NAND) of each row
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
@given(D=st.integers(1, 4), H=st.integers(1, 4), K=st.integers(1, 4), B=st.integers(1, 5),
       activation=st.sampled_from(["sigmoid", "tanh"]), seed=st.integers(0, 10_000))
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
    p = MLPParams(W1=np.array([[0.5, -0.4], [0.3, 0.8]]), b1=np.array([0.1, -0.2]),
                  W2=np.array([[1.2, -0.7]]), b2=np.array([0.05]))
    x = np.array([[1.0, 0.0]])
    y = np.array([1])
    h = M.sigmoid(x @ p.W1.T + p.b1)
    out = M.sigmoid(h @ p.W2.T + p.b2)
    dz2 = out - 1.0
    dz1 = (dz2 @ p.W2) * h * (1 - h)
    _, g = M.loss_and_grads(p, x, y)
    assert np.allclose(g.W2, dz2.T @ h) and np.allclose(g.W1, dz1.T @ x)
    assert np.allclose(g.b2, dz2[0]) and np.allclose(g.b1, dz1[0])


def test_sigmoid_is_stable():
    z = np.array([-1000.0, 0.0, 1000.0])
    assert np.allclose(M.sigmoid(z), [0.0, 0.5, 1.0])


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


# --- the claims of notebook 3 (same settings as its parameters cell) ------------------------------------------

SEED, XOR_LR, XOR_STEPS, N_STARTS, HIDDEN, MLP_STEPS, MLP_LR, MLP_BATCH = 0, 4.0, 1000, 10, 32, 600, 0.01, 128


def test_notebook3_backprop_claims():
    p = MLPParams(W1=np.array([[0.5, -0.4], [0.3, 0.8]]), b1=np.array([0.1, -0.2]),
                  W2=np.array([[1.2, -0.7]]), b2=np.array([0.05]))
    _, g = M.loss_and_grads(p, np.array([[1.0, 0.0]]), np.array([1]))
    assert np.all(g.W1[:, 1] == 0)            # «градиент по весам от x₂ нулевой»
    X, y = logic_table("XOR")
    assert M.gradient_check(M.init_mlp(2, 2, 1, seed=SEED), X, y) < 1e-6
    rng = np.random.default_rng(SEED)
    Xr, yr = rng.normal(size=(8, 3)), rng.integers(0, 4, size=8)
    assert M.gradient_check(M.init_mlp(3, 5, 4, seed=SEED), Xr, yr) < 1e-6


def test_notebook3_xor_claims():
    X, y = logic_table("XOR")
    p = M.init_mlp(2, 2, 1, seed=SEED)
    losses = []
    for _ in range(XOR_STEPS):
        p, value = M.train_step(p, X, y, lr=XOR_LR)
        losses.append(value)
    assert M.accuracy(p, X, y) == 1.0
    assert losses[100] > 0.6 and losses[400] < 0.05     # «сначала плато, потом быстро падает»
    h_on = (M.forward(p, X).h > 0.5).astype(int)
    assert h_on[:, 0].tolist() == [0, 0, 0, 1]          # «первый скрытый нейрон — И»
    assert h_on[:, 1].tolist() == [0, 1, 1, 1]          # «второй — ИЛИ»
    q, _ = M.train(M.init_mlp(2, 2, 1, seed=SEED), X, y, steps=XOR_STEPS, lr=XOR_LR, optimizer="sgd")
    assert all(np.allclose(a, b) for a, b in zip(p, q))  # train(optimizer="sgd") = the train_step loop
    solved = [M.accuracy(M.train(M.init_mlp(2, 2, 1, seed=s), X, y, steps=XOR_STEPS, lr=XOR_LR,
                                 optimizer="sgd")[0], X, y) == 1.0 for s in range(N_STARTS)]
    assert 0 < sum(solved) < N_STARTS                   # «спуск не всегда находит решение»
    wider = [M.accuracy(M.train(M.init_mlp(2, 4, 1, seed=s), X, y, steps=XOR_STEPS, lr=XOR_LR,
                                optimizer="sgd")[0], X, y) == 1.0 for s in range(N_STARTS)]
    assert sum(wider) > sum(solved)                     # «с запасом нейронов ловушек меньше»


@pytest.fixture(scope="module")
def digits_models():
    Xtr, Xte, ytr, yte = digits_split(seed=SEED)
    perc, _ = L.train_perceptron(Xtr, ytr, epochs=10, seed=SEED)
    soft, _ = L.train_softmax(Xtr, ytr, epochs=40, lr=1.0, batch_size=64, seed=SEED)
    net, _ = M.train(M.init_mlp(64, HIDDEN, 10, seed=SEED), Xtr, ytr, steps=MLP_STEPS, lr=MLP_LR,
                     batch_size=MLP_BATCH, seed=SEED)
    return dict(Xtr=Xtr, Xte=Xte, ytr=ytr, yte=yte, perc=perc, soft=soft, net=net)


def test_mlp_beats_the_single_layer_on_digits(digits_models):
    d = digits_models
    acc_mlp = M.accuracy(d["net"], d["Xte"], d["yte"])
    assert acc_mlp > L.accuracy(d["soft"], d["Xte"], d["yte"]) > L.accuracy(d["perc"], d["Xte"], d["yte"])


def test_notebook3_hidden_units_and_features_claims(digits_models):
    d = digits_models
    h = M.forward(d["net"], d["Xte"]).h
    mean_by_digit = np.stack([h[d["yte"] == k].mean(axis=0) for k in range(10)], axis=1)
    assert (mean_by_digit > 0.5).sum(axis=1).min() >= 2   # «ни один не отвечает за единственную цифру»
    mixed = single = 0
    for j in range(8):                                      # «бывает одна цифра, но чаще — смесь»
        top = np.argsort(-h[:, j], kind="stable")[:20]
        n = int(np.sum(np.bincount(d["yte"][top], minlength=10) >= 4))
        mixed += n >= 2
        single += n == 1
    assert single >= 1 and mixed > single
    from lib.digits import ink_profiles
    feat, _ = L.train_softmax(ink_profiles(d["Xtr"]), d["ytr"], epochs=40, lr=1.0, batch_size=64, seed=SEED)
    acc_feat = L.accuracy(feat, ink_profiles(d["Xte"]), d["yte"])
    assert acc_feat < L.accuracy(d["soft"], d["Xte"], d["yte"])   # «ручные признаки проиграли пикселям»


# --- exercises ------------------------------------------------------------------------------------------------

def test_exercise_checks_accept_solutions(capsys, digits_models):
    M.check_exercise_1(M.SOLUTIONS[1])
    M.check_exercise_2(M.SOLUTIONS[2])
    M.check_exercise_3(M.SOLUTIONS[3](digits_models["Xtr"], digits_models["ytr"]), activation="tanh")
    out = capsys.readouterr().out
    assert out.count("✔") == 3 and "✘" not in out


def test_exercise_checks_on_empty_answers(capsys):
    def empty(*args):
        ...
    M.check_exercise_1(...)
    M.check_exercise_2(...)
    M.check_exercise_2(empty)
    M.check_exercise_3(...)
    out = capsys.readouterr().out
    assert out.count("✎") == 4 and "✘" not in out and "✔" not in out


@pytest.mark.parametrize("params, hint", [
    (xor_by_hand(), "это OR"),                                                     # the OR/NAND solution
    (MLPParams(np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([-1.5, -1.5]), np.array([[1.0, 1.0]]),
               np.array([-0.5])), "Оба скрытых нейрона вычисляют AND"),
    (MLPParams(np.array([[1.0, 1.0], [-1.0, -1.0]]), np.array([-1.5, 0.5]), np.array([[1.0, 1.0]]),
               np.array([-0.5])), "Скрытые нейроны верны"),
    (MLPParams(np.eye(3, 2), np.zeros(3), np.ones((1, 3)), np.zeros(1)), "2 → 2 → 1"),
    ((1, 2, 3, 4), "Нужны MLPParams"),
])
def test_exercise_1_hints(capsys, params, hint):
    M.check_exercise_1(params)
    out = capsys.readouterr().out
    assert "✘" in out and hint in out


def _backward_variant(kind):
    def fn(p, x, y):
        h = M.sigmoid(p.W1 @ x + p.b1)
        d2 = M.sigmoid(p.W2 @ h + p.b2) - y
        d1 = (p.W2.T @ d2) * (h * (1 - h) if kind != "no_derivative" else 1.0)
        g = MLPParams(np.outer(d1, x), d1, np.outer(d2, h), d2)
        if kind == "sign":
            return MLPParams(*(-a for a in g))
        if kind == "transposed":
            return g._replace(W1=np.outer(x, d1))
        if kind == "wrong_output":
            return g._replace(W2=np.outer(d2, x[:len(h)] if len(x) >= len(h) else h * 2))
        return g
    return fn


@pytest.mark.parametrize("kind, hint", [
    ("sign", "знаки перепутаны"),
    ("no_derivative", "производная сигмоиды"),
    ("transposed", "Градиент по W1 формы (3, 4)"),
    ("wrong_output", "dz2 = out − y"),
])
def test_exercise_2_hints(capsys, kind, hint):
    M.check_exercise_2(_backward_variant(kind))
    out = capsys.readouterr().out
    assert "✘" in out and hint in out and "✔" not in out


def test_exercise_3_hints(capsys):
    M.check_exercise_3(M.init_mlp(64, 16, 10, seed=0), activation="tanh")   # untrained
    assert "нужно ≥ 95 %" in capsys.readouterr().out
    M.check_exercise_3(M.init_mlp(64, 8, 10, seed=0))
    assert "64 → 16 → 10" in capsys.readouterr().out
    M.check_exercise_3(M.init_mlp(64, 16, 10, seed=0), activation="relu")
    assert "activation" in capsys.readouterr().out
