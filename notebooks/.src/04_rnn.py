# %% [markdown] slideshow={"slide_type": "slide"}
# # 4. Рекуррентные сети: память в цикле
#
# До сих пор каждая сеть курса получала вход целиком и отвечала на него с чистого листа. Но текст, речь,
# музыка, показания датчиков приходят **последовательностью**, и смысл очередного элемента зависит от
# предыдущих. В этом уроке:
#
# * зачем сети **петля** и как её «развернуть» в цепочку копий одной и той же сети;
# * вы сами напишете шаг простой рекуррентной сети (RNN), цикл по времени и шаг **обратного
#   распространения во времени** (BPTT);
# * маленькая языковая модель на русском тексте дописывает «облака плывут по …» — **короткий контекст**,
#   и мы проверим её на фразах, которых она не видела;
# * почему **длинный контекст** даётся RNN плохо: измерим, как затухает (или взрывается) градиент,
#   и честно сравним RNN с LSTM на задаче сложения.
#
# Запускайте ячейки сверху вниз (Shift+Enter). Если после перезапуска ядра ячейка в середине пишет
# `NameError`, запустите по очереди все ячейки выше неё: ей нужны переменные, которые они создают.

# %% tags=["parameters"] slideshow={"slide_type": "skip"}
seed = 0  # начальные веса, данные и порядок примеров
hidden_size = 32  # размер скрытого состояния H
lm_steps = 150  # шаги Adam для языковой модели
lm_lr = 0.01  # её скорость обучения
grad_T = 100  # длина последовательности в опыте с затуханием градиента
grad_scales = (0.5, 1.0, 2.0, 3.0)  # масштабы рекуррентных весов W_h в этом опыте
adding_lr = 0.003  # скорость обучения в живом опыте с задачей сложения
T_short = 10  # короткая задержка
T_long = 100  # длинная задержка
adding_steps = 1000  # не больше стольких шагов при T_short (обучение останавливается, когда MSE < 0,01)
adding_steps_long = 500  # столько шагов при T_long (в пределах времени урока)

# %% slideshow={"slide_type": "skip"}
import matplotlib.pyplot as plt
import numpy as np

from lib import fmt, plots, rnn, seqtrain, text
from lib.data import adding_problem
from lib.exercises import rnn as ex
from lib.numerics import numeric_gradient, relative_error
from lib.widgets import rnn as rnn_widgets

plots.use_style()


def sci(x):
    """Число в научной записи с десятичной запятой: 1,5e−16."""
    return f"{x:.1e}".replace(".", ",").replace("-", "−")


def lr_text(lr):
    """Скорость обучения как в таблицах курса: 0,003."""
    return f"{lr:g}".replace(".", ",")


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Мысли не начинаются с нуля
#
# Читая это предложение, вы понимаете каждое слово с учётом тех, что прочли раньше: смысл накапливается,
# а не собирается заново на каждом слове. Сети из прошлых уроков так не умеют. Допустим, мы хотим
# размечать события фильма кадр за кадром. Обычная (прямого распространения) сеть видит один кадр
# и ничего не знает о предыдущих: что герой только что спрятал ключ под коврик, для неё не существует.
#
# **Рекуррентная сеть** (recurrent neural network, RNN) решает это петлёй: на каждом шаге она получает
# не только новый вход $x_t$, но и собственный выход прошлого шага $h_{t-1}$ — **скрытое состояние**,
# в котором хранится то, что сеть успела запомнить.
#
# ![Рекуррентная сеть с петлёй (слева) и она же, развёрнутая во времени (справа)](../pics/rnn.png)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Петля выглядит загадочно, но если её «развернуть», получится обычная цепочка: несколько копий **одной
# и той же** сети $A$ (с одними и теми же весами), каждая передаёт сообщение следующей. Поэтому RNN так
# естественно ложатся на последовательности и списки: сколько элементов — столько звеньев цепочки.
# (На рисунке шаги пронумерованы с нуля; в коде ниже удобнее считать слова с единицы, а $h_0$ — это
# начальное состояние до первого слова, нулевой вектор.)
#
# Где это работает: распознавание речи, языковые модели (предсказать следующее слово), машинный
# перевод, подписи к картинкам… Множество примеров с живыми образцами текста, порождённого RNN, собрал
# Андрей Карпатый в эссе
# [The Unreasonable Effectiveness of Recurrent Neural Networks](http://karpathy.github.io/2015/05/21/rnn-effectiveness/)
# (2015).
#
# Самое заманчивое в RNN — обещание связать прошлое с текущей задачей: предыдущие кадры видео помогают
# понять нынешний, начало фразы — её конец. Выполняется ли это обещание? Как увидим, зависит от того,
# **насколько далеко** в прошлом лежит нужное.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Один шаг: слой tanh на конкатенации $[h_{t-1}, x_t]$
#
# Повторяющийся модуль простой RNN — это один слой нейронов с активацией tanh. Он смотрит на конкатенацию
# (вектор, составленный из прошлого состояния и нового входа):
#
# $$h_t = \tanh\left(W \cdot [h_{t-1}, x_t] + b\right), \qquad W: H \times (H + D),\quad b: H.$$
#
# ![Повторяющийся модуль простой RNN: один слой tanh](../pics/one_layer.png)
#
# Первые $H$ столбцов $W$ (назовём их $W_h$) действуют на прошлое состояние, последние $D$ (это $W_x$) —
# на вход. $\tanh$ держит каждое число состояния в открытом интервале $(-1, 1)$: ни $-1$, ни $1$ он не
# достигает.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Упражнение 1. Шаг RNN
#
# Напишите `rnn_step(W, b, x_t, h_prev)`: составьте конкатенацию `[h_prev, x_t]` (сначала прошлое состояние,
# потом вход), умножьте на `W`, прибавьте смещение `b` и примените tanh. Функция должна работать и для одного
# примера (`x_t` формы `(D,)`), и для пакета (batch) примеров (`x_t` формы `(B, D)`): конкатенируйте по
# последней оси, `np.concatenate([...], axis=-1)`, и умножайте справа на `W.T`.


