# %% [markdown] slideshow={"slide_type": "slide"}
# # 2. Слой персептронов: много выходов и рукописные цифры
#
# Персептрон из урока 1 отвечает «да» или «нет»: у него один выход. А почти все интересные задачи
# классификации выбирают из многих вариантов: какая это буква, какая цифра, какое слово. Классический пример
# задачи для нейронной сети — распознавание рукописной цифры на картинке: на входе пиксели, на выходе
# десять нейронов, по одному на цифру. В этом уроке:
#
# * поставим несколько персептронов **рядом** — получится **слой**, у которого столько выходов, сколько
#   нейронов; вы сами напишете его суммы и его ответ;
# * возьмём настоящие рукописные цифры (1797 картинок 8×8) и научим слой из 10 нейронов их различать —
#   сначала правилом персептрона, потом градиентным спуском с софтмаксом (оба шага обучения вы тоже напишете);
# * честно сравним два способа обучения, посмотрим, где слой ошибается, и заглянем в его веса.
#
# Запускайте ячейки сверху вниз (Shift+Enter). Если после перезапуска ядра ячейка в середине пишет
# `NameError`, запустите сначала все ячейки выше (меню «Run → Run All Above Selected Cell»).
# В ячейках с `# Ваш код здесь` пишете вы; ячейка под ними проверяет ответ.

# %% tags=["parameters"] slideshow={"slide_type": "skip"}
seed = 0  # разбиение на обучение и тест, порядок примеров
test_fraction = 0.25  # доля картинок, отложенных для теста
epochs = 20  # эпох обучения — поровну обоим способам
long_epochs = 100  # эпох в опыте «а если дать правилу персептрона больше времени»
softmax_batch = 64  # картинок в одном пакете (один шаг градиентного спуска — один пакет)
softmax_lrs = (0.3, 1.0, 3.0)  # из каких скоростей обучения софтмакс-слой выбирает на проверочной части
val_fraction = 0.2  # доля обучающих картинок, отложенных для этого выбора
n_splits = 5  # на скольких разбиениях (seed, seed + 1, …) сравниваем способы обучения

# %% slideshow={"slide_type": "skip"}
import matplotlib.pyplot as plt
import numpy as np

from lib import layer, numerics, plots
from lib.digits import digits_split, load_digits, show_digit
from lib.exercises import layer as ex
from lib.fmt import num, plural
from lib.widgets import layer as layer_widgets

plots.use_style()


def pct(share):
    """Доля как проценты с десятичной запятой: 0.9133 → «91,3 %»."""
    return f"{num(100 * share, 1)} %"


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Один нейрон — один выход. Нужно десять
#
# Персептрон считает взвешенную сумму входов и сравнивает её с порогом, поэтому ответов у него два. Чтобы
# различать, скажем, 10 цифр, одного нейрона мало. Решение простое: взять **10 нейронов** и подать каждому
# **одни и те же входы**. Каждый нейрон отвечает за свой выход: нейрон 0 — «это ноль», нейрон 1 — «это
# единица» и так далее. Такой ряд нейронов называется **слоем**; искусственная нейронная сеть — это и есть
# слои нейронов (сами нейроны по-английски часто называют units). Пока слой у нас один, и он же **выходной**: его
# ответ — ответ всей сети.
#
# Для цифр входы — яркости пикселей картинки, выходов 10. Какая цифра на картинке? Та, чей нейрон
# набрал **наибольшую взвешенную сумму**: он выдаёт 1, остальные девять — 0.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ![Слой нейронов: каждый пиксель соединён с каждым из 10 выходных нейронов](../pics/more_output.png)
#
# На схеме картинка 7 × 5 = 35 пикселей, чтобы линий было не слишком много; у настоящих цифр ниже их
# 8 × 8 = 64, но устроено всё так же: каждый вход соединён с каждым нейроном.

# %% [markdown] slideshow={"slide_type": "subslide"}
# У каждого нейрона свой вектор весов и своё смещение. Сложим веса всех нейронов в матрицу $W$: строка
# $k$ — веса нейрона $k$. Тогда все суммы сразу — одно умножение матрицы на вектор:
#
# $$z = W x + b, \qquad W: (K, D),\; x: (D,),\; b: (K,),\; z: (K,),$$
#
# где $D$ — число входов, $K$ — число нейронов (выходов). Ответ слоя — $\arg\max_k z_k$, номер наибольшей
# суммы. Проверим на крошечном слое: три нейрона, два входа. Сначала каждый нейрон отдельно, как в уроке 1,
# потом матрицей:

# %%
W = np.array(
    [
        [1.0, 2.0],  # нейрон 0
        [-1.0, 0.5],  # нейрон 1
        [0.5, 0.5],  # нейрон 2
    ]
)
b = np.array([0.0, 1.0, 0.5])
x = np.array([0.5, 1.0])

