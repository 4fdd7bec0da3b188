"""A layer of perceptrons (lib.layer): sums, the multi-class perceptron rule, softmax training, metrics."""

import numpy as np
import pytest

from lib import layer as L
from lib.digits import digits_split
from lib.layer import LayerParams
from lib.numerics import cross_entropy, numeric_gradient, relative_error, softmax


def small_layer():
    W = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]])
    return LayerParams(W=W, b=np.array([0.0, 0.5, 0.0]))


def test_weighted_sums_and_predict_with_and_without_batch():
    p = small_layer()
    x = np.array([2.0, 1.0])
    assert np.allclose(L.weighted_sums(p, x), [2.0, 1.5, -3.0])
    assert L.predict(p, x) == 0
    X = np.array([[2.0, 1.0], [0.0, 1.0], [-1.0, -1.0]])
    assert L.weighted_sums(p, X).shape == (3, 3)
    assert L.predict(p, X).tolist() == [0, 1, 2]


def test_winner_outputs_one_hot():
    out = L.winner_outputs(np.array([[0.1, 3.0, -1.0], [5.0, 0.0, 4.9]]))
    assert out.tolist() == [[0, 1, 0], [1, 0, 0]]
    assert L.winner_outputs(np.array([1.0, 2.0])).tolist() == [0, 1]


def test_perceptron_step_rule():
    p = small_layer()
    x = np.array([2.0, 1.0])  # winner is 0
    same, mistake = L.perceptron_step(p, x, 0)
    assert not mistake and np.array_equal(same.W, p.W) and np.array_equal(same.b, p.b)
    new, mistake = L.perceptron_step(p, x, 2, lr=0.5)
    assert mistake
    assert np.allclose(new.W[2], p.W[2] + 0.5 * x) and new.b[2] == 0.5
    assert np.allclose(new.W[0], p.W[0] - 0.5 * x) and new.b[0] == -0.5
    assert np.allclose(new.W[1], p.W[1]) and new.b[1] == p.b[1]
    assert np.allclose(p.W, small_layer().W)  # the old parameters are untouched


def test_train_perceptron_matches_step_by_step():
    rng = np.random.default_rng(0)
    X = rng.random((30, 4))
    y = rng.integers(0, 3, size=30)
    p, mistakes = L.train_perceptron(X, y, n_classes=3, epochs=2, seed=5)
    q = L.init_layer(4, 3)
    count = 0
    order_rng = np.random.default_rng(5)
    for _ in range(2):
        for i in order_rng.permutation(30):
            q, m = L.perceptron_step(q, X[i], int(y[i]))
            count += m
    assert np.allclose(p.W, q.W) and np.allclose(p.b, q.b)
    assert mistakes.sum() == count


def test_perceptron_separable_problem_reaches_zero_mistakes():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [5.0, 5.0], [6.0, 5.0], [-5.0, 4.0], [-6.0, 5.0]])
    y = np.array([0, 0, 0, 1, 1, 2, 2])
    p, mistakes = L.train_perceptron(X, y, n_classes=3, epochs=50)
    assert mistakes[-1] == 0
    assert L.accuracy(p, X, y) == 1.0


def test_softmax_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(6, 4))
    y = np.array([0, 1, 2, 2, 1, 0])
    p = L.init_layer(4, 3, seed=2, scale=0.5)
    loss, g = L.softmax_loss_and_grads(p, X, y)
    assert loss == pytest.approx(cross_entropy(softmax(X @ p.W.T + p.b), y))
    W, b = p.W.copy(), p.b.copy()
    num_W = numeric_gradient(lambda: L.softmax_loss_and_grads(LayerParams(W, b), X, y)[0], W)
    num_b = numeric_gradient(lambda: L.softmax_loss_and_grads(LayerParams(W, b), X, y)[0], b)
    assert relative_error(g.W, num_W) < 1e-7 and relative_error(g.b, num_b) < 1e-7


def test_layer_uses_the_one_numerics_core():
    import lib.layer

    with open(lib.layer.__file__, encoding="utf-8") as fh:
        src = fh.read()
    assert "def softmax(" not in src and "def cross_entropy(" not in src and "def one_hot(" not in src
    assert not hasattr(L, "SOLUTIONS") and not any(n.startswith("check_exercise") for n in dir(L))
    assert len(src.splitlines()) <= 400


def test_softmax_training_loss_falls_on_a_simple_problem():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [5.0, 5.0], [6.0, 5.0], [-5.0, 4.0], [-6.0, 5.0]])
    y = np.array([0, 0, 0, 1, 1, 2, 2])
    p, losses = L.train_softmax(X, y, n_classes=3, epochs=50, lr=0.5, batch_size=7, seed=0)
    assert losses.shape == (51,) and losses[-1] < 0.3 * losses[0] and L.accuracy(p, X, y) == 1.0


