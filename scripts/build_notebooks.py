"""Build the course's two editions from the reviewable sources, executing them to store fresh outputs.

Sources are jupytext "percent" scripts in ``notebooks/.src/NAME.py`` (hidden from the students' file
browser); each is the TEACHER's edition, with the exercises' answers between nbgrader's
``### BEGIN SOLUTION`` / ``### END SOLUTION`` markers and extra checks between ``### BEGIN HIDDEN TESTS`` /
``### END HIDDEN TESTS``.

- The STUDENT's edition ``notebooks/NAME.ipynb`` (what ``make lab`` opens) is the source passed through
  nbgrader's own preprocessors ``ClearSolutions`` and ``ClearHiddenTests``, run top to bottom in a fresh
  ``python3`` kernel, so its stored outputs are exactly what a fresh run prints (nbval checks that).
  Widget cells keep no stored output and the notebook no widget state: a widget only means something
  with a live kernel, and its state was most of the file's size.
- The TEACHER's edition ``build/solutions/NAME.ipynb`` (``--solutions``, ``make solutions``) is the source
  as is, executed: every check says «Верно». Its cells carry nbgrader metadata, so it is also what a teacher
  puts into nbgrader's ``source/`` folder for ``generate_assignment`` and ``autograde``.

    python scripts/build_notebooks.py                      # every student notebook
    python scripts/build_notebooks.py 01_perceptron        # one (name without extension)
    python scripts/build_notebooks.py --solutions          # every teacher notebook into build/solutions/
    python scripts/build_notebooks.py --check              # only check that sources and .ipynb agree

In a source, a cell's nbgrader metadata is written short (``# %% nbgrader={"solution": true,
"grade_id": "rule"}`` or ``{"grade": true, "grade_id": "rule_check", "points": 1}``); :func:`nbgrader_cell`
completes it to nbgrader's schema.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
SRC_DIR = NB_DIR / ".src"
SOLUTIONS_DIR = ROOT / "build" / "solutions"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
TIMEOUT = 600
KEPT_METADATA = ("tags", "slideshow", "nbgrader")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
CODE_STUB = "# Ваш код здесь\n..."
TEXT_STUB = "_Ваш ответ здесь._"


def source_of(name: str) -> Path:
    return SRC_DIR / f"{name}.py"


def notebook_of(name: str) -> Path:
    return NB_DIR / f"{name}.ipynb"


def solution_of(name: str) -> Path:
    return SOLUTIONS_DIR / f"{name}.ipynb"


def all_names() -> list[str]:
    return sorted(p.stem for p in SRC_DIR.glob("*.py"))


def nbgrader_cell(meta: dict, where: str) -> dict:
    """The short nbgrader metadata of a source cell, completed to nbgrader's schema version 3."""
    if "grade_id" not in meta:
        raise ValueError(f"{where}: у ячейки nbgrader нет grade_id")
    full = {"grade": False, "solution": False, "locked": False, "task": False, "schema_version": 3, **meta}
    if full["grade"]:
        full.setdefault("points", 1)
        full["locked"] = not full["solution"]
    return full


def cell_signature(nb) -> list[tuple]:
    """What the source decides about each cell: its type, its text and its kept metadata."""
    return [
        (
            c.cell_type,
            c.source.strip(),
            json.dumps({k: c.get("metadata", {}).get(k) for k in KEPT_METADATA}, sort_keys=True),
        )
        for c in nb.cells
    ]


