"""A character-level language model (notebook 6): the model, training, sampling, evaluation.

The model reads one character at a time and at every step predicts the next one:

    x_t = one_hot(c_t)              (K,)   K = the number of distinct characters
    h_t = core(x_t, h_{t−1})        (H,)   a recurrent layer from lib: "rnn", "lstm" or "gru"
    p_t = softmax(V h_t + c)        (K,)   the probabilities of the next character c_{t+1}

Multiplying the one-hot ``x_t`` by the input weights picks one column of them: that column is the
character's *embedding*, learned with everything else. Training minimises the cross-entropy of the next
character (in nats; ``/ ln 2`` gives bits per character) with Adam over random windows of ``seq_len``
characters of the training text, each started from a zero state.

The corpus (``load_proverbs``, ``split_corpus``), the vocabulary and the measures of a text live in
``lib.chartext``; they are re-exported here, so ``charlm.X`` is the one name a notebook needs.
"""

from __future__ import annotations

import time
from typing import NamedTuple

import numpy as np

from lib import chartext, gru, lstm, rnn
from lib.chartext import *  # noqa: F403 (re-exported: the corpus, the vocabulary, the measures of a text)
from lib.chartext import Vocab, clean_text, make_vocab
from lib.checks import as_array, check_positive
from lib.numerics import softmax
from lib.optim import Adam, clip_by_global_norm
from lib.seqtrain import Readout, SeqModel, init_readout, single_thread_blas

__all__ = [
    *chartext.__all__,
    "MODELS",
    "CharLM",
    "init_lm",
    "count_params",
    "hidden_for_budget",
    "random_batch",
    "lm_loss_and_grads",
    "TrainResult",
    "train_lm",
    "softmax_temperature",
    "sample_index",
    "generate",
    "next_char_probs",
    "text_probs",
    "bits_per_char",
    "perplexity",
    "unigram_probs",
    "bigram_counts",
    "bigram_probs",
    "baseline_bits",
    "activations",
    "best_units",
]

MODELS = {
    "rnn": SeqModel("rnn", rnn.init_params, rnn.rnn_forward, rnn.rnn_backward),
    "lstm": SeqModel("lstm", lstm.init_params, lstm.lstm_forward, lstm.lstm_backward),
    "gru": SeqModel("gru", gru.init_params, gru.gru_forward, gru.gru_backward),
}


class CharLM(NamedTuple):
    """A trained (or fresh) model: the ``model`` name in ``MODELS``, its ``params``, the ``readout`` and ``vocab``."""

    model: str
    params: object
    readout: Readout
    vocab: Vocab


def init_lm(model: str, vocab: Vocab, hidden_size: int, seed: int = 0) -> CharLM:
    if model not in MODELS:
        raise ValueError(f"model: ожидалось одно из {', '.join(MODELS)}, получено {model!r}")
    m = MODELS[model]
    return CharLM(
        model,
        m.init_params(vocab.size, hidden_size, seed=seed),
        init_readout(hidden_size, vocab.size, seed=seed + 1),
        vocab,
    )


def count_params(lm: CharLM) -> int:
    """Every learned number: the recurrent layer's and the readout's."""
    return int(sum(a.size for a in lm.params) + sum(a.size for a in lm.readout))


def hidden_for_budget(model: str, vocab_size: int, budget: int) -> int:
    """The hidden size ``H`` whose model has the number of parameters closest to ``budget``."""
    g = {"rnn": 1, "gru": 3, "lstm": 4}[model]
    return int(min(range(1, 1024), key=lambda H: abs(g * H * (H + vocab_size + 1) + vocab_size * (H + 1) - budget)))


def random_batch(ids: np.ndarray, seq_len: int, batch_size: int, rng: np.random.Generator):
    """``batch_size`` random windows of the id stream: inputs ``(seq_len, B)`` and the next ids ``(seq_len, B)``."""
    starts = rng.integers(0, len(ids) - seq_len - 1, size=batch_size)
    idx = starts[None, :] + np.arange(seq_len)[:, None]
    return ids[idx], ids[idx + 1]


def lm_loss_and_grads(lm: CharLM, x_ids: np.ndarray, y_ids: np.ndarray):
    """Mean cross-entropy (nats per character) of predicting ``y_ids`` after ``x_ids`` (both ``(T, B)``), and
    its gradients: ``(loss, grads of the recurrent layer, grads of the readout)``."""
    m, K = MODELS[lm.model], lm.vocab.size
    trace = m.forward(lm.params, np.eye(K)[x_ids])
    h = trace.h  # (T, B, H)
    probs = softmax(h @ lm.readout.V.T + lm.readout.c)  # (T, B, K)
    T, B = y_ids.shape
    picked = np.take_along_axis(probs, y_ids[..., None], axis=-1)[..., 0]
    loss = float(-np.mean(np.log(np.maximum(picked, 1e-300))))
    d_logits = probs  # ∂loss/∂logits = (p − onehot) / (T·B)
    np.put_along_axis(d_logits, y_ids[..., None], picked[..., None] - 1.0, axis=-1)
    d_logits /= T * B
    grads, _ = m.backward(lm.params, trace, d_logits @ lm.readout.V)
    H = h.shape[-1]
    rgrads = Readout(V=d_logits.reshape(-1, K).T @ h.reshape(-1, H), c=d_logits.sum(axis=(0, 1)))
    return loss, grads, rgrads


