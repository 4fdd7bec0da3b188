"""Self-attention in numpy, as small as it gets: one head that reads a whole sentence in one step (notebook 6).

A recurrent network passes information along a chain: what the first word said reaches the last one only
after ``T`` steps, and step ``t`` cannot start before step ``t − 1`` ends. Attention (Bahdanau et al., 2014;
the Transformer of Vaswani et al., 2017) lets every position look at every other one directly::

    q = x_t W_q,  k_s = x_s W_k,  v_s = x_s W_v            query, keys, values (d numbers each)
    a_s = softmax_s(q · k_s / √d)                          the attention weights, Σ_s a_s = 1
    out = Σ_s a_s v_s                                      what the position reads

Here the inputs are one-hot words, so ``x W`` just picks a row of ``W``: each word has its own query, key
and value. ``AttnParams`` is one head on the gender task of ``lib.gender`` (notebook 5): the last word (the
verb's lemma) asks, every word answers, and a linear layer turns what was read into the four classes.
The head sees no word order (no positional encoding): sentences here have no distractor noun.
"""

from __future__ import annotations

import time
from typing import NamedTuple

import numpy as np

from lib import gender
from lib.checks import as_array, check_positive
from lib.numerics import softmax
from lib.optim import Adam

__all__ = [
    "attention_weights",
    "self_attention",
    "AttnParams",
    "init_attention",
    "attn_forward",
    "attn_backward",
    "AttnModel",
    "train_attention",
    "attention_accuracy_by_gap",
    "sentence_attention",
]


def attention_weights(q, K, mask=None) -> np.ndarray:
    """``softmax(K q / √d)``: ``q: ([B,] d)``, ``K: ([B,] T, d)`` → ``([B,] T)``; ``mask`` (0/1, ``([B,] T)``)
    gives weight 0 to the positions where it is 0."""
    q = as_array("q", q, ndim=(1, 2))
    K = as_array("K", K, ndim=(2, 3))
    if K.ndim != q.ndim + 1 or K.shape[-1] != q.shape[-1] or K.shape[:-2] != q.shape[:-1]:
        raise ValueError(f"K: ожидалась форма ([B,] T, {q.shape[-1]}) к q формы {q.shape}, получена {K.shape}")
    scores = np.einsum("...td,...d->...t", K, q) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(np.asarray(mask) > 0, scores, -np.inf)
    return softmax(scores)


def self_attention(X, W_q, W_k, W_v):
    """Every position of ``X: (T, D)`` attends to every position: ``(weights (T, T), out (T, d))``."""
    X = as_array("X", X, ndim=2)
    Q, K, V = X @ W_q, X @ W_k, X @ W_v
    A = softmax(Q @ K.T / np.sqrt(Q.shape[-1]))
    return A, A @ V


class AttnParams(NamedTuple):
    """One head on one-hot words: ``E_q, E_k, E_v: (V, d)`` a query, key and value per word; readout
    ``W_o: (4, d)``, ``b_o: (4,)``."""

    E_q: np.ndarray
    E_k: np.ndarray
    E_v: np.ndarray
    W_o: np.ndarray
    b_o: np.ndarray


def init_attention(d: int = 8, seed: int = 0) -> AttnParams:
    check_positive("d", d, integer=True)
    rng = np.random.default_rng(seed)
    V = len(gender.VOCAB)
    return AttnParams(
        *(rng.standard_normal((V, d)) * 0.3 for _ in range(3)),
        W_o=rng.standard_normal((len(gender.CLASSES), d)) / np.sqrt(d),
        b_o=np.zeros(len(gender.CLASSES)),
    )


