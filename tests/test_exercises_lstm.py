"""Checks of lesson 5's exercises: a right answer says «Верно», a stub «Пока не решено», and each typical
mistake gets its own hint (and no hint gives the answer away)."""

from __future__ import annotations

import numpy as np
import pytest

from lib.exercises import lstm as ex
from lib.numerics import sigmoid


def said(check, *args, capsys):
    verdict = check(*args)
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out  # exactly one line
    assert out.strip() == verdict.line
    return verdict


def cat(h, x):
    return np.concatenate([h, x], axis=-1)


# --- reference answers, written here as a student would (never in lib) --------------------------------------


def forget_gate(W_f, b_f, h_prev, x_t):
    return sigmoid(cat(h_prev, x_t) @ W_f.T + b_f)


def input_gate_and_candidate(W_i, b_i, W_C, b_C, h_prev, x_t):
    hx = cat(h_prev, x_t)
    return sigmoid(hx @ W_i.T + b_i), np.tanh(hx @ W_C.T + b_C)


def cell_update(f_t, i_t, C_tilde, C_prev):
    return f_t * C_prev + i_t * C_tilde


def output_gate_and_h(W_o, b_o, h_prev, x_t, C_t):
    o = sigmoid(cat(h_prev, x_t) @ W_o.T + b_o)
    return o, o * np.tanh(C_t)


def step(p, x_t, h_prev, C_prev):
    f = forget_gate(p.W_f, p.b_f, h_prev, x_t)
    i, Ct = input_gate_and_candidate(p.W_i, p.b_i, p.W_C, p.b_C, h_prev, x_t)
    C = cell_update(f, i, Ct, C_prev)
    o, h = output_gate_and_h(p.W_o, p.b_o, h_prev, x_t, C)
    return f, i, Ct, C, o, h


def step_backward(s, C_prev, dh, dC_next):
    tC = np.tanh(s.C)
    dC = dC_next + dh * s.o * (1 - tC**2)
    dz_f = dC * C_prev * s.f * (1 - s.f)
    dz_i = dC * s.C_tilde * s.i * (1 - s.i)
    dz_C = dC * s.i * (1 - s.C_tilde**2)
    dz_o = dh * tC * s.o * (1 - s.o)
    return dC, dz_f, dz_i, dz_C, dz_o, dC * s.f


def forget_bias_for(n, keep):
    f = keep ** (1 / n)
    return np.log(f / (1 - f))


def stub(*args): ...


RIGHT = [
    (ex.forget_gate, forget_gate),
    (ex.input_gate_and_candidate, input_gate_and_candidate),
    (ex.cell_update, cell_update),
    (ex.output_gate_and_h, output_gate_and_h),
    (ex.lstm_step, step),
    (ex.lstm_step_backward, step_backward),
    (ex.forget_bias_for, forget_bias_for),
]


@pytest.mark.parametrize("check,fn", RIGHT, ids=[c.__name__ for c, _ in RIGHT])
def test_right_answers_say_right_and_stubs_say_not_yet(check, fn, capsys):
    assert said(check, fn, capsys=capsys).line.startswith("Верно")
    assert said(check, stub, capsys=capsys).line.startswith("Пока не решено")
    assert said(check, ..., capsys=capsys).line.startswith("Пока не решено")


def test_a_crash_is_reported_in_words(capsys):
    def broken(W_f, b_f, h_prev, x_t):
        return W_f @ np.concatenate([h_prev, x_t])  # a (B, ·) batch does not fit this way round

    v = said(ex.forget_gate, broken, capsys=capsys)
    assert v.line.startswith("Не совсем: ваш код остановился с ошибкой ValueError")


GATE_WRONGS = [
    (lambda W, b, h, x: sigmoid(cat(x, h) @ W.T + b), "порядок склейки"),
    (lambda W, b, h, x: sigmoid(cat(h, x) @ W.T), "смещения"),
    (lambda W, b, h, x: np.tanh(cat(h, x) @ W.T + b), "нужна σ, а не tanh"),
    (lambda W, b, h, x: cat(h, x) @ W.T + b, "взвешенная сумма"),
    (lambda W, b, h, x: sigmoid(cat(h, x) @ W.T - b), "знак смещения"),
    (lambda W, b, h, x: sigmoid(cat(h, x) @ W.T + b)[0], "одного примера"),
]


@pytest.mark.parametrize("fn,hint", GATE_WRONGS, ids=[h for _, h in GATE_WRONGS])
def test_forget_gate_hints(fn, hint, capsys):
    v = said(ex.forget_gate, fn, capsys=capsys)
    assert v.line.startswith("Не совсем") and hint in v.line


