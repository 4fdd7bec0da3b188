"""Checks of lesson 1's exercises: a right answer says «Верно», a stub «Пока не решено», and each typical
mistake gets its own hint (and no hint gives the answer away)."""

from __future__ import annotations

import numpy as np
import pytest

from lib import perceptron as P
from lib.data import logic_table
from lib.exercises import perceptron as ex


def said(check, *args, capsys):
    verdict = check(*args)
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out  # exactly one line
    assert out.strip() == verdict.line
    return verdict


# --- reference answers, written here as a student would (never in lib) --------------------------------------


def answer(w, b, x):
    return int(np.dot(w, x) + b >= 0)


def in_words(w, b, x, y, lr):
    y_hat = 1 if w @ x + b >= 0 else 0
    w = w.copy()
    if y == 0 and y_hat == 1:
        w[x == 1] -= lr
        b -= lr
    elif y == 1 and y_hat == 0:
        w[x == 1] += lr
        b += lr
    return w, b


def compact(w, b, x, y, lr):
    error = y - (1 if w @ x + b >= 0 else 0)
    return w + lr * error * x, b + lr * error


def epoch(w, b, X, y, lr):
    mistakes = 0
    for x, t in zip(X, y):
        s = P.update(w, b, x, t, lr)
        w, b = s.w_new, s.b_new
        mistakes += s.error != 0
    return w, b, mistakes


def loop(X, y, w, b, lr, max_epochs):
    k = 0
    while k < max_epochs:
        w, b, mistakes = epoch(w, b, X, y, lr)
        k += 1
        if mistakes == 0:
            break
    return w, b, k


def stub(*args):
    """# Ваш код здесь\n..."""


AND = logic_table("AND")
W0, B0 = P.initial_weights(2, 1)
*PTS, W_TRUE, B_TRUE = P.separable_data(60, seed=1, margin=0.1)
RIGHT = [
    (ex.perceptron_answer, (answer,)),
    (ex.nand_weights, (np.array([-1.0, -1.0]), 1.5)),
    (ex.rule_in_words, (in_words,)),
    (ex.rule_compact, (compact,)),
    (ex.one_epoch, (epoch,)),
    (ex.train_loop, (loop,)),
    (ex.not_learnable, ({(0, 1, 1, 0), (1, 0, 0, 1)},)),
    (ex.bias_prediction, ({"NOR"},)),
    (ex.hebb_prediction, (3,)),
    (ex.first_epoch_prediction, (2, *AND, W0, B0, 0.5)),
    (ex.novikoff_prediction, ("меньше", *AND, 0.5, 51.0)),
    (ex.xor_prediction, ("нет",)),
    (ex.xor_best_prediction, (3,)),
    (ex.same_line_prediction, ("нет", *PTS, 0.5, 100, W_TRUE, B_TRUE)),
]


@pytest.mark.parametrize("check, args", RIGHT, ids=[c.__name__ for c, _ in RIGHT])
def test_right_answer_is_verno(check, args, capsys):
    v = said(check, *args, capsys=capsys)
    assert v.ok and v.line.startswith("Верно: "), v.line


@pytest.mark.parametrize("check, args", RIGHT, ids=[c.__name__ for c, _ in RIGHT])
def test_stub_is_not_yet(check, args, capsys):
    stubbed = tuple(stub if callable(a) and not isinstance(a, np.ndarray) else a for a in args)
    if stubbed == args:  # a value answer: the stub is `None`/`...`
        stubbed = (None, *args[1:])
    v = said(check, *stubbed, capsys=capsys)
    assert v.status == "unsolved" and v.line.startswith("Пока не решено"), v.line
    v = said(check, ..., *args[1:], capsys=capsys)
    assert v.status == "unsolved"


def test_a_crash_is_said_in_words(capsys):
    v = said(ex.rule_compact, lambda w, b, x, y, lr: w @ np.ones(5), capsys=capsys)
    assert v.line.startswith("Не совсем: ваш код остановился с ошибкой ValueError")


def hint(check, *args, capsys):
    v = said(check, *args, capsys=capsys)
    assert v.status == "wrong" and v.line.startswith("Не совсем: "), v.line
    return v.line


