"""lib.rnn: the contract of COURSE.md, shapes with and without batch, validation, gradients by finite differences."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.numerics import numeric_gradient
from lib.rnn import (
    RNNParams,
    RNNTrace,
    StepGrads,
    init_params,
    jacobian_norms,
    rnn_backward,
    rnn_forward,
    rnn_step,
    rnn_step_backward,
    sizes,
    split_weights,
)

D, H = 3, 4


@pytest.fixture
def p():
    return init_params(D, H, seed=1)


def test_init_params_shapes_and_determinism():
    p = init_params(D, H, seed=5)
    assert isinstance(p, RNNParams)
    assert p.W.shape == (H, H + D) and p.b.shape == (H,)
    assert p.W.dtype == np.float64
    assert p.hidden_size == H and p.input_size == D
    np.testing.assert_array_equal(p.W, init_params(D, H, seed=5).W)
    assert not np.array_equal(p.W, init_params(D, H, seed=6).W)


def test_init_scale_multiplies_recurrent_weights_only():
    a, b = init_params(D, H, seed=0, scale=1.0), init_params(D, H, seed=0, scale=2.5)
    np.testing.assert_allclose(split_weights(b)[0], 2.5 * split_weights(a)[0])
    np.testing.assert_array_equal(split_weights(b)[1], split_weights(a)[1])


def test_step_is_tanh_of_the_concatenation(p):
    x, h = np.array([1.0, -0.5, 0.2]), np.array([0.1, 0.0, -0.3, 0.5])
    want = np.tanh(p.W @ np.concatenate([h, x]) + p.b)
    np.testing.assert_allclose(rnn_step(p, x, h), want)
    # batch of two: each row as alone
    hb = rnn_step(p, np.stack([x, -x]), np.stack([h, h]))
    assert hb.shape == (2, H)
    np.testing.assert_allclose(hb[0], want)
    np.testing.assert_allclose(hb[1], rnn_step(p, -x, h))


@pytest.mark.parametrize("shape", [(6, D), (6, 2, D)])
def test_forward_matches_step_loop(p, shape):
    rng = np.random.default_rng(0)
    xs = rng.standard_normal(shape)
    h0 = 0.3 * rng.standard_normal(shape[1:-1] + (H,))
    tr = rnn_forward(p, xs, h0)
    assert isinstance(tr, RNNTrace)
    assert tr.h.shape == shape[:-1] + (H,)
    h = h0
    for t in range(shape[0]):
        h = rnn_step(p, xs[t], h)
        np.testing.assert_allclose(tr.h[t], h, atol=1e-14)


def test_forward_default_h0_is_zero(p):
    xs = np.ones((3, 2, D))
    np.testing.assert_array_equal(rnn_forward(p, xs).h, rnn_forward(p, xs, np.zeros((2, H))).h)


@pytest.mark.parametrize("shape", [(5, D), (5, 3, D)])
@pytest.mark.parametrize("with_h0", [False, True])
def test_backward_matches_finite_differences(shape, with_h0):
    rng = np.random.default_rng(2)
    p = init_params(D, H, seed=3, scale=1.3)
    p = RNNParams(W=p.W.copy(), b=0.1 * rng.standard_normal(H))
    xs = rng.standard_normal(shape)
    h0 = 0.5 * rng.standard_normal(shape[1:-1] + (H,)) if with_h0 else None
    dh = rng.standard_normal(shape[:-1] + (H,))

    def loss():
        return float(np.sum(rnn_forward(p, xs, h0).h * dh))

    grads, dxs = rnn_backward(p, rnn_forward(p, xs, h0), dh)
    assert isinstance(grads, RNNParams)
    assert grads.W.shape == p.W.shape and grads.b.shape == p.b.shape and dxs.shape == xs.shape
    np.testing.assert_allclose(grads.W, numeric_gradient(loss, p.W), atol=1e-8)
    np.testing.assert_allclose(grads.b, numeric_gradient(loss, p.b), atol=1e-8)
    np.testing.assert_allclose(dxs, numeric_gradient(loss, xs), atol=1e-8)


def test_backward_loss_only_at_last_step_sends_gradient_to_every_input(p):
    xs = np.random.default_rng(0).standard_normal((4, D))
    tr = rnn_forward(p, xs)
    dh = np.zeros_like(tr.h)
    dh[-1] = 1.0
    _, dxs = rnn_backward(p, tr, dh)
    assert np.all(np.abs(dxs).sum(axis=1) > 0)


def test_jacobian_norms_match_explicit_product(p):
    xs = np.random.default_rng(0).standard_normal((5, D))
    hs = rnn_forward(p, xs).h
    W_h, _ = split_weights(p)
    norms = jacobian_norms(p, xs)
    assert norms.shape == (5,)
    assert norms[0] == pytest.approx(1.0)
    J = np.eye(H)
    for k in range(1, 5):
        J = J @ np.diag(1 - hs[5 - k] ** 2) @ W_h
        assert norms[k] == pytest.approx(np.linalg.norm(J, 2))


def test_jacobian_norms_match_finite_differences(p):
    """‖∂h_T/∂h_t‖ from the product of Jacobians equals the one measured by nudging h_t."""
    xs = np.random.default_rng(1).standard_normal((4, D))
    hs = rnn_forward(p, xs).h
    k = 2  # ∂h_4/∂h_2: run steps 3 and 4 from a nudged h_2

    def tail(h2):
        return rnn_forward(p, xs[2:], h2).h[-1]

    J = np.zeros((H, H))
    for j in range(H):
        e = np.zeros(H)
        e[j] = 1e-6
        J[:, j] = (tail(hs[1] + e) - tail(hs[1] - e)) / 2e-6
    assert jacobian_norms(p, xs)[k] == pytest.approx(np.linalg.norm(J, 2), rel=1e-6)


def test_small_recurrent_scale_vanishes_large_explodes():
    xs = np.random.default_rng(1).standard_normal((60, 1))
    small = jacobian_norms(init_params(1, 32, seed=0, scale=0.5), xs)
    large = jacobian_norms(init_params(1, 32, seed=0, scale=4.0), xs)
    assert small[-1] < 1e-10
    assert large[-1] > 1e6


# ------------------------------------------------------------------------------------------------ validation


def test_step_rejects_wrong_input_size(p):
    with pytest.raises(ValueError, match=r"x_t: ожидалась форма \(3,\) или \(B, 3\), получена \(2,\)"):
        rnn_step(p, np.zeros(2), np.zeros(H))


def test_step_rejects_batch_mismatch(p):
    with pytest.raises(ValueError, match=r"h_prev: ожидалась форма \(2, 4\), получена \(3, 4\)"):
        rnn_step(p, np.zeros((2, D)), np.zeros((3, H)))


def test_forward_rejects_nan(p):
    xs = np.zeros((3, D))
    xs[1, 1] = np.nan
    with pytest.raises(ValueError, match="xs: ожидались конечные числа"):
        rnn_forward(p, xs)


def test_forward_rejects_wrong_shapes(p):
    with pytest.raises(ValueError, match=r"xs: ожидалась форма"):
        rnn_forward(p, np.zeros((3, 5)))
    with pytest.raises(ValueError, match=r"xs: ожидалось осей: 2 или 3"):
        rnn_forward(p, np.zeros(3))
    with pytest.raises(ValueError, match=r"h0: ожидалась форма \(2, 4\), получена \(4,\)"):
        rnn_forward(p, np.zeros((3, 2, D)), np.zeros(H))
    with pytest.raises(ValueError, match="T ≥ 1"):
        rnn_forward(p, np.zeros((0, D)))


def test_params_are_validated_where_they_are_made():
    with pytest.raises(
        ValueError,
        match=r"RNNParams.b: ожидалась форма \(4,\) — по числу строк W \(H = 4\), "
        r"получена \(3,\)",
    ):
        RNNParams(W=np.zeros((4, 7)), b=np.zeros(3))
    with pytest.raises(ValueError, match=r"RNNParams.W: ожидалась форма \(H, H \+ D\) с D ≥ 1, получена \(4, 4\)"):
        RNNParams(W=np.zeros((4, 4)), b=np.zeros(4))
    with pytest.raises(ValueError, match=r"RNNParams.W: ожидалось осей: 2"):
        RNNParams(W=np.zeros(4), b=np.zeros(4))
    with pytest.raises(ValueError, match=r"RNNParams.b: ожидались конечные числа"):
        RNNParams(W=np.zeros((2, 3)), b=np.array([0.0, np.nan]))
    with pytest.raises(TypeError, match="p: ожидались параметры RNNParams"):
        rnn_step((np.zeros((2, 3)), np.zeros(2)), np.zeros(1), np.zeros(2))
    with pytest.raises(TypeError, match="hidden_size: ожидалось целое"):
        init_params(3, 2.5)
    with pytest.raises(ValueError, match="scale"):
        init_params(3, 4, scale=-1.0)


def test_sizes_are_input_then_hidden_like_lstm(p):
    from lib import lstm

    assert sizes(p) == (D, H) == (p.input_size, p.hidden_size)
    assert lstm.sizes(lstm.init_params(D, H, seed=0)) == sizes(p)
    with pytest.raises(TypeError, match="p: ожидались параметры RNNParams"):
        sizes((1, 2))


def test_backward_rejects_wrong_dh(p):
    tr = rnn_forward(p, np.zeros((3, 2, D)))
    with pytest.raises(ValueError, match=r"dh: ожидалась форма \(3, 2, 4\), получена \(3, 4\)"):
        rnn_backward(p, tr, np.zeros((3, H)))
    with pytest.raises(TypeError, match="trace: ожидался результат rnn_forward"):
        rnn_backward(p, (tr.xs, tr.h), np.zeros((3, 2, H)))


def test_jacobian_norms_rejects_batch(p):
    with pytest.raises(ValueError, match="xs: ожидалось осей: 2"):
        jacobian_norms(p, np.zeros((3, 2, D)))


# ------------------------------------------------------------------------------------------------ one step back


@pytest.mark.parametrize("batch", [None, 3])
def test_step_backward_matches_finite_differences(batch):
    rng = np.random.default_rng(3)
    p = init_params(D, H, seed=2, scale=1.4)
    p = RNNParams(W=p.W.copy(), b=0.2 * rng.standard_normal(H))
    lead = () if batch is None else (batch,)
    x, h_prev = rng.standard_normal(lead + (D,)), 0.5 * rng.standard_normal(lead + (H,))
    dh = rng.standard_normal(lead + (H,))
    h = rnn_step(p, x, h_prev)

    def loss():
        return float(np.sum(rnn_step(p, x, h_prev) * dh))

    g = rnn_step_backward(p, x, h_prev, h, dh)
    assert isinstance(g, StepGrads) and g.dh_prev.shape == h_prev.shape and g.dx.shape == x.shape
    np.testing.assert_allclose(g.dW, numeric_gradient(loss, p.W), atol=1e-8)
    np.testing.assert_allclose(g.db, numeric_gradient(loss, p.b), atol=1e-8)
    np.testing.assert_allclose(g.dh_prev, numeric_gradient(loss, h_prev), atol=1e-8)
    np.testing.assert_allclose(g.dx, numeric_gradient(loss, x), atol=1e-8)


def test_backward_is_the_loop_over_step_backward(p):
    rng = np.random.default_rng(4)
    xs, dh = rng.standard_normal((4, 2, D)), rng.standard_normal((4, 2, H))
    tr = rnn_forward(p, xs)
    grads, dxs = rnn_backward(p, tr, dh)
    dW, db, dh_next = 0, 0, np.zeros((2, H))
    for t in (3, 2, 1, 0):
        g = rnn_step_backward(p, xs[t], tr.h[t - 1] if t else tr.h0, tr.h[t], dh[t] + dh_next)
        dW, db, dh_next = dW + g.dW, db + g.db, g.dh_prev
        np.testing.assert_allclose(dxs[t], g.dx, atol=1e-13)
    np.testing.assert_allclose(grads.W, dW, atol=1e-13)
    np.testing.assert_allclose(grads.b, db, atol=1e-13)


def test_step_backward_validates(p):
    with pytest.raises(ValueError, match=r"dh_t: ожидалась форма \(2, 4\), получена \(4,\)"):
        rnn_step_backward(p, np.zeros((2, D)), np.zeros((2, H)), np.zeros((2, H)), np.zeros(H))
    with pytest.raises(ValueError, match=r"h_t: ожидалась форма \(4,\), получена \(3,\)"):
        rnn_step_backward(p, np.zeros(D), np.zeros(H), np.zeros(3), np.zeros(H))


def test_lib_rnn_holds_no_exercises_or_answers():
    import lib.rnn as module

    assert not any(name.startswith("check_exercise") or name == "SOLUTIONS" for name in dir(module))


# ------------------------------------------------------------------------------------------------ properties


@settings(max_examples=25, deadline=None)
@given(T=st.integers(1, 6), B=st.integers(1, 4), D=st.integers(1, 4), H=st.integers(1, 5), seed=st.integers(0, 99))
def test_batch_is_the_same_as_one_sequence_at_a_time(T, B, D, H, seed):
    """Forward and backward over a batch equal the per-sequence results (gradients summed over the batch)."""
    rng = np.random.default_rng(seed)
    p = init_params(D, H, seed=seed)
    xs = rng.standard_normal((T, B, D))
    h0 = rng.standard_normal((B, H)) * 0.5
    dh = rng.standard_normal((T, B, H))
    tr = rnn_forward(p, xs, h0)
    grads, dxs = rnn_backward(p, tr, dh)
    assert tr.h.shape == (T, B, H) and dxs.shape == (T, B, D) and np.all(np.abs(tr.h) < 1)
    W_sum = np.zeros_like(p.W)
    for n in range(B):
        tr_n = rnn_forward(p, xs[:, n], h0[n])
        np.testing.assert_allclose(tr.h[:, n], tr_n.h, atol=1e-12)
        g_n, dxs_n = rnn_backward(p, tr_n, dh[:, n])
        np.testing.assert_allclose(dxs[:, n], dxs_n, atol=1e-12)
        W_sum += g_n.W
    np.testing.assert_allclose(grads.W, W_sum, atol=1e-10)
