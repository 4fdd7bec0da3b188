"""Checks of notebook 2 (lib.exercises.layer): «Верно» for a right answer, «Пока не решено» for a stub, the
specific hint for each typical wrong answer."""

import numpy as np
import pytest

from lib import layer as L
from lib.digits import digits_split
from lib.exercises import layer as ex


def stub(*args): ...


def raises_not_implemented(*args):
    raise NotImplementedError


def verdict(check, *args, **kwargs):
    v = check(*args, quiet=True, **kwargs)
    return v.status, v.line


# --- right answers ----------------------------------------------------------------------------------------


def sums_ok(W, b, X):
    return X @ W.T + b


def answer_ok(W, b, X):
    return np.argmax(X @ W.T + b, axis=1)


def step_ok(W, b, x, y, lr):
    W, b = W.copy(), b.copy()
    k = int(np.argmax(W @ x + b))
    if k != y:
        W[y] += lr * x
        b[y] += lr
        W[k] -= lr * x
        b[k] -= lr
    return W, b


def step_ok_no_copy_when_right(W, b, x, y, lr):
    k = int(np.argmax(W @ x + b))
    if k == y:
        return W, b  # nothing changes: returning the same arrays is fine
    return step_ok(W, b, x, y, lr)


def softmax_ok(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def ce_ok(P, y):
    return -np.mean(np.log(P[np.arange(len(y)), y]))


def grad_ok(W, b, X, y):
    P = softmax_ok(X @ W.T + b)
    G = (P - np.eye(len(W))[y]) / len(X)
    return G.T @ X, G.sum(axis=0)


@pytest.mark.parametrize(
    "check, answer",
    [
        (ex.layer_sums, sums_ok),
        (ex.layer_answer, answer_ok),
        (ex.perceptron_step, step_ok),
        (ex.perceptron_step, step_ok_no_copy_when_right),
        (ex.softmax, softmax_ok),
        (ex.cross_entropy, ce_ok),
        (ex.softmax_gradient, grad_ok),
    ],
)
def test_right_answers_are_correct(check, answer, capsys):
    assert check(answer)
    out = capsys.readouterr().out
    assert out.startswith("Верно") and out.count("\n") == 1


@pytest.mark.parametrize(
    "check", [ex.layer_sums, ex.layer_answer, ex.perceptron_step, ex.softmax, ex.cross_entropy, ex.softmax_gradient]
)
@pytest.mark.parametrize("answer", [None, ..., stub, raises_not_implemented])
def test_stubs_are_not_yet_solved(check, answer):
    status, line = verdict(check, answer)
    assert status == "unsolved" and line.startswith("Пока не решено")


def test_a_crash_is_reported_in_words():
    status, line = verdict(ex.layer_sums, lambda W, b, X: 1 / 0)
    assert status == "wrong" and "ZeroDivisionError" in line


# --- typical mistakes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, hint",
    [
        (lambda W, b, X: X @ W + b, "поверните W"),  # transposed W (3 × 3 case: no crash)
        (lambda W, b, X: W @ X.T + b[:, None], "строки — нейроны"),
        (lambda W, b, X: X @ W.T, "смещение"),
        (lambda W, b, X: (X @ W.T + b).sum(axis=1), "таблица (B, K)"),
    ],
)
def test_layer_sums_hints(answer, hint):
    status, line = verdict(ex.layer_sums, answer)
    assert status == "wrong" and hint in line, line


@pytest.mark.parametrize(
    "answer, hint",
    [
        (lambda W, b, X: X @ W.T + b, "таблицу сумм"),
        (lambda W, b, X: np.argmin(X @ W.T + b, axis=1), "наименьшая"),
        (lambda W, b, X: np.argmax(X @ W.T, axis=1), "смещение"),
        (lambda W, b, X: np.argmax(X @ W.T + b, axis=0), "не по той оси"),
    ],
)
def test_layer_answer_hints(answer, hint):
    status, line = verdict(ex.layer_answer, answer)
    assert status == "wrong" and hint in line, line


