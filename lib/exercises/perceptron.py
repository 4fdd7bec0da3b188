"""Checks of lesson 1's exercises (``from lib.exercises import perceptron as ex``).

The student writes the perceptron's answer, Rosenblatt's rule (in words and as one formula), one epoch of it,
the training loop, picks NAND's weights and finds the tables no perceptron learns; and predicts before each
experiment (those checks live in ``perceptron_predictions`` and are re-exported here). The truth comes from
``lib.perceptron``; the hints name the typical mistake, never the answer.
"""

from __future__ import annotations

from itertools import product

import numpy as np

from lib import perceptron as P
from lib.data import logic_table
from lib.exercises._common import call, correct, exercise, same_array, wrong
from lib.exercises.perceptron_predictions import (  # the predictions, so that the lesson imports one module
    bias_prediction,
    first_epoch_prediction,
    hebb_prediction,
    novikoff_prediction,
    same_line_prediction,
    xor_best_prediction,
    xor_prediction,
)
from lib.fmt import plural

__all__ = ["perceptron_answer", "nand_weights", "rule_in_words", "rule_compact", "one_epoch", "train_loop"]
__all__ += ["not_learnable", "bias_prediction", "hebb_prediction", "first_epoch_prediction", "novikoff_prediction"]
__all__ += ["xor_prediction", "xor_best_prediction", "same_line_prediction"]

_fv, _fn = P.format_vector, P.format_number


# --- the answer -----------------------------------------------------------------------------------------

_ANSWER_CASES = [  # (w, b, x): a clear 1, a clear 0, z = 0 exactly, the bias decides, 1 and 3 inputs
    ([1.0, 1.0], -1.5, [1.0, 1.0]),
    ([1.0, 1.0], -1.5, [0.0, 1.0]),
    ([0.5, -0.5], 0.0, [1.0, 1.0]),
    ([-1.0, -1.0], 0.5, [0.0, 0.0]),
    ([2.0, 1.0], -0.5, [0.0, 0.0]),
    ([-1.0], 0.0, [0.0]),
    ([0.3, -0.2, 0.4], -0.15, [1.0, 1.0, 0.0]),
    ([-0.7, 0.2], 1.0, [1.0, 0.0]),
]


@exercise
def perceptron_answer(fn):
    """``fn(w, b, x) -> 0 or 1``: the perceptron's answer, 1 when ``w·x + b ≥ 0``."""
    got, want, z = [], [], []
    for w, b, x in _ANSWER_CASES:
        out = call(fn, np.array(w), b, np.array(x))
        try:
            value = float(out)
        except (TypeError, ValueError):
            return wrong(f"ответ должен быть числом 0 или 1, а функция вернула {out!r}")
        if value not in (0.0, 1.0):
            return wrong(
                f"ответ персептрона — 0 или 1, а функция вернула {_fn(value)}: "
                "сравните сумму с нулём, а не возвращайте её саму"
            )
        got.append(int(value))
        want.append(P.predict(w, b, x))
        z.append(P.weighted_sum(w, b, x))
    got, want, z = np.array(got), np.array(want), np.array(z)
    if np.array_equal(got, want):
        return correct(
            f"ответ 1 ровно тогда, когда w·x + b ≥ 0, на всех {plural(len(want), 'примере', 'примерах', 'примерах')}."
        )
    if np.array_equal(got, 1 - want):
        return wrong("ответы перевёрнуты: 1 должна быть там, где сумма w·x + b не меньше нуля")
    if np.array_equal(got, (z > 0).astype(int)):
        return wrong("при z = w·x + b = 0 ответ персептрона 1: условие z ≥ 0, а не z > 0")
    wx = z - np.array([b for _, b, _ in _ANSWER_CASES])  # the sums without the bias
    if np.array_equal(got, (wx >= 0).astype(int)) or np.array_equal(got, (wx > 0).astype(int)):
        return wrong("смещение забыто: сумма — это w·x + b, без b на входе (0, 0) ответ не выбрать")
    k = int(np.flatnonzero(got != want)[0])
    w, b, x = _ANSWER_CASES[k]
    return wrong(
        f"при w = {_fv(w)}, b = {_fn(b)}, x = {_fv(x)} функция ответила {got[k]}; "
        "посчитайте z = w·x + b и сравните с нулём"
    )


# --- weights by hand ------------------------------------------------------------------------------------


