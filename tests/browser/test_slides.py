"""A lesson as live slides (jupyterlab-slideshow, command ``deck:start``): the widgets stay live on a slide.

The first lesson cut into slides (cells with ``slideshow.slide_type``) that has a slider is run, shown as slides
at the projector's size, moved one slide forward (``deck:forward``), then opened at the first slide showing a
slider; the slider is moved
with the keyboard and the output on the slide must change. Screenshot: ``build/screenshots/slides-<lesson>.png``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from labkit import PROJECTOR, ROOT, close_sidebars, list_controls, open_and_run, settle, use_control

SHOTS = ROOT / "build" / "screenshots"

JS_ONSCREEN = """() => {
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  const on = cells.map((c, k) => c.classList.contains('jp-deck-mod-onscreen') ? k : -1).filter(k => k >= 0);
  const slider = on.some(k => cells[k].querySelector('.jp-Cell-outputArea .noUi-handle'));
  return {on, slider, deck: !!document.querySelector('.jp-deck-mod-onscreen')};
}"""


JS_ONSCREEN_KEY = """() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')]
  .map(c => c.classList.contains('jp-deck-mod-onscreen') ? '1' : '0').join('')"""


def _slide_lesson() -> str | None:
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = nb["cells"]
        slides = [c for c in cells if c.get("metadata", {}).get("slideshow", {}).get("slide_type")]
        if slides and any(
            "slider" in "".join(c["source"]) or "_widgets." in "".join(c["source"])
            for c in cells
            if c["cell_type"] == "code"
        ):
            return path.name
    return None


@pytest.mark.browser
def test_lesson_as_live_slides_slider_changes_output(browser, lab):
    name = _slide_lesson()
    assert name, "ни один урок не разрезан на слайды (metadata slideshow.slide_type в notebooks/.src)"
    context = browser.new_context(**PROJECTOR, locale="ru-RU")
    page = context.new_page()
    try:
        open_and_run(page, lab, name)
        close_sidebars(page)
        commands = page.evaluate("() => window.jupyterapp.commands.listCommands().filter(c => c.startsWith('deck:'))")
        assert "deck:start" in commands, f"нет команды deck:start (jupyterlab-slideshow не установлен?): {commands}"
        # the deck opens at the active cell: from the first one, «forward» must move to the next slide
        page.evaluate("() => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = 0; }")
        page.evaluate("() => window.jupyterapp.commands.execute('deck:start')")
        page.wait_for_function("() => !!document.querySelector('.jp-deck-mod-onscreen')", timeout=20_000)
        settle(page)
        first = page.evaluate(JS_ONSCREEN_KEY)
        page.evaluate("() => window.jupyterapp.commands.execute('deck:forward')")
        page.wait_for_function(f"before => ({JS_ONSCREEN_KEY})() !== before", arg=first, timeout=10_000, polling=100)
        # then straight to the first slide with a slider: the deck follows the active cell
        target = page.evaluate("""() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')]
          .findIndex(c => c.querySelector('.jp-Cell-outputArea .noUi-handle'))""")
        assert target >= 0, f"{name}: после «Run All» нет ни одного ползунка"
        page.evaluate("() => window.jupyterapp.commands.execute('deck:stop')")
        page.wait_for_function("() => !document.querySelector('.jp-deck-mod-onscreen')", timeout=10_000)
        page.evaluate("k => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = k; }", target)
        page.evaluate("() => window.jupyterapp.commands.execute('deck:start')")
        page.wait_for_function(
            "k => document.querySelectorAll('.jp-Notebook .jp-Cell')[k].classList.contains('jp-deck-mod-onscreen')",
            arg=target,
            timeout=20_000,
        )
        state = page.evaluate(JS_ONSCREEN)
        assert state["slider"], f"{name}: слайд с ячейкой {target} показан без ползунка"
        settle(page)
        on = set(state["on"])
        sliders = [c for c in list_controls(page) if c["kind"] == "ползунок" and c["cell"] in on]
        assert sliders, f"{name}: на слайде (ячейки {sorted(on)}) нет ползунка"
        changed = use_control(page, sliders[0])
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"slides-{Path(name).stem}.png"))
        assert changed, (
            f"{name}: на слайде с ячейкой {target} ползунок «{sliders[0]['label']}» не изменил вывод — "
            "виджеты в слайдах не живые"
        )
        page.evaluate("() => window.jupyterapp.commands.execute('deck:stop')")
    finally:
        context.close()
