# %% [markdown] slideshow={"slide_type": "slide"}
# # 1. Персептрон: первый нейрон, который учится
#
# В этом уроке мы соберём искусственный нейрон из трёх деталей — входов, весов и порога — и научим его
# вычислять логические функции. По дороге увидим:
#
# * как устроен **персептрон** Фрэнка Розенблатта (1958) и зачем ему вход **смещения**;
# * как **нейрон Маккаллока — Питтса** (1943) вычисляет И, ИЛИ и НЕ — и чего ему не хватало;
# * что предлагал **Дональд Хебб** и как из этого выросло **правило обучения** персептрона;
# * почему на разделимых данных обучение всегда заканчивается (**теорема Новикова**);
# * и почему на функции **XOR** оно не закончится никогда.

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Как работать с уроком.** Запускайте ячейки по порядку, сверху вниз (Shift+Enter), или все сразу:
# меню «Запуск» → «Запустить все ячейки» (*Run → Run All Cells*). Каждая ячейка пользуется тем, что
# посчитали ячейки выше: если после перезапуска ядра запустить ячейку из середины, Python сообщит
# `NameError` — тогда выберите её и запустите всё, что выше («Выполнить все ячейки, выше выбранной»).
#
# В упражнениях замените `...` своим кодом и запустите ячейку, а затем ячейку проверки под ней. Проверка
# отвечает одной строкой: «Верно: …», «Пока не решено: …» (вы ещё не писали код) или «Не совсем: …» с
# подсказкой. Пока упражнение не решено, урок всё равно идёт дальше: следующие ячейки пользуются
# готовой реализацией из `lib`. Ползунки и кнопки в виджетах можно трогать сколько угодно.

# %% tags=["parameters"] slideshow={"slide_type": "skip"}
seed = 1  # случайные начальные веса и случайные точки
lr = 0.5  # скорость обучения η
max_epochs = 100  # больше эпох обучение не идёт, даже если ошибки остались
n_points = 60  # сколько случайных точек в опыте с теоремой Новикова
margin = 0.1  # ни одна из них не ближе к разделяющей прямой, чем margin

# %% slideshow={"slide_type": "skip"}
import matplotlib.pyplot as plt
import numpy as np

from lib import fmt, perceptron, plots
from lib.data import logic_table
from lib.exercises import perceptron as ex
from lib.widgets import perceptron as perceptron_widgets

plots.use_style()
num, vec = perceptron.format_number, perceptron.format_vector  # 0,5 и (0,5; −1): числа для печати

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Идея Розенблатта: нейрон как взвешенная сумма с порогом
#
# Психолог Фрэнк Розенблатт хотел построить машину, которая учится, и взял за образец нервную клетку.
# Нейрон получает сигналы от соседей; одни связи (синапсы) сильнее, другие слабее; если суммарное
# возбуждение достаточно велико, нейрон «срабатывает», иначе молчит. Модель повторяет это буквально:
#
# | в мозге | в персептроне |
# |---|---|
# | сигналы соседних нейронов | входы $x_1, \dots, x_n$ (0 или 1): данные или ответы других персептронов |
# | сила синапса | вес $w_i$ — любое число, в том числе отрицательное (тормозящая связь) |
# | суммарное возбуждение | взвешенная сумма $z = w_1 x_1 + \dots + w_n x_n + b$ |
# | срабатывает или молчит | ответ $\hat y = 1$, если $z \ge 0$, иначе $\hat y = 0$ |

# %% [markdown] slideshow={"slide_type": "subslide"}
# ![Схема персептрона: входы, веса, сумма со смещением и порог](../pics/perceptron_work.png)
#
# Слагаемое $b$ — это вес особого входа **смещения**, который всегда равен 1. Условие $w \cdot x + b \ge 0$
# то же самое, что $w \cdot x \ge -b$: смещение задаёт **порог**, который должна преодолеть сумма.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Упражнение 1. Ответ персептрона
#
# Напишите функцию `perceptron_answer(w, b, x)`: веса `w` и вход `x` — массивы одной длины, смещение `b` —
# число; функция возвращает 1, если $w \cdot x + b \ge 0$, и 0 иначе. Скалярное произведение —
# `np.dot(w, x)` (или `w @ x`).


# %% nbgrader={"solution": true, "grade_id": "perceptron_answer"}
def perceptron_answer(w, b, x):
    """Ответ персептрона: 1, если w·x + b ≥ 0, иначе 0. w: (D,), b: число, x: (D,) → 0 или 1."""
    ### BEGIN SOLUTION
    return int(np.dot(w, x) + b >= 0)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "perceptron_answer_check", "points": 1}
ex.perceptron_answer(perceptron_answer)
### BEGIN HIDDEN TESTS
assert ex.perceptron_answer(perceptron_answer, quiet=True)
### END HIDDEN TESTS

# %% [markdown]
# Дальше урок пользуется той же функцией из библиотеки: `perceptron.predict(w, b, X)` (она принимает и
# сразу много входов — строки матрицы `X`).
#
# ## Зачем нужно смещение
#
# Без смещения на входе $(0, 0)$ сумма всегда равна нулю, и ответ на нём нельзя выбрать. Сейчас мы
# переберём веса $w_1, w_2$ по сетке и посмотрим, какие функции вычисляет персептрон без смещения
# ($b = 0$) и со смещением. **Сначала прогноз:** какие из AND, OR, NAND, NOR получатся без смещения
# (на всех четырёх входах)? Впишите вместо `...` множество названий, например `{"AND", "OR"}`.

