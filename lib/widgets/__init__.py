"""Widgets of the notebooks: each one only wires ipywidgets controls to a plain, tested function.

One module per lesson (``lib.widgets.perceptron``, ``…layer``, ``…mlp``, ``…rnn``, ``…lstm``); the helpers
here keep the controls alike across the course and legible on a projector.

The course's widget style: every size is relative, so widgets grow with JupyterLab's Presentation Mode and
with the browser zoom, and never push past the notebook's right edge at 1280×720, zoom 150 %.

- ``panel(children)``: the top-level box of an explorer. It carries the course's stylesheet (``CSS``): widget
  text at the size of the notebook's prose (``--jp-content-font-size1``, which Presentation Mode enlarges),
  control heights and label widths in ``em``, rows that wrap instead of overflowing, pictures no wider than
  the notebook. Lesson modules return ``panel([...])`` instead of ``W.VBox([...])``.
- ``row(children)`` / ``column(children)``: an HBox that wraps / a VBox, both in the course's style.
- ``slider``, ``int_slider``, ``button``, ``toggle``, ``dropdown``, ``text``: controls with widths in ``em``
  (``max-width: 100%``) and a description width in ``em``.
- ``image(width_px=…)``: an ``ipywidgets.Image`` whose shown width is given in ``em`` (the PNG's pixel width at
  the prose's 14 px): it scales with Presentation Mode and shrinks to fit, keeping its aspect.
"""

from __future__ import annotations

import ipywidgets as W

__all__ = [
    "CSS",
    "DESCRIPTION_WIDTH",
    "LAYOUT",
    "STYLE",
    "panel",
    "row",
    "column",
    "slider",
    "int_slider",
    "button",
    "toggle",
    "dropdown",
    "text",
    "image",
    "em",
]

BASE_PX = 14  # JupyterLab's prose size (--jp-content-font-size1) outside Presentation Mode
DESCRIPTION_WIDTH = "7.5em"
STYLE = {"description_width": DESCRIPTION_WIDTH}
LAYOUT = W.Layout(width="28em", max_width="100%")  # a control's default width: a slider with label and readout

# Scoped to .nn-course (the class of ``panel``): the variables are the ones ipywidgets' own CSS reads.
CSS = """
.nn-course {
  font-size: var(--jp-content-font-size1, 14px);
  --jp-widgets-font-size: var(--jp-content-font-size1, 14px);
  --jp-widgets-inline-height: 2em;
  --jp-widgets-inline-label-width: 7.5em;
  --jp-widgets-inline-width: 22em;
  --jp-widgets-inline-width-short: 11em;
  --jp-widgets-inline-width-tiny: 3.5em;
  --jp-widgets-inline-margin: 0.3em;
  --jp-widgets-slider-handle-size: 1.1em;
  --jp-widgets-slider-track-thickness: 0.3em;
  --jp-widgets-container-padding: 0.9em;
  max-width: 100%;
  box-sizing: border-box;
}
.nn-course .widget-hbox.nn-row { flex-wrap: wrap; }
.nn-course .widget-inline-hbox, .nn-course .widget-box, .nn-course .widget-button, .nn-course .widget-toggle-button,
.nn-course .widget-html, .nn-course .widget-image {
  max-width: calc(100% - 2 * var(--jp-widgets-margin, 2px)) !important;
}
.nn-course .widget-label, .nn-course .widget-readout, .nn-course .widget-button, .nn-course .widget-toggle-button,
.nn-course .widget-dropdown select, .nn-course .widget-text input, .nn-course .widget-html-content {
  font-size: var(--jp-widgets-font-size);
}
.nn-course .widget-readout { min-width: 3.5em; overflow: visible; }
/* a label or a button is never cut to «скрыть состо…»: it is at least as wide as its text, whatever width a
   module gave it (the slider's track shrinks instead) */
.nn-course .widget-inline-hbox > .widget-label, .nn-course .widget-button, .nn-course .widget-toggle-button {
  min-width: max-content;
}
.nn-course .widget-button, .nn-course .widget-toggle-button { width: auto; padding: 0 0.8em; white-space: nowrap; }
.nn-course img, .nn-course svg { max-width: 100%; height: auto; }
.nn-course .widget-html-content { line-height: 1.35; }
""".strip()


