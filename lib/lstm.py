"""LSTM (Hochreiter & Schmidhuber, 1997) in the notation of Olah's "Understanding LSTM Networks".

Every layer acts on the concatenation ``[h_{t-1}, x_t]``; each weight matrix ``W_*`` has shape ``(H, H + D)``
(its first ``H`` columns multiply ``h_{t-1}``, the last ``D`` multiply ``x_t``). A leading batch axis is
optional everywhere: ``x_t`` is ``(D,)`` or ``(B, D)``, a sequence ``xs`` is ``(T, D)`` or ``(T, B, D)``.

- ``lstm_step``: one step, the lecture's six equations, one line each (what a student reads).
- ``lstm_forward``: the same equations over a sequence, organised for speed (input projection for all steps
  in one matrix product, the four gates in one product per step and one ``tanh`` call for all four,
  preallocated buffers); it returns every intermediate value, stacked over time, for plots and for
  ``lstm_backward``.
- ``lstm_backward``: backpropagation through time, given ``dh = dLoss/dh_t`` for every step (per-step work on
  small buffers that stay in cache; the weight gradients in three matrix products after the loop).
- ``check_exercise_1/2/3``: the self-checks of the notebook's exercises.

Speed (``bench/bench_lstm_speed.py``): on par with PyTorch's CPU ``nn.LSTM`` in float64. A busy machine and
a multi-threaded BLAS thrash each other; ``OPENBLAS_NUM_THREADS=1`` is often faster for these small matrices.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from lib.checks import as_array, check_positive, check_shape

__all__ = ["LSTMParams", "LSTMStep", "LSTMTrace", "sigmoid", "init_params", "lstm_step", "lstm_forward",
           "lstm_backward", "sizes", "check_exercise_1", "check_exercise_2", "check_exercise_3", "SOLUTIONS"]


class LSTMParams(NamedTuple):
    """Weights of an LSTM layer: each ``W_*: (H, H + D)`` acts on ``[h_{t-1}, x_t]``, each ``b_*: (H,)``."""

    W_f: np.ndarray  # forget gate
    b_f: np.ndarray
    W_i: np.ndarray  # input gate
    b_i: np.ndarray
    W_C: np.ndarray  # candidate values C̃
    b_C: np.ndarray
    W_o: np.ndarray  # output gate
    b_o: np.ndarray


class LSTMStep(NamedTuple):
    """Everything one step computes; each field is ``([B,] H)``."""

    f: np.ndarray
    i: np.ndarray
    C_tilde: np.ndarray
    C: np.ndarray
    o: np.ndarray
    h: np.ndarray


class LSTMTrace(NamedTuple):
    """A forward pass over ``T`` steps: the fields of ``LSTMStep`` stacked to ``(T, [B,] H)``.

    ``xs: (T, [B,] D)``, ``h0``, ``C0: ([B,] H)`` are kept too: ``lstm_backward`` needs them.
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


def sigmoid(z):
    """Logistic function ``1 / (1 + e^{-z})``, written through tanh: no overflow even at ``z = ±1000``."""
    return 0.5 * np.tanh(0.5 * np.asarray(z, dtype=np.float64)) + 0.5


def sizes(p: LSTMParams) -> tuple[int, int]:
    """``(input_size D, hidden_size H)`` of the parameters, after checking that all eight agree."""
    if not isinstance(p, LSTMParams):
        raise TypeError(f"p: ожидались параметры LSTMParams, получено {type(p).__name__}")
    W = as_array("p.W_f", p.W_f, ndim=2)
    H, HD = W.shape
    if HD <= H:
        raise ValueError(f"p.W_f: ожидалась форма (H, H + D) с D ≥ 1, получена {W.shape}")
    for name in ("W_f", "W_i", "W_C", "W_o"):
        check_shape(f"p.{name}", as_array(f"p.{name}", getattr(p, name)), (H, HD))
    for name in ("b_f", "b_i", "b_C", "b_o"):
        check_shape(f"p.{name}", as_array(f"p.{name}", getattr(p, name)), (H,))
    return HD - H, H


