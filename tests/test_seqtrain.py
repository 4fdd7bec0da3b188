"""lib.seqtrain: the model registry, the gradients of both losses, the trainers, and the fair adding-problem
benchmark that notebooks 4 and 5 show (read from its JSON)."""

import json
from pathlib import Path

import numpy as np
import pytest

from lib import rnn, seqtrain
from lib.numerics import numeric_gradient
from lib.seqtrain import (
    MODELS,
    Readout,
    SeqModel,
    adding_baseline_mse,
    get_model,
    init_readout,
    predict_adding,
    predict_proba,
    single_thread_blas,
    train_adding,
    train_classifier,
)


def test_models_registry_lists_both_and_resolves_them():
    from lib import lstm

    assert list(MODELS) == ["rnn", "lstm"] and len(MODELS) == 2
    m = MODELS["rnn"]
    assert m == SeqModel("rnn", rnn.init_params, rnn.rnn_forward, rnn.rnn_backward)
    assert get_model("rnn") is m and get_model(m) is m
    assert MODELS["lstm"].forward is lstm.lstm_forward and "lstm" in MODELS and "gru" not in MODELS


def test_unknown_model_is_one_error_everywhere():
    """``MODELS[name]`` and ``get_model(name)`` both raise ValueError listing the known models."""
    for lookup in (get_model, MODELS.__getitem__):
        with pytest.raises(ValueError, match="model: ожидалось одно из 'rnn', 'lstm' или SeqModel, получено 'gru'"):
            lookup("gru")
    with pytest.raises(TypeError, match="model: ожидалось имя модели"):
        get_model(3)


def test_softmax_is_the_one_of_numerics():
    from lib import numerics

    assert seqtrain.softmax is numerics.softmax


def test_adding_loss_gradients_match_finite_differences():
    from lib.data import adding_problem

    m = get_model("rnn")
    p = m.init_params(2, 5, seed=0)
    r = init_readout(5, 1, seed=1)
    xs, y = adding_problem(4, 6, seed=0)
    loss, grads, rgrads = seqtrain._adding_loss_and_grads(m, p, r, xs, y)

    def f():
        return seqtrain._adding_loss_and_grads(m, p, r, xs, y)[0]

    assert loss == pytest.approx(f())
    np.testing.assert_allclose(grads.W, numeric_gradient(f, p.W), atol=1e-8)
    np.testing.assert_allclose(grads.b, numeric_gradient(f, p.b), atol=1e-8)
    np.testing.assert_allclose(rgrads.V, numeric_gradient(f, r.V), atol=1e-8)
    np.testing.assert_allclose(rgrads.c, numeric_gradient(f, r.c), atol=1e-8)


def test_classifier_loss_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    m = get_model("rnn")
    p = m.init_params(3, 4, seed=0)
    r = init_readout(4, 5, seed=1)
    xs = rng.standard_normal((4, 2, 3))
    targets = rng.integers(0, 5, size=(4, 2))
    weights = np.array([[0, 1], [1, 0], [0, 0], [1, 1]], dtype=float) / 4

    def f():
        return seqtrain._classifier_loss_and_grads(m, p, r, xs, targets, weights)[0]

    _, grads, rgrads = seqtrain._classifier_loss_and_grads(m, p, r, xs, targets, weights)
    np.testing.assert_allclose(grads.W, numeric_gradient(f, p.W), atol=1e-8)
    np.testing.assert_allclose(grads.b, numeric_gradient(f, p.b), atol=1e-8)
    np.testing.assert_allclose(rgrads.V, numeric_gradient(f, r.V), atol=1e-8)
    np.testing.assert_allclose(rgrads.c, numeric_gradient(f, r.c), atol=1e-8)


def test_baseline_is_variance_of_the_sum():
    assert adding_baseline_mse(10) == pytest.approx(1 / 6, abs=0.02)