# --- the answer -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fn, words",
    [
        (lambda w, b, x: int(w @ x + b > 0), "z ≥ 0, а не z > 0"),
        (lambda w, b, x: int(w @ x >= 0), "смещение забыто"),
        (lambda w, b, x: int(w @ x + b < 0), "ответы перевёрнуты"),
        (lambda w, b, x: w @ x + b, "0 или 1"),
        (lambda w, b, x: "да", "числом 0 или 1"),
        (lambda w, b, x: int(w @ x + b >= 0.5), "посчитайте z = w·x + b"),
    ],
)
def test_answer_hints(fn, words, capsys):
    assert words in hint(ex.perceptron_answer, fn, capsys=capsys)


def test_answer_accepts_bools():
    assert ex.perceptron_answer(lambda w, b, x: bool(w @ x + b >= 0), quiet=True)


# --- NAND -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "w, b, words",
    [
        ([1, 1], -0.5, "каким должно быть b"),
        ([-1, -1], 2.5, "На (1, 1) ответ должен быть 0"),
        ([-2, 0], 1.0, "ни один вес в одиночку"),
        ([1, 2, 3], 0, "два конечных числа"),
        ("ab", 0, "два числа"),
    ],
)
def test_nand_hints(w, b, words, capsys):
    assert words in hint(ex.nand_weights, w, b, capsys=capsys)


# --- the rule -------------------------------------------------------------------------------------------


def mistaken(mistake):
    def rule(w, b, x, y, lr):
        y_hat = int(w @ x + b > 0) if mistake == "strict" else int(w @ x + b >= 0)
        e = 2 * y - 1 if mistake == "always" else y - y_hat
        e = -e if mistake == "sign" else e
        step = e if mistake == "no_lr" else lr * e
        if mistake == "masked":
            return w + step * (x == 1), b + step
        if mistake == "in_place":
            w += step * x
            return w, b + step
        return w + step * x, b + (0 if mistake == "no_bias" else step)

    return rule


@pytest.mark.parametrize("check", [ex.rule_in_words, ex.rule_compact])
@pytest.mark.parametrize(
    "mistake, words",
    [
        ("always", "веса менять не нужно"),
        ("no_bias", "Смещение тоже учится"),
        ("sign", "Знак перепутан"),
        ("no_lr", "скорость обучения η"),
        ("strict", "z ≥ 0, а не z > 0"),
        ("in_place", "на месте"),
    ],
)
def test_rule_hints(check, mistake, words, capsys):
    assert words in hint(check, mistaken(mistake), capsys=capsys)


def test_the_words_rule_is_not_yet_the_formula(capsys):
    """«Raise the weights whose input was 1» passes on 0/1 inputs, but not on real ones."""
    assert ex.rule_in_words(mistaken("masked"), quiet=True)
    assert "умножается на свой вход x_i" in hint(ex.rule_compact, mistaken("masked"), capsys=capsys)


def test_rule_wrong_types(capsys):
    assert "пару (w_new, b_new)" in hint(ex.rule_compact, lambda w, b, x, y, lr: w, capsys=capsys)
    assert "ожидалась форма (2,)" in hint(ex.rule_compact, lambda w, b, x, y, lr: (w[:1], b), capsys=capsys)


# --- epochs ---------------------------------------------------------------------------------------------


def epoch_frozen(w, b, X, y, lr):
    steps = [P.update(w, b, x, t, lr) for x, t in zip(X, y)]
    return w + sum(s.dw for s in steps), b + sum(s.db for s in steps), sum(s.error != 0 for s in steps)


def epoch_first_only(w, b, X, y, lr):
    for x, t in zip(X, y):
        s = P.update(w, b, x, t, lr)
        return s.w_new, s.b_new, int(s.error != 0)


@pytest.mark.parametrize(
    "fn, words",
    [
        (epoch_frozen, "обновляйте w и b сразу после каждого примера"),
        (epoch_first_only, "return внутри цикла"),
        (lambda w, b, X, y, lr: (*epoch(w, b, X, y, lr)[:2], len(X)), "веса верны, а ошибок насчитано"),
        (lambda w, b, X, y, lr: epoch(w, b, X, y, lr)[:2], "тройку (w, b, ошибок)"),
        (lambda w, b, X, y, lr: (w, b, 0), "пройдите примеры по порядку"),
    ],
)
def test_epoch_hints(fn, words, capsys):
    assert words in hint(ex.one_epoch, fn, capsys=capsys)


def loop_without_stop(X, y, w, b, lr, max_epochs):
    for _ in range(max_epochs):
        w, b, _m = epoch(w, b, X, y, lr)
    return w, b, max_epochs