for k in range(3):
    z_k = W[k, 0] * x[0] + W[k, 1] * x[1] + b[k]
    print(
        f"нейрон {k}: {num(W[k, 0], 1)}·{num(x[0], 1)} + {num(W[k, 1], 1)}·{num(x[1], 1)} + {num(b[k], 1)} "
        f"= {num(z_k, 2)}"
    )

z = W @ x + b
print("одним умножением: z = W x + b =", "; ".join(num(v, 2) for v in z))
print("выходы нейронов:", layer.winner_outputs(z).tolist(), "→ ответ слоя:", int(np.argmax(z)))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Упражнение 1. Суммы слоя для пакета картинок
#
# Обычно слою подают сразу много примеров — **пакет** (batch): по строке на пример, $X: (B, D)$. Напишите
# функцию, которая возвращает суммы **всех** нейронов для **всех** примеров: таблицу формы $(B, K)$, где в
# строке $i$ — $K$ сумм примера $i$ (у слоя для цифр $K = 10$). Подсказка к форме: $x W^\top$ для одной
# строки $x$ даёт $(K,)$. Проверка запустит функцию на маленьком слое и на слое из 10 нейронов с 64 входами.


# %% nbgrader={"solution": true, "grade_id": "layer_sums"}
def layer_sums(W, b, X):
    """Суммы слоя: W (K, D), b (K,), X (B, D) → таблица (B, K)."""
    ### BEGIN SOLUTION
    return X @ W.T + b
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "layer_sums_check", "points": 1}
ex.layer_sums(layer_sums)
### BEGIN HIDDEN TESTS
assert ex.layer_sums(layer_sums, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "fragment"}
# ### Упражнение 2. Ответ слоя
#
# Теперь ответ: для каждого примера пакета — номер нейрона с наибольшей суммой, форма $(B,)$. Пригодится
# `np.argmax` — подумайте, по какой оси.


# %% nbgrader={"solution": true, "grade_id": "layer_answer"}
def layer_answer(W, b, X):
    """Ответ слоя: W (K, D), b (K,), X (B, D) → номера победителей (B,)."""
    ### BEGIN SOLUTION
    return np.argmax(X @ W.T + b, axis=1)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "layer_answer_check", "points": 1}
ex.layer_answer(layer_answer)
### BEGIN HIDDEN TESTS
assert ex.layer_answer(layer_answer, quiet=True)
### END HIDDEN TESTS

# %% [markdown]
# Дальше урок считает суммы и ответы функциями `layer.weighted_sums` и `layer.predict` из `lib` — так же,
# как ваши функции.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Данные: рукописные цифры 8×8
#
# Возьмём настоящий почерк: 1797 цифр, написанных 13 людьми. Каждую отсканировали в чёрно-белую картинку
# 32×32 и разбили её на клетки 4×4 точки: пиксель нашей картинки 8×8 — это одна клетка, а его яркость —
# число от 0 до 16 (сколько чёрных точек попало в клетку). Мы делим на 16, так что вход нейрона — число
# от 0 (бумага) до 1 (чернила); пикселей 64, значит, у каждого нейрона 64 веса и смещение.
#
# Это и есть распознавание изображений в самом простом виде: картинку превращаем в вектор яркостей её
# пикселей (строки 8×8 одна за другой — 64 числа), а слой выбирает класс — нейрон с наибольшей суммой. Буквы,
# дорожные знаки или лица распознают по той же схеме, только пикселей и классов больше (и слоёв, как увидим
# в уроке 3, тоже).
#
# *Источник:* E. Alpaydin, C. Kaynak, «Optical Recognition of Handwritten Digits», UCI Machine Learning
# Repository, 1998, лицензия CC BY 4.0. Файл лежит в курсе (`lib/datasets/digits.csv.gz`) и читается без
# интернета.

# %% slideshow={"slide_type": "subslide"}
X_all, y_all = load_digits()
print(
    f"картинок: {X_all.shape[0]}, пикселей в каждой: {X_all.shape[1]}, яркость от {num(X_all.min(), 0)} "
    f"до {num(X_all.max(), 0)}"
)
print("сколько картинок каждой цифры:", dict(enumerate(np.bincount(y_all).tolist())))

