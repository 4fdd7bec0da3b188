"""Notebook 4's sentences that state measured results, checked for the seeds a teacher may pass (0–4 here;
0–9 were read by hand, see the report of this round). Each test runs the notebook's own computation with its
parameters cell (``params("04_rnn", seed=k)``); the slow training claims read the bench's JSON."""

import pytest
from notebook_params import params

from lib import seqtrain, text
from lib.widgets import rnn as rnn_widgets

SEEDS = range(5)


def _lm(P):
    sents = text.sentences()
    vocab = text.build_vocab(sents)
    d = text.lm_dataset(sents, vocab)
    lm = seqtrain.train_classifier(
        "rnn",
        d.xs,
        d.targets,
        d.mask,
        num_classes=len(vocab),
        hidden_size=P["hidden_size"],
        lr=P["lm_lr"],
        steps=P["lm_steps"],
        seed=P["seed"],
    )
    return lm, vocab


def _top(lm, vocab, phrase):
    return text.top_next_words("rnn", lm.params, lm.readout, vocab, phrase, k=1)[0][0]


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_similar_new_phrases_are_easier_than_mixed_ones(seed):
    """«Похожие фразы … даются ей легче, чем смешанные … Такое слово может перетянуть ответ к чужому
    предложению», and the teacher's answer «да» to «тёмные облака плывут по» → «небу»."""
    lm, vocab = _lm(params("04_rnn", seed=seed))
    right_similar = sum(_top(lm, vocab, p) == w for p, w in text.HELD_OUT_SIMILAR)
    right_mixed = sum(_top(lm, vocab, p) == w for p, w in text.HELD_OUT_MIXED)
    assert _top(lm, vocab, "тёмные облака плывут по") == "небу"
    assert right_similar > right_mixed
    assert right_mixed < len(text.HELD_OUT_MIXED)


@pytest.mark.parametrize("seed", SEEDS)
def test_small_scales_vanish_large_explode(seed):
    """«При малых масштабах норма падает на много порядков … При больших масштабах норма растёт на порядки»,
    and the teacher's answer «<» to the prediction at scale 1 over 99 steps."""
    P = params("04_rnn", seed=seed)
    regimes, curves = {}, {}
    for scale in P["grad_scales"]:
        _, curves[scale] = rnn_widgets.gradient_curve(scale, P["grad_T"], hidden_size=P["hidden_size"], seed=seed)
        regimes[scale] = rnn_widgets.regime(curves[scale])
    smallest, largest = min(P["grad_scales"]), max(P["grad_scales"])
    assert regimes[smallest] == regimes[1.0] == "затухает" and curves[1.0][-1] < 1e-5
    assert regimes[largest] == "взрывается"


@pytest.mark.parametrize("seed", SEEDS)
def test_france_is_far_and_its_gradient_much_weaker(seed):
    """The concrete «Франция» text: the cue lies tens of steps back, where the norm is far below the one at 2 steps."""
    P = params("04_rnn", seed=seed)
    words = text.tokenize(
        "Я вырос во Франции. Мы жили в маленьком городе у моря, и каждое лето к нам приезжали "
        "друзья из разных стран. Потом я переехал в Москву, окончил университет и стал "
        "переводчиком. Я бегло говорю по-французски."
    )
    k = words.index("по-французски") - words.index("франции")
    assert 20 <= k < P["grad_T"]
    _, norms = rnn_widgets.gradient_curve(1.0, P["grad_T"], hidden_size=P["hidden_size"], seed=seed)
    assert norms[k] < 1e-2 * norms[2]


def test_baseline_prediction_is_one_sixth():
    """The teacher's answer 1/6 to «какую MSE получит ответ „всегда 1“» is within the check's tolerance."""
    P = params("04_rnn")
    assert abs(seqtrain.adding_baseline_mse(P["T_long"]) - 1 / 6) <= 0.03


def test_bench_supports_the_closing_sentences():
    """«Падение числа решённых зёрен с ростом задержки при равном бюджете и лучшей для RNN скорости обучения»
    (the markdown after the bench's printout, which takes its first branch), and the teacher's answer «lstm»."""
    bench = seqtrain.adding_benchmark()
    if bench is None:
        pytest.skip("нет bench/results/adding.json (python bench/bench_adding.py)")
    rows, lags = bench["rows"], sorted(bench["protocol"]["lags"])
    rnn_solved = [rows[T, "rnn"]["test_solved"] for T in lags]
    assert rnn_solved == sorted(rnn_solved, reverse=True) and rnn_solved[-1] < rnn_solved[0]
    assert all(rows[T, "lstm"]["test_solved"] >= rows[T, "rnn"]["test_solved"] for T in lags)
    assert rows[100, "lstm"]["test_solved"] > rows[100, "rnn"]["test_solved"]


def test_live_adding_report_never_claims_what_the_numbers_do_not_say():
    """The live run prints «решено» exactly when the test MSE went below the target (its own rule)."""
    P = params("04_rnn")
    res = seqtrain.train_adding("rnn", P["T_short"], hidden_size=8, lr=P["adding_lr"], steps=100, seed=0)
    assert res.solved == (res.test_mse.min() < res.target)
    assert not res.solved or res.test_mse[list(res.eval_steps).index(res.solved_step)] < res.target
