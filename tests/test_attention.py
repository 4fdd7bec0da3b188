"""lib.attention: weights, gradients by finite differences, one head reading the noun at any gap."""

import numpy as np
import pytest

from lib import attention, gender
from lib.numerics import numeric_gradient, relative_error, softmax


def test_weights_and_mask():
    q, K = np.array([1.0, 0.0]), np.array([[2.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    np.testing.assert_allclose(attention.attention_weights(q, K), softmax(K @ q / np.sqrt(2)))
    w = attention.attention_weights(q, K, mask=[1, 0, 1])
    assert w[1] == 0 and np.isclose(w.sum(), 1)
    wb = attention.attention_weights(np.stack([q, q]), np.stack([K, K]))
    assert wb.shape == (2, 3)
    with pytest.raises(ValueError, match="K"):
        attention.attention_weights(q, np.zeros((3, 5)))
    A, out = attention.self_attention(np.eye(3), np.eye(3), np.eye(3), np.eye(3))
    np.testing.assert_allclose(A.sum(axis=1), 1)
    assert out.shape == (3, 3)


def test_backward_matches_finite_differences():
    p = attention.init_attention(4, seed=1)
    data = gender.make_corpus(5, 4, seed=0, distractor_rate=0.0)
    y = data.labels

    def loss():
        pr = softmax(attention.attn_forward(p, data.xs)[0])
        return float(-np.mean(np.log(pr[np.arange(5), y])))

    logits, cache = attention.attn_forward(p, data.xs)
    pr = softmax(logits)
    pr[np.arange(5), y] -= 1
    for g, name in zip(attention.attn_backward(p, cache, pr / 5), p._fields):
        assert relative_error(g, numeric_gradient(loss, getattr(p, name))) < 1e-6, name


def test_trained_head_reads_the_noun_at_any_gap():
    m = attention.train_attention(steps=150, seed=2)
    acc = attention.attention_accuracy_by_gap(m, [0, 40], n=50)
    assert min(acc.values()) > 0.95
    words, w, cls = attention.sentence_attention(m, "ваза вчера тихо долго стояла")
    assert words[0] == "ваза" and int(np.argmax(w)) == 0 and cls == "ж"
    assert np.isclose(w.sum(), 1)
