"""A layer of perceptrons (notebook 2): K neurons see the same D inputs, each answers for one class.

The layer is one matrix: row ``k`` of ``W: (K, D)`` holds the weights of neuron ``k``, ``b: (K,)`` the biases
(the weight of the constant input 1). Its weighted sums are ``z = x @ W.T + b``; the answer is the neuron with
the largest sum (it "outputs 1", the others 0).

Two ways to learn the weights, compared in the notebook:

* ``train_perceptron``: Rosenblatt's rule for many classes. For a misclassified example the true class's
  neuron gets ``+ lr · x`` and the wrongly winning neuron ``− lr · x``; correct answers change nothing.
* ``train_softmax``: the sums become probabilities (softmax), and (stochastic) gradient descent lowers the
  cross-entropy.

Then: ``accuracy``, ``confusion_matrix``, ``most_confused``.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from lib.checks import as_array, check_positive

__all__ = ["LayerParams", "init_layer", "weighted_sums", "predict", "winner_outputs", "perceptron_step",
           "train_perceptron", "softmax", "cross_entropy", "softmax_loss_and_grads", "train_softmax",
           "accuracy", "confusion_matrix", "most_confused", "check_labels",
           "check_exercise_1", "check_exercise_2", "check_exercise_3", "SOLUTIONS"]


class LayerParams(NamedTuple):
    """Weights of a layer of ``K`` neurons on ``D`` inputs: ``W: (K, D)`` (row k = neuron k), ``b: (K,)``."""

    W: np.ndarray
    b: np.ndarray


def _check_params(p) -> LayerParams:
    if not isinstance(p, LayerParams):
        raise TypeError(f"p: ожидались LayerParams(W, b), получено {type(p).__name__}")
    W = as_array("p.W", p.W, ndim=2)
    b = as_array("p.b", p.b, ndim=1)
    if b.shape != (W.shape[0],):
        raise ValueError(f"p.b: ожидалась форма ({W.shape[0]},) (по смещению на нейрон), получена {b.shape}")
    return LayerParams(W, b)


def _check_inputs(name: str, x, D: int) -> np.ndarray:
    x = as_array(name, x, ndim=(1, 2))
    if x.shape[-1] != D:
        want = f"(B, {D}) или ({D},)"
        raise ValueError(f"{name}: ожидалась форма {want}, получена {x.shape}")
    return x


def check_labels(name: str, y, n: int | None = None, n_classes: int | None = None) -> np.ndarray:
    """Check that ``y`` is a 1-D array of integer labels ``0 … n_classes − 1`` (and ``n`` of them)."""
    arr = np.asarray(y)
    if arr.dtype.kind not in "iu" or arr.ndim != 1:
        raise ValueError(f"{name}: ожидался одномерный массив целых меток классов, получен массив "
                         f"формы {arr.shape} типа {arr.dtype}")
    if n is not None and len(arr) != n:
        raise ValueError(f"{name}: ожидалось {n} меток (по одной на пример), получено {len(arr)}")
    if n_classes is not None and len(arr) and (arr.min() < 0 or arr.max() >= n_classes):
        bad = arr[(arr < 0) | (arr >= n_classes)][0]
        raise ValueError(f"{name}: ожидались метки от 0 до {n_classes - 1}, встретилась {bad}")
    return arr.astype(np.int64)


def init_layer(input_size: int, output_size: int, *, seed: int = 0, scale: float = 0.0) -> LayerParams:
    """A layer of ``output_size`` neurons on ``input_size`` inputs.

    ``scale = 0`` (default) starts from zero weights, as Rosenblatt's rule is usually run; otherwise the
    weights are normal with that standard deviation (seeded). Biases start at 0.
    """
    check_positive("input_size", input_size, integer=True)
    check_positive("output_size", output_size, integer=True)
    check_positive("scale", scale, allow_zero=True)
    rng = np.random.default_rng(seed)
    W = scale * rng.standard_normal((output_size, input_size)) if scale else np.zeros((output_size, input_size))
    return LayerParams(W=W, b=np.zeros(output_size))


def weighted_sums(p: LayerParams, x) -> np.ndarray:
    """The K weighted sums ``z = x @ W.T + b``: ``x: (B, D)`` → ``(B, K)``, or ``(D,)`` → ``(K,)``."""
    p = _check_params(p)
    x = _check_inputs("x", x, p.W.shape[1])
    return x @ p.W.T + p.b


def predict(p: LayerParams, x) -> np.ndarray:
    """The layer's answer: the index of the largest weighted sum. ``x: (B, D)`` → ``(B,)`` ints, ``(D,)`` → int."""
    z = weighted_sums(p, x)
    return np.argmax(z, axis=-1)


