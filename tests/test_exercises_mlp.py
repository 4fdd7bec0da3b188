"""The checks of notebook 3 (lib.exercises.mlp): a right answer gets «Верно», an untouched stub «Пока не
решено», and each typical mistake its own hint (never the answer)."""

import numpy as np
import pytest

from lib import mlp
from lib.exercises import mlp as ex
from lib.mlp import MLPParams
from lib.numerics import sigmoid


def verdict(check, *args, **kwargs):
    v = check(*args, quiet=True, **kwargs)
    return v.status, v.line


# --- right answers (as the teacher's edition writes them) ----------------------------------------------------

AND_NOR = MLPParams(
    np.array([[1.0, 1.0], [-1.0, -1.0]]), np.array([-1.5, 0.5]), np.array([[-1.0, -1.0]]), np.array([0.5])
)


def forward_pass(p, x):
    z1 = x @ p.W1.T + p.b1
    h = sigmoid(z1)
    z2 = h @ p.W2.T + p.b2
    return z1, h, z2, sigmoid(z2)


def backward_pass(p, x, y, h, out, kind="right"):
    B = len(x)
    d2 = (out - y[:, None]) / B
    if kind == "sum":
        d2 = d2 * B
    if kind == "sign":
        d2 = -d2
    d1 = (d2 @ p.W2) * h * (1 - h)
    if kind == "no_derivative":
        d1 = d2 @ p.W2
    if kind == "pre_activation":
        z1 = x @ p.W1.T + p.b1
        d1 = (d2 @ p.W2) * z1 * (1 - z1)
    g = MLPParams(d1.T @ x, d1.sum(axis=0), d2.T @ h, d2.sum(axis=0))
    if kind == "transposed":
        g = g._replace(W1=x.T @ d1)
    if kind == "no_bias":
        g = g._replace(b1=np.zeros_like(g.b1), b2=np.zeros_like(g.b2))
    if kind == "bias_not_summed":
        g = g._replace(b1=d1)
    return g


def central_difference(p, x, y, i, j, eps=1e-6, kind="right"):
    loss = lambda W1: mlp.loss(p._replace(W1=W1), x, y)
    if kind == "swapped":
        i, j = j, i
    if kind == "in_place":
        p.W1[i, j] += eps
        return 0.0
    plus, minus = p.W1.copy(), p.W1.copy()
    plus[i, j] += eps
    minus[i, j] -= eps
    if kind == "one_sided":
        return (loss(plus) - loss(p.W1)) / eps
    if kind == "over_eps":
        return (loss(plus) - loss(minus)) / eps
    if kind == "sign":
        return (loss(minus) - loss(plus)) / (2 * eps)
    return (loss(plus) - loss(minus)) / (2 * eps)


HAND_P = MLPParams(
    W1=np.array([[0.5, -0.4], [0.3, 0.8]]), b1=np.array([0.1, -0.2]), W2=np.array([[1.2, -0.7]]), b2=np.array([0.05])
)
XOR_ARGS = {"n_starts": 10, "steps": 1000, "lr": 4.0}


def test_right_answers_are_verno():
    assert verdict(ex.xor_and_nor, AND_NOR)[0] == "correct"
    assert verdict(ex.forward_pass, forward_pass)[0] == "correct"
    assert verdict(ex.backward_pass, backward_pass)[0] == "correct"
    assert verdict(ex.central_difference, central_difference)[0] == "correct"
    assert verdict(ex.zero_grads_guess, 2, HAND_P, np.array([1.0, 0.0]), 1)[0] == "correct"
    assert verdict(ex.features_guess, "Ниже", 0.83, 0.96)[0] == "correct"
    assert verdict(ex.layers_guess, 3, [0.97, 0.98, 0.96], [0.96, 0.97, 0.97]) == (
        "correct",
        "Верно: сеть со скрытым слоем точнее одного слоя в 2 из 3 разбиений (вы сказали 3 — почти)",
    )


def test_every_check_prints_one_verdict_line(capsys):
    v = ex.forward_pass(forward_pass)
    assert capsys.readouterr().out == v.line + "\n" and v.line.startswith("Верно")


