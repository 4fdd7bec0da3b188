"""Rosenblatt's perceptron: one threshold unit, its learning rule, and where it stops working (XOR).

The unit answers 1 when its weighted sum reaches zero, else 0:

    z = w · x + b,      ŷ = 1 if z ≥ 0 else 0,          w: (D,), b: scalar, x: (D,) or X: (N, D)

``b`` (смещение) is the weight of the bias input, which is always 1; ``−b`` is the threshold the sum
``w · x`` must reach. The learning rule (Rosenblatt, 1958), applied to one example at a time:

    w ← w + η · (y − ŷ) · x,      b ← b + η · (y − ŷ)

``weighted_sum``, ``predict``            the unit; ``initial_weights`` random start rounded to 0.1
``update -> Step``                       one application of the rule, with what changed and why (in Russian)
``Rosenblatt``                           the algorithm, one example per ``step()``: the one place where epochs,
                                         convergence and cycles are counted; ``train -> History`` runs it
``MP_UNITS``, ``mp_output``              McCulloch–Pitts units (absolute inhibition) for AND / OR / NOT
``novikoff_bound``, ``separable_data``   Novikoff's bound (R/γ)² and random separable points
``best_line_on_grid``                    the most rows any line on a grid gets right (XOR: 3 of 4)
``plot_decision``                        the plane of inputs on matplotlib (``lib.diagrams.plane``'s scene)
``format_number``, ``format_vector``     ``0,5`` and ``(0,5; −1)``: numbers as the lesson prints them
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from typing import NamedTuple

import numpy as np

from lib import fmt
from lib.checks import as_array, check_binary, check_positive, check_shape

__all__ = ["weighted_sum", "predict", "initial_weights", "format_number", "format_vector", "Step", "update"]
__all__ += ["Cycle", "History", "Rosenblatt", "train", "state_key", "plot_decision"]
__all__ += ["MPUnit", "MP_UNITS", "mp_output", "Novikoff", "novikoff_bound", "separable_data", "best_line_on_grid"]


# --- the unit ---------------------------------------------------------------------------------------------


def _weights(w, b, d: int | None = None) -> tuple[np.ndarray, float]:
    """Validate ``w: (D,)`` and a finite scalar ``b``."""
    w = as_array("w", w, ndim=1)
    if d is not None:
        check_shape("w", w, (d,))
    return w, float(as_array("b", b, ndim=0))


def _inputs(name: str, X, d: int, *, single: bool = False) -> np.ndarray:
    """Validate inputs: ``(D,)`` for one example, ``(N, D)`` for several (``single``: only ``(D,)``)."""
    X = as_array(name, X, ndim=1 if single else (1, 2))
    return check_shape(name, X, (d,)) if single else check_shape(name, X, (None, d), (d,))


def _dataset(X, y) -> tuple[np.ndarray, np.ndarray]:
    """Validate a training set: ``X: (N, D)`` and answers ``y: (N,)`` of 0/1."""
    X = as_array("X", X, ndim=2)
    y = check_binary("y", y)
    check_shape("y", y, (len(X),))
    return X, y


def weighted_sum(w, b, X) -> np.ndarray | float:
    """The sum ``z = X @ w + b`` for ``X: (N, D)`` (gives ``(N,)``) or ``x: (D,)`` (gives a float), rounded to
    10 decimals: 0.3 − 0.2 − 0.1 is 0 (answer 1), as by hand, not −2.8e−17 (answer 0)."""
    w, b = _weights(w, b)
    X = _inputs("X", X, len(w))
    z = np.round(X @ w + b, 10) + 0.0
    return float(z) if X.ndim == 1 else z


def predict(w, b, X) -> np.ndarray | int:
    """The perceptron's answer: 1 where ``w · x + b ≥ 0``, else 0. ``X: (N, D)`` → ``(N,)`` ints; ``(D,)`` → int."""
    z = weighted_sum(w, b, X)
    return int(z >= 0) if np.ndim(z) == 0 else (z >= 0).astype(int)


