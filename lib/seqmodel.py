"""What the recurrent trainers share (``lib.seqtrain``, ``lib.adding``): a model as three functions
(``SeqModel``, the registry ``MODELS``, ``get_model``), the linear ``Readout`` on its hidden states, one
Adam step over both with global-norm clipping (``Trainer``), the checks of the training arguments, and
``single_thread_blas``. Every public name is re-exported by ``lib.seqtrain``, whose docstring is the contract.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from threadpoolctl import threadpool_limits

from lib import lstm, rnn
from lib.checks import check_positive
from lib.optim import Adam, clip_by_global_norm

__all__ = [
    "MODELS",
    "Readout",
    "SeqModel",
    "Trainer",
    "check_training_args",
    "get_model",
    "init_readout",
    "single_thread_blas",
]


@contextlib.contextmanager
def single_thread_blas():
    """Run the block (or decorated function) with the BLAS library on one thread, restored afterwards.

    A recurrent step multiplies small matrices (``(B, H) @ (H, H)``, B = 64, H = 32): splitting each of them
    over threads costs more than it saves, and on a shared 2-core machine it made training several times
    slower. ``threadpoolctl`` finds numpy's OpenBLAS (or MKL) whatever its build.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        yield


class SeqModel(NamedTuple):
    """A recurrent model as three functions (see the docstring of ``lib.seqtrain``)."""

    name: str
    init_params: Callable
    forward: Callable
    backward: Callable


class _Registry(dict):
    """``{name: SeqModel}``; an unknown name raises ``ValueError`` listing the known ones (as ``get_model`` does)."""

    def __missing__(self, name):
        opts = ", ".join(repr(k) for k in self)
        raise ValueError(f"model: ожидалось одно из {opts} или SeqModel, получено {name!r}")


MODELS: dict[str, SeqModel] = _Registry(
    rnn=SeqModel("rnn", rnn.init_params, rnn.rnn_forward, rnn.rnn_backward),
    lstm=SeqModel("lstm", lstm.init_params, lstm.lstm_forward, lstm.lstm_backward),
)


def get_model(model) -> SeqModel:
    """A ``SeqModel`` from a name in ``MODELS`` (``"rnn"``, ``"lstm"``) or a ``SeqModel`` itself."""
    if isinstance(model, SeqModel):
        return model
    if isinstance(model, str):
        return MODELS[model]
    raise TypeError(f"model: ожидалось имя модели (str) или SeqModel, получено {type(model).__name__}")


class Readout(NamedTuple):
    """A linear layer on a hidden state: ``V: (K, H)``, ``c: (K,)``; ``output = h Vᵀ + c``."""

    V: np.ndarray
    c: np.ndarray


def init_readout(hidden_size: int, out_size: int, seed: int = 0) -> Readout:
    """``V ~ N(0, 1/H)``, ``c = 0``."""
    check_positive("hidden_size", hidden_size, integer=True)
    check_positive("out_size", out_size, integer=True)
    rng = np.random.default_rng(seed)
    return Readout(V=rng.standard_normal((out_size, hidden_size)) / np.sqrt(hidden_size), c=np.zeros(out_size))


class Trainer:
    """Adam over (model params, readout) together, with global-norm clipping across both."""

    def __init__(self, params, readout: Readout, lr: float, clip: float | None):
        self.params, self.readout, self.clip = params, readout, clip
        self.n = len(params)
        self.opt = Adam(lr=lr)

    def step(self, grads, rgrads: Readout) -> None:
        flat = list(grads) + list(rgrads)
        if self.clip is not None:
            flat = clip_by_global_norm(flat, self.clip)
        new = self.opt.step(list(self.params) + list(self.readout), flat)
        self.params = type(self.params)(*new[: self.n])
        self.readout = Readout(*new[self.n :])


def check_training_args(lr, steps, max_seconds, clip):
    check_positive("lr", lr)
    if steps is None and max_seconds is None:
        raise ValueError("steps: задайте число шагов steps или бюджет времени max_seconds (оба None)")
    if steps is not None:
        check_positive("steps", steps, integer=True)
    if max_seconds is not None:
        check_positive("max_seconds", max_seconds)
    if clip is not None:
        check_positive("clip", clip)
