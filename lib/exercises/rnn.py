"""Checks of notebook 4's exercises: the RNN step, the loop over time, one step of BPTT, the whole BPTT,
the product of Jacobians, and the «predict before you run» questions.

Each check computes the truth with ``lib.rnn`` (no answers stored here) on its own small cases and, when the
student's answer differs, recognises the typical slips (``[x, h]`` instead of ``[h, x]``, a forgotten bias,
tanh' taken at the pre-activation, gradients not summed over time, a sign error …) and names them.
"""

from __future__ import annotations

import numpy as np

from lib import fmt, rnn
from lib.exercises._common import call, correct, exercise, same_array, wrong
from lib.exercises._common import close as _close
from lib.exercises._common import first_hint as _first_hint

__all__ = [
    "bptt",
    "jacobian_norms",
    "predict_baseline_mse",
    "predict_far_gradient",
    "predict_long_lag_winner",
    "predict_new_phrase",
    "rnn_forward",
    "rnn_step",
    "rnn_step_backward",
]


def _case(D: int = 3, H: int = 4, B: int = 2, seed: int = 4):
    """Parameters with a non-zero bias and inputs with and without a batch axis."""
    rng = np.random.default_rng(seed)
    p0 = rnn.init_params(D, H, seed=seed, scale=1.5)
    p = rnn.RNNParams(W=p0.W, b=0.5 * rng.standard_normal(H))
    return p, rng


# ------------------------------------------------------------------------------------------------ forward


@exercise
def rnn_step(fn):
    """``fn(W, b, x_t, h_prev) -> h_t``: ``x_t: (D,)`` or ``(B, D)``, ``h_prev: (H,)`` or ``(B, H)``."""
    p, rng = _case()
    H = p.W.shape[0]
    for x, h in (
        (rng.standard_normal(3), 0.5 * rng.standard_normal(H)),
        (rng.standard_normal((2, 3)), 0.5 * rng.standard_normal((2, H))),
    ):
        where = "для одного примера" if x.ndim == 1 else f"для пакета из {x.shape[0]} примеров"
        got = call(fn, p.W.copy(), p.b.copy(), x.copy(), h.copy())
        want = rnn.rnn_step(p, x, h)
        if _close(got, want):
            continue
        hx, xh = np.concatenate([h, x], axis=-1), np.concatenate([x, h], axis=-1)
        z = hx @ p.W.T + p.b
        hint = _first_hint(
            got,
            [
                (
                    np.tanh(xh @ p.W.T + p.b),
                    (
                        "порядок конкатенации: в нотации курса сначала h_{t-1}, потом x_t — "
                        "первые H столбцов W действуют на прошлое состояние."
                    ),
                ),
                (z, "не забыт ли tanh? Без него шаг — просто линейный слой."),
                (np.tanh(hx @ p.W.T), "не хватает смещения b внутри tanh."),
                (1 / (1 + np.exp(-z)), "в простой RNN функция активации — tanh, а не сигмоида."),
                (np.tanh(hx @ p.W.T - p.b), "знак смещения: W · [h_{t-1}, x_t] + b."),
            ],
            same_array("h_t", got, want) + ". Сравните с формулой шага в тексте урока; "
            "конкатенируйте по последней оси (axis=-1), чтобы работал и пакет.",
        )
        return wrong(f"{where}: {hint}")
    return correct("ваш шаг совпал с lib.rnn.rnn_step и для одного примера, и для пакета.")


@exercise
def rnn_forward(fn):
    """``fn(W, b, xs, h0) -> hs``: ``xs: (T, B, D)``, ``h0: (B, H)`` → ``hs: (T, B, H)`` = h_1 … h_T."""
    p, rng = _case(seed=5)
    T, B, H = 5, 2, p.W.shape[0]
    xs = rng.standard_normal((T, B, 3))
    h0 = 0.5 * rng.standard_normal((B, H))
    got = call(fn, p.W.copy(), p.b.copy(), xs.copy(), h0.copy())
    want = rnn.rnn_forward(p, xs, h0).h
    if _close(got, want):
        return correct(f"ваш цикл по времени дал те же {T} состояний h_1 … h_{T}, что и lib.rnn.rnn_forward.")
    from_h0 = np.stack([rnn.rnn_step(p, xs[t], h0) for t in range(T)])
    zero_start = rnn.rnn_forward(p, xs).h
    hint = _first_hint(
        got,
        [
            (
                want[-1],
                "вернулось только последнее состояние; нужны все h_1 … h_T, по одному на шаг (форма (T, B, H)).",
            ),
            (
                np.concatenate([h0[None], want], axis=0),
                "в ответе лишнее h_0: нужны состояния после каждого шага, h_1 … h_T.",
            ),
            (np.concatenate([h0[None], want[:-1]], axis=0), "сдвиг на шаг: сохраняйте h_t после шага t, а не до него."),
            (from_h0, "каждый шаг начинается с h0: передавайте новое состояние h_t следующему шагу."),
            (zero_start, "начальное состояние h0 не использовано: цепочка должна начинаться с него."),
        ],
        same_array("hs", got, want) + ". Подсказка: каждый шаг получает состояние, которое вернул предыдущий.",
    )
    return wrong(hint)


