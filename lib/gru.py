"""GRU (Cho et al., 2014) in the notation of Olah's "Understanding LSTM Networks", with the contract of ``lib.lstm``.

The gated recurrent unit merges the LSTM's forget and input gates into one *update gate* ``z_t`` and keeps
no separate cell state: the hidden state ``h_t`` itself is the conveyor belt. Every layer acts on a
concatenation; each ``W_*`` has shape ``(H, H + D)`` (first ``H`` columns for the state, last ``D`` for
``x_t``). A leading batch axis is optional: ``x_t`` is ``(D,)`` or ``(B, D)``, ``xs`` is ``(T, [B,] D)``::

    z_t = σ(W_z·[h_{t−1}, x_t] + b_z)                  update gate: how much of the state to renew
    r_t = σ(W_r·[h_{t−1}, x_t] + b_r)                  reset gate: how much of the old state the candidate sees
    h̃_t = tanh(W_h·[r_t ∗ h_{t−1}, x_t] + b_h)         candidate state
    h_t = (1 − z_t) ∗ h_{t−1} + z_t ∗ h̃_t              the new state

- ``gru_step`` / ``gru_step_backward``: one step forward and back, one line per formula (what a student reads);
- ``gru_forward`` / ``gru_backward``: the same over a sequence (inputs projected for all steps at once,
  weight gradients in matrix products after the loop), checked against the step functions in the tests.

Biases are zero at the start (no bias trick is needed: with ``z ≈ σ(0) = ½`` half of the state is kept).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from lib.checks import as_array, check_positive, check_shape, check_trace
from lib.numerics import sigmoid

__all__ = [
    "GRUParams",
    "GRUStep",
    "GRUTrace",
    "sizes",
    "init_params",
    "gru_step",
    "gru_step_backward",
    "gru_forward",
    "gru_backward",
]

_NAMES = ("W_z", "b_z", "W_r", "b_r", "W_h", "b_h")


class _Weights(NamedTuple):
    W_z: np.ndarray  # update gate
    b_z: np.ndarray
    W_r: np.ndarray  # reset gate
    b_r: np.ndarray
    W_h: np.ndarray  # candidate state h̃
    b_h: np.ndarray


class GRUParams(_Weights):
    """Weights of a GRU layer: each ``W_*: (H, H + D)``, each ``b_*: (H,)``; validated at construction
    (float64, finite, shapes that agree), so a wrong matrix fails where it is made, not deep in a step."""

    __slots__ = ()

    def __new__(cls, W_z, b_z, W_r, b_r, W_h, b_h):
        vals = [
            as_array(f"p.{n}", v, ndim=2 if n.startswith("W") else 1)
            for n, v in zip(_NAMES, (W_z, b_z, W_r, b_r, W_h, b_h))
        ]
        H, HD = vals[0].shape
        if HD <= H:
            raise ValueError(f"p.W_z: ожидалась форма (H, H + D) с D ≥ 1, получена {vals[0].shape}")
        for n, v in zip(_NAMES, vals):
            check_shape(f"p.{n}", v, (H, HD) if n.startswith("W") else (H,))
        return super().__new__(cls, *vals)


class GRUStep(NamedTuple):
    """Everything one step computes; each field is ``([B,] H)``."""

    z: np.ndarray
    r: np.ndarray
    h_tilde: np.ndarray
    h: np.ndarray


class GRUTrace(NamedTuple):
    """A forward pass over ``T`` steps: ``z, r, h_tilde, h`` stacked to ``(T, [B,] H)``, plus ``xs``, ``h0``."""

    z: np.ndarray
    r: np.ndarray
    h_tilde: np.ndarray
    h: np.ndarray
    xs: np.ndarray
    h0: np.ndarray


def sizes(p: GRUParams) -> tuple[int, int]:
    """``(input_size D, hidden_size H)`` of the parameters."""
    if not isinstance(p, GRUParams):
        raise TypeError(f"p: ожидались параметры GRUParams, получено {type(p).__name__}")
    H, HD = p.W_z.shape
    return HD - H, H


def init_params(input_size: int, hidden_size: int, seed: int = 0) -> GRUParams:
    """Random small weights ``U(-k, k)``, ``k = 1/sqrt(H)`` (as PyTorch does); biases 0."""
    check_positive("input_size", input_size, integer=True)
    check_positive("hidden_size", hidden_size, integer=True)
    D, H = int(input_size), int(hidden_size)
    rng = np.random.default_rng(seed)
    k = 1.0 / np.sqrt(H)

    def weight():
        return rng.uniform(-k, k, size=(H, H + D))

    return GRUParams(W_z=weight(), b_z=np.zeros(H), W_r=weight(), b_r=np.zeros(H), W_h=weight(), b_h=np.zeros(H))


def _inputs(p: GRUParams, x_t, h_prev):
    D, H = sizes(p)
    x_t = check_shape("x_t", as_array("x_t", x_t, ndim=(1, 2)), (D,), (None, D))
    lead = x_t.shape[:-1]
    h_prev = np.zeros((*lead, H)) if h_prev is None else check_shape("h_prev", as_array("h_prev", h_prev), (*lead, H))
    return x_t, h_prev, H


def gru_step(p: GRUParams, x_t, h_prev) -> GRUStep:
    """One GRU step. ``x_t: ([B,] D)``, ``h_prev: ([B,] H)`` (``None``: zeros) → ``GRUStep`` of ``([B,] H)``."""
    x_t, h_prev, H = _inputs(p, x_t, h_prev)
    hx = np.concatenate([h_prev, x_t], axis=-1)  # [h_{t-1}, x_t]
    z = sigmoid(hx @ p.W_z.T + p.b_z)  # update gate
    r = sigmoid(hx @ p.W_r.T + p.b_r)  # reset gate
    h_tilde = np.tanh(np.concatenate([r * h_prev, x_t], axis=-1) @ p.W_h.T + p.b_h)  # candidate
    h = (1.0 - z) * h_prev + z * h_tilde  # the new state
    return GRUStep(z=z, r=r, h_tilde=h_tilde, h=h)


def gru_step_backward(p: GRUParams, x_t, h_prev, step: GRUStep, dh):
    """Back through one step: ``dh = dLoss/dh_t: ([B,] H)`` → ``(grads: GRUParams, dx_t, dh_prev)``.

    Weight gradients are summed over the batch. One line per formula of ``gru_step``, read backwards.
    """
    x_t, h_prev, H = _inputs(p, x_t, h_prev)
    dh = check_shape("dh", as_array("dh", dh), tuple(step.h.shape))
    z, r, h_tilde = step.z, step.r, step.h_tilde
    hx = np.concatenate([h_prev, x_t], axis=-1)
    rhx = np.concatenate([r * h_prev, x_t], axis=-1)

    def outer(d, a):  # Σ over the batch of d ⊗ a
        return d.reshape(-1, d.shape[-1]).T @ a.reshape(-1, a.shape[-1])

    dz = dh * (h_tilde - h_prev)  # h = (1 − z)·h_prev + z·h̃
    dh_tilde = dh * z
    dh_prev = dh * (1.0 - z)
    da_h = dh_tilde * (1.0 - h_tilde**2)  # h̃ = tanh(a_h)
    d_rhx = da_h @ p.W_h  # a_h = W_h·[r∗h_prev, x] + b_h
    dr = d_rhx[..., :H] * h_prev
    dh_prev = dh_prev + d_rhx[..., :H] * r
    da_r = dr * r * (1.0 - r)  # r = σ(a_r)
    da_z = dz * z * (1.0 - z)  # z = σ(a_z)
    d_hx = da_z @ p.W_z + da_r @ p.W_r  # a_z, a_r act on [h_prev, x]
    dh_prev = dh_prev + d_hx[..., :H]
    dx = d_hx[..., H:] + d_rhx[..., H:]
    sum_b = lambda a: a.reshape(-1, H).sum(axis=0)
    grads = GRUParams(
        W_z=outer(da_z, hx),
        b_z=sum_b(da_z),
        W_r=outer(da_r, hx),
        b_r=sum_b(da_r),
        W_h=outer(da_h, rhx),
        b_h=sum_b(da_h),
    )
    return grads, dx, dh_prev


def gru_forward(p: GRUParams, xs, h0=None) -> GRUTrace:
    """Run the GRU over ``xs: (T, [B,] D)`` from ``h0: ([B,] H)`` (zeros by default) → ``GRUTrace``."""
    D, H = sizes(p)
    xs = check_shape("xs", as_array("xs", xs, ndim=(2, 3)), (None, D), (None, None, D))
    T = xs.shape[0]
    if T == 0:
        raise ValueError("xs: ожидалась хотя бы одна точка по времени (T ≥ 1), получено T = 0")
    lead = xs.shape[1:-1]
    h0 = np.zeros((*lead, H)) if h0 is None else check_shape("h0", as_array("h0", h0), (*lead, H))
    X = xs.reshape(T, -1, D)
    B = X.shape[1]
    W = np.concatenate([p.W_z, p.W_r, p.W_h], axis=0)  # (3H, H + D)
    Zx = (X.reshape(T * B, D) @ W[:, H:].T + np.concatenate([p.b_z, p.b_r, p.b_h])).reshape(T, B, 3 * H)
    W_zr_hT = np.ascontiguousarray(W[: 2 * H, :H].T)  # (H, 2H)
    W_hh_T = np.ascontiguousarray(p.W_h[:, :H].T)  # (H, H)
    z, r, ht, h = (np.empty((T, B, H)) for _ in range(4))
    h_prev = h0.reshape(B, H)
    for t in range(T):
        zr = sigmoid(Zx[t, :, : 2 * H] + h_prev @ W_zr_hT)
        z[t], r[t] = zr[:, :H], zr[:, H:]
        ht[t] = np.tanh(Zx[t, :, 2 * H :] + (r[t] * h_prev) @ W_hh_T)
        h[t] = h_prev + z[t] * (ht[t] - h_prev)
        h_prev = h[t]
    shape = (T, *lead, H)
    return GRUTrace(z=z.reshape(shape), r=r.reshape(shape), h_tilde=ht.reshape(shape), h=h.reshape(shape), xs=xs, h0=h0)


def gru_backward(p: GRUParams, trace: GRUTrace, dh):
    """Backpropagation through time. ``dh: (T, [B,] H)`` = dLoss/dh_t at every step → ``(grads, dxs)``.

    The formulas are those of ``gru_step_backward``; the state gradient carried back is
    ``δh_{t−1} = δh_t·(1 − z_t) + (through h̃, r and z)``.
    """
    D, H = sizes(p)
    check_trace(trace, GRUTrace, "gru_forward", D, H)
    dh = check_shape("dh", as_array("dh", dh), tuple(trace.h.shape))
    T = trace.h.shape[0]
    B = int(np.prod(trace.h.shape[1:-1], dtype=int))
    z, r, ht, h, dh = (np.asarray(a).reshape(T, B, H) for a in (trace.z, trace.r, trace.h_tilde, trace.h, dh))
    X = trace.xs.reshape(T, B, D)
    h_prev_all = np.concatenate([trace.h0.reshape(1, B, H), h[:-1]])
    W_zr_h = p.W_z[:, :H], p.W_r[:, :H]
    W_hh = p.W_h[:, :H]
    dA = np.empty((T, B, 3 * H))  # δa of (z, r, h̃) at every step
    carry = np.zeros((B, H))
    for t in range(T - 1, -1, -1):
        hp = h_prev_all[t]
        d = dh[t] + carry
        da_z = d * (ht[t] - hp) * z[t] * (1.0 - z[t])
        da_h = d * z[t] * (1.0 - ht[t] ** 2)
        d_rh = da_h @ W_hh
        da_r = d_rh * hp * r[t] * (1.0 - r[t])
        carry = d * (1.0 - z[t]) + d_rh * r[t] + da_z @ W_zr_h[0] + da_r @ W_zr_h[1]
        dA[t, :, :H], dA[t, :, H : 2 * H], dA[t, :, 2 * H :] = da_z, da_r, da_h
    dA2 = dA.reshape(T * B, 3 * H)
    X2 = X.reshape(T * B, D)
    HP = h_prev_all.reshape(T * B, H)
    RH = (r * h_prev_all).reshape(T * B, H)
    dW_zr = dA2[:, : 2 * H].T @ np.concatenate([HP, X2], axis=1)
    dW_h = dA2[:, 2 * H :].T @ np.concatenate([RH, X2], axis=1)
    db = dA2.sum(axis=0)
    W_x = np.concatenate([p.W_z[:, H:], p.W_r[:, H:], p.W_h[:, H:]], axis=0)
    dxs = (dA2 @ W_x).reshape(trace.xs.shape)
    grads = GRUParams(W_z=dW_zr[:H], b_z=db[:H], W_r=dW_zr[H:], b_r=db[H : 2 * H], W_h=dW_h, b_h=db[2 * H :])
    return grads, dxs
