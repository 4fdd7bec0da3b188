"""Widgets of the notebooks: each one only wires ipywidgets controls to a plain, tested function.

One module per lesson (``lib.widgets.perceptron``, ``…layer``, ``…mlp``, ``…rnn``, ``…lstm``); the helpers
here keep the controls alike across the course (Russian labels, a readable width, instant updates).
"""
from __future__ import annotations

import ipywidgets as W

__all__ = ["slider", "int_slider", "LAYOUT"]

LAYOUT = W.Layout(width="420px")
_STYLE = {"description_width": "110px"}


def slider(description: str, value: float, lo: float, hi: float, step: float = 0.1, **kw) -> W.FloatSlider:
    """A float slider in the course's style (label in Russian, updates while dragging)."""
    return W.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                         continuous_update=True, readout_format=".2f", layout=LAYOUT, style=_STYLE, **kw)


def int_slider(description: str, value: int, lo: int, hi: int, step: int = 1, **kw) -> W.IntSlider:
    """An integer slider in the course's style."""
    return W.IntSlider(value=value, min=lo, max=hi, step=step, description=description,
                       continuous_update=True, layout=LAYOUT, style=_STYLE, **kw)
