"""Every notebook in a real JupyterLab: runs top to bottom, widgets render, each slider changes an output.

Screenshots go to ``build/screenshots/`` for a human to look at.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from labkit import ROOT, move_slider, open_and_run, problems, screenshot_widgets, slider_count

NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
SHOTS = ROOT / "build" / "screenshots"


@pytest.mark.browser
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_and_sliders_respond(page, lab, name):
    seconds = open_and_run(page, lab, name)
    found = problems(page)
    assert not found, f"{name}: после «Run All» ({seconds:.0f} с):\n" + "\n".join(found)

    n = slider_count(page)
    silent = []
    for k in range(n):
        res = move_slider(page, k)
        if not res["changed"]:
            silent.append(f"ползунок {k} «{res['label']}» ({res['key']}): вывод ячейки не изменился")
    screenshot_widgets(page, SHOTS / Path(name).stem)
    found = problems(page)
    assert not found, f"{name}: после движения ползунков:\n" + "\n".join(found)
    assert not silent, f"{name}:\n" + "\n".join(silent)