def test_rnn_solves_adding_T10_quickly_and_deterministically():
    """Notebook 4's claim: a tanh RNN (H = 32, Adam, lr 1e-2, clipping) solves the adding problem at T = 10."""
    a = train_adding("rnn", 10, lr=1e-2, steps=1000, seed=0)
    assert a.solved and a.final_mse < 0.01 and a.solved_step <= 500
    assert a.test_mse[0] > 0.5  # it did have to learn
    b = train_adding("rnn", 10, lr=1e-2, steps=1000, seed=0)
    np.testing.assert_array_equal(a.losses, b.losses)
    assert a.steps == a.solved_step == a.eval_steps[-1] == len(a.losses)
    assert np.mean((predict_adding("rnn", a.params, a.readout, *_test_xs(10)) - _test_y(10)) ** 2) < 0.01


def _test_xs(T):
    from lib.data import adding_problem

    return (adding_problem(500, T, seed=seqtrain.TEST_SEED)[0],)


def _test_y(T):
    from lib.data import adding_problem

    return adding_problem(500, T, seed=seqtrain.TEST_SEED)[1]


def test_validation_set_decides_and_test_set_is_only_measured():
    res = train_adding(
        "rnn",
        5,
        hidden_size=4,
        lr=1e-2,
        steps=40,
        eval_every=10,
        n_val=50,
        target=10.0,
        stop_at_target=True,
        batch_size=8,
    )
    assert res.val_mse is not None and len(res.val_mse) == len(res.test_mse) == len(res.eval_steps)
    assert res.solved_step == 10 and res.steps == 10  # stopped by the validation MSE
    assert not np.allclose(res.val_mse, res.test_mse)  # two different sets
    plain = train_adding("rnn", 5, hidden_size=4, lr=1e-2, steps=20, eval_every=10, batch_size=8)
    assert plain.val_mse is None
    assert seqtrain.VAL_SEED != seqtrain.TEST_SEED


def test_train_adding_options():
    res = train_adding(
        "rnn", 5, hidden_size=4, lr=1e-2, steps=30, eval_every=10, stop_at_target=False, target=10.0, batch_size=8
    )
    assert res.steps == 30 and list(res.eval_steps) == [0, 10, 20, 30]
    assert res.solved_step == 10 and res.solved_seconds is not None
    timed = train_adding("rnn", 5, hidden_size=4, steps=None, max_seconds=0.05, batch_size=8)
    assert timed.steps >= 1 and timed.eval_steps[-1] == timed.steps
    custom = SeqModel("mine", rnn.init_params, rnn.rnn_forward, rnn.rnn_backward)
    assert train_adding(custom, 5, hidden_size=4, steps=3).model == "mine"


def test_train_adding_validates():
    with pytest.raises(ValueError, match="steps: задайте число шагов"):
        train_adding("rnn", 5, steps=None)
    with pytest.raises(ValueError, match="lr: ожидалось число > 0"):
        train_adding("rnn", 5, lr=0.0, steps=3)
    with pytest.raises(TypeError, match="T: ожидалось целое"):
        train_adding("rnn", 5.5, steps=3)
    with pytest.raises(ValueError, match="n_val: ожидалось число ≥ 0"):
        train_adding("rnn", 5, steps=3, n_val=-1)


def _copy_task(N=64, T=3, K=3, seed=0):
    """Remember the first symbol until the last step."""
    rng = np.random.default_rng(seed)
    sym = rng.integers(0, K, size=(T, N))
    xs = np.eye(K)[sym]
    targets = np.zeros((T, N), dtype=int)
    targets[-1] = sym[0]
    mask = np.zeros((T, N))
    mask[-1] = 1
    return xs, targets, mask