class TrainResult(NamedTuple):
    """``lm`` after training; ``losses: (steps,)`` train cross-entropy (nats/char); ``samples``: step → a text
    the model wrote at that step; ``val_steps``/``val_bits``: bits/char on ``val_text`` during training."""

    lm: CharLM
    losses: np.ndarray
    samples: dict
    val_steps: tuple
    val_bits: tuple
    seconds: float


@single_thread_blas()
def train_lm(
    model: str,
    text: str,
    *,
    hidden_size: int = 64,
    steps: int = 400,
    lr: float = 0.01,
    seq_len: int = 64,
    batch_size: int = 32,
    seed: int = 0,
    clip: float = 5.0,
    vocab: Vocab | None = None,
    sample_at=(),
    sample_len: int = 120,
    sample_temperature: float = 0.7,
    val_text: str | None = None,
    val_every: int | None = None,
) -> TrainResult:
    """Train a character model on ``text`` for ``steps`` Adam steps; see the module docstring.

    ``sample_at``: the steps (0 = before training) after which the model writes ``sample_len`` characters
    from a new line at ``sample_temperature`` (seed ``seed``), kept in ``result.samples``.
    """
    for name, v in (("hidden_size", hidden_size), ("steps", steps), ("seq_len", seq_len), ("batch_size", batch_size)):
        check_positive(name, v, integer=True)
    check_positive("lr", lr)
    vocab = make_vocab(text) if vocab is None else vocab
    ids = vocab.encode(text)
    lm = init_lm(model, vocab, hidden_size, seed=seed)
    rng = np.random.default_rng(seed + 7)
    opt = Adam(lr=lr)
    n = len(lm.params)
    samples, losses, val_steps, val_bits = {}, [], [], []
    wanted = set(int(s) for s in sample_at)
    if 0 in wanted:
        samples[0] = generate(lm, "\n", sample_len, temperature=sample_temperature, seed=seed)
    t0 = time.perf_counter()
    for step in range(1, steps + 1):
        x, y = random_batch(ids, seq_len, batch_size, rng)
        loss, grads, rgrads = lm_loss_and_grads(lm, x, y)
        flat = clip_by_global_norm(list(grads) + list(rgrads), clip)
        new = opt.step(list(lm.params) + list(lm.readout), flat)
        lm = CharLM(model, type(lm.params)(*new[:n]), Readout(*new[n:]), vocab)
        losses.append(loss)
        if step in wanted:
            samples[step] = generate(lm, "\n", sample_len, temperature=sample_temperature, seed=seed)
        if val_text is not None and val_every and (step % val_every == 0 or step == steps):
            val_steps.append(step)
            val_bits.append(bits_per_char(text_probs(lm, val_text)))
    return TrainResult(lm, np.array(losses), samples, tuple(val_steps), tuple(val_bits), time.perf_counter() - t0)


# ----------------------------------------------------------------------------------------- writing


def softmax_temperature(logits, temperature: float) -> np.ndarray:
    """``softmax(logits / temperature)`` along the last axis; ``temperature = 0``: all mass on the argmax."""
    logits = as_array("logits", logits, ndim=(1, 2))
    t = float(as_array("temperature", temperature, ndim=0))
    if t < 0:
        raise ValueError(f"temperature: ожидалось число ≥ 0, получено {temperature!r}")
    if t == 0:
        return np.eye(logits.shape[-1])[np.argmax(logits, axis=-1)]
    return softmax(logits / t)


def sample_index(probs, u: float) -> int:
    """The class a uniform number ``u ∈ [0, 1)`` falls on when ``[0, 1)`` is cut into pieces of lengths
    ``probs`` (a roulette wheel): the first ``k`` with ``probs[0] + … + probs[k] > u``."""
    cum = np.cumsum(as_array("probs", probs, ndim=1))
    return int(min(np.searchsorted(cum, float(u), side="right"), len(cum) - 1))


def _stepper(lm: CharLM):
    """``step(x, state) -> (h, state)`` of the model's recurrent layer, one character at a time."""
    p = lm.params
    if lm.model == "lstm":

        def step(x, state):
            s = lstm.lstm_step(p, x, *state)
            return s.h, (s.h, s.C)

        H = p.W_f.shape[0]
        return step, (np.zeros(H), np.zeros(H))
    if lm.model == "gru":

        def step(x, state):
            return (h := gru.gru_step(p, x, state).h), h

        return step, np.zeros(p.W_z.shape[0])

    def step(x, state):
        return (h := rnn.rnn_step(p, x, state)), h

    return step, np.zeros(p.W.shape[0])


def _read(lm: CharLM, prime: str):
    """Feed ``prime`` (cleaned; ``\\n`` if empty) → (logits of the next character, the state, the step)."""
    prime = clean_text(prime) or "\n"
    step, state = _stepper(lm)
    eye = np.eye(lm.vocab.size)
    h = None
    for k in lm.vocab.encode(prime):
        h, state = step(eye[k], state)
    return h @ lm.readout.V.T + lm.readout.c, state, step


