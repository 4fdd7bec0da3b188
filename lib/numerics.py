"""The numerics every lesson shares, each defined once: sigmoid, tanh', softmax, cross-entropy, one-hot,
central finite differences and the one relative error the course uses to compare gradients.

Arrays are float64; functions act elementwise or along the last axis, with an optional leading batch axis.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = [
    "sigmoid",
    "sigmoid_prime",
    "tanh_prime",
    "softmax",
    "cross_entropy",
    "one_hot",
    "numeric_gradient",
    "relative_error",
]


def sigmoid(z) -> np.ndarray:
    """σ(z) = 1 / (1 + e^(−z)) elementwise, written through tanh: no overflow even at z = ±1000."""
    return 0.5 * np.tanh(0.5 * np.asarray(z, dtype=np.float64)) + 0.5


def sigmoid_prime(s) -> np.ndarray:
    """σ'(z) written through the output ``s = σ(z)``: ``s · (1 − s)``."""
    s = np.asarray(s, dtype=np.float64)
    return s * (1.0 - s)


def tanh_prime(t) -> np.ndarray:
    """tanh'(z) written through the output ``t = tanh(z)``: ``1 − t²``."""
    t = np.asarray(t, dtype=np.float64)
    return 1.0 - t * t


def softmax(z, axis: int = -1) -> np.ndarray:
    """exp(z_k) / Σ_j exp(z_j) along ``axis`` (shifted by the maximum, so no overflow); same shape as ``z``."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def cross_entropy(probs, y, weights=None) -> float:
    """Mean of −log probs[..., y] over all leading positions: ``probs: (..., K)``, ``y: (...)`` of class ids.

    ``weights`` (same shape as ``y``, optional) turns it into a weighted mean (a mask of the positions that
    count). Probabilities are clipped at 1e-300, so a confident wrong answer gives a large loss, not inf.
    """
    probs = np.asarray(probs, dtype=np.float64)
    y = np.asarray(y)
    picked = np.take_along_axis(probs, y[..., None].astype(np.intp), axis=-1)[..., 0]
    nll = -np.log(np.clip(picked, 1e-300, None))
    if weights is None:
        return float(nll.mean())
    weights = np.asarray(weights, dtype=np.float64)
    return float((nll * weights).sum() / max(weights.sum(), 1e-300))


def one_hot(y, n_classes: int) -> np.ndarray:
    """Class ids ``y: (...)`` → float64 rows ``(..., n_classes)`` with a single 1 at each id."""
    y = np.asarray(y).astype(np.intp)
    return np.eye(n_classes, dtype=np.float64)[y]


def numeric_gradient(loss: Callable[[], float], array: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences ``(L(θ + ε) − L(θ − ε)) / 2ε`` of ``loss()`` for every entry of ``array``.

    ``array`` is perturbed in place (``loss`` must read it) and restored afterwards; the result has its shape.
    """
    grad = np.zeros_like(array, dtype=np.float64)
    for idx in np.ndindex(array.shape):
        old = array[idx]
        array[idx] = old + eps
        plus = loss()
        array[idx] = old - eps
        minus = loss()
        array[idx] = old
        grad[idx] = (plus - minus) / (2 * eps)
    return grad


def relative_error(a, b) -> float:
    """max |a − b| / max(max |a|, max |b|, 1e-12): 1e-9 means the two agree to about nine digits.

    The one measure the course uses to compare an analytic gradient with a numeric one.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = max(float(np.abs(a).max(initial=0.0)), float(np.abs(b).max(initial=0.0)), 1e-12)
    return float(np.abs(a - b).max(initial=0.0) / scale)
