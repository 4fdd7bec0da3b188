"""Checks of notebook 5's exercises: the LSTM step written piece by piece (f_t; i_t and C̃_t; C_t; o_t and
h_t; the whole step), one step back, the forget bias for a long memory, and the «predict before you run»
questions.

Each check computes the truth with ``lib.lstm`` (no answers stored here) on its own small batch
(``B = 3``, ``D = 2``, ``H = 4``) and, when the student's answer differs, recognises the typical slips
(swapped gates, tanh instead of σ, ``[x_t, h_{t−1}]`` instead of ``[h_{t−1}, x_t]``, a forgotten bias, C̃
multiplied by f, ``h = o·C`` without tanh, a sign error in a derivative …) and names them.
"""

from __future__ import annotations

import numpy as np

from lib import fmt, lstm
from lib.exercises._common import call, correct, exercise, same_array, unsolved, wrong
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

B, D, H = 3, 2, 4


def _close(got, want, atol: float = 1e-8) -> bool:
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return got.shape == np.shape(want) and bool(np.allclose(got, want, atol=atol, rtol=1e-6))


def _first_hint(got, candidates, default: str) -> str:
    """The hint of the first wrong variant that ``got`` matches, else ``default``."""
    return next((hint for alt, hint in candidates if _close(got, alt)), default)


def _pair(got, what: str):
    """``got`` unpacked into two arrays, or a ``wrong`` verdict saying what was expected."""
    try:
        a, b = got
    except (TypeError, ValueError):
        return None, wrong(f"функция должна вернуть пару {what}, например `return a, b`.")
    return (a, b), None


def _case(seed: int = 11):
    """Parameters with non-zero biases (so a forgotten bias shows) and a batch of inputs and states."""
    rng = np.random.default_rng(seed)
    p0 = lstm.init_params(D, H, seed=seed)
    p = lstm.LSTMParams(
        W_f=1.5 * p0.W_f,
        b_f=rng.normal(size=H),
        W_i=1.5 * p0.W_i,
        b_i=rng.normal(size=H),
        W_C=1.5 * p0.W_C,
        b_C=rng.normal(size=H),
        W_o=1.5 * p0.W_o,
        b_o=rng.normal(size=H),
    )
    x_t = rng.normal(size=(B, D))
    h_prev = 0.5 * rng.normal(size=(B, H))
    C_prev = rng.normal(size=(B, H))
    return p, x_t, h_prev, C_prev, rng


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
                same_array("dC", dC_got, g.dC) + ". Формула: δC_t = δC_next + δh_t·o_t·(1 − tanh²C_t).",
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
            "δz_f = δC_t·C_{t−1}·f_t(1 − f_t)",
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
            "δz_i = δC_t·C̃_t·i_t(1 − i_t)",
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
            "δz_C = δC_t·i_t·(1 − C̃_t²)",
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
            "δz_o = δh_t·tanh(C_t)·o_t(1 − o_t)",
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
            "δC_{t−1} = δC_t·f_t",
        ),
    ]
    for name, got_k, want_k, variants, formula in checks:
        if not _close(got_k, want_k):
            return wrong(_first_hint(got_k, variants, f"{same_array(name, got_k, want_k)}. Формула: {formula}."))
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


# ------------------------------------------------------------------------------------------------ predictions


def _number(guess):
    try:
        return float(guess)
    except (TypeError, ValueError):
        return None


@exercise
def predict_remember(guess, C_prev: float = 0.8):
    """``guess``: C_t when ``f_t ≈ 1``, ``i_t ≈ 0`` and ``C_{t−1} = C_prev`` (preset «помнить всё»)."""
    g = _number(guess)
    if g is None:
        return wrong("впишите число.")
    from lib.widgets.lstm import explore, preset

    truth = explore(**{**preset("помнить всё"), "C_prev": C_prev})["C_t"]
    if abs(g - truth) <= 0.02:
        return correct(
            f"C_t ≈ {fmt.num(truth, 3)}: f_t ≈ 1 пропускает старое, i_t ≈ 0 не пускает новое, что бы ни пришло на вход."
        )
    return wrong("подставьте f_t ≈ 1 и i_t ≈ 0 в C_t = f_t·C_{t−1} + i_t·C̃_t: какое слагаемое останется?")


@exercise
def predict_weakest_gradient(guess, far: dict):
    """``guess``: the name of the curve whose gradient 50 steps back is the smallest; ``far`` maps the
    curves' names to the measured ‖∂L/∂x‖ 50 steps back."""
    names = tuple(far)
    if not isinstance(guess, str) or guess not in names:
        return wrong("впишите одно из названий: " + ", ".join(f"«{n}»" for n in names) + ".")
    truth = min(far, key=far.get)
    if guess == truth:
        return correct(f"«{truth}»: {far[truth]:.1e}. Ниже — почему.".replace(".", ",", 1).replace("-", "−"))
    return wrong(
        "подумайте, на что умножается градиент на каждом шаге назад: у LSTM по ленте — на f ≈ σ(b_f), "
        "у RNN — на Wᵀ и tanh'. Ниже — как вышло на самом деле."
    )


@exercise
def predict_gender_gate(guess):
    """``guess``: ``"f"``, ``"i"`` or ``"o"`` — the gate that must stay near 1 on the fillers to carry the
    gender 30 words to the verb."""
    if guess not in ("f", "i", "o"):
        return wrong('впишите "f", "i" или "o".')
    if guess == "f":
        return correct(
            "пока f_t ≈ 1, записанное на ленту доезжает до глагола; ниже видно, близок ли к 1 "
            "f_t обученной сети на вставках на самом деле."
        )
    if guess == "i":
        return wrong("входной фильтр решает, что записать нового; а что не даёт стереть старое?")
    return wrong("выходной фильтр решает, что показать наружу сейчас; а что хранит запись между шагами?")


@exercise
def predict_adding_winner(guess, solved: dict, *, T: int = 100):
    """``guess`` is ``"rnn"``, ``"lstm"`` or ``"поровну"``; ``solved = {"rnn": n, "lstm": m}`` from the bench."""
    if guess not in ("rnn", "lstm", "поровну"):
        return wrong('впишите "rnn", "lstm" или "поровну".')
    if set(solved) != {"rnn", "lstm"}:
        return unsolved(
            "Пока не решено: проверить прогноз не с чем — результатов бенчмарка сложения "
            "(bench/results/adding.json) "
            "ещё нет, их даёт make bench."
        )
    r, m = solved["rnn"], solved["lstm"]
    truth = "поровну" if r == m else ("rnn" if r > m else "lstm")
    if guess == truth:
        return correct(f"при T = {T} решено: RNN — {r}, LSTM — {m} (таблица ниже).")
    return wrong("таблица бенчмарка говорит иное: посмотрите ниже на столбец решённых запусков при длинной задержке.")
