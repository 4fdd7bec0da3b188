"""Widgets of notebook 1: the perceptron playground and learning one step at a time.

The logic of each is a plain, tested function or class; the widgets only wire controls to it:

``playground_state(w1, w2, b, fn) -> dict``   rows of the truth table (✔/✘), the error count, the line
``Stepper(fn, lr, seed)``                      Rosenblatt's rule one example at a time: ``step()``, ``epoch()``,
                                               ``reset()``, ``set_lr()`` each return ``state() -> dict``
``plane_svg(...)``, ``table_html(...)``       the pictures, as SVG/HTML strings (fast to redraw in place)
``playground()``, ``stepper()``               the ipywidgets
"""

from __future__ import annotations

from html import escape

import ipywidgets as W
import numpy as np

from lib import perceptron as P
from lib.checks import check_choice, check_positive
from lib.data import LOGIC_FUNCTIONS, logic_table
from lib.diagrams.plane import BOX, boundary_segment, half_plane_polygon, plane_scene, plane_weights
from lib.diagrams.svg import render_svg
from lib.fmt import plural
from lib.plots import PALETTE
from lib.widgets import button, column, dropdown, panel, row, slider

__all__ = ["BOX", "playground_state", "Stepper", "plane_svg", "table_html", "playground", "stepper"]


# --- the playground -------------------------------------------------------------------------------------


def playground_state(w1: float, w2: float, b: float, fn: str) -> dict:
    """Everything the playground shows for the weights ``w1, w2``, the bias ``b`` and a logic function.

    Returns a dict: ``fn``; ``n_inputs`` (1 for NOT: then ``w2`` is ignored); ``w: (n_inputs,)``; ``b``;
    ``rows``: one dict per input row with ``x`` (tuple), ``z`` (the sum), ``y_hat``, ``y``, ``ok``;
    ``errors``; ``segment``: the decision line inside the picture (or ``None``); ``region``: the polygon
    where the answer is 1.
    """
    check_choice("fn", fn, LOGIC_FUNCTIONS)
    X, y = logic_table(fn)
    w = np.array([w1, w2], dtype=float)[: X.shape[1]]
    z = P.weighted_sum(w, b, X)  # also rejects NaN in w or b
    b = float(b)
    y_hat = P.predict(w, b, X)
    rows = [
        dict(x=tuple(int(v) for v in x), z=float(zi), y_hat=int(h), y=int(t), ok=bool(h == t))
        for x, zi, h, t in zip(X, z, y_hat, y)
    ]
    pw = plane_weights(w)
    return dict(
        fn=fn,
        n_inputs=X.shape[1],
        w=w,
        b=b,
        rows=rows,
        errors=sum(not r["ok"] for r in rows),
        segment=boundary_segment(pw, b, BOX),
        region=half_plane_polygon(pw, b, BOX),
    )


def table_html(state: dict) -> str:
    """The truth table of ``playground_state``: inputs, the sum, the answer, the correct answer, ✔/✘."""
    n = state["n_inputs"]
    head = "".join(f"<th>x{i + 1}</th>" for i in range(n))
    head += "<th>z = w·x + b</th><th>ответ ŷ</th><th>нужно y</th><th></th>"
    body = []
    for r in state["rows"]:
        cells = "".join(f"<td>{v}</td>" for v in r["x"])
        mark = (
            "<td style='color:#009E73'>✔</td>"
            if r["ok"]
            else f"<td style='color:{PALETTE['vermillion']};font-weight:bold'>✘</td>"
        )
        bg = "" if r["ok"] else " style='background:#fde8dc'"
        z = P.format_number(r["z"])
        body.append(f"<tr{bg}>{cells}<td>{z}</td><td>{r['y_hat']}</td><td>{r['y']}</td>{mark}</tr>")
    total = len(state["rows"])
    if state["errors"]:
        verdict = f"<b style='color:{PALETTE['vermillion']}'>Ошибок: {state['errors']} из {total}</b>"
    else:
        verdict = f"<b style='color:{PALETTE['green']}'>Ошибок нет: персептрон вычисляет {state['fn']} ✔</b>"
    style = (
        "<style>.pt-table td,.pt-table th{padding:0.15em 0.55em;text-align:center}"
        ".pt-table{border-collapse:collapse}.pt-table tr{border-bottom:1px solid #ddd}</style>"
    )
    return (
        f"{style}<table class='pt-table'><tr>{head}</tr>{''.join(body)}</table>"
        f"<div style='margin-top:0.3em'>{verdict}</div>"
    )


# --- learning one step at a time ------------------------------------------------------------------------


