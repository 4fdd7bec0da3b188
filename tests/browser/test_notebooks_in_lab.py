"""Every notebook in a real JupyterLab, as a class sees it on a projector.

Each lesson is opened once (module-scoped, per notebook) in a page the size of a 1280×720 screen at browser zoom
150 % (``labkit.PROJECTOR``: CSS viewport 853×480, devicePixelRatio 1.5), with the side bars closed, and Run All.
Then, on that page:

- it ran without an error and every widget rendered;
- nothing in a widget is clipped: no part cut by hidden overflow, no text ending in «…», nothing past the
  notebook's right edge, and each explorer's picture and controls fit on one screen (the notebook's visible
  height); screenshots of what the class sees go to ``build/screenshots/projector/``;
- widget text and diagram text grow with Presentation Mode;
- every control (slider, button, toggle, drop-down list, text box, check box), used once, changes its cell's output.

``build/screenshots/projector/report.json`` keeps the measurements (problems, text sizes, how much each figure
is scaled down) for the teacher's guide and for whoever fixes a widget.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from labkit import (
    PROJECTOR,
    ROOT,
    close_sidebars,
    layout_problems,
    list_controls,
    open_and_run,
    picture_scales,
    problems,
    screenshot_projector,
    set_presentation_mode,
    settle,
    text_sizes,
    use_control,
)

NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
SHOTS = ROOT / "build" / "screenshots" / "projector"
REPORT = SHOTS / "report.json"
GROWTH = 1.1  # Presentation Mode must make widget and diagram text at least 10 % larger


def _record(name: str, key: str, value) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    data = json.loads(REPORT.read_text(encoding="utf-8")) if REPORT.exists() else {}
    data.setdefault(name, {})[key] = value
    REPORT.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


@pytest.fixture(scope="module", params=NOTEBOOKS)
def lesson(request, browser, lab):
    """(name, page, seconds): the notebook run top to bottom in a projector-sized page, side bars closed."""
    name = request.param
    context = browser.new_context(**PROJECTOR, locale="ru-RU")
    page = context.new_page()
    try:
        seconds = open_and_run(page, lab, name)
        close_sidebars(page)
        settle(page)
        _record(name, "run_all_seconds", round(seconds, 1))
        yield name, page, seconds
    finally:
        context.close()


@pytest.mark.browser
def test_runs_without_errors(lesson):
    name, page, seconds = lesson
    found = problems(page)
    assert not found, f"{name}: после «Run All» ({seconds:.0f} с):\n" + "\n".join(found)


@pytest.mark.browser
def test_nothing_clipped_on_projector(lesson):
    name, page, _ = lesson
    set_presentation_mode(page, False)
    found = layout_problems(page)
    shots = screenshot_projector(page, SHOTS / Path(name).stem)
    _record(name, "layout_problems", found)
    _record(name, "screenshots", [str(p.relative_to(ROOT)) for p in shots])
    _record(name, "pictures", picture_scales(page))
    lines = [f"{p['where']}: {p['what']}" for p in found]
    assert not found, (
        f"{name} на проекторе (1280×720, масштаб 150 %, боковая панель закрыта) — "
        f"{len(found)} обрезанных мест; снимки в {SHOTS.relative_to(ROOT)}/:\n" + "\n".join(lines)
    )


@pytest.mark.browser
def test_figure_text_legible_on_projector(lesson):
    """``lib.plots.legible`` raises a figure's text to ``MIN_TEXT_PX`` for a figure shown ``SHOWN_PX`` wide; a figure
    shown narrower than that has its smallest text at ``MIN_TEXT_PX × shown / SHOWN_PX`` (pictures of widgets
    are drawn by their modules and are listed in report.json only)."""
    from lib.plots import MIN_TEXT_PX, SHOWN_PX

    name, page, _ = lesson
    pictures = [p for p in picture_scales(page) if not p["widget"]]
    small = []
    for p in pictures:
        if p["natural"] > SHOWN_PX and p["shown"] < p["natural"]:  # scaled down to fit: legible() applies
            smallest = MIN_TEXT_PX * p["shown"] / SHOWN_PX
            if smallest < MIN_TEXT_PX - 0.5:
                small.append(
                    f"ячейка {p['cell']}: рисунок {p['natural']} px показан в {p['shown']} px — "
                    f"самый мелкий текст ≈ {smallest:.1f} px (нужно ≥ {MIN_TEXT_PX:g}; "
                    f"lib.plots.SHOWN_PX = {SHOWN_PX:g}, а ширина вывода {p['shown']} px)"
                )
    assert not small, f"{name}: мелкий текст на рисунках при 1280×720 и 150 %:\n" + "\n".join(small)


@pytest.mark.browser
def test_widget_text_grows_with_presentation_mode(lesson):
    name, page, _ = lesson
    set_presentation_mode(page, False)
    plain = text_sizes(page)
    set_presentation_mode(page, True)
    try:
        big = text_sizes(page)
    finally:
        set_presentation_mode(page, False)
    _record(name, "text_px", {"plain": plain, "presentation": big})
    if not plain:
        pytest.skip(f"{name}: виджетов нет")
    stuck = []
    for cell, sizes in plain.items():
        for kind, what in (("ui", "подписи и кнопки виджета"), ("svg", "текст диаграммы")):
            before, after = sizes[kind], big[cell][kind]
            if before and after is not None and after < before * GROWTH:
                stuck.append(f"ячейка {cell}: {what} {before:.1f} px → {after:.1f} px в режиме презентации")
    assert not stuck, f"{name}: текст не растёт вместе с Presentation Mode:\n" + "\n".join(stuck)


@pytest.mark.browser
def test_every_control_changes_its_output(lesson):
    name, page, _ = lesson
    controls = [
        c
        for c in list_controls(page)
        if not c["disabled"] and c["visible"] and not (c["kind"] == "переключатель-вариант" and c["active"])
    ]
    kinds = sorted({c["kind"] for c in controls})
    _record(name, "controls", {kind: sum(c["kind"] == kind for c in controls) for kind in kinds})
    silent = [c for c in controls if not use_control(page, c)]
    # a «reset» changes nothing from the initial state: try each silent control again once the others have moved
    silent = [c for c in silent if not use_control(page, c)]
    found = problems(page)
    assert not found, f"{name}: после работы с виджетами:\n" + "\n".join(found)
    assert not silent, f"{name}: вывод ячейки не изменился от:\n" + "\n".join(
        f"ячейка {c['cell']}: {c['kind']} «{c['label']}»" for c in silent
    )