def init_params(input_size: int, hidden_size: int, seed: int = 0, forget_bias: float = 1.0) -> LSTMParams:
    """Random small weights ``U(-k, k)``, ``k = 1/sqrt(H)`` (as PyTorch does); biases 0 except ``b_f``.

    ``forget_bias`` (1 by default, Gers et al. 2000; Jozefowicz et al. 2015) starts the forget gate at
    ``σ(1) ≈ 0.73``: the cell remembers by default before it has learned anything.
    """
    check_positive("input_size", input_size, integer=True)
    check_positive("hidden_size", hidden_size, integer=True)
    as_array("forget_bias", forget_bias, ndim=0)
    D, H = int(input_size), int(hidden_size)
    rng = np.random.default_rng(seed)
    k = 1.0 / np.sqrt(H)

    def weight():
        return rng.uniform(-k, k, size=(H, H + D))

    return LSTMParams(W_f=weight(), b_f=np.full(H, float(forget_bias)),
                      W_i=weight(), b_i=np.zeros(H),
                      W_C=weight(), b_C=np.zeros(H),
                      W_o=weight(), b_o=np.zeros(H))


def _state(name: str, value, lead: tuple, H: int) -> np.ndarray:
    """``h0``/``C0``/``h_prev``/``C_prev``: zeros if ``None``, else exactly of shape ``(*lead, H)``."""
    if value is None:
        return np.zeros((*lead, H))
    arr = as_array(name, value)
    return check_shape(name, arr, (*lead, H))


def lstm_step(p: LSTMParams, x_t, h_prev, C_prev) -> LSTMStep:
    """One LSTM step. ``x_t: ([B,] D)``, ``h_prev, C_prev: ([B,] H)`` → ``LSTMStep`` of ``([B,] H)`` arrays."""
    D, H = sizes(p)
    x_t = check_shape("x_t", as_array("x_t", x_t, ndim=(1, 2)), (D,), (None, D))
    lead = x_t.shape[:-1]
    h_prev = _state("h_prev", h_prev, lead, H)
    C_prev = _state("C_prev", C_prev, lead, H)

    hx = np.concatenate([h_prev, x_t], axis=-1)            # [h_{t-1}, x_t]
    f = sigmoid(hx @ p.W_f.T + p.b_f)                       # forget gate: what to keep of C_{t-1}
    i = sigmoid(hx @ p.W_i.T + p.b_i)                       # input gate: how much of C̃_t to write
    C_tilde = np.tanh(hx @ p.W_C.T + p.b_C)                 # candidate values
    C = f * C_prev + i * C_tilde                            # the new cell state
    o = sigmoid(hx @ p.W_o.T + p.b_o)                       # output gate: what to show of the cell
    h = o * np.tanh(C)                                      # the new hidden state (the output)
    return LSTMStep(f=f, i=i, C_tilde=C_tilde, C=C, o=o, h=h)


def _fused(p: LSTMParams, H: int, halve_gates: bool = False):
    """The four layers stacked in the order (f, i, o, C̃): ``W_h: (4H, H)``, ``W_x: (4H, D)``, ``b: (4H,)``.

    The three sigmoid gates come first, so one block ``[:, :3H]`` holds them all. With ``halve_gates`` their
    rows are multiplied by ½: then ``tanh`` of the whole ``4H`` block at once gives ``tanh(z/2)`` for the gates
    (and ``σ(z) = ½·tanh(z/2) + ½``) and ``tanh(z)`` for the candidate.
    """
    W = np.concatenate([p.W_f, p.W_i, p.W_o, p.W_C], axis=0)
    b = np.concatenate([p.b_f, p.b_i, p.b_o, p.b_C])
    if halve_gates:
        W[:3 * H] *= 0.5
        b[:3 * H] *= 0.5
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
    X = xs.reshape(T, -1, D)                                 # (T, B, D), B = 1 without a batch
    B = X.shape[1]

    W_h, W_x, b = _fused(p, H, halve_gates=True)
    W_hT = np.ascontiguousarray(W_h.T)
    Z = X.reshape(T * B, D) @ W_x.T                          # input projection of every step at once
    Z += b
    gates = Z.reshape(T, B, 4 * H)                           # becomes the activated (f, i, o, C̃) in place
    C = np.empty((T, B, H))
    h = np.empty((T, B, H))
    tmp = np.empty((B, 4 * H))
    tanh_C = np.empty((B, H))
    h_prev, C_prev = h0.reshape(B, H), C0.reshape(B, H)
    for t in range(T):
        z = gates[t]
        np.matmul(h_prev, W_hT, out=tmp)
        z += tmp
        np.tanh(z, out=z)                                    # tanh(z/2) for the gates, tanh(z) for C̃
        s = z[:, :3 * H]                                     # σ(z) = ½·tanh(z/2) + ½
        s *= 0.5
        s += 0.5
        f, i, o, C_tilde = z[:, :H], z[:, H:2 * H], z[:, 2 * H:3 * H], z[:, 3 * H:]
        np.multiply(f, C_prev, out=C[t])
        np.multiply(i, C_tilde, out=tanh_C)
        C[t] += tanh_C
        np.tanh(C[t], out=tanh_C)
        np.multiply(o, tanh_C, out=h[t])
        h_prev, C_prev = h[t], C[t]

    shape = (T, *lead, H)
    return LSTMTrace(f=gates[..., :H].reshape(shape), i=gates[..., H:2 * H].reshape(shape),
                     C_tilde=gates[..., 3 * H:].reshape(shape), C=C.reshape(shape),
                     o=gates[..., 2 * H:3 * H].reshape(shape), h=h.reshape(shape), xs=xs, h0=h0, C0=C0)


