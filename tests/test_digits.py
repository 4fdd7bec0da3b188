"""The shipped digits file and its loader/split (lib.digits)."""

import hashlib

import numpy as np
import pytest

from lib import digits
from lib.digits import as_image, digits_split, load_digits, stratified_split

SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"


def test_file_is_the_documented_one():
    assert hashlib.sha256(digits.DATA_PATH.read_bytes()).hexdigest() == SHA256
    readme = (digits.DATA_PATH.parent / "README.md").read_text(encoding="utf-8")
    assert SHA256 in readme and "CC BY 4.0" in readme and "Alpaydin" in readme


def test_shapes_range_and_labels():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype.kind == "i"
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.allclose(X * 16, np.round(X * 16))  # pixels were integers 0…16
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert int(round(X.sum() * 16)) == 561718  # checksum of the pixel values


def test_load_returns_fresh_arrays():
    X, y = load_digits()
    X[:] = -1
    y[:] = -1
    X2, y2 = load_digits()
    assert X2.min() == 0.0 and y2.min() == 0


def test_split_is_fixed_stratified_and_disjoint():
    Xtr, Xte, ytr, yte = digits_split(seed=0)
    assert Xtr.shape == (1347, 64) and Xte.shape == (450, 64)
    assert ytr.shape == (1347,) and yte.shape == (450,)
    # every class keeps its share: round(0.25 · n_class) in the test part
    X, y = load_digits()
    assert np.bincount(yte).tolist() == [int(round(0.25 * n)) for n in np.bincount(y)]
    # same seed → same split; the two parts together are the whole data set, no image twice
    again = digits_split(seed=0)
    for a, b in zip((Xtr, Xte, ytr, yte), again):
        assert np.array_equal(a, b)
    rows = {tuple(r) for r in np.vstack([Xtr, Xte]).round(6)}
    assert len(np.vstack([Xtr, Xte])) == 1797
    assert len(rows) == len({tuple(r) for r in X.round(6)})
    other = digits_split(seed=1)
    assert not np.array_equal(other[3], yte)


def test_stratified_split_small():
    X = np.arange(20, dtype=float).reshape(10, 2)
    y = np.array([0] * 4 + [1] * 6)
    Xtr, Xte, ytr, yte = stratified_split(X, y, test_fraction=0.5, seed=3)
    assert sorted(yte.tolist()) == [0, 0, 1, 1, 1]
    assert sorted(np.concatenate([Xtr, Xte])[:, 0].tolist()) == X[:, 0].tolist()
    for row, label in zip(np.concatenate([Xtr, Xte]), np.concatenate([ytr, yte])):
        assert y[int(row[0]) // 2] == label  # rows keep their labels


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(test_fraction=0.0), "test_fraction"),
        (dict(test_fraction=1.0), "test_fraction"),
        (dict(test_fraction=-0.2), "test_fraction"),
    ],
)
def test_split_rejects_bad_fraction(kwargs, match):
    with pytest.raises(ValueError, match=match):
        stratified_split(np.zeros((4, 2)), np.array([0, 0, 1, 1]), **kwargs)


def test_split_rejects_bad_labels():
    with pytest.raises(ValueError, match="y: ожидалось 4 меток"):
        stratified_split(np.zeros((4, 2)), np.array([0, 1, 1]))
    with pytest.raises(ValueError, match="y: ожидался одномерный массив целых"):
        stratified_split(np.zeros((4, 2)), np.array([0.0, 1.0, 1.0, 0.0]))
    with pytest.raises(ValueError, match="X: ожидалось осей: 2"):
        stratified_split(np.zeros(4), np.array([0, 1, 1, 0]))


def test_as_image():
    X, _ = load_digits()
    img = as_image(X[0])
    assert img.shape == (8, 8) and img[0, 2] == X[0, 2]
    with pytest.raises(ValueError, match=r"x: ожидалась форма \(64,\)"):
        as_image(np.zeros(63))
    with pytest.raises(ValueError, match="NaN"):
        as_image(np.full(64, np.nan))


def test_ink_profiles():
    X = np.zeros((2, 64))
    X[0, :8] = 1.0  # first row fully inked
    X[1, ::8] = 0.5  # first column half inked
    F = digits.ink_profiles(X)
    assert F.shape == (2, 16)
    assert F[0, 0] == 1.0 and np.allclose(F[0, 1:8], 0) and np.allclose(F[0, 8:], 1 / 8)
    assert np.allclose(F[1, :8], 0.5 / 8) and F[1, 8] == 0.5 and np.allclose(F[1, 9:], 0)
    with pytest.raises(ValueError, match=r"X: ожидалась форма \(N, 64\)"):
        digits.ink_profiles(np.zeros((2, 63)))


def test_show_digit():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    x = np.linspace(-1, 2, 64)
    im = digits.show_digit(ax, x, signed=True, title="w")
    assert im.get_array().shape == (8, 8) and im.get_clim() == (-2.0, 2.0) and ax.get_title() == "w"
    mask = np.zeros(64, dtype=bool)
    mask[63] = True
    im = digits.show_digit(ax, x, signed=True, mask=mask)
    assert im.get_clim()[1] < 2.0 and np.ma.is_masked(im.get_array())
    im = digits.show_digit(ax, np.clip(x, 0, 1))
    assert im.get_clim() == (0.0, 1.0)
    with pytest.raises(ValueError, match="mask"):
        digits.show_digit(ax, x, mask=np.zeros(8, dtype=bool))
    plt.close(fig)