@pytest.mark.parametrize(
    "fn,hint",
    [
        (lambda Wi, bi, WC, bC, h, x: input_gate_and_candidate(Wi, bi, WC, bC, h, x)[::-1], "перепутаны местами"),
        (
            lambda Wi, bi, WC, bC, h, x: (np.tanh(cat(h, x) @ Wi.T + bi), sigmoid(cat(h, x) @ WC.T + bC)),
            "активации перепутаны",
        ),
        (lambda Wi, bi, WC, bC, h, x: (sigmoid(cat(h, x) @ Wi.T), np.tanh(cat(h, x) @ WC.T + bC)), "смещения"),
        (
            lambda Wi, bi, WC, bC, h, x: (sigmoid(cat(h, x) @ Wi.T + bi), np.tanh(cat(x, h) @ WC.T + bC)),
            "порядок склейки",
        ),
        (
            lambda Wi, bi, WC, bC, h, x: (sigmoid(cat(h, x) @ Wi.T + bi), sigmoid(cat(h, x) @ WC.T + bC)),
            "нужна tanh, а не σ",
        ),
        (lambda Wi, bi, WC, bC, h, x: sigmoid(cat(h, x) @ Wi.T + bi), "пару"),
    ],
)
def test_input_gate_hints(fn, hint, capsys):
    v = said(ex.input_gate_and_candidate, fn, capsys=capsys)
    assert v.line.startswith("Не совсем") and hint in v.line, v.line


@pytest.mark.parametrize(
    "fn,hint",
    [
        (lambda f, i, Ct, Cp: i * Cp + f * Ct, "фильтры перепутаны"),
        (lambda f, i, Ct, Cp: f * Cp + f * Ct, "кандидат умножен на фильтр забывания"),
        (lambda f, i, Ct, Cp: i * Ct, "пропала старая память"),
        (lambda f, i, Ct, Cp: f * Cp, "ничего нового"),
        (lambda f, i, Ct, Cp: Cp + i * Ct, "умножают на f_t"),
        (lambda f, i, Ct, Cp: f * Cp * i * Ct, "сложить"),
        (lambda f, i, Ct, Cp: f * Cp - i * Ct, "C_t не совпал" if False else "Формула"),
    ],
)
def test_cell_update_hints(fn, hint, capsys):
    v = said(ex.cell_update, fn, capsys=capsys)
    assert v.line.startswith("Не совсем") and hint in v.line, v.line


def _o(W, b, h, x):
    return sigmoid(cat(h, x) @ W.T + b)


@pytest.mark.parametrize(
    "fn,hint",
    [
        (lambda W, b, h, x, C: (_o(W, b, h, x), _o(W, b, h, x) * C), "сначала проходит через tanh"),
        (lambda W, b, h, x, C: (_o(W, b, h, x), np.tanh(_o(W, b, h, x) * C)), "не наоборот"),
        (lambda W, b, h, x, C: (_o(W, b, h, x), np.tanh(C)), "выходной фильтр"),
        (
            lambda W, b, h, x, C: (np.tanh(cat(h, x) @ W.T + b), np.tanh(cat(h, x) @ W.T + b) * np.tanh(C)),
            "нужна σ, а не tanh",
        ),
    ],
)
def test_output_hints(fn, hint, capsys):
    v = said(ex.output_gate_and_h, fn, capsys=capsys)
    assert v.line.startswith("Не совсем") and hint in v.line, v.line


def test_lstm_step_swapped_gates(capsys):
    def swapped(p, x_t, h_prev, C_prev):
        q = p._replace(W_f=p.W_i, b_f=p.b_i, W_i=p.W_f, b_i=p.b_f)
        return step(q, x_t, h_prev, C_prev)

    v = said(ex.lstm_step, swapped, capsys=capsys)
    assert v.line.startswith("Не совсем") and "W_i" in v.line and "другого слоя" in v.line
    v = said(ex.lstm_step, lambda p, x, h, C: step(p, x, h, C)[:5], capsys=capsys)
    assert "шесть" in v.line

    def no_tanh(p, x_t, h_prev, C_prev):
        f, i, Ct, C, o, h = step(p, x_t, h_prev, C_prev)
        return f, i, Ct, C, o, o * C

    assert "h_t = o_t·tanh(C_t)" in said(ex.lstm_step, no_tanh, capsys=capsys).line


def _bw(**change):
    def fn(s, C_prev, dh, dC_next):
        tC = np.tanh(s.C)
        v = dict(dC=dC_next + dh * s.o * (1 - tC**2))
        v.update({k: f(s, C_prev, dh, dC_next) for k, f in change.items() if k == "dC"})
        dC = v["dC"]
        out = dict(
            dz_f=dC * C_prev * s.f * (1 - s.f),
            dz_i=dC * s.C_tilde * s.i * (1 - s.i),
            dz_C=dC * s.i * (1 - s.C_tilde**2),
            dz_o=dh * tC * s.o * (1 - s.o),
            dC_prev=dC * s.f,
        )
        out.update({k: f(s, C_prev, dh, dC_next, dC) for k, f in change.items() if k != "dC"})
        return dC, out["dz_f"], out["dz_i"], out["dz_C"], out["dz_o"], out["dC_prev"]

    return fn


