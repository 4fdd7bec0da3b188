"""Checks of notebook 2 «Слой персептронов»: six pieces of code the student writes and four predictions.

Code: ``layer_sums`` (the weighted sums of a layer, ``(B, K)``), ``layer_answer`` (the winner),
``perceptron_step`` (the winner-takes-all update), ``softmax`` (stable, by rows), ``cross_entropy`` (mean over
the batch) and ``softmax_gradient`` (``dW, db`` of the softmax layer). Predictions: ``zero_mistakes``,
``lr_matters``, ``softmax_wins``, ``worst_digit``.

Every check knows the right answer only by computing it with ``lib.layer`` / ``lib.numerics``; the hints
name the typical mistake (transposed ``W``, forgotten bias, wrong axis, no max shift, the batch size not
divided by, a sign error) and never the answer.
"""

from __future__ import annotations

import numpy as np

from lib import layer
from lib.digits import load_digits
from lib.exercises._common import call, correct, exercise, same_array, wrong
from lib.exercises._common import close as _close
from lib.fmt import num, plural
from lib.numerics import cross_entropy as _cross_entropy
from lib.numerics import softmax as _softmax

__all__ = [
    "cross_entropy",
    "layer_answer",
    "layer_sums",
    "lr_matters",
    "perceptron_step",
    "softmax",
    "softmax_gradient",
    "softmax_wins",
    "worst_digit",
    "zero_mistakes",
]


def _digit_layer(seed: int, K: int = 10, B: int = 6):
    """A layer of ``K`` neurons on real digits: ``W: (K, 64)``, ``b: (K,)``, ``X: (B, 64)``, ``y: (B,)``."""
    rng = np.random.default_rng(seed)
    X_all, y_all = load_digits()
    idx = rng.choice(len(X_all), size=B, replace=False)
    W = np.round(rng.normal(scale=0.3, size=(K, X_all.shape[1])), 2)
    b = np.round(rng.normal(size=K), 1)
    return W, b, X_all[idx], y_all[idx] % K


def _square_layer(seed: int = 3):
    """A small layer with as many inputs as neurons (3 × 3): here ``X @ W`` does not crash, it is just wrong."""
    rng = np.random.default_rng(seed)
    return np.round(rng.normal(size=(3, 3)), 1), np.round(rng.normal(size=3), 1), np.round(rng.random((4, 3)), 1)


# --- 1. the weighted sums of the layer ------------------------------------------------------------------------


@exercise
def layer_sums(fn):
    """``fn(W, b, X)``: the sums of all ``K`` neurons for every example,
    ``W: (K, D), b: (K,), X: (B, D)`` → ``(B, K)``."""
    for W, b, X in (_square_layer(), _digit_layer(1)[:3]):
        want = layer.weighted_sums(layer.LayerParams(W, b), X)
        got = call(fn, W.copy(), b.copy(), X.copy())
        if _close(got, want):
            continue
        if _close(got, X @ W + b):
            return wrong(
                "похоже, X умножено на W как есть. Но строка k матрицы W — веса нейрона k, а X @ W умножает примеры "
                "на столбцы W: поверните W так, чтобы её строки стали столбцами."
            )
        if _close(got, want.T):
            return wrong(
                f"получилась форма {np.shape(got)}: строки — нейроны. Нужна ({len(X)}, {len(W)}): "
                "строка на пример, столбец на нейрон."
            )
        if _close(got, X @ W.T):
            return wrong("забыто смещение: сумма нейрона k — это w_k·x + b_k.")
        if np.shape(got) == (len(X),) or np.ndim(got) == 0:
            return wrong("нужны суммы всех нейронов, таблица (B, K), а не одно число на пример.")
        return wrong(same_array("суммы", got, want) or "суммы не совпали")
    return correct("суммы совпали с lib.layer.weighted_sums, форма (B, K), в том числе для 10 нейронов на 64 пикселях.")


# --- 2. the winner ----------------------------------------------------------------------------------------


