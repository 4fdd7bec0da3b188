"""Checks of notebook 5's exercises on the way back: one step of the LSTM backward (``lstm_step_backward``)
and the forget bias for a long memory (``forget_bias_for``). Re-exported by ``lib.exercises.lstm``, which the
lesson imports as ``ex``.

The truth comes from ``lib.lstm``; the hints name the typical slips (a forgotten ``+ δC_next``, ``1 − C²``
instead of ``1 − tanh²C``, a sign error in σ' or tanh', a gate's gradient through the wrong factor …).
"""

from __future__ import annotations

import numpy as np

from lib import fmt, lstm
from lib.exercises._common import call, correct, exercise, same_array, wrong
from lib.exercises._common import close as _close
from lib.exercises._common import first_hint as _first_hint
from lib.exercises._lstm_case import B, H, _case
from lib.numerics import sigmoid

__all__ = ["lstm_step_backward", "forget_bias_for"]


# ------------------------------------------------------------------------------------------------ backward


@exercise
def lstm_step_backward(fn):
    """``fn(step, C_prev, dh, dC_next) -> (dC, dz_f, dz_i, dz_C, dz_o, dC_prev)``, each ``(B, H)``;
    ``step`` is a ``lib.lstm.LSTMStep`` (fields ``f, i, C_tilde, C, o, h``)."""
    p, x_t, h_prev, C_prev, rng = _case(seed=16)
    s = lstm.lstm_step(p, x_t, h_prev, C_prev)
    dh, dC_next = rng.normal(size=(2, B, H))
    got = call(fn, lstm.LSTMStep(*(a.copy() for a in s)), C_prev.copy(), dh.copy(), dC_next.copy())
    try:
        parts = [np.asarray(a, dtype=np.float64) for a in got]
    except (TypeError, ValueError):
        return wrong("функция должна вернуть шесть массивов: dC, dz_f, dz_i, dz_C, dz_o, dC_prev.")
    if len(parts) != 6:
        return wrong(f"ожидалось шесть значений (dC, dz_f, dz_i, dz_C, dz_o, dC_prev), получено {len(parts)}.")
    g = lstm.lstm_step_backward(p, s, C_prev, dh, dC_next)
    want = (g.dC, g.dz_f, g.dz_i, g.dz_C, g.dz_o, g.dC_prev)
    if all(_close(a, b) for a, b in zip(parts, want)):
        return correct(
            "все шесть градиентов совпали с lib.lstm.lstm_step_backward: назад по ленте δC умножается только на f_t."
        )
    dC_got, dz_f, dz_i, dz_C, dz_o, dC_prev = parts
    tC = np.tanh(s.C)
    if not _close(dC_got, g.dC):
        return wrong(
            _first_hint(
                dC_got,
                [
                    (
                        dh * s.o * (1 - tC**2),
                        "в δC_t не хватает того, что пришло по ленте со следующего шага: + δC_next.",
                    ),
                    (
                        dC_next + dh * s.o,
                        "h_t = o_t·tanh(C_t): по дороге от h_t к C_t нужна производная tanh, 1 − tanh²C_t.",
                    ),
                    (dC_next + dh * s.o * (1 + tC**2), "знак в производной tanh: tanh' = 1 − tanh²."),
                    (dC_next + dh * (1 - tC**2), "по дороге от h_t к C_t градиент умножается ещё и на o_t."),
                    (
                        dC_next + dh * s.o * (1 - s.C**2),
                        "производная tanh берётся через tanh(C_t): 1 − tanh²C_t, а не 1 − C_t².",
                    ),
                ],
                same_array("dC", dC_got, g.dC) + ". В δC_t сходятся два пути: по ленте со следующего шага "
                "и через h_t = o_t·tanh(C_t).",
            )
        )
    dC = g.dC
    checks = [
        (
            "dz_f",
            dz_f,
            g.dz_f,
            [
                (
                    dC * s.C_tilde * s.f * (1 - s.f),
                    "dz_f: фильтр забывания умножал C_{t−1}, значит δf_t = "
                    "δC_t·C_{t−1} (а C̃_t — это для входного фильтра).",
                ),
                (dC * C_prev, "dz_f: это δf_t; дальше нужен ещё множитель σ' = f_t(1 − f_t)."),
                (dC * C_prev * s.f * (1 + s.f), "dz_f: знак в производной сигмоиды: σ' = σ(1 − σ)."),
            ],
            "что умножал f_t в формуле C_t? Это даст δf_t, а дальше — производная сигмоиды",
        ),
        (
            "dz_i",
            dz_i,
            g.dz_i,
            [
                (dC * C_prev * s.i * (1 - s.i), "dz_i: входной фильтр умножал кандидата, значит δi_t = δC_t·C̃_t."),
                (dC * s.C_tilde, "dz_i: это δi_t; дальше нужен ещё множитель σ' = i_t(1 − i_t)."),
                (dC * s.C_tilde * s.i * (1 + s.i), "dz_i: знак в производной сигмоиды: σ' = σ(1 − σ)."),
            ],
            "что умножал i_t в формуле C_t? Это даст δi_t, а дальше — производная сигмоиды",
        ),
        (
            "dz_C",
            dz_C,
            g.dz_C,
            [
                (
                    dC * s.i * s.C_tilde * (1 - s.C_tilde),
                    "dz_C: кандидат — это tanh, его производная 1 − C̃², а не σ(1 − σ).",
                ),
                (dC * s.i * (1 + s.C_tilde**2), "dz_C: знак в производной tanh: 1 − C̃²."),
                (dC * s.f * (1 - s.C_tilde**2), "dz_C: кандидат умножался на i_t, а не на f_t."),
                (dC * s.i, "dz_C: это δC̃_t; дальше нужен ещё множитель tanh' = 1 − C̃²."),
            ],
            "на что умножался кандидат в формуле C_t? Это даст δC̃_t, а дальше — производная tanh",
        ),
        (
            "dz_o",
            dz_o,
            g.dz_o,
            [
                (dh * s.C * s.o * (1 - s.o), "dz_o: выходной фильтр умножал tanh(C_t), а не C_t."),
                (
                    dC * tC * s.o * (1 - s.o),
                    "dz_o: фильтр o_t действует только в h_t, поэтому берётся δh_t, а не δC_t.",
                ),
                (dh * tC * s.o * (1 + s.o), "dz_o: знак в производной сигмоиды: σ' = σ(1 − σ)."),
                (dh * tC, "dz_o: это δo_t; дальше нужен ещё множитель σ' = o_t(1 − o_t)."),
            ],
            "что умножал o_t в формуле h_t? Это даст δo_t, а дальше — производная сигмоиды",
        ),
        (
            "dC_prev",
            dC_prev,
            g.dC_prev,
            [
                (dC * s.i, "dC_prev: C_{t−1} умножался на f_t, значит назад по ленте — тоже на f_t."),
                (dC, "dC_prev: по ленте назад градиент умножается на f_t."),
                (dC_next * s.f, "dC_prev: умножайте на f_t всё δC_t, а не только пришедшее со следующего шага."),
            ],
            "на что умножалось C_{t−1} по дороге к C_t? На то же градиент умножается и назад по ленте",
        ),
    ]
    for name, got_k, want_k, variants, idea in checks:
        if not _close(got_k, want_k):
            return wrong(_first_hint(got_k, variants, f"{same_array(name, got_k, want_k)}. Подсказка: {idea}."))
    return wrong("что-то не совпало с lib.lstm.lstm_step_backward.")


