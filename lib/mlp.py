"""A network with one hidden layer (notebook 3): forward pass, backpropagation, a gradient check, training.

Shapes (batch axis ``B`` first; a single example without it also works in ``forward``/``predict``):

    x: (B, D) ──W1: (H, D), b1: (H,)──► z1 = x @ W1.T + b1: (B, H) ──act──► h: (B, H)
      ──W2: (K, H), b2: (K,)──► z2 = h @ W2.T + b2: (B, K) ──► out: (B, K)

The hidden activation ``act`` is ``"sigmoid"`` (default: the smooth version of the threshold of notebook 1),
``"tanh"``, or ``"step"`` (the threshold itself: forward only, it has no useful derivative). The output layer
depends on ``K``: with one output neuron ``out = sigmoid(z2)`` is the probability of class 1 (the loss is the
binary cross-entropy, labels 0/1); with ``K > 1`` outputs ``out = softmax(z2)`` (cross-entropy, labels 0…K−1).
Both losses have the same gradient at the output, ``dL/dz2 = (out − T) / B`` with ``T`` the targets, which is
where ``backward`` starts.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from lib.checks import as_array, check_choice, check_positive
from lib.optim import Adam

__all__ = ["MLPParams", "MLPTrace", "ACTIVATIONS", "sigmoid", "activate", "init_mlp", "forward", "predict",
           "loss", "backward", "loss_and_grads", "numerical_grads", "gradient_check", "train_step", "train",
           "accuracy", "check_exercise_1", "check_exercise_2", "check_exercise_3", "SOLUTIONS"]

ACTIVATIONS = ("sigmoid", "tanh", "step")


class MLPParams(NamedTuple):
    """Weights of a one-hidden-layer network: ``W1: (H, D)``, ``b1: (H,)``, ``W2: (K, H)``, ``b2: (K,)``."""

    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray


class MLPTrace(NamedTuple):
    """Everything the forward pass computed (backward needs it): ``x: ([B,] D)``, ``z1, h: ([B,] H)``,
    ``z2, out: ([B,] K)``, and the hidden activation's name."""

    x: np.ndarray
    z1: np.ndarray
    h: np.ndarray
    z2: np.ndarray
    out: np.ndarray
    activation: str


