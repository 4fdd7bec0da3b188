"""Training loops shared by the recurrent lessons (notebook 4: RNN, notebook 5: LSTM), model-agnostic.

A *model* is the triple the lib contract gives every recurrent network, gathered in a ``SeqModel``:

    init_params(input_size, hidden_size, seed=…) -> params        (a NamedTuple of float64 arrays)
    forward(p, xs) -> trace                                       trace.h: (T, [B,] H)
    backward(p, trace, dh) -> (grads, dxs)                        dh = ∂Loss/∂h_t for every t

``MODELS["rnn"]`` is ``lib.rnn``, ``MODELS["lstm"]`` is ``lib.lstm``; an unknown name raises ``ValueError``
listing the known ones (``MODELS[name]`` and ``get_model(name)`` alike). Every trainer takes a name from ``MODELS`` or a
``SeqModel``, puts a linear readout ``Readout(V: (K, H), c: (K,))`` on the hidden states, and trains all
parameters together with ``lib.optim.Adam`` after ``lib.optim.clip_by_global_norm``. Deterministic for a
given ``seed`` as long as training is bounded by ``steps`` (``max_seconds`` is for benchmarks).

Trainers
--------
``train_adding(model, T, *, hidden_size=32, lr=1e-2, steps=2000, max_seconds=None, batch_size=64, seed=0,
clip=1.0, n_test=500, n_val=0, eval_every=50, target=0.01, stop_at_target=True) -> AddingResult``
    The adding problem (``lib.data.adding_problem``): regression ``ŷ = V h_T + c``, MSE, a fresh batch every
    step, a fixed test set (``TEST_SEED``). ``result.final_mse``, ``result.solved_step``/``solved_seconds``
    (first evaluation with MSE < ``target``), ``result.losses`` (train MSE per step), ``result.seconds``.
    With ``n_val > 0`` a separate validation set (``VAL_SEED``) is what the evaluations watch and early
    stopping obeys (``result.val_mse``); the test set is then only measured, never used to decide.
``train_classifier(model, xs, targets, mask=None, *, hidden_size=32, lr=1e-2, steps=300, seed=0, clip=1.0,
batch_size=None, num_classes=None, max_seconds=None) -> ClassifierResult``
    Classification at chosen steps: ``xs: (T, N, D)``, ``targets: (T, N)`` class ids, ``mask: (T, N)`` which
    steps count (e.g. every word of a language model, or only the last step). Softmax over ``K`` classes
    (``K = targets.max() + 1`` unless ``num_classes`` is given), cross-entropy averaged over counted steps.
``predict_proba(model, params, readout, xs, h0=None) -> (T, [B,] K)`` the softmax of the readout.
``predict_adding(model, params, readout, xs) -> ([B])`` the readout on the last state.
``adding_baseline_mse(T)`` the test MSE of the constant answer 1.0 (≈ 1/6): the level of a model that learned nothing.
``adding_benchmark()`` the fair RNN-vs-LSTM comparison of ``bench/bench_adding.py`` (its JSON), or ``None``.

Both trainers run with numpy's OpenBLAS limited to one thread (``single_thread_blas``): the matrices of a
recurrent step are small, and threading them made training several times slower on a shared 2-core machine.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from threadpoolctl import threadpool_limits

from lib import lstm, rnn
from lib.checks import as_array, check_positive, check_shape
from lib.data import adding_problem
from lib.numerics import softmax
from lib.optim import Adam, clip_by_global_norm

__all__ = [
    "MODELS",
    "TEST_SEED",
    "VAL_SEED",
    "AddingResult",
    "ClassifierResult",
    "Readout",
    "SeqModel",
    "adding_baseline_mse",
    "adding_benchmark",
    "get_model",
    "init_readout",
    "predict_adding",
    "predict_proba",
    "single_thread_blas",
    "softmax",
    "train_adding",
    "train_classifier",
]

TEST_SEED = 20260101  # the fixed test set of the adding problem, the same for every model and seed
VAL_SEED = 20260202  # its validation set: for choosing settings, never the test set
# Training batches use seeds (seed + 1) · 1 000 003 + step: far from both sets for any seed < 19 and step < 10⁶.


@contextlib.contextmanager
def single_thread_blas():
    """Run the block (or decorated function) with the BLAS library on one thread, restored afterwards.

    A recurrent step multiplies small matrices (``(B, H) @ (H, H)``, B = 64, H = 32): splitting each of them
    over threads costs more than it saves, and on a shared 2-core machine it made training several times
    slower. ``threadpoolctl`` finds numpy's OpenBLAS (or MKL) whatever its build.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        yield


class SeqModel(NamedTuple):
    """A recurrent model as three functions (see the module docstring)."""

    name: str
    init_params: Callable
    forward: Callable
    backward: Callable