def test_train_classifier_learns_a_short_memory_task():
    xs, targets, mask = _copy_task()
    res = train_classifier("rnn", xs, targets, mask, hidden_size=8, lr=3e-2, steps=150, seed=0)
    assert res.losses[-1] < 0.1 * res.losses[0]
    probs = predict_proba("rnn", res.params, res.readout, xs)
    assert probs.shape == (3, 64, 3)
    np.testing.assert_allclose(probs.sum(-1), 1.0)
    assert np.mean(probs[-1].argmax(-1) == targets[-1]) == 1.0
    mini = train_classifier("rnn", xs, targets, mask, hidden_size=8, steps=5, batch_size=16, seed=0)
    assert mini.steps == 5 and isinstance(mini.readout, Readout)


def test_train_classifier_validates():
    xs, targets, mask = _copy_task()
    with pytest.raises(ValueError, match=r"targets: ожидалась форма \(3, 64\)"):
        train_classifier("rnn", xs, targets[:, :5], mask, steps=1)
    with pytest.raises(ValueError, match="targets: ожидались номера классов"):
        train_classifier("rnn", xs, targets + 0.5, mask, steps=1)
    with pytest.raises(ValueError, match="mask: ожидались только 0 и 1"):
        train_classifier("rnn", xs, targets, mask * 2, steps=1)
    with pytest.raises(ValueError, match="mask: ни один шаг"):
        train_classifier("rnn", xs, targets, mask * 0, steps=1)
    with pytest.raises(ValueError, match="targets: ожидались классы от 0 до 1"):
        train_classifier("rnn", xs, targets, mask, steps=1, num_classes=2)
    with pytest.raises(ValueError, match="xs: ожидалось осей: 3"):
        train_classifier("rnn", xs[0], targets, mask, steps=1)


def test_single_thread_blas_restores_the_setting():
    from threadpoolctl import threadpool_info

    def blas_threads():
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    before = blas_threads()
    with single_thread_blas():
        assert all(n == 1 for n in blas_threads())
    assert blas_threads() == before


BENCH = Path(__file__).resolve().parents[1] / "bench" / "results" / "adding.json"


@pytest.fixture(scope="module")
def bench():
    if not BENCH.exists():
        pytest.skip("нет bench/results/adding.json (python bench/bench_adding.py)")
    return json.loads(BENCH.read_text(encoding="utf-8"))


def test_bench_protocol_is_fair(bench):
    """Equal budget, a grid of rates per model, several seeds, selection on validation data, every cell done."""
    proto = bench["protocol"]
    grids = proto["lrs"]  # each model's own grid of rates
    assert bench["complete"] and proto["seeds"] >= 3 and all(len(g) >= 2 for g in grids.values())
    assert set(proto["lags"]) >= {10, 50, 100} and set(proto["models"]) == {"rnn", "lstm"}
    assert proto["n_val"] > 0 and proto["n_test"] > 0
    for row in bench["rows"]:
        assert row["lr"] in grids[row["model"]] and max(row["steps"]) <= proto["steps"]
        assert len(row["test_mse"]) == proto["seeds"]
        assert set(row["val_mse_by_lr"]) == {f"{lr:g}" for lr in grids[row["model"]]}
    runs = {(r["model"], r["T"], r["lr"], r["seed"]) for r in bench["runs"]}
    assert len(runs) == sum(len(g) for g in grids.values()) * len(proto["lags"]) * proto["seeds"]


def test_bench_rate_was_chosen_on_validation_only(bench):
    """Re-choose each row's rate from the stored runs with the bench's own rule: the same rate comes out."""
    from bench_adding import choose_lr

    for row in bench["rows"]:
        by_lr = {}
        for r in bench["runs"]:
            if r["model"] == row["model"] and r["T"] == row["T"]:
                by_lr.setdefault(r["lr"], []).append(r)
        assert choose_lr(by_lr) == row["lr"]
        chosen = sorted(by_lr[row["lr"]], key=lambda r: r["seed"])
        assert [r["test_mse"] for r in chosen] == row["test_mse"]
        assert row["test_solved"] == sum(r["test_mse"] < bench["protocol"]["target"] for r in chosen)
