"""Seconds per notebook: each one executed top to bottom in a fresh python3 kernel (as nbval does).

    python bench/bench_notebooks.py [--repeat 2] [NAME ...]

Writes ``bench/results/notebook_seconds.json`` (rows: notebook, seconds of each run, best, median, within the goal)
and ``notebook_seconds.md``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import nbformat
from _common import ROOT, write_results
from nbclient import NotebookClient

GOAL_S = 30.0


def run_once(path) -> float:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    t0 = time.perf_counter()
    client.execute()
    return time.perf_counter() - t0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args(argv)
    paths = [ROOT / "notebooks" / f"{n.removesuffix('.ipynb')}.ipynb" for n in args.names] or sorted(
        (ROOT / "notebooks").glob("*.ipynb")
    )
    rows = []
    for path in paths:
        times = [run_once(path) for _ in range(args.repeat)]
        best, med = min(times), statistics.median(times)
        rows.append(
            {"notebook": path.stem, "seconds": times, "best_s": best, "median_s": med, "within_goal": med <= GOAL_S}
        )
        print(f"{path.stem}: {', '.join(f'{t:.1f}' for t in times)} с", flush=True)
    write_results(
        "notebook_seconds",
        rows,
        {
            "title": "Секунды на ноутбук (полный прогон в свежем ядре, включая запуск ядра)",
            "command": f"python bench/bench_notebooks.py --repeat {args.repeat}",
            "columns": {
                "notebook": "ноутбук",
                "best_s": ("лучшее, с", 1),
                "median_s": ("медиана, с", 1),
                "within_goal": f"≤ {GOAL_S:.0f} с",
            },
            "goal_s": GOAL_S,
            "repeat": args.repeat,
        },
    )


if __name__ == "__main__":
    main()
