"""A plain recurrent network (Elman RNN) in Olah's notation: one tanh layer on ``[h_{t-1}, x_t]``.

    h_t = tanh(W · [h_{t-1}, x_t] + b),     W: (H, H + D),  b: (H,)

The first ``H`` columns of ``W`` act on the previous state (the recurrent weights ``W_h``), the last ``D``
columns on the input (``W_x``). A leading batch axis is optional everywhere: ``x_t`` is ``(D,)`` or
``(B, D)``; sequences are time first, ``xs: (T, D)`` or ``(T, B, D)``. Sizes are always given as
``(D, H)``, input first, as in ``lib.lstm``.

Functions
---------
``init_params(input_size, hidden_size, seed=0, scale=1.0)``  random parameters, ``scale`` = gain of ``W_h``
``sizes(p) -> (D, H)``                                         input and hidden sizes
``rnn_step(p, x_t, h_prev) -> h_t``                          one step of the chain
``rnn_forward(p, xs, h0=None) -> RNNTrace``                  the whole chain; ``trace.h: (T, [B,] H)``
``rnn_step_backward(p, x_t, h_prev, h_t, dh_t) -> StepGrads`` the backward pass of one step
``rnn_backward(p, trace, dh) -> (RNNParams, dxs)``           backpropagation through time (BPTT)
``jacobian_norms(p, xs, h0=None) -> (T,)``                   ‖∂h_T/∂h_{T−k}‖ for k = 0 … T−1

The exercises of notebook 4 and their checks live in ``lib.exercises.rnn``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from lib.checks import as_array, check_positive, check_shape, check_trace
from lib.numerics import tanh_prime

__all__ = [
    "RNNParams",
    "RNNTrace",
    "StepGrads",
    "init_params",
    "jacobian_norms",
    "rnn_backward",
    "rnn_forward",
    "rnn_step",
    "rnn_step_backward",
    "sizes",
    "split_weights",
]


class _RNNParamsFields(NamedTuple):
    W: np.ndarray
    b: np.ndarray


class RNNParams(_RNNParamsFields):
    """Parameters of a plain RNN: ``W: (H, H + D)`` acting on ``[h_{t-1}, x_t]`` and ``b: (H,)``.

    Checked when made: ``RNNParams(W=np.zeros((4, 7)), b=np.zeros(3))`` raises ``ValueError`` naming ``b``,
    the shape expected ``(4,)`` and the one given ``(3,)``. The same class holds gradients (same shapes).
    """

    __slots__ = ()

    def __new__(cls, W, b):
        W = as_array("RNNParams.W", W, ndim=2)
        H = W.shape[0]
        if W.shape[1] <= H:
            raise ValueError(f"RNNParams.W: ожидалась форма (H, H + D) с D ≥ 1, получена {W.shape}")
        b = as_array("RNNParams.b", b, ndim=1)
        if b.shape != (H,):
            raise ValueError(f"RNNParams.b: ожидалась форма ({H},) — по числу строк W (H = {H}), получена {b.shape}")
        return super().__new__(cls, W, b)

    @property
    def hidden_size(self) -> int:
        return int(self.W.shape[0])

    @property
    def input_size(self) -> int:
        return int(self.W.shape[1] - self.W.shape[0])


class RNNTrace(NamedTuple):
    """What ``rnn_forward`` remembers for the backward pass.

    ``xs: (T, [B,] D)`` the inputs, ``h0: ([B,] H)`` the initial state, ``h: (T, [B,] H)`` the states h_1 … h_T.
    """

    xs: np.ndarray
    h0: np.ndarray
    h: np.ndarray


class StepGrads(NamedTuple):
    """The backward pass of one step: ``dW: (H, H + D)``, ``db: (H,)`` (summed over the batch),
    ``dh_prev: ([B,] H)`` = ∂L/∂h_{t-1} and ``dx: ([B,] D)`` = ∂L/∂x_t."""

    dW: np.ndarray
    db: np.ndarray
    dh_prev: np.ndarray
    dx: np.ndarray


def init_params(input_size: int, hidden_size: int, seed: int = 0, scale: float = 1.0) -> RNNParams:
    """Random parameters: ``W_h ~ N(0, scale²/H)``, ``W_x ~ N(0, 1/D)``, ``b = 0``.

    With ``scale = 1`` the spectral radius of ``W_h`` is close to 1 (circular law); a smaller ``scale``
    makes the memory fade faster, a larger one lets signals grow while tanh is not saturated.
    """
    check_positive("input_size", input_size, integer=True)
    check_positive("hidden_size", hidden_size, integer=True)
    check_positive("scale", scale, allow_zero=True)
    rng = np.random.default_rng(seed)
    H, D = hidden_size, input_size
    W_h = rng.standard_normal((H, H)) * (scale / np.sqrt(H))
    W_x = rng.standard_normal((H, D)) / np.sqrt(D)
    return RNNParams(W=np.concatenate([W_h, W_x], axis=1), b=np.zeros(H))


def sizes(p: RNNParams) -> tuple[int, int]:
    """``(input_size D, hidden_size H)`` of the parameters (the order of ``lib.lstm.sizes``)."""
    if not isinstance(p, RNNParams):
        raise TypeError(f"p: ожидались параметры RNNParams(W, b), получено {type(p).__name__}")
    return p.input_size, p.hidden_size


def split_weights(p: RNNParams) -> tuple[np.ndarray, np.ndarray]:
    """``(W_h: (H, H), W_x: (H, D))``: the columns of ``W`` acting on ``h_{t-1}`` and on ``x_t``."""
    H = p.W.shape[0]
    return p.W[:, :H], p.W[:, H:]


def _check_step(p: RNNParams, x_t, h_prev) -> tuple[np.ndarray, np.ndarray]:
    D, H = sizes(p)
    x_t = check_shape("x_t", as_array("x_t", x_t, ndim=(1, 2)), (D,), (None, D))
    want = (H,) if x_t.ndim == 1 else (x_t.shape[0], H)
    return x_t, check_shape("h_prev", as_array("h_prev", h_prev), want)


def rnn_step(p: RNNParams, x_t, h_prev) -> np.ndarray:
    """One step: ``h_t = tanh(W · [h_prev, x_t] + b)``.

    ``x_t: (D,)`` or ``(B, D)``, ``h_prev: (H,)`` or ``(B, H)`` (the same batch axis) → ``h_t`` of ``h_prev``'s shape.
    """
    x_t, h_prev = _check_step(p, x_t, h_prev)
    hx = np.concatenate([h_prev, x_t], axis=-1)  # [h_{t-1}, x_t]: ([B,] H + D)
    return np.tanh(hx @ p.W.T + p.b)


def _check_xs(xs, D: int) -> np.ndarray:
    xs = as_array("xs", xs, ndim=(2, 3))
    check_shape("xs", xs, (None, D), (None, None, D))
    if xs.shape[0] == 0:
        raise ValueError("xs: ожидалась хотя бы одна временная точка (T ≥ 1), получено T = 0")
    return xs


def _check_h0(h0, xs: np.ndarray, H: int) -> np.ndarray:
    batch = xs.shape[1:-1]  # () or (B,)
    if h0 is None:
        return np.zeros(batch + (H,))
    return check_shape("h0", as_array("h0", h0), batch + (H,))


def rnn_forward(p: RNNParams, xs, h0=None) -> RNNTrace:
    """Run the chain over ``xs: (T, [B,] D)`` from ``h0: ([B,] H)`` (zeros by default).

    The input projection ``W_x x_t + b`` of every step is computed at once before the loop; only the
    recurrent part ``W_h h_{t-1}`` has to wait for the previous step.
    """
    D, H = sizes(p)
    xs = _check_xs(xs, D)
    h = _check_h0(h0, xs, H)
    h0 = h.copy()
    W_h, W_x = split_weights(p)
    pre = xs @ W_x.T + p.b  # (T, [B,] H): the input part of every step
    hs = np.empty(xs.shape[:-1] + (H,))
    W_hT = W_h.T
    for t in range(xs.shape[0]):
        h = np.tanh(pre[t] + h @ W_hT)
        hs[t] = h
    return RNNTrace(xs=xs, h0=h0, h=hs)


def _step_backward(W: np.ndarray, x_t, h_prev, h_t, dh_t) -> StepGrads:
    """``rnn_step_backward`` without the checks; ``x_t: (B, D)``, the others ``(B, H)``."""
    H = W.shape[0]
    dz = dh_t * tanh_prime(h_t)  # dz = dh_t ⊙ (1 − h_t²): назад через tanh
    hx = np.concatenate([h_prev, x_t], axis=-1)  # [h_{t-1}, x_t]
    dW = dz.T @ hx  # ∂L/∂W = Σ_пакет dz · [h_{t-1}, x_t]ᵀ
    db = dz.sum(axis=0)  # ∂L/∂b = Σ_пакет dz
    d_hx = dz @ W  # ∂L/∂[h_{t-1}, x_t] = Wᵀ dz
    return StepGrads(dW=dW, db=db, dh_prev=d_hx[:, :H], dx=d_hx[:, H:])  # W_hᵀ dz и W_xᵀ dz


def rnn_step_backward(p: RNNParams, x_t, h_prev, h_t, dh_t) -> StepGrads:
    """The backward pass of one step ``h_t = tanh(W · [h_{t-1}, x_t] + b)``.

    ``dh_t: ([B,] H)`` is the whole ∂L/∂h_t (from the readout and from the future); ``h_t`` the state the
    forward step produced. In Olah's names, one line per formula::

        dz      = dh_t ⊙ (1 − h_t²)           (tanh' written through its output)
        dW      = dz · [h_{t-1}, x_t]ᵀ         (summed over the batch)
        db      = dz
        dh_prev = W_hᵀ dz,    dx = W_xᵀ dz

    Returns ``StepGrads(dW, db, dh_prev, dx)``; without a batch axis ``dh_prev: (H,)``, ``dx: (D,)``.
    """
    x_t, h_prev = _check_step(p, x_t, h_prev)
    h_t = check_shape("h_t", as_array("h_t", h_t), h_prev.shape)
    dh_t = check_shape("dh_t", as_array("dh_t", dh_t), h_prev.shape)
    if x_t.ndim == 1:
        g = _step_backward(p.W, x_t[None], h_prev[None], h_t[None], dh_t[None])
        return StepGrads(dW=g.dW, db=g.db, dh_prev=g.dh_prev[0], dx=g.dx[0])
    return _step_backward(p.W, x_t, h_prev, h_t, dh_t)


def _check_trace(trace, H: int, D: int) -> None:
    check_trace(trace, RNNTrace, "rnn_forward", D, H)


def rnn_backward(p: RNNParams, trace: RNNTrace, dh) -> tuple[RNNParams, np.ndarray]:
    """Backpropagation through time (BPTT): the formulas of ``rnn_step_backward``, from the last step to the first.

    ``dh: (T, [B,] H)`` is ∂Loss/∂h_t coming from outside the chain (a readout) at every step ``t``; zeros
    where the loss does not look at ``h_t``. Returns ``(grads, dxs)``: ``grads`` an ``RNNParams`` of the
    shapes of ``p``, summed over time and batch, and ``dxs: (T, [B,] D)`` = ∂Loss/∂x_t.

    The whole gradient at ``h_t`` is its own ``dh[t]`` plus what step ``t + 1`` sends back (its
    ``dh_prev``). Only that has to go step by step; what does not depend on the next step is hoisted out of
    the loop: the weights are shared, so ``dW = Σ_t dz_t · [h_{t-1}, x_t]ᵀ`` and ``db = Σ_t dz_t`` are one
    product over all steps at once, and so is ``dx_t = W_xᵀ dz_t``. The result equals the loop over
    ``rnn_step_backward`` (``tests/test_rnn.py`` checks it).
    """
    D, H = sizes(p)
    _check_trace(trace, H, D)
    dh = check_shape("dh", as_array("dh", dh), trace.h.shape)
    W_h, W_x = split_weights(p)
    hs = trace.h
    dz = np.empty_like(hs)  # dz_t: градиент на входе tanh на шаге t
    dh_next = np.zeros_like(hs[0])  # ∂L/∂h_t, пришедшее от шага t + 1 (после h_T — ноль)
    for t in range(hs.shape[0] - 1, -1, -1):
        dz[t] = (dh[t] + dh_next) * tanh_prime(hs[t])  # dz = dh_t ⊙ (1 − h_t²)
        dh_next = dz[t] @ W_h  # dh_prev = W_hᵀ dz
    # вынесено из цикла: общие веса — сумма по всем шагам и примерам одним умножением
    h_prev = np.concatenate([trace.h0[None], hs[:-1]], axis=0)  # h_0 … h_{T-1}: (T, [B,] H)
    dz2 = dz.reshape(-1, H)
    dW = np.concatenate([dz2.T @ h_prev.reshape(-1, H), dz2.T @ trace.xs.reshape(-1, D)], axis=1)
    return RNNParams(W=dW, b=dz2.sum(axis=0)), dz @ W_x  # dW = Σ dz·[h_{t-1}, x_t]ᵀ, db = Σ dz, dx = W_xᵀ dz


def jacobian_norms(p: RNNParams, xs, h0=None) -> np.ndarray:
    """How strongly the last state still depends on earlier ones: ``norms[k] = ‖∂h_T/∂h_{T−k}‖``.

    ``xs: (T, D)`` (one sequence, no batch axis); returns ``(T,)`` with ``norms[0] = 1`` (∂h_T/∂h_T = I) and
    ``norms[k]`` the spectral norm of the product of ``k`` step Jacobians, from ``s = T`` down to ``T − k + 1``:

        ∂h_T/∂h_t = ∏_{s=T}^{t+1} diag(1 − h_s²) · W_h      (the factor of step T on the left)

    For ``k = T − 1`` it reaches the earliest state, h_1. A value that falls like ``ρ^k`` with ρ < 1 is a
    vanishing gradient; one that grows is an exploding one.
    """
    D, H = sizes(p)
    xs = as_array("xs", xs, ndim=2)
    check_shape("xs", xs, (None, D))
    if xs.shape[0] == 0:
        raise ValueError("xs: ожидалась хотя бы одна временная точка (T ≥ 1), получено T = 0")
    if h0 is not None:
        h0 = check_shape("h0", as_array("h0", h0), (H,))
    hs = rnn_forward(p, xs, h0).h
    W_h, _ = split_weights(p)
    T = hs.shape[0]
    J = np.empty((T, H, H))
    J[0] = np.eye(H)
    for k in range(1, T):  # J[k] = ∂h_T/∂h_{T−k}
        s = T - k  # 0-based index of h_{T−k+1}
        J[k] = J[k - 1] * tanh_prime(hs[s]) @ W_h  # J · diag(1 − h_s²) · W_h
    return np.linalg.norm(J, ord=2, axis=(1, 2))
