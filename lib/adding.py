"""The adding problem's trainer (notebooks 4 and 5) and the reader of its benchmark, re-exported by
``lib.seqtrain`` (its docstring describes ``train_adding`` and ``AddingResult``).

``train_adding`` learns ``ŷ = V h_T + c`` on ``lib.data.adding_problem`` with MSE, a fresh batch every step, a
fixed test set (``TEST_SEED``) and, with ``n_val > 0``, a validation set (``VAL_SEED``) that decides;
``adding_baseline_mse`` is the level of a model that learned nothing; ``adding_benchmark`` reads
``bench/results/adding.json``, the fair RNN-vs-LSTM comparison of ``bench/bench_adding.py``.
"""

from __future__ import annotations

import time
from typing import NamedTuple

import numpy as np

from lib.checks import check_positive
from lib.data import adding_problem
from lib.seqmodel import Readout, SeqModel, Trainer, check_training_args, get_model, init_readout, single_thread_blas

__all__ = [
    "TEST_SEED",
    "VAL_SEED",
    "AddingResult",
    "adding_baseline_mse",
    "adding_benchmark",
    "predict_adding",
    "train_adding",
]

TEST_SEED = 20260101  # the fixed test set of the adding problem, the same for every model and seed
VAL_SEED = 20260202  # its validation set: for choosing settings, never the test set
# Training batches use seeds (seed + 1) · 1 000 003 + step: far from both sets for any seed < 19 and step < 10⁶.


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
    check_training_args(lr, steps, max_seconds, clip)
    test_set = adding_problem(n_test, T, seed=TEST_SEED)
    val_set = adding_problem(n_val, T, seed=VAL_SEED) if n_val else None
    tr = Trainer(m.init_params(2, hidden_size, seed=seed), init_readout(hidden_size, 1, seed=seed + 1), lr, clip)

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