fig, axes = plt.subplots(2, 10, figsize=(13, 3.9))
for k, ax in enumerate(axes.ravel()):
    i = np.flatnonzero(y_all == k % 10)[k // 10]
    show_digit(ax, X_all[i], title=str(y_all[i]), fontsize=15)
fig.suptitle("по две картинки каждой цифры")
fig.tight_layout()
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Обучение и тест: что тест на самом деле измеряет
#
# Восемь на восемь — грубо, но цифры узнаются. Разделим картинки на **обучающие** (на них слой учится) и
# **тестовые** (их слой при обучении не видит; по ним мы один раз, в конце, измерим точность). Разбиение
# **стратифицированное**: в тест идёт одна и та же доля картинок каждой цифры (`test_fraction`, четверть),
# а какие именно — решает `seed`.
#
# Важная оговорка. Все 1797 картинок написали **одни и те же 13 человек**, а разбиение случайное: почти
# наверняка каждый из них есть и в обучении, и в тесте (кто какую цифру писал, в файле не записано). Так
# что тест измеряет, как слой узнаёт **новые картинки знакомых почерков**, а не почерк нового человека —
# на нём точность, скорее всего, была бы ниже. Авторы набора поступили строже: их обучающие цифры
# написали 30 человек, а тестовые (это и есть наши 1797) — другие 13. Те же разбиения возьмёт урок 3,
# чтобы точности можно было сравнить.

# %%
X_train, X_test, y_train, y_test = digits_split(test_fraction=test_fraction, seed=seed)
print(f"обучение: {len(X_train)} картинок, тест: {len(X_test)}")
print("цифры в тесте:", np.bincount(y_test).tolist())

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Правило персептрона для многих классов
#
# Как учить сразу десять нейронов? Так же, как один, — исправляя ошибки. Покажем слою картинку цифры $y$;
# пусть победил нейрон $k$.
#
# * Если $k = y$, ответ верный: ничего не меняем.
# * Если $k \ne y$, ошиблись **два** нейрона. Нейрон $y$ должен был выдать 1, а выдал 0: его сумма мала —
#   **прибавим** к его весам вход: $W_y \leftarrow W_y + \eta\,x$, $b_y \leftarrow b_y + \eta$. Нейрон $k$
#   выдал 1, хотя должен был 0: его сумма велика — **вычтем**: $W_k \leftarrow W_k - \eta\,x$,
#   $b_k \leftarrow b_k - \eta$. Остальные восемь выдали 0 и должны были выдать 0 — их не трогаем.
#
# Это правило называют «победитель забирает всё» (winner-takes-all): ответ выдаёт только победитель.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Чем оно похоже на шаг 3 Розенблатта и чем отличается
#
# Шаг 3 из урока 1 можно записать одной формулой: $w \leftarrow w + \eta\,(t - \hat y)\,x$, где $t$ — нужный
# ответ нейрона, $\hat y$ — его ответ (при верном ответе поправка нулевая). Применим её к каждому из десяти
# нейронов, считая ответом нейрона то, что выдал **слой**: 1 у победителя, 0 у остальных. У верного нейрона
# $t - \hat y = 1$, у ошибочного победителя $-1$, у остальных 0 — получается ровно правило выше.
#
# Разница — в том, что считать ответом нейрона. В уроке 1 нейрон отвечал **сам**: сравнивал свою сумму с
# порогом. Здесь ответ решает **сравнение с соседями**: нейрон «выдаёт 1», если его сумма больше всех
# остальных, даже если она отрицательна. Если бы каждый нейрон учился по уроку 1 сам по себе («эта цифра
# или нет?»), это были бы десять независимых персептронов: поправку получал бы каждый, кто ошибся со своим
# порогом, и на одну картинку могли бы сказать «да» сразу несколько нейронов или ни одного. Правило
# «победитель забирает всё» учит нейроны вместе и за шаг трогает только два. И ещё одно отличие: входы теперь
# не только 0 и 1, а любые яркости, и вес меняется **пропорционально** своему входу (у пикселя с бумагой —
# никак, у пикселя с чернилами — сильнее всего). Теорема Новикова о сходимости (урок 1) переносится и сюда: если
# существуют веса, при которых на каждой обучающей картинке побеждает верный нейрон, правило найдёт такие
# веса за конечное число исправлений.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Упражнение 3. Один шаг правила «победитель забирает всё»
#
# Напишите `perceptron_step(W, b, x, y, lr)`: по одному примеру `x` $(D,)$ с верным классом `y` вернуть
# новые `(W, b)`. Переданные массивы не меняйте — работайте с копиями (`W.copy()`).


# %% nbgrader={"solution": true, "grade_id": "perceptron_step"}
def perceptron_step(W, b, x, y, lr):
    """Шаг правила персептрона для многих классов: W (K, D), b (K,), x (D,), y — номер класса → (W, b)."""
    ### BEGIN SOLUTION
    W, b = W.copy(), b.copy()
    k = int(np.argmax(W @ x + b))
    if k != y:
        W[y] += lr * x
        b[y] += lr
        W[k] -= lr * x
        b[k] -= lr
    return W, b
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "perceptron_step_check", "points": 1}
ex.perceptron_step(perceptron_step)
### BEGIN HIDDEN TESTS
assert ex.perceptron_step(perceptron_step, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# Посмотрим на первые четыре шага на цифрах, начиная с нулевых весов (`layer.perceptron_step` из `lib`).
# При нулевых весах все суммы равны нулю, и побеждает нейрон 0 (при равенстве `argmax` выбирает меньший номер).

# %%
p_steps = layer.init_layer(64, 10)
for i in range(4):
    x, y = X_train[i], int(y_train[i])
    z = layer.weighted_sums(p_steps, x)
    k = int(np.argmax(z))
    p_steps, mistake = layer.perceptron_step(p_steps, x, y, lr=1.0)
    if not mistake:
        print(f"пример {i}: цифра {y}, победил нейрон {k} — верно, веса не меняем")
    else:
        print(
            f"пример {i}: цифра {y}, победил нейрон {k} (сумма {num(z[k])} против {num(z[y])}) — "
            f"строку {y} подтягиваем к картинке, строку {k} отталкиваем"
        )

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Прогноз перед опытом
#
# `layer.train_perceptron` пройдёт по обучающим картинкам в случайном порядке (`seed`) `epochs` раз (число
# `epochs` задано в ячейке параметров в начале урока) и посчитает, сколько ошибок пришлось исправить в
# каждой эпохе. **Как вы думаете, дойдёт ли число ошибок до нуля в последней эпохе?** Присвойте в ячейке
# ниже `zero_guess = "да"` или `zero_guess = "нет"`.

# %% nbgrader={"solution": true, "grade_id": "zero_mistakes_guess"}
zero_guess = None  # «да» или «нет»
### BEGIN SOLUTION
zero_guess = "нет"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "zero_mistakes_check", "points": 1}
ex.zero_mistakes(zero_guess, X_train, y_train, epochs=epochs, seed=seed)
### BEGIN HIDDEN TESTS
assert ex.zero_mistakes(zero_guess, X_train, y_train, epochs=epochs, seed=seed, quiet=True)
### END HIDDEN TESTS

