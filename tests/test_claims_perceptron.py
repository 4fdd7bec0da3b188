"""Every sentence of lesson 1 that states a result, checked with the lesson's own computation for the seeds a
teacher may pass (0–4 here; the notebook was read against the printouts for 0–9). Parameters come from the
lesson's ``parameters`` cell (``params``), never copied."""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest
from notebook_params import params

from lib import perceptron as P
from lib.data import logic_table
from lib.exercises import perceptron as ex

SEEDS = range(5)


@pytest.fixture(params=SEEDS, ids=lambda k: f"seed={k}")
def p(request):
    return params("01_perceptron", seed=request.param)


def test_only_nor_without_bias_and_all_four_with_it():
    """«Без смещения справляется только NOR» — and with it every one of AND, OR, NAND, NOR (the grid cell)."""
    without = {n for n in ("AND", "OR", "NAND", "NOR") if P.best_line_on_grid(*logic_table(n), bias=False) == 4}
    assert without == {"NOR"}
    assert all(P.best_line_on_grid(*logic_table(n)) == 4 for n in ("AND", "OR", "NAND", "NOR"))
    assert ex.bias_prediction({"NOR"}, quiet=True)  # the teacher's prediction is the printout's


def test_mcculloch_pitts_units_and_their_perceptrons():
    """«любой нейрон Маккаллока — Питтса можно заменить персептроном … у НЕ хватает w = −1»."""
    for name, unit in P.MP_UNITS.items():
        X, y = logic_table(name)
        np.testing.assert_array_equal(P.mp_output(unit, X), y)
        np.testing.assert_array_equal(P.predict(*unit.as_perceptron(), X), y)
    assert P.MP_UNITS["NOT"].as_perceptron()[0].tolist() == [-1.0]
    for kinds in ("+−", "++−", "+−−", "−−"):  # «любой»: every small unit, every threshold
        for theta in range(len(kinds) + 1):
            unit = P.MPUnit(kinds, theta)
            X = np.array(list(product((0, 1), repeat=len(kinds))))
            np.testing.assert_array_equal(P.predict(*unit.as_perceptron(), X), P.mp_output(unit, X))


def test_hebb_only_grows_and_answers_one_everywhere():
    """«веса растут без конца, и нейрон отвечает 1 на всё» (3 of 4 wrong after 5 epochs)."""
    X, y = logic_table("AND")
    w, b = np.zeros(2), 0.0
    for _ in range(5):
        for x, t in zip(X, y):
            w, b = w + x * t, b + t
    assert np.all(P.predict(w, b, X) == 1) and np.sum(P.predict(w, b, X) != y) == 3
    assert ex.hebb_prediction(3, quiet=True)


def test_and_run_printout(p):
    """The AND run: right answers leave the weights alone; a mistake moves only the weights of inputs equal to
    1, and the bias; (0, 0) is fixed by the bias alone; the formula equals the words rule on every step;
    and the run stops by itself within max_epochs («обучение остановилось само»)."""
    X, y = logic_table("AND")
    w0, b0 = P.initial_weights(2, p["seed"])
    h = P.train(X, y, w0, b0, lr=p["lr"], max_epochs=p["max_epochs"])
    assert h.converged and h.epochs <= p["max_epochs"]
    for s in h.steps:
        if s.error == 0:
            assert not s.dw.any() and s.db == 0
        else:
            np.testing.assert_array_equal(s.dw != 0, s.x == 1)
            assert s.db != 0
        np.testing.assert_array_equal(s.w + s.lr * s.error * (s.x == 1), s.w_new)
    truth = h.mistakes_per_epoch[0]
    assert ex.first_epoch_prediction(truth, X, y, w0, b0, p["lr"], quiet=True)