def winner_outputs(z) -> np.ndarray:
    """What the K neurons output: 1 for the largest sum, 0 for the rest. ``z: ([B,] K)`` → same shape, ints."""
    z = as_array("z", z, ndim=(1, 2))
    out = np.zeros(z.shape, dtype=np.int64)
    np.put_along_axis(out, np.argmax(z, axis=-1)[..., None], 1, axis=-1)
    return out


def perceptron_step(p: LayerParams, x, y: int, lr: float = 1.0) -> tuple[LayerParams, bool]:
    """One step of the perceptron rule for many classes, on one example ``x: (D,)`` with true class ``y``.

    If the winner ``k`` is ``y``, nothing changes. Otherwise the true neuron moves towards the example
    (``W[y] += lr·x``, ``b[y] += lr``) and the wrong winner away from it (``W[k] −= lr·x``, ``b[k] −= lr``).
    Returns the new parameters (the old ones are not modified) and whether it was a mistake.
    """
    p = _check_params(p)
    x = _check_inputs("x", x, p.W.shape[1])
    if x.ndim != 1:
        raise ValueError(f"x: правило персептрона берёт один пример формы ({p.W.shape[1]},), получена {x.shape}")
    K = p.W.shape[0]
    if not isinstance(y, (int, np.integer)) or isinstance(y, bool) or not 0 <= y < K:
        raise ValueError(f"y: ожидался номер класса от 0 до {K - 1}, получено {y!r}")
    check_positive("lr", lr)
    k = int(np.argmax(x @ p.W.T + p.b))
    if k == y:
        return p, False
    W, b = p.W.copy(), p.b.copy()
    W[y] += lr * x
    b[y] += lr
    W[k] -= lr * x
    b[k] -= lr
    return LayerParams(W, b), True


def train_perceptron(X, y, *, n_classes: int = 10, epochs: int = 10, lr: float = 1.0, seed: int = 0):
    """Train a layer with the perceptron rule: ``epochs`` passes over ``X: (N, D)``, ``y: (N,)`` in a seeded
    random order, starting from zero weights.

    Returns ``(params, mistakes)``, where ``mistakes: (epochs,)`` counts the corrected errors in each pass
    (it reaches 0 only if the classes can be separated by the layer).
    """
    X = as_array("X", X, ndim=2)
    y = check_labels("y", y, n=len(X), n_classes=n_classes)
    check_positive("epochs", epochs, integer=True)
    check_positive("lr", lr)
    rng = np.random.default_rng(seed)
    W = np.zeros((n_classes, X.shape[1]))
    b = np.zeros(n_classes)
    mistakes = np.zeros(epochs, dtype=np.int64)
    for epoch in range(epochs):
        for i in rng.permutation(len(X)):  # the same rule as perceptron_step, in place for speed
            x, t = X[i], y[i]
            k = int(np.argmax(W @ x + b))
            if k != t:
                W[t] += lr * x
                b[t] += lr
                W[k] -= lr * x
                b[k] -= lr
                mistakes[epoch] += 1
    return LayerParams(W, b), mistakes


def softmax(z) -> np.ndarray:
    """Probabilities from sums along the last axis: ``exp(z_k) / Σ_j exp(z_j)`` (shifted by the max, so no
    overflow). ``z: ([B,] K)`` → same shape, each row sums to 1."""
    z = as_array("z", z, ndim=(1, 2))
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def cross_entropy(probs, y) -> float:
    """Mean of ``−log probs[i, y_i]`` over the batch: ``probs: (B, K)``, ``y: (B,)``."""
    probs = as_array("probs", probs, ndim=2)
    y = check_labels("y", y, n=len(probs), n_classes=probs.shape[1])
    return float(-np.mean(np.log(np.clip(probs[np.arange(len(y)), y], 1e-300, None))))