# %% slideshow={"slide_type": "subslide"}
p_perc, mistakes = layer.train_perceptron(X_train, y_train, epochs=epochs, seed=seed)
print("ошибок за эпоху:", mistakes.tolist())
print(
    f"в первую эпоху: {mistakes[0]} из {len(X_train)} картинок ({pct(mistakes[0] / len(X_train))}), "
    f"в последней: {mistakes[-1]}"
)
print(
    f"точность: на обучении {pct(layer.accuracy(p_perc, X_train, y_train))}, "
    f"на тесте {pct(layer.accuracy(p_perc, X_test, y_test))}"
)

fig, ax = plt.subplots(figsize=(8, 4))
ax.plot(np.arange(1, epochs + 1), mistakes, marker="o")
ax.set(xlabel="эпоха", ylabel="исправленных ошибок", title="правило персептрона на цифрах", ylim=(0, None))
plt.show()

# %% [markdown]
# В первую эпоху слой ошибается почти на каждой четвёртой картинке, дальше всё реже — но за `epochs` эпох
# ошибки до нуля не доходят, и число исправлений скачет: каждое исправление, починив одну картинку, может
# сломать другую. Правило не умеет «чуть-чуть»: оно реагирует только на ошибки и всегда на полный шаг.
#
# Значит ли это, что обучающие картинки нельзя разделить одним слоем? Нет. Дадим правилу `long_epochs` эпох:

# %%
_, mistakes_long = layer.train_perceptron(X_train, y_train, epochs=long_epochs, seed=seed, until_no_mistakes=True)
if mistakes_long[-1] == 0:
    print(f"первая эпоха без единой ошибки: {len(mistakes_long)} (из разрешённых {long_epochs})")
else:
    print(
        f"за {plural(long_epochs, 'эпоху', 'эпохи', 'эпох')} ни одной эпохи без ошибок; в последней {mistakes_long[-1]}"
    )

# %% [markdown]
# Обучающие картинки **можно** разделить: правило персептрона в конце концов находит веса, при которых
# верный нейрон побеждает на каждой из них (номер эпохи напечатан выше), как и обещает теорема о
# сходимости. Только теорема не говорит, сколько на это нужно эпох, — здесь по меньшей мере вдвое больше, чем
# `epochs`.
# (`until_no_mistakes=True` останавливает обучение на первой эпохе без ошибок — это шаг 4 алгоритма.)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Софтмакс и градиентный спуск
#
# Правило персептрона смотрит только на победителя. Можно учить мягче: превратить десять сумм в
# **вероятности** и подкручивать все веса так, чтобы вероятность правильной цифры росла. Суммы в
# вероятности переводит **софтмакс** (softmax):
#
# $$P_k = \frac{e^{z_k}}{\sum_j e^{z_j}}$$
#
# — все $P_k$ положительны, в сумме дают 1, и наибольшей сумме соответствует наибольшая вероятность
# (так что ответ слоя тот же: номер наибольшей суммы).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Упражнение 4. Софтмакс, который не переполняется
#
# Напишите `softmax(Z)` для пакета сумм $Z: (B, K)$: вернуть таблицу той же формы, в которой каждая **строка**
# — вероятности. Осторожно: $e^{1000}$ в числах с плавающей точкой — бесконечность. Выручает то, что
# вероятности не меняются, если из всех сумм одного примера вычесть одно и то же число: вычтите из каждой
# строки её максимум (`Z.max(axis=1, keepdims=True)`) — тогда наибольшая степень равна $e^0 = 1$.


