"""Widget of notebook 5's trained-model explorer: what a trained LSTM's gates and cell do over a sentence of
the gender task. Re-exported by ``lib.widgets.lstm``.

The logic lives in plain functions tested in pytest (``sentence_gates``, ``draw_sentence_gates``,
``strip_figsize``); ``sentence_explorer_widget`` only wires ipywidgets controls to them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import ipywidgets as W
import numpy as np

from lib import fmt, gender
from lib.checks import check_choice
from lib.widgets import image, panel, row
from lib.widgets.render import agg_figure, png_bytes, tight_box

__all__ = [
    "SentenceGates",
    "sentence_gates",
    "draw_sentence_gates",
    "strip_figsize",
    "sentence_explorer_widget",
    "MAX_WORDS",
    "PANELS",
]


class SentenceGates(NamedTuple):
    """What a trained LSTM does over one sentence: ``words`` (T,), for the chosen ``units`` (k,) the arrays
    ``f, i, o, C`` of shape ``(k, T)``, the class probabilities ``probs: (4,)`` at the verb, the predicted class
    and verb form, and the class of the subject (``-1`` if the sentence has no noun)."""

    words: tuple[str, ...]
    units: tuple[int, ...]
    f: np.ndarray
    i: np.ndarray
    o: np.ndarray
    C: np.ndarray
    probs: np.ndarray
    predicted: int
    verb: str
    label: int


MAX_WORDS = 60  # longer sentences are refused: one costs about 20 ms a word to draw


def sentence_gates(gm: gender.GenderModel, text: str, units) -> SentenceGates:
    """Run the trained LSTM ``gm`` over ``text`` (words of ``gender.VOCAB``, at most ``MAX_WORDS``; raises
    ``ValueError`` in Russian otherwise) and keep the gates and cell of ``units``."""
    if gm.model != "lstm":
        raise ValueError(f"gm: нужна обученная LSTM (model='lstm'), получена {gm.model!r}")
    s = gender.parse_sentence(text)
    if len(s.words) > MAX_WORDS:
        raise ValueError(
            f"text: в предложении {fmt.plural(len(s.words), 'слово', 'слова', 'слов')}, а картинка "
            f"умещает не больше {MAX_WORDS}; сократите его"
        )
    trace, probs = gender.sentence_trace(gm, s)
    units = tuple(int(u) for u in units)
    pred = int(np.argmax(probs))
    pick = list(units)
    return SentenceGates(
        words=s.words[:-1] + (gender.verb_form(s.words[-1], pred),),
        units=units,
        f=trace.f[:, pick].T,
        i=trace.i[:, pick].T,
        o=trace.o[:, pick].T,
        C=np.tanh(trace.C[:, pick].T),
        probs=probs,
        predicted=pred,
        verb=gender.verb_form(s.words[-1], pred),
        label=s.label,
    )


PANELS = {
    "f": "f_t: фильтр забывания",
    "i": "i_t: входной фильтр",
    "C": "tanh(C_t): состояние ячейки",
    "o": "o_t: выходной фильтр",
}


def draw_sentence_gates(sg: SentenceGates, fig=None, panels=("f", "i", "C", "o")):
    """Heat strips, units × words, of the chosen ``panels`` (keys of ``PANELS``: f_t, i_t, o_t over [0, 1];
    tanh C_t over [−1, 1]) and a title with the predicted form and its probability. Returns the figure."""
    import matplotlib.pyplot as plt

    from lib.plots import GATE_CMAP, STATE_CMAP, heat_strip

    for key in panels:
        check_choice("panels", key, tuple(PANELS))
    k, T = sg.f.shape
    n = len(panels)
    if fig is None:
        fig = plt.figure(figsize=strip_figsize(T, k, n))
    axes = np.atleast_1d(fig.subplots(n, 1, sharex=True))
    rows = [f"ед. {u}" for u in sg.units]
    values = {
        "f": (sg.f, 0, 1, GATE_CMAP),
        "i": (sg.i, 0, 1, GATE_CMAP),
        "C": (sg.C, -1, 1, STATE_CMAP),
        "o": (sg.o, 0, 1, GATE_CMAP),
    }
    for ax, (title, vals, lo, hi, cmap) in zip(axes, [(PANELS[key], *values[key]) for key in panels]):
        heat_strip(
            ax,
            vals,
            row_labels=rows,
            col_labels=list(sg.words) if ax is axes[-1] else None,
            vmin=lo,
            vmax=hi,
            cmap=cmap,
            annotate=T <= 14,
            fmt="{:.1f}",
        )
        ax.set_title(title, loc="left", fontsize=14)
    p = sg.probs[sg.predicted]
    ok = "" if sg.label < 0 else (" ✓" if sg.predicted == sg.label else " ✗ (ошибка)")
    title = f"предсказание: «{sg.verb}» ({gender.CLASS_NAMES[gender.CLASSES[sg.predicted]]}, p = {fmt.num(p)}){ok}"
    if n > 1:
        fig.suptitle(title)
    else:  # one strip: a short name left, the answer right
        axes[0].set_title(PANELS[panels[0]].split(":")[0], loc="left", fontsize=14)
        axes[0].set_title(title, loc="right", fontsize=14)
    from lib.plots import legible

    return legible(fig)


def strip_figsize(n_words: int, n_units: int, n_panels: int = 1) -> tuple[float, float]:
    """Inches of ``draw_sentence_gates``' figure: at most 8.4 wide (shown near its own size in the notebook,
    so its text stays legible on a projector), one row of cells per unit, one strip per panel."""
    width = min(max(7.0, 0.55 * n_words + 2.0), 8.4)
    return width, 0.6 + n_panels * (0.32 * n_units + 0.75)


def sentence_explorer_widget(gm: gender.GenderModel, units) -> W.Widget:
    """A dropdown of example sentences, a text box (read on Enter, as it says) and a choice of the strip to show
    (f_t, i_t, tanh C_t or o_t; one at a time, so picture and controls fit one projector screen); the strip of
    ``units`` per word is a PNG in an ``HTML`` widget. While a picture is drawn the line under the controls
    says so; a sentence that cannot be read clears the picture and says why, in Russian. Pictures are cached."""
    units = tuple(int(u) for u in units)
    narrow = {"description_width": "initial"}
    start = gender.EXAMPLES[4]  # short: it fits its text box
    choose = W.Dropdown(
        options=list(gender.EXAMPLES), value=start, description="пример", style=narrow, layout=W.Layout(width="96%")
    )
    text = W.Text(
        value=start,
        description="своё",
        continuous_update=False,
        style=narrow,
        layout=W.Layout(width="24em", max_width="60%"),
        placeholder="например: ваза тут, а стулья вчера упали",
    )
    strip = W.ToggleButtons(
        options=[("f_t", "f"), ("i_t", "i"), ("tanh C_t", "C"), ("o_t", "o")], value="f", style={"button_width": "auto"}
    )
    msg = W.HTML("<i>Напишите предложение и нажмите Enter.</i>")
    out = image(width_px=540)

    @lru_cache(maxsize=64)
    def picture(sentence: str, key: str) -> bytes:
        sg = sentence_gates(gm, sentence, units)
        fig = agg_figure(strip_figsize(len(sg.words), len(units)))
        draw_sentence_gates(sg, fig=fig, panels=(key,))
        return png_bytes(fig, tight_box(fig))

    def show(_=None):
        msg.value = "<i>рисую…</i>"
        try:
            html = picture(" ".join(str(text.value).split()), strip.value)
        except ValueError as exc:
            out.value = b""
            reason = str(exc).removeprefix("text: ")
            msg.value = f"<span style='color:#D55E00'>Не получилось: {reason}</span>"
            return
        out.value = html
        msg.value = "<i>Готово. Измените предложение и нажмите Enter.</i>"

    def on_choose(ch):
        if text.value == ch["new"]:
            show()
        else:
            text.value = ch["new"]  # → show() through the text box

    choose.observe(on_choose, names="value")
    text.observe(show, names="value")
    strip.observe(show, names="value")
    show()
    box = panel([choose, row([text, strip], width="96%"), msg, out], width="100%")
    box.text, box.message, box.picture, box.choose, box.panel = text, msg, out, choose, strip
    return box