def softmax_loss_and_grads(p: LayerParams, X, y) -> tuple[float, LayerParams]:
    """Cross-entropy of the softmax layer on ``X: (B, D)``, ``y: (B,)`` and its gradient.

    With ``P = softmax(X @ W.T + b): (B, K)`` and ``T`` the one-hot targets, ``dL/dz = (P − T) / B``, so
    ``dW = (P − T).T @ X / B: (K, D)`` and ``db = Σ_batch (P − T) / B: (K,)``.
    """
    p = _check_params(p)
    X = _check_inputs("X", X, p.W.shape[1])
    if X.ndim != 2:
        raise ValueError(f"X: ожидалась форма (B, {p.W.shape[1]}), получена {X.shape}")
    y = check_labels("y", y, n=len(X), n_classes=p.W.shape[0])
    P = softmax(X @ p.W.T + p.b)
    loss = cross_entropy(P, y)
    dz = P.copy()
    dz[np.arange(len(y)), y] -= 1.0
    dz /= len(y)
    return loss, LayerParams(W=dz.T @ X, b=dz.sum(axis=0))


def train_softmax(X, y, *, n_classes: int = 10, epochs: int = 40, lr: float = 1.0, batch_size: int = 64,
                  seed: int = 0, scale: float = 0.01):
    """Stochastic gradient descent on the softmax layer's cross-entropy, from small random weights.

    Each epoch shuffles ``X: (N, D)`` (seeded) and cuts it into ``N // batch_size`` batches; each batch gives
    one step ``θ ← θ − lr · dL/dθ`` with the gradient averaged over the batch (``softmax_loss_and_grads``).
    Returns ``(params, losses)``; ``losses: (epochs + 1,)`` is the loss on the whole ``X`` before training and
    after each epoch.
    """
    X = as_array("X", X, ndim=2)
    y = check_labels("y", y, n=len(X), n_classes=n_classes)
    check_positive("epochs", epochs, integer=True)
    check_positive("lr", lr)
    check_positive("batch_size", batch_size, integer=True)
    rng = np.random.default_rng(seed)
    p = init_layer(X.shape[1], n_classes, seed=seed, scale=scale)
    n_batches = max(len(X) // batch_size, 1)
    losses = np.zeros(epochs + 1)
    losses[0], _ = softmax_loss_and_grads(p, X, y)
    for epoch in range(1, epochs + 1):
        for idx in np.array_split(rng.permutation(len(X)), n_batches):
            _, g = softmax_loss_and_grads(p, X[idx], y[idx])
            p = LayerParams(p.W - lr * g.W, p.b - lr * g.b)
        losses[epoch], _ = softmax_loss_and_grads(p, X, y)
    return p, losses


def accuracy(p: LayerParams, X, y) -> float:
    """Share of examples ``X: (N, D)`` whose predicted class equals ``y: (N,)``."""
    pred = predict(p, X)
    y = check_labels("y", y, n=len(pred))
    return float(np.mean(pred == y))


def confusion_matrix(y_true, y_pred, n_classes: int = 10) -> np.ndarray:
    """Counts ``C: (K, K)``: ``C[i, j]`` = how many examples of class ``i`` were answered as ``j``
    (the diagonal holds the correct answers)."""
    y_true = check_labels("y_true", y_true, n_classes=n_classes)
    y_pred = check_labels("y_pred", y_pred, n=len(y_true), n_classes=n_classes)
    C = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(C, (y_true, y_pred), 1)
    return C


def most_confused(C, k: int = 5) -> list[tuple[int, int, int]]:
    """The ``k`` largest off-diagonal cells of a confusion matrix as ``(true, predicted, count)``, largest
    first (ties: smaller true class first); zero cells are left out."""
    C = np.asarray(C)
    if C.ndim != 2 or C.shape[0] != C.shape[1]:
        raise ValueError(f"C: ожидалась квадратная матрица ошибок (K, K), получена форма {C.shape}")
    check_positive("k", k, integer=True)
    pairs = [(int(C[i, j]), i, j) for i in range(len(C)) for j in range(len(C)) if i != j and C[i, j] > 0]
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    return [(i, j, n) for n, i, j in pairs[:k]]


# --- exercises of notebook 2 --------------------------------------------------------------------------------
# Each check prints a verdict (✔ / ✘) and, if wrong, a specific hint in Russian; it returns None.

def _missing(*answers) -> bool:
    if any(a is Ellipsis for a in answers):
        print("✎ Ответ ещё не вписан: замените `...` своим ответом и запустите ячейку снова.")
        return True
    return False


def _call(fn, *args):
    """Run the student's function; a crash becomes a printed message (returns ``(ok, result)``)."""
    try:
        return True, fn(*args)
    except Exception as exc:  # the student's code may raise anything: report it, do not crash the check
        print(f"✘ Функция упала с ошибкой {type(exc).__name__}: {exc}")
        return False, None


def _exercise_cases(seed: int = 7):
    rng = np.random.default_rng(seed)
    W = np.round(rng.normal(size=(4, 3)), 1)
    b = np.round(rng.normal(size=4), 1)
    X = np.round(rng.random((6, 3)), 1)
    return W, b, X


def check_exercise_1(layer_answer) -> None:
    """Exercise 1: ``layer_answer(W, b, X)`` returns the layer's answers ``(B,)`` for a batch ``X: (B, D)``."""
    if _missing(layer_answer):
        return
    W, b, X = _exercise_cases()
    want = predict(LayerParams(W, b), X)
    ok, got = _call(layer_answer, W, b, X)
    if not ok:
        print("Подсказка: суммы всех нейронов сразу — X @ W.T + b, форма (B, K).")
        return
    if got is None:
        print("✎ Функция пока ничего не возвращает: допишите её тело вместо `...` и верните ответы.")
        return
    got = np.asarray(got)
    if got.shape == (len(X), len(W)):
        print("✘ Функция вернула таблицу сумм (B, K), а нужен номер нейрона-победителя для каждой строки.")
        print("Подсказка: np.argmax(…, axis=1) — номер наибольшей суммы в строке.")
        return
    if got.shape != want.shape:
        print(f"✘ Ответ формы {got.shape}, а нужна ({len(X)},): по одному номеру нейрона на пример.")
        return
    if np.array_equal(got, want):
        print(f"✔ Верно: ответы совпали с lib.layer.predict на всех {len(X)} примерах.")
        return
    sums = X @ W.T + b
    if np.array_equal(got, np.argmin(sums, axis=1)):
        print("✘ Вы выбрали наименьшую сумму, а побеждает наибольшая.")
    elif np.array_equal(got, np.argmax(X @ W.T, axis=1)):
        print("✘ Похоже, забыто смещение b: сумма каждого нейрона — w·x + b.")
    else:
        print(f"✘ Неверно на {int(np.sum(got != want))} из {len(X)} примеров.")
        print("Подсказка: строка k матрицы W — веса нейрона k; суммы X @ W.T + b, ответ — их argmax.")


def _reference_step(W, b, x, y, lr):
    p, _ = perceptron_step(LayerParams(np.asarray(W, float), np.asarray(b, float)), x, y, lr)
    return p.W, p.b


def check_exercise_2(my_step) -> None:
    """Exercise 2: ``my_step(W, b, x, y, lr) -> (W_new, b_new)``, the perceptron rule for many classes."""
    if _missing(my_step):
        return
    W, b, X = _exercise_cases(11)
    lr = 0.5
    winners = predict(LayerParams(W, b), X)
    cases = [(X[0], int(winners[0]))]                                   # a correct answer first
    cases += [(x, int((k + 1 + j) % len(W))) for j, (x, k) in enumerate(zip(X[1:], winners[1:]))]
    for x, y in cases:
        ok, got = _call(my_step, W.copy(), b.copy(), x.copy(), y, lr)
        if not ok:
            return
        if got is None:
            print("✎ Функция пока ничего не возвращает: допишите её тело вместо `...` и верните (W, b).")
            return
        if not (isinstance(got, tuple) and len(got) == 2):
            print(f"✘ Функция должна возвращать пару (W_new, b_new), а вернула {type(got).__name__}.")
            return
        W_got, b_got = (np.asarray(a, dtype=float) for a in got)
        W_want, b_want = _reference_step(W, b, x, y, lr)
        if W_got.shape != W.shape or b_got.shape != b.shape:
            print(f"✘ Формы изменились: W {W_got.shape}, b {b_got.shape}; нужны {W.shape} и {b.shape}.")
            return
        if np.allclose(W_got, W_want) and np.allclose(b_got, b_want):
            continue
        k = int(np.argmax(W @ x + b))
        changed = [r for r in range(len(W)) if not np.allclose(W_got[r], W[r])]
        if np.allclose(W_got, W_want):
            print(f"✘ Пример с правильным классом {y}, победил нейрон {k}: веса W изменены верно, а смещения "
                  f"b — нет.")
        else:
            print(f"✘ Пример с правильным классом {y}, победил нейрон {k}: ожидались изменения в строках W "
                  f"{[] if k == y else sorted({k, y})}, а изменились {changed}.")
        if k == y:
            print("Подсказка: слой ответил верно — по правилу персептрона ничего менять не нужно.")
        elif np.allclose(W_got, W_want):
            print("Подсказка: смещения тоже учатся — у верного нейрона b[y] += lr, у победителя b[k] −= lr.")
        elif changed == [y]:
            print("Подсказка: верный нейрон вы подтянули, а ошибочного победителя нужно оттолкнуть: "
                  "W[k] −= lr·x.")
        elif changed == [k]:
            print("Подсказка: победителя вы оттолкнули, а верный нейрон тоже нужно подтянуть: W[y] += lr·x.")
        elif len(changed) > 2:
            print("Подсказка: меняются только две строки — верного класса и ошибочного победителя.")
        elif np.allclose(W_got[y], W[y] - lr * x):
            print("Подсказка: знаки перепутаны — верный нейрон должен приблизиться к примеру (+lr·x).")
        else:
            print("Подсказка: W[y] += lr·x, b[y] += lr; W[k] −= lr·x, b[k] −= lr, где k — победитель.")
        return
    print(f"✔ Верно: ваше правило совпало с lib.layer.perceptron_step на всех {len(cases)} проверочных примерах.")


def check_exercise_3(answer, C) -> None:
    """Exercise 3: which class has the smallest share of correct answers in the confusion matrix ``C``."""
    if _missing(answer):
        return
    C = np.asarray(C)
    recall = np.diag(C) / C.sum(axis=1)
    want = int(np.argmin(recall))
    if not isinstance(answer, (int, np.integer)) or isinstance(answer, bool):
        print(f"✘ Нужен номер класса (целое число от 0 до {len(C) - 1}), а получено {answer!r}.")
        return
    if answer == want:
        print(f"✔ Верно: цифру {want} слой узнаёт хуже всех — {C[want, want]} из {C[want].sum()} "
              f"({recall[want]:.0%}).")
        return
    errors = C.sum(axis=1) - np.diag(C)
    if answer == int(np.argmax(errors)):
        print("✘ У этой цифры больше всего ошибок, но считать нужно долю: ошибок у разных цифр из разного "
              "числа картинок.")
    elif answer == int(np.argmax(C.sum(axis=0) - np.diag(C))):
        print("✘ Эту цифру слой чаще всего называет ошибочно (столбец), а спрашивают про строку: какую "
              "цифру он хуже всего узнаёт.")
    else:
        print(f"✘ Цифру {answer} слой узнаёт в {recall[answer]:.0%} случаев — есть цифра хуже.")
    print("Подсказка: доля верных для цифры i — C[i, i] / C[i].sum(); нужна строка с наименьшей долей.")


SOLUTIONS = {   # reference answers: exercise number → what its check takes
    1: lambda W, b, X: np.argmax(X @ W.T + b, axis=1),
    2: _reference_step,
    3: lambda C: int(np.argmin(np.diag(C) / np.asarray(C).sum(axis=1))),
}
