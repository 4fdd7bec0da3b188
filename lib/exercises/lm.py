"""Checks of notebook 6 «Языковая модель»: five pieces of code the student writes and five predictions.

Code: ``softmax_temperature`` (the distribution of the next character at a temperature), ``sample_step``
(one step of writing: temperature, then the roulette wheel; greedy at temperature 0), ``bits_per_char``
(the cross-entropy in bits from the probabilities of what really came), ``bigram_counts`` (the table of
the bigram baseline) and ``attention_weights`` (one attention head's weights). Predictions:
``uniform_bits``, ``first_learned``, ``greedy_text``, ``best_network``, ``attention_path``.

Every check computes the truth with ``lib.charlm`` / ``lib.attention``; the hints name the typical mistake
(dividing vs multiplying by the temperature, no max shift, greedy instead of sampled, an off-by-one on the
wheel, the natural logarithm, a sum instead of a mean, a transposed table, the missing ``√d``) and never
the answer.
"""

from __future__ import annotations

import warnings

import numpy as np

from lib import attention, charlm
from lib.exercises._common import call, correct, exercise, same_array, wrong
from lib.exercises._common import close as _close
from lib.fmt import num, plural
from lib.numerics import softmax

__all__ = [
    "softmax_temperature",
    "sample_step",
    "bits_per_char",
    "bigram_counts",
    "attention_weights",
    "uniform_bits",
    "first_learned",
    "greedy_text",
    "best_network",
    "attention_path",
]


def _logits(seed: int, K: int = 7, scale: float = 2.0) -> np.ndarray:
    return np.round(np.random.default_rng(seed).normal(scale=scale, size=K), 2)


# --- 1. softmax with a temperature -----------------------------------------------------------------------


@exercise
def softmax_temperature(fn):
    """``fn(logits, temperature)`` → ``(K,)`` probabilities ``softmax(logits / temperature)``, temperature > 0."""
    cases = [(_logits(1), 1.0), (_logits(2), 0.5), (_logits(3), 2.0), (_logits(4) + 1000.0, 0.7)]
    for logits, t in cases:
        want = charlm.softmax_temperature(logits, t)
        with warnings.catch_warnings(), np.errstate(all="ignore"):  # an overflow is a hint, not a warning
            warnings.simplefilter("ignore")
            got = call(fn, logits.copy(), t)
        if _close(got, want):
            continue
        arr = np.asarray(got, dtype=float) if np.ndim(got) else np.array([np.nan])
        if not np.all(np.isfinite(arr)):
            return wrong(
                "в ответе NaN или бесконечность: при логитах около 1000 exp переполняется. Вычтите "
                "максимум логитов перед exp — распределение от этого не меняется."
            )
        if t != 1.0 and _close(got, softmax(logits)):
            return wrong(
                f"температура не учтена: при T = {num(t, 1)} ответ совпал с обычным softmax. "
                "Логиты нужно поделить на температуру до exp."
            )
        if t != 1.0 and _close(got, softmax(logits * t)):
            return wrong(
                "логиты умножены на температуру, а их надо делить: при T < 1 распределение должно "
                "стать острее, при T > 1 — площе."
            )
        if arr.shape == want.shape and not np.isclose(arr.sum(), 1.0):
            return wrong(f"сумма вероятностей {num(arr.sum(), 3)}, а должна быть 1: разделите exp на их сумму.")
        return wrong(same_array("вероятности", got, want) or "вероятности не совпали")
    return correct("распределение совпало с lib.charlm.softmax_temperature, и при огромных логитах тоже.")


# --- 2. one step of writing ------------------------------------------------------------------------------


@exercise
def sample_step(fn):
    """``fn(logits, temperature, u)`` → the index of the next character: the first ``k`` with
    ``p[0] + … + p[k] > u`` for ``p = softmax(logits / temperature)``; at ``temperature = 0`` the argmax."""
    logits = _logits(5)
    for t in (1.0, 0.5, 2.0):
        p = charlm.softmax_temperature(logits, t)
        edges = np.cumsum(p)
        us = [0.0, 0.999] + [float(e) + s for e in edges[:-1] for s in (-1e-9, 0.0, 1e-9)]
        for u in us:
            want = charlm.sample_index(p, u)
            got = call(fn, logits.copy(), t, u)
            try:
                got_i = int(got)
            except (TypeError, ValueError):
                return wrong(f"ожидался номер символа (целое число), получено {type(got).__name__}.")
            if got_i == want:
                continue
            if got_i == int(np.argmax(logits)):
                return wrong(
                    f"это жадный выбор (самый вероятный символ), а при T = {num(t, 1)} нужно случайное: "
                    "номер отрезка, на который упало u, когда [0, 1) разрезан на куски длиной p."
                )
            if got_i == charlm.sample_index(softmax(logits), u) and t != 1.0:
                return wrong(f"температура не учтена: при T = {num(t, 1)} выбор такой же, как при T = 1.")
            if abs(got_i - want) == 1:
                return wrong(
                    f"промах на один при u = {num(u, 4)}: нужен первый k, для которого "
                    "p[0] + … + p[k] > u (np.cumsum и сравнение «больше», а не «не меньше»)."
                )
            return wrong(
                f"при T = {num(t, 1)} и u = {num(u, 4)} выбран символ {got_i}, а не тот, на чей отрезок "
                "попало u. Начните с вероятностей softmax_temperature, потом накопленные суммы."
            )
    got = call(fn, logits.copy(), 0.0, 0.3)
    if int(got) != int(np.argmax(logits)):
        return wrong("при температуре 0 нужен жадный выбор: номер наибольшего логита (np.argmax), без деления на ноль.")
    return correct(
        "шаг письма совпал с lib.charlm: температура, накопленные суммы, отрезок для u, а при T = 0 — жадный выбор."
    )