# %% nbgrader={"solution": true, "grade_id": "softmax"}
def softmax(Z):
    """Вероятности по строкам: Z (B, K) → P (B, K), каждая строка в сумме 1."""
    ### BEGIN SOLUTION
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "softmax_check", "points": 1}
ex.softmax(softmax)
### BEGIN HIDDEN TESTS
assert ex.softmax(softmax, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Упражнение 5. Перекрёстная энтропия
#
# Мерой ошибки служит **перекрёстная энтропия** $L = -\log P_y$: она равна нулю, если слой отдаёт правильной цифре
# вероятность 1, и растёт, когда правильной цифре достаётся малая вероятность. Для пакета потеря — среднее по
# примерам: $L = -\frac{1}{B}\sum_i \log P_{i, y_i}$. Напишите `cross_entropy(P, y)`: `P` $(B, K)$ —
# вероятности, `y` $(B,)$ — верные классы; вернуть одно число.


# %% nbgrader={"solution": true, "grade_id": "cross_entropy"}
def cross_entropy(P, y):
    """Средняя по пакету перекрёстная энтропия: P (B, K), y (B,) → число."""
    ### BEGIN SOLUTION
    return float(-np.mean(np.log(P[np.arange(len(y)), y])))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "cross_entropy_check", "points": 1}
ex.cross_entropy(cross_entropy)
### BEGIN HIDDEN TESTS
assert ex.cross_entropy(cross_entropy, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Упражнение 6. Градиент софтмакс-слоя
#
# Производная потери одного примера по сумме $z_k$ выходит очень простой: $P_k - T_k$, где $T$ — строка из
# нулей с единицей на месте верного класса ($T_k = 1$ при $k = y$). Для пакета соберём эти строки в таблицу
# $(P - T)/B$ формы $(B, K)$ (делим на $B$, потому что потеря — среднее). Так как $z_k = W_k \cdot x + b_k$,
# производная $z_k$ по $W_k$ равна $x$, а по $b_k$ — единице, поэтому
#
# $$\frac{\partial L}{\partial W} = \frac{(P - T)^\top X}{B}\;:\;(K, D), \qquad
#   \frac{\partial L}{\partial b} = \frac{1}{B}\sum_i (P_i - T_i)\;:\;(K,).$$
#
# Напишите `softmax_gradient(W, b, X, y)` → `(dW, db)`. Строку $T$ можно взять из `np.eye(K)[y]`.


# %% nbgrader={"solution": true, "grade_id": "softmax_gradient"}
def softmax_gradient(W, b, X, y):
    """Градиент средней перекрёстной энтропии: W (K, D), b (K,), X (B, D), y (B,) → (dW (K, D), db (K,))."""
    ### BEGIN SOLUTION
    Z = X @ W.T + b
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    G = (P - np.eye(W.shape[0])[y]) / len(X)
    return G.T @ X, G.sum(axis=0)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "softmax_gradient_check", "points": 1}