# %% nbgrader={"solution": true, "grade_id": "rnn_step"}
def rnn_step(W, b, x_t, h_prev):
    """Один шаг RNN: h_t = tanh(W · [h_prev, x_t] + b).
    W: (H, H + D), b: (H,), x_t: (D,) или (B, D), h_prev: (H,) или (B, H) → h_t формы h_prev."""
    ### BEGIN SOLUTION
    hx = np.concatenate([h_prev, x_t], axis=-1)  # [h_{t-1}, x_t]
    return np.tanh(hx @ W.T + b)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "rnn_step_check", "points": 1}
ex.rnn_step(rnn_step)
### BEGIN HIDDEN TESTS
assert ex.rnn_step(rnn_step, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# Дальше урок пользуется шагом из библиотеки, `lib.rnn.rnn_step`. Три шага маленькой сети с $H = 2$
# нейронами и входом из $D = 2$ чисел. Первый шаг легко проверить в уме: $h_0 = 0$, поэтому
# $W\cdot[h_0, x_1] + b$ — это столбец $W$ при $x_1$ плюс $b$, то есть $(1; 0{,}1)$, а $\tanh$ от него —
# примерно $(0{,}762; 0{,}100)$.

# %%
W = np.array(
    [
        [0.5, -0.3, 1.0, 0.0],  # столбцы: h1, h2 (прошлое состояние) | x1, x2 (вход)
        [0.2, 0.8, 0.0, -1.0],
    ]
)
b = np.array([0.0, 0.1])
xs_tiny = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])  # x_1, x_2, x_3
p_tiny = rnn.RNNParams(W=W, b=b)

h = np.zeros(2)  # h_0: сеть ещё ничего не видела
for t, x in enumerate(xs_tiny, start=1):
    h = rnn.rnn_step(p_tiny, x, h)
    print(f"t = {t}: x_{t} = {x},  h_{t} = {np.round(h, 3)}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Цикл по времени
#
# Вся цепочка — тот же шаг в цикле: начинаем с $h_0$, на каждом шаге подаём $x_t$ и прошлое состояние,
# получаем новое и передаём его дальше. Запоминаем все состояния $h_1, \dots, h_T$: они понадобятся и
# выходному слою (ответ на каждом шаге), и обратному проходу.
#
# ### Упражнение 2. Прямой проход по всей последовательности
#
# Напишите `rnn_forward(W, b, xs, h0)`: `xs` формы `(T, B, D)` — последовательность пакетов входов
# (время — первая ось), `h0` формы `(B, H)`. Верните массив `hs` формы `(T, B, H)` с состояниями
# $h_1 \dots h_T$ (без $h_0$). Можно пользоваться своей `rnn_step`.


# %% nbgrader={"solution": true, "grade_id": "rnn_forward"}
def rnn_forward(W, b, xs, h0):
    """Вся цепочка: xs: (T, B, D), h0: (B, H) → hs: (T, B, H), состояния h_1 … h_T."""
    ### BEGIN SOLUTION
    h, hs = h0, []
    for x_t in xs:  # по времени
        h = rnn_step(W, b, x_t, h)  # новое состояние идёт на следующий шаг
        hs.append(h)
    return np.stack(hs)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "rnn_forward_check", "points": 1}
