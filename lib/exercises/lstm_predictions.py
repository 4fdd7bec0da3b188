"""Checks of notebook 5's «predict before you run» questions: what C_t keeps with the preset «помнить всё»,
whose gradient fades most 50 steps back, which gate carries the gender to the verb, who wins the adding
problem. Re-exported by ``lib.exercises.lstm``, which the lesson imports as ``ex``.
"""

from __future__ import annotations

from lib import fmt
from lib.exercises._common import correct, exercise, unsolved, wrong

__all__ = ["predict_remember", "predict_weakest_gradient", "predict_gender_gate", "predict_adding_winner"]


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