@exercise
def layer_answer(fn):
    """``fn(W, b, X)``: the winner for every example (index of the largest sum), ``(B,)`` of ints."""
    W, b, X, _ = _digit_layer(2)
    b = b.copy()
    b[3] += 6.0  # so that forgetting the bias changes the winner
    want = layer.predict(layer.LayerParams(W, b), X)
    got = call(fn, W.copy(), b.copy(), X.copy())
    sums = X @ W.T + b
    shape = np.shape(got)
    if shape == sums.shape:
        return wrong("функция вернула таблицу сумм (B, K), а нужен номер нейрона-победителя для каждого примера.")
    if shape == (W.shape[0],) and _close(got, np.argmax(sums, axis=0)):
        return wrong(
            "argmax взят не по той оси: победитель выбирается среди нейронов одного примера, "
            "то есть по оси 1 (по строке)."
        )
    if shape != want.shape:
        return wrong(f"ответ формы {shape}, а нужна ({len(X)},): по одному номеру нейрона на пример.")
    if _close(got, want):
        return correct(f"победители совпали с lib.layer.predict на всех {len(X)} примерах.")
    if _close(got, np.argmin(sums, axis=1)):
        return wrong("выбрана наименьшая сумма, а побеждает наибольшая.")
    if _close(got, np.argmax(X @ W.T, axis=1)):
        return wrong("похоже, забыто смещение b: сумма каждого нейрона — w·x + b.")
    n_bad = int(np.sum(np.asarray(got) != want))
    return wrong(
        f"неверно на {n_bad} из {len(X)} примеров. Сначала суммы всех нейронов (как в упражнении 1), "
        "потом номер наибольшей из них в каждой строке."
    )


# --- 3. the winner-takes-all update ---------------------------------------------------------------------------


@exercise
def perceptron_step(fn):
    """``fn(W, b, x, y, lr) → (W_new, b_new)``: one step of the multi-class perceptron rule on ``x: (D,)``."""
    W, b, X, _ = _digit_layer(11, K=10, B=6)
    lr = 0.5
    winners = layer.predict(layer.LayerParams(W, b), X)
    cases = [(X[0], int(winners[0]))]  # a correct answer first
    cases += [(x, int((k + 1 + j) % len(W))) for j, (x, k) in enumerate(zip(X[1:], winners[1:]))]
    for x, y in cases:
        W_in, b_in = W.copy(), b.copy()
        got = call(fn, W_in, b_in, x.copy(), y, lr)
        if not (isinstance(got, (tuple, list)) and len(got) == 2):
            return wrong(f"функция должна возвращать пару (W_new, b_new), а вернула {type(got).__name__}.")
        W_got, b_got = got
        want, _ = layer.perceptron_step(layer.LayerParams(W, b), x, y, lr)
        if np.shape(W_got) != W.shape or np.shape(b_got) != b.shape:
            return wrong(f"формы изменились: W {np.shape(W_got)}, b {np.shape(b_got)}; нужны {W.shape} и {b.shape}.")
        if _close(W_got, want.W) and _close(b_got, want.b):
            if not np.array_equal(W_in, W) or not np.array_equal(b_in, b):
                return wrong(
                    "функция изменила переданные W или b на месте; начните с копий: W = W.copy(), b = b.copy()."
                )
            continue
        k = int(np.argmax(W @ x + b))
        W_got, b_got = np.asarray(W_got, dtype=float), np.asarray(b_got, dtype=float)
        changed = [r for r in range(len(W)) if not np.allclose(W_got[r], W[r])]
        where = f"пример цифры {y}, победил нейрон {k}: "
        if k == y:
            return wrong(where + "слой ответил верно, а по правилу персептрона при верном ответе ничего не меняют.")
        if _close(W_got, want.W):
            return wrong(
                where + "веса W изменены верно, а смещения — нет: у верного нейрона b[y] += lr, "
                "у ошибочного победителя b[k] −= lr."
            )
        if changed == [y]:
            return wrong(where + "верный нейрон подтянут, а ошибочного победителя тоже нужно оттолкнуть от примера.")
        if changed == [k]:
            return wrong(where + "победитель оттолкнут, а верный нейрон тоже нужно подтянуть к примеру.")
        if len(changed) > 2:
            return wrong(
                where + f"изменились строки {changed}; меняются только две — верного класса и ошибочного победителя."
            )
        if np.allclose(W_got[y], W[y] - lr * x) or np.allclose(W_got[k], W[k] + lr * x):
            return wrong(
                where + "знаки перепутаны: верный нейрон должен приблизиться к примеру (+lr·x), "
                "победитель — отдалиться (−lr·x)."
            )
        if np.allclose(W_got[y] - W[y], x) or np.allclose(W_got[y] - W[y], -x):
            return wrong(where + "поправка должна быть lr·x, а не x: не забудьте скорость обучения.")
        return wrong(where + f"ожидались изменения в строках {sorted({k, y})}, а изменились {changed}.")
    return correct(f"ваше правило совпало с lib.layer.perceptron_step на всех {len(cases)} проверочных примерах.")


