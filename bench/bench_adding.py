"""A fair comparison of the plain RNN and the LSTM on the adding problem (notebooks 4 and 5 show its table).

Protocol, the same for both models:

* the task: ``lib.data.adding_problem`` with lag T ∈ {10, 50, 100}; a fresh training batch of 64 every step;
* the budget: the same number of Adam steps for every run (``--steps``), H = 32, clipping at 1.0;
* the learning rate: each model gets its own best rate from a small grid (``--lrs``; the LSTM's own grid
  ``--lrs-lstm``, by default the same), chosen on a
  VALIDATION set (500 sequences, ``seqtrain.VAL_SEED``) — the one that brings the most seeds below
  validation MSE 0.01, then in the fewest steps (median), then with the lowest median validation MSE;
* early stopping looks at the validation set only (stop at the first evaluation with MSE < 0.01, every
  50 steps); the TEST set (500 other sequences, ``seqtrain.TEST_SEED``) is never trained on and decides
  nothing: it is only measured, and the table reports it;
* seeds 0 … ``--seeds``−1 (initial weights and the training batches), the spread over seeds shown.

Results go to ``bench/results/adding.json`` (every run, read by the tests and by notebook 4) and
``adding.md`` (the table); ``lstm_adding.md`` gets the same table for notebook 5. The JSON is written after
every run, and a re-run with the same settings skips the runs it already has (``--fresh`` starts over).

    python bench/bench_adding.py                                   # 2 models × 3 lags × 3 lrs × 3 seeds
    python bench/bench_adding.py --lrs-lstm 1e-2 3e-3              # what bench/results/adding.* were made with
    python bench/bench_adding.py --models rnn --lags 10 --seeds 1 --steps 300 --out adding_try
    python bench/bench_adding.py --models rnn --out adding_rnn & python bench/bench_adding.py --models lstm \
        --out adding_lstm; wait; python bench/bench_adding.py --reuse adding_rnn adding_lstm   # on two cores
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from datetime import UTC, datetime

import numpy as np
from _common import RESULTS, machine, write_table

from lib import fmt
from lib.seqtrain import adding_baseline_mse, train_adding

TARGET = 0.01


def lr_label(lr: float) -> str:
    """``0.003`` → ``"0,003"``: a learning rate as the course prints it."""
    return f"{lr:g}".replace(".", ",")


def run_key(model: str, T: int, lr: float, seed: int) -> str:
    return f"{model}|{T}|{lr:g}|{seed}"


def one_run(model: str, T: int, lr: float, seed: int, args) -> dict:
    r = train_adding(
        model,
        T,
        hidden_size=args.hidden,
        lr=lr,
        steps=args.steps,
        seed=seed,
        n_val=500,
        eval_every=50,
        target=TARGET,
        stop_at_target=True,
    )
    return {
        "model": model,
        "T": T,
        "lr": lr,
        "seed": seed,
        "steps": int(r.steps),
        "val_mse": float(r.val_mse[-1]),
        "test_mse": float(r.final_mse),
        "val_solved_step": None if r.solved_step is None else int(r.solved_step),
        "test_solved": bool(r.final_mse < TARGET),
        "seconds": round(float(r.seconds), 2),
    }


def choose_lr(runs_by_lr: dict[float, list[dict]]) -> float:
    """The rate chosen on validation data only: most seeds solved, then fewest steps, then lowest MSE."""

    def score(lr):
        runs = runs_by_lr[lr]
        solved = [r["val_solved_step"] for r in runs if r["val_solved_step"] is not None]
        return (
            -len(solved),
            float(np.median(solved)) if solved else np.inf,
            float(np.median([r["val_mse"] for r in runs])),
        )

    return min(runs_by_lr, key=score)


def grid(model: str, args) -> list[float]:
    """The learning rates tried for ``model``."""
    return args.lrs_lstm if model == "lstm" and args.lrs_lstm else args.lrs


def summarise(runs: list[dict], args) -> list[dict]:
    """One row per (T, model): the chosen rate and the test results at it."""
    rows = []
    for T in args.lags:
        for model in args.models:
            by_lr = {
                lr: [r for r in runs if r["model"] == model and r["T"] == T and r["lr"] == lr]
                for lr in grid(model, args)
            }
            if any(len(v) < args.seeds for v in by_lr.values()):
                continue  # not finished yet
            lr = choose_lr(by_lr)
            chosen = sorted(by_lr[lr], key=lambda r: r["seed"])
            tests = [r["test_mse"] for r in chosen]
            rows.append(
                {
                    "T": T,
                    "model": model,
                    "lr": lr,
                    "seeds": [r["seed"] for r in chosen],
                    "test_mse": tests,
                    "test_mse_median": float(np.median(tests)),
                    "test_mse_min": min(tests),
                    "test_mse_max": max(tests),
                    "test_solved": sum(r["test_solved"] for r in chosen),
                    "steps": [r["steps"] for r in chosen],
                    "val_mse_by_lr": {
                        f"{k:g}": [r["val_mse"] for r in sorted(v, key=lambda r: r["seed"])] for k, v in by_lr.items()
                    },
                    "baseline_mse": adding_baseline_mse(T),
                }
            )
    return rows


def write_results(runs: list[dict], args, command: str, started: str, seconds: float) -> None:
    rows = summarise(runs, args)
    data = {
        "protocol": {
            "steps": args.steps,
            "lrs": {m: grid(m, args) for m in args.models},
            "seeds": args.seeds,
            "lags": args.lags,
            "models": args.models,
            "hidden_size": args.hidden,
            "batch_size": 64,
            "clip": 1.0,
            "n_val": 500,
            "n_test": 500,
            "eval_every": 50,
            "target": TARGET,
        },
        "command": command,
        "started": started,
        "machine": machine(),
        "seconds": round(sum(r["seconds"] for r in runs)),
        "complete": len(rows) == len(args.lags) * len(args.models),
        "rows": rows,
        "runs": runs,
    }
    (RESULTS / f"{args.out}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if not rows:
        return
    table = []
    for row in rows:
        table.append(
            [
                row["T"],
                row["model"].upper(),
                lr_label(row["lr"]),
                f"{row['test_solved']} из {len(row['seeds'])}",
                fmt.num(row["test_mse_median"], 4),
                f"{fmt.num(row['test_mse_min'], 4)} – {fmt.num(row['test_mse_max'], 4)}",
                " / ".join(str(s) for s in row["steps"]),
                fmt.num(row["baseline_mse"], 3),
            ]
        )
    grids = "; ".join(f"{m.upper()} — {{{'; '.join(lr_label(lr) for lr in grid(m, args))}}}" for m in args.models)
    notes = (
        f"Каждая модель — при своей лучшей скорости обучения из своей сетки ({grids}), выбранной по "
        f"проверочной (validation) выборке из 500 последовательностей; бюджет одинаковый — "
        f"до {args.steps} шагов Adam (пакет из 64 новых примеров на шаг, H = {args.hidden}, обрезка градиента "
        f"по норме 1,0); обучение останавливается, как только MSE на проверочной выборке < 0,01. "
        f"Тестовая выборка (500 других последовательностей) не участвует ни в обучении, ни в выборе: "
        f"«решено» — MSE на ней < 0,01 у обученной модели (обучение останавливается сразу, как только "
        f"MSE на проверочной выборке < 0,01, поэтому у решивших запусков MSE на тесте около 0,01 и "
        f"изредка чуть выше — такой запуск не засчитан). Зёрна 0–{args.seeds - 1}; разброс — от лучшего "
        f"зерна до худшего. Базовый MSE — ответ «всегда 1». Сумма времени всех запусков: "
        f"{round(sum(r['seconds'] for r in runs))} с (машина была занята другими задачами)."
    )
    header = [
        "T",
        "модель",
        "лучшая lr",
        "решено (тест)",
        "MSE на тесте, медиана",
        "разброс по зёрнам",
        "шагов сделано",
        "базовый MSE",
    ]
    write_table(
        args.out,
        "Задача сложения: обычная RNN и LSTM, каждая при своей лучшей скорости обучения",
        command,
        header,
        table,
        notes,
    )
    if args.out == "adding":
        write_table(
            "lstm_adding",
            "Задача сложения: обычная RNN и LSTM, каждая при своей лучшей скорости обучения",
            command,
            header,
            table,
            notes,
        )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", nargs="+", default=["rnn", "lstm"])
    ap.add_argument("--lags", type=int, nargs="+", default=[10, 50, 100])
    ap.add_argument("--lrs", type=float, nargs="+", default=[1e-2, 3e-3, 1e-3])
    ap.add_argument("--lrs-lstm", type=float, nargs="+", default=None, help="своя сетка для LSTM")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--steps", type=int, default=3000, help="одинаковый бюджет шагов Adam на запуск")
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--out", default="adding", help="имя результата в bench/results/")
    ap.add_argument(
        "--only-seeds",
        type=int,
        nargs="+",
        default=None,
        help="посчитать только эти зёрна (чтобы разложить счёт по ядрам; потом --reuse)",
    )
    ap.add_argument("--fresh", action="store_true", help="не брать готовые запуски из прошлого JSON")
    ap.add_argument(
        "--reuse",
        nargs="*",
        default=[],
        help="взять готовые запуски и из этих результатов "
        "(например, двух половин, посчитанных параллельно: --models rnn --out adding_rnn …)",
    )
    args = ap.parse_args(argv)
    given = list(argv or sys.argv[1:])
    if args.reuse:  # the runs were made in parts: name the protocol, not the merge
        given = given[: given.index("--reuse")] + [a for a in given[given.index("--reuse") + 1 + len(args.reuse) :]]
    command = ("python bench/bench_adding.py " + " ".join(shlex.quote(a) for a in given)).strip()
    if args.reuse:
        command += f" (посчитано по частям параллельно и собрано с --reuse {' '.join(args.reuse)})"
    done: dict[str, dict] = {}
    for name in ([] if args.fresh else [args.out]) + args.reuse:
        path = RESULTS / f"{name}.json"
        if not path.exists():
            continue
        old = json.loads(path.read_text(encoding="utf-8"))
        if (old["protocol"]["steps"], old["protocol"]["hidden_size"]) == (args.steps, args.hidden):
            done.update({run_key(r["model"], r["T"], r["lr"], r["seed"]): r for r in old["runs"]})
    started = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    t0 = time.perf_counter()
    runs = []
    # short lags first: their rows are complete early, the long ones cost the most
    for T in args.lags:
        for model in args.models:
            for lr in grid(model, args):
                for seed in args.only_seeds or range(args.seeds):
                    key = run_key(model, T, lr, seed)
                    r = done.get(key) or one_run(model, T, lr, seed, args)
                    runs.append(r)
                    print(
                        f"{key}: шагов {r['steps']}, MSE проверка {r['val_mse']:.4f}, тест {r['test_mse']:.4f}, "
                        f"{r['seconds']} с",
                        flush=True,
                    )
                    write_results(runs, args, command, started, time.perf_counter() - t0)
    write_results(runs, args, command, started, time.perf_counter() - t0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
