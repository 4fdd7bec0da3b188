"""Checks of notebook 3 «Скрытые слои»: XOR by hand, the forward and backward pass of the 2-layer net, the
central difference, a small network on digits, and the «predict before you run» questions.

The truth comes from ``lib.mlp`` (``forward``, ``backward``, ``loss``); the hints name the typical mistake
(transposed weights, a forgotten bias or activation, σ' taken of the sum instead of the output, a sign,
a sum over the batch instead of the mean) without giving the answer.
"""

from __future__ import annotations

import functools

import numpy as np

from lib import mlp
from lib.exercises._common import _Crashed, call, close, correct, exercise, same_array, wrong
from lib.fmt import num, plural
from lib.mlp import MLPParams

_close = functools.partial(close, atol=1e-10)  # gradients of a few thousandths: a tight floor

__all__ = [
    "backward_pass",
    "central_difference",
    "features_guess",
    "forward_pass",
    "layers_guess",
    "restarts_guess",
    "small_tanh_net",
    "wider_guess",
    "xor_and_nor",
    "zero_grads_guess",
]

_X4 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
_AND, _NOR, _XOR = (0, 0, 0, 1), (1, 0, 0, 0), (0, 1, 1, 0)


def _cases():
    """Networks to check on: (p, x: (B, D), y: (B,)); the first one square (D = H), so that a transposed W1
    does not crash but gives other numbers."""
    rng = np.random.default_rng(11)
    out = []
    for D, H, B in ((3, 3, 5), (2, 4, 6), (4, 3, 1)):
        p = mlp.init_mlp(D, H, 1, seed=D * 10 + H, scale=2.0)._replace(b1=rng.normal(size=H), b2=rng.normal(size=1))
        out.append((p, rng.normal(size=(B, D)), rng.integers(0, 2, size=B)))
    return out


# --- exercise: XOR from AND and NOR, threshold units -------------------------------------------------------


@exercise
def xor_and_nor(p) -> object:
    """``p``: MLPParams of a 2 → 2 → 1 threshold network whose hidden units are AND and NOR, output NOR."""
    if not isinstance(p, MLPParams):
        return wrong(f"нужны MLPParams(W1=…, b1=…, W2=…, b2=…), а получено {type(p).__name__}")
    shapes = [np.shape(a) for a in p]
    if shapes != [(2, 2), (2,), (1, 2), (1,)]:
        return wrong(
            f"нужна сеть 2 → 2 → 1: W1 (2, 2), b1 (2,), W2 (1, 2), b2 (1,); получены "
            f"{', '.join(str(s) for s in shapes)}"
        )
    tables = [tuple(int(v) for v in t) for t in mlp.truth_tables(p, activation="step")]
    out = tuple(int(v) for v in mlp.predict(p, _X4, activation="step"))
    for j, t in enumerate(tables):
        if t not in (_AND, _NOR):
            return wrong(
                f"скрытый нейрон {j + 1} на входах (0, 0), (0, 1), (1, 0), (1, 1) отвечает {t}, это "
                f"{mlp.logic_name(t)}. Нейрон срабатывает, когда w·x + b ≥ 0: для AND сумма должна "
                "дойти до нуля только при обоих входах, для NOR — только без них"
            )
    if tables[0] == tables[1]:
        return wrong(f"оба скрытых нейрона вычисляют {mlp.logic_name(tables[0])}: нужен один AND и один NOR")
    if out != _XOR:
        return wrong(
            f"скрытые нейроны верны, но выход на четырёх входах {out}, а XOR — {_XOR}. XOR = 1, когда "
            "молчат оба скрытых нейрона: выходной нейрон — NOR от них"
        )
    return correct("скрытые нейроны — AND и NOR, выходной — NOR от них; вместе это XOR")


# --- exercise: the forward pass ----------------------------------------------------------------------------


