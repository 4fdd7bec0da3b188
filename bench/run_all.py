"""`make bench`: run every benchmark script ``bench/bench_*.py`` in turn; each prints its table and writes it
to ``bench/results/NAME.json`` (read by tests and notebooks) and ``NAME.md`` (read by people):
``_common.write_results``.

    python bench/run_all.py               # all
    python bench/run_all.py notebooks     # only bench_notebooks.py (names without the bench_ prefix)
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        wanted = {f"bench_{a.removeprefix('bench_').removesuffix('.py')}.py" for a in argv}
        scripts = [s for s in scripts if s.name in wanted]
    failed = []
    for script in scripts:
        print(f"\n=== {script.name}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, str(script)], cwd=HERE)
        print(f"=== {script.name}: {time.perf_counter() - t0:.0f} с, код {rc}", flush=True)
        if rc:
            failed.append(script.name)
    if failed:
        print("не отработали:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
