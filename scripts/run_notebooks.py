"""Re-run course notebooks with papermill, with other parameters, into ``build/``.

    python scripts/run_notebooks.py                          # every notebook, stored parameters
    python scripts/run_notebooks.py --nb 05_lstm -p seed=3    # one notebook, another seed
    make run NB=05_lstm P="seed=3 max_gap=30"                 # the same through make

Only names that the notebook's ``parameters`` cell defines are accepted: a typo is an error, not a
silently ignored value. The originals in ``notebooks/`` are never changed.
"""

from __future__ import annotations

import argparse
import ast
import sys
import time
from pathlib import Path

import papermill as pm

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
OUT_DIR = ROOT / "build" / "runs"
EXECUTION_TIMEOUT = 600  # seconds per cell; a rare kernel hang must end the run, not block it


def parse_assignment(text: str) -> tuple[str, object]:
    """``"seed=3"`` → ``("seed", 3)``; values are Python literals, anything else stays a string."""
    if "=" not in text:
        raise ValueError(f"параметр {text!r}: ожидалось имя=значение, например seed=3")
    name, raw = (s.strip() for s in text.split("=", 1))
    if not name.isidentifier():
        raise ValueError(f"параметр {text!r}: {name!r} не похоже на имя переменной")
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        value = raw
    return name, value


def resolve(name: str) -> Path:
    stem = name.removesuffix(".ipynb")
    path = NB_DIR / f"{stem}.ipynb"
    if not path.exists():
        known = ", ".join(p.stem for p in sorted(NB_DIR.glob("*.ipynb")))
        raise ValueError(f"ноутбук {name!r} не найден; есть: {known}")
    return path


def run(path: Path, params: dict, out_dir: Path = OUT_DIR) -> tuple[Path, float]:
    known = pm.inspect_notebook(str(path))
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise ValueError(f"{path.stem}: нет параметров {', '.join(unknown)}; есть: {', '.join(known)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = "".join(f"_{k}-{v}" for k, v in sorted(params.items()))
    out = out_dir / f"{path.stem}{suffix}.ipynb"
    t0 = time.perf_counter()
    pm.execute_notebook(
        str(path),
        str(out),
        parameters=params,
        kernel_name="python3",
        cwd=str(NB_DIR),
        execution_timeout=EXECUTION_TIMEOUT,
        progress_bar=False,
        log_output=False,
    )
    return out, time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nb", action="append", default=[], help="notebook name (default: all)")
    ap.add_argument("-p", "--param", action="append", default=[], help="name=value, repeatable")
    ap.add_argument("--out", default=str(OUT_DIR), help="output folder (default build/runs)")
    args = ap.parse_args(argv)
    try:
        paths = [resolve(n) for n in args.nb] or sorted(NB_DIR.glob("*.ipynb"))
        params = dict(parse_assignment(p) for p in args.param)
        for path in paths:
            out, seconds = run(path, params, Path(args.out))
            print(f"{path.stem}: {seconds:.1f} с → {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    except ValueError as exc:
        print(f"ошибка: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
