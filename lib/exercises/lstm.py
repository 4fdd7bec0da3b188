"""Checks of notebook 5's exercises: the LSTM step written piece by piece (f_t; i_t and C̃_t; C_t; o_t and
h_t; the whole step). The step back and the forget bias (``lstm_backward``) and the «predict before you run»
questions (``lstm_predictions``) live beside it and are re-exported here, so the lesson imports one module:
``from lib.exercises import lstm as ex``.

Each check computes the truth with ``lib.lstm`` (no answers stored here) on its own small batch
(``B = 3``, ``D = 2``, ``H = 4``) and, when the student's answer differs, recognises the typical slips
(swapped gates, tanh instead of σ, ``[x_t, h_{t−1}]`` instead of ``[h_{t−1}, x_t]``, a forgotten bias, C̃
multiplied by f, ``h = o·C`` without tanh, a sign error in a derivative …) and names them.
"""

from __future__ import annotations

import numpy as np

from lib import lstm
from lib.exercises._common import call, correct, exercise, same_array, wrong
from lib.exercises._common import close as _close
from lib.exercises._common import first_hint as _first_hint
from lib.exercises._lstm_case import B, H, _case, _pair
from lib.exercises.lstm_backward import forget_bias_for, lstm_step_backward  # re-exported: one module to import
from lib.exercises.lstm_predictions import (  # re-exported: one module to import
    predict_adding_winner,
    predict_gender_gate,
    predict_remember,
    predict_weakest_gradient,
)
from lib.numerics import sigmoid

__all__ = [
    "forget_gate",
    "input_gate_and_candidate",
    "cell_update",
    "output_gate_and_h",
    "lstm_step",
    "lstm_step_backward",
    "forget_bias_for",
    "predict_remember",
    "predict_weakest_gradient",
    "predict_gender_gate",
    "predict_adding_winner",
]


def _layer_variants(W, b, h_prev, x_t, act, other, name: str):
    """The typical wrong versions of ``act(W·[h_{t−1}, x_t] + b)`` with their hints."""
    hx, xh = np.concatenate([h_prev, x_t], axis=-1), np.concatenate([x_t, h_prev], axis=-1)
    z = hx @ W.T + b
    act_name = "σ" if act is sigmoid else "tanh"
    other_name = "tanh" if act is sigmoid else "σ"
    return [
        (
            act(xh @ W.T + b),
            f"{name}: порядок склейки — сначала h_{{t−1}}, потом x_t: "
            "первые H столбцов матрицы действуют на прошлый выход.",
        ),
        (act(hx @ W.T), f"{name}: не хватает смещения b внутри {act_name}."),
        (
            other(z),
            f"{name}: здесь нужна {act_name}, а не {other_name}"
            + (
                " — фильтр должен давать долю от 0 до 1."
                if act is sigmoid
                else " — кандидат лежит между −1 и 1, а не между 0 и 1."
            ),
        ),
        (z, f"{name}: это взвешенная сумма z; не забыта ли функция активации {act_name}?"),
        (act(hx @ W.T - b), f"{name}: знак смещения: W·[h_{{t−1}}, x_t] + b."),
    ]


# ------------------------------------------------------------------------------------------------ forward


@exercise
def forget_gate(fn):
    """``fn(W_f, b_f, h_prev, x_t) -> f_t``: ``W_f: (H, H + D)``, ``b_f: (H,)``, ``h_prev: (B, H)``,
    ``x_t: (B, D)`` → ``f_t: (B, H)``."""
    p, x_t, h_prev, C_prev, _ = _case()
    got = call(fn, p.W_f.copy(), p.b_f.copy(), h_prev.copy(), x_t.copy())
    want = lstm.lstm_step(p, x_t, h_prev, C_prev).f
    if _close(got, want):
        return correct(
            "f_t = σ(W_f·[h_{t−1}, x_t] + b_f): по доле от 0 до 1 на каждую единицу C_{t−1}, "
            "для всех примеров пакета сразу."
        )
    if _close(got, want[0]):
        return wrong(
            "получился ответ для одного примера; склеивайте по последней оси (axis=-1), "
            "чтобы работал весь пакет (B, H)."
        )
    hint = _first_hint(
        got,
        _layer_variants(p.W_f, p.b_f, h_prev, x_t, sigmoid, np.tanh, "f_t"),
        (same_array("f_t", got, want) or "f_t не совпал") + ". Сравните с формулой f_t = σ(W_f·[h_{t−1}, x_t] + b_f).",
    )
    return wrong(hint)


