"""Handwritten digits 8×8 (UCI «Optical Recognition of Handwritten Digits»), shipped with the course.

The file ``lib/datasets/digits.csv.gz`` holds 1797 images, one a line: 64 pixel values 0…16 (an 8×8 image,
row by row) and the digit 0…9. Source and licence: ``lib/datasets/README.md`` (E. Alpaydin, C. Kaynak, UCI ML
Repository, 1998, CC BY 4.0). Nothing is downloaded: the data load offline.

    >>> X, y = load_digits()                        # X: (1797, 64) in [0, 1], y: (1797,) of 0…9
    >>> X_train, X_test, y_train, y_test = digits_split(seed=0)   # the course's fixed split
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from lib.checks import as_array, check_positive

__all__ = [
    "DATA_PATH",
    "N_IMAGES",
    "N_PIXELS",
    "IMAGE_SHAPE",
    "N_CLASSES",
    "load_digits",
    "stratified_split",
    "digits_split",
    "as_image",
    "show_digit",
    "ink_profiles",
]

DATA_PATH = Path(__file__).resolve().parent / "datasets" / "digits.csv.gz"
N_IMAGES = 1797
N_PIXELS = 64
IMAGE_SHAPE = (8, 8)
N_CLASSES = 10
MAX_PIXEL = 16


@lru_cache(maxsize=1)
def _read_raw() -> np.ndarray:
    """The file as an int array ``(1797, 65)``: 64 pixels then the label (read once, then cached)."""
    with gzip.open(DATA_PATH, "rt", encoding="ascii") as fh:
        raw = np.loadtxt(fh, delimiter=",", dtype=np.int64)
    raw.setflags(write=False)
    return raw


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """All 1797 digits: ``X: (1797, 64)`` float64 pixels scaled to [0, 1] (0 = white paper, 1 = ink),
    ``y: (1797,)`` int labels 0…9. Returns fresh arrays (safe to modify)."""
    raw = _read_raw()
    X = raw[:, :N_PIXELS].astype(np.float64) / MAX_PIXEL
    y = raw[:, N_PIXELS].astype(np.int64)
    return X, y


def stratified_split(X, y, *, test_fraction: float = 0.25, seed: int = 0):
    """Split ``X: (N, D)``, ``y: (N,)`` into train and test, keeping every class's share the same in both.

    In each class, ``round(test_fraction · n_class)`` examples (chosen at random with ``seed``) go to the test
    part; both parts are then shuffled. Same arguments → same split. Returns
    ``X_train: (N_train, D), X_test: (N_test, D), y_train: (N_train,), y_test: (N_test,)``.
    """
    X = as_array("X", X, ndim=2)
    y = np.asarray(y)
    if y.ndim != 1 or y.dtype.kind not in "iu":
        raise ValueError(f"y: ожидался одномерный массив целых меток, получен массив формы {y.shape} типа {y.dtype}")
    if len(y) != len(X):
        raise ValueError(f"y: ожидалось {len(X)} меток (по одной на строку X), получено {len(y)}")
    check_positive("test_fraction", test_fraction)
    if not test_fraction < 1:
        raise ValueError(f"test_fraction: ожидалась доля строго между 0 и 1, получено {test_fraction!r}")
    rng = np.random.default_rng(seed)
    test_idx = []
    for cls in np.unique(y):
        members = np.flatnonzero(y == cls)
        n_test = int(round(test_fraction * len(members)))
        test_idx.append(rng.permutation(members)[:n_test])
    test_idx = np.concatenate(test_idx)
    is_test = np.zeros(len(y), dtype=bool)
    is_test[test_idx] = True
    train_idx = rng.permutation(np.flatnonzero(~is_test))
    test_idx = rng.permutation(test_idx)
    return X[train_idx], X[test_idx], y[train_idx], y[test_idx]


def digits_split(*, test_fraction: float = 0.25, seed: int = 0):
    """The course's fixed split of the digits (notebooks 2 and 3 use the same one, so their accuracies compare).

    With the defaults: 1347 training and 450 test images. Returns ``X_train, X_test, y_train, y_test``.
    """
    X, y = load_digits()
    return stratified_split(X, y, test_fraction=test_fraction, seed=seed)


def as_image(x) -> np.ndarray:
    """One digit (or any 64 numbers, e.g. a neuron's weights) as an 8×8 image: ``x: (64,)`` → ``(8, 8)``."""
    x = as_array("x", x, ndim=1)
    if x.shape != (N_PIXELS,):
        raise ValueError(f"x: ожидалась форма ({N_PIXELS},) (картинка 8×8), получена {x.shape}")
    return x.reshape(IMAGE_SHAPE)


def show_digit(
    ax, x, *, title: str | None = None, signed: bool = False, fontsize: int = 12, lim: float | None = None, mask=None
):
    """Draw 64 numbers as an 8×8 picture on ``ax``: no ticks, a thin grey frame.

    ``signed=False``: a digit, white paper (0) to black ink (1). ``signed=True``: weights, red for positive
    and blue for negative, symmetric around 0 (colour-blind safe ``RdBu_r``), saturating at ``lim`` (default:
    the largest ``|x|`` outside ``mask``). ``mask: (64,)`` of bools: those cells are drawn plain light grey
    ("nothing to see here"). Returns the ``AxesImage``.
    """
    img = as_image(x)
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        if mask.shape != (N_PIXELS,):
            raise ValueError(f"mask: ожидалась форма ({N_PIXELS},), получена {mask.shape}")
        img = np.ma.masked_where(mask.reshape(IMAGE_SHAPE), img)
    if signed:
        lim = (float(np.abs(img).max()) if lim is None else float(lim)) or 1.0
        cmap = plt.get_cmap("RdBu_r").with_extremes(bad="#DDDDDD")
        im = ax.imshow(img, cmap=cmap, vmin=-lim, vmax=lim, interpolation="nearest")
    else:
        cmap = plt.get_cmap("gray_r").with_extremes(bad="#DDDDDD")
        im = ax.imshow(img, cmap=cmap, vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set(visible=True, color="#999999", linewidth=0.8)
    if title is not None:
        ax.set_title(title, fontsize=fontsize)
    return im


def ink_profiles(X) -> np.ndarray:
    """Hand-made features of digits (the "feature extraction" of notebook 3): how much ink each of the 8 rows
    and each of the 8 columns holds (mean pixel). ``X: (N, 64)`` → ``(N, 16)``: 8 row values, then 8 columns."""
    X = as_array("X", X, ndim=2)
    if X.shape[1] != N_PIXELS:
        raise ValueError(f"X: ожидалась форма (N, {N_PIXELS}), получена {X.shape}")
    images = X.reshape(-1, *IMAGE_SHAPE)
    return np.hstack([images.mean(axis=2), images.mean(axis=1)])
