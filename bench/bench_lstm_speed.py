"""Speed of ``lib.lstm``: forward + backward through time, against PyTorch's CPU LSTM in float64 if installed.

Each library is timed in its own process and its own block (never call by call alternately: two thread pools
on two cores thrash each other), once with one BLAS/torch thread and once with the default number of threads.
A call is ``lstm_forward`` + ``lstm_backward`` with a random ``dh`` for every step (torch: ``nn.LSTM`` forward
+ ``backward`` of the same ``dh``); the median of ``--repeat`` calls after 3 warm-up calls.

PyTorch is not a dependency of the course; for this comparison only, ``pip install torch==2.13.0``. Without
it the table has only the ``lib.lstm`` column and says so.

    python bench/bench_lstm_speed.py
    python bench/bench_lstm_speed.py --repeat 10
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys

from _common import write_table

SIZES = [(32, 50, 8, 32), (64, 100, 16, 64)]      # (B, T, D, H)
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _median_ms(fn, repeat: int) -> float:
    import time

    for _ in range(3):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return 1000 * times[len(times) // 2]


def worker_numpy(repeat: int) -> list:
    import numpy as np

    from lib.lstm import init_params, lstm_backward, lstm_forward

    out = []
    for B, T, D, H in SIZES:
        rng = np.random.default_rng(0)
        p = init_params(D, H, seed=0)
        xs = rng.normal(size=(T, B, D))
        dh = rng.normal(size=(T, B, H))

        def call():
            lstm_backward(p, lstm_forward(p, xs), dh)

        out.append(_median_ms(call, repeat))
    return out


def worker_torch(repeat: int, threads: int | None) -> list | None:
    try:
        import torch
    except ImportError:
        return None
    if threads:
        torch.set_num_threads(threads)
    out = []
    for B, T, D, H in SIZES:
        torch.manual_seed(0)
        m = torch.nn.LSTM(D, H).double()
        xs = torch.randn(T, B, D, dtype=torch.float64, requires_grad=True)
        dh = torch.randn(T, B, H, dtype=torch.float64)

        def call():
            m.zero_grad()
            y, _ = m(xs)
            y.backward(dh)

        out.append(_median_ms(call, repeat))
    return out


def run_worker(lib: str, threads: int | None, repeat: int):
    """Run one library in a fresh process with the thread count fixed before numpy/torch load."""
    env = dict(os.environ)
    for var in THREAD_VARS:
        env.pop(var, None)
        if threads:
            env[var] = str(threads)
    cmd = [sys.executable, __file__, "--worker", lib, "--repeat", str(repeat)]
    if threads:
        cmd += ["--threads", str(threads)]
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def explorer_timing(repeat: int) -> list:
    """Python side of one move of a gate-explorer slider (notebook 5): ``explore`` + SVG, and each alone."""
    from lib.widgets import lstm as wl

    values = dict(wl.DEFAULTS)
    r = wl.explore(**values)
    both = _median_ms(lambda: wl.explorer_html(wl.explore(**values)), repeat * 5)
    compute = _median_ms(lambda: wl.explore(**values), repeat * 5)
    draw = _median_ms(lambda: wl.explorer_html(r), repeat * 5)
    return [["explore(…) — один шаг LSTM из 15 ползунков", f"{compute:.2f}"],
            ["explorer_html(…) — схема SVG + таблица", f"{draw:.2f}"],
            ["вместе: одно движение ползунка", f"{both:.2f}"]]


def torch_version() -> str | None:
    res = subprocess.run([sys.executable, "-c", "import torch; print(torch.__version__)"], capture_output=True,
                         text=True)
    return res.stdout.strip() if res.returncode == 0 else None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--worker", choices=["numpy", "torch"], help=argparse.SUPPRESS)
    ap.add_argument("--threads", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        res = worker_numpy(args.repeat) if args.worker == "numpy" else worker_torch(args.repeat, args.threads)
        print(json.dumps(res))
        return 0

    command = "python bench/bench_lstm_speed.py " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))
    tv = torch_version()
    rows = []
    for threads in (1, None):
        ours = run_worker("numpy", threads, args.repeat)          # one library, one block
        theirs = run_worker("torch", threads, args.repeat) if tv else None
        for k, (B, T, D, H) in enumerate(SIZES):
            t_label = "1" if threads else f"по умолчанию ({os.cpu_count()})"
            row = [f"({B}, {T}, {D}, {H})", t_label, f"{ours[k]:.1f}"]
            if theirs:
                row += [f"{theirs[k]:.1f}", f"{ours[k] / theirs[k]:.2f}"]
            else:
                row += ["—", "—"]
            rows.append(row)
            print(row, flush=True)
    notes = ("Отношение < 1: lib.lstm быстрее. Медиана из --repeat вызовов после трёх разогревочных; каждая "
             "библиотека в своём процессе и своём блоке. Машина могла быть занята другими задачами "
             "(load average выше): сравнивайте столбцы одной строки, а не строки разных запусков.")
    if tv:
        notes = f"PyTorch {tv} (CPU, float64, torch.nn.LSTM). " + notes
    else:
        notes = ("PyTorch не установлен: сравнения нет (для него: pip install torch==2.13.0; курсу torch не "
                 "нужен). " + notes)
    write_table("lstm_speed", "lib.lstm: прямой + обратный проход, мс на вызов", command,
                ["(B, T, D, H)", "потоков BLAS/torch", "lib.lstm, мс", "PyTorch, мс", "lib / PyTorch"], rows,
                notes)
    write_table("lstm_gate_explorer", "Исследователь фильтров (урок 5): сторона Python одного движения ползунка",
                command, ["что", "медиана, мс"], explorer_timing(args.repeat),
                "Цель для всего пути «ползунок → обновлённая схема» в JupyterLab — не больше 50 мс; здесь только "
                "вычисление и построение SVG в ядре (задержку в браузере меряет bench/bench_sliders.py).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