def attn_forward(p: AttnParams, xs):
    """``xs: (T, N, V)`` one-hot, left-padded with zero rows (``gender.encode``) → ``(logits (N, 4), cache)``.

    The query is the last word's; padding gets weight 0."""
    xs = as_array("xs", xs, ndim=3)
    mask = xs.sum(axis=-1) > 0  # (T, N)
    d = p.E_q.shape[1]
    q = xs[-1] @ p.E_q  # (N, d)
    K = np.transpose(xs @ p.E_k, (1, 0, 2))  # (N, T, d)
    Vv = np.transpose(xs @ p.E_v, (1, 0, 2))
    a = attention_weights(q, K, mask.T)  # (N, T)
    ctx = np.einsum("nt,ntd->nd", a, Vv)
    logits = ctx @ p.W_o.T + p.b_o
    return logits, (xs, q, K, Vv, a, ctx, d)


def attn_backward(p: AttnParams, cache, d_logits) -> AttnParams:
    """Gradients of every parameter from ``d_logits = dLoss/dlogits: (N, 4)``."""
    xs, q, K, Vv, a, ctx, d = cache
    dctx = d_logits @ p.W_o  # (N, d)
    dV = a[..., None] * dctx[:, None, :]  # (N, T, d)
    da = np.einsum("nd,ntd->nt", dctx, Vv)
    ds = a * (da - (a * da).sum(axis=1, keepdims=True)) / np.sqrt(d)  # back through the softmax and 1/√d
    dq = np.einsum("nt,ntd->nd", ds, K)
    dK = ds[..., None] * q[:, None, :]
    X = np.transpose(xs, (1, 0, 2))  # (N, T, V)
    return AttnParams(
        E_q=xs[-1].T @ dq,
        E_k=np.einsum("ntv,ntd->vd", X, dK),
        E_v=np.einsum("ntv,ntd->vd", X, dV),
        W_o=d_logits.T @ ctx,
        b_o=d_logits.sum(axis=0),
    )


class AttnModel(NamedTuple):
    params: AttnParams
    losses: np.ndarray
    seconds: float


def train_attention(
    *,
    max_gap: int = 20,
    n_train: int = 2000,
    d: int = 8,
    steps: int = 300,
    lr: float = 0.05,
    batch_size: int = 100,
    seed: int = 0,
) -> AttnModel:
    """Adam on the gender task (sentences without a distractor, gaps ``0 … max_gap``), cross-entropy."""
    data = gender.make_corpus(n_train, max_gap, seed=seed, distractor_rate=0.0)
    labels = data.labels
    p = init_attention(d, seed=seed)
    opt = Adam(lr=lr)
    rng = np.random.default_rng(seed + 3)
    losses = []
    t0 = time.perf_counter()
    for _ in range(steps):
        idx = rng.choice(n_train, size=batch_size, replace=False)
        logits, cache = attn_forward(p, data.xs[:, idx])
        probs = softmax(logits)
        y = labels[idx]
        losses.append(float(-np.mean(np.log(probs[np.arange(batch_size), y]))))
        probs[np.arange(batch_size), y] -= 1.0
        p = AttnParams(*opt.step(list(p), list(attn_backward(p, cache, probs / batch_size))))
    return AttnModel(p, np.array(losses), time.perf_counter() - t0)


def attention_accuracy_by_gap(model: AttnModel, gaps, *, n: int = 200, seed: int = 12345) -> dict:
    """``{gap: share of sentences whose class the head gets right}`` on new sentences with exactly that gap."""
    out = {}
    for g in gaps:
        rng = np.random.default_rng(seed + int(g))
        data = gender.encode([gender.make_sentence(rng, int(g)) for _ in range(n)])
        logits, _ = attn_forward(model.params, data.xs)
        out[int(g)] = float(np.mean(logits.argmax(axis=1) == data.labels))
    return out


def sentence_attention(model: AttnModel, sentence):
    """``(words, weights (T,), predicted class name)`` of the last word's attention over one sentence
    (a ``gender.Sentence`` or its text)."""
    s = gender.parse_sentence(sentence) if isinstance(sentence, str) else sentence
    data = gender.encode([s])
    logits, cache = attn_forward(model.params, data.xs)
    return list(s.words), cache[4][0], gender.CLASSES[int(logits[0].argmax())]
