"""The parameters a lesson runs with, read from its own ``parameters`` cell (never copied into tests).

from notebook_params import params
p = params("05_lstm")          # {"seed": 0, "max_gap": 20, ...}
p = params("05_lstm", seed=3)  # the same, with the values a teacher would inject via papermill
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "notebooks" / ".src"


def params(name: str, **overrides) -> dict:
    """Literal values assigned in the ``parameters`` cell of ``notebooks/.src/NAME.py``, then ``overrides``."""
    import jupytext

    nb = jupytext.read(SRC / f"{name}.py", fmt="py:percent")
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ValueError(f"{name}: ожидалась одна ячейка parameters, найдено {len(cells)}")
    values = {}
    for node in ast.parse(cells[0].source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            values[node.targets[0].id] = ast.literal_eval(node.value)
    unknown = set(overrides) - set(values)
    if unknown:
        raise ValueError(f"{name}: нет параметров {sorted(unknown)}; есть {sorted(values)}")
    return {**values, **overrides}