def em(px: float) -> str:
    """A length in ``em`` that is ``px`` pixels at the prose's normal size (14 px): ``em(280) == "20em"``."""
    return f"{px / BASE_PX:.4g}em"


def _layout(width: str | None, **kw) -> W.Layout:
    return W.Layout(width=width, max_width="100%", **kw) if width else W.Layout(max_width="100%", **kw)


def panel(children, *, css: str = "", **layout) -> W.VBox:
    """The top-level box of an explorer in the course's style (carries ``CSS`` and ``css``, extra rules)."""
    sheet = W.HTML(f"<style>{CSS}\n{css}</style>", layout=W.Layout(display="none"))
    box = W.VBox([sheet, *children], layout=_layout(layout.pop("width", None), **layout))
    box.add_class("nn-course")
    return box


def row(children, **layout) -> W.HBox:
    """A row of controls that wraps onto the next line instead of running past the notebook's edge."""
    box = W.HBox(list(children), layout=_layout(layout.pop("width", None), **layout))
    box.add_class("nn-row")
    return box


def column(children, **layout) -> W.VBox:
    return W.VBox(list(children), layout=_layout(layout.pop("width", None), **layout))


def slider(
    description: str,
    value: float,
    lo: float,
    hi: float,
    step: float = 0.1,
    *,
    width: str = "28em",
    readout_format: str = ".2f",
    **kw,
) -> W.FloatSlider:
    """A float slider in the course's style (label in Russian, updates while dragging)."""
    return W.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        continuous_update=True,
        readout_format=readout_format,
        layout=_layout(width),
        style=dict(STYLE),
        **kw,
    )


def int_slider(
    description: str, value: int, lo: int, hi: int, step: int = 1, *, width: str = "28em", **kw
) -> W.IntSlider:
    """An integer slider in the course's style."""
    return W.IntSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        continuous_update=True,
        layout=_layout(width),
        style=dict(STYLE),
        **kw,
    )


def button(description: str, *, icon: str = "", width: str | None = None, **kw) -> W.Button:
    """A button as wide as its Russian label (never cut to «скрыть состо…»)."""
    return W.Button(description=description, icon=icon, layout=_layout(width), **kw)


def toggle(description: str, value: bool = False, *, icon: str = "", width: str | None = None, **kw) -> W.ToggleButton:
    """A toggle button as wide as its label."""
    return W.ToggleButton(value=value, description=description, icon=icon, layout=_layout(width), **kw)


def dropdown(description: str, options, value=None, *, width: str = "22em", **kw) -> W.Dropdown:
    """A drop-down list with the course's description width."""
    options = list(options)
    return W.Dropdown(
        options=options,
        value=options[0] if value is None else value,
        description=description,
        layout=_layout(width),
        style=dict(STYLE),
        **kw,
    )


def text(description: str, value: str = "", *, width: str = "40em", continuous_update: bool = False, **kw) -> W.Text:
    """A text box (sends its value on Enter or when it loses focus, unless ``continuous_update``)."""
    return W.Text(
        value=value,
        description=description,
        continuous_update=continuous_update,
        layout=_layout(width),
        style=dict(STYLE),
        **kw,
    )


def image(value: bytes = b"", *, width_px: float | None = None, **kw) -> W.Image:
    """A PNG picture shown ``width_px`` pixels wide at the prose's normal size, larger in Presentation Mode,
    never wider than the notebook (its height follows its aspect)."""
    layout = W.Layout(width=em(width_px) if width_px else None, max_width="100%", height="auto")
    return W.Image(value=value, format="png", layout=layout, **kw)