ex.softmax_gradient(softmax_gradient)
### BEGIN HIDDEN TESTS
assert ex.softmax_gradient(softmax_gradient, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# В `lib` то же считает `layer.softmax_loss_and_grads` (через `numerics.softmax` и `numerics.cross_entropy`).
# Проверим его конечными разностями: немного сдвинем каждый вес туда и обратно и посмотрим, как меняется
# потеря.

# %%
p_small = layer.init_layer(64, 10, seed=seed, scale=0.1)
X_few, y_few = X_train[:8], y_train[:8]
_, grads = layer.softmax_loss_and_grads(p_small, X_few, y_few)
W_probe = p_small.W.copy()
dW_numeric = numerics.numeric_gradient(
    lambda: layer.softmax_loss_and_grads(layer.LayerParams(W_probe, p_small.b), X_few, y_few)[0], W_probe
)
print(f"относительное расхождение dW с конечными разностями: {numerics.relative_error(grads.W, dW_numeric):.0e}")

# %% [markdown]
# Запись вида `2e-09` означает $2 \cdot 10^{-9}$. Расхождение порядка $10^{-9}$ и меньше означает, что формула
# верна.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Шаг градиентного спуска для одного примера, записанный по строкам $W$:
#
# $$W_y \leftarrow W_y + \eta\,(1 - P_y)\,x, \qquad W_k \leftarrow W_k - \eta\,P_k\,x \quad (k \ne y).$$
#
# Сравните с правилом персептрона: верный нейрон так же тянется к картинке, а чужие отталкиваются, но
# **все**, и каждый пропорционально тому, насколько он «уверен» зря; и шаг делается даже при верном, но
# неуверенном ответе. Считать шаг по одной картинке шумно, по всем сразу — долго; **стохастический
# градиентный спуск** делает шаг по пакету из `softmax_batch` случайных картинок, усредняя их поправки;
# проход по всем пакетам — та же **эпоха**.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Честное сравнение двух способов обучения
#
# Чтобы сравнение было честным:
#
# * **поровну эпох**: оба способа проходят по тем же обучающим картинкам `epochs` раз;
# * **каждый в своей лучшей настройке**: у софтмакс-слоя есть скорость обучения $\eta$; её выбираем из
#   `softmax_lrs`, отложив долю `val_fraction` обучающих картинок в **проверочную выборку** (учим на остальных,
#   сравниваем на отложенных). Тестовые картинки в выборе не участвуют;
# * **тест только в конце**, один раз для каждого способа;
# * **несколько разбиений**: на одном разбиении может случайно повезти одному из способов, поэтому повторим всё
#   на `n_splits` разбиениях и покажем разброс.
#
# А у правила персептрона какую настройку выбирать? Прогноз: **изменятся ли ответы слоя на тесте, если
# учить его с $\eta = 2$ вместо $\eta = 1$** (начиная, как всегда, с нулевых весов)? Присвойте
# `lr_guess = "да"` или `lr_guess = "нет"`.

# %% nbgrader={"solution": true, "grade_id": "lr_matters_guess"}
lr_guess = None  # «да» или «нет»
### BEGIN SOLUTION
lr_guess = "нет"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "lr_matters_check", "points": 1}
ex.lr_matters(lr_guess, X_train, y_train, X_test, y_test, epochs=epochs, seed=seed)
### BEGIN HIDDEN TESTS
assert ex.lr_matters(lr_guess, X_train, y_train, X_test, y_test, epochs=epochs, seed=seed, quiet=True)
### END HIDDEN TESTS

# %%
answers = {}
for eta in (1.0, 2.0):
    p_eta = p_perc if eta == 1.0 else layer.train_perceptron(X_train, y_train, epochs=epochs, lr=eta, seed=seed)[0]
    answers[eta] = layer.predict(p_eta, X_test)
    print(
        f"η = {num(eta, 0)}: точность на тесте {pct(np.mean(answers[eta] == y_test))}, "
        f"смещение нейрона 0: {num(p_eta.b[0], 0)}"
    )
print("ответы на тесте совпадают:", "да" if np.array_equal(answers[1.0], answers[2.0]) else "нет")

# %% [markdown]
# С нулевых весов каждая поправка при $\eta = 2$ вдвое больше, значит, и все веса и смещения вдвое больше, а
# какой нейрон побеждает, от этого не зависит. Выбирать правилу персептрона нечего — ему достаются те же
# `epochs` эпох.
#
# Разбиения и настройки сравнения (одни и те же для проверки прогноза и для опыта):

# %%
split_seeds = tuple(range(seed, seed + n_splits))
settings = {
    "epochs": epochs,
    "lrs": tuple(softmax_lrs),
    "batch_size": softmax_batch,
    "val_fraction": val_fraction,
    "test_fraction": test_fraction,
}

# %% [markdown]
# **Прогноз:** кто окажется точнее на тесте в среднем по `n_splits` разбиениям — `"софтмакс"`, `"персептрон"`
# или `"поровну"`? Присвойте это слово переменной `winner_guess`.

# %% nbgrader={"solution": true, "grade_id": "softmax_wins_guess"}
winner_guess = None  # "софтмакс", "персептрон" или "поровну"
### BEGIN SOLUTION
winner_guess = "софтмакс"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "softmax_wins_check", "points": 1}
ex.softmax_wins(winner_guess, split_seeds, **settings)
### BEGIN HIDDEN TESTS
assert ex.softmax_wins(winner_guess, split_seeds, **settings, quiet=True)
### END HIDDEN TESTS

# %% slideshow={"slide_type": "subslide"}
runs = [layer.compare_on_digits(s, **settings) for s in split_seeds]
print("точность на тесте (η софтмакса выбрана по проверочной выборке)")
print(f"{'разбиение':<12}{'η софтмакса':>12}{'персептрон':>12}{'софтмакс':>12}")
for r in runs:
    print(f"{'seed = ' + str(r.seed):<12}{num(r.lr, 1):>12}{pct(r.acc_perc):>12}{pct(r.acc_soft):>12}")
acc_p = np.array([r.acc_perc for r in runs])
acc_s = np.array([r.acc_soft for r in runs])
print(f"{'среднее':<24}{pct(acc_p.mean()):>12}{pct(acc_s.mean()):>12}")
std_p, std_s = (num(100 * a.std(), 1) + " п. п." for a in (acc_p, acc_s))
print(f"{'ст. отклонение':<24}{std_p:>12}{std_s:>12}")
n_better, n_same = int(np.sum(acc_s > acc_p)), int(np.sum(acc_s == acc_p))
of_splits = plural(n_splits, "разбиения", "разбиений", "разбиений")
print(f"софтмакс точнее в {n_better} из {of_splits}, одинаково — в {n_same}, хуже — в {n_splits - n_better - n_same}")

