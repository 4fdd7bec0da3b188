"""Checks of lesson 1's predictions: the student says what an experiment will show before running it.

Each check says whether the prediction holds (the truth is computed with ``lib.perceptron``, for the lesson's
parameters) and, if not, hints at the reasoning without giving the number away. ``lib.exercises.perceptron``
re-exports them, so the lesson imports one module: ``from lib.exercises import perceptron as ex``.
"""

from __future__ import annotations

import numpy as np

from lib import perceptron as P
from lib.data import logic_table
from lib.exercises._common import correct, exercise, wrong

__all__ = ["bias_prediction", "hebb_prediction", "first_epoch_prediction", "novikoff_prediction"]
__all__ += ["xor_prediction", "xor_best_prediction", "same_line_prediction"]


def _choice(value, options: dict):
    """The key of ``options`` (synonyms → one answer) that ``value`` names, or ``None``."""
    text = str(value).strip().lower().strip(".!«»\"'")
    for key, words in options.items():
        if text in words:
            return key
    return None


def _count(value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer, float)) or value != int(value):
        return None
    return int(value)


@exercise
def bias_prediction(guess):
    """Which of AND, OR, NAND, NOR one perceptron computes with ``b = 0``: a set of names."""
    try:
        names = {str(n).strip().upper() for n in ([guess] if isinstance(guess, str) else guess)}
    except TypeError:
        return wrong('ожидалось множество названий, например {"AND", "OR"}')
    if names - {"AND", "OR", "NAND", "NOR"}:
        return wrong(f"выбирайте из AND, OR, NAND, NOR, а получено {sorted(names)}")
    truth = {n for n in ("AND", "OR", "NAND", "NOR") if P.best_line_on_grid(*logic_table(n), bias=False) == 4}
    if names == truth:
        return correct("без смещения из четырёх функций получается только эта; перебор ниже это покажет.")
    hint = "при b = 0 на входе (0, 0) сумма равна 0, и ответ там всегда 1 — а где ещё нужен выбор?"
    return wrong(f"прогноз не совпал; {hint} Сравните с перебором в следующей ячейке")


@exercise
def hebb_prediction(guess):
    """How many of AND's 4 rows the perceptron gets wrong after 5 epochs of Hebb's rule (Δw = x·y)."""
    n = _count(guess)
    if n is None or not 0 <= n <= 4:
        return wrong("ожидалось целое число от 0 до 4")
    X, y = logic_table("AND")
    w = 5 * (X * y[:, None]).sum(axis=0)
    truth = int(np.sum(P.predict(w, 5 * y.sum(), X) != y))
    if n == truth:
        return correct("правило Хебба только наращивает веса — следующая ячейка покажет, к чему это ведёт.")
    return wrong("подумайте, какие знаки будут у w1, w2 и b, если они только растут; следующая ячейка покажет")


@exercise
def first_epoch_prediction(guess, X, y, w0, b0, lr):
    """Mistakes in the first epoch of Rosenblatt's rule on ``(X, y)`` from ``(w0, b0)`` with η = ``lr``."""
    n = _count(guess)
    if n is None or not 0 <= n <= len(X):
        return wrong(f"ожидалось целое число от 0 до {len(X)}")
    run = P.Rosenblatt(X, y, w0, b0, lr)
    truth = sum(s.error != 0 for s in run.run_epoch())
    if n == truth:
        return correct("ровно столько ошибок в первой эпохе; распечатка ниже покажет каждую.")
    more = "больше" if truth > n else "меньше"
    return wrong(
        f"ошибок будет {more}. Не забывайте: после каждой ошибки веса уже другие, и следующий пример считается с новыми"
    )


_LESS = {
    "меньше": {"меньше", "<", "less", "fewer"},
    "столько же": {"столько же", "ровно", "=", "равно", "same"},
    "больше": {"больше", ">", "more"},
}


@exercise
def novikoff_prediction(guess, X, y, lr, bound):
    """Will the perceptron from zero weights make fewer mistakes than Novikoff's ``bound``, as many, or more?"""
    key = _choice(guess, _LESS)
    if key is None:
        return wrong("ожидалось одно из: «меньше», «столько же», «больше»")
    mistakes = P.train(X, y, lr=lr).mistakes
    truth = "столько же" if abs(mistakes - bound) < 1e-9 else "меньше" if mistakes < bound else "больше"
    if key == truth:
        return correct("оценка Новикова — это потолок, а не точное число; сравните в следующей ячейке.")
    if key == "больше":
        return wrong("теорема обещает не больше (R/γ)² ошибок при любом порядке примеров")
    return wrong(
        "оценка — потолок, верный при любом порядке примеров, а не точное число; "
        "посмотрите в следующей ячейке, сколько ошибок на деле"
    )


_YES_NO = {
    True: {"да", "yes", "true", "сойдётся", "сойдется"},
    False: {"нет", "no", "false", "не сойдётся", "не сойдется", "никогда"},
}


@exercise
def xor_prediction(guess):
    """Does Rosenblatt's rule ever reach an epoch without mistakes on XOR? ``"да"`` or ``"нет"``."""
    key = guess if isinstance(guess, bool) else _choice(guess, _YES_NO)
    if key is None:
        return wrong("ожидалось «да» или «нет»")
    separable = P.best_line_on_grid(*logic_table("XOR")) == 4
    if key == separable:
        return correct("эпоха без ошибок значила бы, что прямая разделяет точки XOR, а её нет.")
    return wrong("эпоха без ошибок означала бы, что персептрон вычисляет XOR; вспомните четыре неравенства выше")


@exercise
def xor_best_prediction(guess):
    """The most rows of XOR's table (of 4) that the best single perceptron gets right."""
    n = _count(guess)
    if n is None or not 0 <= n <= 4:
        return wrong("ожидалось целое число от 0 до 4")
    truth = P.best_line_on_grid(*logic_table("XOR"))
    if n == truth:
        return correct("столько строк XOR прямая ещё может угадать; перебор ниже это покажет.")
    if n == 4:
        return wrong("все четыре — значит, прямая разделяет точки XOR; а доказательство выше говорит, что её нет")
    return wrong("прямой нет, но это не значит, что она угадывает мало: попробуйте в виджете-песочнице выше")


@exercise
def same_line_prediction(guess, X, y, lr, max_epochs, w_true, b_true):
    """Will the line the perceptron learns on ``(X, y)`` from zero weights be the true line ``(w_true, b_true)``?"""
    key = guess if isinstance(guess, bool) else _choice(guess, _YES_NO)
    if key is None:
        return wrong("ожидалось «да» или «нет»")
    run = P.train(X, y, lr=lr, max_epochs=max_epochs)
    learned = np.append(run.w, run.b)
    true = np.append(w_true, b_true)
    norm = np.linalg.norm(learned)
    same = bool(norm and np.allclose(learned / norm, true / np.linalg.norm(true), atol=1e-3))
    if key == same:
        if same:
            return correct("здесь выученная прямая совпала с истинной; на рисунке ниже — обе.")
        return correct("разделяющих прямых много, а правило останавливается на первой; на рисунке ниже — обе.")
    return wrong("правило останавливается, как только ошибок нет; сколько разных прямых разделяют эти точки?")
