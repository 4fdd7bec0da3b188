"""Small data sets the lessons share: logic tables and the adding problem.

Bigger or lesson-specific data live beside it: ``lib.digits`` (handwritten digits, notebook 2–3),
the corpora of notebooks 4–5 in their own modules.
"""

from __future__ import annotations

import numpy as np

from lib.checks import check_choice, check_positive

__all__ = ["LOGIC_FUNCTIONS", "logic_table", "adding_problem"]

LOGIC_FUNCTIONS = ("AND", "OR", "NAND", "NOR", "NOT", "XOR")

_TRUTH = {
    "AND": lambda a, b: a & b,
    "OR": lambda a, b: a | b,
    "NAND": lambda a, b: 1 - (a & b),
    "NOR": lambda a, b: 1 - (a | b),
    "XOR": lambda a, b: a ^ b,
}


def logic_table(name: str):
    """Truth table of a logic function as ``(X, y)``: ``X: (N, D)`` of 0/1 floats, ``y: (N,)`` of 0/1 ints.

    Two inputs (N = 4) for AND, OR, NAND, NOR, XOR; one input (N = 2) for NOT.
    """
    check_choice("name", name, LOGIC_FUNCTIONS)
    if name == "NOT":
        X = np.array([[0.0], [1.0]])
        return X, np.array([1, 0])
    a = np.array([0, 0, 1, 1])
    b = np.array([0, 1, 0, 1])
    X = np.stack([a, b], axis=1).astype(np.float64)
    return X, _TRUTH[name](a, b).astype(int)


def adding_problem(n: int, T: int, seed: int = 0):
    """The adding problem of Hochreiter & Schmidhuber (1997).

    Each sequence has ``T`` steps of two channels: a random value in [0, 1) and a marker that is 1 at exactly
    two positions (one in the first half, one in the second). The target is the sum of the two marked values.
    Predicting the mean (1.0) gives MSE ≈ 1/6 ≈ 0.167; that is the level of a model that learned nothing.

    Returns ``xs: (T, n, 2)`` (time first, as ``rnn_forward``/``lstm_forward`` take it) and ``y: (n,)``.
    """
    check_positive("n", n, integer=True)
    check_positive("T", T, integer=True)
    if T < 2:
        raise ValueError(f"T: ожидалась длина последовательности ≥ 2, получено {T}")
    rng = np.random.default_rng(seed)
    values = rng.random((n, T))
    half = T // 2
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, T, size=n)
    marks = np.zeros((n, T))
    marks[np.arange(n), first] = 1.0
    marks[np.arange(n), second] = 1.0
    y = values[np.arange(n), first] + values[np.arange(n), second]
    xs = np.stack([values, marks], axis=-1).transpose(1, 0, 2).copy()
    return xs, y
