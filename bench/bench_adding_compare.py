"""LSTM against the plain RNN on the adding problem (Hochreiter & Schmidhuber, 1997), as in notebooks 4 and 5.

For each lag T, model, learning rate and seed: ``lib.seqtrain.train_adding`` (H = 32, Adam, clipping at 1.0,
batch 64, a fresh batch every step, a fixed test set of 500 sequences) until the test MSE falls below 0.01
(«решено»), or the step budget, or the time budget runs out. For each model and T the table shows the
learning rate that solved the most seeds, then in the fewest steps (median), then with the lowest median
final MSE. Predicting the mean gives MSE ≈ 0.17.

    python bench/bench_adding_compare.py                              # T ∈ {10, 50, 100}, 3 seeds
    python bench/bench_adding_compare.py --lags 50 --seeds 1 --steps 500
"""
from __future__ import annotations

import argparse
import shlex
import sys
import time

import numpy as np
from _common import write_table

from lib.seqtrain import adding_baseline_mse, train_adding


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lags", type=int, nargs="+", default=[10, 50, 100])
    ap.add_argument("--lrs", type=float, nargs="+", default=[1e-2, 3e-3])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--steps", type=int, default=3000, help="бюджет шагов Adam на один запуск")
    ap.add_argument("--max-seconds", type=float, default=90.0, help="бюджет времени на один запуск, с")
    ap.add_argument("--hidden", type=int, default=32)
    args = ap.parse_args(argv)
    command = "python bench/bench_adding_compare.py " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))
    rows = []
    for T in args.lags:
        base = adding_baseline_mse(T)
        for model in ("lstm", "rnn"):
            best = None
            for lr in args.lrs:
                runs = [train_adding(model, T, hidden_size=args.hidden, lr=lr, steps=args.steps,
                                     max_seconds=args.max_seconds, seed=seed) for seed in range(args.seeds)]
                for r in runs:
                    print(f"T={T} {model} lr={lr:g} seed={r.seed}: шагов {r.steps}, MSE {r.final_mse:.4f}, "
                          f"решено: {r.solved_step}, {r.seconds:.1f} с", flush=True)
                solved_steps = [r.solved_step for r in runs if r.solved]
                score = (-len(solved_steps), float(np.median(solved_steps)) if solved_steps else np.inf,
                         float(np.median([r.final_mse for r in runs])))
                if best is None or score < best[0]:
                    best = (score, lr, runs)
            _, lr, runs = best
            solved = [r for r in runs if r.solved]
            when = (" / ".join(f"{r.solved_seconds:.1f}" if r.solved else "—" for r in runs))
            rows.append([T, model.upper(), f"{lr:g}", " / ".join(f"{r.final_mse:.3f}" for r in runs),
                         f"{len(solved)} из {len(runs)}", when, f"{max(r.steps for r in runs)}",
                         f"{base:.3f}"])
    notes = (f"MSE и секунды по зёрнам 0 / 1 / …; «решено» — MSE на проверке < 0.01. Бюджет на запуск: "
             f"{args.steps} шагов или {args.max_seconds:g} с. Скорости обучения: "
             f"{', '.join(f'{lr:g}' for lr in args.lrs)}; в таблице лучшая для каждой модели и T (больше решённых зёрен, затем меньше шагов, затем меньше MSE). Секунды — "
             f"этой машины (она могла быть занята).")
    write_table("lstm_adding", "Задача сложения: LSTM против обычной RNN", command,
                ["T", "модель", "лучшая lr", "итоговая MSE", "решено", "за секунд", "шагов (макс.)",
                 "MSE ответа «1»"], rows, notes)
    return 0


if __name__ == "__main__":
    t0 = time.perf_counter()
    rc = main()
    print(f"⏱ {time.perf_counter() - t0:.0f} с")
    sys.exit(rc)