@pytest.mark.parametrize(
    "check, args",
    [
        (ex.xor_and_nor, ()),
        (ex.forward_pass, ()),
        (ex.backward_pass, ()),
        (ex.central_difference, ()),
        (ex.small_tanh_net, ()),
        (ex.zero_grads_guess, (HAND_P, np.array([1.0, 0.0]), 1)),
        (ex.features_guess, (0.8, 0.9)),
        (ex.layers_guess, ([0.9], [0.8])),
    ],
)
def test_stubs_are_not_yet_solved(check, args):
    assert verdict(check, None, *args)[1].startswith("Пока не решено")
    assert verdict(check, ..., *args)[1].startswith("Пока не решено")


@pytest.mark.parametrize("check", [ex.forward_pass, ex.backward_pass, ex.central_difference])
def test_function_stubs_are_not_yet_solved(check):
    def stub(*args): ...
    def raises(*args):
        raise NotImplementedError

    assert verdict(check, stub)[0] == verdict(check, raises)[0] == "unsolved"


def test_guess_stubs_of_the_restarts():
    assert verdict(ex.restarts_guess, None, **XOR_ARGS)[0] == "unsolved"
    assert verdict(ex.wider_guess, None, **XOR_ARGS)[0] == "unsolved"


@pytest.mark.slow
def test_restart_guesses_say_which_way_without_the_number():
    actual = sum(r.n_correct == 4 for r in mlp.xor_restarts(2, tuple(range(10)), steps=1000, lr=4.0))
    assert verdict(ex.restarts_guess, actual, **XOR_ARGS)[0] == "correct"
    status, line = verdict(ex.restarts_guess, 0 if actual > 3 else 10, **XOR_ARGS)
    assert status == "wrong" and ("больше" in line or "меньше" in line) and str(actual) not in line
    assert "целое число" in verdict(ex.restarts_guess, "7", **XOR_ARGS)[1]
    wider = sum(r.n_correct == 4 for r in mlp.xor_restarts(4, tuple(range(10)), steps=1000, lr=4.0))
    assert verdict(ex.wider_guess, wider, **XOR_ARGS)[0] == "correct"


def test_guess_hints():
    status, line = verdict(ex.zero_grads_guess, 0, HAND_P, np.array([1.0, 0.0]), 1)
    assert status == "wrong" and "вход, равный нулю" in line and "2" not in line.split("xᵀ")[1]
    assert 'выше" или "ниже' in verdict(ex.features_guess, "лучше", 0.8, 0.9)[1]
    assert verdict(ex.features_guess, "выше", 0.8, 0.9)[0] == "wrong"
    assert "от 0 до 1" in verdict(ex.layers_guess, 4, [0.9], [0.8])[1]


def _step_net(W1, b1, W2, b2):
    return MLPParams(np.array(W1, float), np.array(b1, float), np.array(W2, float), np.array(b2, float))


@pytest.mark.parametrize(
    "p, hint",
    [
        (_step_net([[1, 1], [-1, -1]], [-0.5, 1.5], [[1, 1]], [-1.5]), "это ИЛИ (OR)"),  # the OR/NAND solution
        (_step_net([[1, 1], [1, 1]], [-1.5, -1.5], [[1, 1]], [-0.5]), "оба скрытых нейрона вычисляют И (AND)"),
        (_step_net([[1, 1], [-1, -1]], [-1.5, 0.5], [[1, 1]], [-0.5]), "скрытые нейроны верны"),
        (MLPParams(np.eye(3, 2), np.zeros(3), np.ones((1, 3)), np.zeros(1)), "нужна сеть 2 → 2 → 1"),
        ((1, 2, 3, 4), "нужны MLPParams"),
    ],
)
def test_xor_and_nor_hints(p, hint):
    status, line = verdict(ex.xor_and_nor, p)
    assert status == "wrong" and hint in line and "np.int64" not in line


