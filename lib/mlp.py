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

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from lib.checks import as_array, check_choice, check_positive
from lib.numerics import numeric_gradient, one_hot, relative_error, sigmoid, sigmoid_prime, softmax, tanh_prime
from lib.optim import Adam

# fmt: off
__all__ = [
    "ACTIVATIONS", "HiddenView", "MLPParams", "MLPTrace", "Restart", "accuracy", "activate", "backward",
    "fit_output_neuron", "forward", "gradient_check", "init_mlp", "logic_name", "loss", "loss_and_grads",
    "numerical_grads", "predict", "train", "train_step", "truth_tables", "xor_hidden_view", "xor_restarts",
]
# fmt: on

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
        return sigmoid_prime(h)
    if activation == "tanh":
        return tanh_prime(h)
    raise ValueError(
        'activation: у ступеньки ("step") нет полезной производной, обратный проход с ней '
        'невозможен; для обучения выберите "sigmoid" или "tanh"'
    )


def _check_params(p) -> MLPParams:
    if not isinstance(p, MLPParams):
        raise TypeError(f"p: ожидались MLPParams(W1, b1, W2, b2), получено {type(p).__name__}")
    W1 = as_array("p.W1", p.W1, ndim=2)
    H, _D = W1.shape
    b1 = as_array("p.b1", p.b1, ndim=1)
    W2 = as_array("p.W2", p.W2, ndim=2)
    b2 = as_array("p.b2", p.b2, ndim=1)
    if b1.shape != (H,):
        raise ValueError(f"p.b1: ожидалась форма ({H},), получена {b1.shape}")
    if W2.shape[1] != H:
        raise ValueError(
            f"p.W2: ожидалась форма (K, {H}) (по весу на каждый из {H} скрытых нейронов), получена {W2.shape}"
        )
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
        raise ValueError(
            f"y: ожидался массив целых меток формы ({B},), получен массив формы {arr.shape} типа {arr.dtype}"
        )
    n_classes = 2 if K == 1 else K
    bad = arr[(arr < 0) | (arr >= n_classes)]
    if bad.size:
        raise ValueError(f"y: ожидались метки от 0 до {n_classes - 1}, встретилась {bad[0]}")
    return arr.astype(np.int64)


def init_mlp(input_size: int, hidden_size: int, output_size: int, *, seed: int = 0, scale: float = 1.0) -> MLPParams:
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
    return sigmoid(z2) if z2.shape[-1] == 1 else softmax(z2)


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
    return y[:, None].astype(np.float64) if K == 1 else one_hot(y, K)


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
    """The gradient by central finite differences (``lib.numerics.numeric_gradient``) for every single weight.

    Slow (two forward passes per weight): for checking ``backward`` on small networks only.
    """
    p = _check_params(p)
    check_positive("eps", eps)
    work = MLPParams(*(a.copy() for a in p))  # perturbed in place, one weight at a time
    return MLPParams(*(numeric_gradient(lambda: loss(work, X, y, activation=activation), a, eps) for a in work))


def gradient_check(p: MLPParams, X, y, *, activation: str = "sigmoid", eps: float = 1e-6) -> float:
    """``lib.numerics.relative_error`` between ``backward``'s gradient and the finite-difference one, all
    weights together. About 1e-8 or less means they agree; a mistake in ``backward`` gives well above 0.01
    (tests/test_mlp.py checks both)."""
    _, g = loss_and_grads(p, X, y, activation=activation)
    g_num = numerical_grads(p, X, y, activation=activation, eps=eps)
    return relative_error(np.concatenate([a.ravel() for a in g]), np.concatenate([b.ravel() for b in g_num]))


def train_step(p: MLPParams, X, y, *, lr: float = 1.0, activation: str = "sigmoid") -> tuple[MLPParams, float]:
    """One step of plain gradient descent on the whole batch: ``θ ← θ − lr · dL/dθ``.
    Returns the new parameters and the loss before the step."""
    check_positive("lr", lr)
    value, g = loss_and_grads(p, X, y, activation=activation)
    return MLPParams(*(a - lr * d for a, d in zip(p, g))), value


# fmt: off
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
            idx = order[pos : pos + batch_size]
            pos += batch_size
            xb, yb = X[idx], y[idx]
        losses[s], g = _loss_and_grads(p, xb, yb, activation)
        p = opt.step(p, g) if opt is not None else MLPParams(*(a - lr * d for a, d in zip(p, g)))
    return p, losses
# fmt: on


def accuracy(p: MLPParams, X, y, *, activation: str = "sigmoid") -> float:
    """Share of ``X: (N, D)`` answered correctly (``y: (N,)``)."""
    pred = predict(p, _check_x("X", X, _check_params(p).W1.shape[1], batched=True), activation=activation)
    return float(np.mean(pred == _check_y(y, len(pred), _check_params(p).W2.shape[0])))


# --- XOR: what the hidden units compute, the output neuron on top of them, many random starts ----------------

_XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
# every function of two inputs by its answers on (0, 0), (0, 1), (1, 0), (1, 1)
# fmt: off
_LOGIC_NAMES = {
    (0, 0, 0, 0): "всегда 0", (0, 0, 0, 1): "И (AND)", (0, 0, 1, 0): "x₁ И НЕ x₂", (0, 0, 1, 1): "x₁",
    (0, 1, 0, 0): "x₂ И НЕ x₁", (0, 1, 0, 1): "x₂", (0, 1, 1, 0): "XOR", (0, 1, 1, 1): "ИЛИ (OR)",
    (1, 0, 0, 0): "НЕ-ИЛИ (NOR)", (1, 0, 0, 1): "НЕ-XOR (равенство)", (1, 0, 1, 0): "НЕ x₂",
    (1, 0, 1, 1): "x₁ ИЛИ НЕ x₂", (1, 1, 0, 0): "НЕ x₁", (1, 1, 0, 1): "x₂ ИЛИ НЕ x₁",
    (1, 1, 1, 0): "НЕ-И (NAND)", (1, 1, 1, 1): "всегда 1",
}
# fmt: on


def logic_name(table) -> str:
    """The name of the function of two inputs with the answers ``table`` on (0, 0), (0, 1), (1, 0), (1, 1),
    e.g. ``(0, 1, 1, 1)`` → «ИЛИ (OR)»."""
    key = tuple(int(v) for v in np.asarray(table).ravel())
    if len(key) != 4 or set(key) - {0, 1}:
        raise ValueError(f"table: ожидались четыре ответа 0/1 на (0, 0), (0, 1), (1, 0), (1, 1), получено {key}")
    return _LOGIC_NAMES[key]


def truth_tables(p: MLPParams, *, activation: str = "sigmoid") -> np.ndarray:
    """What each hidden unit of a two-input network answers on (0,0), (0,1), (1,0), (1,1), counting it «on»
    when ``h > ½`` (``h > 0`` for tanh): ``(H, 4)`` of 0/1."""
    h = forward(p, _XOR_X, activation=activation).h
    return (h > (0.0 if activation == "tanh" else 0.5)).astype(np.int64).T


def fit_output_neuron(H, y, *, l2: float = 1e-3, iterations: int = 30) -> tuple[np.ndarray, float]:
    """The output neuron that best separates the hidden points ``H: (N, M)`` by ``y: (N,)`` (0/1): the
    logistic regression of ``lib.mlp``'s sigmoid output on ``H`` (the same cross-entropy), fitted by Newton's
    method with a small weight penalty ``l2`` so that it stays finite when the points are separable.
    Returns ``(w: (M,), b)``; the neuron answers 1 where ``H @ w + b > 0``."""
    H = as_array("H", H, ndim=2)
    y = np.asarray(y, dtype=np.float64)
    if y.shape != (len(H),):
        raise ValueError(f"y: ожидалась форма ({len(H)},), получена {y.shape}")
    check_positive("l2", l2)
    A = np.hstack([H, np.ones((len(H), 1))])
    theta = np.zeros(A.shape[1])
    reg = l2 * np.diag([1.0] * H.shape[1] + [0.0])
    for _ in range(iterations):
        prob = sigmoid(A @ theta)
        grad = A.T @ (prob - y) + reg @ theta
        hess = A.T @ (A * sigmoid_prime(prob)[:, None]) + reg + 1e-9 * np.eye(len(theta))
        theta = theta - np.linalg.solve(hess, grad)
    return theta[:-1], float(theta[-1])


class HiddenView(NamedTuple):
    """Two hidden units set by hand on XOR: the whole network ``params`` (output neuron fitted), the hidden
    points ``H: (4, 2)`` and how many of the 4 rows it gets right."""

    params: MLPParams
    H: np.ndarray
    n_correct: int


def xor_hidden_view(w11: float, w12: float, b1: float, w21: float, w22: float, b2: float) -> HiddenView:
    """Two sigmoid hidden units ``h_j = σ(w_j1·x₁ + w_j2·x₂ + b_j)`` on the XOR table and the output neuron
    fitted on top (``fit_output_neuron``)."""
    y = np.array([0, 1, 1, 0])
    W1 = np.array([[w11, w12], [w21, w22]], dtype=np.float64)
    b = np.array([b1, b2], dtype=np.float64)
    H = activate(_XOR_X @ W1.T + b, "sigmoid")
    w, c = fit_output_neuron(H, y)
    p = MLPParams(W1=W1, b1=b, W2=w[None, :], b2=np.array([c]))
    return HiddenView(params=p, H=H, n_correct=int(np.sum(predict(p, _XOR_X) == y)))


class Restart(NamedTuple):
    """One training of XOR from a random start: its ``seed``, final ``loss``, rows right ``n_correct`` (of 4)
    and the length of the final gradient ``grad_norm``."""

    seed: int
    loss: float
    n_correct: int
    grad_norm: float


@lru_cache(maxsize=64)
def xor_restarts(hidden_size: int, seeds: tuple[int, ...], *, steps: int, lr: float) -> tuple[Restart, ...]:
    """Plain gradient descent on XOR (``train(optimizer="sgd")``) from ``init_mlp(2, hidden_size, 1, seed=s)``
    for each ``s`` in ``seeds`` (cached: a check and the lesson's cell share one computation)."""
    y = np.array([0, 1, 1, 0])
    result = []
    for s in seeds:
        p, _ = train(init_mlp(2, hidden_size, 1, seed=int(s)), _XOR_X, y, steps=steps, lr=lr, optimizer="sgd")
        value, g = loss_and_grads(p, _XOR_X, y)
        norm = float(np.sqrt(sum(float(np.sum(a * a)) for a in g)))
        result.append(Restart(int(s), value, int(np.sum(predict(p, _XOR_X) == y)), norm))
    return tuple(result)