class _Registry(dict):
    """``{name: SeqModel}``; an unknown name raises ``ValueError`` listing the known ones (as ``get_model`` does)."""

    def __missing__(self, name):
        opts = ", ".join(repr(k) for k in self)
        raise ValueError(f"model: ожидалось одно из {opts} или SeqModel, получено {name!r}")


MODELS: dict[str, SeqModel] = _Registry(
    rnn=SeqModel("rnn", rnn.init_params, rnn.rnn_forward, rnn.rnn_backward),
    lstm=SeqModel("lstm", lstm.init_params, lstm.lstm_forward, lstm.lstm_backward),
)


def get_model(model) -> SeqModel:
    """A ``SeqModel`` from a name in ``MODELS`` (``"rnn"``, ``"lstm"``) or a ``SeqModel`` itself."""
    if isinstance(model, SeqModel):
        return model
    if isinstance(model, str):
        return MODELS[model]
    raise TypeError(f"model: ожидалось имя модели (str) или SeqModel, получено {type(model).__name__}")


class Readout(NamedTuple):
    """A linear layer on a hidden state: ``V: (K, H)``, ``c: (K,)``; ``output = h Vᵀ + c``."""

    V: np.ndarray
    c: np.ndarray


def init_readout(hidden_size: int, out_size: int, seed: int = 0) -> Readout:
    """``V ~ N(0, 1/H)``, ``c = 0``."""
    check_positive("hidden_size", hidden_size, integer=True)
    check_positive("out_size", out_size, integer=True)
    rng = np.random.default_rng(seed)
    return Readout(V=rng.standard_normal((out_size, hidden_size)) / np.sqrt(hidden_size), c=np.zeros(out_size))


class _Trainer:
    """Adam over (model params, readout) together, with global-norm clipping across both."""

    def __init__(self, params, readout: Readout, lr: float, clip: float | None):
        self.params, self.readout, self.clip = params, readout, clip
        self.n = len(params)
        self.opt = Adam(lr=lr)

    def step(self, grads, rgrads: Readout) -> None:
        flat = list(grads) + list(rgrads)
        if self.clip is not None:
            flat = clip_by_global_norm(flat, self.clip)
        new = self.opt.step(list(self.params) + list(self.readout), flat)
        self.params = type(self.params)(*new[: self.n])
        self.readout = Readout(*new[self.n :])


def _check_training_args(lr, steps, max_seconds, clip):
    check_positive("lr", lr)
    if steps is None and max_seconds is None:
        raise ValueError("steps: задайте число шагов steps или бюджет времени max_seconds (оба None)")
    if steps is not None:
        check_positive("steps", steps, integer=True)
    if max_seconds is not None:
        check_positive("max_seconds", max_seconds)
    if clip is not None:
        check_positive("clip", clip)


# ----------------------------------------------------------------------------------------- adding problem


class AddingResult(NamedTuple):
    """What ``train_adding`` reports.

    ``losses: (steps,)`` train MSE of every step; ``eval_steps``/``test_mse``: the test MSE after those steps
    (the first entry is before training); ``final_mse`` the last of them; ``solved_step``/``solved_seconds``:
    when the watched MSE (validation if ``n_val > 0``, else test) first fell below ``target`` (``None`` if
    never); ``seconds``: wall time of training.
    """

    model: str
    T: int
    lr: float
    seed: int
    hidden_size: int
    losses: np.ndarray
    eval_steps: np.ndarray
    test_mse: np.ndarray
    final_mse: float
    steps: int
    seconds: float
    target: float
    solved_step: int | None
    solved_seconds: float | None
    params: object
    readout: Readout
    val_mse: np.ndarray | None = None  # validation MSE at ``eval_steps`` (``n_val > 0``), else None

    @property
    def solved(self) -> bool:
        return self.solved_step is not None


def adding_baseline_mse(T: int, n_test: int = 500) -> float:
    """Test MSE of the constant answer 1.0 (the mean of the target) on the fixed test set: ≈ 1/6."""
    _, y = adding_problem(n_test, T, seed=TEST_SEED)
    return float(np.mean((y - 1.0) ** 2))


def adding_benchmark(name: str = "adding") -> dict | None:
    """The committed result of ``bench/bench_adding.py`` (``bench/results/NAME.json``), or ``None`` if absent.

    ``result["rows"][(T, model)]`` is one row of its table: the learning rate chosen on validation data
    (``"lr"``), the test MSE of every seed (``"test_mse"``), how many seeds solved it on the test set
    (``"test_solved"``), the steps made, the baseline; ``result["protocol"]`` the budget, grid and seeds.
    """
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "bench" / "results" / f"{name}.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    data["rows"] = {(row["T"], row["model"]): row for row in data["rows"]}
    return data