@exercise
def nand_weights(w, b):
    """Weights ``w = (w1, w2)`` and the bias ``b`` of a perceptron computing NAND."""
    try:
        w, b = np.asarray(w, dtype=float), float(b)
    except (TypeError, ValueError):
        return wrong("w — два числа (например, np.array([1.0, 2.0])), b — одно число")
    if w.shape != (2,) or not np.all(np.isfinite(w)) or not np.isfinite(b):
        return wrong(f"w — это два конечных числа (w1, w2), а получено {w.tolist()}")
    X, y = logic_table("NAND")
    bad = [(x, t) for x, t in zip(X, y) if P.predict(w, b, x) != t]
    if not bad:
        return correct("персептрон вычисляет NAND (И-НЕ) на всех четырёх входах.")
    x, t = bad[0]
    need = "≥ 0, чтобы ответ был 1" if t == 1 else "< 0, чтобы ответ был 0"
    where = (
        f"ошибок {len(bad)} из 4; например, на x = {_fv(x)} сумма w1·x1 + w2·x2 + b = "
        f"{_fn(P.weighted_sum(w, b, x))}, а нужно {need}. "
    )
    if b < 0:
        return wrong(where + "На входе (0, 0) сумма равна b, а NAND(0, 0) = 1: каким должно быть b?")
    if w.sum() + b >= 0:
        return wrong(where + "На (1, 1) ответ должен быть 0: веса вместе должны перевешивать b")
    return wrong(where + "На (0, 1) и (1, 0) нужен ответ 1: ни один вес в одиночку не должен перевешивать b")


# --- the rule -------------------------------------------------------------------------------------------

_BINARY_CASES = [  # (w, b, x, y, lr): right answer; too small; too large; zero input; another η; z = 0
    ([0.5, -0.5], 0.0, [1.0, 0.0], 1, 1.0),
    ([-1.0, 0.0], -0.5, [1.0, 1.0], 1, 1.0),
    ([0.5, 0.5], 0.0, [0.0, 1.0], 0, 1.0),
    ([0.2, 0.3], 0.1, [0.0, 0.0], 0, 1.0),
    ([0.0, -1.0], -0.5, [1.0, 1.0], 1, 0.25),
    ([0.5, -0.5], 0.0, [1.0, 1.0], 0, 0.5),
    ([0.4, 0.9], -0.7, [1.0, 0.0], 1, 0.5),
]
_REAL_CASES = [([0.3, -0.2], 0.0, [0.5, -2.0], 0, 0.5), ([-0.4, 0.1], -0.2, [0.5, 0.25], 1, 1.0)]


def _masked(w, b, x, y, lr):
    """The rule «in words» applied to any input: the weights of the inputs equal to 1 move by η."""
    err = P.update(w, b, x, y, lr).error
    return w + lr * err * (x == 1), b + lr * err


def _check_rule(fn, cases, what: str):
    for w, b, x, y, lr in cases:
        w, x = np.array(w), np.array(x)
        step = P.update(w, b, x, y, lr)
        w_arg = w.copy()
        out = call(fn, w_arg, b, x.copy(), y, lr)
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            return wrong(f"функция должна вернуть пару (w_new, b_new), а вернула {out!r}")
        where = f"при w = {_fv(w)}, b = {_fn(b)}, x = {_fv(x)}, y = {y}, η = {_fn(lr)}"
        if not np.array_equal(w_arg, w):
            return wrong(
                f"{where} функция изменила переданный массив w на месте; "
                "работайте с копией (w = w.copy()) или верните новый массив"
            )
        try:
            w_got, b_got = np.asarray(out[0], dtype=float), float(np.asarray(out[1], dtype=float))
        except (TypeError, ValueError):
            return wrong(f"w_new должен быть массивом чисел, b_new — числом, а получено {out!r}")
        problem = same_array("w_new", w_got, step.w_new)
        if problem is None and np.isclose(b_got, step.b_new):
            continue
        if problem and w_got.shape != w.shape:
            return wrong(f"{where}: {problem}")
        got = f"{where} получено w = {_fv(w_got)}, b = {_fn(b_got)}. "
        if step.error == 0:
            return wrong(got + "Ответ персептрона здесь верный: веса менять не нужно")
        if step.z == 0:
            return wrong(got + "При z = w·x + b = 0 ответ персептрона 1: условие z ≥ 0, а не z > 0")
        if problem is None:
            return wrong(got + "Смещение тоже учится: его вход всегда 1, и оно меняется при каждой ошибке")
        if np.allclose(w_got, w - step.dw):
            return wrong(got + "Знак перепутан: если ответ 0, а нужно 1, веса должны расти")
        if lr != 1 and np.allclose(w_got, w + step.dw / lr):
            return wrong(got + "Поправку нужно умножить на скорость обучения η")
        if not np.all((x == 0) | (x == 1)) and np.allclose(w_got, _masked(w, b, x, y, lr)[0]):
            return wrong(got + "Здесь входы не только 0 и 1: в формуле поправка веса умножается на свой вход x_i")
        return wrong(got + "Сверьте шаги: ответ ŷ = [w·x + b ≥ 0], затем поправка каждого веса и смещения")
    return correct(
        f"{what} с lib.perceptron.update на всех "
        f"{plural(len(cases), 'проверочном примере', 'проверочных примерах', 'проверочных примерах')}."
    )