# --- 3. bits per character -------------------------------------------------------------------------------


@exercise
def bits_per_char(fn):
    """``fn(p_true)`` → mean ``−log₂ p`` over ``p_true: (N,)``, the probabilities given to what really came."""
    rng = np.random.default_rng(8)
    for p in (np.array([0.5, 0.25, 0.125, 1.0]), rng.uniform(0.01, 1.0, size=50)):
        want = charlm.bits_per_char(p)
        got = call(fn, p.copy())
        try:
            g = float(got)
        except (TypeError, ValueError):
            return wrong(f"ожидалось одно число (бит на символ), получено {type(got).__name__}.")
        if np.isclose(g, want):
            continue
        if np.isclose(g, want * np.log(2)):
            return wrong("это натуральный логарифм (наты): бит — это log₂, возьмите np.log2.")
        if np.isclose(g, -want):
            return wrong("знак: log₂ p ≤ 0, а бит на символ должно быть ≥ 0 — нужен минус.")
        if np.isclose(g, want * len(p)):
            return wrong("это сумма по всем символам; нужно среднее на один символ.")
        if np.isclose(g, 2**want):
            return wrong("это уже перплексия 2^(бит): нужны сами биты, среднее −log₂ p.")
        return wrong(
            f"для p = ({'; '.join(num(v, 3) for v in p[:4])}; …) получилось {num(g, 3)}; "
            "проверьте формулу среднего −log₂ p."
        )
    return correct(
        "число бит на символ совпало с lib.charlm.bits_per_char: для p = (½, ¼, ⅛, 1) это "
        "(1 + 2 + 3 + 0) / 4 = 1,5 бита."
    )


# --- 4. the bigram table ---------------------------------------------------------------------------------


@exercise
def bigram_counts(fn):
    """``fn(ids, K)`` → ``(K, K)`` with ``counts[a, b]`` = how often ``b`` comes right after ``a``."""
    rng = np.random.default_rng(4)
    for ids, K in ((np.array([0, 1, 1, 2, 0, 1]), 3), (rng.integers(0, 5, size=200), 5)):
        want = charlm.bigram_counts(ids, K)
        got = call(fn, ids.copy(), K)
        if _close(got, want):
            continue
        if _close(got, want.T):
            return wrong("таблица транспонирована: строка — текущий символ a, столбец — следующий b, counts[a, b].")
        arr = np.asarray(got, dtype=float)
        if arr.shape == want.shape and np.isclose(arr.sum(), len(ids)):
            return wrong(
                f"пар соседних символов в тексте из {len(ids)} символов — {len(ids) - 1}, а у вас "
                f"сумма {num(arr.sum(), 0)}: последний символ ни за кем не следует."
            )
        if arr.shape == want.shape and np.allclose(arr.sum(axis=1)[want.sum(axis=1) > 0], 1.0):
            return wrong("это уже вероятности (строки нормированы); нужны сами счётчики — целые числа.")
        return wrong(same_array("counts", got, want) or "счётчики не совпали")
    return correct("таблица пар совпала с lib.charlm.bigram_counts.")


# --- 5. one attention head -------------------------------------------------------------------------------


@exercise
def attention_weights(fn):
    """``fn(q, keys)`` → ``(T,)`` weights ``softmax(keys @ q / √d)`` for ``q: (d,)``, ``keys: (T, d)``."""
    rng = np.random.default_rng(6)
    for T, d in ((5, 4), (9, 16)):
        q, K = rng.normal(size=d), rng.normal(size=(T, d))
        want = attention.attention_weights(q, K)
        got = call(fn, q.copy(), K.copy())
        if _close(got, want):
            continue
        scores = K @ q
        if _close(got, softmax(scores)):
            return wrong(
                "нет деления на √d: без него при длинных векторах скалярные произведения растут и "
                "softmax почти целиком отдаёт вес одному слову."
            )
        if _close(got, scores / np.sqrt(d)) or _close(got, scores):
            return wrong("это сами оценки q·k; веса внимания — их softmax, неотрицательные и в сумме 1.")
        if _close(got, softmax(scores / d)):
            return wrong("делить нужно на корень из d, а не на d.")
        return wrong(same_array("веса", got, want) or "веса не совпали")
    return correct("веса совпали с lib.attention.attention_weights: softmax(keys @ q / √d), в сумме 1.")


