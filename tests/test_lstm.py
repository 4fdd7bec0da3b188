"""Tests of lib.lstm: the contract of COURSE.md, the equations, gradients by finite differences, validation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import lstm
from lib.lstm import LSTMParams, LSTMStep, init_params, lstm_backward, lstm_forward, lstm_step, lstm_step_backward
from lib.numerics import numeric_gradient, sigmoid

FIELDS = ("f", "i", "C_tilde", "C", "o", "h")


def _rng(seed=0):
    return np.random.default_rng(seed)


def test_params_fields_and_shapes():
    p = init_params(3, 5, seed=0)
    assert LSTMParams._fields == ("W_f", "b_f", "W_i", "b_i", "W_C", "b_C", "W_o", "b_o")
    for name in ("W_f", "W_i", "W_C", "W_o"):
        assert getattr(p, name).shape == (5, 8) and getattr(p, name).dtype == np.float64
    for name in ("b_i", "b_C", "b_o"):
        assert np.all(getattr(p, name) == 0)
    assert np.all(p.b_f == 1.0)
    assert np.all(init_params(3, 5, forget_bias=3.0).b_f == 3.0)
    assert lstm.sizes(p) == (3, 5)


def test_init_is_seeded():
    a, b, c = init_params(2, 4, seed=1), init_params(2, 4, seed=1), init_params(2, 4, seed=2)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not np.array_equal(a.W_f, c.W_f)


def test_sigmoid_is_stable_and_exact():
    z = np.array([-1000.0, -30.0, 0.0, 2.0, 1000.0])
    s = sigmoid(z)  # RuntimeWarning would be an error here (pyproject filterwarnings)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5
    assert np.isclose(s[3], 1 / (1 + np.exp(-2.0)))


def test_step_is_the_lecture_equations():
    p = init_params(2, 3, seed=4)
    rng = _rng()
    x, h, C = rng.normal(size=2), rng.normal(size=3), rng.normal(size=3)
    hx = np.concatenate([h, x])
    f = 1 / (1 + np.exp(-(p.W_f @ hx + p.b_f)))
    i = 1 / (1 + np.exp(-(p.W_i @ hx + p.b_i)))
    Ct = np.tanh(p.W_C @ hx + p.b_C)
    o = 1 / (1 + np.exp(-(p.W_o @ hx + p.b_o)))
    C_new = f * C + i * Ct
    s = lstm_step(p, x, h, C)
    for got, want in zip(s, (f, i, Ct, C_new, o, o * np.tanh(C_new))):
        assert np.allclose(got, want, atol=1e-14)
    assert s._fields == FIELDS


@pytest.mark.parametrize("batch", [None, 4])
def test_forward_matches_steps(batch):
    p = init_params(3, 5, seed=2)
    rng = _rng(1)
    lead = () if batch is None else (batch,)
    xs = rng.normal(size=(6, *lead, 3))
    h0, C0 = rng.normal(size=(*lead, 5)), rng.normal(size=(*lead, 5))
    tr = lstm_forward(p, xs, h0, C0)
    h, C = h0, C0
    for t in range(6):
        s = lstm_step(p, xs[t], h, C)
        for name in FIELDS:
            assert getattr(tr, name).shape == (6, *lead, 5)
            assert np.allclose(getattr(tr, name)[t], getattr(s, name), atol=1e-13), name
        h, C = s.h, s.C


def test_default_state_is_zero_and_batch_rows_are_independent():
    p = init_params(2, 3, seed=0)
    xs = _rng(3).normal(size=(5, 4, 2))
    tr = lstm_forward(p, xs)
    for b in range(4):
        one = lstm_forward(p, xs[:, b])
        assert np.allclose(one.h, tr.h[:, b], atol=1e-14)
        assert np.allclose(one.C, tr.C[:, b], atol=1e-14)


def test_extreme_inputs_do_not_overflow():
    p = init_params(2, 3, seed=0)
    xs = np.full((4, 2), 1000.0)
    xs[1] = -1000.0
    tr = lstm_forward(p, xs)
    assert np.all(np.isfinite(tr.h))
    s = lstm_step(p, np.array([-1000.0, 1000.0]), None, None)
    assert np.all((s.f >= 0) & (s.f <= 1))


def _numeric_grads(p, xs, h0, C0, R):
    def loss():
        return float(np.sum(R * lstm_forward(p, xs, h0, C0).h))

    grads = {name: numeric_gradient(loss, getattr(p, name)) for name in p._fields}
    return grads, numeric_gradient(loss, xs)


@pytest.mark.parametrize("batch,with_state", [(None, False), (None, True), (3, False), (3, True)])
def test_backward_matches_finite_differences(batch, with_state):
    p = init_params(2, 3, seed=5)
    rng = _rng(7)
    lead = () if batch is None else (batch,)
    xs = rng.normal(size=(4, *lead, 2))
    h0 = rng.normal(size=(*lead, 3)) if with_state else None
    C0 = rng.normal(size=(*lead, 3)) if with_state else None
    tr = lstm_forward(p, xs, h0, C0)
    R = rng.normal(size=tr.h.shape)
    grads, dxs = lstm_backward(p, tr, R)
    num, num_dxs = _numeric_grads(p, xs, h0, C0, R)
    assert isinstance(grads, LSTMParams)
    for name in p._fields:
        assert np.allclose(getattr(grads, name), num[name], atol=1e-7), name
    assert dxs.shape == xs.shape
    assert np.allclose(dxs, num_dxs, atol=1e-7)


@settings(max_examples=15, deadline=None)
@given(T=st.integers(1, 5), B=st.integers(1, 3), D=st.integers(1, 3), H=st.integers(1, 4), seed=st.integers(0, 99))
def test_backward_shapes_and_linearity(T, B, D, H, seed):
    p = init_params(D, H, seed=seed)
    xs = _rng(seed).normal(size=(T, B, D))
    tr = lstm_forward(p, xs)
    R = _rng(seed + 1).normal(size=tr.h.shape)
    g1, d1 = lstm_backward(p, tr, R)
    g2, d2 = lstm_backward(p, tr, 2 * R)
    for a, b, ref in zip(g1, g2, p):
        assert a.shape == ref.shape
        assert np.allclose(2 * a, b)
    assert np.allclose(2 * d1, d2)
    zero, dz = lstm_backward(p, tr, np.zeros_like(R))
    assert all(np.all(z == 0) for z in zero) and np.all(dz == 0)


def test_forget_gate_closed_erases_and_open_keeps():
    """With a huge negative forget bias and input gate shut, C_t ≈ 0; with both biases flipped, C_t ≈ C_{t-1}."""
    p = init_params(1, 1, seed=0)
    z = {k: np.zeros_like(v) for k, v in p._asdict().items()}
    forget = LSTMParams(**{**z, "b_f": np.array([-50.0]), "b_i": np.array([-50.0])})
    keep = LSTMParams(**{**z, "b_f": np.array([50.0]), "b_i": np.array([-50.0])})
    C_prev = np.array([0.8])
    assert abs(lstm_step(forget, np.array([1.0]), np.zeros(1), C_prev).C[0]) < 1e-12
    assert np.isclose(lstm_step(keep, np.array([1.0]), np.zeros(1), C_prev).C[0], 0.8)


# ----------------------------------------------------------------------------------------- validation


def test_wrong_shapes_raise_with_russian_messages():
    p = init_params(3, 4)
    with pytest.raises(ValueError, match=r"x_t: ожидалась форма \(3,\) или \(B, 3\), получена \(2,\)"):
        lstm_step(p, np.zeros(2), None, None)
    with pytest.raises(ValueError, match=r"h_prev: ожидалась форма \(4,\)"):
        lstm_step(p, np.zeros(3), np.zeros(5), None)
    with pytest.raises(ValueError, match=r"C_prev: ожидалась форма \(2, 4\)"):
        lstm_step(p, np.zeros((2, 3)), None, np.zeros(4))  # no silent broadcasting
    with pytest.raises(ValueError, match="xs"):
        lstm_forward(p, np.zeros((5, 2)))
    with pytest.raises(ValueError, match="xs: ожидалось осей"):
        lstm_forward(p, np.zeros(3))
    with pytest.raises(ValueError, match="T ≥ 1"):
        lstm_forward(p, np.zeros((0, 3)))
    with pytest.raises(ValueError, match="h0"):
        lstm_forward(p, np.zeros((5, 2, 3)), h0=np.zeros(4))
    with pytest.raises(ValueError, match="NaN"):
        lstm_forward(p, np.full((2, 3), np.nan))
    tr = lstm_forward(p, np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"dh: ожидалась форма \(5, 4\)"):
        lstm_backward(p, tr, np.zeros((5, 2, 4)))
    with pytest.raises(ValueError, match="trace: не подходит"):
        lstm_backward(init_params(3, 2), tr, np.zeros((5, 4)))
    with pytest.raises(TypeError, match="trace"):
        lstm_backward(p, (1, 2), np.zeros((5, 4)))


def test_bad_params_raise():
    p = init_params(3, 4)
    with pytest.raises(TypeError, match="LSTMParams"):
        lstm_step((1, 2), np.zeros(3), None, None)
    with pytest.raises(ValueError, match=r"p.W_o: ожидалась форма \(4, 7\), получена \(4, 6\)"):
        p._replace(W_o=np.zeros((4, 6)))
    with pytest.raises(ValueError, match=r"p.b_C: ожидалась форма \(4,\), получена \(3,\)"):
        p._replace(b_C=np.zeros(3))
    with pytest.raises(ValueError, match="hidden_size"):
        init_params(3, 0)
    with pytest.raises(TypeError, match="input_size"):
        init_params(2.5, 3)


def test_params_are_checked_where_they_are_made_and_the_right_matrix_is_named():
    p = init_params(3, 4)
    with pytest.raises(ValueError, match=r"^p.W_f: ожидалась форма \(4, 7\), получена \(4, 6\)$"):
        LSTMParams(np.zeros((4, 6)), p.b_f, p.W_i, p.b_i, p.W_C, p.b_C, p.W_o, p.b_o)
    with pytest.raises(ValueError, match=r"^p.W_C: ожидалась форма \(4, 7\), получена \(5, 7\)"):
        LSTMParams(*p[:4], np.zeros((5, 7)), *p[5:])
    with pytest.raises(ValueError, match=r"p.W_i: ожидалась матрица"):
        LSTMParams(*p[:2], np.zeros(7), *p[3:])
    with pytest.raises(TypeError, match=r"p.b_o: ожидался числовой массив"):
        LSTMParams(*p[:7], "ноль")
    q = LSTMParams(*(a.tolist() for a in p))  # lists become float64 arrays
    assert all(isinstance(a, np.ndarray) and a.dtype == np.float64 for a in q)


# ----------------------------------------------------------------------------------------- one step back


@pytest.mark.parametrize("batch", [None, 3])
def test_step_backward_matches_finite_differences(batch):
    """δ of one step by lstm_step_backward against central differences of L = Σ r·h_t + Σ q·C_t."""
    p = init_params(2, 3, seed=8)
    rng = _rng(9)
    lead = () if batch is None else (batch,)
    x, h, C = rng.normal(size=(*lead, 2)), rng.normal(size=(*lead, 3)), rng.normal(size=(*lead, 3))
    r, q = rng.normal(size=(*lead, 3)), rng.normal(size=(*lead, 3))

    def loss():
        s = lstm_step(p, x, h, C)
        return float(np.sum(r * s.h) + np.sum(q * s.C))

    s = lstm_step(p, x, h, C)
    g = lstm_step_backward(p, s, C, r, q)  # q reaches C_t «from the next step»
    assert np.allclose(g.dC_prev, numeric_gradient(loss, C), atol=1e-7)
    assert np.allclose(g.dh_prev, numeric_gradient(loss, h), atol=1e-7)
    assert np.allclose(g.dx, numeric_gradient(loss, x), atol=1e-7)
    hx = np.concatenate([h, x], axis=-1).reshape(-1, 5)
    for gate, dz in (("f", g.dz_f), ("i", g.dz_i), ("C", g.dz_C), ("o", g.dz_o)):
        dz = dz.reshape(-1, 3)
        assert np.allclose(dz.T @ hx, numeric_gradient(loss, getattr(p, f"W_{gate}")), atol=1e-7), gate
        assert np.allclose(dz.sum(axis=0), numeric_gradient(loss, getattr(p, f"b_{gate}")), atol=1e-7), gate


def test_backward_is_a_loop_of_step_backwards():
    p = init_params(2, 3, seed=3)
    rng = _rng(4)
    xs, dh = rng.normal(size=(5, 2, 2)), rng.normal(size=(5, 2, 3))
    tr = lstm_forward(p, xs)
    grads, dxs = lstm_backward(p, tr, dh)
    dh_next, dC_next = np.zeros((2, 3)), np.zeros((2, 3))
    dW = {g: 0.0 for g in "fiCo"}
    for t in range(4, -1, -1):
        s = LSTMStep(*(getattr(tr, n)[t] for n in LSTMStep._fields))
        C_prev = tr.C[t - 1] if t else np.zeros((2, 3))
        h_prev = tr.h[t - 1] if t else np.zeros((2, 3))
        g = lstm_step_backward(p, s, C_prev, dh[t] + dh_next, dC_next)
        assert np.allclose(g.dx, dxs[t], atol=1e-12)
        hx = np.concatenate([h_prev, xs[t]], axis=-1)
        for gate in "fiCo":
            dW[gate] = dW[gate] + getattr(g, f"dz_{gate}").T @ hx
        dh_next, dC_next = g.dh_prev, g.dC_prev
    for gate in "fiCo":
        assert np.allclose(dW[gate], getattr(grads, f"W_{gate}"), atol=1e-12)


def test_step_backward_validates():
    p = init_params(2, 3)
    s = lstm_step(p, np.zeros(2), None, None)
    with pytest.raises(TypeError, match="step"):
        lstm_step_backward(p, (1, 2), np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match=r"dh: ожидалась форма \(3,\)"):
        lstm_step_backward(p, s, np.zeros(3), np.zeros(4))
    g = lstm_step_backward(p, s, None, np.ones(3))  # C_prev and dC_next default to zeros
    assert g.dz_f.shape == (3,) and np.all(g.dz_f == 0)


def test_four_times_the_parameters_of_an_rnn():
    D, H = 8, 32
    assert sum(a.size for a in init_params(D, H)) == 4 * (H * (H + D) + H)
