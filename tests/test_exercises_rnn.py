"""lib.exercises.rnn: every check says «Верно» to a right answer, «Пока не решено» to a stub, and names the
typical slip of a wrong one."""

import numpy as np
import pytest

from lib import rnn, seqtrain, text
from lib.exercises import rnn as ex

H_OF = lambda W: W.shape[0]


# ---------------------------------------------------------------------------------------- right answers


def step(W, b, x_t, h_prev):
    return np.tanh(np.concatenate([h_prev, x_t], axis=-1) @ W.T + b)


def forward(W, b, xs, h0):
    h, hs = h0, []
    for x_t in xs:
        h = step(W, b, x_t, h)
        hs.append(h)
    return np.stack(hs)


def step_backward(W, x_t, h_prev, h_t, dh):
    H = H_OF(W)
    dz = dh * (1 - h_t**2)
    dW = dz.T @ np.concatenate([h_prev, x_t], axis=-1)
    return dW, dz.sum(axis=0), dz @ W[:, :H], dz @ W[:, H:]


def bptt(p, xs, h0, hs, dh):
    dW, db, dh_next = np.zeros_like(p.W), np.zeros_like(p.b), np.zeros_like(h0)
    for t in range(len(xs) - 1, -1, -1):
        h_prev = hs[t - 1] if t > 0 else h0
        g = rnn.rnn_step_backward(p, xs[t], h_prev, hs[t], dh[t] + dh_next)
        dW, db, dh_next = dW + g.dW, db + g.db, g.dh_prev
    return dW, db


def norms(p, xs, order="right", norm=2):
    hs = rnn.rnn_forward(p, xs).h
    H = H_OF(p.W)
    J, out = np.eye(H), [1.0]
    for k in range(1, len(hs)):
        step_J = np.diag(1 - hs[-k] ** 2) @ p.W[:, :H]
        J = J @ step_J if order == "right" else step_J @ J
        out.append(np.linalg.norm(J, norm))
    return np.array(out)


def _verdict(check, *args, **kw):
    v = check(*args, quiet=True, **kw)
    return v.status, v.text


@pytest.mark.parametrize(
    "check, answer",
    [
        (ex.rnn_step, step),
        (ex.rnn_forward, forward),
        (ex.rnn_step_backward, step_backward),
        (ex.bptt, bptt),
        (ex.jacobian_norms, norms),
    ],
)
def test_right_answers_are_correct_and_stubs_unsolved(check, answer, capsys):
    assert check(answer)
    assert capsys.readouterr().out.startswith("Верно")
    assert not check(...)
    assert capsys.readouterr().out.startswith("Пока не решено")

    def stub(*args): ...

    assert check(stub).status == "unsolved"
    assert capsys.readouterr().out.startswith("Пока не решено")

    def crash(*args):
        raise IndexError("tuple index out of range")

    v = check(crash)
    assert v.status == "wrong" and "IndexError" in v.text and capsys.readouterr().out.startswith("Не совсем")


# ---------------------------------------------------------------------------------------- typical slips


def _cat(a, b):
    return np.concatenate([a, b], axis=-1)


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda W, b, x, h: np.tanh(_cat(x, h) @ W.T + b), "порядок конкатенации"),
        (lambda W, b, x, h: _cat(h, x) @ W.T + b, "tanh"),
        (lambda W, b, x, h: np.tanh(_cat(h, x) @ W.T), "смещения b"),
        (lambda W, b, x, h: 1 / (1 + np.exp(-(_cat(h, x) @ W.T + b))), "сигмоида"),
        (lambda W, b, x, h: np.tanh(_cat(h, x) @ W.T - b), "знак смещения"),
        (lambda W, b, x, h: np.zeros(7), "форма"),
    ],
)
def test_step_hints(wrong, hint):
    status, said = _verdict(ex.rnn_step, wrong)
    assert status == "wrong" and hint in said


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda W, b, xs, h0: forward(W, b, xs, h0)[-1], "только последнее"),
        (lambda W, b, xs, h0: np.concatenate([h0[None], forward(W, b, xs, h0)]), "лишнее h_0"),
        (lambda W, b, xs, h0: np.concatenate([h0[None], forward(W, b, xs, h0)[:-1]]), "сдвиг на шаг"),
        (lambda W, b, xs, h0: np.stack([step(W, b, x, h0) for x in xs]), "передавайте новое состояние"),
        (lambda W, b, xs, h0: forward(W, b, xs, np.zeros_like(h0)), "h0 не использовано"),
    ],
)
def test_forward_hints(wrong, hint):
    status, said = _verdict(ex.rnn_forward, wrong)
    assert status == "wrong" and hint in said


def _backward_slip(kind):
    def fn(W, x_t, h_prev, h_t, dh):
        H = H_OF(W)
        hx = _cat(h_prev, x_t)
        dz = {
            "pre": dh * (1 - (hx @ W.T) ** 2),
            "double": dh * (1 - np.tanh(h_t) ** 2),
            "none": dh,
            "sign": -dh * (1 - h_t**2),
        }.get(kind, dh * (1 - h_t**2))
        dW = {"order": dz.T @ _cat(x_t, h_prev), "transposed": hx.T @ dz, "h_t": dz.T @ _cat(h_t, x_t)}.get(
            kind, dz.T @ hx
        )
        db = dz if kind == "db_batch" else dz.sum(axis=0)
        dh_prev, dx = dz @ W[:, :H], dz @ W[:, H:]
        if kind == "swap":
            dh_prev, dx = dz @ W[:, H:], dz @ W[:, :H]
        return dW, db, dh_prev, dx

    return fn


