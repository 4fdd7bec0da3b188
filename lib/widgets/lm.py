"""Widgets of notebook 6: the writer (temperature and a start text), the unit viewer, the attention viewer.

The logic lives in plain functions tested in pytest: the model's work in ``lib.charlm`` / ``lib.attention``
(``generate``, ``activations``, ``sentence_attention``), the pictures here as HTML strings
(``writer_html``, ``activation_html``, ``attention_html``, ``gap_sentence``). The ``*_widget`` builders only
wire ipywidgets controls to them, inside the course's ``panel`` (``lib.widgets``): sizes in ``em`` and ``%``, so
the widgets grow with the page zoom and Presentation Mode, and each explorer fits the 359 px of notebook a
projector shows at 1280×720, zoom 150 %.
"""

from __future__ import annotations

import html
import time

import ipywidgets as W
import numpy as np
from matplotlib import colormaps

from lib import attention, charlm, gender
from lib import widgets as ui
from lib.fmt import num

__all__ = [
    "writer_text",
    "writer_html",
    "activation_html",
    "unit_label",
    "attention_html",
    "gap_sentence",
    "writer_widget",
    "activation_widget",
    "attention_widget",
]

_BOX = "font-family:DejaVu Sans Mono,monospace;font-size:1em;line-height:1.45;max-width:100%;overflow-wrap:anywhere"
_SHORT = {"description_width": "3.5em"}  # the label «зерно»
_CMAP = colormaps["RdBu_r"]
_GATE = colormaps["cividis"]


def writer_text(lm: charlm.CharLM, prime: str, temperature: float, seed: int, n: int = 200) -> str:
    """What the writer shows: the model's ``n`` characters after ``prime`` (``charlm.generate``)."""
    return charlm.generate(lm, prime, n, temperature=temperature, seed=seed)


def writer_html(prime: str, continuation: str) -> str:
    """The start text in bold, the model's continuation after it, line breaks kept."""

    def esc(s):
        return html.escape(s).replace("\n", "<br>")

    return (
        f"<div style='{_BOX}'><b style='background:#f0e442'>{esc(charlm.clean_text(prime))}</b>"
        f"{esc(continuation)}</div>"
    )


def _rgb(color) -> str:
    r, g, b, _ = color
    return f"rgb({int(255 * r)},{int(255 * g)},{int(255 * b)})"


def activation_html(text: str, values) -> str:
    """Each character of ``text`` on a background coloured by ``values: (len(text),)`` in [−1, 1]
    (blue −1, white 0, red +1), as in Karpathy's pictures; a line break stays a line break."""
    values = np.clip(np.asarray(values, dtype=float), -1, 1)
    if len(values) != len(text):
        raise ValueError(f"values: ожидалось {len(text)} чисел (по одному на символ), получено {len(values)}")
    spans = []
    for ch, v in zip(text, values):
        color = _rgb(_CMAP(0.5 + 0.5 * v))
        shown = "↵<br>" if ch == "\n" else "&nbsp;" if ch == " " else html.escape(ch)
        spans.append(f"<span style='background:{color}' title='{num(v, 2)}'>{shown}</span>")
    legend = (
        "<div style='font-size:0.9em;margin-top:0.4em'>цвет: <span style='background:"
        f"{_rgb(_CMAP(0.0))};color:white'>&nbsp;−1&nbsp;</span> <span style='background:{_rgb(_CMAP(0.5))}'>"
        f"&nbsp;0&nbsp;</span> <span style='background:{_rgb(_CMAP(1.0))};color:white'>&nbsp;+1&nbsp;</span>"
        "</div>"
    )
    return f"<div style='{_BOX}'>{''.join(spans)}</div>{legend}"


def unit_label(unit: int, found: dict) -> str:
    """A unit picker's label: the unit number and, if it is the best unit of some feature, which one."""
    names = [f"{name} (r = {num(r, 2)})" for name, (u, r) in found.items() if u == unit]
    return f"единица {unit}" + (": " + "; ".join(names) if names else "")


def attention_html(words, weights, predicted: str | None = None) -> str:
    """Words of a sentence on backgrounds as dark as their attention weight, with the weight under each."""
    weights = np.asarray(weights, dtype=float)
    cells = []
    for w, a in zip(words, weights):
        color = _rgb(_GATE(float(a)))
        fg = "white" if a < 0.6 else "black"
        cells.append(
            f"<span style='display:inline-block;text-align:center;margin:0.1em;padding:0.1em 0.3em;line-height:1.15;"
            f"background:{color};color:{fg};border-radius:0.3em'>{html.escape(w)}<br>"
            f"<small>{num(a, 2)}</small></span>"
        )
    tail = ""
    if predicted is not None:
        tail = f"<div style='margin-top:0.3em'>форма глагола по прочитанному: <b>{html.escape(predicted)}</b></div>"
    return f"<div style='line-height:1.15'>{''.join(cells)}</div>{tail}"


