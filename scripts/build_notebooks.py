"""Build the course notebooks from their reviewable sources, executing them to store fresh outputs.

Sources are jupytext "percent" scripts in ``notebooks/.src/NAME.py`` (hidden from the students' file
browser). Each becomes ``notebooks/NAME.ipynb``, run top to bottom in a fresh ``python3`` kernel, so the
stored outputs are exactly what a fresh run prints (nbval then checks that they stay so).

    python scripts/build_notebooks.py                 # every notebook
    python scripts/build_notebooks.py 01_perceptron   # one (name without extension)
    python scripts/build_notebooks.py --check         # only check that sources and .ipynb agree
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
SRC_DIR = NB_DIR / ".src"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
TIMEOUT = 600


def source_of(name: str) -> Path:
    return SRC_DIR / f"{name}.py"


def notebook_of(name: str) -> Path:
    return NB_DIR / f"{name}.ipynb"


def all_names() -> list[str]:
    return sorted(p.stem for p in SRC_DIR.glob("*.py"))


def cell_signature(nb) -> list[tuple]:
    """What the source decides about each cell: its type, its text and its tags."""
    return [(c.cell_type, c.source.strip(), tuple(c.get("metadata", {}).get("tags", []))) for c in nb.cells]


def from_source(name: str):
    """Read ``.src/NAME.py`` into a notebook with stable cell ids and the course's kernelspec."""
    nb = jupytext.read(source_of(name), fmt="py:percent")
    nb.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python"},
    }
    for k, cell in enumerate(nb.cells):
        cell.id = f"{name[:2]}-{k:03d}"
        meta = {}
        if cell.get("metadata", {}).get("tags"):
            meta["tags"] = list(cell.metadata["tags"])
        cell.metadata = meta
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def disagreements(name: str) -> list[str]:
    """Differences between ``.src/NAME.py`` and ``NAME.ipynb`` (empty when they agree)."""
    src, ipynb = source_of(name), notebook_of(name)
    if not ipynb.exists():
        return [f"{ipynb.name} отсутствует: соберите его (make notebooks)"]
    want = cell_signature(from_source(name))
    have = cell_signature(nbformat.read(ipynb, as_version=4))
    problems = []
    if len(want) != len(have):
        problems.append(f"{name}: в исходнике {len(want)} ячеек, в .ipynb {len(have)}")
    for k, (w, h) in enumerate(zip(want, have)):
        if w != h:
            problems.append(f"{name}: ячейка {k} отличается от исходника {src.relative_to(ROOT)}")
    return problems


def build(name: str) -> float:
    nb = from_source(name)
    client = NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(NB_DIR)}})
    t0 = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - t0
    nbformat.validate(nb)
    nbformat.write(nb, notebook_of(name))
    return seconds


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="notebook names without extension (default: all)")
    ap.add_argument("--check", action="store_true", help="only check that sources and notebooks agree")
    args = ap.parse_args(argv)
    names = [n.removesuffix(".py").removesuffix(".ipynb") for n in args.names] or all_names()
    unknown = [n for n in names if not source_of(n).exists()]
    if unknown:
        print(f"нет исходников: {', '.join(unknown)} (ожидались в {SRC_DIR.relative_to(ROOT)}/)", file=sys.stderr)
        return 2
    if args.check:
        problems = [p for n in names for p in disagreements(n)]
        print("\n".join(problems) or f"исходники и ноутбуки совпадают ({len(names)})")
        return 1 if problems else 0
    for name in names:
        print(f"{name}: {build(name):.1f} с", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