# ------------------------------------------------------------------------------------------------ forget bias


@exercise
def forget_bias_for(fn):
    """``fn(n_steps, keep) -> b_f``: the forget bias (weights zero, ``f = σ(b_f)`` every step, input gate
    closed) with which a share ``keep`` of ``C`` survives ``n_steps`` steps: ``σ(b_f)^n = keep``."""
    cases = [(50, 0.5), (10, 0.5), (100, 0.9), (20, 0.1)]
    for n, keep in cases:
        got = call(fn, n, keep)
        try:
            b = float(got)
        except (TypeError, ValueError):
            return wrong(f"функция должна вернуть одно число b_f, а вернула {type(got).__name__}.")
        f = keep ** (1.0 / n)
        want = float(np.log(f / (1 - f)))
        if abs(b - want) <= 1e-6 * max(1.0, abs(want)):
            continue
        left = float(sigmoid(b)) ** n
        if abs(b + want) <= 1e-6 * max(1.0, abs(want)):
            return wrong("знак: обратная к сигмоиде функция — ln(f / (1 − f)), а не ln((1 − f) / f).")
        f_half = keep
        if abs(b - np.log(f_half / (1 - f_half))) < 1e-6:
            return wrong(
                f"за {n} шагов множитель f применяется {n} раз: нужна доля на один шаг, f = keep^(1/n), а не keep."
            )
        return wrong(
            f"при n = {n}, keep = {fmt.num(keep, 1)}: σ(b_f)^n = {fmt.num(left, 3)}, а нужно "
            f"{fmt.num(keep, 1)}. "
            "Найдите f из f^n = keep, затем b_f из σ(b_f) = f."
        )
    return correct(
        "смещение растёт медленно (как логарифм от n), но растёт: чем дольше помнить, тем ближе f к единице."
    )
