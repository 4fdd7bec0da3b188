"""A layer of perceptrons (lib.layer): sums, the multi-class perceptron rule, softmax training, metrics."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lib import layer as L
from lib.digits import digits_split
from lib.layer import LayerParams


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
    x = np.array([2.0, 1.0])               # winner is 0
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


@settings(max_examples=30, deadline=None, derandomize=True)
@given(arrays(np.float64, (3, 5), elements=st.floats(-30, 30)))
def test_softmax_rows_are_probabilities(z):
    P = L.softmax(z)
    assert np.all(P >= 0) and np.allclose(P.sum(axis=1), 1.0)
    rows = np.arange(len(z))
    assert np.allclose(P[rows, np.argmax(z, axis=1)], P.max(axis=1))  # the largest sum keeps the largest share


def test_softmax_does_not_overflow():
    assert np.allclose(L.softmax(np.array([1000.0, 1000.0])), [0.5, 0.5])


def test_softmax_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(6, 4))
    y = np.array([0, 1, 2, 2, 1, 0])
    p = L.init_layer(4, 3, seed=2, scale=0.5)
    _, g = L.softmax_loss_and_grads(p, X, y)
    eps = 1e-6
    for name in ("W", "b"):
        arr = getattr(p, name)
        num = np.zeros_like(arr)
        for idx in np.ndindex(arr.shape):
            up, down = arr.copy(), arr.copy()
            up[idx] += eps
            down[idx] -= eps
            lu, _ = L.softmax_loss_and_grads(p._replace(**{name: up}), X, y)
            ld, _ = L.softmax_loss_and_grads(p._replace(**{name: down}), X, y)
            num[idx] = (lu - ld) / (2 * eps)
        assert np.allclose(getattr(g, name), num, atol=1e-8)


def test_confusion_matrix_and_most_confused():
    y_true = np.array([0, 0, 1, 1, 1, 2, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 2, 2, 2, 0, 1, 2])
    C = L.confusion_matrix(y_true, y_pred, n_classes=3)
    assert C.tolist() == [[1, 1, 0], [0, 1, 2], [1, 1, 2]]
    assert C.sum() == 9 and np.trace(C) == 4
    assert L.most_confused(C, k=3) == [(1, 2, 2), (0, 1, 1), (2, 0, 1)]
    assert L.most_confused(np.eye(3, dtype=int)) == []


# --- the claims of notebook 2 (same split, same settings as its parameters cell) ----------------------------

@pytest.fixture(scope="module")
def trained():
    Xtr, Xte, ytr, yte = digits_split(test_fraction=0.25, seed=0)
    perc, mistakes = L.train_perceptron(Xtr, ytr, epochs=10, lr=1.0, seed=0)
    soft, losses = L.train_softmax(Xtr, ytr, epochs=40, lr=1.0, batch_size=64, seed=0)
    return dict(Xtr=Xtr, Xte=Xte, yte=yte, perc=perc, mistakes=mistakes, soft=soft, losses=losses)


def test_notebook2_claims(trained):
    Xte, yte = trained["Xte"], trained["yte"]
    acc_p = L.accuracy(trained["perc"], Xte, yte)
    acc_s = L.accuracy(trained["soft"], Xte, yte)
    mistakes = trained["mistakes"]
    assert 0.2 < mistakes[0] / len(trained["Xtr"]) < 0.25    # «почти на каждой четвёртой картинке»
    assert mistakes[-1] > 0 and np.any(np.diff(mistakes) > 0)  # «до нуля не доходят, число скачет»
    assert acc_p > 0.9                                        # «больше 90 % на тесте»
    assert acc_s > acc_p                                      # «softmax угадывает на тесте чаще»
    assert np.all(np.diff(trained["losses"]) < 0)             # «потеря падает с каждой эпохой»
    C_p = L.confusion_matrix(yte, L.predict(trained["perc"], Xte))
    C_s = L.confusion_matrix(yte, L.predict(trained["soft"], Xte))
    for C in (C_p, C_s):                                      # «чаще всего путают восьмёрку и единицу»
        both_ways = C + C.T
        np.fill_diagonal(both_ways, 0)
        assert set(np.unravel_index(np.argmax(both_ways), both_ways.shape)) == {1, 8}
    off = ~np.eye(10, dtype=bool)
    assert np.sum(C_s[off] <= C_p[off]) >= 0.9 * off.sum()    # «softmax ошибается реже почти во всех клетках»
    for p in (trained["perc"], trained["soft"]):              # «ноль: кольцо с синим центром»
        w0 = p.W[0].reshape(8, 8)
        assert np.all(w0[3:5, 3:5] < 0) and w0[[1, 6], 2:6].mean() > 0 and w0[2:6, [1, 6]].mean() > 0


# --- exercises ------------------------------------------------------------------------------------------------

def test_exercise_checks_accept_solutions(capsys):
    L.check_exercise_1(L.SOLUTIONS[1])
    L.check_exercise_2(L.SOLUTIONS[2])
    C = np.array([[5, 1, 0], [3, 3, 0], [0, 1, 9]])
    L.check_exercise_3(L.SOLUTIONS[3](C), C)
    out = capsys.readouterr().out
    assert out.count("✔") == 3 and "✘" not in out


def test_exercise_checks_on_empty_answers(capsys):
    def empty(*args):
        ...
    L.check_exercise_1(...)
    L.check_exercise_1(empty)
    L.check_exercise_2(empty)
    L.check_exercise_3(..., np.eye(3, dtype=int))
    out = capsys.readouterr().out
    assert out.count("✎") == 4 and "✘" not in out and "✔" not in out


@pytest.mark.parametrize("answer, hint", [
    (lambda W, b, X: X @ W.T + b, "таблицу сумм"),
    (lambda W, b, X: np.argmin(X @ W.T + b, axis=1), "наименьшую"),
    (lambda W, b, X: np.argmax(X @ W.T, axis=1), "смещение"),
    (lambda W, b, X: 1 / 0, "ZeroDivisionError"),
])
def test_exercise_1_hints(capsys, answer, hint):
    L.check_exercise_1(answer)
    out = capsys.readouterr().out
    assert "✘" in out and hint in out


def _rule(update_true=True, update_winner=True, bias=True, sign=1, always=False):
    def step(W, b, x, y, lr):
        W, b = W.copy(), b.copy()
        k = int(np.argmax(W @ x + b))
        if k == y and always:           # "reward" a correct answer too
            W[y] += lr * x
        if k != y:
            if update_true:
                W[y] += sign * lr * x
                b[y] += sign * lr * bias
            if update_winner:
                W[k] -= sign * lr * x
                b[k] -= sign * lr * bias
        return W, b
    return step


@pytest.mark.parametrize("rule, hint", [
    (_rule(bias=False), "смещения b — нет"),
    (_rule(update_winner=False), "оттолкнуть"),
    (_rule(update_true=False), "подтянуть"),
    (_rule(sign=-1), "знаки перепутаны"),
    (_rule(always=True), "ничего менять не нужно"),
    (lambda W, b, x, y, lr: W, "пару"),
])
def test_exercise_2_hints(capsys, rule, hint):
    L.check_exercise_2(rule)
    out = capsys.readouterr().out
    assert "✘" in out and hint in out and "✔" not in out


def test_exercise_3_hints(capsys):
    C = np.array([[5, 1, 0], [3, 3, 0], [0, 1, 9]])
    L.check_exercise_3(0, C)
    assert "столбец" in capsys.readouterr().out
    C2 = np.array([[90, 10, 0], [1, 3, 0], [0, 0, 9]])   # most errors (10) in row 0, worst share in row 1
    L.check_exercise_3(0, C2)
    assert "долю" in capsys.readouterr().out
    L.check_exercise_3("1", C)
    assert "Нужен номер класса" in capsys.readouterr().out


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
