"""Slider → updated output latency in a real JupyterLab (headless Chromium), for every slider of every notebook.

Measured in the page: from the keydown on the slider's handle to the first change of its cell's output
(a new plot image, a new SVG, a new number), so it includes the round trip to the kernel and the redraw.

    python bench/bench_sliders.py [--presses 5] [NAME ...]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from _common import ROOT, write_table

sys.path.insert(0, str(ROOT / "tests" / "browser"))
from labkit import chromium_available, chromium_browser, lab_server, move_slider, open_and_run, slider_count  # noqa: E402

GOAL_MS = 50.0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*")
    ap.add_argument("--presses", type=int, default=5)
    args = ap.parse_args(argv)
    if not chromium_available():
        print("Chromium не найден: задержку ползунков измерить нельзя (apt-get install chromium)")
        return
    names = [f"{n.removesuffix('.ipynb')}.ipynb" for n in args.names] or \
        sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp, lab_server(Path(tmp)) as lab, chromium_browser() as browser:
        for name in names:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            open_and_run(page, lab, name)
            for k in range(slider_count(page)):
                samples, label = [], ""
                for _ in range(args.presses):
                    res = move_slider(page, k)
                    label = res["label"]
                    if res["ms"] is not None:
                        samples.append(res["ms"])
                    page.wait_for_timeout(150)
                if samples:
                    med = statistics.median(samples)
                    rows.append([Path(name).stem, f"{k}: {label}", f"{med:.0f}", f"{max(samples):.0f}",
                                 "да" if med <= GOAL_MS else "нет"])
                else:
                    rows.append([Path(name).stem, f"{k}: {label}", "—", "—", "вывод не изменился"])
                print(rows[-1], flush=True)
            page.close()
    write_table("slider_latency", "Задержка «ползунок → обновлённый вывод» в JupyterLab (headless Chromium)",
                f"python bench/bench_sliders.py --presses {args.presses}",
                ["ноутбук", "ползунок", "медиана, мс", "максимум, мс", f"≤ {GOAL_MS:.0f} мс"], rows,
                notes="Цель ≤ 50 мс поставлена для исследователя фильтров LSTM (05); для графиков matplotlib, "
                      "которые перерисовываются целиком, она не ставилась.")


if __name__ == "__main__":
    main()