class Stepper:
    """The widget «шаг / эпоха / сначала» over :class:`lib.perceptron.Rosenblatt` (which does all the
    counting: epochs, convergence, cycles); this class only remembers what to show.

    The examples are the rows of ``logic_table(fn)`` in order; the weights start at
    ``perceptron.initial_weights(D, seed)``. Every method returns :meth:`state`.
    """

    def __init__(self, fn: str = "AND", lr: float = 0.5, seed: int = 0):
        check_choice("fn", fn, LOGIC_FUNCTIONS)
        check_positive("lr", lr)
        self.fn, self.lr, self.seed = fn, float(lr), seed
        self.reset()

    def reset(self) -> dict:
        """Back to the starting weights, before the first example."""
        X, y = logic_table(self.fn)
        self.run = P.Rosenblatt(X, y, *P.initial_weights(X.shape[1], self.seed), lr=self.lr)
        self.last: P.Step | None = None
        return self.state()

    def set_function(self, fn: str) -> dict:
        check_choice("fn", fn, LOGIC_FUNCTIONS)
        self.fn = fn
        return self.reset()

    def set_lr(self, lr: float) -> dict:
        """A new learning rate η; it acts from the next step on."""
        self.run.set_lr(lr)
        self.lr = float(lr)
        return self.state()

    def step(self) -> dict:
        """Show the next example to the perceptron and apply the rule (nothing happens once it has converged)."""
        self.last = self.run.step() or self.last
        return self.state()

    def epoch(self) -> dict:
        """Steps until the end of the current epoch (all the examples if it has just begun)."""
        steps = self.run.run_epoch()
        self.last = steps[-1] if steps else self.last
        return self.state()

    def state(self) -> dict:
        """What the widget shows: ``fn, lr, w, b, epoch, position, n, converged, cycle``; ``mistakes`` so far
        in the epoch in progress and ``finished``: ``(epoch, mistakes)`` of the epoch that has just ended (or
        ``None``); ``last`` (the last :class:`~lib.perceptron.Step` or ``None``), ``text`` (it, in words),
        ``y_hat`` for every row, the ``segment``/``region`` of the current line and ``prev_segment`` of the
        line before the last step (when it moved the line), whose weights are ``dashed``."""
        run, h = self.run, self.run.history
        pw = plane_weights(run.w)
        dashed = (self.last.w, self.last.b) if self.last is not None and self.last.error else None
        prev = None if dashed is None else boundary_segment(plane_weights(dashed[0]), dashed[1], BOX)
        text = "Начальные веса выбраны случайно. Нажмите «шаг»." if self.last is None else self.last.explain()
        if h.converged:
            text += f" Эпоха {h.epochs} прошла без ошибок — обучение закончено."
        elif h.cycle is not None:
            text += (
                f" Веса в начале эпохи {h.cycle.start + h.cycle.period + 1} те же, что в начале эпохи "
                f"{h.cycle.start + 1}: дальше всё повторяется, ошибки не исчезнут никогда."
            )
        finished = (h.epochs, h.mistakes_per_epoch[-1]) if run.position == 0 and h.epochs else None
        return dict(
            fn=self.fn,
            lr=run.lr,
            w=run.w.copy(),
            b=run.b,
            epoch=run.epoch,
            position=run.position,
            n=len(run.X),
            mistakes=run.mistakes,
            finished=finished,
            converged=h.converged,
            cycle=h.cycle,
            last=self.last,
            text=text,
            y_hat=P.predict(run.w, run.b, run.X),
            segment=boundary_segment(pw, run.b, BOX),
            region=half_plane_polygon(pw, run.b, BOX),
            prev_segment=prev,
            dashed=dashed,
        )


# --- drawing --------------------------------------------------------------------------------------------

PICTURE = "17em"  # the plane's width: with its legend under it an explorer stays within one projector screen
TEXT_SCALE = 1.3  # the plane's axis labels, enlarged: the picture is shown smaller than the lesson's figures


def plane_svg(X, y, w, b, *, dashed=None, highlight=None) -> str:
    """The plane of inputs as SVG: the scene ``lib.diagrams.plane.plane_scene`` (the same the lesson's figures
    draw with matplotlib), sized in em so that it scales with the zoom and Presentation Mode."""
    scene = plane_scene(X, y, w, b, dashed=dashed, highlight=highlight, text_scale=TEXT_SCALE)
    svg = render_svg(scene)
    return svg.replace('style="max-width:100%;height:auto"', f'style="width:min(100%, {PICTURE});height:auto"', 1)


_LEGEND = (
    f"<div style='font-size:0.85em;line-height:1.3;color:#444;max-width:{PICTURE}'>■ нужен ответ 1, ● нужен 0; "
    "голубая область — персептрон отвечает 1; красное кольцо — ошибка.</div>"
)


