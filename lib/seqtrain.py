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

The shared pieces (``SeqModel``, ``MODELS``, ``Readout``, the optimiser step) live in ``lib.seqmodel``, the
adding problem (``train_adding``, ``AddingResult``, ``adding_benchmark`` …) in ``lib.adding``; every name above
is importable from here.

Both trainers run with numpy's OpenBLAS limited to one thread (``single_thread_blas``): the matrices of a
recurrent step are small, and threading them made training several times slower on a shared 2-core machine.
"""

from __future__ import annotations

import time
from typing import NamedTuple

import numpy as np

from lib.adding import (  # re-exported: lib.seqtrain is the one import for every trainer
    TEST_SEED,
    VAL_SEED,
    AddingResult,
    _adding_loss_and_grads,  # noqa: F401  (its gradients are tested through lib.seqtrain)
    adding_baseline_mse,
    adding_benchmark,
    predict_adding,
    train_adding,
)
from lib.checks import as_array, check_positive, check_shape
from lib.numerics import softmax
from lib.seqmodel import (  # re-exported, as above
    MODELS,
    Readout,
    SeqModel,
    Trainer,
    check_training_args,
    get_model,
    init_readout,
    single_thread_blas,
)

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
    check_training_args(lr, steps, max_seconds, clip)
    tr = Trainer(m.init_params(D, hidden_size, seed=seed), init_readout(hidden_size, K, seed=seed + 1), lr, clip)
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