# ------------------------------------------------------------------------------------------------ backward


def _backward_case():
    p, rng = _case(seed=6)
    B, H = 3, p.W.shape[0]
    x = rng.standard_normal((B, 3))
    h_prev = 0.5 * rng.standard_normal((B, H))
    h = rnn.rnn_step(p, x, h_prev)
    dh = rng.standard_normal((B, H))
    return p, x, h_prev, h, dh


@exercise
def rnn_step_backward(fn):
    """``fn(W, x_t, h_prev, h_t, dh) -> (dW, db, dh_prev, dx)`` for a batch: ``x_t: (B, D)``, the rest ``(B, H)``."""
    p, x, h_prev, h, dh = _backward_case()
    H = p.W.shape[0]
    out = call(fn, p.W.copy(), x.copy(), h_prev.copy(), h.copy(), dh.copy())
    if not isinstance(out, (tuple, list)) or len(out) != 4:
        return wrong("верните четыре массива: (dW, db, dh_prev, dx).")
    want = rnn.rnn_step_backward(p, x, h_prev, h, dh)
    if all(_close(g, w) for g, w in zip(out, want)):
        return correct("все четыре градиента совпали с lib.rnn.rnn_step_backward.")
    hx, xh = np.concatenate([h_prev, x], axis=-1), np.concatenate([x, h_prev], axis=-1)
    z = hx @ p.W.T  # the pre-activation as the student can rebuild it (b is not an argument)
    dz = dh * (1 - h**2)
    slips = [  # (what the wrong dz would give, the hint)
        (dh * (1 - z**2), "производная tanh взята от его входа: 1 − h² считается по выходу h_t = tanh(z), а не по z."),
        (
            dh * (1 - np.tanh(h) ** 2),
            ("производная tanh: h_t уже равно tanh(z), так что tanh' = 1 − h_t², второй tanh лишний."),
        ),
        (dh, "пропущен множитель tanh' = 1 − h_t²: градиент сначала проходит назад через tanh."),
        (-dz, "ошибка в знаке: dz = dh ⊙ (1 − h_t²), без минуса."),
    ]
    for dz_bad, hint in slips:
        if _close(out[1], dz_bad.sum(axis=0)) or _close(out[2], dz_bad @ p.W[:, :H]):
            return wrong(hint)
    dW, db, dh_prev, dx = out
    if not _close(dW, want.dW):
        hint = _first_hint(
            dW,
            [
                (dz.T @ xh, "порядок конкатенации в dW: [h_{t-1}, x_t], как в прямом проходе."),
                (hx.T @ dz, "dW транспонирован: нужна форма (H, H + D), как у W."),
                (dz.T @ np.concatenate([h, x], axis=-1), "в dW нужен вход шага h_{t-1}, а не его выход h_t."),
            ],
            same_array("dW", dW, want.dW) + ". dW строится из dz и входа шага, как у обычного линейного слоя.",
        )
        return wrong(hint)
    if not _close(db, want.db):
        hint = _first_hint(
            db,
            [(dz, "db: сложите dz по пакету (axis=0) — смещение у всех примеров общее.")],
            same_array("db", db, want.db),
        )
        return wrong(hint)
    for name, got, good, other in (("dh_prev", dh_prev, want.dh_prev, p.W[:, H:]), ("dx", dx, want.dx, p.W[:, :H])):
        if not _close(got, good):
            hint = _first_hint(
                got,
                [
                    (
                        dz @ other,
                        ("dh_prev и dx перепутаны: первые H столбцов W — W_h (к h_{t-1}), остальные — W_x (к x_t)."),
                    )
                ],
                same_array(name, got, good)
                + f". Градиент к {'h_{t-1}' if name == 'dh_prev' else 'x_t'} идёт через ту часть W, "
                "что на него действует.",
            )
            return wrong(hint)
    return wrong("сравните с формулами шага назад.")  # unreachable: some part differed


def _bptt_case():
    p, rng = _case(seed=7)
    T, B, H = 4, 2, p.W.shape[0]
    xs = rng.standard_normal((T, B, 3))
    h0 = 0.5 * rng.standard_normal((B, H))
    tr = rnn.rnn_forward(p, xs, h0)
    dh = rng.standard_normal((T, B, H))
    return p, tr, dh