def predict_adding(model, params, readout: Readout, xs) -> np.ndarray:
    """The answer of a trained model to the adding problem: ``V h_T + c`` for ``xs: (T, [B,] 2)`` → ``([B])``."""
    m = get_model(model)
    h_last = m.forward(params, xs).h[-1]
    return h_last @ readout.V[0] + readout.c[0]


def _adding_loss_and_grads(m: SeqModel, params, readout: Readout, xs, y):
    trace = m.forward(params, xs)
    h_last = trace.h[-1]  # (B, H)
    err = h_last @ readout.V[0] + readout.c[0] - y  # (B,)
    loss = float(np.mean(err**2))
    d_out = 2.0 * err / err.shape[0]  # ∂loss/∂ŷ
    dh = np.zeros_like(trace.h)
    dh[-1] = d_out[:, None] * readout.V[0]
    grads, _ = m.backward(params, trace, dh)
    rgrads = Readout(V=(d_out @ h_last)[None, :], c=np.array([d_out.sum()]))
    return loss, grads, rgrads


@single_thread_blas()
def train_adding(
    model,
    T: int,
    *,
    hidden_size: int = 32,
    lr: float = 1e-2,
    steps: int | None = 2000,
    max_seconds: float | None = None,
    batch_size: int = 64,
    seed: int = 0,
    clip: float | None = 1.0,
    n_test: int = 500,
    n_val: int = 0,
    eval_every: int = 50,
    target: float = 0.01,
    stop_at_target: bool = True,
) -> AddingResult:
    """Train ``model`` (name or ``SeqModel``) on the adding problem with lag ``T``; see the module docstring.

    Training stops after ``steps`` steps, after ``max_seconds`` of wall time, or (``stop_at_target``) at the
    first evaluation whose MSE is below ``target``, whichever comes first. That MSE is the test set's, or the
    validation set's when ``n_val > 0`` (then the test MSE is recorded beside it but decides nothing).
    """
    m = get_model(model)
    check_positive("T", T, integer=True)
    check_positive("hidden_size", hidden_size, integer=True)
    check_positive("batch_size", batch_size, integer=True)
    check_positive("eval_every", eval_every, integer=True)
    check_positive("n_val", n_val, integer=True, allow_zero=True)
    _check_training_args(lr, steps, max_seconds, clip)
    test_set = adding_problem(n_test, T, seed=TEST_SEED)
    val_set = adding_problem(n_val, T, seed=VAL_SEED) if n_val else None
    tr = _Trainer(m.init_params(2, hidden_size, seed=seed), init_readout(hidden_size, 1, seed=seed + 1), lr, clip)

    def mse_on(data) -> float:
        return float(np.mean((predict_adding(m, tr.params, tr.readout, data[0]) - data[1]) ** 2))

    def evaluate(step: int) -> float:
        """Record both MSEs at ``step``; return the one that decides (validation if there is one)."""
        eval_steps.append(step)
        mses.append(mse_on(test_set))
        if val_set is not None:
            vals.append(mse_on(val_set))
        return vals[-1] if val_set is not None else mses[-1]

    losses, eval_steps, mses, vals = [], [], [], []
    evaluate(0)
    solved_step = solved_seconds = None
    t0 = time.perf_counter()
    step = 0
    while steps is None or step < steps:
        xs, y = adding_problem(batch_size, T, seed=(seed + 1) * 1_000_003 + step)
        loss, grads, rgrads = _adding_loss_and_grads(m, tr.params, tr.readout, xs, y)
        tr.step(grads, rgrads)
        losses.append(loss)
        step += 1
        last = steps is not None and step == steps
        if step % eval_every == 0 or last:
            watched = evaluate(step)
            if solved_step is None and watched < target:
                solved_step, solved_seconds = step, time.perf_counter() - t0
                if stop_at_target:
                    break
        if max_seconds is not None and time.perf_counter() - t0 > max_seconds:
            if eval_steps[-1] != step:
                evaluate(step)
            break
    seconds = time.perf_counter() - t0
    return AddingResult(
        model=m.name,
        T=T,
        lr=lr,
        seed=seed,
        hidden_size=hidden_size,
        losses=np.array(losses),
        eval_steps=np.array(eval_steps),
        test_mse=np.array(mses),
        final_mse=mses[-1],
        steps=step,
        seconds=seconds,
        target=target,
        solved_step=solved_step,
        solved_seconds=solved_seconds,
        params=tr.params,
        readout=tr.readout,
        val_mse=np.array(vals) if val_set is not None else None,
    )


# ----------------------------------------------------------------------------------------- classification


