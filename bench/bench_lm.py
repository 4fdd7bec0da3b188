"""Notebook 6: how good is a character model, and how fast does lib train it.

1. ``compare``: bits per character on the held-out test proverbs of the uniform guess, the unigram and
   bigram baselines, and of a plain RNN, an LSTM and a GRU with about the same number of parameters (the
   LSTM of the notebook sets the budget), trained for the same number of steps on the same batches. Each
   network gets its own learning rate, chosen on the validation proverbs (one selection seed) from ``LRS``;
   then it is trained with ``SEEDS`` and evaluated on the test. Writes ``bench/results/lm_compare.json``
   (the notebook and ``tests/test_claims_lm.py`` read it) and ``lm_compare.md``.
2. ``speed``: one training step of the notebook's LSTM model (one-hot → LSTM → linear → softmax,
   cross-entropy, backward, B × T characters) in lib against PyTorch (float64, one thread), each in its own
   process. Writes ``lm_speed.json`` and ``lm_speed.md``. PyTorch only for this: ``pip install torch==2.13.0``.

    nice python bench/bench_lm.py              # both (about 6 minutes of CPU)
    nice python bench/bench_lm.py --part speed
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from _common import RESULTS, ROOT, write_table

sys.path.insert(0, str(ROOT / "tests"))
from notebook_params import params  # noqa: E402

P = params("06_language_model")
LRS = (0.005, 0.01, 0.02, 0.04, 0.08)
SELECT_SEED = 100
SEEDS = (0, 1, 2, 3, 4)
NAMES = {
    "uniform": "равновероятный выбор",
    "unigram": "частоты букв (униграммы)",
    "bigram": "пары букв (биграммы)",
    "rnn": "обычная RNN",
    "lstm": "LSTM",
    "gru": "GRU",
}


def compare() -> dict:
    import numpy as np

    from lib import charlm

    c = charlm.split_corpus()
    v = charlm.make_vocab(c.train + c.val + c.test)
    budget = charlm.count_params(charlm.init_lm("lstm", v, P["lstm_hidden"]))
    out = {
        "steps": P["steps"],
        "seq_len": P["seq_len"],
        "batch_size": P["batch_size"],
        "budget": budget,
        "lrs": list(LRS),
        "select_seed": SELECT_SEED,
        "seeds": list(SEEDS),
        "baselines": charlm.baseline_bits(v, c.train, c.test),
        "models": {},
    }
    t_all = time.perf_counter()
    for model in ("rnn", "lstm", "gru"):
        H = charlm.hidden_for_budget(model, v.size, budget)
        kw = dict(hidden_size=H, steps=P["steps"], seq_len=P["seq_len"], batch_size=P["batch_size"], vocab=v)
        val = {}
        for lr in LRS:
            r = charlm.train_lm(model, c.train, lr=lr, seed=SELECT_SEED, **kw)
            val[lr] = charlm.bits_per_char(charlm.text_probs(r.lm, c.val))
            print(model, H, lr, round(val[lr], 3), f"{r.seconds:.1f} s", flush=True)
        best = min(val, key=val.get)
        test, secs = [], []
        for seed in SEEDS:
            r = charlm.train_lm(model, c.train, lr=best, seed=seed, **kw)
            test.append(charlm.bits_per_char(charlm.text_probs(r.lm, c.test)))
            secs.append(r.seconds)
            print(model, "seed", seed, round(test[-1], 3), flush=True)
        out["models"][model] = {
            "hidden": H,
            "params": charlm.count_params(r.lm),
            "val_by_lr": val,
            "best_lr": best,
            "test_bits": test,
            "mean": float(np.mean(test)),
            "std": float(np.std(test)),
            "seconds": float(np.median(secs)),
        }
    out["total_seconds"] = time.perf_counter() - t_all
    (RESULTS / "lm_compare.json").write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")
    compare_table(out)
    return out


def compare_table(out: dict) -> None:
    """``lm_compare.md`` from the JSON (``--part table`` rewrites it without training)."""
    from lib.fmt import num, plural

    rows = [[NAMES[k], "—", "—", "—", f"{b:.2f}".replace(".", ","), "—"] for k, b in out["baselines"].items()]
    for m, r in out["models"].items():
        rows.append(
            [
                NAMES[m],
                r["hidden"],
                r["params"],
                num(r["best_lr"], 3),
                f"{r['mean']:.2f} ± {r['std']:.2f}".replace(".", ","),
                " ".join(f"{x:.2f}" for x in r["test_bits"]).replace(".", ","),
            ]
        )
    write_table(
        "lm_compare",
        "Языковая модель на пословицах: бит на символ на отложенных пословицах",
        "nice python bench/bench_lm.py --part compare",
        [
            "модель",
            "H",
            "параметров",
            "скорость обучения",
            "бит/символ (среднее ± разброс)",
            "по зёрнам " + ", ".join(map(str, out["seeds"])),
        ],
        rows,
        notes=(
            f"Все сети: {plural(out['steps'], 'шаг', 'шага', 'шагов')} Adam, пакеты по "
            f"{plural(out['batch_size'], 'окну', 'окна', 'окон')} из "
            f"{plural(out['seq_len'], 'символа', 'символов', 'символов')}, одинаковые для всех "
            f"моделей; скорость обучения выбрана из {', '.join(num(x, 3) for x in out['lrs'])} по "
            f"отложенной проверочной части (зерно {out['select_seed']}); меньше — лучше. Всего "
            f"{num(out['total_seconds'] / 60, 1)} мин по часам (машина была занята другими задачами)."
        ),
    )


def worker(lib_name: str, repeat: int) -> float:
    import numpy as np

    B, T, H = P["batch_size"], P["seq_len"], P["lstm_hidden"]
    from lib import charlm

    c = charlm.split_corpus()
    v = charlm.make_vocab(c.train + c.val + c.test)
    K = v.size
    rng = np.random.default_rng(0)
    x, y = charlm.random_batch(v.encode(c.train), T, B, rng)
    if lib_name == "lib":
        lm = charlm.init_lm("lstm", v, H)

        def call():
            with charlm.single_thread_blas():
                charlm.lm_loss_and_grads(lm, x, y)
    else:
        import torch

        torch.set_num_threads(1)
        torch.manual_seed(0)
        core = torch.nn.LSTM(K, H).double()
        head = torch.nn.Linear(H, K).double()
        xt = torch.nn.functional.one_hot(torch.as_tensor(x), K).double()
        yt = torch.as_tensor(y).reshape(-1)

        def call():
            core.zero_grad()
            head.zero_grad()
            out, _ = core(xt)
            loss = torch.nn.functional.cross_entropy(head(out).reshape(-1, K), yt)
            loss.backward()

    for _ in range(3):
        call()
    times = []
    for _ in range(repeat):
        t0 = time.process_time()  # CPU time of this one-thread process: other jobs on the machine
        call()  # slow the wall clock, much less the CPU time
        times.append(time.process_time() - t0)
    return 1000 * sorted(times)[len(times) // 2]


def speed(repeat: int) -> dict:
    res = {}
    for name in ("lib", "torch"):
        cmd = [sys.executable, __file__, "--worker", name, "--repeat", str(repeat)]
        run = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            env={**__import__("os").environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"},
        )
        res[name] = float(run.stdout.strip().splitlines()[-1]) if run.returncode == 0 else None
        if run.returncode:
            print(run.stderr[-500:])
    version = None
    try:
        import torch

        version = torch.__version__
    except ImportError:
        pass
    out = {
        "ms_per_step": res,
        "torch_version": version,
        "B": P["batch_size"],
        "T": P["seq_len"],
        "H": P["lstm_hidden"],
        "steps": P["steps"],
    }
    (RESULTS / "lm_speed.json").write_text(json.dumps(out, indent=1), encoding="utf-8")

    def fmt(x):
        return "—" if x is None else f"{x:.1f}".replace(".", ",")

    ratio = res["lib"] / res["torch"] if res["lib"] and res["torch"] else None
    write_table(
        "lm_speed",
        "Шаг обучения языковой модели (LSTM): lib против PyTorch, мс",
        "nice python bench/bench_lm.py --part speed",
        [
            "пакет B × T",
            "H",
            "lib, мс",
            f"PyTorch {version or '(нет)'}, мс",
            "lib / PyTorch",
            f"{P['steps']} шагов lib, с",
        ],
        [
            [
                f"{P['batch_size']} × {P['seq_len']}",
                P["lstm_hidden"],
                fmt(res["lib"]),
                fmt(res["torch"]),
                "—" if ratio is None else f"{ratio:.2f}".replace(".", ","),
                fmt(res["lib"] * P["steps"] / 1000 if res["lib"] else None),
            ]
        ],
        notes="Один шаг: прямой проход (one-hot → LSTM → линейный слой → softmax), перекрёстная энтропия, "
        "обратный проход; float64, один поток; время процессора (process_time, на занятой машине "
        "оно устойчивее часов), медиана после трёх разогревочных шагов, каждая библиотека в своём "
        "процессе. Последний столбец — время процессора на обучение урока (без образцов текста).",
    )
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=("compare", "speed", "table", "all"), default="all")
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--worker")
    a = ap.parse_args()
    if a.worker:
        print(worker(a.worker, a.repeat))
    elif a.part == "table":
        compare_table(json.loads((RESULTS / "lm_compare.json").read_text(encoding="utf-8")))
    else:
        if a.part in ("speed", "all"):
            speed(a.repeat)
        if a.part in ("compare", "all"):
            compare()
