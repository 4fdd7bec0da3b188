"""Input validation shared by every module: clear Russian errors, never a silent broadcast.

Every message has one form: the argument, what was expected, what came —
``"{name}: ожидалось …, получено …"``, e.g. ``ValueError: x_t: ожидалась форма (B, 3) или (3,), получена (2, 4)``.
A wrong type raises ``TypeError``, a wrong value ``ValueError``.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

from lib.fmt import plural

__all__ = [
    "as_array",
    "check_shape",
    "check_finite",
    "check_binary",
    "check_choice",
    "check_positive",
    "check_trace",
]


def as_array(name: str, value, *, ndim: int | Sequence[int] | None = None, dtype=np.float64) -> np.ndarray:
    """Convert ``value`` to an array of ``dtype``; check its number of axes and that it is finite.

    Raises ``TypeError`` if it is not numeric, ``ValueError`` for a wrong ``ndim`` or NaN/inf.
    """
    try:
        arr = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name}: ожидался числовой массив, получено {type(value).__name__} ({exc})") from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " или ".join(str(n) for n in allowed)
            raise ValueError(f"{name}: ожидалось осей: {want}, получено {arr.ndim} (форма {arr.shape})")
    check_finite(name, arr)
    return arr


def check_shape(name: str, arr: np.ndarray, *shapes: tuple) -> np.ndarray:
    """Check ``arr.shape`` against allowed shapes; ``None`` in a shape matches any length.

    >>> check_shape("x_t", np.zeros((2, 3)), (None, 3), (3,)).shape
    (2, 3)
    """
    for shape in shapes:
        if len(shape) == arr.ndim and all(s is None or s == n for s, n in zip(shape, arr.shape)):
            return arr
    want = " или ".join(_fmt_shape(s) for s in shapes)
    raise ValueError(f"{name}: ожидалась форма {want}, получена {tuple(arr.shape)}")


def _fmt_shape(shape: tuple) -> str:
    inner = ", ".join("B" if s is None else str(s) for s in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def check_finite(name: str, arr: np.ndarray) -> np.ndarray:
    """Raise ``ValueError`` if ``arr`` holds NaN or infinity."""
    arr = np.asarray(arr)
    if arr.dtype.kind in "fc" and not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        found = plural(bad, "значение", "значения", "значений")
        raise ValueError(f"{name}: ожидались конечные числа, получено {found} NaN или бесконечность")
    return arr


def check_binary(name: str, arr) -> np.ndarray:
    """Raise ``ValueError`` unless every value is 0 or 1; returns the values as int."""
    a = as_array(name, arr)
    bad = a[(a != 0) & (a != 1)]
    if bad.size:
        raise ValueError(f"{name}: ожидались только 0 и 1, получено {bad.ravel()[0]:g}")
    return a.astype(int)


def check_choice(name: str, value, choices) -> None:
    """Raise ``ValueError`` unless ``value`` is one of ``choices`` (names them all)."""
    if value not in choices:
        opts = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name}: ожидалось одно из {opts}, получено {value!r}")


def check_positive(name: str, value, *, integer: bool = False, allow_zero: bool = False):
    """Return ``value`` if it is a finite number > 0 (≥ 0 with ``allow_zero``), an integer with ``integer``.

    ``TypeError`` for a non-number (``True`` is not a number here), or a non-integer where an integer is
    needed; ``ValueError`` for zero, a negative number, NaN or infinity.
    """
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        kind = "целое число" if integer else "число"
        raise TypeError(f"{name}: ожидалось {kind}, получено {value!r}")
    if integer and not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: ожидалось целое число, получено {value!r}")
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        cond = "≥ 0" if allow_zero else "> 0"
        raise ValueError(f"{name}: ожидалось число {cond}, получено {value!r}")
    return value


def check_trace(trace, kind: type, forward: str, D: int, H: int) -> None:
    """Raise unless ``trace`` is a ``kind`` (what ``forward`` returns) made with parameters of sizes (D, H):
    inputs ``xs: (T, [B,] D)`` and states ``h: (T, [B,] H)`` over the same steps and batch."""
    if not isinstance(trace, kind):
        raise TypeError(f"trace: ожидался результат {forward} ({kind.__name__}), получено {type(trace).__name__}")
    if trace.h.shape[-1] != H or trace.xs.shape[-1] != D or trace.xs.shape[:-1] != trace.h.shape[:-1]:
        raise ValueError(
            f"trace: не подходит к параметрам (D = {D}, H = {H}): xs {trace.xs.shape}, "
            f"h {trace.h.shape}; передайте результат {forward} с этими же p"
        )
