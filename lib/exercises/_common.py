"""What every exercise check shares: the three verdicts, the stub test and a safe call of student code.

A check is a plain function decorated with :func:`exercise`. It calls the student's code through
:func:`call` and returns :func:`correct` or :func:`wrong`; the decorator turns an untouched stub (``...``,
``None``, ``NotImplementedError``) into «Пока не решено» and a crash of the student's code into «Не совсем»
with the error, prints the verdict line and returns the :class:`Verdict` (truthy when solved), so that
nbgrader's hidden tests can say ``assert check(answer, quiet=True)``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

__all__ = [
    "close",
    "first_hint",
    "Verdict",
    "exercise",
    "call",
    "correct",
    "wrong",
    "unsolved",
    "is_stub",
    "same_array",
    "NOT_YET",
]

NOT_YET = "Пока не решено: допишите код вместо `...` и запустите ячейку снова."
_PREFIX = {"correct": "Верно: ", "wrong": "Не совсем: ", "unsolved": ""}


@dataclass(frozen=True)
class Verdict:
    """The outcome of one check: ``status`` is ``"correct"``, ``"wrong"`` or ``"unsolved"``."""

    status: str
    text: str

    @property
    def ok(self) -> bool:
        return self.status == "correct"

    def __bool__(self) -> bool:
        return self.ok

    @property
    def line(self) -> str:
        """The line the student reads, e.g. «Не совсем: смещение тоже учится …»."""
        return _PREFIX[self.status] + self.text

    def _ipython_display_(self) -> None:
        """Already printed by the check: a notebook shows nothing more for the returned value."""


def correct(text: str) -> Verdict:
    """«Верно: <text>»: say what the student's answer got right."""
    return Verdict("correct", text)


def wrong(hint: str) -> Verdict:
    """«Не совсем: <hint>»: a hint that points at the typical mistake, never the answer itself."""
    return Verdict("wrong", hint)


def unsolved(text: str = NOT_YET) -> Verdict:
    """«Пока не решено: …» for an exercise whose stub is untouched."""
    return Verdict("unsolved", text)


class _Unsolved(Exception):
    pass


class _Crashed(Exception):
    def __init__(self, exc: BaseException):
        super().__init__(str(exc))
        self.exc = exc


def is_stub(value) -> bool:
    """True for what an untouched exercise leaves behind: ``...`` or ``None``."""
    return value is Ellipsis or value is None


def call(fn, *args, **kwargs):
    """Run the student's ``fn``: a stub (returns ``None``/``...``, raises ``NotImplementedError``) makes the
    check say «Пока не решено»; any other exception makes it say «Не совсем» with that error."""
    if is_stub(fn):
        raise _Unsolved
    if not callable(fn):
        raise _Crashed(TypeError(f"ожидалась функция, а передано {type(fn).__name__}"))
    try:
        out = fn(*args, **kwargs)
    except NotImplementedError:
        raise _Unsolved from None
    except Exception as exc:  # the student's code, not the check, went wrong: say so in words
        raise _Crashed(exc) from None
    if is_stub(out):
        raise _Unsolved
    return out


def exercise(check):
    """Decorator of a check: handles stubs and crashes, prints the verdict (unless ``quiet=True``)."""

    @functools.wraps(check)
    def run(*args, quiet: bool = False, **kwargs) -> Verdict:
        if any(is_stub(a) for a in (*args, *kwargs.values())):
            verdict = unsolved()
        else:
            try:
                verdict = check(*args, **kwargs)
            except _Unsolved:
                verdict = unsolved()
            except _Crashed as crash:
                exc = crash.exc
                verdict = wrong(f"ваш код остановился с ошибкой {type(exc).__name__}: {exc}")
        if not isinstance(verdict, Verdict):
            raise TypeError(f"{check.__name__}: проверка должна вернуть Verdict, вернула {verdict!r}")
        if not quiet:
            print(verdict.line)
        return verdict

    return run


def same_array(name: str, got, want, *, atol: float = 1e-8) -> str | None:
    """``None`` if ``got`` equals ``want`` (to ``atol``); otherwise a Russian sentence on what differs
    (not an array, wrong shape, NaN, or the largest difference and where it is)."""
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return f"{name}: ожидался массив чисел, получено {type(got).__name__}"
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        return f"{name}: ожидалась форма {want.shape}, получена {got.shape}"
    if not np.all(np.isfinite(got)):
        return f"{name}: в ответе есть NaN или бесконечность"
    diff = np.abs(got - want)
    if diff.max(initial=0.0) <= atol:
        return None
    where = np.unravel_index(int(diff.argmax()), diff.shape) if diff.ndim else ()
    at = f" в позиции {tuple(int(i) for i in where)}" if where else ""
    gap = f"{diff.max():.3g}".replace(".", ",")  # decimal comma, as everywhere the student reads
    return f"{name}: значения расходятся{at} на {gap}"


def close(got, want, *, atol: float = 1e-8, rtol: float = 1e-6) -> bool:
    """True if ``got`` is an array of ``want``'s shape, finite, and equal to it within the tolerances."""
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    want = np.asarray(want, dtype=np.float64)
    return (
        got.shape == want.shape
        and bool(np.all(np.isfinite(got)))
        and bool(np.allclose(got, want, atol=atol, rtol=rtol))
    )


def first_hint(got, candidates, default: str) -> str:
    """The hint of the first typical wrong answer ``got`` matches (``candidates``: pairs of the wrong answer
    and its hint), else ``default``."""
    return next((hint for alt, hint in candidates if close(got, alt)), default)