@exercise
def forward_pass(fn) -> object:
    """``fn(p, x) -> (z1, h, z2, out)`` for a batch ``x: (B, D)``, sigmoid hidden and output units."""
    for p, x, _ in _cases():
        got = call(fn, p, x.copy())
        if not (isinstance(got, (tuple, list)) and len(got) == 4):
            return wrong("верните четыре массива: z1, h, z2, out (через запятую после return)")
        z1, h, z2, out = (np.asarray(g, dtype=np.float64) if g is not None else g for g in got)
        want = mlp.forward(p, x)
        if z1 is None or not _close(z1, want.z1):
            if p.W1.shape[0] == p.W1.shape[1] and _close(z1, x @ p.W1 + p.b1):
                return wrong(
                    "z1 посчитан с транспонированной матрицей: у W1 форма (H, D), по строке на "
                    "скрытый нейрон, а x — (B, D); подумайте, как их перемножить"
                )
            if _close(z1, x @ p.W1.T):
                return wrong("в z1 забыто смещение b1")
            return wrong(same_array("z1", z1, want.z1) or "z1 не совпал")
        if not _close(h, want.h):
            if _close(h, want.z1):
                return wrong("h совпал с z1: забыта функция активации, h = σ(z1)")
            return wrong(same_array("h", h, want.h) or "h не совпал")
        if not _close(z2, want.z2):
            if _close(z2, want.h @ p.W2.T):
                return wrong("в z2 забыто смещение b2")
            if _close(z2, want.z1 @ p.W2.T + p.b2):
                return wrong("z2 посчитан от z1, а вход выходного нейрона — выходы скрытых, h")
            return wrong(same_array("z2", z2, want.z2) or "z2 не совпал")
        if not _close(out, want.out):
            if _close(out, want.z2):
                return wrong("out совпал с z2: забыта сигмоида выходного нейрона")
            return wrong(same_array("out", out, want.out) or "out не совпал")
    return correct("прямой проход совпал с lib.mlp.forward на трёх сетях разных размеров")


# --- exercise: the backward pass ---------------------------------------------------------------------------


def _variants(p, x, y, tr):
    """Typical wrong backward passes, each as (gradient, hint)."""
    B = len(x)
    dz2 = (tr.out - y[:, None]) / B
    dz1_plain = dz2 @ p.W2
    z1 = tr.z1
    out = []
    for dz1, hint in (
        (dz1_plain, "dW2 и db2 верны, а в скрытом слое забыта производная сигмоиды"),
        (
            dz1_plain * z1 * (1 - z1),
            "в производную сигмоиды подставлена сумма z1; σ'(z1) записывается через выход: h·(1 − h)",
        ),
    ):
        out.append((MLPParams(dz1.T @ x, dz1.sum(axis=0), dz2.T @ tr.h, dz2.sum(axis=0)), hint))
    return out


