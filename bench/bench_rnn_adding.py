"""The adding problem (Hochreiter & Schmidhuber, 1997) for a plain tanh RNN: which lags it learns, and how fast.

For every lag T, learning rate and seed: ``lib.seqtrain.train_adding`` (H = 32, Adam, clipping at 1.0, batch 64,
a fresh batch every step, a fixed test set of 500 sequences) until the test MSE falls below 0.01 ("решено"),
or the step budget, or the time budget runs out. Predicting the mean gives MSE ≈ 0.17 (a model that learned
nothing). The step budget keeps the table reproducible on any machine; the seconds are this machine's.

    python bench/bench_rnn_adding.py                                  # 3 seeds × T ∈ {10, 50, 100} × lr ∈ {1e-2, 3e-3, 1e-3}
    python bench/bench_rnn_adding.py --steps 1000 --lags 10 50        # a quicker, smaller run
    python bench/bench_rnn_adding.py --model lstm --out lstm_adding   # the same table for lib.lstm
"""
from __future__ import annotations

import argparse
import shlex
import sys
import time

from _common import write_table

from lib.seqtrain import adding_baseline_mse, train_adding


def fmt_seconds(runs) -> str:
    times = sorted(f"{r.solved_seconds:.1f}" for r in runs if r.solved)
    if not times:
        return "—"
    return times[0] if times[0] == times[-1] else f"{min(times, key=float)}–{max(times, key=float)}"


def fmt_steps(runs) -> str:
    steps = sorted(r.solved_step for r in runs if r.solved)
    if not steps:
        return "—"
    return f"{steps[0]}" if steps[0] == steps[-1] else f"{steps[0]}–{steps[-1]}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="rnn", help="имя модели из lib.seqtrain.MODELS (rnn, lstm)")
    ap.add_argument("--lags", type=int, nargs="+", default=[10, 50, 100], help="длины последовательностей T")
    ap.add_argument("--lrs", type=float, nargs="+", default=[1e-2, 3e-3, 1e-3], help="скорости обучения")
    ap.add_argument("--seeds", type=int, default=3, help="число зёрен (0, 1, …)")
    ap.add_argument("--steps", type=int, default=10000, help="бюджет шагов Adam на один запуск")
    ap.add_argument("--max-seconds", type=float, default=None, help="бюджет времени на один запуск, с")
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--out", default=None, help="имя таблицы в bench/results/ (по умолчанию MODEL_adding)")
    args = ap.parse_args(argv)
    command = "python bench/bench_rnn_adding.py " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))
    rows = []
    t_all = time.perf_counter()
    for T in args.lags:
        base = adding_baseline_mse(T)
        for lr in args.lrs:
            runs = []
            for seed in range(args.seeds):
                r = train_adding(args.model, T, hidden_size=args.hidden, lr=lr, steps=args.steps,
                                 max_seconds=args.max_seconds, seed=seed)
                runs.append(r)
                print(f"T={T} lr={lr:g} seed={seed}: шагов {r.steps}, MSE {r.final_mse:.3f}, "
                      f"{'решено' if r.solved else 'не решено'}, {r.seconds:.1f} с", flush=True)
            rows.append([T, f"{lr:g}", f"{sum(r.solved for r in runs)} из {len(runs)}", fmt_steps(runs),
                         fmt_seconds(runs), " / ".join(f"{r.final_mse:.3f}" for r in runs),
                         " / ".join(str(r.steps) for r in runs), f"{base:.3f}"])
    budget = f"{args.steps} шагов" + (f" или {args.max_seconds:g} с" if args.max_seconds else "")
    notes = (f"Модель `{args.model}`, H = {args.hidden}, Adam, обрезка градиента по норме 1.0, батч 64. "
             f"«Решено» — MSE на тесте < 0.01; бюджет на запуск: {budget}. Базовый уровень — MSE ответа «всегда 1» "
             f"(среднее цели) на том же тесте. MSE по зёрнам — последнее измерение (после остановки). "
             f"Всего {time.perf_counter() - t_all:.0f} с.")
    write_table(args.out or f"{args.model}_adding", f"Задача сложения: {args.model}, T ∈ {{{', '.join(map(str, args.lags))}}}",
                command, ["T", "lr", "решено", "шагов до MSE < 0.01", "секунд до MSE < 0.01", "MSE по зёрнам",
                          "шагов сделано", "базовый MSE"], rows, notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