def _rule(update_true=True, update_winner=True, bias=True, sign=1, always=False, scale=True, in_place=False):
    def step(W, b, x, y, lr):
        if not in_place:
            W, b = W.copy(), b.copy()
        k = int(np.argmax(W @ x + b))
        eta = lr if scale else 1.0
        if k == y and always:  # "reward" a correct answer too
            W[y] += eta * x
        if k != y:
            if update_true:
                W[y] += sign * eta * x
                b[y] += sign * eta * bias
            if update_winner:
                W[k] -= sign * eta * x
                b[k] -= sign * eta * bias
        return W, b

    return step


@pytest.mark.parametrize(
    "rule, hint",
    [
        (_rule(bias=False), "смещения — нет"),
        (_rule(update_winner=False), "оттолкнуть"),
        (_rule(update_true=False), "подтянуть"),
        (_rule(sign=-1), "знаки перепутаны"),
        (_rule(always=True), "ничего не меняют"),
        (_rule(scale=False), "скорость обучения"),
        (_rule(in_place=True), "на месте"),
        (lambda W, b, x, y, lr: W, "пару"),
    ],
)
def test_perceptron_step_hints(rule, hint):
    status, line = verdict(ex.perceptron_step, rule)
    assert status == "wrong" and hint in line, line


def softmax_no_shift(Z):
    with np.errstate(over="ignore", invalid="ignore"):
        E = np.exp(Z)
        return E / E.sum(axis=1, keepdims=True)


def softmax_global_max(Z):
    with np.errstate(invalid="ignore"):
        E = np.exp(Z - Z.max())
        return E / E.sum(axis=1, keepdims=True)


@pytest.mark.parametrize(
    "answer, hint",
    [
        (softmax_no_shift, "переполняется"),
        (softmax_global_max, "общий максимум"),
        (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=0, keepdims=True), "не по той оси"),
        (lambda Z: np.exp(Z) / np.exp(Z).sum(), "все числа матрицы"),
        (lambda Z: softmax_ok(Z - Z.max(axis=0)), "максимум столбца"),
        (lambda Z: softmax_ok(Z)[0], "ожидалась форма"),
    ],
)
def test_softmax_hints(answer, hint):
    status, line = verdict(ex.softmax, answer)
    assert status == "wrong" and hint in line, line


@pytest.mark.parametrize(
    "answer, hint",
    [
        (lambda P, y: -np.sum(np.log(P[np.arange(len(y)), y])), "размер пакета"),
        (lambda P, y: np.mean(np.log(P[np.arange(len(y)), y])), "знак"),
        (lambda P, y: -np.mean(np.log(P[:, y])), "двумя массивами"),
        (lambda P, y: -np.mean(np.log(P)), "только вероятность верного класса"),
        (lambda P, y: -np.mean(np.log10(P[np.arange(len(y)), y])), "натуральный"),
        (lambda P, y: -np.log(P[np.arange(len(y)), y]), "по числу на пример"),
    ],
)
def test_cross_entropy_hints(answer, hint):
    status, line = verdict(ex.cross_entropy, answer)
    assert status == "wrong" and hint in line, line


def _grad(transpose=False, no_mean=False, sign=1, no_target=False, db_axis=0, db_keep=False):
    def grad(W, b, X, y):
        P = softmax_ok(X @ W.T + b)
        G = P if no_target else P - np.eye(len(W))[y]
        G = sign * (G if no_mean else G / len(X))
        dW = X.T @ G if transpose else G.T @ X
        db = G if db_keep else G.sum(axis=db_axis)
        return dW, db

    return grad


@pytest.mark.parametrize(
    "answer, hint",
    [
        (_grad(transpose=True), "dW транспонирована"),
        (_grad(no_mean=True), "забыли поделить на размер пакета"),
        (_grad(sign=-1), "знак перепутан"),
        (_grad(no_target=True), "не вычтено T"),
        (_grad(db_keep=True), "сложите поправки по примерам"),
        (_grad(db_axis=1), "не по той оси"),
        (lambda W, b, X, y: W, "пару"),
    ],
)
def test_softmax_gradient_hints(answer, hint):
    status, line = verdict(ex.softmax_gradient, answer)
    assert status == "wrong" and hint in line, line


