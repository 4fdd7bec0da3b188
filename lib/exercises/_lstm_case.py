"""The small case notebook 5's exercise checks share: one batch (``B = 3``, ``D = 2``, ``H = 4``) with
non-zero biases, and the helpers that compare a student's arrays with the truth and pick a hint.

Used by ``lib.exercises.lstm`` (the forward step) and ``lib.exercises.lstm_backward`` (the step back).
"""

from __future__ import annotations

import numpy as np

from lib import lstm
from lib.exercises._common import wrong

B, D, H = 3, 2, 4


def _pair(got, what: str):
    """``got`` unpacked into two arrays, or a ``wrong`` verdict saying what was expected."""
    try:
        a, b = got
    except (TypeError, ValueError):
        return None, wrong(f"функция должна вернуть пару {what}, например `return a, b`.")
    return (a, b), None


def _case(seed: int = 11):
    """Parameters with non-zero biases (so a forgotten bias shows) and a batch of inputs and states."""
    rng = np.random.default_rng(seed)
    p0 = lstm.init_params(D, H, seed=seed)
    p = lstm.LSTMParams(
        W_f=1.5 * p0.W_f,
        b_f=rng.normal(size=H),
        W_i=1.5 * p0.W_i,
        b_i=rng.normal(size=H),
        W_C=1.5 * p0.W_C,
        b_C=rng.normal(size=H),
        W_o=1.5 * p0.W_o,
        b_o=rng.normal(size=H),
    )
    x_t = rng.normal(size=(B, D))
    h_prev = 0.5 * rng.normal(size=(B, H))
    C_prev = rng.normal(size=(B, H))
    return p, x_t, h_prev, C_prev, rng
