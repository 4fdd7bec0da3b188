"""Finite-difference checks of hand-written backward passes (MLP, RNN, LSTM).

The notebooks compute such a check visibly once; the tests use this one implementation.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

__all__ = ["numeric_gradient"]


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