# %% [markdown]
# В среднем софтмакс-слой точнее — при том же числе эпох и с настройкой, выбранной без теста. Но посмотрите на
# строки таблицы: разница от разбиения к разбиению заметно меняется, а точность правила персептрона скачет
# сильнее, чем у софтмакс-слоя (сравните стандартные отклонения в последней строке): его веса после последней
# эпохи зависят от того, какие картинки попались последними. Вот как падала потеря софтмакс-слоя на разбиении
# `seed`:

# %%
main = runs[0]
p_soft = main.p_soft
rose = int(np.sum(np.diff(main.losses) > 0))
print(
    f"η = {num(main.lr, 1)}; потеря на обучающих картинках: в начале {num(main.losses[0])}, "
    f"после {plural(epochs, 'эпохи', 'эпох', 'эпох')} {num(main.losses[-1], 3)}"
)
print(f"эпох, после которых потеря выросла: {rose} из {epochs}")

fig, ax = plt.subplots(figsize=(8, 4))
ax.plot(np.arange(epochs + 1), main.losses, marker="o", markersize=4)
ax.set(
    xlabel="эпоха", ylabel="перекрёстная энтропия", title="софтмакс-слой: потеря на обучающих картинках", ylim=(0, None)
)
plt.show()

# %% [markdown]
# Потеря в целом падает, но не обязана падать после каждой эпохи (сколько раз она выросла, напечатано выше):
# шаг по пакету считает градиент не по всем картинкам, а по `softmax_batch` из них, и потому лишь приближённо.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Где слой ошибается: матрица ошибок
#
# Одно число — точность — не говорит, **какие** ошибки делает слой. **Матрица ошибок** $C$ показывает всё: в
# клетке $C_{ij}$ — сколько тестовых картинок цифры $i$ слой назвал цифрой $j$. На диагонали — верные
# ответы, всё остальное — ошибки.
#
# **Прогноз:** какую цифру слой, обученный правилом персептрона (`p_perc`), узнаёт **хуже всех** — у какой
# наименьшая доля верных ответов среди её тестовых картинок? Присвойте цифру переменной `worst_guess`
# (целое число от 0 до 9, без кавычек).

# %% nbgrader={"solution": true, "grade_id": "worst_digit_guess"}
worst_guess = None  # цифра от 0 до 9
### BEGIN SOLUTION
worst_guess = int(np.argmin(layer.recall_per_class(layer.confusion_matrix(y_test, layer.predict(p_perc, X_test)))))
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "worst_digit_check", "points": 1}
ex.worst_digit(worst_guess, p_perc, X_test, y_test)
### BEGIN HIDDEN TESTS
assert ex.worst_digit(worst_guess, p_perc, X_test, y_test, quiet=True)
### END HIDDEN TESTS

# %% slideshow={"slide_type": "subslide"}
C_perc = layer.confusion_matrix(y_test, layer.predict(p_perc, X_test))
C_soft = layer.confusion_matrix(y_test, layer.predict(p_soft, X_test))
off_diagonal = ~np.eye(10, dtype=bool)

fig, axes = plt.subplots(1, 2, figsize=(14, 6.4))
for ax, C, name in ((axes[0], C_perc, "правило персептрона"), (axes[1], C_soft, "софтмакс")):
    shown = np.where(off_diagonal, C, 0)  # диагональ не раскрашиваем: там верные
    ax.imshow(shown, cmap="Oranges", vmin=0, vmax=max(C_perc[off_diagonal].max(), C_soft[off_diagonal].max(), 1))
    for (i, j), n in np.ndenumerate(C):
        if n:
            ax.text(
                j,
                i,
                str(n),
                ha="center",
                va="center",
                fontsize=11,
                fontweight="bold" if i == j else "normal",
                color="black",
            )
    ax.set_xticks(range(10))
    ax.set_yticks(range(10))
    ax.grid(False)
    ax.set(xlabel="ответ слоя", ylabel="верная цифра", title=f"{name}: ошибок {C[off_diagonal].sum()}")
fig.tight_layout()
plt.show()

recall = layer.recall_per_class(C_perc)
print("доля узнанных картинок каждой цифры (персептрон):", "; ".join(f"{d}: {pct(r)}" for d, r in enumerate(recall)))
for C, name in ((C_perc, "правило персептрона"), (C_soft, "софтмакс")):
    pairs = ", ".join(f"{i}→{j} ({n})" for i, j, n in layer.most_confused(C, k=3))
    print(f"{name}: чаще всего путает {pairs}")