# %% nbgrader={"solution": true, "grade_id": "bias_prediction"} slideshow={"slide_type": "fragment"}
bias_guess = (
    ### BEGIN SOLUTION
    {"NOR"}
    ### END SOLUTION
)

# %% nbgrader={"grade": true, "grade_id": "bias_prediction_check", "points": 1}
ex.bias_prediction(bias_guess)
### BEGIN HIDDEN TESTS
assert ex.bias_prediction(bias_guess, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# Теперь перебор (`best_line_on_grid` ищет, сколько строк таблицы истинности угадывает лучший из
# персептронов с весами на сетке):

# %%
print("функция   без смещения (b = 0)   со смещением")
for name in ["AND", "OR", "NAND", "NOR"]:
    X, y = logic_table(name)
    without = perceptron.best_line_on_grid(X, y, bias=False)
    with_bias = perceptron.best_line_on_grid(X, y)
    print(f"{name:<8}  {without} из 4 {'':>12}  {with_bias} из 4")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Без смещения справляется только NOR. AND и OR ошибаются уже на входе $(0, 0)$: сумма там равна нулю,
# ответ всегда 1, а нужен 0. NAND на $(0, 0)$ отвечает верно, но ему нужно, чтобы каждый вес по
# отдельности был $\ge 0$ (входы $(0, 1)$ и $(1, 0)$), а их сумма $< 0$ (вход $(1, 1)$) — так не бывает.
# Лишний вход, постоянно равный единице, сдвигает сумму и расширяет круг функций, которые вычисляет
# один нейрон.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Сходство с линейной регрессией
#
# Сумма $z = w \cdot x + b$ — та же линейная функция, что в линейной регрессии. Регрессия выдаёт её как
# ответ (любое число), а персептрон «сплющивает» её ступенькой до двух значений, 0 или 1. Задача из
# «предскажи число» превращается в «отнеси вход к одному из двух классов» — то, что нужно для
# логических функций с их «истина / ложь».

# %% slideshow={"slide_type": "fragment"}
t = np.linspace(-1, 2, 301)
z = 2 * t - 1  # одна и та же линейная функция
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2), sharex=True)
left.plot(t, z)
left.set(title="линейная регрессия: ответ z = 2x − 1", xlabel="x", ylabel="ответ")
right.plot(t, (z >= 0).astype(int), color=plots.PALETTE["vermillion"])
right.set(title="персептрон: ответ = [z ≥ 0]", xlabel="x", yticks=[0, 1])
fig.tight_layout()
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Нейрон Маккаллока — Питтса: логика из порогов
#
# Розенблатт опирался на работу Уоррена Маккаллока и Уолтера Питтса (1943). Их нейрон получает двоичные
# входы двух видов. **Возбуждающие** входы складываются, и нейрон выдаёт 1, если их сумма **достигает
# порога** $\theta$. **Тормозящий** вход действует иначе: торможение у них *абсолютное* — если активен хоть
# один тормозящий вход, нейрон молчит, что бы ни делали остальные. Пороги и связи подбирали вручную — и
# этого хватило для базовых логических операций:
#
# | функция | входы | порог $\theta$ | смысл |
# |---|---|---|---|
# | И (AND) | два возбуждающих | 2 | нужны оба входа |
# | ИЛИ (OR) | два возбуждающих | 1 | хватит одного |
# | НЕ (NOT) | один тормозящий | 0 | молчащий вход: сумма $0 \ge 0$, нейрон срабатывает; активный — запрещает |
#
# Посчитаем таблицы истинности кодом, сверим с настоящими и найдём персептрон, который вычисляет то же:

