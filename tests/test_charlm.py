"""lib.charlm: the corpus, the vocabulary, the loss's gradients, sampling, evaluation, baselines."""

import hashlib

import numpy as np
import pytest

from lib import charlm
from lib.numerics import numeric_gradient, relative_error

SHA256 = "55bd6bf868044ef040d34937fa1d0f8ad546000dd3f42a021d280ad1a27aeaed"


@pytest.fixture(scope="module")
def corpus():
    c = charlm.split_corpus()
    return c, charlm.make_vocab(c.train + c.val + c.test)


def test_corpus_file_is_the_shipped_one_and_big_enough(corpus):
    assert hashlib.sha256(charlm.CORPUS_PATH.read_bytes()).hexdigest() == SHA256
    lines = charlm.load_proverbs()
    assert len(lines) > 6000 and len(set(lines)) == len(lines)
    assert sum(len(s) + 1 for s in lines) > 100_000
    c, v = corpus
    assert v.size < 50 and "\n" in v.chars and "ё" not in v.chars and "a" not in v.chars
    assert set(c.train.splitlines()).isdisjoint(c.test.splitlines())
    assert 0.09 < len(c.test) / (len(c.train) + len(c.val) + len(c.test)) < 0.11


def test_clean_text():
    assert charlm.clean_text("Ёлка Á\u0301 и Бáба, Latin o") == "елка а и баба, lаtin о"


def test_vocab_roundtrip_and_unknown():
    v = charlm.make_vocab("ба ба\n")
    assert v.chars == ("\n", " ", "а", "б")
    assert v.decode(v.encode("баба")) == "баба"
    with pytest.raises(ValueError, match="словаре"):
        v.encode("x")


@pytest.mark.parametrize("model", ["rnn", "lstm", "gru"])
def test_loss_gradients_match_finite_differences(model):
    v = charlm.make_vocab("абв \n")
    lm = charlm.init_lm(model, v, 3, seed=1)
    rng = np.random.default_rng(0)
    x, y = rng.integers(0, v.size, size=(4, 2)), rng.integers(0, v.size, size=(4, 2))
    _, grads, rgrads = charlm.lm_loss_and_grads(lm, x, y)

    def loss():
        return charlm.lm_loss_and_grads(lm, x, y)[0]

    for g, a in zip(list(grads) + list(rgrads), list(lm.params) + list(lm.readout)):
        assert relative_error(g, numeric_gradient(loss, a)) < 1e-6


def test_softmax_temperature_and_sampling():
    z = np.array([1.0, 2.0, 0.5])
    np.testing.assert_allclose(charlm.softmax_temperature(z, 0), [0, 1, 0])
    for t in (0.3, 1.0, 5.0):
        assert np.isclose(charlm.softmax_temperature(z, t).sum(), 1.0)
    assert charlm.softmax_temperature(z, 0.3).max() > charlm.softmax_temperature(z, 5.0).max()
    with pytest.raises(ValueError, match="temperature"):
        charlm.softmax_temperature(z, -1)
    p = np.array([0.2, 0.5, 0.3])
    assert [charlm.sample_index(p, u) for u in (0.0, 0.1999, 0.2, 0.69, 0.7, 0.9999)] == [0, 0, 1, 1, 2, 2]


def test_generate_is_reproducible_and_greedy_ignores_seed(corpus):
    c, v = corpus
    lm = charlm.init_lm("lstm", v, 8, seed=0)
    a = charlm.generate(lm, "кто рано", 50, temperature=1.0, seed=3)
    assert len(a) == 50 and a == charlm.generate(lm, "кто рано", 50, temperature=1.0, seed=3)
    assert a != charlm.generate(lm, "кто рано", 50, temperature=1.0, seed=4)
    g = charlm.generate(lm, "Кто рано", 30, temperature=0.0, seed=1)
    assert g == charlm.generate(lm, "кто рано", 30, temperature=0.0, seed=2)
    assert charlm.next_char_probs(lm, "").shape == (v.size,)


def test_measures_and_baselines(corpus):
    assert charlm.bits_per_char([0.5, 0.25, 0.125, 1.0]) == pytest.approx(1.5)
    assert charlm.perplexity([0.25, 0.25]) == pytest.approx(4.0)
    counts = charlm.bigram_counts(np.array([0, 1, 1, 2, 0, 1]), 3)
    np.testing.assert_array_equal(counts, [[0, 2, 0], [0, 1, 1], [1, 0, 0]])
    np.testing.assert_allclose(charlm.bigram_probs(counts).sum(axis=1), 1.0)
    assert charlm.unigram_probs(np.array([0, 0, 1]), 3).sum() == pytest.approx(1.0)
    c, v = corpus
    b = charlm.baseline_bits(v, c.train, c.test)
    assert b["uniform"] > b["unigram"] > b["bigram"] > 3.0


def test_budget_and_counts(corpus):
    _, v = corpus
    budget = charlm.count_params(charlm.init_lm("lstm", v, 64))
    for model in ("rnn", "gru"):
        H = charlm.hidden_for_budget(model, v.size, budget)
        n = charlm.count_params(charlm.init_lm(model, v, H))
        assert abs(n - budget) / budget < 0.03


def test_short_training_learns_and_samples(corpus):
    c, v = corpus
    r = charlm.train_lm(
        "gru",
        c.train[:20000],
        hidden_size=16,
        steps=40,
        lr=0.03,
        seq_len=16,
        batch_size=8,
        vocab=v,
        sample_at=(0, 40),
        sample_len=20,
        val_text=c.val[:3000],
        val_every=20,
    )
    assert r.losses[-5:].mean() < r.losses[:5].mean() - 0.3
    assert set(r.samples) == {0, 40} and all(len(s) == 20 for s in r.samples.values())
    assert r.val_steps == (20, 40) and r.val_bits[-1] < np.log2(v.size)
    p = charlm.text_probs(r.lm, c.test[:2000])
    assert p.ndim == 1 and np.all((p > 0) & (p <= 1))
    assert charlm.activations(r.lm, "кот\n").shape == (4, 16)


def test_distinct_word_share():
    assert charlm.distinct_word_share("кот, кот и пес.\n") == (3, 4)


def test_text_side_lives_in_chartext_and_is_re_exported():
    from lib import chartext

    for name in chartext.__all__:
        assert getattr(charlm, name) is getattr(chartext, name)
    assert charlm.words_of("кто рано, тот — и2 да") == ["кто", "рано", "тот", "и", "да"]
