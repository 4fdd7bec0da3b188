"""lib.gru: the step equations, forward = steps, backward = finite differences, validation."""

import numpy as np
import pytest

from lib import gru
from lib.gru import GRUParams, gru_backward, gru_forward, gru_step, gru_step_backward
from lib.numerics import numeric_gradient, relative_error, sigmoid


def _setup(D=3, H=4, T=5, B=2, seed=0):
    p = gru.init_params(D, H, seed=seed)
    rng = np.random.default_rng(seed + 1)
    p = GRUParams(*(a + 0.3 * rng.standard_normal(a.shape) for a in p))  # non-zero biases too
    xs = rng.standard_normal((T, B, D))
    h0 = 0.5 * rng.standard_normal((B, H))
    w = rng.standard_normal((T, B, H))  # loss = Σ w·h
    return p, xs, h0, w


def test_step_is_the_four_formulas():
    p, xs, h0, _ = _setup()
    x, h_prev = xs[0, 0], h0[0]
    s = gru_step(p, x, h_prev)
    hx = np.concatenate([h_prev, x])
    z = sigmoid(p.W_z @ hx + p.b_z)
    r = sigmoid(p.W_r @ hx + p.b_r)
    ht = np.tanh(p.W_h @ np.concatenate([r * h_prev, x]) + p.b_h)
    np.testing.assert_allclose(s.z, z)
    np.testing.assert_allclose(s.r, r)
    np.testing.assert_allclose(s.h_tilde, ht)
    np.testing.assert_allclose(s.h, (1 - z) * h_prev + z * ht)


def test_forward_matches_steps_with_and_without_batch():
    p, xs, h0, _ = _setup()
    tr = gru_forward(p, xs, h0)
    h = h0
    for t in range(xs.shape[0]):
        s = gru_step(p, xs[t], h)
        for f in ("z", "r", "h_tilde", "h"):
            np.testing.assert_allclose(getattr(tr, f)[t], getattr(s, f), atol=1e-12)
        h = s.h
    tr1 = gru_forward(p, xs[:, 0], h0[0])
    np.testing.assert_allclose(tr1.h, tr.h[:, 0], atol=1e-12)
    assert gru_forward(p, xs).h.shape == (5, 2, 4)


def test_backward_matches_finite_differences():
    p, xs, h0, w = _setup()
    grads, dxs = gru_backward(p, gru_forward(p, xs, h0), w)
    for name, g in zip(GRUParams._fields, grads):
        arr = getattr(p, name)
        num = numeric_gradient(lambda: float(np.sum(w * gru_forward(p, xs, h0).h)), arr)
        assert relative_error(g, num) < 1e-6, name
    num_x = numeric_gradient(lambda: float(np.sum(w * gru_forward(p, xs, h0).h)), xs)
    assert relative_error(dxs, num_x) < 1e-6


def test_step_backward_matches_finite_differences_and_sequence_backward():
    p, xs, h0, w = _setup(T=1)
    x, dh = xs[0], w[0]
    s = gru_step(p, x, h0)
    grads, dx, dh_prev = gru_step_backward(p, x, h0, s, dh)
    loss = lambda: float(np.sum(dh * gru_step(p, x, h0).h))  # noqa: E731
    for name, g in zip(GRUParams._fields, grads):
        assert relative_error(g, numeric_gradient(loss, getattr(p, name))) < 1e-6, name
    assert relative_error(dx, numeric_gradient(loss, x)) < 1e-6
    assert relative_error(dh_prev, numeric_gradient(loss, h0)) < 1e-6
    seq, dxs = gru_backward(p, gru_forward(p, xs, h0), w)
    for a, b in zip(seq, grads):
        np.testing.assert_allclose(a, b, atol=1e-12)


def test_init_and_validation():
    p = gru.init_params(2, 3, seed=1)
    assert gru.sizes(p) == (2, 3)
    assert all(a.dtype == np.float64 for a in p)
    assert np.all(p.b_z == 0)
    np.testing.assert_array_equal(gru.init_params(2, 3, seed=1).W_h, p.W_h)
    with pytest.raises(ValueError, match="p.W_r"):
        GRUParams(W_z=p.W_z, b_z=p.b_z, W_r=np.zeros((3, 4)), b_r=p.b_r, W_h=p.W_h, b_h=p.b_h)
    with pytest.raises(ValueError, match="p.b_h"):
        GRUParams(W_z=p.W_z, b_z=p.b_z, W_r=p.W_r, b_r=p.b_r, W_h=p.W_h, b_h=np.zeros(4))
    with pytest.raises(ValueError, match="NaN"):
        GRUParams(W_z=p.W_z * np.nan, b_z=p.b_z, W_r=p.W_r, b_r=p.b_r, W_h=p.W_h, b_h=p.b_h)
    with pytest.raises(ValueError, match="x_t"):
        gru_step(p, np.zeros(3), None)
    with pytest.raises(ValueError, match="h_prev"):
        gru_step(p, np.zeros(2), np.zeros(4))
    with pytest.raises(ValueError, match="xs"):
        gru_forward(p, np.zeros((0, 2)))
    with pytest.raises(TypeError, match="trace"):
        gru_backward(p, object(), np.zeros((1, 3)))
    with pytest.raises(TypeError, match="GRUParams"):
        gru.sizes((1, 2))
