"""How the course prints numbers for a Russian reader: decimal commas, numeral agreement, elapsed time.

``num(0.973, 2)`` → ``"0,97"``; ``plural(5, "шаг", "шага", "шагов")`` → ``"5 шагов"``;
``elapsed(1.23)`` → ``"время: 1,2 с"`` (the one wall-clock form; ``tests/nbval_sanitize.cfg`` masks it).
"""

from __future__ import annotations

__all__ = ["num", "plural", "elapsed"]


def num(x: float, digits: int = 2) -> str:
    """``x`` rounded to ``digits`` decimals, with a decimal comma and a true minus sign; never ``-0,00``."""
    text = f"{float(x):.{digits}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "−").replace(".", ",")


def plural(n: int, one: str, few: str, many: str) -> str:
    """``n`` with the noun in the form Russian grammar asks for: 1 шаг, 2 шага, 5 шагов, 21 шаг, 12 шагов."""
    n_abs = abs(int(n))
    if n_abs % 10 == 1 and n_abs % 100 != 11:
        word = one
    elif 2 <= n_abs % 10 <= 4 and not 12 <= n_abs % 100 <= 14:
        word = few
    else:
        word = many
    return f"{n} {word}"


def elapsed(seconds: float) -> str:
    """Wall-clock time as the course prints it: ``"время: 1,2 с"``, or ``"время: 35 мс"`` under a second."""
    if seconds < 1:
        return f"время: {seconds * 1000:.0f} мс"
    return f"время: {num(seconds, 1)} с"