@exercise
def backward_pass(fn) -> object:
    """``fn(p, x, y, h, out) -> MLPParams(dW1, db1, dW2, db2)``: the gradient of the mean cross-entropy
    over the batch ``x: (B, D)``, ``y: (B,)`` of 0/1, with ``h: (B, H)`` and ``out: (B, 1)`` of the forward pass."""
    for p, x, y in _cases():
        tr = mlp.forward(p, x)
        want = mlp.backward(p, tr, y)
        try:
            got = call(fn, p, x.copy(), y.copy(), tr.h.copy(), tr.out.copy())
        except _Crashed as crash:
            if "matmul" in str(crash) or "broadcast" in str(crash):
                return wrong(
                    f"ваш код остановился с ошибкой {type(crash.exc).__name__}: {crash}. Частая причина: "
                    f"out имеет форму (B, 1), а y — (B,), и out − y NumPy растягивает в матрицу (B, B)"
                )
            raise
        if not (isinstance(got, (tuple, list)) and len(got) == 4):
            return wrong("верните четыре градиента: MLPParams(W1=dW1, b1=db1, W2=dW2, b2=db2)")
        names = ("dW1", "db1", "dW2", "db2")
        if got[1] is None or got[3] is None or (np.ndim(got[1]) and not np.any(got[1])) or not np.any(got[3]):
            return wrong("забыт градиент по смещению: смещения тоже учатся, db — это δ, сложенные по пакету")
        try:
            g = [np.asarray(a, dtype=np.float64) for a in got]
        except (TypeError, ValueError):
            return wrong("каждый градиент должен быть массивом чисел")
        B, H = tr.h.shape
        if B > 1 and (g[2].shape == (B, H) or g[3].shape == (B,)):
            return wrong(
                "out имеет форму (B, 1), а y — (B,): при вычитании NumPy растянул их в матрицу (B, B); "
                "приведите y к форме (B, 1)"
            )
        for name, a, w in zip(names, g, want):
            if a.shape != w.shape:
                if a.ndim == 2 and a.shape == w.shape[::-1]:
                    return wrong(f"{name} транспонирован: градиент имеет форму самого веса, {w.shape}")
                if a.ndim == w.ndim + 1:
                    return wrong(f"{name} формы {a.shape}: градиент смещения — это δ, сложенные по пакету")
                return wrong(same_array(name, a, w))
        if all(_close(a, w) for a, w in zip(g, want)):
            continue
        if all(_close(-a, w) for a, w in zip(g, want)):
            return wrong("перепутан знак: на выходе δ₂ = out − y, а шаг спуска уже сам идёт против градиента")
        if B > 1 and all(_close(a, B * w) for a, w in zip(g, want)):
            return wrong(
                f"градиент в {B} раз больше: потеря — среднее по пакету, а вы сложили примеры; "
                "разделите δ₂ на размер пакета"
            )
        for variant, hint in _variants(p, x, y, tr):
            if all(_close(a, v) for a, v in zip(g, variant)):
                return wrong(hint)
        if _close(g[0].T, want.W1) and g[0].shape[0] == g[0].shape[1]:
            return wrong("dW1 транспонирован: строка i — градиент входных весов скрытого нейрона i")
        bad = [n for n, a, w in zip(names, g, want) if not _close(a, w)]
        if set(bad) <= {"dW1", "db1"}:
            return wrong(
                f"не совпали {', '.join(bad)}; выход верен. Ошибка приходит в скрытый слой по весам "
                "выходного нейрона W2, потом через производную сигмоиды"
            )
        return wrong(f"не совпали {', '.join(bad)}; начните с выхода: δ₂ = (out − y) / B")
    return correct("обратный проход совпал с lib.mlp.backward на трёх сетях разных размеров")


# --- exercise: the central difference ----------------------------------------------------------------------


