"""The sentences of notebook 2 that state a measured result, checked for seeds 0–4 with the notebook's own
parameters (``params("02_layer", seed=k)``). Each assert names the sentence it keeps true; the teacher's
answers to the predictions must stay right for every seed too."""

import numpy as np
import pytest
from notebook_params import params

from lib import layer as L
from lib.digits import digits_split
from lib.exercises import layer as ex
from lib.numerics import numeric_gradient, relative_error

SEEDS = range(5)
pytestmark = pytest.mark.slow  # about 10 s: five splits of trainings per seed


def settings_of(P):
    return {
        "epochs": P["epochs"],
        "lrs": tuple(P["softmax_lrs"]),
        "batch_size": P["softmax_batch"],
        "val_fraction": P["val_fraction"],
        "test_fraction": P["test_fraction"],
    }


@pytest.fixture(scope="module", params=SEEDS, ids=lambda k: f"seed={k}")
def lesson(request):
    P = params("02_layer", seed=request.param)
    split = digits_split(test_fraction=P["test_fraction"], seed=P["seed"])
    runs = [L.compare_on_digits(s, **settings_of(P)) for s in range(P["seed"], P["seed"] + P["n_splits"])]
    return P, split, runs


def test_perceptron_training_sentences(lesson):
    P, (Xtr, _, ytr, _), runs = lesson
    m = runs[0].mistakes
    _, m_again = L.train_perceptron(Xtr, ytr, epochs=P["epochs"], seed=P["seed"])
    assert np.array_equal(m, m_again)  # the notebook's p_perc is the comparison's one
    assert 0.2 < m[0] / len(Xtr) <= 0.25  # «почти на каждой четвёртой картинке»
    assert m[-1] < m[0] / 3  # «дальше всё реже»
    assert m[-1] > 0 and np.any(np.diff(m) > 0)  # «до нуля не доходят, и число исправлений скачет»
    assert ex.zero_mistakes("нет", Xtr, ytr, epochs=P["epochs"], seed=P["seed"], quiet=True)


def test_training_images_are_separable_but_slowly(lesson):
    P, (Xtr, _, ytr, _), _ = lesson
    _, m = L.train_perceptron(Xtr, ytr, epochs=P["long_epochs"], seed=P["seed"], until_no_mistakes=True)
    assert m[-1] == 0  # «обучающие картинки можно разделить»
    assert len(m) >= 2 * P["epochs"]  # «по меньшей мере вдвое больше, чем epochs»


def test_eta_does_not_matter_from_zero_weights(lesson):
    P, (Xtr, Xte, ytr, yte), _ = lesson
    answers = [
        L.predict(L.train_perceptron(Xtr, ytr, epochs=P["epochs"], lr=lr, seed=P["seed"])[0], Xte) for lr in (1.0, 2.0)
    ]
    assert np.array_equal(*answers)  # «какой нейрон побеждает, от этого не зависит»
    assert ex.lr_matters("нет", Xtr, ytr, Xte, yte, epochs=P["epochs"], seed=P["seed"], quiet=True)


def test_comparison_sentences(lesson):
    P, _, runs = lesson
    acc_p = np.array([r.acc_perc for r in runs])
    acc_s = np.array([r.acc_soft for r in runs])
    assert acc_s.mean() > acc_p.mean()  # «в среднем софтмакс-слой точнее»
    assert acc_p.std() > acc_s.std()  # «точность правила персептрона скачет сильнее»
    assert ex.softmax_wins("софтмакс", range(P["seed"], P["seed"] + P["n_splits"]), **settings_of(P), quiet=True)
    losses = runs[0].losses
    assert losses[-1] < losses[0] / 5  # «потеря в целом падает»


def test_confusion_sentences(lesson):
    _, (_, Xte, _, yte), runs = lesson
    C_p = L.confusion_matrix(yte, L.predict(runs[0].p_perc, Xte))
    C_s = L.confusion_matrix(yte, L.predict(runs[0].p_soft, Xte))
    fewer, more, _ = L.compare_cells(C_p, C_s)
    assert fewer > more >= 1  # «клеток, где софтмакс ошибается реже, больше, … но и такие есть»


def test_only_neuron_zero_looks_like_its_digit(lesson):
    _, _, runs = lesson
    for p in (runs[0].p_perc, runs[0].p_soft):  # «нейрон „ноль“: кольцо с синим центром»
        w0 = p.W[0].reshape(8, 8)
        assert np.all(w0[3:5, 3:5] < 0) and w0[[1, 6], 2:6].mean() > 0 and w0[2:6, [1, 6]].mean() > 0


def test_finite_differences_agree(lesson):
    P, (Xtr, _, ytr, _), _ = lesson
    p = L.init_layer(64, 10, seed=P["seed"], scale=0.1)
    X, y = Xtr[:8], ytr[:8]
    _, g = L.softmax_loss_and_grads(p, X, y)
    W = p.W.copy()
    num = numeric_gradient(lambda: L.softmax_loss_and_grads(L.LayerParams(W, p.b), X, y)[0], W)
    assert relative_error(g.W, num) < 1e-8  # «расхождение порядка 1e-9 и меньше»