fewer, more, same = layer.compare_cells(C_perc, C_soft)
print(
    f"клеток вне диагонали, где ошибся хотя бы один слой: {fewer + more + same}; софтмакс ошибается в них "
    f"реже в {fewer}, чаще в {more}, столько же в {same}"
)

# %% [markdown]
# Чем темнее клетка вне диагонали, тем чаще эта путаница (цифра слева — верная, снизу — ответ слоя). Какие
# пары путаются чаще всего, напечатано под матрицами; это меняется от разбиения к разбиению, но часто это
# цифры, похожие в 8×8: от восьмёрки с узкими петлями, например, остаётся почти вертикальный штрих по центру,
# как у единицы. Клеток, где софтмакс-слой ошибается реже правила персептрона, больше, чем клеток, где он
# ошибается чаще, — но и такие клетки есть (сколько тех и других, напечатано выше): лучше в среднем не значит
# лучше везде.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Что выучил каждый нейрон
#
# У нейрона 64 веса — по одному на пиксель, так что их можно нарисовать картинкой 8×8. Красное — пиксели,
# где чернила **повышают** сумму этого нейрона («за эту цифру»), синее — где **понижают** («против»).

# %% slideshow={"slide_type": "subslide"}
fig, axes = plt.subplots(2, 10, figsize=(14, 4.0))
for row, (p, name) in enumerate(((p_perc, "персептрон"), (p_soft, "софтмакс"))):
    for k in range(10):
        show_digit(axes[row, k], p.W[k], title=f"нейрон {k}", signed=True)
    axes[row, 0].set_ylabel(name, fontsize=13)
fig.suptitle("веса нейронов как картинки 8×8 (красное — «за», синее — «против»)")
fig.tight_layout()
plt.show()

# %% [markdown]
# Свою цифру можно угадать разве что в нейроне «ноль»: синий центр в бледно-красном кольце — чернила в
# середине картинки говорят «это не ноль». Остальные картинки весов на свои цифры почти не похожи, и это
# поучительно: нейрону не нужно рисовать свою цифру, ему нужно **отличать** её от остальных девяти. Поэтому
# синие пятна — там, где чернила бывают у похожих цифр, а у своей нет. Сумма нейрона говорит, насколько
# картинка похожа на его «красное» и не похожа на «синее».
#
# В этом и сила, и предел одного слоя: на каждую цифру — **ровно один** набор весов, одна линейная функция
# пикселей. А семёрку пишут и с перекладиной, и без; единицу — палочкой и с «носиком». Одна линейная функция
# не может сказать «или так, или эдак» — для этого нужен скрытый слой (урок 3).

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Попробуйте сами: одна цифра и десять сумм
#
# Ползунок выбирает тестовую картинку; справа — суммы всех десяти нейронов слоя, обученного правилом
# персептрона. Закрашенный столбик — победитель (синий, если прав, красно-оранжевый, если ошибся), ★ и
# жирная подпись — верная цифра. Кнопка «только ошибки» оставляет на ползунке только картинки, где слой
# ошибся; ошибки считаются с единицы, так что ползунок на 5 — это «ошибка 5 из …». Листайте их и смотрите,
# насколько близко был верный нейрон.

# %% tags=["nbval-ignore-output"]
layer_widgets.digit_explorer(p_perc, X_test, y_test)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Итоги
#
# * **Распознавание изображений** в простейшем виде: пиксели картинки — входы, по нейрону на класс — выходы,
#   ответ — нейрон с наибольшей взвешенной суммой. Для цифр 8×8 это 64 входа и 10 нейронов выходного слоя.
# * **Слой** — несколько нейронов с общими входами; у каждого свой вектор весов (строка матрицы $W$) и своё
#   смещение, все суммы сразу: $z = W x + b$, для пакета $X W^\top + b$. Ответ — нейрон с наибольшей суммой.
# * **Правило персептрона для многих классов** («победитель забирает всё»): при ошибке верный нейрон
#   подтягивается к примеру ($+\eta x$), ошибочный победитель отталкивается ($-\eta x$). Это формула шага 3
#   урока 1, только ответ нейрона решает сравнение с соседями, а не его собственный порог. Обучающие цифры
#   оно в конце концов разделяет без ошибок, но за много эпох.
# * **Софтмакс и градиентный спуск** учат тот же слой мягче, двигая все нейроны понемногу. В честном сравнении
#   (поровну эпох, настройка по проверочной выборке, тест в конце, несколько разбиений) софтмакс в среднем
#   точнее; насколько — меняется от разбиения к разбиению, и не в каждой клетке матрицы ошибок он лучше.
# * Тест здесь — новые картинки **тех же** 13 человек: он не говорит, как слой справится с почерком
#   незнакомого человека.
# * Веса нейрона — не рисунок цифры, а то, чем она отличается от других; угадать в них можно разве что ноль.