def lstm_backward(p: LSTMParams, trace: LSTMTrace, dh):
    """Backpropagation through time.

    ``dh: (T, [B,] H)`` is dLoss/dh_t from the layers above at every step (zeros where the loss does not
    look). Returns ``(grads, dxs)``: ``grads`` an ``LSTMParams`` of dLoss/dW_*, dLoss/db_*, and
    ``dxs: (T, [B,] D)``. Going back from ``t = T`` to 1, with ``δh_t = dh_t + (gradient from step t+1)``::

        δC_t  = δh_t·o_t·(1 − tanh²C_t) + δC_{t+1}·f_{t+1}
        δo_t  = δh_t·tanh C_t           →  δz_o = δo_t·o_t(1 − o_t)
        δf_t  = δC_t·C_{t−1}            →  δz_f = δf_t·f_t(1 − f_t)
        δi_t  = δC_t·C̃_t               →  δz_i = δi_t·i_t(1 − i_t)
        δC̃_t = δC_t·i_t                →  δz_C = δC̃_t·(1 − C̃_t²)
        δ[h_{t−1}, x_t] = Σ_gates δz·W,   dW += δzᵀ·[h_{t−1}, x_t],   db += δz
    """
    D, H = sizes(p)
    if not isinstance(trace, LSTMTrace):
        raise TypeError(f"trace: ожидался результат lstm_forward (LSTMTrace), получено {type(trace).__name__}")
    if trace.h.shape[-1] != H or trace.xs.shape[-1] != D or trace.xs.shape[:-1] != trace.h.shape[:-1]:
        raise ValueError(f"trace: не подходит к параметрам (D = {D}, H = {H}): xs {trace.xs.shape}, "
                         f"h {trace.h.shape}; передайте результат lstm_forward с этими же p")
    dh = check_shape("dh", as_array("dh", dh), tuple(trace.h.shape))
    T = trace.h.shape[0]
    B = int(np.prod(trace.h.shape[1:-1], dtype=int))

    def flat(a):
        return np.asarray(a).reshape(T, B, -1)

    f, i, Ct, C, o, h, dh = (flat(a) for a in (trace.f, trace.i, trace.C_tilde, trace.C, trace.o, trace.h, dh))
    X = flat(trace.xs)
    h0, C0 = trace.h0.reshape(B, H), trace.C0.reshape(B, H)

    W_h, W_x, _ = _fused(p, H)
    dZ = np.empty((T, B, 4 * H))                             # δz of (f, i, o, C̃) at every step
    dh_next = np.zeros((B, H))
    dC_next = np.zeros((B, H))
    dht, dC, tanh_C, a, b = (np.empty((B, H)) for _ in range(5))
    # Everything per step on (B, H) buffers that stay in cache (faster than whole-sequence temporaries).
    for t in range(T - 1, -1, -1):
        C_prev = C[t - 1] if t > 0 else C0
        np.add(dh[t], dh_next, out=dht)                      # δh_t
        np.tanh(C[t], out=tanh_C)
        np.multiply(tanh_C, tanh_C, out=a)                   # δC_t = δh_t·o_t·(1 − tanh²C_t) + δC_{t+1}·f_{t+1}
        np.subtract(1.0, a, out=a)
        a *= o[t]
        np.multiply(dht, a, out=dC)
        dC += dC_next
        dz = dZ[t]
        np.subtract(1.0, f[t], out=a)                        # δz_f = δC_t·C_{t−1}·f_t(1 − f_t)
        a *= f[t]
        a *= C_prev
        np.multiply(dC, a, out=dz[:, :H])
        np.subtract(1.0, i[t], out=a)                        # δz_i = δC_t·C̃_t·i_t(1 − i_t)
        a *= i[t]
        a *= Ct[t]
        np.multiply(dC, a, out=dz[:, H:2 * H])
        np.subtract(1.0, o[t], out=a)                        # δz_o = δh_t·tanh C_t·o_t(1 − o_t)
        a *= o[t]
        a *= tanh_C
        np.multiply(dht, a, out=dz[:, 2 * H:3 * H])
        np.multiply(Ct[t], Ct[t], out=b)                     # δz_C = δC_t·i_t·(1 − C̃_t²)
        np.subtract(1.0, b, out=b)
        b *= i[t]
        np.multiply(dC, b, out=dz[:, 3 * H:])
        np.multiply(dC, f[t], out=dC_next)                   # along the conveyor: only × f_t
        np.matmul(dz, W_h, out=dh_next)                      # back into h_{t−1}

    h_prev = np.concatenate([h0[None], h[:-1]])
    dZ2 = dZ.reshape(T * B, 4 * H)
    dW_h = dZ2.T @ h_prev.reshape(T * B, H)
    dW_x = dZ2.T @ X.reshape(T * B, D)
    dW = np.concatenate([dW_h, dW_x], axis=1)
    db = dZ2.sum(axis=0)
    dxs = (dZ2 @ W_x).reshape(trace.xs.shape)
    blocks = {name: (dW[k * H:(k + 1) * H], db[k * H:(k + 1) * H]) for k, name in enumerate("fioC")}
    grads = LSTMParams(W_f=blocks["f"][0], b_f=blocks["f"][1], W_i=blocks["i"][0], b_i=blocks["i"][1],
                       W_C=blocks["C"][0], b_C=blocks["C"][1], W_o=blocks["o"][0], b_o=blocks["o"][1])
    return grads, dxs