# --- predictions -----------------------------------------------------------------------------------------


@exercise
def uniform_bits(guess, K: int):
    """Prediction: bits per character of a model that gives every one of ``K`` characters the same ``1/K``."""
    g = float(guess)
    want = float(np.log2(K))
    if abs(g - want) <= 0.05:
        return correct(f"равновероятный выбор из {K} символов стоит log₂ {K} ≈ {num(want, 2)} бита на символ.")
    if abs(g - np.log(K)) <= 0.05:
        return wrong("это натуральный логарифм; бит — log₂.")
    return wrong("вспомните: выбор из 2 равновероятных вариантов — 1 бит, из 4 — 2 бита, из 8 — 3. А из K?")


def _said(guess, options: dict) -> str | None:
    g = str(guess).strip().lower().strip("«»\"'. )")
    return g if g in options else None


GREEDY_OPTIONS = {"а": "разнообразнее", "б": "однообразнее", "в": "так же"}


@exercise
def greedy_text(guess, greedy: str, sampled: str):
    """Prediction («а», «б» or «в»): is the greedy text (temperature 0) more or less varied than a sampled one?"""
    said = _said(guess, GREEDY_OPTIONS)
    if said is None:
        return wrong(f"ответьте одной буквой: «а», «б» или «в», а не {guess!r}.")
    (dg, ng), (ds, ns) = charlm.distinct_word_share(greedy), charlm.distinct_word_share(sampled)
    share_g, share_s = dg / max(ng, 1), ds / max(ns, 1)
    truth = "а" if share_g > share_s + 0.05 else "б" if share_g < share_s - 0.05 else "в"
    if said == truth:
        return correct("прогноз сбылся — сравните тексты ниже.")
    return wrong(
        "прогноз не сбылся. Подумайте: если каждый раз брать самый вероятный символ, что будет, "
        "когда модель снова окажется в похожем состоянии?"
    )


FIRST_OPTIONS = {"а": "точку в конце строки", "б": "настоящие длинные слова"}


@exercise
def first_learned(guess, stages: dict, step: int):
    """Prediction («а» or «б»): what the model gets right first — the full stop at a line's end or real long
    words? ``stages``: step → ``charlm.sample_stats`` of that step's sample; judged at ``step``."""
    said = _said(guess, FIRST_OPTIONS)
    if said is None:
        return wrong(f"ответьте одной буквой: «а» или «б», а не {guess!r}.")
    dots, _, longer = stages[step]
    truth = "а" if dots > longer else "б"
    if said == truth:
        return correct(
            f"после {plural(step, 'шага', 'шагов', 'шагов')} точкой кончается {num(100 * dots, 0)} % "
            f"строк, а настоящих среди длинных слов {num(100 * longer, 0)} %."
        )
    return wrong(
        "прогноз не сбылся. Подумайте, сколько символов нужно помнить, чтобы угадать точку, "
        "и сколько — чтобы написать слово из шести букв."
    )


NETWORKS = {"rnn": "обычная RNN", "lstm": "LSTM", "gru": "GRU"}


@exercise
def best_network(guess, compare: dict):
    """Prediction («rnn», «lstm» or «gru»): which network has the fewest bits per character in the bench
    table ``compare`` (``bench/results/lm_compare.json``)."""
    said = _said(guess, NETWORKS)
    if said is None:
        return wrong(f"ответьте одним из слов «rnn», «lstm», «gru», а не {guess!r}.")
    means = {m: r["mean"] for m, r in compare["models"].items()}
    truth = min(means, key=means.get)
    if said == truth:
        return correct(f"лучшей оказалась {NETWORKS[truth]} — таблица ниже.")
    return wrong(
        f"прогноз не сбылся: {NETWORKS[said]} не лучшая в этом сравнении. Посмотрите таблицу ниже и "
        "подумайте, что даёт сети лишняя матрица фильтра и что — больший размер состояния."
    )


@exercise
def attention_path(guess, gap: int):
    """Prediction: over how many steps does the noun's information travel to the verb in one attention head
    when ``gap`` words lie between them?"""
    g = int(round(float(guess)))
    if g == 1:
        return correct(
            f"один шаг при любом разрыве: глагол смотрит на существительное напрямую, а в RNN "
            f"тот же путь — {plural(gap + 1, 'шаг', 'шага', 'шагов')}."
        )
    if g in (gap, gap + 1, gap + 2):
        return wrong(
            "столько шагов идёт информация в рекуррентной сети, от звена к звену. Внимание "
            "сравнивает запрос глагола с ключами всех слов сразу."
        )
    return wrong("подумайте, сколько умножений на матрицы стоит между ключом слова и запросом глагола.")