@exercise
def input_gate_and_candidate(fn):
    """``fn(W_i, b_i, W_C, b_C, h_prev, x_t) -> (i_t, C_tilde)``, each ``(B, H)``."""
    p, x_t, h_prev, C_prev, _ = _case(seed=12)
    got = call(fn, p.W_i.copy(), p.b_i.copy(), p.W_C.copy(), p.b_C.copy(), h_prev.copy(), x_t.copy())
    pair, bad = _pair(got, "(i_t, C̃_t)")
    if bad is not None:
        return bad
    i_got, C_got = pair
    s = lstm.lstm_step(p, x_t, h_prev, C_prev)
    if _close(i_got, s.i) and _close(C_got, s.C_tilde):
        return correct(
            "входной фильтр i_t — доля от 0 до 1, кандидат C̃_t — значения от −1 до 1: "
            "вместе они решают, что и сколько записать на ленту."
        )
    if _close(i_got, s.C_tilde) and _close(C_got, s.i):
        return wrong("i_t и C̃_t перепутаны местами: функция возвращает сначала фильтр, потом кандидата.")
    hx = np.concatenate([h_prev, x_t], axis=-1)
    if _close(i_got, np.tanh(hx @ p.W_i.T + p.b_i)) and _close(C_got, sigmoid(hx @ p.W_C.T + p.b_C)):
        return wrong("активации перепутаны: фильтр i_t — сигмоида (доля от 0 до 1), кандидат C̃_t — tanh.")
    if not _close(i_got, s.i):
        return wrong(
            _first_hint(
                i_got,
                _layer_variants(p.W_i, p.b_i, h_prev, x_t, sigmoid, np.tanh, "i_t"),
                (same_array("i_t", i_got, s.i) or "i_t не совпал") + ". Формула: i_t = σ(W_i·[h_{t−1}, x_t] + b_i).",
            )
        )
    return wrong(
        _first_hint(
            C_got,
            _layer_variants(p.W_C, p.b_C, h_prev, x_t, np.tanh, sigmoid, "C̃_t"),
            (same_array("C̃_t", C_got, s.C_tilde) or "C̃_t не совпал")
            + ". Формула: C̃_t = tanh(W_C·[h_{t−1}, x_t] + b_C).",
        )
    )


@exercise
def cell_update(fn):
    """``fn(f_t, i_t, C_tilde, C_prev) -> C_t``, all ``(B, H)``."""
    rng = np.random.default_rng(13)
    f, i = rng.uniform(0.05, 0.95, size=(2, B, H))
    C_tilde, C_prev = rng.uniform(-1, 1, size=(B, H)), rng.normal(size=(B, H))
    got = call(fn, f.copy(), i.copy(), C_tilde.copy(), C_prev.copy())
    want = f * C_prev + i * C_tilde
    if _close(got, want):
        return correct("C_t = f_t·C_{t−1} + i_t·C̃_t: забыли часть старого, записали часть нового.")
    hint = _first_hint(
        got,
        [
            (
                i * C_prev + f * C_tilde,
                "фильтры перепутаны: f_t решает, сколько оставить от старого C_{t−1}, "
                "i_t — сколько записать из кандидата C̃_t.",
            ),
            (f * C_prev + f * C_tilde, "кандидат умножен на фильтр забывания; его долю выбирает входной фильтр i_t."),
            (i * C_tilde, "пропала старая память: где слагаемое со C_{t−1}?"),
            (f * C_prev, "ничего нового не записано: где слагаемое с кандидатом C̃_t?"),
            (C_prev + i * C_tilde, "старое состояние тоже проходит через фильтр — его умножают на f_t."),
            (f * C_prev * i * C_tilde, "два слагаемых надо сложить, а не перемножить."),
            (np.tanh(want), "tanh здесь не нужен: лента — только умножение и сложение (tanh будет в h_t)."),
        ],
        (same_array("C_t", got, want) or "C_t не совпал") + ". Формула: C_t = f_t·C_{t−1} + i_t·C̃_t "
        "(умножение поэлементное, `*` в numpy).",
    )
    return wrong(hint)