# --- 4. softmax -------------------------------------------------------------------------------------------


@exercise
def softmax(fn):
    """``fn(Z)``: probabilities by rows, ``Z: (B, K)`` → ``(B, K)``, each row sums to 1, no overflow."""
    rng = np.random.default_rng(5)
    Z = np.round(rng.normal(size=(3, 4)) * 2, 1)
    got = call(fn, Z.copy())
    want = _softmax(Z)
    if not _close(got, want):
        if np.shape(got) != Z.shape:
            return wrong(f"ожидалась форма {Z.shape} (как у Z), получена {np.shape(got)}.")
        if _close(got, _softmax(Z, axis=0)):
            return wrong(
                "нормировано не по той оси: в сумме 1 должна давать каждая строка (один пример), "
                "а не каждый столбец. Суммируйте по axis=1 с keepdims=True."
            )
        if _close(got, np.exp(Z) / np.exp(Z).sum()):
            return wrong(
                "в сумме 1 дают все числа матрицы вместе, а должна каждая строка: "
                "делите на сумму по axis=1 (keepdims=True)."
            )
        if _close(got, _softmax(Z - Z.max(axis=0))):
            return wrong(
                "из каждой строки нужно вычесть максимум этой же строки (axis=1, keepdims=True), "
                "а вычтен максимум столбца — это меняет вероятности."
            )
        return wrong(same_array("softmax(Z)", got, want) or "вероятности не совпали")
    big = np.array([[1000.0, 1001.0, 999.0, 1000.5], [-1000.0, -1001.0, -999.0, -1000.5]])
    got = np.asarray(call(fn, big.copy()), dtype=np.float64)
    want = _softmax(big)
    if _close(got, want):
        return correct("строки — вероятности, и даже суммы ±1000 не переполняют exp.")
    if (
        got.shape == big.shape
        and np.all(np.isfinite(got[0]))
        and np.allclose(got[0], want[0])
        and not np.all(np.isfinite(got[1]))
    ):
        return wrong(
            "на строке с суммами около −1000 получилось 0/0: из неё вычли общий максимум матрицы. "
            "Вычитайте максимум каждой строки: Z.max(axis=1, keepdims=True)."
        )
    return wrong(
        "при суммах около 1000 exp переполняется (e¹⁰⁰⁰ = inf, а inf/inf = NaN). Вычтите из каждой "
        "строки её максимум перед exp: вероятности от этого не меняются."
    )


# --- 5. cross-entropy ---------------------------------------------------------------------------------------


