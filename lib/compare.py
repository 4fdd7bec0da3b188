"""Lesson 3's comparison on the digits: the softmax layer of lesson 2 against the network with one hidden layer.

Fair in the sense of issue 10: each model gets its own learning rate, chosen from a small grid on a validation
part cut from the split's TRAINING images only (the layer with ``lib.layer.choose_softmax_lr``, the network with
``choose_mlp_lr`` on the very same validation part); both then train on all training images with the same
budget (``epochs`` passes in batches of ``batch_size``) and are scored once on the test images, which neither saw.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from lib import layer, mlp
from lib.checks import check_positive
from lib.digits import digits_split, stratified_split

__all__ = ["LayersComparison", "choose_mlp_lr", "compare_layers", "mlp_steps"]


def mlp_steps(n: int, epochs: int, batch_size: int) -> int:
    """Updates of ``mlp.train`` that make ``epochs`` passes over ``n`` images in batches of ``batch_size`` —
    as many batches as ``layer.train_softmax`` takes for the same ``epochs`` (the last batch of a pass may be short)."""
    check_positive("n", n, integer=True)
    check_positive("epochs", epochs, integer=True)
    check_positive("batch_size", batch_size, integer=True)
    return epochs * int(np.ceil(n / batch_size))


def choose_mlp_lr(
    X_train,
    y_train,
    *,
    hidden_units: int = 32,
    lrs=(0.003, 0.01, 0.03),
    epochs: int = 40,
    batch_size: int = 64,
    val_fraction: float = 0.2,
    seed: int = 0,
) -> tuple[float, dict]:
    """Pick Adam's learning rate of a ``D → hidden_units → 10`` sigmoid network on a validation split of the
    TRAINING data only — the same split (``stratified_split``, ``val_fraction``, ``seed``) that
    ``layer.choose_softmax_lr`` cuts. ``X_train: (N, D)``. For every ``lr`` the network (initial weights
    ``seed``) trains ``epochs`` passes over the rest and is scored on the set-aside part. Returns the best
    ``lr`` (ties: the smaller one) and ``{lr: validation accuracy}``."""
    X_fit, X_val, y_fit, y_val = stratified_split(X_train, y_train, test_fraction=val_fraction, seed=seed)
    steps = mlp_steps(len(X_fit), epochs, batch_size)
    scores = {}
    for lr in lrs:
        p0 = mlp.init_mlp(X_fit.shape[1], hidden_units, 10, seed=seed)
        p, _ = mlp.train(p0, X_fit, y_fit, steps=steps, lr=lr, batch_size=batch_size, seed=seed)
        scores[float(lr)] = mlp.accuracy(p, X_val, y_val)
    best = max(scores, key=lambda lr: (scores[lr], -lr))
    return best, scores


class LayersComparison(NamedTuple):
    """One split of the digits (``seed``): the softmax layer (``p_layer`` at its validated ``layer_lr``,
    ``layer_scores`` = validation accuracy of every tried rate) and the network (``p_mlp`` at ``mlp_lr``,
    ``mlp_scores``); ``acc_layer``/``acc_mlp`` on the test part."""

    seed: int
    layer_lr: float
    layer_scores: dict
    p_layer: layer.LayerParams
    acc_layer: float
    mlp_lr: float
    mlp_scores: dict
    p_mlp: mlp.MLPParams
    acc_mlp: float


@lru_cache(maxsize=64)
def compare_layers(
    seed: int = 0,
    *,
    hidden_units: int = 32,
    epochs: int = 40,
    batch_size: int = 64,
    layer_lrs=(1.0, 3.0, 10.0),
    mlp_lrs=(0.003, 0.01, 0.03),
    select_epochs: int | None = None,
    val_fraction: float = 0.2,
) -> LayersComparison:
    """The softmax layer against the ``64 → hidden_units → 10`` network on ``digits_split(seed=seed)``.

    Each model's rate is chosen from its grid on the validation part of the training images, training
    ``select_epochs`` passes there (``None``: ``epochs``); then both train ``epochs`` passes over all training
    images in batches of ``batch_size`` (the same number of batches) and are scored once on the test images.
    Cached: the same arguments give the same (shared) result, so a check and the experiment after it train
    only once — do not modify it."""
    select_epochs = epochs if select_epochs is None else select_epochs
    X_tr, X_te, y_tr, y_te = digits_split(seed=seed)
    common = {"epochs": select_epochs, "batch_size": batch_size, "val_fraction": val_fraction, "seed": seed}
    layer_lr, layer_scores = layer.choose_softmax_lr(X_tr, y_tr, lrs=tuple(layer_lrs), **common)
    mlp_lr, mlp_scores = choose_mlp_lr(X_tr, y_tr, hidden_units=hidden_units, lrs=tuple(mlp_lrs), **common)
    p_layer, _ = layer.train_softmax(X_tr, y_tr, epochs=epochs, lr=layer_lr, batch_size=batch_size, seed=seed)
    p0 = mlp.init_mlp(X_tr.shape[1], hidden_units, 10, seed=seed)
    steps = mlp_steps(len(X_tr), epochs, batch_size)
    p_mlp, _ = mlp.train(p0, X_tr, y_tr, steps=steps, lr=mlp_lr, batch_size=batch_size, seed=seed)
    return LayersComparison(
        seed,
        layer_lr,
        layer_scores,
        p_layer,
        layer.accuracy(p_layer, X_te, y_te),
        mlp_lr,
        mlp_scores,
        p_mlp,
        mlp.accuracy(p_mlp, X_te, y_te),
    )