def test_softmax_gradient_names_each_wrong_part():
    _, line = verdict(ex.softmax_gradient, _grad(no_mean=True))
    assert line.count("размер пакета") == 2  # both dW and db forgot the division


# --- predictions --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def split():
    return digits_split(seed=0)


def test_zero_mistakes_prediction(split):
    Xtr, _, ytr, _ = split
    kw = {"epochs": 3, "seed": 0}
    assert verdict(ex.zero_mistakes, "нет", Xtr, ytr, **kw)[0] == "correct"
    assert verdict(ex.zero_mistakes, False, Xtr, ytr, **kw)[0] == "correct"
    status, line = verdict(ex.zero_mistakes, "да", Xtr, ytr, **kw)
    assert status == "wrong" and "эпох" in line and "теорема" in line
    assert verdict(ex.zero_mistakes, None, Xtr, ytr, **kw)[0] == "unsolved"
    assert "«да» или «нет»" in verdict(ex.zero_mistakes, "может быть", Xtr, ytr, **kw)[1]
    X = np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 5.0], [6.0, 5.0]])  # separable: reaches 0 at once
    assert verdict(ex.zero_mistakes, "да", X, np.array([0, 0, 1, 1]), epochs=20, seed=0)[0] == "correct"


def test_lr_matters_prediction(split):
    Xtr, Xte, ytr, yte = split
    kw = {"epochs": 2, "seed": 0}
    assert verdict(ex.lr_matters, "нет", Xtr, ytr, Xte, yte, **kw)[0] == "correct"
    status, line = verdict(ex.lr_matters, "да", Xtr, ytr, Xte, yte, **kw)
    assert status == "wrong" and "нулевых весов" in line


def test_softmax_wins_prediction():
    kw = {"epochs": 2, "lrs": (1.0, 3.0)}
    runs = [L.compare_on_digits(s, **kw) for s in (0, 1)]
    diff = np.mean([r.acc_soft - r.acc_perc for r in runs])
    right = "софтмакс" if diff > 0 else "персептрон" if diff < 0 else "поровну"
    assert verdict(ex.softmax_wins, right, (0, 1), **kw)[0] == "correct"
    if right == "софтмакс":
        assert verdict(ex.softmax_wins, "softmax", (0, 1), **kw)[0] == "correct"
    wrong_one = "поровну" if right != "поровну" else "персептрон"
    status, line = verdict(ex.softmax_wins, wrong_one, (0, 1), **kw)
    assert status == "wrong" and "не сбылся" in line
    assert "выберите один из ответов" in verdict(ex.softmax_wins, "оба", (0, 1), **kw)[1]


def test_worst_digit_prediction(split):
    Xtr, Xte, ytr, yte = split
    p, _ = L.train_perceptron(Xtr, ytr, epochs=3, seed=0)
    recall = L.recall_per_class(L.confusion_matrix(yte, L.predict(p, Xte)))
    worst = int(np.argmin(recall))
    status, line = verdict(ex.worst_digit, worst, p, Xte, yte)
    assert status == "correct" and f"цифру {worst}" in line
    best = int(np.argmax(recall))
    status, line = verdict(ex.worst_digit, best, p, Xte, yte)
    assert status == "wrong" and "хуже" in line and f"цифру {worst} " not in line  # the answer stays hidden
    assert "целое число от 0 до 9" in verdict(ex.worst_digit, "8", p, Xte, yte)[1]
    assert verdict(ex.worst_digit, None, p, Xte, yte)[0] == "unsolved"


def test_no_reference_answers_in_lib():
    import lib.exercises.layer as module

    assert not hasattr(module, "SOLUTIONS") and not hasattr(L, "SOLUTIONS")