@pytest.mark.parametrize(
    "fn,hint",
    [
        (_bw(dC=lambda s, Cp, dh, dn: dh * s.o * (1 - np.tanh(s.C) ** 2)), "+ δC_next"),
        (_bw(dC=lambda s, Cp, dh, dn: dn + dh * s.o), "производная tanh"),
        (_bw(dC=lambda s, Cp, dh, dn: dn + dh * s.o * (1 + np.tanh(s.C) ** 2)), "знак в производной tanh"),
        (_bw(dz_f=lambda s, Cp, dh, dn, dC: dC * s.C_tilde * s.f * (1 - s.f)), "δf_t = δC_t·C_{t−1}"),
        (_bw(dz_f=lambda s, Cp, dh, dn, dC: dC * Cp * s.f * (1 + s.f)), "знак в производной сигмоиды"),
        (_bw(dz_i=lambda s, Cp, dh, dn, dC: dC * Cp * s.i * (1 - s.i)), "δi_t = δC_t·C̃_t"),
        (_bw(dz_C=lambda s, Cp, dh, dn, dC: dC * s.i * (1 + s.C_tilde**2)), "знак в производной tanh"),
        (_bw(dz_C=lambda s, Cp, dh, dn, dC: dC * s.i * s.C_tilde * (1 - s.C_tilde)), "1 − C̃²"),
        (_bw(dz_o=lambda s, Cp, dh, dn, dC: dh * s.C * s.o * (1 - s.o)), "умножал tanh(C_t)"),
        (_bw(dz_o=lambda s, Cp, dh, dn, dC: dC * np.tanh(s.C) * s.o * (1 - s.o)), "берётся δh_t"),
        (_bw(dC_prev=lambda s, Cp, dh, dn, dC: dC * s.i), "тоже на f_t"),
        (_bw(dC_prev=lambda s, Cp, dh, dn, dC: -dC * s.f), "назад по ленте"),
    ],
)
def test_backward_hints(fn, hint, capsys):
    v = said(ex.lstm_step_backward, fn, capsys=capsys)
    assert v.line.startswith("Не совсем") and hint in v.line, v.line


def test_backward_reference_passes_through_helper(capsys):
    assert said(ex.lstm_step_backward, _bw(), capsys=capsys)


@pytest.mark.parametrize(
    "fn,hint",
    [
        (lambda n, keep: -forget_bias_for(n, keep), "знак"),
        (lambda n, keep: np.log(keep / (1 - keep)), "keep^(1/n)"),
        (lambda n, keep: 3.0, "σ(b_f)^n"),
    ],
)
def test_forget_bias_hints(fn, hint, capsys):
    v = said(ex.forget_bias_for, fn, capsys=capsys)
    assert v.line.startswith("Не совсем") and hint in v.line, v.line
    assert "4,27" not in v.line and "4.27" not in v.line


def test_predictions(capsys):
    assert said(ex.predict_remember, 0.8, capsys=capsys)
    v = said(ex.predict_remember, 0.0, capsys=capsys)
    assert v.line.startswith("Не совсем") and "0.8" not in v.line
    assert said(ex.predict_remember, None, capsys=capsys).line.startswith("Пока не решено")
    far = {"LSTM, b_f = 1": 1e-5, "LSTM, b_f = 0": 1e-11, "обычная RNN": 1e-8}
    assert said(ex.predict_weakest_gradient, "LSTM, b_f = 0", far, capsys=capsys)
    v = said(ex.predict_weakest_gradient, "обычная RNN", far, capsys=capsys)
    assert v.line.startswith("Не совсем") and "b_f = 0" not in v.line.split(":", 1)[1]
    assert said(ex.predict_weakest_gradient, "что-то", far, capsys=capsys).line.startswith("Не совсем")
    assert said(ex.predict_gender_gate, "f", capsys=capsys)
    for g in ("i", "o", "x"):
        assert said(ex.predict_gender_gate, g, capsys=capsys).line.startswith("Не совсем")
    assert said(ex.predict_gender_gate, ..., capsys=capsys).line.startswith("Пока не решено")


def test_adding_prediction(capsys):
    solved = {"rnn": 0, "lstm": 3}
    assert said(ex.predict_adding_winner, "lstm", solved, capsys=capsys)
    assert said(ex.predict_adding_winner, "rnn", solved, capsys=capsys).line.startswith("Не совсем")
    assert said(ex.predict_adding_winner, "поровну", {"rnn": 2, "lstm": 2}, capsys=capsys)
    assert said(ex.predict_adding_winner, "gru", solved, capsys=capsys).line.startswith("Не совсем")
    assert said(ex.predict_adding_winner, "lstm", {}, capsys=capsys).line.startswith("Пока не решено")