@exercise
def bptt(fn):
    """``fn(p, xs, h0, hs, dh) -> (dW, db)``: the whole BPTT as a loop over ``rnn.rnn_step_backward``."""
    p, tr, dh = _bptt_case()
    out = call(fn, p, tr.xs.copy(), tr.h0.copy(), tr.h.copy(), dh.copy())
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        return wrong("верните два массива: (dW, db).")
    want, _ = rnn.rnn_backward(p, tr, dh)
    if _close(out[0], want.W) and _close(out[1], want.b):
        return correct("градиенты по W и b совпали с lib.rnn.rnn_backward: цикл назад во времени верен.")
    T = tr.h.shape[0]

    def variant(carry: bool = True, wrap: bool = False, total: bool = True):
        """BPTT with one slip: no gradient from the future, h_{-1} wrapped to h_T, or only the last step kept."""
        dW, db, dh_next = np.zeros_like(p.W), np.zeros_like(p.b), np.zeros_like(tr.h0)
        for t in range(T - 1, -1, -1):
            h_prev = tr.h[t - 1] if (t > 0 or wrap) else tr.h0
            g = rnn.rnn_step_backward(p, tr.xs[t], h_prev, tr.h[t], dh[t] + (dh_next if carry else 0))
            dW, db = (dW + g.dW, db + g.db) if total else (g.dW, g.db)
            dh_next = g.dh_prev
        return dW, db

    last_only = rnn.rnn_step_backward(p, tr.xs[-1], tr.h[-2], tr.h[-1], dh[-1])
    for (dW_bad, db_bad), hint in (
        (
            variant(total=False),
            (
                "градиенты общих весов надо складывать по всем шагам (dW += …), "
                "а не заменять: сейчас остался только шаг t = 1."
            ),
        ),
        ((last_only.dW, last_only.db), "учтён только последний шаг: пройдите циклом все t от T до 1."),
        (
            variant(carry=False),
            (
                "к dh[t] надо прибавить градиент, пришедший от шага t + 1 (его dh_prev): "
                "h_t влияет на потери и через будущие шаги."
            ),
        ),
        (variant(wrap=True), "при t = 0 прошлое состояние — h0, а hs[t − 1] дал hs[−1], последнее состояние."),
        ((-want.W, -want.b), "ошибка в знаке: градиенты складываются, без минуса."),
    ):
        if _close(out[0], dW_bad) and _close(out[1], db_bad):
            return wrong(hint)
    return wrong(
        (same_array("dW", out[0], want.W) or same_array("db", out[1], want.b))
        + ". Вспомните, в каком порядке идёт обратный проход по времени и что каждый шаг получает от следующего."
    )


# ------------------------------------------------------------------------------------------------ Jacobians


@exercise
def jacobian_norms(fn):
    """``fn(p, xs) -> (T,)``: ``norms[k] = ‖∂h_T/∂h_{T−k}‖`` (spectral norm) from the step Jacobians."""
    for scale, T in ((0.8, 6), (2.5, 12)):
        p = rnn.init_params(2, 5, seed=7, scale=scale)
        xs = np.random.default_rng(8).standard_normal((T, 2))
        got = call(fn, p, xs.copy())
        want = rnn.jacobian_norms(p, xs)
        if _close(got, want, atol=1e-10):
            continue
        hs = rnn.rnn_forward(p, xs).h
        W_h, _ = rnn.split_weights(p)

        def product(order: str = "right", shift: int = 0, norm=2, T=T, hs=hs, W_h=W_h):
            J, out = np.eye(5), [1.0]
            for k in range(1, T):
                s = T - k - shift
                step = np.diag(1 - hs[s] ** 2) @ W_h if s >= 0 else W_h
                J = J @ step if order == "right" else step @ J
                out.append(np.linalg.norm(J, norm))
            return np.array(out)

        hint = _first_hint(
            got,
            [
                (want[::-1], "массив развёрнут: norms[k] — это k шагов НАЗАД от последнего состояния."),
                (product(norm="fro"), "это норма Фробениуса; нужна спектральная: np.linalg.norm(J, ord=2)."),
                (
                    product(order="left"),
                    (
                        "порядок множителей: произведение идёт от s = T (слева) вниз до t + 1 (справа), "
                        "так что якобиан каждого следующего шага назад встаёт справа."
                    ),
                ),
                (product(shift=1), "сдвиг на шаг: в якобиане шага s стоит состояние ПОСЛЕ этого шага, h_s."),
            ],
            "при k = 0 производная ∂h_T/∂h_T — единичная матрица, её норма 1."
            if np.size(got) == T and not np.isclose(np.ravel(np.asarray(got, dtype=float))[0], 1.0)
            else (same_array("norms", got, want) or "") + ". Сверьте якобиан шага с формулой в тексте урока.",
        )
        return wrong(f"при масштабе {scale} и T = {T}: {hint}")
    return correct("ваши нормы совпали с lib.rnn.jacobian_norms — и там, где градиент затухает, и там, где растёт.")


