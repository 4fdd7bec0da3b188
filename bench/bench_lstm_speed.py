"""Speed of ``lib.lstm``: forward + backward through time, against PyTorch's CPU LSTM in float64 if installed.

Each library is timed in its own process and its own block (never call by call alternately: two thread pools
on two cores thrash each other), once with one BLAS/torch thread and once with the default number of threads.
A call is ``lstm_forward`` + ``lstm_backward`` with a random ``dh`` for every step (torch: ``nn.LSTM`` forward
+ ``backward`` of the same ``dh``); the median of ``--repeat`` calls after 3 warm-up calls. The blocks
alternate ``--rounds`` times (lib, torch, lib, torch …) and each library keeps its best median: on a shared
machine a neighbour's burst then hurts both sides alike instead of one.

It also times what notebook 5 only states: ``lstm_forward`` against a loop of ``lstm_step`` (the same
numbers), and one move of a gate-explorer slider. Results: ``bench/results/lstm_speed.md`` and ``.json``
(read by nothing but people; the tests check behaviour, not speed), ``lstm_gate_explorer.md``.

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
import time

from _common import RESULTS, machine, write_table

SIZES = [(32, 50, 8, 32), (64, 100, 16, 64)]  # (B, T, D, H)
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _median_ms(fn, repeat: int) -> float:
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

        def call(p=p, xs=xs, dh=dh):
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

        def call(m=m, xs=xs, dh=dh):
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


def forward_vs_loop(repeat: int) -> dict:
    """Notebook 5, «По всей последовательности»: ``lstm_forward`` against T calls of ``lstm_step``, in ms."""
    import numpy as np
    from threadpoolctl import threadpool_limits

    from lib.lstm import init_params, lstm_forward, lstm_step

    threadpool_limits(limits=1, user_api="blas")  # one thread, as the rows of the table
    p = init_params(8, 32, seed=0)
    xs = np.random.default_rng(0).normal(size=(50, 32, 8))

    def loop():
        h = C = None
        for x in xs:
            s = lstm_step(p, x, h, C)
            h, C = s.h, s.C

    return {"lstm_forward_ms": _median_ms(lambda: lstm_forward(p, xs), repeat), "loop_ms": _median_ms(loop, repeat)}


def explorer_timing(repeat: int) -> list:
    """Python side of one move of a gate-explorer slider (notebook 5): ``explore`` + SVG, and each alone."""
    from lib.widgets import lstm as wl

    values = dict(wl.DEFAULTS)
    r = wl.explore(**values)
    both = _median_ms(lambda: (wl.explorer_html(wl.explore(**values)), wl.values_table_html(r)), repeat * 5)
    compute = _median_ms(lambda: wl.explore(**values), repeat * 5)
    draw = _median_ms(lambda: (wl.explorer_html(r), wl.values_table_html(r)), repeat * 5)
    return [
        ["explore(…) — один шаг LSTM из 15 ползунков", fmt_ms(compute)],
        ["explorer_html(…) + values_table_html(…) — схема SVG и таблица", fmt_ms(draw)],
        ["вместе: одно движение ползунка", fmt_ms(both)],
    ]


def fmt_ms(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def torch_version() -> str | None:
    res = subprocess.run(
        [sys.executable, "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True
    )
    return res.stdout.strip() if res.returncode == 0 else None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3, help="сколько раз чередовать блоки lib и torch")
    ap.add_argument(
        "--one-thread-only",
        action="store_true",
        help="только один поток (без строк с числом потоков по умолчанию: на занятой машине они долгие)",
    )
    ap.add_argument("--worker", choices=["numpy", "torch"], help=argparse.SUPPRESS)
    ap.add_argument("--threads", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        res = worker_numpy(args.repeat) if args.worker == "numpy" else worker_torch(args.repeat, args.threads)
        print(json.dumps(res))
        return 0

    command = "python bench/bench_lstm_speed.py " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))
    tv = torch_version()
    rows, results = [], []
    for threads in (1,) if args.one_thread_only else (1, None):
        ours, theirs = None, None
        for _ in range(args.rounds):  # lib, torch, lib, torch …: best of each
            o = run_worker("numpy", threads, args.repeat)
            ours = o if ours is None else [min(a, b) for a, b in zip(ours, o)]
            if tv:
                t = run_worker("torch", threads, args.repeat)
                theirs = t if theirs is None else [min(a, b) for a, b in zip(theirs, t)]
        for k, (B, T, D, H) in enumerate(SIZES):
            t_label = "1" if threads else f"по умолчанию ({os.cpu_count()})"
            row = [f"({B}, {T}, {D}, {H})", t_label, fmt_ms(ours[k])]
            row += [fmt_ms(theirs[k]), fmt_ms(ours[k] / theirs[k])] if theirs else ["—", "—"]
            rows.append(row)
            results.append(
                {
                    "B": B,
                    "T": T,
                    "D": D,
                    "H": H,
                    "threads": threads or os.cpu_count(),
                    "lib_ms": round(ours[k], 3),
                    "torch_ms": round(theirs[k], 3) if theirs else None,
                    "ratio": round(ours[k] / theirs[k], 3) if theirs else None,
                }
            )
            print(row, flush=True)
    loop = forward_vs_loop(args.repeat)
    notes = (
        "Отношение < 1: lib.lstm быстрее. Медиана из --repeat вызовов после трёх разогревочных; каждая "
        "библиотека в своём процессе и своём блоке, блоки чередуются --rounds раз, у каждой берётся лучшая "
        "медиана. Машина могла быть занята другими задачами (load average выше): сравнивайте столбцы одной "
        "строки, а не строки разных запусков. "
        f"Урок 5, «По всей последовательности» ((B, T, D, H) = (32, 50, 8, 32), один поток): lstm_forward — "
        f"{fmt_ms(loop['lstm_forward_ms'])} мс, цикл из lstm_step — {fmt_ms(loop['loop_ms'])} мс."
    )
    if tv:
        notes = f"PyTorch {tv} (CPU, float64, torch.nn.LSTM). " + notes
    else:
        notes = (
            "PyTorch не установлен: сравнения нет (для него: pip install torch==2.13.0; курсу torch не нужен). " + notes
        )
    write_table(
        "lstm_speed",
        "lib.lstm: прямой + обратный проход, мс на вызов",
        command,
        ["(B, T, D, H)", "потоков BLAS/torch", "lib.lstm, мс", "PyTorch, мс", "lib / PyTorch"],
        rows,
        notes,
    )
    (RESULTS / "lstm_speed.json").write_text(
        json.dumps(
            {
                "command": command,
                "machine": machine(),
                "torch": tv,
                "repeat": args.repeat,
                "rounds": args.rounds,
                "rows": results,
                "forward_vs_loop": loop,
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    write_table(
        "lstm_gate_explorer",
        "Исследователь фильтров (урок 5): сторона Python одного движения ползунка",
        command,
        ["что", "медиана, мс"],
        explorer_timing(args.repeat),
        "Цель для всего пути «ползунок → обновлённая схема» в JupyterLab — не больше 50 мс; здесь только "
        "вычисление и построение SVG в ядре (задержку в браузере меряет bench/bench_sliders.py).",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
