"""Seconds per notebook: each one executed top to bottom in a fresh python3 kernel (as nbval does).

    python bench/bench_notebooks.py [--repeat 2] [NAME ...]
"""
from __future__ import annotations

import argparse
import statistics
import time

import nbformat
from nbclient import NotebookClient

from _common import ROOT, write_table

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
    paths = [ROOT / "notebooks" / f"{n.removesuffix('.ipynb')}.ipynb" for n in args.names] or \
        sorted((ROOT / "notebooks").glob("*.ipynb"))
    rows = []
    for path in paths:
        times = [run_once(path) for _ in range(args.repeat)]
        best, med = min(times), statistics.median(times)
        rows.append([path.stem, f"{best:.1f}", f"{med:.1f}", "да" if med <= GOAL_S else "**нет**"])
        print(f"{path.stem}: {', '.join(f'{t:.1f}' for t in times)} с", flush=True)
    write_table("notebooks", "Секунды на ноутбук (полный прогон в свежем ядре, включая запуск ядра)",
                f"python bench/bench_notebooks.py --repeat {args.repeat}",
                ["ноутбук", "лучшее, с", "медиана, с", f"≤ {GOAL_S:.0f} с"], rows)


if __name__ == "__main__":
    main()