def test_novikoff_bound_on_and_is_a_ceiling(p):
    """«Оценка — потолок … а не точное число»: from zero weights fewer mistakes than (R/γ)² = 51."""
    X, y = logic_table("AND")
    bound = P.novikoff_bound(X, y, [1, 1], -1.5)
    run = P.train(X, y, lr=p["lr"], max_epochs=p["max_epochs"])
    assert run.converged and run.mistakes < bound.bound and round(bound.bound) == 51
    assert ex.novikoff_prediction("меньше", X, y, p["lr"], bound.bound, quiet=True)


def test_random_points_are_learned_within_the_bound(p):
    """«Обучение всегда заканчивается — если прямая существует»: the random separable points converge within
    max_epochs and with no more mistakes than the bound; the learned line is not the true one."""
    X, y, w, b = P.separable_data(p["n_points"], seed=p["seed"], margin=p["margin"])
    bound = P.novikoff_bound(X, y, w, b)
    run = P.train(X, y, lr=p["lr"], max_epochs=p["max_epochs"])
    assert run.converged and run.mistakes <= bound.bound
    np.testing.assert_array_equal(P.predict(run.w, run.b, X), y)
    assert ex.same_line_prediction("нет", X, y, p["lr"], p["max_epochs"], w, b, quiet=True)


def test_xor_cycles_and_never_converges(p):
    """XOR: best line 3 of 4; the rule never converges and finds a cycle within max_epochs; in the cycle the
    line is pulled both ways (mistakes of both signs); the (0, 0) mistakes move only the bias."""
    X, y = logic_table("XOR")
    assert P.best_line_on_grid(X, y) == 3 and ex.xor_best_prediction(3, quiet=True)
    h = P.train(X, y, *P.initial_weights(2, p["seed"]), lr=p["lr"], max_epochs=p["max_epochs"])
    assert not h.converged and h.cycle is not None and h.cycle.period >= 1
    cycle = h.steps[4 * h.cycle.start : 4 * (h.cycle.start + h.cycle.period)]
    assert {s.error for s in cycle} >= {-1, 1}
    zero = [s for s in h.steps if not s.x.any() and s.error]
    assert zero and all(not s.dw.any() and s.db for s in zero)
    assert ex.xor_prediction("нет", quiet=True)


def test_three_trained_neurons_compute_xor(p):
    """«три нейрона вычисляют XOR»: OR, NAND and AND, each trained alone from the seed's weights."""
    X, y = logic_table("XOR")
    neurons = {}
    for name in ["OR", "NAND", "AND"]:
        run = P.train(*logic_table(name), *P.initial_weights(2, p["seed"]), lr=p["lr"], max_epochs=p["max_epochs"])
        assert run.converged
        neurons[name] = (run.w, run.b)
    hidden = np.column_stack([P.predict(*neurons["OR"], X), P.predict(*neurons["NAND"], X)])
    np.testing.assert_array_equal(P.predict(*neurons["AND"], hidden), y)


def test_fourteen_tables_are_learnable():
    X4 = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    hard = {t for t in product((0, 1), repeat=4) if not P.train(X4, np.array(t), max_epochs=100).converged}
    assert hard == {(0, 1, 1, 0), (1, 0, 0, 1)} and ex.not_learnable(hard, quiet=True)


@pytest.mark.slow
@pytest.mark.parametrize("overrides", [{"max_epochs": 1}, {"lr": 2.0, "n_points": 3}], ids=["max_epochs=1", "lr=2,n=3"])
def test_every_cell_runs_with_other_parameters(overrides, tmp_path):
    """A teacher's papermill run with small budgets reaches the end without an error (max_epochs=2 used to crash
    the XOR cell with AttributeError: no cycle within the budget)."""
    import json

    import run_notebooks

    params("01_perceptron", **overrides)  # only names the parameters cell defines
    out, _ = run_notebooks.run(run_notebooks.resolve("01_perceptron"), overrides, tmp_path)
    nb = json.loads(out.read_text(encoding="utf-8"))
    outputs = [o for c in nb["cells"] for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error" or o.get("name") == "stderr"]
    text = "".join("".join(o.get("text", "")) for o in outputs)
    assert "Пока не решено" in text and "Traceback" not in text