def forward_variant(kind):
    """A typical wrong forward pass."""

    def fn(p, x):
        z1, h, z2, out = forward_pass(p, x)
        if kind == "transposed":
            return x @ p.W1 + p.b1, h, z2, out
        if kind == "no_b1":
            return x @ p.W1.T, h, z2, out
        if kind == "no_activation":
            return z1, z1, z1 @ p.W2.T + p.b2, out
        if kind == "no_b2":
            return z1, h, h @ p.W2.T, out
        if kind == "z2_from_z1":
            return z1, h, z1 @ p.W2.T + p.b2, out
        if kind == "no_output_sigmoid":
            return z1, h, z2, z2
        return z1, h, z2

    return fn


@pytest.mark.parametrize(
    "fn, hint",
    [
        (forward_variant("transposed"), "транспонированной матрицей"),
        (forward_variant("no_b1"), "забыто смещение b1"),
        (forward_variant("no_activation"), "забыта функция активации"),
        (forward_variant("no_b2"), "забыто смещение b2"),
        (forward_variant("z2_from_z1"), "посчитан от z1"),
        (forward_variant("no_output_sigmoid"), "забыта сигмоида выходного"),
        (forward_variant("three"), "четыре массива"),
    ],
)
def test_forward_pass_hints(fn, hint):
    status, line = verdict(ex.forward_pass, fn)
    assert status == "wrong" and hint in line


@pytest.mark.parametrize(
    "kind, hint",
    [
        ("sum", "среднее по пакету"),
        ("sign", "перепутан знак"),
        ("no_derivative", "забыта производная сигмоиды"),
        ("pre_activation", "подставлена сумма z1"),
        ("transposed", "dW1 транспонирован"),
        ("no_bias", "забыт градиент по смещению"),
        ("bias_not_summed", "сложенные по пакету"),
    ],
)
def test_backward_pass_hints(kind, hint):
    status, line = verdict(ex.backward_pass, lambda *a: backward_pass(*a, kind=kind))
    assert status == "wrong" and hint in line


def test_backward_pass_broadcast_hint():
    def broadcast(p, x, y, h, out):
        d2 = (out - y) / len(x)  # (B, 1) − (B,) → (B, B)
        return MLPParams(0, 1, d2.T @ h, d2.sum(axis=0))

    def broadcast_crash(p, x, y, h, out):
        d2 = (out - y) / len(x)
        dh = d2 @ p.W2  # (B, B) @ (1, H): crashes
        return MLPParams(dh, 1, 1, 1)

    for fn in (broadcast, broadcast_crash):
        status, line = verdict(ex.backward_pass, fn)
        assert status == "wrong" and "(B, B)" in line


@pytest.mark.parametrize(
    "kind, hint",
    [
        ("one_sided", "односторонняя разность"),
        ("over_eps", "делить нужно на 2ε"),
        ("sign", "перепутан знак"),
        ("swapped", "W1[j, i] вместо W1[i, j]"),
        ("in_place", "изменила веса p на месте"),
    ],
)
def test_central_difference_hints(kind, hint):
    status, line = verdict(ex.central_difference, lambda *a: central_difference(*a, kind=kind))
    assert status == "wrong" and hint in line


def test_a_crash_of_student_code_is_reported():
    status, line = verdict(ex.forward_pass, lambda p, x: 1 / 0)
    assert status == "wrong" and "ZeroDivisionError" in line


@pytest.mark.slow
def test_small_tanh_net():
    from lib.digits import digits_split

    X_train, _, y_train, _ = digits_split(seed=0)
    p, _ = mlp.train(
        mlp.init_mlp(64, 16, 10, seed=0), X_train, y_train, steps=600, lr=0.01, activation="tanh", batch_size=128
    )
    assert verdict(ex.small_tanh_net, p, seed=0)[0] == "correct"
    status, line = verdict(ex.small_tanh_net, mlp.init_mlp(64, 16, 10, seed=0), seed=0)
    assert status == "wrong" and "нужно не меньше 95 %" in line
    assert "64 → 16 → 10" in verdict(ex.small_tanh_net, mlp.init_mlp(64, 8, 10), seed=0)[1]
    assert "нужны MLPParams" in verdict(ex.small_tanh_net, (1, 2), seed=0)[1]
