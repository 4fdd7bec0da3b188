"""The course's widget style (lib/widgets/__init__.py): relative sizes only, so widgets follow Presentation Mode
and the browser zoom; the browser test (tests/browser/test_notebooks_in_lab.py) measures the effect."""

from __future__ import annotations

import re

import ipywidgets as W

import lib.widgets as cw


def _widths(widget):
    yield widget.layout.width, widget.layout.max_width
    for child in getattr(widget, "children", ()):
        yield from _widths(child)


def _all_controls():
    return [
        cw.slider("вес w₁", 0.0, -2, 2),
        cw.int_slider("шаг", 1, 0, 9),
        cw.button("скрыть состояние"),
        cw.toggle("только ошибки"),
        cw.dropdown("функция", ["И", "ИЛИ"]),
        cw.text("своё", "ваза тут"),
        cw.image(b"", width_px=700),
    ]


def test_panel_carries_the_stylesheet_and_class():
    box = cw.panel([cw.row(_all_controls())])
    assert "nn-course" in box._dom_classes
    sheet = box.children[0]
    assert isinstance(sheet, W.HTML) and sheet.value.startswith("<style>") and cw.CSS in sheet.value
    assert sheet.layout.display == "none"
    assert "nn-row" in box.children[1]._dom_classes


def test_sizes_are_relative():
    for control in _all_controls():
        for value in _widths(control):
            for size in value:
                assert size is None or not size.endswith("px"), f"{control.__class__.__name__}: {size}"
        style = getattr(control, "style", None)
        if style is not None and getattr(style, "description_width", ""):
            assert style.description_width.endswith("em"), style.description_width


def test_stylesheet_follows_the_prose_size():
    assert "var(--jp-content-font-size1" in cw.CSS  # what Presentation Mode enlarges
    fixed = set(re.findall(r"\d+(?:\.\d+)?px", cw.CSS))
    assert fixed <= {"14px", "2px"}, f"в CSS виджетов остались пиксели: {fixed - {'14px', '2px'}}"


def test_em_converts_pixels_at_the_prose_size():
    assert cw.em(280) == "20em"
    assert cw.image(b"", width_px=700).layout.width == "50em"
