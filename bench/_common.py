"""Helpers shared by the benchmarks: the machine's description and writing a result.

A benchmark writes each result twice, side by side in ``bench/results/``: ``NAME.json`` for programs (the tests
and the notebooks read numbers from it, never from Markdown columns) and ``NAME.md`` for people (a table with
what was measured, by which command, when, on what machine). One call does both::

    from _common import write_results

    rows = [{"notebook": "01_perceptron", "best_s": 2.6, "median_s": 2.7, "ok": True}, ...]
    write_results("notebooks", rows, {
        "title": "Секунды на ноутбук",                        # the heading of NAME.md
        "command": "python bench/bench_notebooks.py --repeat 2",
        "columns": {"notebook": "ноутбук", "best_s": ("лучшее, с", 1), "ok": "≤ 30 с"},  # key → header[, digits]
        "notes": "…",                                         # optional text under the table
        "goal_s": 30.0,                                       # anything else: kept in the JSON as it is
    })

``NAME.json`` holds ``{"name", "title", "command", "when", "machine", "git", "rows": [...], **the rest of meta}``:
rows keep their numbers as numbers. In ``NAME.md`` a float is printed with a decimal comma (``lib.fmt.num``, the
column's digits, 2 by default), ``True``/``False`` as «да»/«нет», ``None`` as «—», a list joined by «; ».
Tests read the JSON with ``read_results(NAME)`` or ``json.loads(path.read_text())``.

``write_table`` is the older form (a header and rows of strings); it writes the Markdown and, unless a
benchmark keeps its own ``NAME.json`` there, the same table as JSON rows keyed by the header.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

if str(ROOT) not in sys.path:  # the scripts run as `python bench/bench_x.py`: lib is importable from the root
    sys.path.insert(0, str(ROOT))

from lib import fmt  # noqa: E402

__all__ = ["ROOT", "RESULTS", "machine", "git_rev", "write_results", "read_results", "write_table"]


def machine() -> str:
    """The processor, cores, Python and numpy versions and the load when the benchmark started."""
    import numpy as np

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} ядра, Python {platform.python_version()}, "
        f"numpy {np.__version__}, load average {fmt.num(load, 1)} при старте"
    )


def git_rev() -> str:
    """The short hash of the commit the benchmark ran on (``?`` outside git)."""
    try:
        return (
            subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
            ).stdout.strip()
            or "?"
        )
    except OSError:
        return "?"


def _cell(value, digits: int) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float):
        return fmt.num(value, digits)
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v, digits) for v in value)
    return str(value)


def _markdown(title: str, command: str, when: str, header: list[str], cells: list[list[str]], notes: str) -> str:
    lines = [
        f"# {title}",
        "",
        f"Команда: `{command}`  ",
        f"Когда: {when} UTC  ",
        f"Машина: {machine()}",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    if notes:
        lines += ["", notes]
    return "\n".join(lines) + "\n"


def write_results(name: str, rows: list[dict], meta: dict) -> tuple[Path, Path]:
    """Write ``bench/results/NAME.json`` and ``NAME.md`` (see the module docstring); return both paths.

    ``meta`` needs ``title`` and ``command``; ``columns`` (key → header or (header, digits)) chooses and names
    the table's columns (default: every key of the first row, as it is); ``notes`` goes under the table; other
    keys (the protocol, goals, versions) are stored in the JSON only.
    """
    meta = dict(meta)
    for key in ("title", "command"):
        if key not in meta:
            raise ValueError(f"meta: нет ключа {key!r} (нужны title и command)")
    title, command = meta.pop("title"), meta.pop("command")
    notes = meta.pop("notes", "")
    columns = meta.pop("columns", None) or {k: k for k in (rows[0] if rows else {})}
    spec = {k: (v, 2) if isinstance(v, str) else (v[0], int(v[1])) for k, v in columns.items()}
    when = f"{datetime.now(UTC):%Y-%m-%d %H:%M}"
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {
        "name": name,
        "title": title,
        "command": command,
        "when": when + " UTC",
        "machine": machine(),
        "git": git_rev(),
        **meta,
        "rows": rows,
    }
    json_path = RESULTS / f"{name}.json"
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    cells = [[_cell(row.get(k), digits) for k, (_, digits) in spec.items()] for row in rows]
    text = _markdown(title, command, when, [h for h, _ in spec.values()], cells, notes)
    md_path = RESULTS / f"{name}.md"
    md_path.write_text(text, encoding="utf-8")
    print(text)
    return json_path, md_path


def read_results(name: str) -> dict:
    """The stored ``bench/results/NAME.json`` (``FileNotFoundError`` if that benchmark has not been run)."""
    return json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8"))


def write_table(name: str, title: str, command: str, header: list[str], rows: list[list], notes: str = "") -> Path:
    """Write ``bench/results/NAME.md`` (a header and rows of cells) and, unless the benchmark keeps its own
    ``NAME.json``, the same rows as JSON keyed by the header. New benchmarks: use ``write_results``."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    when = f"{datetime.now(UTC):%Y-%m-%d %H:%M}"
    text = _markdown(title, command, when, list(header), [[str(c) for c in row] for row in rows], notes)
    path = RESULTS / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    print(text)
    json_path = RESULTS / f"{name}.json"
    own = not json_path.exists() or json.loads(json_path.read_text(encoding="utf-8")).get("written_by") == "write_table"
    if own:
        data = {
            "name": name,
            "title": title,
            "command": command,
            "when": when + " UTC",
            "machine": machine(),
            "git": git_rev(),
            "written_by": "write_table",
            "rows": [dict(zip(header, row)) for row in rows],
        }
        json_path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    return path