class ClassifierResult(NamedTuple):
    """What ``train_classifier`` reports: ``losses: (steps,)`` mean cross-entropy per step, the trained
    ``params`` and ``readout``, ``seconds`` of training and the ``model`` name."""

    model: str
    params: object
    readout: Readout
    losses: np.ndarray
    steps: int
    seconds: float


def predict_proba(model, params, readout: Readout, xs, h0=None) -> np.ndarray:
    """Class probabilities at every step: ``xs: (T, [B,] D)`` → ``(T, [B,] K)``."""
    m = get_model(model)
    trace = m.forward(params, xs) if h0 is None else m.forward(params, xs, h0)
    return softmax(trace.h @ readout.V.T + readout.c)


def _classifier_loss_and_grads(m: SeqModel, params, readout: Readout, xs, targets, weights):
    trace = m.forward(params, xs)
    probs = softmax(trace.h @ readout.V.T + readout.c)  # (T, B, K)
    T, B = targets.shape
    picked = probs[np.arange(T)[:, None], np.arange(B)[None, :], targets]
    loss = float(-np.sum(weights * np.log(np.maximum(picked, 1e-300))))
    d_logits = probs.copy()  # ∂loss/∂logits = (p − onehot) · weight
    d_logits[np.arange(T)[:, None], np.arange(B)[None, :], targets] -= 1.0
    d_logits *= weights[..., None]
    dh = d_logits @ readout.V  # (T, B, H)
    grads, _ = m.backward(params, trace, dh)
    H = trace.h.shape[-1]
    rgrads = Readout(V=d_logits.reshape(-1, d_logits.shape[-1]).T @ trace.h.reshape(-1, H), c=d_logits.sum(axis=(0, 1)))
    return loss, grads, rgrads


@single_thread_blas()
def train_classifier(
    model,
    xs,
    targets,
    mask=None,
    *,
    hidden_size: int = 32,
    lr: float = 1e-2,
    steps: int | None = 300,
    seed: int = 0,
    clip: float | None = 1.0,
    batch_size: int | None = None,
    num_classes: int | None = None,
    max_seconds: float | None = None,
) -> ClassifierResult:
    """Train ``model`` to predict ``targets`` at the steps chosen by ``mask``; see the module docstring.

    ``xs: (T, N, D)``, ``targets: (T, N)`` integer classes (any value where ``mask`` is 0), ``mask: (T, N)``
    of 0/1 (default: every step). ``batch_size=None`` trains on all ``N`` sequences at every step; otherwise
    each step draws ``batch_size`` of them at random (seeded).
    """
    m = get_model(model)
    xs = as_array("xs", xs, ndim=3)
    T, N, D = xs.shape
    targets_f = check_shape("targets", as_array("targets", targets, ndim=2), (T, N))
    if np.any(targets_f != np.round(targets_f)) or np.any(targets_f < 0):
        raise ValueError("targets: ожидались номера классов (целые числа ≥ 0)")
    targets = targets_f.astype(int)
    mask = np.ones((T, N)) if mask is None else check_shape("mask", as_array("mask", mask, ndim=2), (T, N))
    if np.any((mask != 0) & (mask != 1)):
        raise ValueError("mask: ожидались только 0 и 1")
    if not mask.any():
        raise ValueError("mask: ни один шаг не отмечен для обучения (все нули)")
    K = int(targets[mask == 1].max()) + 1 if num_classes is None else num_classes
    check_positive("num_classes", K, integer=True)
    if targets[mask == 1].max() >= K:
        raise ValueError(f"targets: ожидались классы от 0 до {K - 1}, встретился {targets[mask == 1].max()}")
    targets = np.where(mask == 1, targets, 0)
    check_positive("hidden_size", hidden_size, integer=True)
    if batch_size is not None:
        check_positive("batch_size", batch_size, integer=True)
    _check_training_args(lr, steps, max_seconds, clip)
    tr = _Trainer(m.init_params(D, hidden_size, seed=seed), init_readout(hidden_size, K, seed=seed + 1), lr, clip)
    rng = np.random.default_rng(seed + 2)
    losses = []
    t0 = time.perf_counter()
    step = 0
    while steps is None or step < steps:
        idx = slice(None) if batch_size is None else rng.choice(N, size=min(batch_size, N), replace=False)
        w = mask[:, idx]
        loss, grads, rgrads = _classifier_loss_and_grads(
            m, tr.params, tr.readout, xs[:, idx], targets[:, idx], w / max(w.sum(), 1.0)
        )
        tr.step(grads, rgrads)
        losses.append(loss)
        step += 1
        if max_seconds is not None and time.perf_counter() - t0 > max_seconds:
            break
    return ClassifierResult(
        model=m.name,
        params=tr.params,
        readout=tr.readout,
        losses=np.array(losses),
        steps=step,
        seconds=time.perf_counter() - t0,
    )