@pytest.mark.parametrize(
    "kind, hint",
    [
        ("pre", "от его входа"),
        ("double", "второй tanh лишний"),
        ("none", "пропущен множитель"),
        ("sign", "ошибка в знаке"),
        ("order", "порядок конкатенации"),
        ("transposed", "транспонирован"),
        ("h_t", "h_{t-1}, а не его выход"),
        ("db_batch", "по пакету"),
        ("swap", "перепутаны"),
    ],
)
def test_step_backward_hints(kind, hint):
    status, said = _verdict(ex.rnn_step_backward, _backward_slip(kind))
    assert status == "wrong" and hint in said, said


def test_step_backward_wants_four_arrays():
    status, said = _verdict(ex.rnn_step_backward, lambda W, x, hp, h, dh: step_backward(W, x, hp, h, dh)[:2])
    assert status == "wrong" and "четыре" in said


def _bptt_slip(kind):
    def fn(p, xs, h0, hs, dh):
        dW, db, dh_next = np.zeros_like(p.W), np.zeros_like(p.b), np.zeros_like(h0)
        for t in range(len(xs) - 1, -1, -1):
            h_prev = hs[t - 1] if (t > 0 or kind == "wrap") else h0
            g = rnn.rnn_step_backward(p, xs[t], h_prev, hs[t], dh[t] + (0 if kind == "carry" else dh_next))
            dW, db = (g.dW, g.db) if kind == "replace" else (dW + g.dW, db + g.db)
            dh_next = g.dh_prev
            if kind == "last":
                break
        return (-dW, -db) if kind == "sign" else (dW, db)

    return fn


@pytest.mark.parametrize(
    "kind, hint",
    [
        ("replace", "складывать по всем шагам"),
        ("last", "только последний шаг"),
        ("carry", "пришедший от шага t + 1"),
        ("wrap", "hs[−1]"),
        ("sign", "ошибка в знаке"),
    ],
)
def test_bptt_hints(kind, hint):
    status, said = _verdict(ex.bptt, _bptt_slip(kind))
    assert status == "wrong" and hint in said, said


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda p, xs: norms(p, xs)[::-1], "развёрнут"),
        (lambda p, xs: norms(p, xs, norm="fro"), "Фробениуса"),
        (lambda p, xs: norms(p, xs, order="left"), "порядок множителей"),
        (lambda p, xs: norms(p, xs) * 2, "единичная матрица"),
        (lambda p, xs: norms(p, xs)[1:], "форма"),
    ],
)
def test_jacobian_hints(wrong, hint):
    status, said = _verdict(ex.jacobian_norms, wrong)
    assert status == "wrong" and hint in said, said


# ---------------------------------------------------------------------------------------- predictions


def test_predict_far_gradient():
    assert ex.predict_far_gradient("<", quiet=True)
    v = ex.predict_far_gradient(">", quiet=True)
    assert v.status == "wrong" and "сжимает" in v.text and "e-" not in v.text
    assert ex.predict_far_gradient("больше", quiet=True).status == "wrong"
    assert ex.predict_far_gradient(None, quiet=True).status == "unsolved"
    assert ex.predict_far_gradient(">", scale=3.0, quiet=True)  # an exploding one is above


def test_predict_baseline_mse():
    assert ex.predict_baseline_mse(1 / 6, quiet=True)
    assert "дисперсия одного" in ex.predict_baseline_mse(1 / 12, quiet=True).text
    v = ex.predict_baseline_mse(0.5, quiet=True)
    assert v.status == "wrong" and "слишком много" in v.text and "1/6" not in v.text
    assert ex.predict_baseline_mse("много", quiet=True).status == "wrong"
    assert ex.predict_baseline_mse(None, quiet=True).status == "unsolved"


def test_predict_long_lag_winner():
    assert ex.predict_long_lag_winner("LSTM", {"rnn": 0, "lstm": 3}, quiet=True)
    assert ex.predict_long_lag_winner("поровну", {"rnn": 2, "lstm": 2}, quiet=True)
    assert ex.predict_long_lag_winner("rnn", {"rnn": 0, "lstm": 3}, quiet=True).status == "wrong"
    assert ex.predict_long_lag_winner(..., {"rnn": 0, "lstm": 3}, quiet=True).status == "unsolved"


def test_predict_new_phrase():
    sents = text.sentences()
    vocab = text.build_vocab(sents)
    data = text.lm_dataset(sents, vocab)
    lm = seqtrain.train_classifier(
        "rnn", data.xs, data.targets, data.mask, num_classes=len(vocab), hidden_size=16, lr=0.01, steps=60, seed=0
    )
    ((top, _),) = text.top_next_words("rnn", lm.params, lm.readout, vocab, "тёмные облака плывут по", k=1)
    right, wrong_guess = ("да", "нет") if top == "небу" else ("нет", "да")
    assert ex.predict_new_phrase(right, lm, vocab, "тёмные облака плывут по", "небу", quiet=True)
    v = ex.predict_new_phrase(wrong_guess, lm, vocab, "тёмные облака плывут по", "небу", quiet=True)
    assert v.status == "wrong"
    assert ex.predict_new_phrase("может", lm, vocab, "тёмные облака плывут по", "небу", quiet=True).status == "wrong"
