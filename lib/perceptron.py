"""Rosenblatt's perceptron: one threshold unit, its learning rule, and where it stops working (XOR).

The unit answers 1 when its weighted sum reaches zero, else 0:

    z = w · x + b,      ŷ = 1 if z ≥ 0 else 0,          w: (D,), b: scalar, x: (D,) or X: (N, D)

``b`` is the weight of the bias input, which is always 1; ``−b`` is the threshold the sum ``w · x``
must reach. The learning rule (Rosenblatt, 1958), applied to one example at a time:

    w ← w + η · (y − ŷ) · x,      b ← b + η · (y − ŷ)

Functions
---------
``weighted_sum(w, b, X) -> z``                 the sum ``X @ w + b``: ``(N,)`` or a scalar
``predict(w, b, X) -> ŷ``                      the thresholded sum, 0/1 ints
``initial_weights(n_inputs, seed)``           random starting weights, rounded to 0.1
``update(w, b, x, y, lr) -> Step``             one application of the rule, with what changed and why
``train(X, y, w0, b0, lr, max_epochs)``        epochs until an error-free pass or a repeated state (cycle)
``mp_output(weights, threshold, X)``           a McCulloch–Pitts unit; ``MP_UNITS`` holds AND / OR / NOT
``novikoff_bound(X, y, w, b)``                 Novikoff's bound (R/γ)² on the number of mistakes
``separable_data(n, seed, margin)``            random linearly separable points for experiments
``best_line_on_grid(X, y)``                    the most rows any line on a grid gets right (XOR: 3 of 4)
``boundary_segment``, ``half_plane_polygon``, ``plot_decision``   the decision line, for pictures
``check_exercise_1/2/3``                       checks of the notebook's exercises, with hints in Russian
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from typing import Callable, NamedTuple

import numpy as np

from lib.checks import as_array, check_binary, check_positive, check_shape

__all__ = ["weighted_sum", "predict", "initial_weights", "Step", "update", "History", "Cycle", "train",
           "state_key", "MPUnit", "MP_UNITS", "mp_output", "Novikoff", "novikoff_bound", "separable_data",
           "best_line_on_grid", "boundary_segment", "half_plane_polygon", "plot_decision", "format_vector",
           "format_number", "check_exercise_1", "check_exercise_2", "check_exercise_3", "SOLUTIONS"]


# --- the unit ---------------------------------------------------------------------------------------------

def _weights(w, b, d: int | None = None) -> tuple[np.ndarray, float]:
    """Validate ``w: (D,)`` and a finite scalar ``b``."""
    w = as_array("w", w, ndim=1)
    if d is not None:
        check_shape("w", w, (d,))
    b = as_array("b", b, ndim=0)
    return w, float(b)


def _inputs(name: str, X, d: int | None = None, *, single: bool = False) -> np.ndarray:
    """Validate inputs: ``(D,)`` for one example, ``(N, D)`` for several (``single``: only ``(D,)``)."""
    X = as_array(name, X, ndim=1 if single else (1, 2))
    if d is not None:
        check_shape(name, X, (d,)) if single else check_shape(name, X, (None, d), (d,))
    return X


def weighted_sum(w, b, X) -> np.ndarray | float:
    """The sum ``z = X @ w + b`` for ``X: (N, D)`` (gives ``(N,)``) or ``x: (D,)`` (gives a float)."""
    w, b = _weights(w, b)
    X = _inputs("X", X, len(w))
    z = X @ w + b
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


def format_vector(v, digits: int = 2) -> str:
    """``(0.5, -1)``: a short, readable vector (trailing zeros dropped, no ``-0``)."""
    return "(" + ", ".join(format_number(x, digits) for x in np.atleast_1d(v)) + ")"


def format_number(x: float, digits: int = 2) -> str:
    """``0.5``, ``-1``, ``0``: a number rounded to ``digits`` without trailing zeros or ``-0``."""
    s = f"{round(float(x), digits) + 0.0:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


# --- the decision line ----------------------------------------------------------------------------------

def _square(box) -> list[tuple[float, float]]:
    lo, hi = box
    return [(lo, lo), (hi, lo), (hi, hi), (lo, hi)]


def half_plane_polygon(w, b, box=(-0.5, 1.5)) -> list[tuple[float, float]]:
    """The part of the square ``box²`` where ``w·p + b ≥ 0`` (the perceptron answers 1), as polygon vertices.

    ``w: (2,)``. Clips the square by the half-plane (one pass of Sutherland–Hodgman); ``[]`` if it is empty.
    """
    w, b = _weights(w, b, 2)
    square = _square(box)
    side = [float(w @ p + b) for p in np.array(square)]
    out = []
    for k, (p, s) in enumerate(zip(square, side)):
        q, t = square[(k + 1) % 4], side[(k + 1) % 4]
        if s >= 0:
            out.append(p)
        if (s >= 0) != (t >= 0):
            a = s / (s - t)
            out.append((p[0] + a * (q[0] - p[0]), p[1] + a * (q[1] - p[1])))
    return out


def boundary_segment(w, b, box=(-0.5, 1.5)):
    """The piece of the line ``w·p + b = 0`` inside the square ``box²`` as ``((x, y), (x, y))``, or ``None``
    if it misses the square (or ``w = 0``: then the answer is the same everywhere)."""
    w, b = _weights(w, b, 2)
    if not np.any(w):
        return None
    square = [np.array(p) for p in _square(box)]
    pts = set()
    for k in range(4):
        p, q = square[k], square[(k + 1) % 4]
        s, t = w @ p + b, w @ q + b
        if s != t and 0 <= s / (s - t) <= 1:
            x, y = p + s / (s - t) * (q - p)
            pts.add((round(float(x), 9) + 0.0, round(float(y), 9) + 0.0))
    pts = sorted(pts)
    return (pts[0], pts[-1]) if len(pts) >= 2 else None


def plot_decision(ax, X, y, w, b, *, box=(-0.5, 1.5), title=None):
    """Draw on ``ax`` the points ``X: (N, 2)`` by class ``y``, the region where the perceptron ``(w, b)``
    answers 1 (blue) or 0 (orange) and its line. Returns ``ax``."""
    from matplotlib.patches import Polygon

    from lib.plots import PALETTE, mark_points

    lo, hi = box
    w, b = _weights(w, b, 2)
    for region, color in ((half_plane_polygon(w, b, box), "blue"), (half_plane_polygon(-w, -b, box), "orange")):
        if region:
            ax.add_patch(Polygon(region, closed=True, color=PALETTE[color], alpha=0.2, lw=0))
    seg = boundary_segment(w, b, box)
    if seg is not None:
        ax.plot(*zip(*seg), color="black", lw=3)
    mark_points(ax, X, y)
    ticks = np.arange(np.ceil(lo), np.floor(hi) + 1)
    ax.set(xlim=box, ylim=box, xlabel="x1", ylabel="x2", aspect="equal", xticks=ticks, yticks=ticks)
    if title:
        ax.set_title(title)
    return ax


# --- one step of learning ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    """One application of Rosenblatt's rule to one example.

    ``x: (D,)`` the input, ``y`` the correct answer, ``y_hat`` the perceptron's answer before the update,
    ``z`` its weighted sum, ``w, b`` the weights before, ``dw: (D,)``, ``db`` the change, ``lr`` = η.
    """

    x: np.ndarray
    y: int
    y_hat: int
    z: float
    w: np.ndarray
    b: float
    dw: np.ndarray
    db: float
    lr: float

    @classmethod
    def from_change(cls, x, y, w, b, w_new, b_new, lr: float = 1.0) -> "Step":
        """The step that took ``(w, b)`` to ``(w_new, b_new)`` on the example ``(x, y)``, however it was
        computed (used to print a hand-written rule the same way as :func:`update`)."""
        w, b = _weights(w, b)
        w_new, b_new = _weights(w_new, b_new, len(w))
        x = _inputs("x", x, len(w), single=True)
        z = float(x @ w + b)
        return cls(x=x.copy(), y=int(check_binary("y", y)), y_hat=int(z >= 0), z=z, w=w.copy(), b=b,
                   dw=w_new - w, db=b_new - b, lr=float(lr))

    @property
    def error(self) -> int:
        """``y − ŷ``: +1 (the sum was too small), −1 (too large) or 0 (the answer was right)."""
        return self.y - self.y_hat

    @property
    def w_new(self) -> np.ndarray:
        return self.w + self.dw

    @property
    def b_new(self) -> float:
        return self.b + self.db

    def explain(self) -> str:
        """What happened, in Russian: the answer, whether it was wrong, which weights moved and why."""
        head = f"x = {format_vector(self.x)}: z = {format_number(self.z)} → ответ {self.y_hat}"
        if self.error == 0:
            return f"{head}, верно. Веса не меняются."
        verb, why = ("увеличиваем", "мала") if self.error > 0 else ("уменьшаем", "велика")
        head += f", а нужно {self.y}. Сумма слишком {why}: {verb} на η = {format_number(self.lr)}"
        moved = [f"w{i + 1}" for i in np.flatnonzero(self.dw)]
        if not _is_binary(self.x):
            return f"{head}·x_i каждый вес и смещение b."
        if not moved:
            zeros = "вход равен 0 и на ответ не повлиял" if len(self.x) == 1 else "входы равны 0 и на ответ не повлияли"
            return f"{head} только смещение b: {zeros}."
        return f"{head} веса при входах, равных 1: {', '.join(moved)} и b (вход смещения всегда 1)."

    def report(self) -> str:
        """:meth:`explain`, followed by :meth:`table` when some weight changed."""
        changed = np.any(self.dw) or self.db
        return self.explain() + ("\n" + self.table() if changed else "")

    def table(self) -> str:
        """The step as a small table: each input, its weight before, the change Δ and the weight after."""
        rows = [f"{'вход':>8} {'значение':>9} {'вес до':>8} {'Δ':>6} {'вес после':>10}"]
        names = [f"x{i + 1}" for i in range(len(self.x))] + ["1 (b)"]
        values = list(self.x) + [1.0]
        before = list(self.w) + [self.b]
        deltas = list(self.dw) + [self.db]
        for name, v, w0, d in zip(names, values, before, deltas):
            delta = ("+" if d > 0 else "") + format_number(d) if d else "·"
            after = format_number(w0 + d)
            rows.append(f"{name:>8} {format_number(v):>9} {format_number(w0):>8} {delta:>6} {after:>10}")
        return "\n".join(rows)


def _is_binary(x: np.ndarray) -> bool:
    return bool(np.all((x == 0) | (x == 1)))


def update(w, b, x, y, lr: float = 1.0) -> Step:
    """Apply Rosenblatt's rule to one example ``x: (D,)`` with the correct answer ``y ∈ {0, 1}``.

    Returns the :class:`Step` (the new weights are ``step.w_new``, ``step.b_new``); ``w`` is not modified.
    A wrong answer moves each weight by ``η · (y − ŷ) · x_i``: with 0/1 inputs, exactly the weights whose
    input was 1 (and the bias, whose input is always 1) go up when the answer was too small, down when too big.
    """
    w, b = _weights(w, b)
    x = _inputs("x", x, len(w), single=True)
    y = int(check_binary("y", y))
    check_positive("lr", lr)
    z = float(x @ w + b)
    y_hat = int(z >= 0)
    err = y - y_hat
    return Step(x=x.copy(), y=y, y_hat=y_hat, z=z, w=w.copy(), b=b, dw=lr * err * x + 0.0, db=lr * err + 0.0,
                lr=float(lr))


# --- training -------------------------------------------------------------------------------------------

class Cycle(NamedTuple):
    """The weights ``(w, b)`` at the start of epoch ``start + period`` equal those at the start of ``start``:
    from then on the same ``period`` epochs repeat forever."""

    start: int
    period: int


@dataclass
class History:
    """Everything ``train`` did.

    ``steps``: every :class:`Step` in order; ``epoch_starts``: the weights ``(w, b)`` at the start of each
    epoch (``[0]`` = the initial ones); ``mistakes_per_epoch``; ``converged``: an epoch passed without a
    mistake; ``cycle``: a :class:`Cycle` when the weights came back to an earlier epoch's start.
    """

    steps: list[Step] = field(default_factory=list)
    epoch_starts: list[tuple[np.ndarray, float]] = field(default_factory=list)
    mistakes_per_epoch: list[int] = field(default_factory=list)
    converged: bool = False
    cycle: Cycle | None = None
    w: np.ndarray | None = None
    b: float = 0.0

    @property
    def mistakes(self) -> int:
        """Total number of updates (wrong answers) over the whole run."""
        return sum(self.mistakes_per_epoch)

    @property
    def epochs(self) -> int:
        return len(self.mistakes_per_epoch)


def state_key(w: np.ndarray, b: float) -> tuple:
    """The weights ``(w, b)`` as a hashable key for cycle detection, rounded to 9 decimals so that
    0.3 + 1 − 1 counts as 0.3 again."""
    return tuple(np.round(np.append(w, b), 9) + 0.0)


def train(X, y, w0=None, b0: float = 0.0, lr: float = 1.0, max_epochs: int = 100) -> History:
    """Rosenblatt's algorithm: pass over ``X: (N, D)`` with answers ``y: (N,)`` of 0/1, updating after each
    example, until a pass without mistakes (``converged``), until the weights at the start of an epoch repeat
    an earlier epoch's (``cycle``: they will then repeat forever), or for ``max_epochs`` passes.

    ``w0: (D,)`` defaults to zeros.
    """
    X = _inputs("X", X)
    check_shape("X", X, (None, X.shape[-1]))
    n, d = X.shape
    y = check_binary("y", y)
    check_shape("y", y, (n,))
    w, b = _weights(np.zeros(d) if w0 is None else w0, b0, d)
    check_positive("max_epochs", max_epochs, integer=True)
    check_positive("lr", lr)
    hist = History()
    seen = {}
    for epoch in range(max_epochs):
        key = state_key(w, b)
        if key in seen:
            hist.cycle = Cycle(start=seen[key], period=epoch - seen[key])
            break
        seen[key] = epoch
        hist.epoch_starts.append((w.copy(), b))
        mistakes = 0
        for x_i, y_i in zip(X, y):
            step = update(w, b, x_i, y_i, lr)
            hist.steps.append(step)
            w, b = step.w_new, step.b_new
            mistakes += step.error != 0
        hist.mistakes_per_epoch.append(int(mistakes))
        if mistakes == 0:
            hist.converged = True
            break
    hist.w, hist.b = w, b
    return hist


# --- McCulloch–Pitts units ------------------------------------------------------------------------------

class MPUnit(NamedTuple):
    """A McCulloch–Pitts unit: fires (1) when the sum of its weighted binary inputs reaches ``threshold``."""

    weights: tuple
    threshold: float


MP_UNITS = {
    "AND": MPUnit(weights=(1, 1), threshold=2),   # both inputs must be on
    "OR": MPUnit(weights=(1, 1), threshold=1),    # one is enough
    "NOT": MPUnit(weights=(-1,), threshold=0),    # an active input inhibits the unit
}


def mp_output(weights, threshold: float, X) -> np.ndarray:
    """Outputs of a McCulloch–Pitts unit on binary inputs ``X: (N, D)``: 1 where ``X @ weights ≥ threshold``."""
    weights = as_array("weights", weights, ndim=1)
    X = check_binary("X", _inputs("X", X, len(weights))).astype(float)
    threshold = float(as_array("threshold", threshold, ndim=0))
    return (np.atleast_2d(X) @ weights >= threshold).astype(int)


# --- convergence ----------------------------------------------------------------------------------------

class Novikoff(NamedTuple):
    """Novikoff's bound: ``R`` the largest norm of an input (with the bias input 1 appended), ``gamma`` the
    smallest margin of a separating unit vector ``(w, b)/‖(w, b)‖``, ``bound = (R/γ)²``."""

    R: float
    gamma: float
    bound: float


def novikoff_bound(X, y, w, b) -> Novikoff:
    """Novikoff's bound (1962) on the number of mistakes of the perceptron started at zero weights.

    ``(w, b)`` must separate the data (every margin ``(2y − 1)·(w·x + b) > 0``), otherwise ``ValueError``.
    Any learning rate gives the same mistakes from zero weights, so the bound holds for every ``lr``.
    """
    X = _inputs("X", X)
    check_shape("X", X, (None, X.shape[-1]))
    y = check_binary("y", y)
    check_shape("y", y, (len(X),))
    w, b = _weights(w, b, X.shape[1])
    Xa = np.hstack([X, np.ones((len(X), 1))])
    u = np.append(w, b)
    norm = np.linalg.norm(u)
    if norm == 0:
        raise ValueError("w, b: ожидался ненулевой вектор весов, получены одни нули")
    margins = (2 * y - 1) * (Xa @ u) / norm
    gamma = float(margins.min())
    if gamma <= 0:
        raise ValueError(f"w, b: эти веса не разделяют данные (наименьший отступ {gamma:.3g} ≤ 0)")
    R = float(np.linalg.norm(Xa, axis=1).max())
    return Novikoff(R=R, gamma=gamma, bound=(R / gamma) ** 2)


def separable_data(n: int, seed: int = 0, margin: float = 0.1):
    """``n`` random points of the square [−1, 1]² split by a random line, none closer to it than ``margin``.

    Returns ``X: (n, 2)``, ``y: (n,)`` of 0/1 and the line ``(w, b)`` with ``‖w‖ = 1`` (so the distance of
    ``x`` to the line is ``|w·x + b|``).
    """
    check_positive("n", n, integer=True)
    check_positive("margin", margin)
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


def best_line_on_grid(X, y, values=np.arange(-3, 3.01, 0.25), *, bias: bool = True) -> int:
    """The most rows of ``(X: (N, 2), y)`` that any perceptron with ``w1, w2, b`` from ``values`` gets right
    (``bias=False``: only perceptrons with ``b = 0``)."""
    X = _inputs("X", X, 2)
    y = check_binary("y", y)
    W = np.array(list(product(values, values, values if bias else [0.0])))   # (K, 3): w1, w2, b
    answers = (X @ W[:, :2].T + W[:, 2] >= 0).astype(int)     # (N, K)
    return int((answers == y[:, None]).sum(axis=0).max())


# --- exercises ------------------------------------------------------------------------------------------

def _missing(*answers) -> bool:
    if any(a is Ellipsis for a in answers):
        print("✎ Ответ ещё не вписан: замените `...` своим ответом и запустите ячейку снова.")
        return True
    return False


def check_exercise_1(w, b) -> None:
    """Exercise 1: weights ``w = (w1, w2)`` and bias ``b`` of a perceptron computing NAND.

    Like every check here, prints a verdict and, if wrong, a specific hint in Russian; returns ``None``.
    """
    if _missing(w, b):
        return
    from lib.data import logic_table

    w, b = _weights(w, b, 2)
    X, y = logic_table("NAND")
    wrong = [(x, t) for x, t in zip(X, y) if predict(w, b, x) != t]
    if not wrong:
        print("✔ Верно: персептрон вычисляет NAND (И-НЕ) на всех четырёх входах.")
        return
    x, t = wrong[0]
    z = weighted_sum(w, b, x)
    need = "≥ 0, чтобы ответ был 1" if t == 1 else "< 0, чтобы ответ был 0"
    print(f"✘ Неверно на {len(wrong)} из 4 входов. Например, x = {format_vector(x)}: "
          f"w1·x1 + w2·x2 + b = {format_number(z)}, а нужно {need}.")
    if b < 0:
        print("Подсказка: на входе (0, 0) сумма равна b, а NAND(0, 0) = 1 — значит, b должно быть ≥ 0.")
    elif w[0] + w[1] + b >= 0:
        print("Подсказка: на (1, 1) ответ должен быть 0 — веса должны быть отрицательными и вместе "
              "перевешивать b.")
    else:
        print("Подсказка: ни один вес в одиночку не должен перевешивать b — на (0, 1) и (1, 0) нужен ответ 1, "
              "то есть w1 + b ≥ 0 и w2 + b ≥ 0.")


def check_exercise_2(rule: Callable) -> None:
    """Exercise 2: a function ``rule(w, b, x, y, lr) -> (w_new, b_new)`` implementing the compact rule."""
    if _missing(rule):
        return
    if not callable(rule):
        raise TypeError(f"rule: ожидалась функция rule(w, b, x, y, lr), получено {type(rule).__name__}")
    if rule(np.zeros(2), 0.0, np.zeros(2), 0, 1.0) is None:
        print("✎ Функция пока ничего не возвращает: допишите её тело вместо `...` и верните (w, b).")
        return
    cases = [  # (w, b, x, y, lr): right answer; too small; too large; a zero input; another η; real inputs
        (np.array([0.5, -0.5]), 0.0, np.array([1.0, 0.0]), 1, 1.0),
        (np.array([-1.0, 0.0]), -0.5, np.array([1.0, 1.0]), 1, 1.0),
        (np.array([0.5, 0.5]), 0.0, np.array([0.0, 1.0]), 0, 1.0),
        (np.array([0.2, 0.3]), 0.1, np.array([0.0, 0.0]), 0, 1.0),
        (np.array([0.0, -1.0]), -0.5, np.array([1.0, 1.0]), 1, 0.25),
        (np.array([0.3, -0.2]), 0.0, np.array([0.5, -2.0]), 0, 0.5),
        (np.array([0.5, -0.5]), 0.0, np.array([1.0, 1.0]), 0, 1.0),       # z = 0 exactly: the answer is 1
    ]
    for w, b, x, y, lr in cases:
        step = update(w, b, x, y, lr)
        got = rule(w.copy(), b, x.copy(), y, lr)
        try:
            if not isinstance(got, (tuple, list)) or len(got) != 2:
                raise TypeError
            w_got, b_got = np.asarray(got[0], dtype=float), float(got[1])
        except (TypeError, ValueError):
            print(f"✘ Функция должна возвращать пару (w_new, b_new), а вернула {got!r}.")
            return
        where = (f"w = {format_vector(w)}, b = {format_number(b)}, x = {format_vector(x)}, y = {y}, "
                 f"η = {format_number(lr)}")
        if w_got.shape != w.shape:
            print(f"✘ При {where} новые веса имеют форму {w_got.shape}, а нужна {w.shape}.")
            return
        if np.allclose(w_got, step.w_new) and np.isclose(b_got, step.b_new):
            continue
        print(f"✘ При {where}: ожидалось w = {format_vector(step.w_new)}, b = {format_number(step.b_new)}; "
              f"получено w = {format_vector(w_got)}, b = {format_number(b_got)}.")
        if step.error == 0:
            print("Подсказка: ответ персептрона здесь верный — веса менять не нужно.")
        elif step.z == 0:
            print("Подсказка: при z = w·x + b = 0 ответ персептрона 1 (условие z ≥ 0, а не z > 0).")
        elif np.allclose(w_got, step.w_new) and not np.isclose(b_got, step.b_new):
            print("Подсказка: смещение тоже учится — его вход всегда 1, так что b += η·(y − ŷ).")
        elif np.allclose(w_got, w - step.dw):
            print("Подсказка: знак перепутан — если ответ 0, а нужно 1, веса должны расти (y − ŷ = +1).")
        elif lr != 1 and np.allclose(w_got, w + step.dw / lr):
            print("Подсказка: не забудьте умножить поправку на скорость обучения η.")
        else:
            print("Подсказка: ŷ = 1, если w·x + b ≥ 0; поправка каждого веса — η·(y − ŷ)·x_i.")
        return
    print(f"✔ Верно: ваше правило совпало с lib.perceptron.update на всех {len(cases)} проверочных примерах.")


_ALL_TABLES = [tuple(t) for t in product((0, 1), repeat=4)]
_NOT_SEPARABLE = {(0, 1, 1, 0), (1, 0, 0, 1)}    # XOR and XNOR on the inputs (0,0), (0,1), (1,0), (1,1)


def check_exercise_3(not_learnable) -> None:
    """Exercise 3: the set of the 16 two-input truth tables (tuples of 4 answers on (0,0), (0,1), (1,0), (1,1))
    that one perceptron cannot learn."""
    if _missing(not_learnable):
        return
    try:
        answer = {tuple(int(v) for v in t) for t in not_learnable}
    except (TypeError, ValueError):
        raise TypeError("not_learnable: ожидалось множество кортежей из четырёх 0/1, например {(0, 1, 1, 0)}, "
                        f"получено {not_learnable!r}") from None
    bad = [t for t in answer if t not in _ALL_TABLES]
    if bad:
        print(f"✘ {bad[0]} — не таблица истинности: нужен кортеж из четырёх нулей и единиц.")
        return
    extra = sorted(answer - _NOT_SEPARABLE)
    missing = sorted(_NOT_SEPARABLE - answer)
    if not extra and not missing:
        print("✔ Верно: из 16 функций двух входов один персептрон не может выучить только две — "
              "XOR (0, 1, 1, 0) и её отрицание XNOR (1, 0, 0, 1). Остальные 14 линейно разделимы.")
        return
    if extra:
        t = extra[0]
        X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
        h = train(X, np.array(t), max_epochs=50)
        print(f"✘ Таблицу {t} персептрон выучивает: например, w = {format_vector(h.w)}, "
              f"b = {format_number(h.b)} (проверьте predict). Уберите её из ответа.")
    else:
        print(f"✘ Не хватает таблицы {missing[0]}: попробуйте обучить на ней персептрон — "
              "сойдётся ли train(...)? Посмотрите на history.cycle.")


def _reference_update(w, b, x, y, lr):
    error = y - (1 if w @ x + b >= 0 else 0)
    return w + lr * error * x, b + lr * error


SOLUTIONS = {   # reference answers: exercise number → what its check takes
    1: (np.array([-1.0, -1.0]), 1.5),
    2: _reference_update,
    3: {(0, 1, 1, 0), (1, 0, 0, 1)},
}
