"""Small helpers shared by the benchmarks: machine description and writing a result table."""
from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    import numpy as np

    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} ядра, Python {platform.python_version()}, "
            f"numpy {np.__version__}, load average {load:.1f} при старте")


def write_table(name: str, title: str, command: str, header: list[str], rows: list[list], notes: str = "") -> Path:
    """Write ``bench/results/NAME.md``: what was measured, by which command, on what machine, and the table."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    lines = [f"# {title}", "", f"Команда: `{command}`  ", f"Когда: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC  ",
             f"Машина: {machine()}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    if notes:
        lines += ["", notes]
    path = RESULTS / f"{name}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return path


def git_rev() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip()
    except OSError:
        return "?"


if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