# ----------------------------------------------------------------------------------------- exercises

def _missing(*answers) -> bool:
    if any(a is Ellipsis for a in answers):
        print("✎ Ответ ещё не вписан: замените `...` своим ответом и запустите ячейку снова.")
        return True
    return False


def _reference_forget_gate(W_f, b_f, h_prev, x_t):
    return sigmoid(np.concatenate([h_prev, x_t]) @ W_f.T + b_f)


def check_exercise_1(forget_gate) -> None:
    """Exercise 1: ``forget_gate(W_f, b_f, h_prev, x_t) -> f_t`` for ``W_f: (H, H + D)``, ``h_prev: (H,)``,
    ``x_t: (D,)``. Prints a verdict and a specific hint in Russian."""
    if _missing(forget_gate):
        return
    if not callable(forget_gate):
        raise TypeError(f"forget_gate: ожидалась функция forget_gate(W_f, b_f, h_prev, x_t), "
                        f"получено {type(forget_gate).__name__}")
    rng = np.random.default_rng(11)
    W_f, b_f = rng.normal(size=(3, 5)), rng.normal(size=3)
    h_prev, x_t = rng.normal(size=3), rng.normal(size=2)
    got = forget_gate(W_f, b_f, h_prev, x_t)
    if got is None:
        print("✎ Функция пока ничего не возвращает: допишите её тело вместо `...` и верните f_t.")
        return
    got = np.asarray(got, dtype=float)
    want = _reference_forget_gate(W_f, b_f, h_prev, x_t)
    if got.shape != want.shape:
        print(f"✘ Форма ответа {got.shape}, а нужна {want.shape}: по одному числу на каждую единицу состояния.")
        return
    if np.allclose(got, want, atol=1e-9):
        print("✔ Верно: f_t = σ(W_f·[h_{t−1}, x_t] + b_f), по числу от 0 до 1 на каждую единицу C_{t−1}.")
        return
    if np.allclose(got, sigmoid(np.concatenate([x_t, h_prev]) @ W_f.T + b_f), atol=1e-9):
        print("✘ Порядок склейки: сначала h_{t−1}, потом x_t — np.concatenate([h_prev, x_t]).")
    elif np.allclose(got, np.concatenate([h_prev, x_t]) @ W_f.T + b_f, atol=1e-9):
        print("✘ Почти: это взвешенная сумма z, а фильтр — σ(z) = 1 / (1 + e^(−z)); используйте lstm.sigmoid.")
    elif np.all((got >= 0) & (got <= 1)):
        print("✘ Значения от 0 до 1, но не те. Проверьте: W_f умножается на склейку [h_{t−1}, x_t] "
              "(W_f @ hx), затем прибавляется b_f, затем σ.")
    else:
        print("✘ Фильтр должен возвращать числа от 0 до 1: не забыли сигмоиду?")