def gap_sentence(noun: str, gap: int, seed: int = 0) -> gender.Sentence:
    """«<noun> <gap слов-вставок> стоять»: a sentence of the gender corpus with exactly ``gap`` fillers."""
    rng = np.random.default_rng(seed)
    fillers = [gender.FILLERS[int(k)] for k in rng.integers(0, len(gender.FILLERS), size=int(gap))]
    return gender.parse_sentence(" ".join([noun, *fillers, "стоять"]))


def _timed(out: W.HTML, timings: list, make):
    def update(_=None):
        t0 = time.perf_counter()
        out.value = make()
        timings.append(time.perf_counter() - t0)
        del timings[:-50]

    return update


def writer_widget(
    lm: charlm.CharLM, prime: str = "кто рано встает, ", temperature: float = 0.7, seed: int = 0, n: int = 200
) -> W.Widget:
    """A start text box, a temperature slider (0 … 2) and a seed; the model continues the text on every change.
    ``widget.timings``: the last update times in seconds; ``widget.text / .temperature / .seed / .output``."""
    start = ui.text("начало", prime, width="100%")
    temp = ui.slider("температура", temperature, 0.0, 2.0, 0.05)
    temp.continuous_update = False  # one text per position of the slider, not one per pixel dragged
    seed_box = W.BoundedIntText(
        value=seed, min=0, max=10_000, description="зерно", layout=W.Layout(width="10em"), style=_SHORT
    )
    out = W.HTML(layout=W.Layout(width="100%"))
    timings: list[float] = []
    update = _timed(
        out, timings, lambda: writer_html(start.value, writer_text(lm, start.value, temp.value, seed_box.value, n))
    )
    for w in (start, temp, seed_box):
        w.observe(update, names="value")
    update()
    box = ui.panel([start, ui.row([temp, seed_box]), out], width="100%")
    box.timings, box.text, box.temperature, box.seed, box.output = timings, start, temp, seed_box, out
    return box


def activation_widget(lm: charlm.CharLM, text: str, found: dict, unit: int | None = None) -> W.Widget:
    """A unit picker; the text coloured by the chosen unit's activation. ``found``: feature → (unit, r).
    ``widget.pick / .output``, ``widget.timings``."""
    acts = charlm.activations(lm, text)
    shown = charlm.clean_text(text)
    H = acts.shape[1]
    first = next(iter(found.values()))[0] if unit is None and found else (unit or 0)
    pick = ui.dropdown("единица", [(unit_label(k, found), k) for k in range(H)], first, width="100%")
    pick.style.description_width = "5em"
    out = W.HTML(layout=W.Layout(width="100%"))
    timings: list[float] = []
    update = _timed(out, timings, lambda: activation_html(shown, acts[:, pick.value]))
    pick.observe(update, names="value")
    update()
    box = ui.panel([pick, out], width="100%")
    box.timings, box.pick, box.output = timings, pick, out
    return box


def attention_widget(model: attention.AttnModel, noun: str = "лампа", gap: int = 10) -> W.Widget:
    """A noun and a gap (0 … 60 fillers) in one row; the head's weights over the sentence and its class.
    ``widget.noun / .gap / .output``, ``widget.timings``."""
    nouns = [n for c in gender.CLASSES for n in gender.NOUNS[c]]
    pick = ui.dropdown("существительное", nouns, noun, width="18em")
    pick.style.description_width = "10.5em"  # «существительное» whole, at any font size
    gap_s = ui.int_slider("разрыв", gap, 0, 60, width="22em")
    gap_s.style.description_width = "4.5em"
    out = W.HTML(layout=W.Layout(width="100%"))
    timings: list[float] = []

    def make():
        s = gap_sentence(pick.value, gap_s.value)
        words, weights, cls = attention.sentence_attention(model, s)
        return attention_html(words, weights, gender.verb_form("стоять", gender.CLASSES.index(cls)))

    update = _timed(out, timings, make)
    pick.observe(update, names="value")
    gap_s.observe(update, names="value")
    update()
    box = ui.panel([ui.row([pick, gap_s]), out], width="100%")
    box.timings, box.noun, box.gap, box.output = timings, pick, gap_s, out
    return box
