"""The right-hand panel of the LSTM pictures: the four steps' titles, equations and words (lstm1 … lstm4), the
colour scales of the live explorer, or the legend of the visual language (lstm.png)."""

from __future__ import annotations

from lib.diagrams.parts import colorbar, layer_box, op_circle
from lib.diagrams.scene import STATE_COLOR, Line, Text, arrow, rounded
from lib.plots import GATE_CMAP, PALETTE, STATE_CMAP

__all__ = ["lstm_panel"]

_LSTM_STEPS = {
    "forget": dict(
        step="Шаг 1 из 4",
        title="Фильтр забывания",
        eqs=[r"$f_t = \sigma\left(W_f\cdot[h_{t-1},\,x_t] + b_f\right)$"],
        text="σ-слой смотрит на $h_{t-1}$ и $x_t$ и для\nкаждого числа в $C_{t-1}$ выдаёт число\n"
        "от 0 («забыть») до 1 («сохранить»).",
        example="Встретилось новое существительное —\nрод старого можно забыть.",
    ),
    "input": dict(
        step="Шаг 2 из 4",
        title="Входной фильтр и кандидат",
        eqs=[
            r"$i_t = \sigma\left(W_i\cdot[h_{t-1},\,x_t] + b_i\right)$",
            r"$\tilde{C}_t = \tanh\left(W_C\cdot[h_{t-1},\,x_t] + b_C\right)$",
        ],
        text="σ-слой $i_t$ решает, какие числа\nсостояния обновить; tanh-слой\n"
        r"предлагает новые значения $\tilde{C}_t$.",
        example="Готовим к записи род нового\nсуществительного.",
    ),
    "update": dict(
        step="Шаг 3 из 4",
        title="Обновление состояния",
        eqs=[r"$C_t = f_t \ast C_{t-1} + i_t \ast \tilde{C}_t$"],
        text="Старое состояние умножаем на $f_t$\n(забываем), затем прибавляем\n"
        r"кандидатов, отобранных $i_t$.",
        example="Род старого существительного\nстёрт, род нового записан.",
    ),
    "output": dict(
        step="Шаг 4 из 4",
        title="Выходной фильтр",
        eqs=[r"$o_t = \sigma\left(W_o\cdot[h_{t-1},\,x_t] + b_o\right)$", r"$h_t = o_t \ast \tanh(C_t)$"],
        text="σ-слой $o_t$ выбирает, какую часть\nсостояния выдать наружу; tanh\nсжимает $C_t$ в интервал (−1, 1).",
        example="Выдаём, в каком числе стоит\nсуществительное: от этого\nзависит форма глагола.",
    ),
}


def lstm_panel(vals: dict | None, highlight: str | None, x0: float) -> list:
    """The right-hand panel from ``x0`` on: a step's equations, the colour scales of live values, or the legend."""
    items: list = []
    if highlight is not None:
        step = _LSTM_STEPS[highlight]
        items.append(Text(x0, 62, step["step"], size=20, ha="left", color="#5b6b7b"))
        items.append(Text(x0, 100, step["title"], size=26, weight="bold", ha="left"))
        y = 175
        for eq in step["eqs"]:
            items.append(Text(x0, y, eq, size=27, ha="left"))
            y += 62
        if vals:
            v = {k: vals[k][1] for k in vals}
            p = {k: f"({t})" if t.startswith("−") else t for k, t in v.items()}  # negatives in brackets
            numbers = {
                "forget": [rf"$f_t$ = {v['f_t']}"],
                "input": [rf"$i_t$ = {v['i_t']},   $\tilde{{C}}_t$ = {v['C_tilde']}"],
                "update": [rf"$C_t$ = {p['f_t']} ∗ {p['C_prev']} + {p['i_t']} ∗ {p['C_tilde']}", rf"     = {v['C_t']}"],
                "output": [rf"$o_t$ = {v['o_t']}", rf"$h_t$ = {p['o_t']} ∗ tanh({v['C_t']}) = {v['h_t']}"],
            }[highlight]
            for line in numbers:
                items.append(Text(x0, y, line, size=23, ha="left", color=PALETTE["blue"]))
                y += 44
            y += 14
        items.append(Text(x0, y + 6, step["text"], size=21, ha="left", va="top", color="#333333"))
        y += 6 + 1.15 * 21 * (step["text"].count("\n") + 1) + 28
        items.append(
            Text(x0, y, "Пример (языковая модель):", size=19, ha="left", va="top", color="#5b6b7b", weight="bold")
        )
        items.append(Text(x0, y + 30, step["example"], size=19, ha="left", va="top", color="#5b6b7b"))
        return items
    if vals:
        items += [Text(x0, 92, "Цвет — значение", size=25, weight="bold", ha="left")]
        items += colorbar(x0, 170, 400, 34, GATE_CMAP, 0.0, 1.0, "фильтры σ: от 0 до 1")
        items += colorbar(x0, 300, 400, 34, STATE_CMAP, -1.0, 1.0, "tanh и состояние C: от −1 до 1")
        items.append(
            Text(x0, 400, "Толщина линии состояния\nпоказывает |C|.", size=20, ha="left", va="top", color="#333333")
        )
        return items
    # legend of the visual language
    items.append(Text(x0, 92, "Обозначения", size=27, weight="bold", ha="left"))
    ix, tx, y, step = x0 + 45, x0 + 115, 168.0, 74.0
    rows = [
        (layer_box(ix, y, "σ", ()), "обучаемый слой"),
        (op_circle(ix, y + step, "×", ()), "поточечная операция"),
        (arrow([(ix - 45, y + 2 * step), (ix + 45, y + 2 * step)], lw=4), "вектор"),
        (
            [
                *arrow(
                    [
                        (ix - 45, y + 3 * step - 22),
                        (ix - 12, y + 3 * step - 22),
                        (ix - 12, y + 3 * step),
                        (ix + 45, y + 3 * step),
                    ],
                    lw=4,
                    corner=11,
                ),
                Line(
                    rounded(
                        [
                            (ix - 45, y + 3 * step + 22),
                            (ix - 12, y + 3 * step + 22),
                            (ix - 12, y + 3 * step),
                            (ix + 10, y + 3 * step),
                        ],
                        11,
                    ),
                    lw=4,
                ),
            ],
            "объединение векторов",
        ),
        (
            [
                Line(((ix - 45, y + 4 * step), (ix - 5, y + 4 * step)), lw=4),
                *arrow([(ix - 5, y + 4 * step), (ix + 45, y + 4 * step)], lw=4),
                *arrow(
                    [(ix - 5, y + 4 * step), (ix - 5, y + 4 * step - 22), (ix + 45, y + 4 * step - 22)], lw=4, corner=10
                ),
            ],
            "копирование",
        ),
        (arrow([(ix - 45, y + 5 * step), (ix + 45, y + 5 * step)], STATE_COLOR, lw=6), "состояние ячейки"),
    ]
    for k, (icon, text) in enumerate(rows):
        items += icon
        items.append(Text(tx, y + k * step, text, size=22, ha="left"))
    return items