def loop_uncounted(X, y, w, b, lr, max_epochs):
    w, b, k = loop(X, y, w, b, lr, max_epochs)
    return w, b, k - 1


def loop_first_epoch(X, y, w, b, lr, max_epochs):
    w, b, _m = epoch(w, b, X, y, lr)
    return w, b, 1


@pytest.mark.parametrize(
    "fn, words",
    [
        (loop_without_stop, "остановиться, как только эпоха прошла без ошибок"),
        (loop_uncounted, "эпоху без ошибок тоже надо посчитать"),
        (loop_first_epoch, "ожидалось"),
    ],
)
def test_train_loop_hints(fn, words, capsys):
    assert words in hint(ex.train_loop, fn, capsys=capsys)


def test_not_learnable_hints(capsys):
    line = hint(ex.not_learnable, {(0, 1, 1, 0), (1, 0, 0, 1), (0, 0, 0, 1)}, capsys=capsys)
    assert "(0, 0, 0, 1) персептрон выучивает" in line
    line = hint(ex.not_learnable, {(0, 1, 1, 0)}, capsys=capsys)
    assert "не хватает ещё 1 таблицы" in line and "(1, 0, 0, 1)" not in line  # the answer is not given
    assert "не таблица истинности" in hint(ex.not_learnable, {(0, 1, 2, 0)}, capsys=capsys)
    assert "множество кортежей" in hint(ex.not_learnable, 5, capsys=capsys)


# --- predictions ----------------------------------------------------------------------------------------


def test_predictions_wrong_say_so_without_the_number(capsys):
    line = hint(ex.bias_prediction, {"NAND", "NOR"}, capsys=capsys)
    assert "NOR" not in line
    assert "AND, OR, NAND, NOR" in hint(ex.bias_prediction, {"XOR"}, capsys=capsys)
    line = hint(ex.hebb_prediction, 0, capsys=capsys)
    assert "3" not in line
    assert "от 0 до 4" in hint(ex.hebb_prediction, 7, capsys=capsys)
    assert "больше" in hint(ex.first_epoch_prediction, 0, *AND, W0, B0, 0.5, capsys=capsys)
    assert "меньше" in hint(ex.first_epoch_prediction, 4, *AND, W0, B0, 0.5, capsys=capsys)
    assert "не больше (R/γ)²" in hint(ex.novikoff_prediction, "больше", *AND, 0.5, 51.0, capsys=capsys)
    assert "«меньше», «столько же», «больше»" in hint(ex.novikoff_prediction, "?", *AND, 0.5, 51.0, capsys=capsys)
    assert "четыре неравенства" in hint(ex.xor_prediction, "да", capsys=capsys)
    assert ex.xor_prediction(False, quiet=True) and ex.xor_prediction("Нет.", quiet=True)
    assert "доказательство выше" in hint(ex.xor_best_prediction, 4, capsys=capsys)
    assert "3" not in hint(ex.xor_best_prediction, 2, capsys=capsys)
    assert "сколько разных прямых" in hint(ex.same_line_prediction, "да", *PTS, 0.5, 100, W_TRUE, B_TRUE, capsys=capsys)
    # on points labelled by the learned line itself, the answer «да» is right: the check computes the truth
    run = P.train(*PTS, lr=0.5)
    assert ex.same_line_prediction("да", *PTS, 0.5, 100, 2 * run.w, 2 * run.b, quiet=True)


@pytest.mark.parametrize("seed", range(10))
def test_first_epoch_prediction_follows_the_seed(seed):
    w0, b0 = P.initial_weights(2, seed)
    truth = P.train(*AND, w0, b0, lr=0.5, max_epochs=1).mistakes_per_epoch[0]
    assert ex.first_epoch_prediction(truth, *AND, w0, b0, 0.5, quiet=True)
    assert not ex.first_epoch_prediction((truth + 1) % 5, *AND, w0, b0, 0.5, quiet=True)


def test_no_reference_answers_in_lib():
    import lib.perceptron

    assert not hasattr(lib.perceptron, "SOLUTIONS") and not hasattr(ex, "SOLUTIONS")
    assert not any(name.startswith("check_exercise") for name in dir(lib.perceptron))


def test_not_learnable_takes_a_function_too(capsys):
    assert ex.not_learnable(lambda: {(0, 1, 1, 0), (1, 0, 0, 1)}, quiet=True)
    assert said(ex.not_learnable, stub, capsys=capsys).status == "unsolved"