def test_confusion_matrix_and_most_confused():
    y_true = np.array([0, 0, 1, 1, 1, 2, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 2, 2, 2, 0, 1, 2])
    C = L.confusion_matrix(y_true, y_pred, n_classes=3)
    assert C.tolist() == [[1, 1, 0], [0, 1, 2], [1, 1, 2]]
    assert C.sum() == 9 and np.trace(C) == 4
    assert L.most_confused(C, k=3) == [(1, 2, 2), (0, 1, 1), (2, 0, 1)]
    assert L.most_confused(np.eye(3, dtype=int)) == []


def test_until_no_mistakes_stops_at_the_first_clean_epoch():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [5.0, 5.0], [6.0, 5.0], [-5.0, 4.0], [-6.0, 5.0]])
    y = np.array([0, 0, 0, 1, 1, 2, 2])
    _, full = L.train_perceptron(X, y, n_classes=3, epochs=50)
    p, short = L.train_perceptron(X, y, n_classes=3, epochs=50, until_no_mistakes=True)
    first_zero = int(np.flatnonzero(full == 0)[0])
    assert short.tolist() == full[: first_zero + 1].tolist() and L.accuracy(p, X, y) == 1.0


def test_recall_per_class_and_compare_cells():
    C = np.array([[5, 1, 0], [3, 3, 0], [0, 1, 9]])
    assert np.allclose(L.recall_per_class(C), [5 / 6, 0.5, 0.9])
    assert np.isnan(L.recall_per_class(np.zeros((2, 2)))).all()
    D = np.array([[5, 0, 1], [3, 3, 0], [0, 2, 8]])  # cells (0,1) fewer, (0,2) more, (1,0) same, (2,1) more
    assert L.compare_cells(C, D) == (1, 2, 1)
    with pytest.raises(ValueError, match="C_b: ожидалась матрица той же формы"):
        L.compare_cells(C, np.eye(2))


def test_choose_softmax_lr_sees_only_the_training_data():
    Xtr, _, ytr, _ = digits_split(seed=0)
    best, scores = L.choose_softmax_lr(Xtr, ytr, lrs=(0.3, 3.0), epochs=3, seed=0)
    assert set(scores) == {0.3, 3.0} and best == max(scores, key=lambda lr: (scores[lr], -lr))
    # the same choice whatever the test part holds: it is never passed in
    again, _ = L.choose_softmax_lr(Xtr, ytr, lrs=(3.0, 0.3), epochs=3, seed=0)
    assert again == best


def test_compare_on_digits_is_the_two_trainings_it_describes():
    r = L.compare_on_digits(0, epochs=3, lrs=(1.0, 3.0))
    Xtr, Xte, ytr, yte = digits_split(seed=0)
    p, m = L.train_perceptron(Xtr, ytr, epochs=3, seed=0)
    assert np.array_equal(r.p_perc.W, p.W) and r.mistakes.tolist() == m.tolist()
    assert r.acc_perc == L.accuracy(p, Xte, yte) and r.lr in (1.0, 3.0)
    q, _ = L.train_softmax(Xtr, ytr, epochs=3, lr=r.lr, seed=0)
    assert np.array_equal(r.p_soft.W, q.W) and r.acc_soft == L.accuracy(q, Xte, yte)
    assert L.compare_on_digits(0, epochs=3, lrs=(1.0, 3.0)) is r  # cached


# --- bad input ----------------------------------------------------------------------------------------------


def test_bad_inputs_are_named():
    p = small_layer()
    with pytest.raises(ValueError, match=r"x: ожидалась форма \(B, 2\) или \(2,\), получена \(3,\)"):
        L.weighted_sums(p, np.zeros(3))
    with pytest.raises(TypeError, match="p: ожидались LayerParams"):
        L.weighted_sums((p.W, p.b), np.zeros(2))
    with pytest.raises(ValueError, match="p.b: ожидалась форма"):
        L.weighted_sums(LayerParams(p.W, np.zeros(2)), np.zeros(2))
    with pytest.raises(ValueError, match="NaN"):
        L.predict(p, np.array([np.nan, 1.0]))
    with pytest.raises(ValueError, match="y: ожидался номер класса от 0 до 2"):
        L.perceptron_step(p, np.zeros(2), 3)
    with pytest.raises(ValueError, match="x: правило персептрона берёт один пример"):
        L.perceptron_step(p, np.zeros((2, 2)), 0)
    with pytest.raises(ValueError, match="y: ожидались метки от 0 до 9, встретилась 12"):
        L.train_perceptron(np.zeros((2, 3)), np.array([0, 12]))
    with pytest.raises(ValueError, match="y: ожидалось 2 меток"):
        L.train_softmax(np.zeros((2, 3)), np.array([0, 1, 1]))
    with pytest.raises(ValueError, match="lr"):
        L.train_perceptron(np.zeros((2, 3)), np.array([0, 1]), lr=0)
    with pytest.raises(TypeError, match="epochs"):
        L.train_perceptron(np.zeros((2, 3)), np.array([0, 1]), epochs=2.5)
    with pytest.raises(ValueError, match="C: ожидалась квадратная"):
        L.most_confused(np.zeros((2, 3)))