@exercise
def output_gate_and_h(fn):
    """``fn(W_o, b_o, h_prev, x_t, C_t) -> (o_t, h_t)``, each ``(B, H)``."""
    p, x_t, h_prev, C_prev, _ = _case(seed=14)
    s = lstm.lstm_step(p, x_t, h_prev, C_prev)
    got = call(fn, p.W_o.copy(), p.b_o.copy(), h_prev.copy(), x_t.copy(), s.C.copy())
    pair, bad = _pair(got, "(o_t, h_t)")
    if bad is not None:
        return bad
    o_got, h_got = pair
    if _close(o_got, s.o) and _close(h_got, s.h):
        return correct(
            "o_t выбирает, что показать, а h_t = o_t·tanh(C_t) — то, что увидят следующий шаг и слой сверху."
        )
    if not _close(o_got, s.o):
        return wrong(
            _first_hint(
                o_got,
                _layer_variants(p.W_o, p.b_o, h_prev, x_t, sigmoid, np.tanh, "o_t"),
                (same_array("o_t", o_got, s.o) or "o_t не совпал") + ". Формула: o_t = σ(W_o·[h_{t−1}, x_t] + b_o).",
            )
        )
    hint = _first_hint(
        h_got,
        [
            (s.o * s.C, "h_t = o_t·tanh(C_t): состояние ячейки сначала проходит через tanh."),
            (np.tanh(s.o * s.C), "tanh берётся от C_t, а потом умножается на o_t, не наоборот."),
            (np.tanh(s.C), "не забыт ли выходной фильтр? h_t = o_t·tanh(C_t)."),
            (s.o * sigmoid(s.C), "перед умножением на o_t нужен tanh от C_t, а не сигмоида."),
        ],
        (same_array("h_t", h_got, s.h) or "h_t не совпал") + ". Формула: h_t = o_t·tanh(C_t).",
    )
    return wrong(hint)


@exercise
def lstm_step(fn):
    """``fn(p, x_t, h_prev, C_prev) -> (f, i, C_tilde, C, o, h)``: the whole step from ``LSTMParams``."""
    p, x_t, h_prev, C_prev, _ = _case(seed=15)
    got = call(fn, p, x_t.copy(), h_prev.copy(), C_prev.copy())
    try:
        parts = [np.asarray(a, dtype=np.float64) for a in got]
    except (TypeError, ValueError):
        return wrong("функция должна вернуть шесть массивов: f, i, C̃, C, o, h.")
    if len(parts) != 6:
        return wrong(f"ожидалось шесть значений (f, i, C̃, C, o, h), получено {len(parts)}.")
    s = lstm.lstm_step(p, x_t, h_prev, C_prev)
    if all(_close(a, b) for a, b in zip(parts, s)):
        return correct("ваш шаг совпал с lib.lstm.lstm_step во всех шести величинах.")
    names = ("f_t", "i_t", "C̃_t", "C_t", "o_t", "h_t")
    k = next(k for k, (a, b) in enumerate(zip(parts, s)) if not _close(a, b))
    hx = np.concatenate([h_prev, x_t], axis=-1)
    layer = {
        "f": sigmoid(hx @ p.W_f.T + p.b_f),
        "i": sigmoid(hx @ p.W_i.T + p.b_i),
        "C": np.tanh(hx @ p.W_C.T + p.b_C),
        "o": sigmoid(hx @ p.W_o.T + p.b_o),
    }
    own = "fiC_o"[k] if k in (0, 1, 2, 4) else None
    if own:
        for other, val in layer.items():
            if other != own and _close(parts[k], val):
                return wrong(
                    f"{names[k]} посчитан с весами другого слоя (W_{other}, b_{other}): у каждого из "
                    "четырёх слоёв свои веса."
                )
        return wrong(
            f"{names[k]}: {same_array(names[k], parts[k], s[k])}. Проверьте склейку [h_{{t−1}}, x_t], "
            "смещение и функцию активации этого слоя."
        )
    if k == 3:
        return wrong("C_t не совпал, хотя фильтры верны: C_t = f_t·C_{t−1} + i_t·C̃_t.")
    return wrong("h_t не совпал, хотя o_t и C_t верны: h_t = o_t·tanh(C_t).")