def initial_weights(n_inputs: int, seed: int = 0) -> tuple[np.ndarray, float]:
    """Step 1 of the algorithm: random weights ``w0: (n_inputs,)`` and ``b0`` from U(−1, 1), rounded to 0.1
    so that a run can be followed by hand."""
    check_positive("n_inputs", n_inputs, integer=True)
    v = np.random.default_rng(seed).uniform(-1, 1, n_inputs + 1).round(1) + 0.0
    return v[:-1], float(v[-1])


def format_number(x: float, digits: int = 2) -> str:
    """``0,5``, ``−1``, ``0``: rounded to ``digits``, decimal comma, no trailing zeros, never ``−0``."""
    s = fmt.num(x, digits)
    return s.rstrip("0").rstrip(",") if "," in s else s


def format_vector(v, digits: int = 2) -> str:
    """``(0, 1)`` or ``(0,5; −1)``: a short vector; a semicolon separates entries once one has a comma."""
    parts = [format_number(x, digits) for x in np.atleast_1d(v)]
    return "(" + ("; " if any("," in p for p in parts) else ", ").join(parts) + ")"


# --- one step of learning ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One application of the rule: ``x: (D,)``, the answer ``y``, the perceptron's ``y_hat`` and sum ``z``
    before it, the weights before ``w, b``, the change ``dw: (D,)``, ``db``, and ``lr`` = η."""

    x: np.ndarray
    y: int
    y_hat: int
    z: float
    w: np.ndarray
    b: float
    dw: np.ndarray
    db: float
    lr: float

    error = property(lambda self: self.y - self.y_hat, doc="``y − ŷ``: +1 (sum too small), −1 (too large), 0")
    w_new = property(lambda self: self.w + self.dw, doc="the weights after the step")
    b_new = property(lambda self: self.b + self.db, doc="the bias after the step")

    def explain(self) -> str:
        """What happened, in Russian: the answer, whether it was wrong, which weights moved and why."""
        head = f"x = {format_vector(self.x)}: z = {format_number(self.z)} → ответ {self.y_hat}"
        if self.error == 0:
            return f"{head}, верно. Веса не меняются."
        verb, why = ("увеличиваем", "мала") if self.error > 0 else ("уменьшаем", "велика")
        head += f", а нужно {self.y}. Сумма слишком {why}: {verb} на η = {format_number(self.lr)}"
        moved = [f"w{i + 1}" for i in np.flatnonzero(self.dw)]
        if not np.all((self.x == 0) | (self.x == 1)):
            return f"{head}·x_i каждый вес и смещение b."
        if not moved:
            zeros = "вход равен 0 и на ответ не повлиял" if len(self.x) == 1 else "входы равны 0 и на ответ не повлияли"
            return f"{head} только смещение b: {zeros}."
        return f"{head} веса при входах, равных 1: {', '.join(moved)} и смещение b (его вход всегда 1)."

    def report(self) -> str:
        """:meth:`explain`, followed by :meth:`table` when some weight changed."""
        return self.explain() + ("\n" + self.table() if self.error else "")

    def table(self) -> str:
        """The step as a small table: each input, its weight before, the change Δ and the weight after."""
        rows = [f"{'вход':>8} {'значение':>9} {'вес до':>8} {'Δ':>6} {'вес после':>10}"]
        names = [f"x{i + 1}" for i in range(len(self.x))] + ["1 (b)"]
        for name, v, w0, d in zip(names, [*self.x, 1.0], [*self.w, self.b], [*self.dw, self.db]):
            delta, after = ("+" if d > 0 else "") + format_number(d) if d else "·", format_number(w0 + d)
            rows.append(f"{name:>8} {format_number(v):>9} {format_number(w0):>8} {delta:>6} {after:>10}")
        return "\n".join(rows)


def update(w, b, x, y, lr: float = 1.0) -> Step:
    """Rosenblatt's rule on one example ``x: (D,)`` with the answer ``y ∈ {0, 1}``: the :class:`Step` (new
    weights ``step.w_new``, ``step.b_new``; ``w`` is not modified). A wrong answer moves each weight by
    ``η·(y − ŷ)·x_i``: with 0/1 inputs, exactly the weights of the inputs equal to 1, and the bias."""
    w, b = _weights(w, b)
    x = _inputs("x", x, len(w), single=True)
    y = int(check_binary("y", y))
    check_positive("lr", lr)
    z = weighted_sum(w, b, x)
    err = y - int(z >= 0)
    return Step(x.copy(), y, int(z >= 0), z, w.copy(), b, dw=lr * err * x + 0.0, db=lr * err + 0.0, lr=float(lr))


# --- the algorithm ---------------------------------------------------------------------------------------


class Cycle(NamedTuple):
    """The weights ``(w, b)`` at the start of epoch ``start + period`` equal those at the start of ``start``
    (epochs counted from 0): from then on the same ``period`` epochs repeat forever."""

    start: int
    period: int


@dataclass
class History:
    """Everything the algorithm did: every :class:`Step`; the weights ``(w, b)`` at the start of each epoch
    that ran (``[0]``: the initial ones); the mistakes of each finished epoch; ``converged`` (an epoch without
    mistakes); ``cycle`` (the weights came back to an earlier epoch's start); ``w, b``: the weights now."""

    steps: list[Step] = field(default_factory=list)
    epoch_starts: list[tuple[np.ndarray, float]] = field(default_factory=list)
    mistakes_per_epoch: list[int] = field(default_factory=list)
    converged: bool = False
    cycle: Cycle | None = None
    w: np.ndarray | None = None
    b: float = 0.0

    mistakes = property(lambda self: sum(self.mistakes_per_epoch), doc="wrong answers in the finished epochs")
    epochs = property(lambda self: len(self.mistakes_per_epoch), doc="finished epochs")


def state_key(w: np.ndarray, b: float) -> tuple:
    """The weights ``(w, b)`` as a hashable key for cycle detection, rounded to 9 decimals so that
    0.3 + 1 − 1 counts as 0.3 again."""
    return tuple(np.round(np.append(w, b), 9) + 0.0)


class Rosenblatt:
    """Rosenblatt's algorithm on ``X: (N, D)``, ``y: (N,)``: each :meth:`step` applies :func:`update` to the next
    example; after the N-th an epoch ends: no mistake in it → ``converged`` (later steps do nothing); weights
    equal to an earlier epoch's start → ``cycle`` (the next epochs repeat; stepping may go on). See ``history``."""

    def __init__(self, X, y, w0=None, b0: float = 0.0, lr: float = 1.0):
        self.X, self.y = _dataset(X, y)
        w, self.b = _weights(np.zeros(self.X.shape[1]) if w0 is None else w0, b0, self.X.shape[1])
        self.w = w.copy()
        check_positive("lr", lr)
        self.lr = float(lr)
        self.position = 0  # index of the next example in the epoch
        self._mistakes = 0  # in the epoch in progress
        self.history = History(w=self.w.copy(), b=self.b)
        self._seen = {state_key(self.w, self.b): 0}  # weights at an epoch's start → that epoch

    @property
    def epoch(self) -> int:
        """The number (from 1) of the epoch in progress, or of the last one once converged."""
        h = self.history
        return h.epochs if h.converged else h.epochs + 1

    @property
    def mistakes(self) -> int:
        """Wrong answers so far in the epoch in progress (0 before its first example)."""
        return self._mistakes if self.position else 0

    def set_lr(self, lr: float) -> None:
        """A new η from the next step on; cycle detection starts afresh (old epochs ran with another η)."""
        check_positive("lr", lr)
        self.lr = float(lr)
        self._seen = {} if self.position else {state_key(self.w, self.b): self.history.epochs}
        self.history.cycle = None

    def step(self) -> Step | None:
        """Apply the rule to the next example; ``None`` (and nothing changes) once converged."""
        h = self.history
        if h.converged:
            return None
        if self.position == 0:
            h.epoch_starts.append((self.w.copy(), self.b))
            self._mistakes = 0
        s = update(self.w, self.b, self.X[self.position], self.y[self.position], self.lr)
        h.steps.append(s)
        self.w, self.b = s.w_new, s.b_new
        h.w, h.b = self.w.copy(), self.b
        self._mistakes += s.error != 0
        self.position += 1
        if self.position == len(self.X):
            self._end_epoch()
        return s

    def run_epoch(self) -> list[Step]:
        """Steps until the end of the epoch in progress (a whole epoch if it has not begun)."""
        steps = [self.step()]
        while self.position and not self.history.converged:
            steps.append(self.step())
        return [s for s in steps if s is not None]

    def _end_epoch(self) -> None:
        h = self.history
        self.position = 0
        h.mistakes_per_epoch.append(int(self._mistakes))
        if self._mistakes == 0:
            h.converged = True
            return
        key = state_key(self.w, self.b)
        if key not in self._seen:
            self._seen[key] = h.epochs
        elif h.cycle is None:
            h.cycle = Cycle(start=self._seen[key], period=h.epochs - self._seen[key])


def train(X, y, w0=None, b0: float = 0.0, lr: float = 1.0, max_epochs: int = 100) -> History:
    """Rosenblatt's algorithm: epochs over ``X: (N, D)`` with answers ``y: (N,)`` until one without mistakes
    (``converged``), until the weights at an epoch's end repeat an earlier epoch's start (``cycle``: they
    will then repeat forever), or for ``max_epochs`` epochs. ``w0: (D,)`` defaults to zeros."""
    check_positive("max_epochs", max_epochs, integer=True)
    run = Rosenblatt(X, y, w0, b0, lr)
    h = run.history
    while not h.converged and h.cycle is None and h.epochs < max_epochs:
        run.run_epoch()
    return h


# --- the picture ----------------------------------------------------------------------------------------


def plot_decision(ax, X, y, w, b, *, box=(-0.5, 1.5), title=None, dashed=None, highlight=None):
    """Draw on ``ax`` the plane of inputs ``X: (N, 2)`` for the perceptron ``(w, b)``: the scene
    ``lib.diagrams.plane.plane_scene`` (the one the widgets draw as SVG) and a legend entry per class."""
    from lib.diagrams.mpl import render_mpl
    from lib.diagrams.plane import plane_scene
    from lib.plots import PALETTE

    w, b = _weights(w, b, 2)
    render_mpl(plane_scene(X, y, w, b, box=box, dashed=dashed, highlight=highlight), ax)
    for cls, color, marker in ((1, "blue", "s"), (0, "orange", "o")):  # legend entries only
        ax.scatter([], [], s=120, c=PALETTE[color], marker=marker, edgecolors="black", label=f"ответ {cls}")
    if title:
        ax.set_title(title)
    return ax


# --- McCulloch–Pitts units ------------------------------------------------------------------------------


class MPUnit(NamedTuple):
    """A McCulloch–Pitts unit (1943): ``inputs`` names each input ``"+"`` (excitatory) or ``"−"`` (inhibitory).

    It fires (1) when no inhibitory input is active — inhibition is absolute, one active inhibitory input
    blocks the unit whatever the others do — and at least ``threshold`` excitatory inputs are active.
    """

    inputs: str
    threshold: int

    def as_perceptron(self) -> tuple[np.ndarray, float]:
        """Weights ``(w, b)`` of a perceptron computing the same: +1 per excitatory input, and per inhibitory
        one a negative weight larger than all excitatory ones together; ``b = −threshold``."""
        n_plus = self.inputs.count("+")
        return np.array([1.0 if k == "+" else -(n_plus + 1.0) for k in self.inputs]), -float(self.threshold)


MP_UNITS = {
    "AND": MPUnit("++", 2),  # both inputs must be on
    "OR": MPUnit("++", 1),  # one is enough
    "NOT": MPUnit("−", 0),  # an active inhibitory input blocks the unit; silent input: 0 ≥ 0, it fires
}


def mp_output(unit: MPUnit, X) -> np.ndarray:
    """Outputs ``(N,)`` of a McCulloch–Pitts ``unit`` on binary inputs ``X: (N, D)``."""
    X = np.atleast_2d(check_binary("X", _inputs("X", X, len(unit.inputs))))
    plus = np.array([k == "+" for k in unit.inputs])
    blocked = X[:, ~plus].any(axis=1)
    return ((X[:, plus].sum(axis=1) >= unit.threshold) & ~blocked).astype(int)


# --- convergence ----------------------------------------------------------------------------------------


class Novikoff(NamedTuple):
    """``R``: the largest ‖(x, 1)‖; ``gamma``: the smallest margin of ``(w, b)/‖(w, b)‖``; ``bound = (R/γ)²``."""

    R: float
    gamma: float
    bound: float


def novikoff_bound(X, y, w, b) -> Novikoff:
    """Novikoff's bound (1962) on the number of mistakes of the perceptron started at zero weights.

    ``(w, b)`` must separate the data (every margin ``(2y − 1)·(w·x + b) > 0``), otherwise ``ValueError``.
    Any learning rate gives the same mistakes from zero weights, so the bound holds for every ``lr``.
    """
    X, y = _dataset(X, y)
    w, b = _weights(w, b, X.shape[1])
    Xa = np.hstack([X, np.ones((len(X), 1))])
    u = np.append(w, b)
    norm = np.linalg.norm(u)
    if norm == 0:
        raise ValueError("w, b: ожидался ненулевой вектор весов, получены одни нули")
    gamma = float(((2 * y - 1) * (Xa @ u) / norm).min())
    if gamma <= 0:
        raise ValueError(f"w, b: эти веса не разделяют данные (наименьший отступ {gamma:.3g} ≤ 0)")
    R = float(np.linalg.norm(Xa, axis=1).max())
    return Novikoff(R=R, gamma=gamma, bound=(R / gamma) ** 2)


def separable_data(n: int, seed: int = 0, margin: float = 0.1):
    """``n`` random points of the square [−1, 1]² split by a random line, none closer to it than ``margin``
    (below 0,5). Returns ``X: (n, 2)``, ``y: (n,)`` of 0/1 and the line ``(w, b)``, ``‖w‖ = 1``."""
    check_positive("n", n, integer=True)
    check_positive("margin", margin)
    if margin >= 0.5:  # wider margins leave almost no room in the square: the search would not end
        raise ValueError(f"margin: ожидалось число меньше 0,5, получено {margin!r}")
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, 2 * np.pi)
    w = np.array([np.cos(angle), np.sin(angle)])
    b = float(rng.uniform(-0.3, 0.3))
    points = []
    while len(points) < n:
        p = rng.uniform(-1, 1, size=(2 * n, 2))
        points.extend(p[np.abs(p @ w + b) >= margin])
    X = np.array(points[:n])
    return X, (X @ w + b > 0).astype(int), w, b


_GRID = np.arange(-3, 3.01, 0.25)  # weights −3 … 3 in steps of 0.25


def best_line_on_grid(X, y, values=_GRID, *, bias: bool = True) -> int:
    """The most rows of ``(X: (N, 2), y)`` that any perceptron with ``w1, w2, b`` from ``values`` gets right
    (``bias=False``: only perceptrons with ``b = 0``)."""
    X, y = _dataset(X, y)
    check_shape("X", X, (None, 2))
    W = np.array(list(product(values, values, values if bias else [0.0])))  # (K, 3): w1, w2, b
    answers = (X @ W[:, :2].T + W[:, 2] >= 0).astype(int)  # (N, K)
    return int((answers == y[:, None]).sum(axis=0).max())