@exercise
def cross_entropy(fn):
    """``fn(P, y)``: mean over the batch of ``−log P[i, y_i]``, ``P: (B, K), y: (B,)`` → a number."""
    rng = np.random.default_rng(8)
    P = _softmax(rng.normal(size=(5, 4)))
    y = np.array([0, 3, 1, 1, 2])
    got = call(fn, P.copy(), y.copy())
    want = _cross_entropy(P, y)
    if np.ndim(got) != 0:
        if np.shape(got) == (len(y),):
            return wrong("получилось по числу на пример; нужна одна потеря на пакет — их среднее.")
        return wrong(f"ожидалось одно число, а получен массив формы {np.shape(got)}.")
    try:
        got = float(got)
    except (TypeError, ValueError):
        return wrong(f"ожидалось число, получено {type(got).__name__}.")
    picked = P[np.arange(len(y)), y]
    if np.isclose(got, want):
        return correct(f"перекрёстная энтропия {num(want, 4)} совпала с lib.numerics.cross_entropy.")
    if np.isclose(got, want * len(y)):
        return wrong("это сумма по пакету; поделите на размер пакета B (нужно среднее).")
    if np.isclose(got, -want):
        return wrong("знак: log вероятности отрицателен, потеря — это −log P, она неотрицательна.")
    if np.isclose(got, -np.mean(np.log(P[:, y]))):
        return wrong(
            "P[:, y] берёт целые столбцы (таблица B × B); нужна в каждой строке i одна вероятность "
            "P[i, y[i]]: подойдёт индексирование двумя массивами — номерами строк и y."
        )
    if np.isclose(got, -np.mean(np.log(P))) or np.isclose(got, -np.log(P).sum() / len(y)):
        return wrong("в потерю входит только вероятность верного класса каждого примера, а не все K.")
    if np.isclose(got, -np.mean(np.log10(picked))) or np.isclose(got, -np.mean(np.log2(picked))):
        return wrong("логарифм нужен натуральный: np.log.")
    return wrong(f"получилось {num(got, 4)}. Потеря — среднее по примерам чисел −log P[i, y[i]].")


# --- 6. the gradient of the softmax layer -------------------------------------------------------------------


@exercise
def softmax_gradient(fn):
    """``fn(W, b, X, y) → (dW, db)``: the gradient of the mean cross-entropy, ``dW: (K, D)``, ``db: (K,)``."""
    W, b, X, y = _digit_layer(21, K=10, B=8)
    W, b = W * 0.5, b * 0.5
    got = call(fn, W.copy(), b.copy(), X.copy(), y.copy())
    if not (isinstance(got, (tuple, list)) and len(got) == 2):
        return wrong(f"функция должна возвращать пару (dW, db), а вернула {type(got).__name__}.")
    dW, db = got
    _, g = layer.softmax_loss_and_grads(layer.LayerParams(W, b), X, y)
    if _close(dW, g.W) and _close(db, g.b):
        return correct("dW и db совпали с lib.layer.softmax_loss_and_grads (а тот проверен конечными разностями).")
    B = len(X)
    P = _softmax(X @ W.T + b)
    hints = []
    if np.shape(dW) == (W.shape[1], W.shape[0]):
        hints.append(f"dW транспонирована: форма {np.shape(dW)}, а должна быть как у W, {W.shape} — (P − T).T @ X")
    elif _close(dW, g.W * B):
        hints.append("dW: забыли поделить на размер пакета B (потеря — среднее по пакету)")
    elif _close(dW, -g.W):
        hints.append("dW: знак перепутан — dL/dz = P − T, а не T − P")
    elif _close(dW, P.T @ X / B) or _close(dW, P.T @ X):
        hints.append("dW: не вычтено T (единица на месте верного класса): dL/dz = P − T")
    elif not _close(dW, g.W):
        hints.append(same_array("dW", dW, g.W) or "dW не совпала")
    if np.shape(db) == (B, W.shape[0]):
        hints.append("db: сложите поправки по примерам пакета (по оси 0), форма (K,)")
    elif _close(db, g.b * B):
        hints.append("db: забыли поделить на размер пакета B")
    elif _close(db, -g.b):
        hints.append("db: знак перепутан — dL/dz = P − T")
    elif np.shape(db) == (B,):
        hints.append("db: сумма взята не по той оси — складывать нужно по примерам пакета, axis=0")
    elif not _close(db, g.b):
        hints.append(same_array("db", db, g.b) or "db не совпал")
    return wrong("; ".join(hints) + ".")


# --- predictions ------------------------------------------------------------------------------------------

_YES = {"да", "yes", "true", "1"}
_NO = {"нет", "no", "false", "0"}


def _yes_no(answer) -> bool | None:
    if isinstance(answer, (bool, np.bool_)):
        return bool(answer)
    text = str(answer).strip().lower()
    return True if text in _YES else False if text in _NO else None


