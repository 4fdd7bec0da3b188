"""lib.exercises.lm: right answers say «Верно», stubs «Пока не решено», typical mistakes get their hint."""

import numpy as np
import pytest

from lib import charlm
from lib.exercises import lm as ex
from lib.numerics import softmax


def _verdict(check, *args):
    return check(*args, quiet=True)


def stub(*_):
    return None


def right_softmax(z, t):
    z = np.asarray(z) / t
    e = np.exp(z - z.max())
    return e / e.sum()


def right_sample(z, t, u):
    if t == 0:
        return int(np.argmax(z))
    return int(min(np.searchsorted(np.cumsum(right_softmax(z, t)), u, side="right"), len(z) - 1))


def right_attention(q, K):
    return softmax(K @ q / np.sqrt(len(q)))


CASES = [
    (
        ex.softmax_temperature,
        right_softmax,
        [
            (lambda z, t: softmax(np.asarray(z)), "температура не учтена"),
            (lambda z, t: softmax(np.asarray(z) * t), "умножены"),
            (lambda z, t: np.exp(np.asarray(z) / t) / np.exp(np.asarray(z) / t).sum(), "переполняется"),
            (lambda z, t: np.exp(np.asarray(z) / t - np.max(z) / t), "сумма"),
        ],
    ),
    (
        ex.sample_step,
        right_sample,
        [
            (lambda z, t, u: int(np.argmax(z)), "жадный"),
            (
                lambda z, t, u: int(np.searchsorted(np.cumsum(right_softmax(z, t or 1)), u, side="left")),
                "промах на один",
            ),
            (lambda z, t, u: right_sample(z, 1.0, u) if t else int(np.argmax(z)), "температура не учтена"),
            (lambda z, t, u: right_sample(z, t, u) if t else 0, "температуре 0"),
        ],
    ),
    (
        ex.bits_per_char,
        lambda p: -np.mean(np.log2(p)),
        [
            (lambda p: -np.mean(np.log(p)), "натуральный"),
            (lambda p: np.mean(np.log2(p)), "знак"),
            (lambda p: -np.sum(np.log2(p)), "сумма"),
            (lambda p: 2 ** -np.mean(np.log2(p)), "перплексия"),
        ],
    ),
    (
        ex.bigram_counts,
        lambda ids, K: charlm.bigram_counts(ids, K),
        [
            (lambda ids, K: charlm.bigram_counts(ids, K).T, "транспонирована"),
            (lambda ids, K: charlm.bigram_counts(np.r_[ids, ids[-1]], K), "последний символ"),
            (lambda ids, K: charlm.bigram_probs(charlm.bigram_counts(ids, K), alpha=1e-12), "вероятности"),
        ],
    ),
    (
        ex.attention_weights,
        right_attention,
        [
            (lambda q, K: softmax(K @ q), "√d"),
            (lambda q, K: K @ q / np.sqrt(len(q)), "softmax"),
            (lambda q, K: softmax(K @ q / len(q)), "корень"),
        ],
    ),
]


@pytest.mark.parametrize("check, right, mistakes", CASES, ids=[c[0].__name__ for c in CASES])
def test_code_checks(check, right, mistakes, capsys):
    assert _verdict(check, right).status == "correct"
    assert _verdict(check, stub).status == "unsolved"
    assert _verdict(check, ...).status == "unsolved"
    for fn, hint in mistakes:
        v = _verdict(check, fn)
        assert v.status == "wrong" and hint in v.text, (hint, v.text)
    check(right)
    assert capsys.readouterr().out.startswith("Верно: ")


def test_crash_is_reported():
    v = _verdict(ex.bits_per_char, lambda p: 1 / 0)
    assert v.status == "wrong" and "ZeroDivisionError" in v.text


def test_predictions():
    assert _verdict(ex.uniform_bits, np.log2(44), 44).ok
    assert "натуральный" in _verdict(ex.uniform_bits, np.log(44), 44).text
    assert not _verdict(ex.uniform_bits, 44, 44).ok
    assert _verdict(ex.uniform_bits, None, 44).status == "unsolved"
    greedy, sampled = "кот кот кот кот кот кот", "кот пес лиса волк мышь дом"
    assert _verdict(ex.greedy_text, "б", greedy, sampled).ok
    assert not _verdict(ex.greedy_text, "а", greedy, sampled).ok
    assert "одной буквой" in _verdict(ex.greedy_text, "да", greedy, sampled).text
    assert _verdict(ex.attention_path, 1, 40).ok
    assert "рекуррентной" in _verdict(ex.attention_path, 41, 40).text


def test_first_learned_and_best_network():
    stages = {30: (0.9, 0.3, 0.0), 300: (1.0, 0.7, 0.4)}
    assert _verdict(ex.first_learned, "а", stages, 30).ok
    assert "сколько символов" in _verdict(ex.first_learned, "б", stages, 30).text
    assert "одной буквой" in _verdict(ex.first_learned, "в", stages, 30).text
    assert _verdict(ex.first_learned, None, stages, 30).status == "unsolved"
    cmp = {"models": {"rnn": {"mean": 3.0}, "lstm": {"mean": 2.8}, "gru": {"mean": 2.7}}}
    assert _verdict(ex.best_network, "GRU", cmp).ok
    v = _verdict(ex.best_network, "lstm", cmp)
    assert not v.ok and "LSTM не лучшая" in v.text
    assert "rnn" in _verdict(ex.best_network, "трансформер", cmp).text