def check_exercise_2(C_t) -> None:
    """Exercise 2: the new cell state for ``C_prev = (0.9, −0.5, 0.3)``, ``f = (1, 0, 0.5)``,
    ``i = (0, 1, 0.5)``, ``C_tilde = (−0.8, 0.7, 0.6)`` (a 3-vector, by hand)."""
    if _missing(C_t):
        return
    C_prev, f = np.array([0.9, -0.5, 0.3]), np.array([1.0, 0.0, 0.5])
    i, Ct = np.array([0.0, 1.0, 0.5]), np.array([-0.8, 0.7, 0.6])
    want = f * C_prev + i * Ct
    got = as_array("C_t", C_t)
    if got.shape != (3,):
        print(f"✘ Нужны три числа (по одному на единицу состояния), а получена форма {got.shape}.")
        return
    wrong = [k for k in range(3) if abs(got[k] - want[k]) > 1e-6]
    if not wrong:
        print("✔ Верно: C_t = f_t·C_{t−1} + i_t·C̃_t = (0.9, 0.7, 0.45). Первая единица помнит, вторая "
              "переписана целиком, третья — наполовину старое, наполовину новое.")
        return
    k = wrong[0]
    print(f"✘ Единица {k + 1}: у вас {got[k]:g}, а f·C_{{t−1}} + i·C̃ = {f[k]:g}·{C_prev[k]:g} + "
          f"{i[k]:g}·{Ct[k]:g} = {want[k]:g}.")
    if k == 0:
        print("Подсказка: f = 1 и i = 0 — фильтр забывания пропускает всё старое, новое не записывается.")


def check_exercise_3(b_f) -> None:
    """Exercise 3: the smallest forget bias (all forget weights zero) with which half of ``C`` survives 50
    steps: ``σ(b_f)^50 = 1/2``, ``b_f = ln(f / (1 − f))`` with ``f = 2^(−1/50)`` ≈ 4.27."""
    if _missing(b_f):
        return
    b = float(as_array("b_f", b_f, ndim=0))
    f = float(sigmoid(b))
    left = f ** 50
    want = float(np.log(2 ** (-1 / 50) / (1 - 2 ** (-1 / 50))))
    if abs(b - want) < 0.02:
        print(f"✔ Верно: b_f ≈ {want:.2f}, f = σ(b_f) ≈ {float(sigmoid(want)):.4f}, и за 50 шагов остаётся "
              f"f^50 ≈ 0.5 от C. Поэтому сдвиг фильтра забывания и начинают с 1–3, а не с 0: σ(0)^50 ≈ 1e−15.")
    elif b < want:
        print(f"✘ Мало: σ({b:g}) = {f:.4f}, а {f:.4f}^50 = {left:.3g} < 0.5 — ячейка забудет больше половины.")
    else:
        print(f"✘ Это с запасом: σ({b:g})^50 = {left:.3f} > 0.5. Найдите наименьший такой сдвиг "
              f"(решите σ(b)^50 = 0.5 относительно b).")


SOLUTIONS = {   # reference answers: exercise number → what its check takes
    1: _reference_forget_gate,
    2: np.array([0.9, 0.7, 0.45]),
    3: float(np.log(2 ** (-1 / 50) / (1 - 2 ** (-1 / 50)))),
}