# ------------------------------------------------------------------------------------- predict before you run


def _choice(guess, options: tuple[str, ...], name: str) -> str | None:
    g = str(guess).strip().lower().replace(" ", "")
    return g if g in options else None


@exercise
def predict_far_gradient(guess, *, scale: float = 1.0, T: int = 100, hidden_size: int = 32, seed: int = 0):
    """``guess`` is ``">"`` or ``"<"``: is ‖∂h_T/∂h_1‖ of the lesson's random RNN above or below 1e-5?"""
    g = _choice(guess, (">", "<"), "guess")
    if g is None:
        return wrong('впишите строку ">" или "<".')
    p = rnn.init_params(1, hidden_size, seed=seed, scale=scale)
    xs = np.random.default_rng(seed + 1).standard_normal((T, 1))
    far = float(rnn.jacobian_norms(p, xs)[-1])
    truth = ">" if far > 1e-5 else "<"
    if g == truth:
        return correct(
            f"через {fmt.plural(T - 1, 'шаг', 'шага', 'шагов')} норма "
            f"{f'{far:.1e}'.replace('.', ',').replace('-', '−')} — "
            f"{'больше' if truth == '>' else 'меньше'} 1e−5. "
            "Следующая ячейка показывает, как она к этому пришла."
        )
    return wrong(
        "подумайте, что делает с вектором произведение многих матриц, каждая из которых "
        "в среднем его немного сжимает (множитель 1 − h² ≤ 1)."
    )


@exercise
def predict_new_phrase(guess, lm, vocab, phrase: str, right_word: str):
    """``guess`` is ``"да"``/``"нет"``: will the trained language model ``lm`` (a ``ClassifierResult`` of
    ``seqtrain.train_classifier``) put ``right_word`` first after ``phrase``, a phrase it never saw?"""
    from lib.text import top_next_words

    g = _choice(guess, ("да", "нет"), "guess")
    if g is None:
        return wrong('впишите строку "да" или "нет".')
    ((top, prob),) = top_next_words(lm.model, lm.params, lm.readout, vocab, phrase, k=1)
    truth = "да" if top == right_word else "нет"
    if g == truth:
        return correct(
            f"после «{phrase}» модель первым ставит «{top}» (вероятность {fmt.num(prob)}). "
            "Ниже — она же на других новых фразах."
        )
    return wrong("модель поступила иначе, чем вы ожидали: посмотрите ниже, что она ответила, и подумайте почему.")


@exercise
def predict_baseline_mse(guess, *, T: int = 100):
    """``guess``: the MSE of always answering 1.0 on the adding problem (a number)."""
    from lib.seqtrain import adding_baseline_mse

    try:
        g = float(guess)
    except (TypeError, ValueError):
        return wrong("впишите число, например 0.5.")
    truth = adding_baseline_mse(T)
    if abs(g - truth) <= 0.03:
        return correct(
            f"на тестовых примерах выходит {fmt.num(truth, 3)}: это дисперсия суммы двух равномерных чисел, "
            "2 · 1/12 = 1/6."
        )
    if abs(g - 1 / 12) < 0.01:
        return wrong("1/12 — дисперсия одного числа из [0, 1); а ответ — сумма двух независимых таких чисел.")
    return wrong(
        "слишком " + ("много" if g > truth else "мало") + ": MSE ответа «всегда 1» — это дисперсия "
        "суммы двух независимых чисел из [0, 1), каждое со средним 1/2."
    )


@exercise
def predict_long_lag_winner(guess, solved: dict, *, T: int = 100):
    """``guess`` is ``"rnn"``, ``"lstm"`` or ``"поровну"``; ``solved = {"rnn": n, "lstm": m}`` from the bench."""
    g = _choice(guess, ("rnn", "lstm", "поровну"), "guess")
    if g is None:
        return wrong('впишите "rnn", "lstm" или "поровну".')
    r, m = solved["rnn"], solved["lstm"]
    truth = "поровну" if r == m else ("rnn" if r > m else "lstm")
    if g == truth:
        return correct(f"при T = {T} решено: RNN — {r}, LSTM — {m} (таблица ниже).")
    return wrong("таблица говорит иное: посмотрите на столбец «решено» при длинной задержке.")