ex.rnn_forward(rnn_forward)
### BEGIN HIDDEN TESTS
assert ex.rnn_forward(rnn_forward, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# В библиотеке это `rnn.rnn_forward(p, xs, h0=None)`: он принимает и один пример `(T, D)`, и пакет
# `(T, B, D)`, заранее считает входную часть $W_x x_t + b$ для всех шагов сразу (ждать предыдущего шага
# нужно только рекуррентной части $W_h h_{t-1}$) и возвращает `RNNTrace` — всё, что нужно обратному проходу.
# Он же проверяет входы и объясняет, что не так, — например, если забыть, что вход здесь из двух чисел:

# %%
trace = rnn.rnn_forward(p_tiny, xs_tiny)
print("rnn_forward, состояния h_1, h_2, h_3:")
print(np.round(trace.h, 3))
try:
    rnn.rnn_step(p_tiny, np.array([1.0, 0.0, 0.0]), np.zeros(2))
except ValueError as err:
    print("ValueError:", err)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Обратное распространение во времени (BPTT)
#
# Чтобы обучать RNN, нужен градиент потерь $L$ по весам. Развёрнутая цепочка — обычная глубокая сеть, только
# с общими весами у всех звеньев, поэтому работает то же правило цепочки, что в прошлом уроке.
# Обозначим $dh_t = \partial L/\partial h_t$ — **весь** градиент, пришедший к состоянию $h_t$. Шаг назад
# через $h_t = \tanh(z_t)$, $z_t = W\cdot[h_{t-1}, x_t] + b$ (в обозначениях Олаха, по строке на формулу):
#
# $$\begin{aligned}
# dz_t &= dh_t \odot (1 - h_t^2) && \text{(производная tanh через его выход)}\\
# dW &\mathrel{+}= dz_t\,[h_{t-1}, x_t]^{\top}, \quad db \mathrel{+}= dz_t && \text{(веса общие: суммы по шагам)}\\
# dh_{t-1}^{\text{от шага }t} &= W_h^{\top} dz_t, \quad dx_t = W_x^{\top} dz_t .
# \end{aligned}$$
#
# А весь градиент к $h_{t-1}$ — это то, что пришло «снаружи» (от выходного слоя на шаге $t-1$), плюс
# $W_h^{\top} dz_t$ от следующего шага. Поэтому идём с конца: $t = T, T-1, \dots, 1$.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Упражнение 3. Один шаг назад
#
# Напишите `rnn_step_backward(W, x_t, h_prev, h_t, dh)` для пакета: `x_t` формы `(B, D)`, остальные
# `(B, H)`; `dh` — весь градиент к `h_t`. Верните четыре массива `(dW, db, dh_prev, dx)`: `dW` формы `W`
# и `db` формы `(H,)` — суммы по пакету, `dh_prev` формы `(B, H)`, `dx` формы `(B, D)`.
# Подсказка: $dz$ — массив `(B, H)`; $dW$ = `dz.T @ [h_prev, x_t]`; первые $H$ столбцов `W` — это $W_h$.


# %% nbgrader={"solution": true, "grade_id": "rnn_step_backward"}
def rnn_step_backward(W, x_t, h_prev, h_t, dh):
    """Шаг назад: x_t: (B, D), h_prev, h_t, dh: (B, H) → (dW: (H, H + D), db: (H,), dh_prev: (B, H), dx: (B, D))."""
    ### BEGIN SOLUTION
    H = W.shape[0]
    dz = dh * (1 - h_t**2)  # назад через tanh
    dW = dz.T @ np.concatenate([h_prev, x_t], axis=-1)  # сумма по пакету
    db = dz.sum(axis=0)
    dh_prev = dz @ W[:, :H]  # W_hᵀ dz
    dx = dz @ W[:, H:]  # W_xᵀ dz
    return dW, db, dh_prev, dx
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "rnn_step_backward_check", "points": 1}
ex.rnn_step_backward(rnn_step_backward)
### BEGIN HIDDEN TESTS
assert ex.rnn_step_backward(rnn_step_backward, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Упражнение 4. Весь обратный проход
#
# Теперь соберите BPTT целиком: `bptt(p, xs, h0, hs, dh)` получает параметры `p` (`rnn.RNNParams`),
# входы `xs: (T, B, D)`, начальное состояние `h0: (B, H)`, состояния прямого прохода `hs: (T, B, H)` и
# градиенты «снаружи» `dh: (T, B, H)` (от выходного слоя на каждом шаге). Верните `(dW, db)`.
# Для шага пользуйтесь библиотечным `rnn.rnn_step_backward(p, x_t, h_prev, h_t, dh_t)` — он возвращает
# `StepGrads` с полями `dW, db, dh_prev, dx`. Не забудьте: к `dh[t]` прибавляется градиент, пришедший от
# шага `t + 1`, а прошлое состояние на первом шаге — `h0`.


# %% nbgrader={"solution": true, "grade_id": "bptt"}
def bptt(p, xs, h0, hs, dh):
    """Обратное распространение во времени: → (dW: форма p.W, db: форма p.b), суммы по шагам и пакету."""
    ### BEGIN SOLUTION
    dW, db = np.zeros_like(p.W), np.zeros_like(p.b)
    dh_next = np.zeros_like(h0)  # от шага T + 1 ничего не приходит
    for t in range(len(xs) - 1, -1, -1):  # с конца к началу
        h_prev = hs[t - 1] if t > 0 else h0
        g = rnn.rnn_step_backward(p, xs[t], h_prev, hs[t], dh[t] + dh_next)
        dW, db = dW + g.dW, db + g.db  # общие веса: градиенты складываются
        dh_next = g.dh_prev
    return dW, db
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "bptt_check", "points": 1}
ex.bptt(bptt)
### BEGIN HIDDEN TESTS
assert ex.bptt(bptt, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# Библиотечный `rnn.rnn_backward(p, trace, dh)` делает то же самое; в цикле у него только то, что правда
# ждёт следующего шага ($dz_t$ и $W_h^{\top} dz_t$), а суммы $dW$, $db$ и все $dx_t$ — одно умножение
# матриц на все шаги сразу, после цикла. Проверим его честно — конечными разностями
# (`lib.numerics.numeric_gradient`): сдвинем каждый вес на $\pm\varepsilon$ и посмотрим, как меняются
# потери $L = \sum_t \langle h_t, dh_t^{\text{снаружи}}\rangle$.

# %%
rng = np.random.default_rng(seed)
p_check = rnn.init_params(input_size=2, hidden_size=3, seed=seed, scale=1.5)
xs_check = rng.standard_normal((5, 2, 2))  # T = 5 шагов, пакет из 2 последовательностей, D = 2
h0_check = 0.5 * rng.standard_normal((2, 3))  # ненулевое начальное состояние
dh_check = rng.standard_normal((5, 2, 3))  # градиент «снаружи» на каждом шаге


def loss_check():
    """Потери, которые читают p_check.W прямо сейчас (numeric_gradient сдвигает его на месте)."""
    return np.sum(rnn.rnn_forward(p_check, xs_check, h0_check).h * dh_check)


grads, dxs = rnn.rnn_backward(p_check, rnn.rnn_forward(p_check, xs_check, h0_check), dh_check)
err = relative_error(grads.W, numeric_gradient(loss_check, p_check.W))
print(f"градиент по W: {grads.W.size} чисел, относительное расхождение с конечными разностями {sci(err)}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Короткий контекст: «облака плывут по …»
#
# Иногда, чтобы выбрать следующее слово, хватает нескольких предыдущих. Чтобы закончить «облака плывут по …»,
# не нужен широкий контекст: понятно, что дальше «небу». Проверим, справится ли RNN. Для курса написан
# короткий текст о небе, море, реках и озёрах (`lib.text.TEXT`). В нём «… плывут по …» кончается по-разному:
# облака плывут по небу, лодки — по реке, корабли — по морю, утки — по озеру. Чтобы не ошибиться, модели
# надо помнить слово, прочитанное за **два шага** до «по».
#
# Модель — та же RNN: вход $x_t$ — слово в виде вектора из нулей с единицей на месте его номера в словаре
# (one-hot), а над состоянием $h_t$ стоит линейный слой с softmax, который даёт вероятность каждого слова
# словаря оказаться следующим. Учим её предсказывать следующее слово на каждом шаге каждого предложения
# (перекрёстная энтропия, Adam, `lib.seqtrain.train_classifier`).

# %%
sents = text.sentences()
vocab = text.build_vocab(sents)
lm_data = text.lm_dataset(sents, vocab)
print(f"предложений: {len(sents)}, слов в словаре: {len(vocab)} (вместе с точкой — концом предложения)")
print("например:", " | ".join(" ".join(s) for s in sents[:4]))

lm = seqtrain.train_classifier(
    "rnn",
    lm_data.xs,
    lm_data.targets,
    lm_data.mask,
    num_classes=len(vocab),
    hidden_size=hidden_size,
    lr=lm_lr,
    steps=lm_steps,
    seed=seed,
)
print(
    f"обучение: {fmt.plural(lm.steps, 'шаг', 'шага', 'шагов')}, {fmt.elapsed(lm.seconds)}; "
    f"средняя перекрёстная энтропия {fmt.num(lm.losses[0])} → {fmt.num(lm.losses[-1])}"
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Фразы из самого текста модель видела при обучении: правильный ответ на них показывает, что она
# **запомнила** текст, но не что она что-то поняла. Настоящая проверка — фразы, которых в тексте нет.
# Например, «тёмные облака плывут по»: в тексте есть «тёмные тучи плывут по небу» и «облака плывут по небу»,
# но не эта фраза.
#
# **Прогноз.** Поставит ли модель первым словом «небу» после «тёмные облака плывут по»? Впишите `"да"` или `"нет"`.

# %% nbgrader={"solution": true, "grade_id": "new_phrase_prediction"} slideshow={"slide_type": "fragment"}
new_phrase_guess = None
### BEGIN SOLUTION
new_phrase_guess = "да"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "new_phrase_prediction_check", "points": 1}
ex.predict_new_phrase(new_phrase_guess, lm, vocab, "тёмные облака плывут по", "небу")
### BEGIN HIDDEN TESTS
assert ex.predict_new_phrase(new_phrase_guess, lm, vocab, "тёмные облака плывут по", "небу", quiet=True)
### END HIDDEN TESTS


# %% slideshow={"slide_type": "subslide"}
def next_words(phrases):
    """Для каждой (фразы, правильного слова): три самых вероятных слова; возвращает число угаданных."""
    right = 0
    for phrase, want in phrases:
        top = text.top_next_words("rnn", lm.params, lm.readout, vocab, phrase, k=3)
        right += top[0][0] == want
        mark = "✓" if top[0][0] == want else "✗"
        print(f"  {mark} «{phrase} …»  " + ",  ".join(f"{w} {fmt.num(pr)}" for w, pr in top))
    return right


seen = [
    ("облака плывут по", "небу"),
    ("лодки плывут по", "реке"),
    ("корабли плывут по", "морю"),
    ("утки плывут по", "озеру"),
    ("белые облака медленно плывут по", "небу"),
]
print("Фразы из текста (модель их видела):")
right_seen = next_words(seen)
print("Новые фразы, похожие на текст (lib.text.HELD_OUT_SIMILAR):")
right_similar = next_words(text.HELD_OUT_SIMILAR)
print("Новые фразы, где слово из текста о другом месте (lib.text.HELD_OUT_MIXED):")
right_mixed = next_words(text.HELD_OUT_MIXED)
print(
    f"\nУгадано: из текста {right_seen} из {len(seen)}; похожих новых {right_similar} из "
    f"{len(text.HELD_OUT_SIMILAR)}; смешанных новых {right_mixed} из {len(text.HELD_OUT_MIXED)}."
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Последние два слова во всех этих фразах одинаковы, «плывут по»; значит, разный ответ может взяться
# только из скрытого состояния, где сеть сохранила, **кто** плывёт, — слово за два-три шага до «по».
# На новых фразах видно, чему модель научилась на самом деле. Похожие фразы — новое прилагательное при
# подлежащем, которое в тексте плывёт туда же (тёмные тучи — по небу, белые лебеди — по озеру), — даются ей
# легче, чем смешанные, где слово в тексте встречается только в предложениях о другом месте: «серые» и
# «медленно» — только о небе, «белые корабли» — это облака, похожие на корабли. Такое слово может
# перетянуть ответ к чужому предложению (сколько раз это случилось, напечатано выше). Четыре десятка
# коротких предложений — слишком мало, чтобы выучить правило «кто плывёт → где»; модель выучила те связи
# слов, какие в них были.
#
# Посмотрите, как это происходит внутри. Виджет ниже разворачивает сеть на предложении «белые облака медленно
# плывут по небу»: ползунок выбирает шаг, выделенное звено — текущая копия сети, над каждой уже пройденной
# копией — самое вероятное следующее слово, а ниже — скрытое состояние $h_t$ (по столбцу на шаг, по строке
# на нейрон).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
demo = ["белые", "облака", "медленно", "плывут", "по", "небу"]
demo_probs = seqtrain.predict_proba("rnn", lm.params, lm.readout, vocab.one_hot(vocab.encode(demo)))
demo_states = rnn.rnn_forward(lm.params, vocab.one_hot(vocab.encode(demo))).h
rnn_widgets.unrolling_widget(demo, demo_states, vocab.decode(demo_probs.argmax(axis=-1)))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Длинный контекст: «Я вырос во Франции… Я бегло говорю по-французски»
#
# Бывает, что нужное слово спрятано далеко. В тексте «Я вырос во Франции. … (ещё несколько предложений) …
# Я бегло говорю по-…» ближайшие слова подсказывают, что дальше будет название языка, но **какого** — знает
# только слово «Франции», сказанное давно. Чем больше расстояние между нужной информацией и местом, где
# она понадобилась, тем хуже простая RNN учится их связывать. Почему?
#
# Вспомним обратный проход: чтобы дойти от $h_T$ до $h_t$, градиент умножается на якобиан каждого шага
# по пути. Множители идут от $s = T$ (слева) вниз до $s = t + 1$ (справа):
#
# $$\frac{\partial h_T}{\partial h_t} = J_T\, J_{T-1} \cdots J_{t+1}, \qquad
#   J_s = \frac{\partial h_s}{\partial h_{s-1}} = \operatorname{diag}\left(1 - h_s^2\right) W_h .$$
#
# Произведение многих матриц ведёт себя как степень: если каждая в среднем «сжимает» вектор, норма падает
# **экспоненциально** (градиент **затухает**), если «растягивает» — экспоненциально растёт (**взрывается**).
# Множитель $1 - h_s^2 \le 1$ только сжимает.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Упражнение 5. Норма произведения якобианов
#
# Напишите `jacobian_norms(p, xs)`: параметры `p` и входы `xs` формы `(T, D)` (один пример, без пакета) →
# массив из `T` чисел, где элемент `k` — спектральная норма $\partial h_T/\partial h_{T-k}$. Состояния возьмите
# из `rnn.rnn_forward(p, xs).h`, рекуррентные веса — `p.W[:, :H]`. Начните с единичной матрицы (это
# $k = 0$) и на каждом шаге назад умножайте **справа** на $\operatorname{diag}(1 - h_s^2)\,W_h$, где $s = T - k + 1$;
# норма — `np.linalg.norm(J, ord=2)`.


# %% nbgrader={"solution": true, "grade_id": "jacobian_norms"}
def jacobian_norms(p, xs):
    """xs: (T, D) → (T,): norms[k] = ‖∂h_T/∂h_{T−k}‖ (спектральная норма)."""
    ### BEGIN SOLUTION
    hs = rnn.rnn_forward(p, xs).h
    H = p.W.shape[0]
    J, norms = np.eye(H), [1.0]
    for k in range(1, len(hs)):
        J = J @ np.diag(1 - hs[-k] ** 2) @ p.W[:, :H]  # hs[-k] — это h_{T−k+1}
        norms.append(np.linalg.norm(J, ord=2))
    return np.array(norms)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "jacobian_norms_check", "points": 1}
ex.jacobian_norms(jacobian_norms)
### BEGIN HIDDEN TESTS
assert ex.jacobian_norms(jacobian_norms, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# Теперь измерим $\|\partial h_T / \partial h_t\|$ библиотечным `rnn.jacobian_norms` у случайной RNN с
# $H = 32$ на $T = 100$ случайных входах, меняя масштаб рекуррентных весов $W_h$ (при масштабе 1 их
# спектральный радиус близок к 1).
#
# **Прогноз.** При масштабе 1 норма через 99 шагов, $\|\partial h_{100}/\partial h_1\|$, будет больше или
# меньше $10^{-5}$? Впишите `">"` или `"<"`.

# %% nbgrader={"solution": true, "grade_id": "far_gradient_prediction"} slideshow={"slide_type": "fragment"}
far_gradient_guess = None
### BEGIN SOLUTION
far_gradient_guess = "<"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "far_gradient_prediction_check", "points": 1}
ex.predict_far_gradient(far_gradient_guess, scale=1.0, T=grad_T, hidden_size=hidden_size, seed=seed)
### BEGIN HIDDEN TESTS
assert ex.predict_far_gradient(far_gradient_guess, scale=1.0, T=grad_T, hidden_size=hidden_size, seed=seed, quiet=True)
### END HIDDEN TESTS

# %% slideshow={"slide_type": "subslide"}
fig, ax = plt.subplots(figsize=(9, 5.5))
shown_k = [grad_T // 10, grad_T // 2, grad_T - 1]  # расстояния T − t для таблицы
curves, regimes = {}, {}
print("масштаб W_h" + "".join(f"   k = {k:<8}" for k in shown_k) + "   итог")
for scale, color in zip(grad_scales, plots.COLORS):
    k, norms = rnn_widgets.gradient_curve(scale, grad_T, hidden_size=hidden_size, seed=seed)
    curves[scale], regimes[scale] = norms, rnn_widgets.regime(norms)
    ax.semilogy(k, norms, color=color, label=f"масштаб {fmt.num(scale, 1)}")
    print(f"{fmt.num(scale, 1):>8}   " + "".join(f"   {sci(norms[j]):<12}" for j in shown_k) + f"   {regimes[scale]}")
ax.axhline(1.0, color="grey", lw=1.5, ls="--")
ax.set_xlabel("расстояние $T - t$ (шагов назад)")
ax.set_ylabel(r"$\|\partial h_T / \partial h_t\|$")
ax.set_title("Как последнее состояние зависит от прошлых")
ax.legend(loc="lower left")
plt.show()


parts = []
for kind, bound in (("затухает", "ниже 1e−3"), ("взрывается", "выше 1e3"), ("держится", "между 1e−3 и 1e3")):
    scales = [fmt.num(s, 1) for s in grad_scales if regimes[s] == kind]
    if scales:
        where = "масштабе" if len(scales) == 1 else "масштабах"
        parts.append(f"{kind} ({bound}) при {where} {', '.join(scales)}")
print(f"Через {fmt.plural(grad_T - 1, 'шаг', 'шага', 'шагов')} норма " + "; ".join(parts) + ".")

# %% [markdown] slideshow={"slide_type": "subslide"}
# На логарифмической шкале экспонента — прямая линия. При малых масштабах норма падает на много порядков:
# изменение $h_t$ далеко в прошлом почти не сдвигает $h_T$, а значит, и градиент ошибки на шаге $T$ почти не
# доходит до весов, которые должны были «заметить» важное слово на шаге $t$. При больших масштабах норма
# растёт на порядки — градиент взрывается. При промежуточном масштабе рост $W_h$ может уравновеситься
# насыщением tanh ($1 - h^2$ мало, когда $|h|$ близко к 1) — тогда норма держится у единицы (подвигайте
# масштаб в виджете ниже). Но удержаться на этой грани при обучении сеть не может: веса меняются, и баланс
# уходит.
#
# Вернёмся к Франции. Вот конкретный текст: сколько шагов (слов) между «Франции» и «по-французски» и какова
# норма якобиана на таком расстоянии у нашей случайной RNN с масштабом 1?

# %%
france = (
    "Я вырос во Франции. Мы жили в маленьком городе у моря, и каждое лето к нам приезжали друзья "
    "из разных стран. Потом я переехал в Москву, окончил университет и стал переводчиком. "
    "Я бегло говорю по-французски."
)
words = text.tokenize(france)
k_france = words.index("по-французски") - words.index("франции")
k_clouds = 2  # «облака» → «по» в «облака плывут по»
norm_1 = curves[1.0]
print(
    f"между «Франции» и «по-французски» {fmt.plural(k_france, 'шаг', 'шага', 'шагов')} "
    f"(всего в тексте {fmt.plural(len(words), 'слово', 'слова', 'слов')})"
)
print(
    f"‖∂h_T/∂h_t‖ при масштабе 1: через {fmt.plural(k_clouds, 'шаг', 'шага', 'шагов')} {sci(norm_1[k_clouds])}, "
    f"через {fmt.plural(k_france, 'шаг', 'шага', 'шагов')} {sci(norm_1[k_france])} — "
    f"в {sci(norm_1[k_clouds] / norm_1[k_france])} раз меньше"
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Сигнал «здесь была Франция» доходит до весов ослабленным во столько раз, сколько напечатано выше, —
# а таких мест в обучающем тексте немного, и их слабый градиент тонет в сильных градиентах от близких
# связей. Взрыв лечится просто: **обрезкой градиента** (если норма градиента больше порога, уменьшаем его
# до порога; `lib.optim.clip_by_global_norm`). Против затухания обрезка бессильна: нечего увеличивать —
# информации о далёком прошлом в градиенте почти нет.
#
# Подвигайте ползунки сами: масштаб весов и длину последовательности.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
rnn_widgets.gradient_widget(scale=1.0, T=60, hidden_size=hidden_size, seed=seed)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Задача сложения: измеряем, на каком расстоянии RNN сдаётся
#
# Чтобы увидеть провал не в производных, а в обучении, нужна задача, где расстояние до нужной информации
# можно менять. Классическая — **задача сложения**. Её придумали Хохрайтер и Шмидхубер (1997, в статье об
# LSTM), в немного другой форме; мы берём вариант, которым пользуются Ле, Джайтли и Хинтон (2015) и
# Арьовски, Шах и Бенджио (2016): на каждом шаге приходят два числа — случайное значение из $[0, 1)$ и
# метка 0 или 1. Метка равна 1 ровно на двух шагах (один в первой половине, другой во второй); ответ в
# конце — сумма двух отмеченных значений. Сеть должна запомнить первое отмеченное число, пронести его
# через последовательность длины $T$ и сложить со вторым.
#
# **Прогноз.** Лучшее, что может модель, которая ничего не поняла, — всегда отвечать средним значением, 1.
# Какую среднеквадратичную ошибку (MSE) она получит? Впишите число.

# %% nbgrader={"solution": true, "grade_id": "baseline_prediction"} slideshow={"slide_type": "fragment"}
baseline_guess = None
### BEGIN SOLUTION
baseline_guess = 1 / 6
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "baseline_prediction_check", "points": 1}
ex.predict_baseline_mse(baseline_guess, T=T_long)
### BEGIN HIDDEN TESTS
assert ex.predict_baseline_mse(baseline_guess, T=T_long, quiet=True)
### END HIDDEN TESTS

# %% slideshow={"slide_type": "subslide"}
xs_show, y_show = adding_problem(1, T_short, seed=seed)
print("значения:", " ".join(fmt.num(v) for v in xs_show[:, 0, 0]))
print("метки:   ", " ".join(f"{int(m):>4}" for m in xs_show[:, 0, 1]))
print(f"ответ: {fmt.num(y_show[0])}")
print(
    f"MSE ответа «всегда 1» на тестовых примерах: "
    f"T = {T_short}: {fmt.num(seqtrain.adding_baseline_mse(T_short), 3)}, "
    f"T = {T_long}: {fmt.num(seqtrain.adding_baseline_mse(T_long), 3)}"
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Учим RNN ($H = 32$, линейный выход на последнем состоянии, Adam, обрезка градиента по норме 1, каждый
# шаг — новый пакет из 64 примеров; `lib.seqtrain.train_adding`). «Решено» значит MSE на 500 тестовых
# примерах ниже 0,01 (проверяем каждые 50 шагов). Сначала короткая задержка, потом в десять раз длиннее —
# столько шагов, сколько помещается во время урока:


# %%
def report(res, T):
    """Одна строка об опыте: решено ли, за сколько шагов, MSE на тесте против ответа «всегда 1»."""
    base = seqtrain.adding_baseline_mse(T)
    if res.solved:
        status = f"решено за {fmt.plural(res.solved_step, 'шаг', 'шага', 'шагов')}"
    else:
        status = f"не решено за {fmt.plural(res.steps, 'шаг', 'шага', 'шагов')}"
    share = res.final_mse / base
    print(
        f"T = {T}: {status}, {fmt.elapsed(res.seconds)}; MSE на тесте {fmt.num(res.final_mse, 4)} — "
        f"{fmt.num(100 * share, 0)} % от уровня ответа «всегда 1» ({fmt.num(base, 3)})"
    )


short = seqtrain.train_adding("rnn", T_short, hidden_size=hidden_size, lr=adding_lr, steps=adding_steps, seed=seed)
report(short, T_short)
long = seqtrain.train_adding("rnn", T_long, hidden_size=hidden_size, lr=adding_lr, steps=adding_steps_long, seed=seed)
report(long, T_long)

fig, ax = plt.subplots(figsize=(9, 5))
ax.plot(short.eval_steps, short.test_mse, marker="o", label=f"T = {T_short}")
ax.plot(long.eval_steps, long.test_mse, marker="s", label=f"T = {T_long}")
ax.axhline(seqtrain.adding_baseline_mse(T_long), color="grey", ls="--", lw=2, label="ответ «всегда 1»")
ax.axhline(0.01, color=plots.PALETTE["green"], ls=":", lw=2, label="«решено»: 0,01")
ax.set_yscale("log")
ax.set_xlabel("шаг обучения")
ax.set_ylabel("MSE на тесте")
ax.set_title(f"Задача сложения: простая RNN, скорость обучения {lr_text(adding_lr)}")
ax.legend()
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Один запуск — не доказательство: урок дал сети немного шагов, одну скорость обучения и одно зерно. Может,
# сети просто не хватило шагов или скорость неудачна? Тогда сравнение с LSTM
# (следующий урок) было бы нечестным: мы бы сравнивали не архитектуры, а настройки.
#
# ## Честное сравнение: RNN и LSTM, каждая при своей лучшей настройке
#
# Поэтому опыт повторён отдельно, в `bench/bench_adding.py` (его запускает `make bench`; счёт занимает
# десятки минут), по правилам честного сравнения:
#
# * у каждой модели своя лучшая скорость обучения из небольшой сетки, выбранная по **проверочной**
#   (validation) выборке; обучение останавливается, когда MSE на ней падает ниже 0,01;
# * одинаковый бюджет шагов для обеих моделей;
# * итог меряется на **тестовой** выборке, которая не участвует ни в обучении, ни в выборе;
# * три зерна на каждую клетку и разброс по ним.
#
# **Прогноз.** При $T = 100$ какая модель решит задачу на большем числе зёрен: `"rnn"`, `"lstm"` или `"поровну"`?

# %% nbgrader={"solution": true, "grade_id": "long_lag_prediction"} slideshow={"slide_type": "fragment"}
winner_guess = None
### BEGIN SOLUTION
winner_guess = "lstm"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "long_lag_prediction_check", "points": 1}
bench = seqtrain.adding_benchmark()
solved_100 = {m: bench["rows"][100, m]["test_solved"] for m in ("rnn", "lstm")}
ex.predict_long_lag_winner(winner_guess, solved_100, T=100)
### BEGIN HIDDEN TESTS
assert ex.predict_long_lag_winner(winner_guess, solved_100, T=100, quiet=True)
### END HIDDEN TESTS

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
plots.show_bench_table("adding")

# %%
proto = bench["protocol"]
grids = "; ".join(f"{m.upper()} — {', '.join(lr_text(lr) for lr in lrs)}" for m, lrs in proto["lrs"].items())
print(
    f"Бюджет: до {fmt.plural(proto['steps'], 'шага', 'шагов', 'шагов')} Adam на запуск; "
    f"зёрна 0–{proto['seeds'] - 1}; "
    f"сетки скоростей: {grids}."
)
solved = {(T, m): bench["rows"][T, m]["test_solved"] for T in proto["lags"] for m in ("rnn", "lstm")}
for T in proto["lags"]:
    parts = []
    for m in ("rnn", "lstm"):
        row = bench["rows"][T, m]
        parts.append(
            f"{m.upper()} (lr {lr_text(row['lr'])}) — решено {row['test_solved']} из {len(row['seeds'])}, "
            f"MSE на тесте {fmt.num(row['test_mse_min'], 4)}–{fmt.num(row['test_mse_max'], 4)}"
        )
    print(f"T = {T}: " + "; ".join(parts))

# вывод — из этих же чисел
rnn_solved = [solved[T, "rnn"] for T in proto["lags"]]
fewer = all(a >= b for a, b in zip(rnn_solved, rnn_solved[1:])) and rnn_solved[-1] < rnn_solved[0]
lstm_not_worse = all(solved[T, "lstm"] >= solved[T, "rnn"] for T in proto["lags"])
if fewer and lstm_not_worse:
    print(
        f"\nС ростом задержки RNN решает не больше зёрен, а при самой длинной — меньше всего "
        f"({' → '.join(map(str, rnn_solved))} из {proto['seeds']}), даже при своей лучшей скорости обучения и "
        f"том же бюджете шагов; LSTM при каждой задержке решает не меньше."
    )
else:
    print(
        "\nЧисла не складываются в простую картину «чем длиннее задержка, тем хуже RNN и не хуже LSTM»: "
        "смотрите на каждую строку отдельно."
    )

# %% [markdown] slideshow={"slide_type": "subslide"}
# Строки выше напечатаны из результатов бенчмарка (`bench/results/adding.json`), так что они всегда
# совпадают с таблицей, а вывод под ними сделан из тех же чисел. Падение числа решённых зёрен с ростом
# задержки при равном бюджете и лучшей для RNN скорости обучения — это и есть затухающий градиент на
# практике: сигнал об отмеченном числе в начале доходит до весов ослабленным так, как мы измерили выше.
# В следующем уроке — **LSTM**, архитектура, придуманная ровно для этой проблемы, и там будет видно,
# почему её градиент доходит дальше.
#
# ## Итоги
#
# * RNN — одна и та же сеть, применённая к каждому элементу последовательности; петля передаёт скрытое
#   состояние $h_t = \tanh(W\cdot[h_{t-1}, x_t] + b)$ следующему шагу.
# * Обучают её обратным распространением во времени (BPTT): шаг назад через tanh, градиенты общих весов
#   суммируются по шагам.
# * Короткий контекст RNN ловит, но на четырёх десятках предложений учит связи слов, а не правило: проверять её
#   надо на фразах, которых она не видела.
# * Градиент от далёкого шага — произведение многих якобианов; он затухает или взрывается экспоненциально.
#   Взрыв обрезают, от затухания обрезка не спасает.
# * Сравнивать модели честно — каждую при своей лучшей настройке, выбранной на проверочных данных, с равным
#   бюджетом, на тестовой выборке и на нескольких зёрнах.
