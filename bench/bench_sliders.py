"""Slider → updated output latency in a real JupyterLab (headless Chromium), for every slider of every notebook.

Measured in the page: from the keydown on the slider's handle to the last change of its cell's output before it settles
(a new plot image, a new SVG, a new number), so it includes the round trip to the kernel and the redraw.

    python bench/bench_sliders.py [--presses 5] [NAME ...]

Writes ``bench/results/slider_latency.json`` (rows: notebook, slider, samples in ms, median, maximum, goal, met)
and ``slider_latency.md``. Also times the kernel's side of the LSTM gate explorer's diagram alone (building the
scene and its SVG: ``lstm_diagram_ms`` in the JSON), the part of the latency that lib.diagrams owns.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import timeit
from pathlib import Path

from _common import ROOT, write_results

from lib import fmt

sys.path.insert(0, str(ROOT / "tests" / "browser"))
from labkit import chromium_available, chromium_browser, lab_server, move_slider, open_and_run, slider_count  # noqa: E402

GOAL_MS = {"05_lstm": 50.0}  # the gate explorer, the goal; every other slider: DEFAULT_GOAL_MS
DEFAULT_GOAL_MS = 150.0


def lstm_diagram_ms() -> float:
    """Median milliseconds to build the live LSTM cell scene and render it to SVG (the explorer's picture)."""
    from lib import diagrams

    values = dict(x_t=0.5, h_prev=-0.3, C_prev=0.8, f_t=0.73, i_t=0.6, C_tilde=-0.9, C_t=0.044, o_t=0.8, h_t=0.035)
    runs = timeit.repeat(lambda: diagrams.render_svg(diagrams.lstm_cell_scene(values), width=860), number=20, repeat=7)
    return statistics.median(runs) / 20 * 1000


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*")
    ap.add_argument("--presses", type=int, default=5)
    args = ap.parse_args(argv)
    diagram_ms = lstm_diagram_ms()
    print(f"схема LSTM (сцена + SVG) в ядре: {diagram_ms:.2f} мс", flush=True)
    if not chromium_available():
        print("Chromium не найден: задержку ползунков измерить нельзя (apt-get install chromium)")
        return
    names = [f"{n.removesuffix('.ipynb')}.ipynb" for n in args.names] or sorted(
        p.name for p in (ROOT / "notebooks").glob("*.ipynb")
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp, lab_server(Path(tmp)) as lab, chromium_browser() as browser:
        for name in names:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            open_and_run(page, lab, name)
            handles = page.locator(".jp-Cell-outputArea .noUi-handle")
            for k in range(slider_count(page)):
                if not handles.nth(k).is_visible():  # on a tab not shown (lesson 5's gate explorer): not timed
                    continue
                samples, label = [], ""
                for _ in range(args.presses):
                    res = move_slider(page, k)
                    label = res["label"]
                    if res["ms"] is not None:
                        samples.append(res["ms"])
                    page.wait_for_timeout(150)
                goal = GOAL_MS.get(Path(name).stem, DEFAULT_GOAL_MS)
                row = {
                    "notebook": Path(name).stem,
                    "slider": f"{k}: {label}",
                    "samples_ms": samples,
                    "median_ms": None,
                    "max_ms": None,
                    "goal_ms": goal,
                    "met": None,
                }
                if samples:
                    med = statistics.median(samples)
                    row.update(median_ms=med, max_ms=max(samples), met=med <= goal)
                rows.append(row)
                print(row, flush=True)
            page.close()
    write_results(
        "slider_latency",
        rows,
        {
            "title": "Задержка «ползунок → обновлённый вывод» в JupyterLab (headless Chromium)",
            "command": f"python bench/bench_sliders.py --presses {args.presses}",
            "columns": {
                "notebook": "ноутбук",
                "slider": "ползунок",
                "median_ms": ("медиана, мс", 0),
                "max_ms": ("максимум, мс", 0),
                "goal_ms": ("цель, мс", 0),
                "met": "цель достигнута",
            },
            "notes": "От нажатия клавиши на ползунке до последнего изменения вывода ячейки (полное обновление: "
            "подпись, картинка, числа); «—» — вывод не изменился. Цель ≤ 50 мс — у исследователя фильтров "
            "LSTM (05), ≤ 150 мс — у остальных виджетов: на проекторе ползунок должен отзываться сразу. "
            f"Схема LSTM (сцена + SVG) строится в ядре за {fmt.num(diagram_ms, 2)} мс. Ползунки на скрытых "
            "вкладках (у исследователя фильтров 05 видна одна вкладка из трёх) не измеряются.",
            "presses": args.presses,
            "lstm_diagram_ms": diagram_ms,
        },
    )


if __name__ == "__main__":
    main()