# --- the widgets ----------------------------------------------------------------------------------------
# A row: the picture on the left, the controls and readouts beside it (under it on a narrow screen, as the row
# wraps). Every size is in em: the widget grows with Presentation Mode like the prose around it.


def _picture() -> W.HTML:
    return W.HTML(layout=W.Layout(width=PICTURE, max_width="100%", flex="0 0 auto", margin="0 1em 0 0"))


def _side(children) -> W.VBox:
    return column(children, flex="1 1 20em", min_width="0")


def playground(fn: str = "AND", w1: float = 1.0, w2: float = 1.0, b: float = -0.5) -> W.Widget:
    """Sliders ``w1, w2, b`` and a choice of function; shows the line over the inputs, the truth table with
    ✔/✘ for each row and the number of errors. For NOT (one input) the slider ``w2`` is switched off."""
    check_choice("fn", fn, LOGIC_FUNCTIONS)
    choice = dropdown("функция", LOGIC_FUNCTIONS, fn, width="15em")
    s1, s2, sb = (slider("вес w1", w1, -3, 3), slider("вес w2", w2, -3, 3), slider("смещение b", b, -3, 3))
    picture, table = _picture(), W.HTML(layout=W.Layout(width="100%"))

    def redraw(*_):
        st = playground_state(s1.value, s2.value, sb.value, choice.value)
        s2.disabled = st["n_inputs"] == 1
        X, y = logic_table(choice.value)
        picture.value = plane_svg(X, y, st["w"], st["b"]) + _LEGEND
        note = "<div style='color:#666'>У NOT один вход: вес w2 не участвует.</div>" if st["n_inputs"] == 1 else ""
        table.value = table_html(st) + note

    for control in (choice, s1, s2, sb):
        control.observe(redraw, names="value")
    redraw()
    return panel([row([picture, _side([choice, s1, s2, sb, table])])])


def _stepper_html(st: dict) -> str:
    w = ", ".join(f"w{i + 1} = {P.format_number(v)}" for i, v in enumerate(st["w"]))
    where = (
        "обучение закончено"
        if st["converged"]
        else f"эпоха {st['epoch']}, следующий пример {st['position'] + 1} из {st['n']}"
    )
    if st["finished"] is not None:  # an epoch has just ended: its count, not the new epoch's zero
        k, m = st["finished"]
        count = f"Эпоха {k} закончилась: {plural(m, 'ошибка', 'ошибки', 'ошибок')} из {st['n']}"
    else:
        count = f"Ошибок в этой эпохе пока: {st['mistakes']}"
    rows = [
        f"<div><b>{where}</b> · η = {P.format_number(st['lr'])}</div>",
        f"<div>Веса: {w}, смещение b = {P.format_number(st['b'])}</div>",
        f"<div>{count}</div>",
        f"<div style='margin-top:0.3em'>{escape(st['text'])}</div>",
    ]
    if st["last"] is not None and st["last"].error:
        rows.append(f"<pre style='font-size:0.9em;margin:0.3em 0 0'>{escape(st['last'].table())}</pre>")
    return "".join(rows)


def stepper(fn: str = "AND", lr: float = 0.5, seed: int = 0) -> W.Widget:
    """Buttons «шаг», «эпоха», «сначала», a learning-rate slider and a choice of function; shows the last
    update in words and the line moving (dashed: where it was before the update)."""
    machine = Stepper(fn, lr, seed)
    choice = dropdown("функция", LOGIC_FUNCTIONS, fn, width="15em")
    rate = slider("скорость η", lr, 0.1, 2.0)
    buttons = [button(d, width="6em") for d in ("шаг", "эпоха", "сначала")]
    picture, status = _picture(), W.HTML(layout=W.Layout(width="100%"))

    def show(st):
        X, y = logic_table(st["fn"])
        shown = None if st["last"] is None else (st["position"] - 1) % st["n"]
        picture.value = plane_svg(X, y, st["w"], st["b"], dashed=st["dashed"], highlight=shown) + _LEGEND
        status.value = _stepper_html(st)

    buttons[0].on_click(lambda _: show(machine.step()))
    buttons[1].on_click(lambda _: show(machine.epoch()))
    buttons[2].on_click(lambda _: show(machine.reset()))
    rate.observe(lambda ch: show(machine.set_lr(ch["new"])), names="value")
    choice.observe(lambda ch: show(machine.set_function(ch["new"])), names="value")
    show(machine.state())
    return panel([row([picture, _side([choice, rate, row(buttons), status])])])