def next_char_probs(lm: CharLM, prime: str, temperature: float = 1.0) -> np.ndarray:
    """``(K,)``: the model's probabilities of the character after ``prime``."""
    logits, _, _ = _read(lm, prime)
    return softmax_temperature(logits, temperature)


def generate(lm: CharLM, prime: str, n: int, *, temperature: float = 1.0, seed: int = 0) -> str:
    """Continue ``prime`` by ``n`` characters, each drawn by ``sample_index`` from
    ``softmax_temperature(logits, temperature)`` with a uniform number of ``default_rng(seed)``."""
    check_positive("n", n, integer=True, allow_zero=True)
    rng = np.random.default_rng(seed)
    logits, state, step = _read(lm, prime)
    eye = np.eye(lm.vocab.size)
    out = []
    for _ in range(n):
        k = sample_index(softmax_temperature(logits, temperature), rng.random())
        out.append(lm.vocab.chars[k])
        h, state = step(eye[k], state)
        logits = h @ lm.readout.V.T + lm.readout.c
    return "".join(out)


# ----------------------------------------------------------------------------------------- how good


def _columns(ids: np.ndarray, n_cols: int) -> np.ndarray:
    L = len(ids) // n_cols
    return ids[: L * n_cols].reshape(n_cols, L).T  # (L, n_cols): contiguous pieces


def text_probs(lm: CharLM, text: str, n_cols: int = 32) -> np.ndarray:
    """The probability the model gave to each actual next character of ``text`` (cut into ``n_cols``
    contiguous pieces read in parallel, each from a zero state) → a flat array."""
    cols = _columns(lm.vocab.encode(text), n_cols)
    with single_thread_blas():
        h = MODELS[lm.model].forward(lm.params, np.eye(lm.vocab.size)[cols[:-1]]).h
    probs = softmax(h @ lm.readout.V.T + lm.readout.c)
    return np.take_along_axis(probs, cols[1:, :, None], axis=-1).ravel()


def bits_per_char(p_true) -> float:
    """Mean ``−log₂ p`` of the probabilities given to what really came next: the cross-entropy in bits."""
    p = as_array("p_true", p_true)
    return float(-np.mean(np.log2(np.maximum(p, 1e-300))))


def perplexity(p_true) -> float:
    """``2^(bits per character)``: as if the model chose uniformly among this many characters."""
    return float(2.0 ** bits_per_char(p_true))


def unigram_probs(ids: np.ndarray, K: int) -> np.ndarray:
    """``(K,)`` frequencies of each character (+1 smoothing): the model that ignores all context."""
    return (np.bincount(ids, minlength=K) + 1.0) / (len(ids) + K)


def bigram_counts(ids: np.ndarray, K: int) -> np.ndarray:
    """``(K, K)``: ``counts[a, b]`` = how often character ``b`` comes right after ``a`` in ``ids``."""
    counts = np.zeros((K, K))
    np.add.at(counts, (ids[:-1], ids[1:]), 1.0)
    return counts


def bigram_probs(counts: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Rows of ``counts + alpha``, each normalised: ``P(next = b | current = a)``."""
    c = np.asarray(counts, dtype=float) + alpha
    return c / c.sum(axis=1, keepdims=True)


def baseline_bits(vocab: Vocab, train: str, test: str) -> dict:
    """Bits per character on ``test`` of the uniform guess, the unigram and the bigram model of ``train``."""
    tr, te, K = vocab.encode(train), vocab.encode(test), vocab.size
    big = bigram_probs(bigram_counts(tr, K))
    return {
        "uniform": float(np.log2(K)),
        "unigram": bits_per_char(unigram_probs(tr, K)[te[1:]]),
        "bigram": bits_per_char(big[te[:-1], te[1:]]),
    }


# ----------------------------------------------------------------------------------------- inside


def activations(lm: CharLM, text: str) -> np.ndarray:
    """``(len(text), H)``: each unit's value after reading each character of ``text`` from a zero state
    (LSTM: ``tanh C_t``, the cell state seen through the output's squashing; RNN, GRU: ``h_t``)."""
    xs = np.eye(lm.vocab.size)[lm.vocab.encode(clean_text(text))]
    tr = MODELS[lm.model].forward(lm.params, xs)
    return np.tanh(tr.C) if lm.model == "lstm" else tr.h


def best_units(acts: np.ndarray, features: dict) -> dict:
    """For each feature the unit whose activation ``acts: (T, H)`` correlates with it most strongly:
    ``{name: (unit, r)}`` with Pearson's ``r`` (its sign says whether the unit goes up or down)."""
    a = acts - acts.mean(axis=0)
    out = {}
    for name, f in features.items():
        f = np.asarray(f, dtype=float) - np.mean(f)
        r = (a * f[:, None]).sum(axis=0) / np.maximum(np.sqrt((a**2).sum(axis=0) * (f**2).sum()), 1e-12)
        k = int(np.argmax(np.abs(r)))
        out[name] = (k, float(r[k]))
    return out