def from_source(name: str):
    """Read ``.src/NAME.py`` (the teacher's edition) into a notebook with stable cell ids, the course's
    kernelspec and only the metadata the course uses (tags, slides, nbgrader)."""
    nb = jupytext.read(source_of(name), fmt="py:percent")
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    grade_ids = set()
    for k, cell in enumerate(nb.cells):
        cell.id = f"{name[:2]}-{k:03d}"
        old = cell.get("metadata", {})
        meta = {key: copy.deepcopy(old[key]) for key in KEPT_METADATA if old.get(key)}
        if "nbgrader" in meta:
            meta["nbgrader"] = nbgrader_cell(dict(meta["nbgrader"]), f"{name}, ячейка {k}")
            gid = meta["nbgrader"]["grade_id"]
            if gid in grade_ids:
                raise ValueError(f"{name}, ячейка {k}: grade_id {gid!r} уже встречался")
            grade_ids.add(gid)
        elif "BEGIN SOLUTION" in cell.source or "BEGIN HIDDEN TESTS" in cell.source:
            raise ValueError(f"{name}, ячейка {k}: маркеры nbgrader в ячейке без метаданных nbgrader")
        cell.metadata = meta
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def student_edition(nb):
    """The student's edition of a teacher's notebook, made by nbgrader's own preprocessors."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

    nb = copy.deepcopy(nb)
    resources: dict = {}
    nb, resources = ClearSolutions(code_stub={"python": CODE_STUB}, text_stub=TEXT_STUB).preprocess(nb, resources)
    nb, resources = ClearHiddenTests().preprocess(nb, resources)
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = quiet_top_level_stub(cell.source)
    return nb


def quiet_top_level_stub(source: str) -> str:
    """A stub ``...`` left as a cell's last statement would print «Ellipsis» under the cell: make it ``pass``
    (inside a function, or inside parentheses, the ``...`` stays as it is)."""
    lines = source.rstrip().split("\n")
    if lines and lines[-1] == "...":
        lines[-1] = "pass"
    return "\n".join(lines)


def source_notebook(name: str, *, solutions: bool = False):
    """The edition's cells before execution: the student's (default) or the teacher's."""
    nb = from_source(name)
    return nb if solutions else student_edition(nb)


def disagreements(name: str) -> list[str]:
    """Differences between the student edition of ``.src/NAME.py`` and ``NAME.ipynb`` (empty when they agree)."""
    src, ipynb = source_of(name), notebook_of(name)
    if not ipynb.exists():
        return [f"{ipynb.name} отсутствует: соберите его (make notebooks)"]
    want = cell_signature(source_notebook(name))
    have = cell_signature(nbformat.read(ipynb, as_version=4))
    problems = []
    if len(want) != len(have):
        problems.append(f"{name}: в исходнике {len(want)} ячеек, в .ipynb {len(have)}")
    for k, (w, h) in enumerate(zip(want, have)):
        if w != h:
            problems.append(f"{name}: ячейка {k} отличается от исходника {src.relative_to(ROOT)}")
    return problems


def execute(nb, *, store_widget_state: bool = True) -> float:
    """Run ``nb`` top to bottom in a fresh kernel, in ``notebooks/`` (where the lessons live)."""
    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        record_timing=False,
        store_widget_state=store_widget_state,
        resources={"metadata": {"path": str(NB_DIR)}},
    )
    t0 = time.perf_counter()
    client.execute()
    return time.perf_counter() - t0


def drop_widget_outputs(nb, name: str) -> None:
    """Clear the stored outputs of widget cells (nbval ignores them anyway; they need a live kernel)."""
    for k, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if any(WIDGET_MIME in out.get("data", {}) for out in cell.outputs):
            if "nbval-ignore-output" not in cell.metadata.get("tags", []):
                raise ValueError(f"{name}, ячейка {k}: ячейка с виджетом должна иметь тег nbval-ignore-output")
            cell.outputs = []
    nb.metadata.pop("widgets", None)


def build(name: str, *, solutions: bool = False) -> float:
    nb = source_notebook(name, solutions=solutions)
    seconds = execute(nb, store_widget_state=solutions)
    if solutions:
        target = solution_of(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        for cell in nb.cells:  # build/solutions/ is one folder deeper than notebooks/
            if cell.cell_type == "markdown":
                cell.source = cell.source.replace("](../pics/", "](../../pics/")
    else:
        drop_widget_outputs(nb, name)
        target = notebook_of(name)
    nbformat.validate(nb)
    nbformat.write(nb, target)
    return seconds


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="notebook names without extension (default: all)")
    ap.add_argument("--check", action="store_true", help="only check that sources and notebooks agree")
    ap.add_argument("--solutions", action="store_true", help="build the teacher's edition into build/solutions/")
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
        seconds = build(name, solutions=args.solutions)
        where = solution_of(name) if args.solutions else notebook_of(name)
        print(f"{name}: {seconds:.1f} с → {where.relative_to(ROOT)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