@exercise
def central_difference(fn) -> object:
    """``fn(p, x, y, i, j, eps) -> float``: ``(L(W1[i, j] + ε) − L(W1[i, j] − ε)) / 2ε`` with ``mlp.loss``."""
    eps = 1e-3
    for p, x, y in _cases()[:2]:
        i, j = p.W1.shape[0] - 1, 0
        before = [a.copy() for a in p]

        def loss_at(shift, i=i, j=j, p=p, x=x, y=y):
            W1 = p.W1.copy()
            W1[i, j] += shift
            return mlp.loss(p._replace(W1=W1), x, y)

        got = call(fn, p, x.copy(), y.copy(), i, j, eps)
        if not all(np.array_equal(a, b) for a, b in zip(p, before)):
            return wrong(
                "функция изменила веса p на месте: сдвигайте копию, p.W1.copy(), иначе следующие "
                "вычисления пойдут с испорченными весами"
            )
        try:
            got = float(np.asarray(got, dtype=np.float64).ravel()[0]) if np.size(got) == 1 else None
        except (TypeError, ValueError):
            got = None
        if got is None:
            return wrong("верните одно число: оценку ∂L/∂W1[i, j]")
        plus, minus, zero = loss_at(eps), loss_at(-eps), loss_at(0.0)
        want = (plus - minus) / (2 * eps)
        if np.isclose(got, want, rtol=1e-7, atol=1e-12):
            continue
        if np.isclose(got, -want, rtol=1e-7):
            return wrong("перепутан знак: в числителе L(w + ε) − L(w − ε)")
        if np.isclose(got, (plus - zero) / eps, rtol=1e-7) or np.isclose(got, (zero - minus) / eps, rtol=1e-7):
            return wrong("это односторонняя разность; центральная сдвигает вес в обе стороны, она точнее")
        if np.isclose(got, 2 * want, rtol=1e-7):
            return wrong("результат вдвое больше: сдвиги на +ε и −ε разнесены на 2ε, делить нужно на 2ε")
        if np.isclose(got, want * 2 * eps, rtol=1e-7) or np.isclose(got, want * eps, rtol=1e-7):
            return wrong("забыли разделить разность потерь на 2ε")
        W1t = p.W1.copy()
        W1t[j, i] += eps
        W1m = p.W1.copy()
        W1m[j, i] -= eps
        swapped = (mlp.loss(p._replace(W1=W1t), x, y) - mlp.loss(p._replace(W1=W1m), x, y)) / (2 * eps)
        if np.isclose(got, swapped, rtol=1e-7):
            return wrong("сдвинут вес W1[j, i] вместо W1[i, j]: первый индекс — скрытый нейрон, второй — вход")
        shown = f"{got:.6g}".replace(".", ",")  # the decimal comma of the course
        return wrong(
            f"оценка {shown} не совпала с центральной разностью; сдвиньте один вес W1[i, j] на +ε и "
            "на −ε и сравните потери mlp.loss(…) до и после"
        )
    return correct("сдвиг одного веса в обе стороны и деление на 2ε — это центральная разность")


# --- exercise: a small network on digits -------------------------------------------------------------------


@exercise
def small_tanh_net(p, *, seed: int = 0) -> object:
    """``p``: a trained 64 → 16 → 10 tanh network; ≥ 95 % right on the test part of ``digits_split(seed)``."""
    from lib.digits import (
        digits_split,  # here, so that importing the checks does not load the data
    )

    if not isinstance(p, MLPParams):
        return wrong(f"нужны MLPParams, а получено {type(p).__name__}: передайте первое, что вернула mlp.train")
    if np.shape(p.W1) != (16, 64) or np.shape(p.W2) != (10, 16):
        return wrong(
            f"нужна сеть 64 → 16 → 10: W1 формы (16, 64), W2 формы (10, 16); получены "
            f"{np.shape(p.W1)} и {np.shape(p.W2)}"
        )
    _, X_test, _, y_test = digits_split(seed=seed)
    acc = mlp.accuracy(p, X_test, y_test, activation="tanh")
    if acc >= 0.95:
        return correct(f"точность на тесте {num(100 * acc, 1)} % (нужно не меньше 95 %)")
    if mlp.accuracy(p, X_test, y_test) >= 0.95:
        return wrong('с сигмоидой сеть точна, а с tanh — нет: обучайте с activation="tanh"')
    return wrong(
        f"точность на тесте {num(100 * acc, 1)} %, нужно не меньше 95 %: обучайте на X_train с "
        'activation="tanh"; попробуйте больше шагов или другую скорость обучения'
    )


# --- «predict before you run» ----------------------------------------------------------------------------


def _count(guess, name: str, lo: int, hi: int) -> int:
    if isinstance(guess, bool) or not isinstance(guess, (int, np.integer)) or not lo <= guess <= hi:
        raise _Bad(f"{name}: впишите целое число от {lo} до {hi}, получено {guess!r}")
    return int(guess)


class _Bad(Exception):
    pass