@exercise
def zero_mistakes(guess, X_train, y_train, *, epochs: int, seed: int):
    """Prediction: will the perceptron rule make zero mistakes in its last epoch on these images?"""
    said = _yes_no(guess)
    if said is None:
        return wrong(f"ответьте «да» или «нет», а не {guess!r}.")
    _, mistakes = layer.train_perceptron(X_train, y_train, epochs=epochs, seed=seed)
    truth = bool(mistakes[-1] == 0)
    if said == truth:
        return correct(
            "так и есть — график ниже показывает почему."
            if truth
            else "до нуля ошибки не дойдут: график ниже показывает, как они скачут."
        )
    return wrong(
        "прогноз не сбылся. Вспомните урок 1: на разделимых данных ошибки рано или поздно кончаются, "
        "но теорема не обещает, что за данное число эпох. Посмотрите на график ниже."
    )


@exercise
def lr_matters(guess, X_train, y_train, X_test, y_test, *, epochs: int, seed: int):
    """Prediction: does doubling η change the test answers of the perceptron rule started from zero weights?"""
    said = _yes_no(guess)
    if said is None:
        return wrong(f"ответьте «да» или «нет», а не {guess!r}.")
    answers = []
    for lr in (1.0, 2.0):
        p, _ = layer.train_perceptron(X_train, y_train, epochs=epochs, lr=lr, seed=seed)
        answers.append(layer.predict(p, X_test))
    truth = not np.array_equal(*answers)
    if said == truth:
        return correct("ответы слоя при η = 1 и η = 2 " + ("различаются." if truth else "совпадают все до единого."))
    return wrong(
        "прогноз не сбылся. Начните с нулевых весов и проследите два шага: во сколько раз при η = 2 "
        "каждая поправка больше, а значит, и все веса? Меняет ли это, чья сумма наибольшая?"
    )


@exercise
def softmax_wins(guess, seeds, **compare_kwargs):
    """Prediction: who is more accurate on the test images on average over the splits ``seeds``:
    «софтмакс» (or «softmax»), «персептрон» or «поровну»?"""
    options = {"софтмакс": 1, "персептрон": -1, "поровну": 0}
    said = {**options, "softmax": 1}.get(str(guess).strip().lower())
    if said is None:
        return wrong(f"выберите один из ответов {', '.join(repr(o) for o in options)}, а не {guess!r}.")
    runs = [layer.compare_on_digits(s, **compare_kwargs) for s in seeds]
    diff = np.mean([r.acc_soft - r.acc_perc for r in runs])
    truth = int(np.sign(round(diff, 6)))
    if said == truth:
        return correct("прогноз сбылся; таблица ниже показывает, на сколько и в каждом ли разбиении.")
    return wrong(
        "прогноз не сбылся. Подумайте, что софтмакс-слой делает на верно распознанной, но «неуверенной» "
        "картинке и что делает с ней правило персептрона. Таблица ниже покажет, как вышло."
    )


@exercise
def worst_digit(guess, p, X_test, y_test):
    """Prediction: which digit does the layer ``p`` recognise worst (smallest share of its test images)?"""
    if not isinstance(guess, (int, np.integer)) or isinstance(guess, bool) or not 0 <= guess <= 9:
        return wrong(f"нужна цифра — целое число от 0 до 9, а получено {guess!r}.")
    C = layer.confusion_matrix(y_test, layer.predict(p, X_test))
    recall = layer.recall_per_class(C)
    if recall[guess] == recall.min():
        return correct(
            f"цифру {guess} слой узнаёт хуже всех: {C[guess, guess]} из "
            f"{plural(int(C[guess].sum()), 'картинки', 'картинок', 'картинок')}."
        )
    worse = int(np.sum(recall < recall[guess]))
    return wrong(
        f"цифру {guess} слой узнаёт на {C[guess, guess]} из {C[guess].sum()} тестовых картинок; "
        f"{plural(worse, 'цифру', 'цифры', 'цифр')} он узнаёт хуже. Найдите их в матрице ниже."
    )
