"""Optimisers for the training loops of notebooks 3–5: Adam and gradient clipping.

Parameters are any NamedTuple of float64 arrays (``RNNParams``, ``LSTMParams``, MLP weights);
the update returns a new tuple of the same type, so training code stays functional.
"""

from __future__ import annotations

import numpy as np

from lib.checks import check_positive

__all__ = ["Adam", "clip_by_global_norm", "global_norm"]


def global_norm(grads) -> float:
    """Euclidean norm of all gradient arrays together."""
    return float(np.sqrt(sum(float(np.sum(g * g)) for g in grads)))


def clip_by_global_norm(grads, max_norm: float):
    """Scale all gradients down together so that their global norm is at most ``max_norm`` (> 0; ``inf``
    leaves them as they are)."""
    if max_norm != np.inf:
        check_positive("max_norm", max_norm)
    norm = global_norm(grads)
    if norm <= max_norm or norm == 0.0:
        return grads
    scale = max_norm / norm
    return type(grads)(*(g * scale for g in grads)) if hasattr(grads, "_fields") else [g * scale for g in grads]


class Adam:
    """Adam (Kingma & Ba, 2015) over a NamedTuple (or list) of arrays.

    >>> opt = Adam(lr=1e-2); params = opt.step(params, grads)
    """

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        check_positive("lr", lr)
        check_positive("eps", eps)
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            if not 0.0 <= check_positive(name, beta, allow_zero=True) < 1.0:
                raise ValueError(f"{name}: ожидалось число из [0, 1), получено {beta!r}")
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.t = 0
        self.m = None
        self.v = None

    def step(self, params, grads):
        """Return the parameters after one Adam step with ``grads`` (same structure as ``params``)."""
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        corr = np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        new = []
        for k, (p, g) in enumerate(zip(params, grads)):
            self.m[k] *= b1
            self.m[k] += (1 - b1) * g
            self.v[k] *= b2
            self.v[k] += (1 - b2) * g * g
            new.append(p - self.lr * corr * self.m[k] / (np.sqrt(self.v[k]) + self.eps))
        return type(params)(*new) if hasattr(params, "_fields") else new