def _guess_check(fn):
    """Wraps a prediction check: a badly typed guess gives «Не совсем» with what to type."""

    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except _Bad as exc:
            return wrong(str(exc))

    run.__name__, run.__doc__ = fn.__name__, fn.__doc__
    return exercise(run)


@_guess_check
def zero_grads_guess(guess, p, x, y) -> object:
    """How many of the entries of ∂L/∂W1 are exactly 0 for the one example ``x`` (notebook's hand example)."""
    n = _count(guess, "zero_guess", 0, np.size(p.W1))
    _, g = mlp.loss_and_grads(p, np.asarray(x, dtype=float)[None, :], np.array([y]))
    actual = int(np.sum(g.W1 == 0))
    if n == actual:
        return correct(
            f"ровно нулями оказались {actual} из {np.size(p.W1)}: вес от входа, равного нулю, на потерю не влияет"
        )
    return wrong("посмотрите на формулу ∂L/∂W₁ = δ₁ xᵀ: что даёт вход, равный нулю?")


def _near(n: int, actual: int, said: str) -> object:
    """Right within one: «Верно: <said>» (``said`` states the actual number); otherwise which way it is off."""
    if abs(n - actual) <= 1:
        return correct(said + ("" if n == actual else f" (вы сказали {n} — почти)"))
    return wrong(f"на самом деле {'больше' if actual > n else 'меньше'}; следующая ячейка покажет почему")


@_guess_check
def restarts_guess(guess, *, n_starts: int, steps: int, lr: float) -> object:
    """How many of the starts 0 … n_starts − 1 of a 2 → 2 → 1 network learn XOR (``mlp.xor_restarts``)."""
    n = _count(guess, "restarts_guess", 0, n_starts)
    runs = mlp.xor_restarts(2, tuple(range(n_starts)), steps=steps, lr=lr)
    actual = sum(r.n_correct == 4 for r in runs)
    return _near(n, actual, f"из {n_starts} начал XOR выучили {actual}")


@_guess_check
def wider_guess(guess, *, n_starts: int, steps: int, lr: float, hidden_size: int = 4) -> object:
    """The same with ``hidden_size`` hidden units."""
    n = _count(guess, "wider_guess", 0, n_starts)
    runs = mlp.xor_restarts(hidden_size, tuple(range(n_starts)), steps=steps, lr=lr)
    actual = sum(r.n_correct == 4 for r in runs)
    units = plural(hidden_size, "скрытым нейроном", "скрытыми нейронами", "скрытыми нейронами")
    return _near(n, actual, f"с {units} XOR выучили {actual} из {n_starts}")


@_guess_check
def layers_guess(guess, acc_mlp, acc_layer) -> object:
    """On how many of the splits the network with a hidden layer is more accurate than the softmax layer."""
    acc_mlp, acc_layer = np.asarray(acc_mlp, dtype=float), np.asarray(acc_layer, dtype=float)
    n = _count(guess, "layers_guess", 0, len(acc_mlp))
    actual = int(np.sum(acc_mlp > acc_layer))
    return _near(n, actual, f"сеть со скрытым слоем точнее одного слоя в {actual} из {len(acc_mlp)} разбиений")


@_guess_check
def features_guess(guess, acc_features, acc_pixels) -> object:
    """«выше» or «ниже»: the softmax layer's test accuracy on the 16 hand-made features against 64 pixels."""
    answer = str(guess).strip().lower().strip(".!«»\"'")
    if answer not in ("выше", "ниже"):
        raise _Bad(f'features_guess: впишите "выше" или "ниже", получено {guess!r}')
    actual = "выше" if acc_features > acc_pixels else "ниже"
    if answer == actual:
        return correct(f"на ручных признаках точность {actual}, чем на пикселях")
    return wrong(
        "не угадали; подумайте, что теряется, когда от картинки остаются только суммы по строкам и "
        "столбцам, и посмотрите следующую ячейку"
    )