# %% slideshow={"slide_type": "subslide"}
for name, unit in perceptron.MP_UNITS.items():
    X, y = logic_table(name)
    out = perceptron.mp_output(unit, X)
    kinds = ", ".join("возбуждающий" if k == "+" else "тормозящий" for k in unit.inputs)
    print(f"{name}: входы — {kinds}; порог {unit.threshold}")
    for x, o, t in zip(X, out, y):
        print(f"   вход {vec(x)} → {o}   {'✔' if o == t else '✘'}")
    w_mp, b_mp = unit.as_perceptron()
    same = np.array_equal(out, perceptron.predict(w_mp, b_mp, X))
    print(f"   то же, что персептрон с w = {vec(w_mp)}, b = −θ = {num(b_mp)}: {'да' if same else 'нет'}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Выходит, любой нейрон Маккаллока — Питтса можно заменить персептроном: порог становится смещением
# $b = -\theta$, а абсолютное торможение — отрицательным весом, который перевешивает все возбуждающие
# входы вместе (у НЕ возбуждающих входов нет, поэтому хватает $w = -1$). Только веса ему подбирает человек.
# Почему эта работа была так важна? На заре искусственного интеллекта думали, что мышление — это прежде
# всего формальные логические рассуждения. А из И, ИЛИ и НЕ складывается **любая** логическая формула.
# Значит, сеть из таких нейронов может, в принципе, вычислить что угодно — казалось, до разумной машины
# рукой подать.

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Попробуйте сами: персептрон вручную
#
# Двигайте веса $w_1, w_2$ и смещение $b$ и выбирайте функцию. Слева — квадрат входов: голубая область —
# где персептрон отвечает 1, оранжевая — где 0, чёрная прямая $w_1 x_1 + w_2 x_2 + b = 0$ — граница между
# ними. Справа — таблица истинности с отметкой ✔/✘ в каждой строке. Найдите веса для AND, OR, NAND, NOR
# и NOT (у NOT один вход, поэтому $w_2$ отключается). А потом попробуйте XOR.

# %% tags=["nbval-ignore-output"]
perceptron_widgets.playground(fn="AND", w1=1.0, w2=1.0, b=-0.5)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Упражнение 2. Веса для NAND
#
# Подберите веса $w = (w_1, w_2)$ и смещение $b$, при которых персептрон вычисляет NAND («И-НЕ»: 0 только
# на входе $(1, 1)$). Можно сначала найти их в виджете выше.

# %% nbgrader={"solution": true, "grade_id": "nand_weights"}
w_nand = (  # два веса: np.array([w1, w2])
    ### BEGIN SOLUTION
    np.array([-1.0, -1.0])
    ### END SOLUTION
)
b_nand = (  # смещение: одно число
    ### BEGIN SOLUTION
    1.5
    ### END SOLUTION
)

# %% nbgrader={"grade": true, "grade_id": "nand_weights_check", "points": 1}
ex.nand_weights(w_nand, b_nand)
### BEGIN HIDDEN TESTS
assert ex.nand_weights(w_nand, b_nand, quiet=True)
### END HIDDEN TESTS

# %% [markdown]
# С XOR в виджете не выходит: как ни крути прямую, хотя бы одна точка оказывается не на своей стороне.
# Мы ещё вернёмся к этому в конце урока.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Чего не хватало: обучения
#
# Веса Маккаллока и Питтса придумывает человек. Чтобы машина научилась сама, нужен способ менять веса по
# примерам. Подсказку дал нейропсихолог Дональд Хебб, предположивший, что знания хранятся в синапсах и
# обучение — это их рост и перестройка:
#
# > «Когда аксон клетки A находится достаточно близко, чтобы возбуждать клетку B, и многократно или
# > постоянно участвует в её возбуждении, в одной или обеих клетках происходит некий процесс роста или
# > обменные изменения, так что эффективность A как одной из клеток, возбуждающих B, возрастает».
# >
# > — Дональд Хебб, «Организация поведения» (*The Organization of Behavior*, 1949)
#
# Коротко: связи, которые работают вместе, крепнут. Буквальное правило Хебба для нашего нейрона — «если
# вход и нужный ответ оба равны 1, увеличь вес этого входа» (и вес смещения, если нужный ответ 1).
# **Прогноз:** начнём с нулевых весов и пройдём по таблице AND пять раз. Сколько из четырёх ответов
# персептрона после этого будут неверны?

# %% nbgrader={"solution": true, "grade_id": "hebb_prediction"} slideshow={"slide_type": "fragment"}
hebb_guess = (
    ### BEGIN SOLUTION
    3
    ### END SOLUTION
)

# %% nbgrader={"grade": true, "grade_id": "hebb_prediction_check", "points": 1}
ex.hebb_prediction(hebb_guess)
### BEGIN HIDDEN TESTS
assert ex.hebb_prediction(hebb_guess, quiet=True)
### END HIDDEN TESTS

# %% slideshow={"slide_type": "subslide"}
X, y = logic_table("AND")
w_hebb, b_hebb = np.zeros(2), 0.0
for _ in range(5):  # пять эпох
    for x, target in zip(X, y):
        w_hebb += x * target  # вход и ответ оба 1 → связь крепнет
        b_hebb += target  # вход смещения всегда 1
answers = perceptron.predict(w_hebb, b_hebb, X)
print(f"после 5 эпох: w = {vec(w_hebb)}, b = {num(b_hebb)}")
print(f"ответы {answers}, нужно {y}: неверных ответов {np.sum(answers != y)} из 4")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Правило Хебба только **укрепляет** связи и не замечает ошибок: веса растут без конца, и нейрон
# отвечает 1 на всё. Розенблатт взял из этой идеи главное — обучение есть изменение весов, и меняются
# связи только тех входов, которые были активны, — но добавил **учителя**: веса меняются, только когда
# ответ неверен, и в ту сторону, которая ошибку исправляет, то есть могут и уменьшаться.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Алгоритм Розенблатта: четыре шага
#
# 1. Взять персептрон со **случайными** весами и набор примеров «вход → правильный ответ».
# 2. Подать на персептрон вход очередного примера и вычислить ответ.
# 3. Если ответ неверен:
#    * нужно было 0, а вышло 1 (сумма слишком велика) — **уменьшить** веса тех входов, которые равны 1;
#    * нужно было 1, а вышло 0 (сумма слишком мала) — **увеличить** веса тех входов, которые равны 1.
# 4. Перейти к следующему примеру; проходить по набору снова и снова (каждый проход — **эпоха**),
#    пока персептрон не пройдёт весь набор без единой ошибки.
#
# Насколько менять вес, задаёт **скорость обучения** $\eta$ (у нас `lr`). Вход смещения всегда равен 1,
# так что смещение участвует в каждом исправлении.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Упражнение 3. Шаги 2–3 словами алгоритма
#
# Напишите `rule_in_words(w, b, x, y, lr)`: вычислите ответ $\hat y$; если нужно было 0, а вышло 1,
# уменьшите на `lr` веса входов, равных 1, и смещение; если нужно было 1, а вышло 0 — увеличьте их;
# верните новые `(w, b)`. Входы здесь — только 0 и 1. Удобно: `w[x == 1]` — веса входов, равных 1.
# Не меняйте переданный массив `w` на месте: сначала сделайте копию, `w = w.copy()`.


# %% nbgrader={"solution": true, "grade_id": "rule_in_words"}
def rule_in_words(w, b, x, y, lr):
    """Шаги 2–3 алгоритма: ответ персептрона и исправление весов. Возвращает (w_new, b_new)."""
    ### BEGIN SOLUTION
    y_hat = 1 if w @ x + b >= 0 else 0  # шаг 2: ответ
    w = w.copy()
    if y == 0 and y_hat == 1:  # шаг 3: сумма слишком велика —
        w[x == 1] -= lr  #   уменьшаем веса входов, равных 1,
        b -= lr  #   и смещение (его вход всегда 1)
    elif y == 1 and y_hat == 0:  # шаг 3: сумма слишком мала —
        w[x == 1] += lr  #   увеличиваем те же веса
        b += lr
    return w, b
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "rule_in_words_check", "points": 1}
ex.rule_in_words(rule_in_words)
### BEGIN HIDDEN TESTS
assert ex.rule_in_words(rule_in_words, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Обучаем AND
#
# Шаг 1 — случайные начальные веса (округлены до десятых, чтобы за ними было легко следить):

# %%
X, y = logic_table("AND")
w0, b0 = perceptron.initial_weights(2, seed)
print(f"начальные веса: w = {vec(w0)}, b = {num(b0)};  скорость обучения η = {num(lr)}")
for x, target in zip(X, y):
    print(f"   вход {vec(x)}: нужно {target}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# **Прогноз:** пройдите первую эпоху вручную, на бумаге — четыре примера по порядку, после каждой ошибки
# веса уже новые. Сколько ошибок сделает персептрон в первой эпохе?

# %% nbgrader={"solution": true, "grade_id": "first_epoch_prediction"}
first_epoch_guess = (
    ### BEGIN SOLUTION
    perceptron.train(X, y, w0, b0, lr=lr, max_epochs=1).mistakes  # учитель: тем же правилом, при любом seed
    ### END SOLUTION
)

# %% nbgrader={"grade": true, "grade_id": "first_epoch_prediction_check", "points": 1}
ex.first_epoch_prediction(first_epoch_guess, X, y, w0, b0, lr)
### BEGIN HIDDEN TESTS
assert ex.first_epoch_prediction(first_epoch_guess, X, y, w0, b0, lr, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# Шаг 4 — цикл по эпохам. `perceptron.Rosenblatt` показывает персептрону примеры по одному (`step()`
# применяет правило к следующему примеру); для каждого печатаем сумму $z$, ответ и, если веса изменились,
# табличку: значение входа, вес до, изменение Δ и вес после.

# %%
run = perceptron.Rosenblatt(X, y, w0, b0, lr=lr)
while not run.history.converged and run.history.epochs < max_epochs:
    print(f"━━━ эпоха {run.epoch} ━━━")
    for step in run.run_epoch():
        print(step.report())
history = run.history
w_end, b_end = vec(history.w), num(history.b)
if history.converged:
    print(f"\nЭпоха {history.epochs} прошла без ошибок: w = {w_end}, b = {b_end}. Обучение закончено.")
else:
    print(
        f"\nЗа {fmt.plural(history.epochs, 'эпоху', 'эпохи', 'эпох')} (предел max_epochs) ошибки остались: "
        f"w = {w_end}, b = {b_end}."
    )

# %% [markdown] slideshow={"slide_type": "fragment"}
# Что видно в распечатке:
#
# * при верном ответе веса не трогаются;
# * при ошибке меняются только веса входов, равных 1, — и смещение;
# * если в последней напечатанной эпохе нет ни одной ошибки, обучение остановилось само.
#
# А если ошибка случится на входе $(0, 0)$, исправить её сможет **только** смещение: оба входа там равны
# 0, и их веса не сдвинутся — ещё одна причина, зачем смещение нужно.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## То же самое одной формулой
#
# Оба случая шага 3 записываются одной строкой. Ошибка $y - \hat y$ равна $+1$ (сумма мала), $-1$ (сумма
# велика) или $0$ (ответ верен); если умножить её на вход $x_i$, изменение занулится ровно у тех весов,
# чей вход был равен 0:
#
# $$w_i \leftarrow w_i + \eta\,(y - \hat y)\,x_i, \qquad b \leftarrow b + \eta\,(y - \hat y).$$
#
# Формула к тому же годится для любых входов, не только 0 и 1: вес входа $x_i = 0{,}5$ сдвинется на
# половину шага.
#
# ### Упражнение 4. Правило одной формулой
#
# Напишите `rule_compact(w, b, x, y, lr)` по формуле — без `if` и без `w[x == 1]`. Проверка подаст и
# входы, которые не равны 0 или 1.


# %% nbgrader={"solution": true, "grade_id": "rule_compact"}
def rule_compact(w, b, x, y, lr):
    """Правило Розенблатта: w + η(y − ŷ)x, b + η(y − ŷ). Возвращает (w_new, b_new)."""
    ### BEGIN SOLUTION
    error = y - (1 if w @ x + b >= 0 else 0)  # +1, −1 или 0
    return w + lr * error * x, b + lr * error
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "rule_compact_check", "points": 1}
ex.rule_compact(rule_compact)
### BEGIN HIDDEN TESTS
assert ex.rule_compact(rule_compact, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# В библиотеке это правило — `perceptron.update(w, b, x, y, lr)`. Оно возвращает шаг: `step.w_new`,
# `step.b_new` — новые веса, `step.error` — ошибка $y - \hat y$, `step.explain()` — что произошло, словами.
# Проверим, что на входах из 0 и 1 формула в точности повторяет четыре шага — на всей истории обучения выше:

# %%
same = all(
    np.array_equal(s.w + s.lr * s.error * (s.x == 1), s.w_new) and s.b + s.lr * s.error == s.b_new
    for s in history.steps
)
print(
    f"Формула и словесный алгоритм совпали на всех {fmt.plural(len(history.steps), 'шаге', 'шагах', 'шагах')}: "
    f"{'да' if same else 'нет'}"
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Упражнение 5. Одна эпоха
#
# Напишите `one_epoch(w, b, X, y, lr)`: пройдите по примерам (строкам `X` и ответам `y`) по порядку,
# к каждому примените правило и сосчитайте ошибки. Верните `(w, b, ошибок)`. Правило возьмите
# библиотечное: `step = perceptron.update(w, b, x, target, lr)`, затем `w, b = step.w_new, step.b_new`;
# ошибка была, если `step.error != 0`.


# %% nbgrader={"solution": true, "grade_id": "one_epoch"}
def one_epoch(w, b, X, y, lr):
    """Одна эпоха правила Розенблатта. X: (N, D), y: (N,). Возвращает (w, b, число ошибок)."""
    ### BEGIN SOLUTION
    mistakes = 0
    for x, target in zip(X, y):
        step = perceptron.update(w, b, x, target, lr)
        w, b = step.w_new, step.b_new
        mistakes += step.error != 0
    return w, b, mistakes
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "one_epoch_check", "points": 1}
ex.one_epoch(one_epoch)
### BEGIN HIDDEN TESTS
assert ex.one_epoch(one_epoch, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Упражнение 6. Обучение до конца
#
# Напишите `train_loop(X, y, w, b, lr, max_epochs)`: повторяйте свою `one_epoch`, пока не пройдёт эпоха
# без ошибок, но не больше `max_epochs` эпох. Верните `(w, b, эпох)`, где «эпох» — сколько эпох прошло,
# включая последнюю, безошибочную.


# %% nbgrader={"solution": true, "grade_id": "train_loop"}
def train_loop(X, y, w, b, lr, max_epochs):
    """Эпохи правила Розенблатта до эпохи без ошибок (не больше max_epochs). Возвращает (w, b, эпох)."""
    ### BEGIN SOLUTION
    epochs = 0
    while epochs < max_epochs:
        w, b, mistakes = one_epoch(w, b, X, y, lr)
        epochs += 1
        if mistakes == 0:
            break
    return w, b, epochs
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "train_loop_check", "points": 1}
ex.train_loop(train_loop)
### BEGIN HIDDEN TESTS
assert ex.train_loop(train_loop, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "slide"}
# В библиотеке то же самое делает `perceptron.train`; она запоминает каждый шаг (пример, ответ, ошибку,
# Δw, Δb, новые веса). Вот как двигалась разделяющая прямая от эпохи к эпохе на AND:

# %%
history = perceptron.train(X, y, w0, b0, lr=lr, max_epochs=max_epochs)
shown = list(range(history.epochs))
if len(shown) > 8:  # длинный прогон: первые и последние эпохи
    shown = shown[:4] + shown[-4:]
cols = min(4, len(shown))
rows = -(-len(shown) // cols)
fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 4.4 * rows), squeeze=False)
for ax in axes.flat[len(shown) :]:
    ax.remove()
for k, ax in zip(shown, axes.flat):
    w_k, b_k = history.epoch_starts[k]
    errors = int(np.sum(perceptron.predict(w_k, b_k, X) != y))
    perceptron.plot_decision(ax, X, y, w_k, b_k, title=f"начало эпохи {k + 1}: неверных {errors} из 4")
fig.legend(*axes[0][0].get_legend_handles_labels(), loc="lower center", ncol=2, fontsize=12)
fig.tight_layout(rect=(0, 0.1 / rows, 1, 1))
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Обучение по шагам
#
# Теперь сами: «шаг» показывает персептрону следующий пример, «эпоха» — все оставшиеся примеры эпохи,
# «сначала» возвращает начальные веса. Пример, который только что был показан, подсвечен жёлтым; пунктир —
# где прямая была до исправления. Попробуйте разные скорости обучения и функции — и XOR тоже.

# %% tags=["nbval-ignore-output"]
perceptron_widgets.stepper(fn="AND", lr=lr, seed=seed)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Обучение всегда заканчивается — если прямая существует
#
# Набор примеров **линейно разделим**, если есть прямая (в общем случае гиперплоскость), по одну сторону
# которой лежат все примеры с ответом 1, а по другую — с ответом 0. Для таких данных в 1962 году
# Альберт Новиков доказал: начав с нулевых весов, персептрон сделает не больше
#
# $$\left(\frac{R}{\gamma}\right)^2 \text{ ошибок},$$
#
# где $\tilde x = (x_1, \dots, x_n, 1)$ — вход вместе с единицей смещения, $R$ — наибольшая длина
# $\tilde x$, а $\gamma$ — **зазор**: возьмём любой разделяющий вектор весов $u = (w_1, \dots, w_n, b)$
# длины 1; $\gamma$ — наименьшее из чисел $u \cdot \tilde x$ на примерах с ответом 1 и $-u \cdot \tilde x$
# на примерах с ответом 0.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Идея доказательства в две строки (при $\eta = 1$): каждая ошибка увеличивает проекцию весов на $u$ хотя
# бы на $\gamma$, а квадрат их длины — не больше чем на $R^2$. После $k$ ошибок
# $k\gamma \le \lVert w \rVert \le \sqrt{k}\,R$, откуда $k \le (R/\gamma)^2$. С нулевого старта другая
# скорость обучения лишь умножает все веса на одно число и не меняет ни одного ответа, поэтому оценка
# верна при любой $\eta$ и любом порядке примеров.
#
# Проверим на AND: её разделяет, например, прямая $x_1 + x_2 - 1{,}5 = 0$.

# %%
bound = perceptron.novikoff_bound(X, y, w=[1, 1], b=-1.5)
print(f"AND: R = {num(bound.R, 3)}, γ = {num(bound.gamma, 3)}, оценка (R/γ)² = {num(bound.bound, 0)}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# **Прогноз:** сколько ошибок сделает персептрон с нулевых весов — меньше оценки, столько же или больше?
# Впишите «меньше», «столько же» или «больше».

# %% nbgrader={"solution": true, "grade_id": "novikoff_prediction"}
novikoff_guess = (
    ### BEGIN SOLUTION
    "меньше"
    ### END SOLUTION
)

# %% nbgrader={"grade": true, "grade_id": "novikoff_prediction_check", "points": 1}
ex.novikoff_prediction(novikoff_guess, X, y, lr, bound.bound)
### BEGIN HIDDEN TESTS
assert ex.novikoff_prediction(novikoff_guess, X, y, lr, bound.bound, quiet=True)
### END HIDDEN TESTS

# %%
run = perceptron.train(X, y, lr=lr, max_epochs=max_epochs)  # с нулевых весов
verdict = "меньше оценки" if run.mistakes < bound.bound else "не меньше оценки"
print(
    f"AND с нулевых весов: {fmt.plural(run.mistakes, 'ошибка', 'ошибки', 'ошибок')} — {verdict} {num(bound.bound, 0)}; "
    f"сошлось: {'да' if run.converged else 'нет'}"
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Оценка — потолок, верный при любом порядке примеров, а не точное число ошибок. Теперь побольше: случайные точки
# квадрата $[-1, 1]^2$, разделённые случайной («истинной») прямой, и ни одна не ближе к ней, чем `margin`.

# %%
X_pts, y_pts, w_true, b_true = perceptron.separable_data(n_points, seed=seed, margin=margin)
print(
    f"{fmt.plural(n_points, 'точка', 'точки', 'точек')}: с ответом 1 — {int(y_pts.sum())}, "
    f"с ответом 0 — {int(len(y_pts) - y_pts.sum())}"
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# **Прогноз:** персептрон обучится на этих точках с нулевых весов. Совпадёт ли выученная прямая с истинной?
# Впишите «да» или «нет».

# %% nbgrader={"solution": true, "grade_id": "same_line_prediction"}
same_line_guess = (
    ### BEGIN SOLUTION
    "нет"
    ### END SOLUTION
)

# %% nbgrader={"grade": true, "grade_id": "same_line_prediction_check", "points": 1}
ex.same_line_prediction(same_line_guess, X_pts, y_pts, lr, max_epochs, w_true, b_true)
### BEGIN HIDDEN TESTS
assert ex.same_line_prediction(same_line_guess, X_pts, y_pts, lr, max_epochs, w_true, b_true, quiet=True)
### END HIDDEN TESTS

# %%
bound = perceptron.novikoff_bound(X_pts, y_pts, w_true, b_true)
run = perceptron.train(X_pts, y_pts, lr=lr, max_epochs=max_epochs)
print(
    f"{fmt.plural(n_points, 'точка', 'точки', 'точек')}: γ = {num(bound.gamma, 3)}, R = {num(bound.R, 3)}, "
    f"оценка (R/γ)² = {num(bound.bound, 0)}"
)
print(
    f"персептрон сошёлся: {'да' if run.converged else 'нет'}; {fmt.plural(run.epochs, 'эпоха', 'эпохи', 'эпох')}, "
    f"{fmt.plural(run.mistakes, 'ошибка', 'ошибки', 'ошибок')} "
    f"(не больше оценки: {'да' if run.mistakes <= bound.bound else 'нет'})"
)

fig, ax = plt.subplots(figsize=(6, 6))
perceptron.plot_decision(
    ax,
    X_pts,
    y_pts,
    run.w,
    run.b,
    box=(-1.1, 1.1),
    dashed=(w_true, b_true),
    title="выученная прямая и истинная (пунктир)",
)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Выученная прямая не обязана совпасть с истинной: персептрон останавливается на **первой** прямой,
# которая разделяет примеры без ошибок.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## XOR: прямой нет, и обучение не кончается
#
# «Исключающее ИЛИ» равно 1, когда входы различны. Его четыре точки стоят на углах квадрата крест-накрест,
# и никакая прямая их не разделит. Вот доказательство в четыре неравенства. Пусть персептрон вычисляет XOR:
#
# * $(0, 0) \to 0$: $\; b < 0$;
# * $(1, 1) \to 0$: $\; w_1 + w_2 + b < 0$;
# * $(0, 1) \to 1$ и $(1, 0) \to 1$: $\; w_2 + b \ge 0$ и $w_1 + b \ge 0$.
#
# Сложим два последних: $w_1 + w_2 + 2b \ge 0$, то есть $w_1 + w_2 + b \ge -b > 0$ — а второе неравенство
# требует $< 0$. Противоречие.
#
# **Прогноз:** прямой нет — но сколько из четырёх строк XOR угадывает *лучший* персептрон?

# %% nbgrader={"solution": true, "grade_id": "xor_best_prediction"}
xor_best_guess = (
    ### BEGIN SOLUTION
    3
    ### END SOLUTION
)

# %% nbgrader={"grade": true, "grade_id": "xor_best_prediction_check", "points": 1}
ex.xor_best_prediction(xor_best_guess)
### BEGIN HIDDEN TESTS
assert ex.xor_best_prediction(xor_best_guess, quiet=True)
### END HIDDEN TESTS

# %% [markdown]
# Перебор весов по сетке:

# %%
for name in ["AND", "OR", "NAND", "NOR", "XOR"]:
    best = perceptron.best_line_on_grid(*logic_table(name))
    print(f"{name:<5} лучший персептрон угадывает {best} из 4")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Прогноз:** а что сделает правило обучения? Дойдёт ли оно когда-нибудь до эпохи без ошибок на XOR,
# если дать ему сколько угодно эпох? Впишите «да» или «нет».

# %% nbgrader={"solution": true, "grade_id": "xor_prediction"}
xor_guess = (
    ### BEGIN SOLUTION
    "нет"
    ### END SOLUTION
)

# %% nbgrader={"grade": true, "grade_id": "xor_prediction_check", "points": 1}
ex.xor_prediction(xor_guess)
### BEGIN HIDDEN TESTS
assert ex.xor_prediction(xor_guess, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# `train` замечает, когда веса в конце эпохи повторяют веса в начале одной из прошлых эпох: с этого момента
# всё пойдёт по кругу, ведь следующая эпоха целиком определяется весами в её начале.

# %%
X_xor, y_xor = logic_table("XOR")
w0_xor, b0_xor = perceptron.initial_weights(2, seed)
xor_run = perceptron.train(X_xor, y_xor, w0_xor, b0_xor, lr=lr, max_epochs=max_epochs)
cycle = xor_run.cycle
for k, (w_k, b_k) in enumerate(xor_run.epoch_starts):
    print(f"  начало эпохи {k + 1}: w = {vec(w_k)}, b = {num(b_k)}, ошибок за эпоху: {xor_run.mistakes_per_epoch[k]}")
print(f"сошлось: {'да' if xor_run.converged else 'нет'}")
if cycle is not None:
    print(
        f"цикл: веса в начале эпохи {cycle.start + cycle.period + 1} = веса в начале эпохи {cycle.start + 1}; "
        f"длина цикла: {fmt.plural(cycle.period, 'эпоха', 'эпохи', 'эпох')}"
    )
    shown_epochs = range(cycle.start, cycle.start + cycle.period)
    print("Цикл, шаг за шагом:")
else:
    print(
        f"за {fmt.plural(xor_run.epochs, 'эпоху', 'эпохи', 'эпох')} (предел max_epochs) веса ещё не повторились; "
        "последняя эпоха, шаг за шагом:"
    )
    shown_epochs = [xor_run.epochs - 1]
cycle_steps = [s for e in shown_epochs for s in xor_run.steps[len(X_xor) * e : len(X_xor) * (e + 1)]]
for step in cycle_steps:
    print("  " + step.explain())

# %% [markdown] slideshow={"slide_type": "fragment"}
# Исправления тянут прямую то в одну, то в другую сторону, и если цикл найден (его длина напечатана выше),
# веса возвращаются туда, откуда вышли: дальше те же эпохи повторяются без конца, и ошибки не исчезнут ни
# через сто эпох, ни через миллион. Вот как мечется прямая в первой эпохе цикла (или в последней эпохе,
# если предела `max_epochs` не хватило, чтобы увидеть повтор):

# %%
epoch_steps = cycle_steps[: len(X_xor)]
fig, axes = plt.subplots(1, len(epoch_steps), figsize=(4.2 * len(epoch_steps), 4.4), squeeze=False)
for k, (ax, step) in enumerate(zip(axes[0], epoch_steps)):  # жёлтым — пример, который только что показан
    verdict = "верно" if step.error == 0 else "ошибка"
    perceptron.plot_decision(
        ax, X_xor, y_xor, step.w_new, step.b_new, highlight=k, title=f"после x = {vec(step.x)}: {verdict}"
    )
fig.tight_layout()
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Упражнение 7. Какие функции персептрону не по силам
#
# Логических функций двух входов всего 16: каждая задаётся четвёркой ответов на входах
# $(0,0), (0,1), (1,0), (1,1)$ — например, AND это `(0, 0, 0, 1)`. Какие из них персептрон **не может**
# выучить? Напишите функцию `not_learnable_tables()`, которая возвращает множество таких четвёрок.
# Подсказка: переберите все 16 с помощью `itertools.product((0, 1), repeat=4)` и обучите на каждой
# `perceptron.train` — посмотрите на `.converged`.


# %% nbgrader={"solution": true, "grade_id": "not_learnable"}
def not_learnable_tables():
    """Множество четвёрок ответов (на (0,0), (0,1), (1,0), (1,1)), которые один персептрон не выучивает."""
    ### BEGIN SOLUTION
    from itertools import product

    X4 = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    return {t for t in product((0, 1), repeat=4) if not perceptron.train(X4, np.array(t), max_epochs=100).converged}
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "not_learnable_check", "points": 1}
ex.not_learnable(not_learnable_tables)
### BEGIN HIDDEN TESTS
assert ex.not_learnable(not_learnable_tables, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Почему «с нейронными сетями было не очень хорошо»
#
# В 1969 году Марвин Минский и Сеймур Пейперт выпустили книгу «Персептроны» (*Perceptrons*). Они изучали
# персептрон как один пороговый элемент над набором «местных» признаков картинки и строго доказали, чего
# такие машины не могут. Если каждый признак смотрит не больше чем на $k$ точек картинки (персептрон
# **ограниченного порядка**), то ни при каком фиксированном $k$ персептрон не определит чётность числа
# закрашенных точек на картинках любого размера: для этого нужен признак, видящий все точки сразу. А если
# каждый признак видит лишь кусочек картинки ограниченного размера (персептрон **ограниченного
# диаметра**), он не отличит связную фигуру от несвязной. XOR двух входов — самый маленький случай
# чётности: нашему нейрону, у которого каждый «признак» — один вход, он недоступен.
#
# Эти теоремы — о персептронах такого вида, а не о любых нейронных сетях; но сомнения авторов в том,
# что многослойные сети удастся обучать, услышали многие.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Интерес к нейронным сетям и деньги на них надолго ушли (позже похожие спады назовут «зимами ИИ»), и
# причин тому было несколько, а не одна книга: не было способа обучать скрытые слои (обратное
# распространение ошибки станет широко известно только в 1986 году), компьютеры были слабы, громкие
# обещания первых лет не сбылись, а финансирование исследований ИИ в целом урезали — в США военное
# ведомство после поправки Мэнсфилда 1969 года стало давать деньги только на прикладные задачи, в
# Великобритании — после доклада Лайтхилла 1973 года. В 1971 году погиб Розенблатт, главный защитник
# персептронов. Это и есть тот спад, о котором говорят: «с нейронными сетями было не очень хорошо».
#
# Выход при этом был известен: **несколько** нейронов, соединённых в слои. XOR складывается из функций,
# которые персептрону по силам: $\text{XOR}(a, b) = \text{AND}(\text{OR}(a, b), \text{NAND}(a, b))$.

# %% slideshow={"slide_type": "fragment"}
X_xor, y_xor = logic_table("XOR")
neurons = {}
for name in ["OR", "NAND", "AND"]:  # каждый нейрон учится своей функции правилом Розенблатта
    run = perceptron.train(*logic_table(name), *perceptron.initial_weights(2, seed), lr=lr, max_epochs=max_epochs)
    neurons[name] = (run.w, run.b, run.converged)
h_or = perceptron.predict(*neurons["OR"][:2], X_xor)  # нейрон 1: OR
h_nand = perceptron.predict(*neurons["NAND"][:2], X_xor)  # нейрон 2: NAND
out = perceptron.predict(*neurons["AND"][:2], np.column_stack([h_or, h_nand]))  # нейрон 3: AND от их ответов
print("каждый нейрон выучил свою функцию:", "да" if all(c for _, _, c in neurons.values()) else "нет")
print("вход    OR NAND → AND   нужно")
for x, a, c, o, t in zip(X_xor, h_or, h_nand, out, y_xor):
    print(f"{vec(x)}   {a}   {c}   →  {o}     {t}")
print("три нейрона вычисляют XOR:", "да" if np.array_equal(out, y_xor) else "нет")

# %% [markdown] slideshow={"slide_type": "slide"}
# Каждый нейрон здесь обучен отдельно, правилом Розенблатта, — но *чему* учить скрытые нейроны (OR и NAND),
# решили мы сами. Как обучить нейроны, чьих правильных ответов никто не знает («скрытый слой»), — тема
# урока 3. А в уроке 2 мы поставим несколько персептронов рядом, чтобы получить несколько выходов.
#
# ## Итоги
#
# * Персептрон: $\hat y = [\,w \cdot x + b \ge 0\,]$ — линейная функция, как в регрессии, сплющенная порогом
#   до 0 или 1; смещение $b$ — вес входа, всегда равного 1, оно задаёт порог.
# * Нейрон Маккаллока — Питтса — порог над суммой возбуждающих входов с абсолютным торможением; связи
#   подбирает человек; из него собираются И, ИЛИ, НЕ.
# * Правило Розенблатта: при ошибке сдвинуть веса активных входов в сторону правильного ответа,
#   $w \leftarrow w + \eta (y - \hat y) x$.
# * Если данные линейно разделимы, ошибок будет не больше $(R/\gamma)^2$; если нет (XOR), веса ходят по кругу.