def sigmoid(z) -> np.ndarray:
    """``1 / (1 + e^(−z))`` elementwise, without overflow for large ``|z|``."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def activate(z, activation: str) -> np.ndarray:
    """The hidden activation applied elementwise: ``"sigmoid"``, ``"tanh"`` or ``"step"`` (1 if z ≥ 0 else 0,
    the perceptron's threshold of notebook 1)."""
    check_choice("activation", activation, ACTIVATIONS)
    z = np.asarray(z, dtype=np.float64)
    if activation == "sigmoid":
        return sigmoid(z)
    if activation == "tanh":
        return np.tanh(z)
    return (z >= 0).astype(np.float64)


def _activation_grad(h: np.ndarray, activation: str) -> np.ndarray:
    """d act / d z, written through the output ``h``: sigmoid → h(1 − h), tanh → 1 − h²."""
    if activation == "sigmoid":
        return h * (1.0 - h)
    if activation == "tanh":
        return 1.0 - h * h
    raise ValueError("activation: у ступеньки (\"step\") нет полезной производной, обратный проход с ней "
                     "невозможен; для обучения выберите \"sigmoid\" или \"tanh\"")


def _check_params(p) -> MLPParams:
    if not isinstance(p, MLPParams):
        raise TypeError(f"p: ожидались MLPParams(W1, b1, W2, b2), получено {type(p).__name__}")
    W1 = as_array("p.W1", p.W1, ndim=2)
    H, D = W1.shape
    b1 = as_array("p.b1", p.b1, ndim=1)
    W2 = as_array("p.W2", p.W2, ndim=2)
    b2 = as_array("p.b2", p.b2, ndim=1)
    if b1.shape != (H,):
        raise ValueError(f"p.b1: ожидалась форма ({H},), получена {b1.shape}")
    if W2.shape[1] != H:
        raise ValueError(f"p.W2: ожидалась форма (K, {H}) (по весу на каждый из {H} скрытых нейронов), "
                         f"получена {W2.shape}")
    if b2.shape != (W2.shape[0],):
        raise ValueError(f"p.b2: ожидалась форма ({W2.shape[0]},), получена {b2.shape}")
    return MLPParams(W1, b1, W2, b2)


def _check_x(name: str, x, D: int, *, batched: bool = False) -> np.ndarray:
    x = as_array(name, x, ndim=2 if batched else (1, 2))
    if x.shape[-1] != D:
        want = f"(B, {D})" if batched else f"(B, {D}) или ({D},)"
        raise ValueError(f"{name}: ожидалась форма {want}, получена {x.shape}")
    return x


def _check_y(y, B: int, K: int) -> np.ndarray:
    arr = np.asarray(y)
    if arr.dtype.kind not in "iu" or arr.shape != (B,):
        raise ValueError(f"y: ожидался массив целых меток формы ({B},), получен массив формы {arr.shape} "
                         f"типа {arr.dtype}")
    n_classes = 2 if K == 1 else K
    bad = arr[(arr < 0) | (arr >= n_classes)]
    if bad.size:
        raise ValueError(f"y: ожидались метки от 0 до {n_classes - 1}, встретилась {bad[0]}")
    return arr.astype(np.int64)


def init_mlp(input_size: int, hidden_size: int, output_size: int, *, seed: int = 0,
             scale: float = 1.0) -> MLPParams:
    """Random weights (seeded): each ``W`` normal with std ``scale / √fan_in`` (so sums start of order 1),
    biases 0. ``output_size = 1`` gives a binary classifier (sigmoid output), ``> 1`` a softmax one."""
    for name, v in (("input_size", input_size), ("hidden_size", hidden_size), ("output_size", output_size)):
        check_positive(name, v, integer=True)
    check_positive("scale", scale)
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((hidden_size, input_size)) * scale / np.sqrt(input_size)
    W2 = rng.standard_normal((output_size, hidden_size)) * scale / np.sqrt(hidden_size)
    return MLPParams(W1=W1, b1=np.zeros(hidden_size), W2=W2, b2=np.zeros(output_size))


def _output(z2: np.ndarray) -> np.ndarray:
    if z2.shape[-1] == 1:
        return sigmoid(z2)
    e = np.exp(z2 - z2.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def forward(p: MLPParams, x, *, activation: str = "sigmoid") -> MLPTrace:
    """The forward pass, keeping every intermediate: ``x: ([B,] D)`` → ``MLPTrace`` (see the module doc)."""
    p = _check_params(p)
    check_choice("activation", activation, ACTIVATIONS)
    return _forward(p, _check_x("x", x, p.W1.shape[1]), activation)


def _forward(p: MLPParams, x: np.ndarray, activation: str) -> MLPTrace:
    """``forward`` without the input checks (for training loops that checked once)."""
    z1 = x @ p.W1.T + p.b1
    h = activate(z1, activation)
    z2 = h @ p.W2.T + p.b2
    return MLPTrace(x=x, z1=z1, h=h, z2=z2, out=_output(z2), activation=activation)


def predict(p: MLPParams, x, *, activation: str = "sigmoid") -> np.ndarray:
    """Class answers: with one output ``out > 0.5`` → 1 else 0; with K outputs the largest one.
    ``x: (B, D)`` → ``(B,)`` ints (``(D,)`` → an int)."""
    tr = forward(p, x, activation=activation)
    if tr.out.shape[-1] == 1:
        return (tr.out[..., 0] > 0.5).astype(np.int64)
    return np.argmax(tr.out, axis=-1)


def _loss_from_z2(z2: np.ndarray, y: np.ndarray) -> float:
    """Mean cross-entropy computed from the output sums (stable: no log of 0)."""
    if z2.shape[1] == 1:
        z = z2[:, 0]
        return float(np.mean(np.logaddexp(0.0, z) - y * z))
    m = z2.max(axis=1)
    logsumexp = m + np.log(np.exp(z2 - m[:, None]).sum(axis=1))
    return float(np.mean(logsumexp - z2[np.arange(len(y)), y]))


def _targets(y: np.ndarray, K: int) -> np.ndarray:
    if K == 1:
        return y[:, None].astype(np.float64)
    T = np.zeros((len(y), K))
    T[np.arange(len(y)), y] = 1.0
    return T


def loss(p: MLPParams, X, y, *, activation: str = "sigmoid") -> float:
    """Mean cross-entropy on a batch ``X: (B, D)``, ``y: (B,)``."""
    tr = forward(p, _check_x("X", X, _check_params(p).W1.shape[1], batched=True), activation=activation)
    return _loss_from_z2(tr.z2, _check_y(y, len(tr.x), tr.z2.shape[1]))


def backward(p: MLPParams, trace: MLPTrace, y) -> MLPParams:
    """Backpropagation: the gradient of the mean loss over the batch of ``trace`` (``trace.x: (B, D)``).

    The chain rule, from the output back, one line per layer:

        dz2 = (out − T) / B              (B, K)   output layer: softmax/sigmoid + cross-entropy together
        dW2 = dz2.T @ h,  db2 = Σ dz2     (K, H), (K,)
        dh  = dz2 @ W2                    (B, H)   what each hidden unit is "blamed" for
        dz1 = dh · act'(z1)               (B, H)   through the hidden activation, elementwise
        dW1 = dz1.T @ x,  db1 = Σ dz1     (H, D), (H,)
    """
    p = _check_params(p)
    if not isinstance(trace, MLPTrace):
        raise TypeError(f"trace: ожидался MLPTrace из forward, получено {type(trace).__name__}")
    if trace.x.ndim != 2:
        raise ValueError(f"trace.x: обратный проход ждёт пакет формы (B, D), получена {trace.x.shape}")
    B, K = trace.z2.shape
    return _backward(p, trace, _check_y(y, B, K))


def _backward(p: MLPParams, trace: MLPTrace, y: np.ndarray) -> MLPParams:
    """``backward`` without the input checks (for training loops that checked once)."""
    B, K = trace.z2.shape
    dz2 = (trace.out - _targets(y, K)) / B
    dW2 = dz2.T @ trace.h
    db2 = dz2.sum(axis=0)
    dh = dz2 @ p.W2
    dz1 = dh * _activation_grad(trace.h, trace.activation)
    dW1 = dz1.T @ trace.x
    db1 = dz1.sum(axis=0)
    return MLPParams(W1=dW1, b1=db1, W2=dW2, b2=db2)


def loss_and_grads(p: MLPParams, X, y, *, activation: str = "sigmoid") -> tuple[float, MLPParams]:
    """Forward + backward on a batch ``X: (B, D)``, ``y: (B,)``: the loss and its gradient (``MLPParams``)."""
    p = _check_params(p)
    check_choice("activation", activation, ACTIVATIONS)
    X = _check_x("X", X, p.W1.shape[1], batched=True)
    y = _check_y(y, len(X), p.W2.shape[0])
    if activation == "step":
        _activation_grad(X, activation)  # raises the clear error about the step's derivative
    return _loss_and_grads(p, X, y, activation)


def _loss_and_grads(p: MLPParams, X: np.ndarray, y: np.ndarray, activation: str) -> tuple[float, MLPParams]:
    tr = _forward(p, X, activation)
    return _loss_from_z2(tr.z2, y), _backward(p, tr, y)


def numerical_grads(p: MLPParams, X, y, *, activation: str = "sigmoid", eps: float = 1e-6) -> MLPParams:
    """The gradient by central finite differences, ``(L(θ + ε) − L(θ − ε)) / 2ε`` for every single weight.

    Slow (two forward passes per weight): for checking ``backward`` on small networks only.
    """
    p = _check_params(p)
    check_positive("eps", eps)
    grads = []
    for k, arr in enumerate(p):
        g = np.zeros_like(arr)
        for idx in np.ndindex(arr.shape):
            shifted = [a.copy() for a in p]
            shifted[k][idx] = arr[idx] + eps
            up = loss(MLPParams(*shifted), X, y, activation=activation)
            shifted[k][idx] = arr[idx] - eps
            down = loss(MLPParams(*shifted), X, y, activation=activation)
            g[idx] = (up - down) / (2 * eps)
        grads.append(g)
    return MLPParams(*grads)


def gradient_check(p: MLPParams, X, y, *, activation: str = "sigmoid", eps: float = 1e-6) -> float:
    """Relative difference between ``backward``'s gradient ``g`` and the finite-difference one ``g_num``,
    all weights together: ``‖g − g_num‖ / (‖g‖ + ‖g_num‖)``. About 1e-8 or less means they agree; a mistake
    in ``backward`` gives well above 0.01 (tests/test_mlp.py checks both)."""
    _, g = loss_and_grads(p, X, y, activation=activation)
    g_num = numerical_grads(p, X, y, activation=activation, eps=eps)
    diff = np.sqrt(sum(float(np.sum((a - b) ** 2)) for a, b in zip(g, g_num)))
    size = np.sqrt(sum(float(np.sum(a * a)) for a in g)) + np.sqrt(sum(float(np.sum(b * b)) for b in g_num))
    return float(diff / size) if size > 0 else 0.0


def train_step(p: MLPParams, X, y, *, lr: float = 1.0, activation: str = "sigmoid") -> tuple[MLPParams, float]:
    """One step of plain gradient descent on the whole batch: ``θ ← θ − lr · dL/dθ``.
    Returns the new parameters and the loss before the step."""
    check_positive("lr", lr)
    value, g = loss_and_grads(p, X, y, activation=activation)
    return MLPParams(*(a - lr * d for a, d in zip(p, g))), value


def train(p: MLPParams, X, y, *, steps: int = 500, lr: float = 0.01, activation: str = "sigmoid",
          optimizer: str = "adam", batch_size: int | None = None, seed: int = 0) -> tuple[MLPParams, np.ndarray]:
    """Train from ``p`` for ``steps`` updates with ``"adam"`` (``lib.optim.Adam``) or ``"sgd"``.

    ``batch_size=None`` uses the whole ``X: (N, D)`` each step; otherwise each step takes the next slice
    of a seeded random order (reshuffled after every pass). Returns ``(params, losses)``, ``losses: (steps,)``
    the batch loss before each update.
    """
    p = _check_params(p)
    X = _check_x("X", X, p.W1.shape[1], batched=True)
    y = _check_y(y, len(X), p.W2.shape[0])
    check_positive("steps", steps, integer=True)
    check_positive("lr", lr)
    check_choice("optimizer", optimizer, ("adam", "sgd"))
    check_choice("activation", activation, ("sigmoid", "tanh"))
    if batch_size is not None:
        check_positive("batch_size", batch_size, integer=True)
    rng = np.random.default_rng(seed)
    opt = Adam(lr=lr) if optimizer == "adam" else None
    losses = np.zeros(steps)
    order, pos = np.arange(len(X)), len(X)
    for s in range(steps):
        if batch_size is None:
            xb, yb = X, y
        else:
            if pos + batch_size > len(X):
                order, pos = rng.permutation(len(X)), 0
            idx = order[pos:pos + batch_size]
            pos += batch_size
            xb, yb = X[idx], y[idx]
        losses[s], g = _loss_and_grads(p, xb, yb, activation)
        p = opt.step(p, g) if opt is not None else MLPParams(*(a - lr * d for a, d in zip(p, g)))
    return p, losses


def accuracy(p: MLPParams, X, y, *, activation: str = "sigmoid") -> float:
    """Share of ``X: (N, D)`` answered correctly (``y: (N,)``)."""
    pred = predict(p, _check_x("X", X, _check_params(p).W1.shape[1], batched=True), activation=activation)
    return float(np.mean(pred == _check_y(y, len(pred), _check_params(p).W2.shape[0])))


# --- exercises of notebook 3 --------------------------------------------------------------------------------
# Each check prints a verdict (✔ / ✘) and, if wrong, a specific hint in Russian; it returns None.

def _missing(*answers) -> bool:
    if any(a is Ellipsis for a in answers):
        print("✎ Ответ ещё не вписан: замените `...` своим ответом и запустите ячейку снова.")
        return True
    return False


_XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
_TABLES = {"AND": (0, 0, 0, 1), "NOR": (1, 0, 0, 0), "OR": (0, 1, 1, 1), "NAND": (1, 1, 1, 0)}


def check_exercise_1(p) -> None:
    """Exercise 1: a 2 → 2 → 1 network of threshold units computing XOR with hidden units AND and NOR."""
    if _missing(p):
        return
    if not isinstance(p, MLPParams):
        print(f"✘ Нужны MLPParams(W1=…, b1=…, W2=…, b2=…), а получено {type(p).__name__}.")
        return
    try:
        p = _check_params(p)
    except ValueError as exc:
        print(f"✘ {exc}")
        return
    if p.W1.shape != (2, 2) or p.W2.shape != (1, 2):
        print(f"✘ Нужна сеть 2 → 2 → 1: W1 формы (2, 2), W2 формы (1, 2); получены {p.W1.shape} и {p.W2.shape}.")
        return
    h = activate(_XOR_X @ p.W1.T + p.b1, "step").astype(int)
    out = activate(h @ p.W2.T + p.b2, "step").astype(int)[:, 0]
    units = [tuple(h[:, j]) for j in range(2)]
    names = [next((n for n, t in _TABLES.items() if t == u), None) for u in units]
    ok_xor = tuple(out) == (0, 1, 1, 0)
    if ok_xor and sorted(n or "" for n in names) == ["AND", "NOR"]:
        print("✔ Верно: скрытые нейроны вычисляют AND и NOR, а выходной — NOR от них; вместе это XOR.")
        return
    for j, (u, n) in enumerate(zip(units, names)):
        if n not in ("AND", "NOR"):
            what = f"это {n}" if n else "это не AND и не NOR"
            print(f"✘ Скрытый нейрон {j + 1} на входах (0,0), (0,1), (1,0), (1,1) выдаёт {u}: {what}.")
            print("Подсказка: AND — веса (1, 1) и смещение −1,5; NOR — веса (−1, −1) и смещение 0,5 "
                  "(нейрон срабатывает, когда сумма ≥ 0).")
            return
    if names[0] == names[1]:
        print(f"✘ Оба скрытых нейрона вычисляют {names[0]}: нужен один AND и один NOR.")
        return
    print(f"✘ Скрытые нейроны верны, но выход на четырёх входах {tuple(out)}, а XOR — (0, 1, 1, 0).")
    print("Подсказка: XOR = 1, когда и AND, и NOR молчат; выходной нейрон — NOR от скрытых: "
          "веса (−1, −1), смещение 0,5.")


def _reference_backward(p: MLPParams, x, y) -> MLPParams:
    """One example ``x: (D,)``, label ``y`` (0/1), sigmoid units: the gradient, as in notebook 3."""
    h = sigmoid(p.W1 @ x + p.b1)
    out = sigmoid(p.W2 @ h + p.b2)
    dz2 = out - y
    dz1 = (p.W2.T @ dz2) * h * (1 - h)
    return MLPParams(W1=np.outer(dz1, x), b1=dz1, W2=np.outer(dz2, h), b2=dz2)


def check_exercise_2(my_backward) -> None:
    """Exercise 2: ``my_backward(p, x, y)`` → the gradient (``MLPParams``) for one example, sigmoid units."""
    if _missing(my_backward):
        return
    rng = np.random.default_rng(5)
    for case in range(4):
        p = init_mlp(3, 4, 1, seed=case, scale=2.0)._replace(b1=rng.normal(size=4), b2=rng.normal(size=1))
        x = rng.normal(size=3)
        y = case % 2
        want = _reference_backward(p, x, y)
        try:
            got = my_backward(p, x.copy(), y)
        except Exception as exc:  # the student's code may raise anything: report it
            print(f"✘ Функция упала с ошибкой {type(exc).__name__}: {exc}")
            print("Подсказка: для одного примера dW2 = np.outer(dz2, h), dW1 = np.outer(dz1, x).")
            return
        if got is None:
            print("✎ Функция пока ничего не возвращает: допишите тело вместо `...` и верните MLPParams.")
            return
        if not (isinstance(got, tuple) and len(got) == 4):
            print("✘ Верните четыре градиента: MLPParams(W1=dW1, b1=db1, W2=dW2, b2=db2).")
            return
        got = [np.asarray(g, dtype=float) for g in got]
        for name, g, w in zip(MLPParams._fields, got, want):
            if g.shape != w.shape:
                print(f"✘ Градиент по {name} формы {g.shape}, а должен быть как сам {name}: {w.shape}.")
                return
        if all(np.allclose(g, w) for g, w in zip(got, want)):
            continue
        if all(np.allclose(g, -w) for g, w in zip(got, want)):
            print("✘ Все знаки перепутаны: на выходе dL/dz2 = out − y, а не y − out.")
            return
        dz1_without_derivative = p.W2.T @ want.b2          # want.b2 is dz2
        if np.allclose(got[1], dz1_without_derivative) or np.allclose(got[0], np.outer(dz1_without_derivative, x)):
            print("✘ dW2 и db2 верны, а в скрытом слое забыта производная сигмоиды h·(1 − h).")
            return
        wrong = [n for n, g, w in zip(MLPParams._fields, got, want) if not np.allclose(g, w)]
        print(f"✘ Не совпали градиенты по {', '.join(wrong)}.")
        if set(wrong) <= {"W1", "b1"}:
            print("Подсказка: ошибка приходит в скрытый слой по весам выхода: dh = W2.T @ dz2, "
                  "затем dz1 = dh · h · (1 − h).")
        else:
            print("Подсказка: на выходе dz2 = out − y; dW2 = np.outer(dz2, h), db2 = dz2.")
        return
    print("✔ Верно: ваш обратный проход совпал с lib.mlp.backward на всех 4 проверочных примерах.")


def check_exercise_3(p, activation: str = "tanh") -> None:
    """Exercise 3: a network with 16 hidden units and ``activation`` that gets ≥ 95 % of the course's digits
    test split right (``lib.digits.digits_split(seed=0)``)."""
    if _missing(p):
        return
    from lib.digits import digits_split  # here, so that lib.mlp does not load the data on import

    if not isinstance(p, MLPParams):
        print(f"✘ Нужны MLPParams, а получено {type(p).__name__}: верните то, что вернула mlp.train.")
        return
    if p.W1.shape != (16, 64) or p.W2.shape != (10, 16):
        print(f"✘ Нужна сеть 64 → 16 → 10: W1 формы (16, 64), W2 формы (10, 16); получены {p.W1.shape} и "
              f"{p.W2.shape}. Подсказка: init_mlp(64, 16, 10, seed=…).")
        return
    if activation not in ("sigmoid", "tanh"):
        print(f"✘ activation должна быть \"tanh\" или \"sigmoid\", получено {activation!r}.")
        return
    _, X_test, _, y_test = digits_split(seed=0)
    acc = accuracy(p, X_test, y_test, activation=activation)
    if acc >= 0.95:
        print(f"✔ Верно: точность на тесте {acc:.1%} (нужно ≥ 95 %).")
    else:
        print(f"✘ Точность на тесте {acc:.1%}, нужно ≥ 95 %.")
        print("Подсказка: обучайте на X_train, y_train тем же activation, что передаёте в проверку; "
              "попробуйте больше шагов (600 и больше) или lr около 0.01 с Adam.")


SOLUTIONS = {   # reference answers: exercise number → what its check takes
    1: MLPParams(W1=np.array([[1.0, 1.0], [-1.0, -1.0]]), b1=np.array([-1.5, 0.5]),
                 W2=np.array([[-1.0, -1.0]]), b2=np.array([0.5])),
    2: _reference_backward,
}
SOLUTIONS[3] = lambda X_train, y_train: train(init_mlp(64, 16, 10, seed=0), X_train, y_train, steps=600,  # noqa: E731
                                              lr=0.01, activation="tanh", batch_size=128)[0]