@exercise
def rule_in_words(fn):
    """``fn(w, b, x, y, lr) -> (w_new, b_new)``: steps 2–3 of the algorithm for inputs of 0 and 1."""
    return _check_rule(fn, _BINARY_CASES, "ваше правило совпало")


@exercise
def rule_compact(fn):
    """``fn(w, b, x, y, lr) -> (w_new, b_new)``: ``w + η(y − ŷ)x``, ``b + η(y − ŷ)`` — also for inputs not 0/1."""
    return _check_rule(fn, _BINARY_CASES + _REAL_CASES, "ваша формула совпала")


# --- epochs ---------------------------------------------------------------------------------------------


def _epoch_cases():
    cases = []
    for fn, seed, lr in (("AND", 1, 0.5), ("XOR", 1, 0.5), ("OR", 4, 1.0), ("NOT", 2, 0.5), ("NAND", 0, 0.25)):
        X, y = logic_table(fn)
        w, b = P.initial_weights(X.shape[1], seed)
        cases.append((fn, X, y, w, b, lr))
    return cases


def _epoch_variants(X, y, w, b, lr) -> dict:
    """What one epoch gives, done right and done with the two typical mistakes: ``(w, b, mistakes)``."""
    run = P.Rosenblatt(X, y, w, b, lr)
    steps = run.run_epoch()
    frozen = [P.update(w, b, x, t, lr) for x, t in zip(X, y)]  # every example judged by the start weights
    return {
        "right": (run.w, run.b, sum(s.error != 0 for s in steps)),
        "first": (steps[0].w_new, steps[0].b_new, int(steps[0].error != 0)),
        "frozen": (w + sum(s.dw for s in frozen), b + sum(s.db for s in frozen), sum(s.error != 0 for s in frozen)),
    }


def _same_weights(got, want) -> bool:
    return got[0].shape == want[0].shape and np.allclose(got[0], want[0]) and np.isclose(got[1], want[1])


@exercise
def one_epoch(fn):
    """``fn(w, b, X, y, lr) -> (w_new, b_new, mistakes)``: one pass of the rule over the examples in order."""
    results = []
    for name, X, y, w, b, lr in _epoch_cases():
        out = call(fn, w.copy(), b, X.copy(), y.copy(), lr)
        if not isinstance(out, (tuple, list)) or len(out) != 3:
            return wrong(f"функция должна вернуть тройку (w, b, ошибок), а вернула {out!r}")
        where = f"{name} с w = {_fv(w)}, b = {_fn(b)}, η = {_fn(lr)}: "
        try:
            got = (np.asarray(out[0], dtype=float), float(out[1]), int(out[2]))
        except (TypeError, ValueError):
            return wrong(f"{where}ожидались массив весов, число и целое число ошибок, получено {out!r}")
        problem = same_array("w", got[0], w)
        if problem and got[0].shape != w.shape:
            return wrong(where + problem)
        results.append((where, got, _epoch_variants(X, y, w, b, lr)))
    failed = [
        (where, got, v) for where, got, v in results if not (_same_weights(got, v["right"]) and got[2] == v["right"][2])
    ]
    if not failed:
        return correct("одна эпоха совпала с lib.perceptron.Rosenblatt на AND, XOR, OR, NOT и NAND.")
    where, got, v = failed[0]
    if all(_same_weights(g, vv["right"]) for _, g, vv in failed):
        return wrong(
            f"{where}веса верны, а ошибок насчитано {got[2]}: считайте примеры, "
            "на которых ответ персептрона не совпал с нужным"
        )
    if all(_same_weights(g, vv["first"]) for _, g, vv in results):
        return wrong("функция возвращает веса после первого примера: не стоит ли return внутри цикла?")
    if all(_same_weights(g, vv["frozen"]) for _, g, vv in results):
        return wrong(
            "каждый пример должен видеть уже исправленные веса: обновляйте w и b "
            "сразу после каждого примера, внутри цикла"
        )
    return wrong(
        f"{where}после эпохи ожидались другие веса (получено w = {_fv(got[0])}, "
        f"b = {_fn(got[1])}); пройдите примеры по порядку, применяя правило к каждому"
    )


