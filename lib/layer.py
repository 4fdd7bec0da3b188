"""A layer of perceptrons (notebook 2): K neurons see the same D inputs, each answers for one class.

The layer is one matrix: row ``k`` of ``W: (K, D)`` holds the weights of neuron ``k``, ``b: (K,)`` the biases
(the weight of the constant input 1). Its weighted sums are ``z = x @ W.T + b``; the answer is the neuron with
the largest sum (it "outputs 1", the others 0).

Two ways to learn the weights: ``train_perceptron`` (Rosenblatt's rule for many classes, winner-takes-all:
on a mistake the true neuron gets ``+ lr · x``, the wrong winner ``− lr · x``) and ``train_softmax``
(stochastic gradient descent on the cross-entropy of ``lib.numerics.softmax``). Then metrics (``accuracy``,
``confusion_matrix``, ``most_confused``, ``recall_per_class``, ``compare_cells``), what the notebook's widget
shows (``digit_view``), and the notebook's fair comparison (``compare_on_digits``: the same epochs for both,
softmax's η chosen on a validation split by ``choose_softmax_lr``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from lib.checks import as_array, check_positive
from lib.digits import IMAGE_SHAPE, digits_split, stratified_split
from lib.numerics import cross_entropy, one_hot, softmax

# fmt: off
__all__ = [
    "DigitView", "LayerParams", "RuleComparison", "accuracy", "check_labels", "choose_softmax_lr", "compare_cells",
    "compare_on_digits", "confusion_matrix", "digit_view", "init_layer", "mistake_indices", "most_confused",
    "perceptron_step", "predict", "recall_per_class", "softmax_loss_and_grads", "train_perceptron", "train_softmax",
    "weighted_sums", "winner_outputs",
]
# fmt: on


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
        raise ValueError(
            f"{name}: ожидался одномерный массив целых меток классов, получен массив формы {arr.shape} типа {arr.dtype}"
        )
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


def train_perceptron(
    X, y, *, n_classes: int = 10, epochs: int = 10, lr: float = 1.0, seed: int = 0, until_no_mistakes: bool = False
):
    """Train a layer with the perceptron rule: ``epochs`` passes over ``X: (N, D)``, ``y: (N,)`` in a seeded
    random order, starting from zero weights.

    Returns ``(params, mistakes)``, where ``mistakes: (epochs,)`` counts the corrected errors in each pass
    (it reaches 0 only if the classes can be separated by the layer). With ``until_no_mistakes`` the training
    stops after the first pass without a mistake (step 4 of Rosenblatt's algorithm), and ``mistakes`` ends there.
    """
    X = as_array("X", X, ndim=2)
    y = check_labels("y", y, n=len(X), n_classes=n_classes)
    check_positive("epochs", epochs, integer=True)
    check_positive("lr", lr)
    rng = np.random.default_rng(seed)
    W = np.zeros((n_classes, X.shape[1]))
    b = np.zeros(n_classes)
    mistakes = np.zeros(epochs, dtype=np.int64)
    rows, labels = list(X), y.tolist()  # plain Python lists: the loop below is the hot path
    for epoch in range(epochs):
        count = 0
        for i in rng.permutation(len(X)).tolist():  # the same rule as perceptron_step, in place for speed
            x, t = rows[i], labels[i]
            k = (W @ x + b).argmax()
            if k != t:
                W[t] += lr * x
                b[t] += lr
                W[k] -= lr * x
                b[k] -= lr
                count += 1
        mistakes[epoch] = count
        if until_no_mistakes and count == 0:
            return LayerParams(W, b), mistakes[: epoch + 1]
    return LayerParams(W, b), mistakes


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
    dz = (P - one_hot(y, p.W.shape[0])) / len(y)  # dL/dz: (B, K)
    return cross_entropy(P, y), LayerParams(W=dz.T @ X, b=dz.sum(axis=0))


def train_softmax(
    X, y, *, n_classes: int = 10, epochs: int = 40, lr: float = 1.0, batch_size: int = 64, seed: int = 0, scale=0.01
):
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


def _check_square(C) -> np.ndarray:
    C = np.asarray(C)
    if C.ndim != 2 or C.shape[0] != C.shape[1]:
        raise ValueError(f"C: ожидалась квадратная матрица ошибок (K, K), получена форма {C.shape}")
    return C


def most_confused(C, k: int = 5) -> list[tuple[int, int, int]]:
    """The ``k`` largest off-diagonal cells of a confusion matrix as ``(true, predicted, count)``, largest
    first (ties: smaller true class first); zero cells are left out."""
    C = _check_square(C)
    check_positive("k", k, integer=True)
    pairs = [(int(C[i, j]), i, j) for i in range(len(C)) for j in range(len(C)) if i != j and C[i, j] > 0]
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    return [(i, j, n) for n, i, j in pairs[:k]]


def recall_per_class(C) -> np.ndarray:
    """Share of each class's examples answered correctly: ``C[i, i] / Σ_j C[i, j]`` (row ``i`` of the
    confusion matrix ``C: (K, K)``) → ``(K,)``; a class with no examples gets NaN."""
    C = _check_square(C).astype(np.float64)
    rows = C.sum(axis=1)
    return np.divide(np.diag(C), rows, out=np.full(len(C), np.nan), where=rows > 0)


def compare_cells(C_a, C_b) -> tuple[int, int, int]:
    """Off-diagonal cells of two confusion matrices where at least one of them has an error, counted as
    ``(fewer, more, equal)``: in how many ``C_b`` has fewer errors than ``C_a``, more, the same number."""
    C_a, C_b = np.asarray(C_a), np.asarray(C_b)
    if C_a.shape != C_b.shape or C_a.ndim != 2:
        raise ValueError(f"C_b: ожидалась матрица той же формы, что C_a {C_a.shape}, получена {C_b.shape}")
    off = ~np.eye(len(C_a), dtype=bool) & ((C_a > 0) | (C_b > 0))
    a, b = C_a[off], C_b[off]
    return int(np.sum(b < a)), int(np.sum(b > a)), int(np.sum(b == a))


# --- one test image as the widget of notebook 2 shows it --------------------------------------------------


class DigitView(NamedTuple):
    """What the widget shows for one test image: its ``index`` in the test set, ``image: (8, 8)``,
    ``sums: (K,)``, the ``winner`` (the layer's answer), the ``true`` class, and how many images the slider
    currently runs over (``n_choices``: all of them, or only the mistakes)."""

    index: int
    image: np.ndarray
    sums: np.ndarray
    winner: int
    true: int
    n_choices: int

    @property
    def correct(self) -> bool:
        return self.winner == self.true


def mistake_indices(p: LayerParams, X, y) -> np.ndarray:
    """Indices of the images ``X: (N, 64)`` the layer answers wrongly (``y: (N,)`` the true classes)."""
    pred = predict(p, X)
    y = check_labels("y", y, n=len(pred))
    return np.flatnonzero(pred != y)


def digit_view(p: LayerParams, X, y, position: int, *, only_mistakes: bool = False) -> DigitView:
    """The ``position``-th test image (or the ``position``-th mistake when ``only_mistakes``) and its sums."""
    X = as_array("X", X, ndim=2)
    choices = mistake_indices(p, X, y) if only_mistakes else np.arange(len(X))
    if len(choices) == 0:
        raise ValueError("only_mistakes: ошибок нет, показывать нечего")
    if not isinstance(position, (int, np.integer)) or not 0 <= position < len(choices):
        raise ValueError(f"position: ожидался номер от 0 до {len(choices) - 1}, получено {position!r}")
    i = int(choices[position])
    sums = weighted_sums(p, X[i])
    return DigitView(
        index=i,
        image=X[i].reshape(IMAGE_SHAPE),
        sums=sums,
        winner=int(np.argmax(sums)),
        true=int(y[i]),
        n_choices=len(choices),
    )


# --- the notebook's fair comparison: same epochs for both rules, softmax's η chosen on validation -------------


def choose_softmax_lr(
    X_train, y_train, *, lrs=(0.3, 1.0, 3.0), epochs: int = 20, batch_size: int = 64, val_fraction=0.2, seed: int = 0
) -> tuple[float, dict]:
    """Pick the softmax layer's learning rate on a validation split of the TRAINING data only.

    ``val_fraction`` of ``X_train: (N, D)`` (stratified, ``seed``) is set aside; for every ``lr`` in ``lrs`` the
    layer is trained on the rest for ``epochs`` and scored on the set-aside part. Returns the best ``lr``
    (ties: the smaller one) and ``{lr: validation accuracy}``. The test data never take part.
    """
    X_fit, X_val, y_fit, y_val = stratified_split(X_train, y_train, test_fraction=val_fraction, seed=seed)
    scores = {}
    for lr in lrs:
        p, _ = train_softmax(X_fit, y_fit, epochs=epochs, lr=lr, batch_size=batch_size, seed=seed)
        scores[float(lr)] = accuracy(p, X_val, y_val)
    best = max(scores, key=lambda lr: (scores[lr], -lr))
    return best, scores


class RuleComparison(NamedTuple):
    """One split of the digits (``seed``), both rules trained on its training part for the same ``epochs``:
    the perceptron rule (``p_perc``, ``mistakes`` per epoch) and the softmax layer at its validated ``lr``
    (``p_soft``, ``losses``, ``val_scores`` of every tried ``lr``); ``acc_perc``/``acc_soft`` on the test part."""

    seed: int
    p_perc: LayerParams
    mistakes: np.ndarray
    acc_perc: float
    p_soft: LayerParams
    losses: np.ndarray
    lr: float
    val_scores: dict
    acc_soft: float


@lru_cache(maxsize=32)
def compare_on_digits(
    seed: int = 0, *, epochs: int = 20, lrs=(0.3, 1.0, 3.0), batch_size: int = 64, val_fraction=0.2, test_fraction=0.25
) -> RuleComparison:
    """The perceptron rule against the softmax layer on the digits split ``digits_split(seed=seed)``.

    Same budget: ``epochs`` passes over the same training images for both. The perceptron rule starts from
    zero weights and has no setting to choose (from zero weights η only scales W and b, the answers stay the
    same); the softmax layer's ``lr`` is chosen by ``choose_softmax_lr`` on a validation part of the training
    images. Both are then scored once on the test part, which neither saw. Cached: the same arguments give the
    same (shared) result, so a check and the experiment after it train only once — do not modify it.
    """
    X_train, X_test, y_train, y_test = digits_split(test_fraction=test_fraction, seed=seed)
    p_perc, mistakes = train_perceptron(X_train, y_train, epochs=epochs, seed=seed)
    lr, scores = choose_softmax_lr(
        X_train, y_train, lrs=lrs, epochs=epochs, batch_size=batch_size, val_fraction=val_fraction, seed=seed
    )
    p_soft, losses = train_softmax(X_train, y_train, epochs=epochs, lr=lr, batch_size=batch_size, seed=seed)
    acc_perc, acc_soft = accuracy(p_perc, X_test, y_test), accuracy(p_soft, X_test, y_test)
    return RuleComparison(seed, p_perc, mistakes, acc_perc, p_soft, losses, lr, scores, acc_soft)
