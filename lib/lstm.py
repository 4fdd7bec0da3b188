"""LSTM (Hochreiter & Schmidhuber, 1997; forget gate: Gers, Schmidhuber & Cummins, 2000) in Olah's notation.

Every layer acts on the concatenation ``[h_{t-1}, x_t]``; each weight matrix ``W_*`` has shape ``(H, H + D)``
(its first ``H`` columns multiply ``h_{t-1}``, the last ``D`` multiply ``x_t``). A leading batch axis is
optional everywhere: ``x_t`` is ``(D,)`` or ``(B, D)``, a sequence ``xs`` is ``(T, D)`` or ``(T, B, D)``.

- ``lstm_step``: one step, the lecture's six equations, one line each (what a student reads and writes);
- ``lstm_step_backward``: the same step read backwards, one line per formula of notebook 5;
- ``lstm_forward``: the equations over a sequence, organised for speed (the input projection of all steps
  in one matrix product, the four layers of a step in one product and one ``tanh`` call); it returns every
  intermediate value stacked over time, for plots and for ``lstm_backward``;
- ``lstm_backward``: backpropagation through time, a loop over ``lstm_step_backward``; the weight gradients
  of all steps in one matrix product after the loop.

Speed (``bench/bench_lstm_speed.py``, ``make bench``): on par with PyTorch's CPU ``nn.LSTM`` in float64.
The exercise checks of notebook 5 live in ``lib.exercises.lstm``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from lib.checks import as_array, check_positive, check_shape, check_trace
from lib.numerics import sigmoid, sigmoid_prime, tanh_prime

__all__ = [
    "LSTMParams",
    "LSTMStep",
    "LSTMStepGrads",
    "LSTMTrace",
    "init_params",
    "lstm_step",
    "lstm_step_backward",
    "lstm_forward",
    "lstm_backward",
    "sizes",
]

_NAMES = ("W_f", "b_f", "W_i", "b_i", "W_C", "b_C", "W_o", "b_o")


class _Weights(NamedTuple):
    W_f: np.ndarray  # forget gate
    b_f: np.ndarray
    W_i: np.ndarray  # input gate
    b_i: np.ndarray
    W_C: np.ndarray  # candidate values C̃
    b_C: np.ndarray
    W_o: np.ndarray  # output gate
    b_o: np.ndarray


class LSTMParams(_Weights):
    """Weights of an LSTM layer: each ``W_*: (H, H + D)`` acts on ``[h_{t-1}, x_t]``, each ``b_*: (H,)``.

    Checked where it is made: a matrix whose shape disagrees with the others is named in the error, with the
    shape expected and the one given (the shape most of the four matrices share is taken as the right one).
    """

    __slots__ = ()

    def __new__(cls, W_f, b_f, W_i, b_i, W_C, b_C, W_o, b_o):
        vals = {}
        for name, v in zip(_NAMES, (W_f, b_f, W_i, b_i, W_C, b_C, W_o, b_o)):
            try:
                vals[name] = np.asarray(v, dtype=np.float64)
            except (TypeError, ValueError):
                raise TypeError(f"p.{name}: ожидался числовой массив, получено {type(v).__name__}") from None
        mats = [n for n in _NAMES if n.startswith("W")]
        for n in mats:
            if vals[n].ndim != 2:
                raise ValueError(f"p.{n}: ожидалась матрица (H, H + D), получена форма {vals[n].shape}")
        shapes = [vals[n].shape for n in mats]
        H_bias = [vals[n].shape[0] for n in _NAMES if n.startswith("b") and vals[n].ndim == 1]
        # the right shape: the one most matrices share; on a tie, the one whose H most biases agree with
        want = max(shapes, key=lambda s: (shapes.count(s), H_bias.count(s[0]), -shapes.index(s)))
        H, HD = want
        if HD <= H:
            raise ValueError(f"p.W_f: ожидалась форма (H, H + D) с D ≥ 1, получена {want}")
        for n in _NAMES:
            check_shape(f"p.{n}", vals[n], (H, HD) if n.startswith("W") else (H,))
        return super().__new__(cls, *(vals[n] for n in _NAMES))

    @classmethod
    def _make(cls, iterable):  # ``_replace`` goes through here: checked as well
        return cls(*iterable)


class LSTMStep(NamedTuple):
    """Everything one step computes; each field is ``([B,] H)``."""

    f: np.ndarray
    i: np.ndarray
    C_tilde: np.ndarray
    C: np.ndarray
    o: np.ndarray
    h: np.ndarray


class LSTMStepGrads(NamedTuple):
    """One step back (``lstm_step_backward``), each field ``([B,] …)``: ``dC`` = δC_t (everything that reaches
    C_t); ``dz_f, dz_i, dz_C, dz_o`` = δ of the four layers' weighted sums ``z = W·[h_{t−1}, x_t] + b``;
    ``dh_prev`` = δh_{t−1}, ``dx`` = δx_t, ``dC_prev`` = δC_{t−1} (through this step only)."""

    dC: np.ndarray
    dz_f: np.ndarray
    dz_i: np.ndarray
    dz_C: np.ndarray
    dz_o: np.ndarray
    dh_prev: np.ndarray
    dx: np.ndarray
    dC_prev: np.ndarray


class LSTMTrace(NamedTuple):
    """A forward pass over ``T`` steps: the fields of ``LSTMStep`` stacked to ``(T, [B,] H)``.

    ``xs: (T, [B,] D)``, ``h0``, ``C0: ([B,] H)`` are kept too: ``lstm_backward`` needs them, and
    ``tanh_C: (T, [B,] H)``, computed on the way to ``h``, saves it a ``tanh`` per step.
    """

    f: np.ndarray
    i: np.ndarray
    C_tilde: np.ndarray
    C: np.ndarray
    o: np.ndarray
    h: np.ndarray
    xs: np.ndarray
    h0: np.ndarray
    C0: np.ndarray
    tanh_C: np.ndarray | None = None


def sizes(p: LSTMParams) -> tuple[int, int]:
    """``(input_size D, hidden_size H)`` of the parameters (their shapes agree: ``LSTMParams`` checks)."""
    if not isinstance(p, LSTMParams):
        raise TypeError(f"p: ожидались параметры LSTMParams, получено {type(p).__name__}")
    H, HD = p.W_f.shape
    return HD - H, H


def init_params(input_size: int, hidden_size: int, seed: int = 0, forget_bias: float = 1.0) -> LSTMParams:
    """Random small weights ``U(-k, k)``, ``k = 1/sqrt(H)`` (as PyTorch does); biases 0 except ``b_f``.

    ``forget_bias`` (1 by default, Gers et al. 2000; Jozefowicz et al. 2015) starts the forget gate at
    ``σ(1) ≈ 0.73``: the cell keeps about three quarters of its state per step before it has learned anything.
    """
    check_positive("input_size", input_size, integer=True)
    check_positive("hidden_size", hidden_size, integer=True)
    as_array("forget_bias", forget_bias, ndim=0)
    D, H = int(input_size), int(hidden_size)
    rng = np.random.default_rng(seed)
    k = 1.0 / np.sqrt(H)

    def weight():
        return rng.uniform(-k, k, size=(H, H + D))

    return LSTMParams(
        W_f=weight(),
        b_f=np.full(H, float(forget_bias)),
        W_i=weight(),
        b_i=np.zeros(H),
        W_C=weight(),
        b_C=np.zeros(H),
        W_o=weight(),
        b_o=np.zeros(H),
    )


def _state(name: str, value, lead: tuple, H: int) -> np.ndarray:
    """``h0``/``C0``/``h_prev``/``C_prev``: zeros if ``None``, else exactly of shape ``(*lead, H)``."""
    if value is None:
        return np.zeros((*lead, H))
    return check_shape(name, as_array(name, value), (*lead, H))


def _step_inputs(p: LSTMParams, x_t, h_prev, C_prev):
    D, H = sizes(p)
    x_t = check_shape("x_t", as_array("x_t", x_t, ndim=(1, 2)), (D,), (None, D))
    lead = x_t.shape[:-1]
    return x_t, _state("h_prev", h_prev, lead, H), _state("C_prev", C_prev, lead, H)


def lstm_step(p: LSTMParams, x_t, h_prev, C_prev) -> LSTMStep:
    """One LSTM step. ``x_t: ([B,] D)``, ``h_prev, C_prev: ([B,] H)`` → ``LSTMStep`` of ``([B,] H)`` arrays."""
    x_t, h_prev, C_prev = _step_inputs(p, x_t, h_prev, C_prev)
    hx = np.concatenate([h_prev, x_t], axis=-1)  # [h_{t-1}, x_t]
    f = sigmoid(hx @ p.W_f.T + p.b_f)  # forget gate: what to keep of C_{t-1}
    i = sigmoid(hx @ p.W_i.T + p.b_i)  # input gate: how much of C̃_t to write
    C_tilde = np.tanh(hx @ p.W_C.T + p.b_C)  # candidate values
    C = f * C_prev + i * C_tilde  # the new cell state
    o = sigmoid(hx @ p.W_o.T + p.b_o)  # output gate: what to show of the cell
    h = o * np.tanh(C)  # the new hidden state (the output)
    return LSTMStep(f=f, i=i, C_tilde=C_tilde, C=C, o=o, h=h)


def _step_backward(p, s: LSTMStep, C_prev, dh, dC_next, W_h=None, dz_out=None, tanh_C=None) -> LSTMStepGrads:
    """``lstm_step_backward`` without the checks (``lstm_backward`` calls it ``T`` times).

    Given ``W_h``, the ``h``-columns of the four matrices stacked in the order (f, i, C, o), ``(4H, H)``,
    only ``δh_{t−1}`` is computed here (``dx`` is ``None``: ``lstm_backward`` gets ``δx`` of all steps in one
    product after the loop); ``dz_out: (B, 4H)`` receives the four ``δz`` side by side; ``tanh_C``, if given,
    is tanh(C_t) as the forward pass computed it.
    """
    H = s.f.shape[-1]
    dz = np.empty((*s.f.shape[:-1], 4 * H)) if dz_out is None else dz_out  # the four δz side by side:
    dz_f, dz_i, dz_C, dz_o = (dz[..., k * H : (k + 1) * H] for k in range(4))  # filled in place, no copy
    tanh_C = np.tanh(s.C) if tanh_C is None else tanh_C
    dC = dC_next + dh * s.o * tanh_prime(tanh_C)  # δC_t: from h_t = o_t·tanh C_t and from step t+1
    do = dh * tanh_C  # δo_t
    df = dC * C_prev  # δf_t       (C_t = f_t·C_{t−1} + i_t·C̃_t)
    di = dC * s.C_tilde  # δi_t
    dC_tilde = dC * s.i  # δC̃_t
    np.multiply(df, sigmoid_prime(s.f), out=dz_f)  # δz_f = δf_t·σ': σ' = σ(1 − σ)
    np.multiply(di, sigmoid_prime(s.i), out=dz_i)  # δz_i
    np.multiply(dC_tilde, tanh_prime(s.C_tilde), out=dz_C)  # δz_C: tanh' = 1 − tanh²
    np.multiply(do, sigmoid_prime(s.o), out=dz_o)  # δz_o
    dC_prev = dC * s.f  # along the belt: only × f_t
    if W_h is None:  # δ[h_{t−1}, x_t] = Σ over the layers of δz·W
        dhx = dz @ np.concatenate([p.W_f, p.W_i, p.W_C, p.W_o], axis=0)
        dh_prev, dx = dhx[..., :H], dhx[..., H:]
    else:
        dh_prev, dx = dz @ W_h, None
    return LSTMStepGrads(dC=dC, dz_f=dz_f, dz_i=dz_i, dz_C=dz_C, dz_o=dz_o, dh_prev=dh_prev, dx=dx, dC_prev=dC_prev)


def lstm_step_backward(p: LSTMParams, step: LSTMStep, C_prev, dh, dC_next=None) -> LSTMStepGrads:
    """Back through one step computed by ``lstm_step``::

        δC_t  = δC_next + δh_t·o_t·(1 − tanh²C_t)     δC_next = δC_{t+1}·f_{t+1}, from the step after
        δo_t  = δh_t·tanh C_t            δz_o = δo_t·o_t(1 − o_t)
        δf_t  = δC_t·C_{t−1}             δz_f = δf_t·f_t(1 − f_t)
        δi_t  = δC_t·C̃_t                δz_i = δi_t·i_t(1 − i_t)
        δC̃_t = δC_t·i_t                 δz_C = δC̃_t·(1 − C̃_t²)
        δ[h_{t−1}, x_t] = Σ δz·W_*,      δC_{t−1} = δC_t·f_t

    ``step``: the ``LSTMStep``; ``C_prev: ([B,] H)`` = C_{t−1}; ``dh: ([B,] H)`` = everything that reaches h_t;
    ``dC_next: ([B,] H)`` (zeros if ``None``). Returns ``LSTMStepGrads``; the weight gradients of the step are
    ``dW_* = δz_*ᵀ·[h_{t−1}, x_t]`` and ``db_* = Σ δz_*`` over the batch (``lstm_backward`` sums them over time).
    """
    D, H = sizes(p)
    if not isinstance(step, LSTMStep):
        raise TypeError(f"step: ожидался результат lstm_step (LSTMStep), получено {type(step).__name__}")
    lead = tuple(np.shape(step.h))[:-1]
    C_prev = _state("C_prev", C_prev, lead, H)
    dh = check_shape("dh", as_array("dh", dh), (*lead, H))
    dC_next = _state("dC_next", dC_next, lead, H)
    return _step_backward(p, step, C_prev, dh, dC_next)


def _fused(p: LSTMParams, H: int):
    """The four layers stacked in the order (f, i, o, C̃) with the gates' rows halved: ``W_h: (4H, H)``,
    ``W_x: (4H, D)``, ``b: (4H,)``. Then ``tanh`` of the whole ``4H`` block gives ``tanh(z/2)`` for the gates
    (and ``σ(z) = ½·tanh(z/2) + ½``) and ``tanh(z)`` for the candidate: one call for all four layers."""
    W = np.concatenate([p.W_f, p.W_i, p.W_o, p.W_C], axis=0)
    b = np.concatenate([p.b_f, p.b_i, p.b_o, p.b_C])
    W[: 3 * H] *= 0.5
    b[: 3 * H] *= 0.5
    return np.ascontiguousarray(W[:, :H]), np.ascontiguousarray(W[:, H:]), b


def lstm_forward(p: LSTMParams, xs, h0=None, C0=None) -> LSTMTrace:
    """Run the LSTM over ``xs: (T, [B,] D)`` from ``h0, C0: ([B,] H)`` (zeros by default).

    Returns an ``LSTMTrace`` whose fields ``f, i, C_tilde, C, o, h`` are ``(T, [B,] H)``: the same numbers
    ``lstm_step`` gives step by step, computed faster (see the module's docstring).
    """
    D, H = sizes(p)
    xs = check_shape("xs", as_array("xs", xs, ndim=(2, 3)), (None, D), (None, None, D))
    T = xs.shape[0]
    if T == 0:
        raise ValueError("xs: ожидалась хотя бы одна точка по времени (T ≥ 1), получено T = 0")
    lead = xs.shape[1:-1]
    h0 = _state("h0", h0, lead, H)
    C0 = _state("C0", C0, lead, H)
    X = xs.reshape(T, -1, D)  # (T, B, D), B = 1 without a batch
    B = X.shape[1]

    W_h, W_x, b = _fused(p, H)
    W_hT = np.ascontiguousarray(W_h.T)
    Z = X.reshape(T * B, D) @ W_x.T  # input projection of every step at once
    Z += b
    gates = Z.reshape(T, B, 4 * H)  # becomes the activated (f, i, o, C̃) in place
    C = np.empty((T, B, H))
    h = np.empty((T, B, H))
    tmp = np.empty((B, 4 * H))
    tanh_C = np.empty((T, B, H))
    h_prev, C_prev = h0.reshape(B, H), C0.reshape(B, H)
    for t in range(T):
        z = gates[t]
        np.matmul(h_prev, W_hT, out=tmp)
        z += tmp
        np.tanh(z, out=z)  # tanh(z/2) for the gates, tanh(z) for C̃
        s = z[:, : 3 * H]  # σ(z) = ½·tanh(z/2) + ½
        s *= 0.5
        s += 0.5
        f, i, o, C_tilde = z[:, :H], z[:, H : 2 * H], z[:, 2 * H : 3 * H], z[:, 3 * H :]
        np.multiply(f, C_prev, out=C[t])  # C_t = f_t·C_{t−1} + i_t·C̃_t
        np.multiply(i, C_tilde, out=tanh_C[t])
        C[t] += tanh_C[t]
        np.tanh(C[t], out=tanh_C[t])
        np.multiply(o, tanh_C[t], out=h[t])  # h_t = o_t·tanh C_t
        h_prev, C_prev = h[t], C[t]

    shape = (T, *lead, H)
    return LSTMTrace(
        f=gates[..., :H].reshape(shape),
        i=gates[..., H : 2 * H].reshape(shape),
        C_tilde=gates[..., 3 * H :].reshape(shape),
        C=C.reshape(shape),
        o=gates[..., 2 * H : 3 * H].reshape(shape),
        h=h.reshape(shape),
        xs=xs,
        h0=h0,
        C0=C0,
        tanh_C=tanh_C.reshape(shape),
    )


def lstm_backward(p: LSTMParams, trace: LSTMTrace, dh):
    """Backpropagation through time: ``lstm_step_backward`` from ``t = T`` down to 1.

    ``dh: (T, [B,] H)`` is dLoss/dh_t from the layers above at every step (zeros where the loss does not
    look). Returns ``(grads, dxs)``: ``grads`` an ``LSTMParams`` of dLoss/dW_*, dLoss/db_*, and
    ``dxs: (T, [B,] D)``. Each step receives ``δh_t = dh_t + δh_t (from step t+1)`` and ``δC_{t+1}·f_{t+1}``;
    the weight gradients ``Σ_t δz_tᵀ·[h_{t−1}, x_t]`` and ``δx_t = δz_t·W_x`` of all steps are one matrix
    product each after the loop.
    """
    D, H = sizes(p)
    check_trace(trace, LSTMTrace, "lstm_forward", D, H)
    dh = check_shape("dh", as_array("dh", dh), tuple(trace.h.shape))
    T = trace.h.shape[0]
    B = int(np.prod(trace.h.shape[1:-1], dtype=int))

    def flat(a):
        return np.asarray(a).reshape(T, B, -1)

    f, i, Ct, C, o, h, dh, X = (
        flat(a) for a in (trace.f, trace.i, trace.C_tilde, trace.C, trace.o, trace.h, dh, trace.xs)
    )
    C0 = trace.C0.reshape(B, H)
    tC = flat(trace.tanh_C) if trace.tanh_C is not None else np.tanh(C)
    W = np.concatenate([p.W_f, p.W_i, p.W_C, p.W_o], axis=0)  # (4H, H + D), hoisted out of the loop
    W_h = np.ascontiguousarray(W[:, :H])
    dZ = np.empty((T, B, 4 * H))  # δz of (f, i, C̃, o) at every step
    dh_next = np.zeros((B, H))
    dC_next = np.zeros((B, H))
    for t in range(T - 1, -1, -1):
        s = LSTMStep(f=f[t], i=i[t], C_tilde=Ct[t], C=C[t], o=o[t], h=h[t])
        g = _step_backward(p, s, C[t - 1] if t else C0, dh[t] + dh_next, dC_next, W_h, dZ[t], tC[t])
        dh_next, dC_next = g.dh_prev, g.dC_prev

    dZ2 = dZ.reshape(T * B, 4 * H)
    dW_h = dZ2[B:].T @ h[:-1].reshape((T - 1) * B, H) + dZ2[:B].T @ trace.h0.reshape(B, H)  # Σ_t δz_tᵀ·h_{t−1}
    dW = np.concatenate([dW_h, dZ2.T @ X.reshape(T * B, D)], axis=1)  # … and ·x_t, all steps
    db = dZ2.sum(axis=0)
    dxs = (dZ2 @ W[:, H:]).reshape(trace.xs.shape)  # δx of all steps at once
    blocks = [(dW[k * H : (k + 1) * H], db[k * H : (k + 1) * H]) for k in range(4)]
    grads = LSTMParams(*blocks[0], *blocks[1], *blocks[2], *blocks[3])
    return grads, dxs