@exercise
def train_loop(fn):
    """``fn(X, y, w, b, lr, max_epochs) -> (w, b, epochs)``: epochs until one without mistakes, at most
    ``max_epochs``; ``epochs`` counts every epoch run, the error-free one included."""
    for name, X, y, w, b, lr in _epoch_cases():
        max_epochs = 12
        run = P.Rosenblatt(X, y, w, b, lr)
        while not run.history.converged and run.history.epochs < max_epochs:  # no stop at a cycle here
            run.run_epoch()
        out = call(fn, X.copy(), y.copy(), w.copy(), b, lr, max_epochs)
        if not isinstance(out, (tuple, list)) or len(out) != 3:
            return wrong(f"функция должна вернуть тройку (w, b, эпох), а вернула {out!r}")
        try:
            w_got, b_got, e_got = np.asarray(out[0], dtype=float), float(out[1]), int(out[2])
        except (TypeError, ValueError):
            return wrong(f"ожидались массив весов, число и целое число эпох, получено {out!r}")
        want = run.history.epochs
        where = f"{name} с w = {_fv(w)}, b = {_fn(b)}, η = {_fn(lr)}, max_epochs = {max_epochs}: "
        if e_got == want and w_got.shape == w.shape and np.allclose(w_got, run.w) and np.isclose(b_got, run.b):
            continue
        if run.history.converged and e_got == max_epochs:
            return wrong(where + "обучение должно остановиться, как только эпоха прошла без ошибок")
        if run.history.converged and e_got == want - 1:
            return wrong(
                where + "эпоху без ошибок тоже надо посчитать: она нужна, чтобы убедиться, что ошибок не осталось"
            )
        if not run.history.converged and e_got != max_epochs:
            return wrong(where + "здесь ошибки остаются в каждой эпохе: цикл должен дойти до max_epochs")
        return wrong(
            f"{where}ожидалось {plural(want, 'эпоха', 'эпохи', 'эпох')}, получено {e_got} "
            f"(веса {_fv(w_got)}, b = {_fn(b_got)}); повторяйте one_epoch, пока ошибок не станет 0"
        )
    return correct(
        "цикл обучения совпал с lib.perceptron на AND, XOR, OR, NOT и NAND (и на XOR не "
        "останавливается раньше max_epochs)."
    )


_TABLE_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


@exercise
def not_learnable(answer):
    """The set of the 16 two-input truth tables (answers on (0,0), (0,1), (1,0), (1,1)) no perceptron learns,
    or a function of no arguments returning it."""
    if callable(answer):
        answer = call(answer)
    try:
        tables = {tuple(int(v) for v in t) for t in answer}
    except (TypeError, ValueError):
        return wrong(f"ожидалось множество кортежей из четырёх 0/1, например {{(0, 0, 0, 1)}}, получено {answer!r}")
    for t in tables:
        if len(t) != 4 or set(t) - {0, 1}:
            return wrong(f"{t} — не таблица истинности: нужен кортеж из четырёх нулей и единиц")
    truth = {t for t in product((0, 1), repeat=4) if P.best_line_on_grid(_TABLE_INPUTS, np.array(t)) < 4}
    extra, missing = sorted(tables - truth), truth - tables
    if not extra and not missing:
        return correct(
            "из 16 функций двух входов один персептрон не вычисляет только эти; остальные 14 линейно разделимы."
        )
    if extra:
        t = extra[0]
        h = P.train(_TABLE_INPUTS, np.array(t), max_epochs=50)
        return wrong(
            f"таблицу {t} персептрон выучивает: например, w = {_fv(h.w)}, b = {_fn(h.b)} "
            "(проверьте predict); уберите её из ответа"
        )
    return wrong(
        f"не хватает ещё {plural(len(missing), 'таблицы', 'таблиц', 'таблиц')}: проверьте каждую из 16 — "
        "сходится ли на ней train(...)?"
    )
