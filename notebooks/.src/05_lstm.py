# %% [markdown] slideshow={"slide_type": "slide"}
# # 5. LSTM шаг за шагом
#
# В прошлом уроке обычная рекуррентная сеть теряла связь между словами, если их разделяло много шагов:
# градиент, проходя назад по цепочке, раз за разом умножался на одни и те же веса и угасал. Здесь мы
# разберём сеть, которую придумали как раз против этой беды, — **LSTM** (long short-term memory, «долгая
# краткосрочная память»). По дороге:
#
# * посмотрим, чем повторяющийся модуль LSTM отличается от модуля обычной RNN;
# * поймём, что такое **состояние ячейки** и **фильтры** (gates);
# * вы сами напишете шаг LSTM по частям — фильтр забывания, входной фильтр и кандидата, обновление
#   ячейки, выходной фильтр — и его обратный проход, а проверки сверят их с `lib.lstm`;
# * покрутите ползунки живой ячейки и увидите, как фильтры решают «забыть», «записать» и «показать»;
# * обучим LSTM на примере из лекции — помнить **род существительного** — и заглянем внутрь обученной сети;
# * сравним LSTM и обычную RNN на задаче сложения по честному бенчмарку.
#
# Запускайте ячейки сверху вниз (Shift+Enter). Если после перезапуска ядра ячейка в середине пишет
# `NameError`, запустите все ячейки выше неё (меню «Запуск» → «Выполнить все ячейки выше»).

# %% tags=["parameters"] slideshow={"slide_type": "skip"}
seed = 0  # все случайные числа урока
max_gap = 20  # корпус «род»: до стольких слов между существительным и глаголом при обучении
test_gaps = [0, 5, 10, 20, 40]  # разрывы при проверке (40 — вдвое длиннее, чем при обучении)
lstm_hidden = 4  # единиц состояния LSTM (4 — чтобы все фильтры были видны на картинке)
lstm_steps = 300  # шагов обучения LSTM (Adam)
rnn_hidden = 16  # единиц обычной RNN (параметров у неё даже больше, чем у LSTM)
rnn_steps = 600  # шагов обучения RNN: шаг RNN дешевле, время обучения примерно то же

# %% slideshow={"slide_type": "skip"}
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import lib
from lib import fmt, gender, lstm, plots, rnn
from lib.exercises import lstm as ex
from lib.lstm import LSTMParams, lstm_backward, lstm_forward, lstm_step
from lib.numerics import numeric_gradient, relative_error, sigmoid
from lib.widgets import lstm as lstm_widgets

plots.use_style()
np.set_printoptions(precision=3, suppress=True)


def sci(x):
    """Число в научной записи с десятичной запятой: 1,6e−07."""
    return f"{x:.1e}".replace(".", ",").replace("-", "−")


def vec(a, digits=3):
    """Вектор с десятичными запятыми: (0,047; 0,953)."""
    return "(" + "; ".join(fmt.num(v, digits) for v in np.ravel(a)) + ")"


def share(x):
    """Доля как процент или, если она совсем мала, в научной записи."""
    return f"{fmt.num(100 * x, 0)} %" if x >= 0.01 else sci(x)


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Сеть, которой легко хранить
#
# LSTM предложили Зепп Хохрайтер и Юрген Шмидхубер в 1997 году; фильтр забывания, без которого сегодня
# LSTM не бывает, добавили Феликс Герс, Шмидхубер и Фред Камминс в 2000-м. Потом архитектуру дорабатывали
# и объясняли многие (схемы этого урока нарисованы в манере известного поста Кристофера Олаха
# «Understanding LSTM Networks», 2015). LSTM работает там, где важна длинная память о прошлом:
# в [робототехнике](https://www.researchgate.net/publication/220671100_A_System_for_Robotic_Heart_Surgery_that_Learns_to_Tie_Knots_Using_Recurrent_Neural_Networks)
# (робот-хирург, который учится завязывать узлы), в [анализе временных рядов](https://www.researchgate.net/publication/220814875_Evolino_Hybrid_NeuroevolutionOptimal_Linear_Search_for_Sequence_Learning),
# в [распознавании речи](https://www.sciencedirect.com/science/article/abs/pii/S0893608005001206?via%3Dihub).
#
# Главное отличие от обычной RNN — в устройстве памяти. Обычная RNN на каждом шаге **переписывает** своё
# состояние целиком: новое состояние — это tanh от матрицы весов, умноженной на старое. У LSTM есть
# отдельное **состояние ячейки**, которое от шага к шагу меняется только поэлементным умножением на
# фильтр и прибавлением нового. Если фильтр забывания близок к 1, записанное остаётся на месте. Но это
# не бесплатно: значения фильтра сеть должна **выучить**, и в начале обучения он совсем не единица —
# ниже мы посчитаем, сколько от этого остаётся через 50 шагов.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Повторяющийся модуль: один слой против четырёх
#
# Любую рекуррентную сеть можно развернуть в цепочку одинаковых модулей, по одному на шаг времени.
# В обычной RNN модуль — это один слой с активацией tanh:
#
# ![Повторяющийся модуль обычной RNN: один слой tanh](../pics/one_layer.png)
#
# У LSTM цепочка та же, а модуль сложнее: в нём **четыре** слоя, и они взаимодействуют особым образом.
#
# ![Повторяющийся модуль LSTM: четыре взаимодействующих слоя](../pics/lstm.png)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Как читать такие схемы:
#
# * **жёлтый прямоугольник** — слой нейронной сети с обучаемыми весами (σ — сигмоида, tanh — гиперболический
#   тангенс);
# * **розовый кружок** — поэлементная операция: умножение или сложение векторов поэлементно, tanh от каждого числа;
# * каждая **линия** несёт целый вектор от выхода одного узла ко входу другого;
# * **сливающиеся** линии — склейка векторов (конкатенация), **расходящиеся** — копирование: одинаковые
#   копии вектора уходят в разные места.
#
# Четыре слоя — это четыре матрицы весов вместо одной. Каждая действует на склейку $[h_{t-1}, x_t]$,
# так что параметров у LSTM ровно в четыре раза больше, чем у RNN того же размера:

# %%
D, H = 8, 32
rnn_count = H * (H + D) + H  # одна матрица W: (H, H + D) и смещение b: (H,)
lstm_count = sum(a.size for a in lstm.init_params(D, H, seed=seed))
print(f"вход D = {D}, состояние H = {H}")
print(f"параметров у обычной RNN: {rnn_count}")
print(f"параметров у LSTM:        {lstm_count} (в {lstm_count // rnn_count} раза больше)")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Состояние ячейки — конвейерная лента
#
# Ключ к LSTM — **состояние ячейки** $C_t$: горизонтальная линия по верху схемы. Она похожа на конвейерную
# ленту: проходит через всю цепочку модулей, и на каждом шаге с ней происходят лишь две простые линейные
# вещи — поэлементное умножение (×) и сложение (+). Если фильтр забывания пропускает всё, а входной не
# пускает ничего, информация проедет по ленте, не изменившись.
#
# Вмешиваться в ленту LSTM может — удалять с неё информацию или добавлять новую, — но только через
# **фильтры**. Фильтр состоит из двух деталей: сигмоидального слоя и поэлементного умножения.
# Сигмоида выдаёт для каждого числа вектора долю от 0 до 1 — сколько его пропустить: 0 значит «не пропускать
# ничего», 1 — «пропустить всё». Вот фильтр в действии: вектор информации, три разных решения сигмоиды
# и что проходит дальше.

# %% slideshow={"slide_type": "subslide"}
info = np.array([0.9, -0.4, 0.7])  # что несёт линия
z = np.array([-5.0, 0.0, 5.0])  # взвешенные суммы сигмоидального слоя
gate = sigmoid(z)  # σ(z): доля, которую пропустить
print("информация:            ", vec(info, 2))
print("фильтр σ(z):           ", vec(gate))
print("прошло (поэлементно ×):", vec(gate * info))

# %% slideshow={"slide_type": "skip"}
zz = np.linspace(-8, 8, 321)
fig, ax = plt.subplots(figsize=(8, 3.8))
ax.plot(zz, sigmoid(zz))
ax.scatter(z, gate, s=90, color=plots.PALETTE["vermillion"], zorder=3)
ax.annotate("0: не пропускать ничего", (-5, sigmoid(-5.0)), (-7.8, 0.3), fontsize=13, arrowprops=dict(arrowstyle="->"))
ax.annotate("1: пропустить всё", (5, sigmoid(5.0)), (1.2, 0.62), fontsize=13, arrowprops=dict(arrowstyle="->"))
ax.set(title="сигмоида σ(z) = 1 / (1 + e^(−z)): доля от 0 до 1", xlabel="z", ylabel="σ(z)")
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# Таких фильтров в LSTM три: **фильтр забывания** решает, что стереть с ленты, **входной фильтр** — что
# на неё записать, **выходной фильтр** — что из неё показать наружу. Разберём их по порядку — и каждый вы
# напишете сами.
#
# ## Шаг за шагом
#
# Возьмём крошечную LSTM: вход из одного числа ($D = 1$) и состояние из двух единиц ($H = 2$). Веса
# подобраны вручную, чтобы было видно, что происходит: первая единица на этом шаге должна **переписать**
# свою память (старое $0{,}8$ заменить новым значением другого знака), вторая — **сохранить** её. Для каждой
# из четырёх матриц первые два столбца умножаются на $h_{t-1}$, последний — на $x_t$.
#
# Ваши функции будут работать сразу с **пакетом (batch)** примеров: `x_t` формы `(B, D)`, `h_prev` и
# `C_prev` формы `(B, H)`. Склеивайте по последней оси, `np.concatenate([h_prev, x_t], axis=-1)`, и
# умножайте справа на транспонированную матрицу: `hx @ W.T + b`. Сигмоида — `sigmoid` из `lib.numerics`
# (уже импортирована).

# %% slideshow={"slide_type": "subslide"}
p = LSTMParams(
    W_f=np.array([[0.0, 0.0, -3.0], [0.0, 0.0, 3.0]]),
    b_f=np.array([0.0, 0.0]),
    W_i=np.array([[0.0, 0.0, 3.0], [0.0, 0.0, -3.0]]),
    b_i=np.array([0.0, 0.0]),
    W_C=np.array([[-1.0, 0.0, -1.5], [0.0, 1.0, 0.0]]),
    b_C=np.array([0.0, 0.0]),
    W_o=np.array([[0.0, 0.0, 1.0], [0.0, 0.0, -1.0]]),
    b_o=np.array([0.0, 0.0]),
)
x_t = np.array([[1.0]])  # вход этого шага: пакет из одного примера, (B, D) = (1, 1)
h_prev = np.array([[0.5, -0.5]])  # выход прошлого шага, (B, H) = (1, 2)
C_prev = np.array([[0.8, -0.3]])  # состояние ячейки, которое пришло по ленте
step = lstm_step(p, x_t, h_prev, C_prev)  # всё, что посчитает шаг (библиотека), — для сверки ниже
print("[h_{t-1}, x_t] =", vec(np.concatenate([h_prev, x_t], axis=-1), 1))

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Шаг 1. Фильтр забывания: что выбросить
#
# ![Фильтр забывания f_t](../pics/lstm1.png)
#
# Сначала LSTM решает, какую информацию убрать с ленты. Решает сигмоидальный слой — **фильтр забывания**.
# Он смотрит на $h_{t-1}$ и $x_t$ и выдаёт по числу от 0 до 1 на каждое число в $C_{t-1}$: 1 — «сохранить
# полностью», 0 — «выбросить полностью»:
#
# $$f_t = \sigma\left(W_f \cdot [h_{t-1}, x_t] + b_f\right)$$
#
# В сквозном примере лекции — языковой модели, которая предсказывает следующее слово, — в ячейке может
# храниться род последнего существительного, чтобы потом выбрать местоимение нужного рода («лампа … она»,
# «стол … он»); в русском по роду выбирается и форма глагола в прошедшем времени («лампа стояла»). Когда в
# тексте появляется новое существительное, род старого пора забыть.
#
# **Упражнение 1.** Напишите `forget_gate(W_f, b_f, h_prev, x_t)`.


# %% nbgrader={"solution": true, "grade_id": "forget_gate"}
def forget_gate(W_f, b_f, h_prev, x_t):
    """f_t = σ(W_f · [h_prev, x_t] + b_f). W_f: (H, H + D), b_f: (H,), h_prev: (B, H), x_t: (B, D) → (B, H)."""
    ### BEGIN SOLUTION
    hx = np.concatenate([h_prev, x_t], axis=-1)  # [h_{t-1}, x_t]
    return sigmoid(hx @ W_f.T + b_f)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "forget_gate_check", "points": 1}
ex.forget_gate(forget_gate)
### BEGIN HIDDEN TESTS
assert ex.forget_gate(forget_gate, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "fragment"}
# Дальше урок считает библиотекой (`step` из `lib.lstm.lstm_step`), так что он идёт дальше, даже если
# упражнение ещё не решено. Фильтр забывания на нашем примере:

# %%
print("f_t =", vec(step.f))

# %% [markdown]
# Первая единица почти всё забудет ($f \approx 0{,}05$), вторая почти всё сохранит ($f \approx 0{,}95$).
#
# ### Шаг 2. Входной фильтр и кандидат: что записать
#
# ![Входной фильтр i_t и кандидат C̃_t](../pics/lstm2.png)
#
# Теперь — какую новую информацию положить на ленту. Это делается в две части. Сигмоидальный слой,
# **входной фильтр** $i_t$, решает, какие единицы обновлять и насколько. Слой tanh строит вектор
# **кандидатов** $\tilde C_t$ — новых значений от −1 до 1, которые можно добавить в состояние:
#
# $$i_t = \sigma\left(W_i \cdot [h_{t-1}, x_t] + b_i\right), \qquad
#   \tilde C_t = \tanh\left(W_C \cdot [h_{t-1}, x_t] + b_C\right)$$
#
# В языковой модели это момент, когда мы хотим записать в ячейку род нового существительного вместо
# забытого.
#
# **Упражнение 2.** Напишите `input_gate_and_candidate(W_i, b_i, W_C, b_C, h_prev, x_t)`: она возвращает пару
# `(i_t, C_tilde)`.


# %% nbgrader={"solution": true, "grade_id": "input_gate_and_candidate"}
def input_gate_and_candidate(W_i, b_i, W_C, b_C, h_prev, x_t):
    """i_t = σ(W_i · [h_prev, x_t] + b_i), C̃_t = tanh(W_C · [h_prev, x_t] + b_C); каждое (B, H)."""
    ### BEGIN SOLUTION
    hx = np.concatenate([h_prev, x_t], axis=-1)
    return sigmoid(hx @ W_i.T + b_i), np.tanh(hx @ W_C.T + b_C)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "input_gate_and_candidate_check", "points": 1}
ex.input_gate_and_candidate(input_gate_and_candidate)
### BEGIN HIDDEN TESTS
assert ex.input_gate_and_candidate(input_gate_and_candidate, quiet=True)
### END HIDDEN TESTS

# %% slideshow={"slide_type": "fragment"}
print("i_t =", vec(step.i), "  C̃_t =", vec(step.C_tilde))

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Шаг 3. Обновление состояния ячейки
#
# ![Обновление состояния ячейки C_t](../pics/lstm3.png)
#
# Решения приняты, осталось их выполнить. Старое состояние умножаем на $f_t$ — забываем то, что решили
# забыть. Потом прибавляем кандидатов, умноженных на **входной фильтр** $i_t$ — то есть ровно ту долю
# каждого нового значения, которую решили записать:
#
# $$C_t = f_t * C_{t-1} + i_t * \tilde C_t$$
#
# (Здесь $*$ — поэлементное умножение. В тексте лекции в этом месте опечатка: кандидаты умножаются на
# $i_t$, а не на $t$.) В языковой модели именно здесь род старого существительного стирается, а род
# нового записывается.
#
# **Упражнение 3.** Напишите `cell_update(f_t, i_t, C_tilde, C_prev)`.


# %% nbgrader={"solution": true, "grade_id": "cell_update"}
def cell_update(f_t, i_t, C_tilde, C_prev):
    """C_t = f_t * C_prev + i_t * C̃_t (поэлементно); все массивы (B, H)."""
    ### BEGIN SOLUTION
    return f_t * C_prev + i_t * C_tilde
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "cell_update_check", "points": 1}
ex.cell_update(cell_update)
### BEGIN HIDDEN TESTS
assert ex.cell_update(cell_update, quiet=True)
### END HIDDEN TESTS

# %% slideshow={"slide_type": "fragment"}
print("f_t * C_{t-1} =", vec(step.f * C_prev), " (что осталось от старого)")
print("i_t * C̃_t     =", vec(step.i * step.C_tilde), " (что записано нового)")
print("C_t           =", vec(step.C))

# %% [markdown]
# Первая единица **переписана**: от старого $0{,}8$ осталось $0{,}047 \cdot 0{,}8 \approx 0{,}04$, а записан
# кандидат другого знака, и $C_t \approx -0{,}88$. Вторая сохранила своё $-0{,}3$ почти без изменений.
#
# **Прогноз.** Пусть фильтр забывания почти открыт ($f_t \approx 1$), а входной почти закрыт
# ($i_t \approx 0$) — в живой ячейке ниже это кнопка «помнить всё». Чему будет равно $C_t$, если
# $C_{t-1} = 0{,}8$? Впишите число.

# %% nbgrader={"solution": true, "grade_id": "remember_prediction"} slideshow={"slide_type": "fragment"}
remember_guess = None
### BEGIN SOLUTION
remember_guess = 0.8
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "remember_prediction_check", "points": 1}
ex.predict_remember(remember_guess)
### BEGIN HIDDEN TESTS
assert ex.predict_remember(remember_guess, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Шаг 4. Выходной фильтр: что показать
#
# ![Выходной фильтр o_t и выход h_t](../pics/lstm4.png)
#
# Последнее — что выдать наружу. Выход основан на состоянии ячейки, но проходит через ещё один фильтр.
# Сигмоидальный слой $o_t$ решает, какие части состояния показать; само состояние пропускается через tanh
# (чтобы значения легли между −1 и 1) и умножается на $o_t$:
#
# $$o_t = \sigma\left(W_o \cdot [h_{t-1}, x_t] + b_o\right), \qquad h_t = o_t * \tanh(C_t)$$
#
# Зачем он нужен? Ячейка может хранить то, что понадобится **позже**, но сейчас только мешало бы: $h_t$
# видят и следующий шаг, и слой сверху, который выбирает ответ. Выходной фильтр позволяет держать память
# на ленте и при этом не показывать её. Языковая модель, только что увидев существительное, может
# выдать то, что пригодится сразу после него (например, стоит оно в единственном числе или во
# множественном), а род придержать до глагола.
#
# **Упражнение 4.** Напишите `output_gate_and_h(W_o, b_o, h_prev, x_t, C_t)`: она возвращает пару `(o_t, h_t)`.


# %% nbgrader={"solution": true, "grade_id": "output_gate_and_h"}
def output_gate_and_h(W_o, b_o, h_prev, x_t, C_t):
    """o_t = σ(W_o · [h_prev, x_t] + b_o), h_t = o_t * tanh(C_t); каждое (B, H)."""
    ### BEGIN SOLUTION
    o_t = sigmoid(np.concatenate([h_prev, x_t], axis=-1) @ W_o.T + b_o)
    return o_t, o_t * np.tanh(C_t)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "output_gate_and_h_check", "points": 1}
ex.output_gate_and_h(output_gate_and_h)
### BEGIN HIDDEN TESTS
assert ex.output_gate_and_h(output_gate_and_h, quiet=True)
### END HIDDEN TESTS

# %% slideshow={"slide_type": "fragment"}
print("o_t =", vec(step.o), "  tanh(C_t) =", vec(np.tanh(step.C)), "  h_t =", vec(step.h))

# %% [markdown]
# Вот выходной фильтр в деле. Вторая единица **помнит** своё $C_t \approx -0{,}31$ (оно уйдёт по ленте на
# следующий шаг целиком), но её выходной фильтр прикрыт ($o_t \approx 0{,}27$), и наружу выходит лишь
# $h_t \approx -0{,}08$: память есть, а снаружи её почти не видно. У первой единицы фильтр открыт сильнее
# ($0{,}73$), и новое значение она показывает.
#
# ### Весь шаг
#
# **Упражнение 5.** Соберите из своих функций весь шаг: `my_lstm_step(p, x_t, h_prev, C_prev)` возвращает
# шесть массивов `f, i, C_tilde, C, o, h`. Веса каждого слоя — в полях `p.W_f, p.b_f, p.W_i, …, p.b_o`.


# %% nbgrader={"solution": true, "grade_id": "lstm_step"}
def my_lstm_step(p, x_t, h_prev, C_prev):
    """Один шаг LSTM: (f, i, C̃, C, o, h), каждое (B, H)."""
    ### BEGIN SOLUTION
    f = forget_gate(p.W_f, p.b_f, h_prev, x_t)
    i, C_tilde = input_gate_and_candidate(p.W_i, p.b_i, p.W_C, p.b_C, h_prev, x_t)
    C = cell_update(f, i, C_tilde, C_prev)
    o, h = output_gate_and_h(p.W_o, p.b_o, h_prev, x_t, C)
    return f, i, C_tilde, C, o, h
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "lstm_step_check", "points": 1}
ex.lstm_step(my_lstm_step)
### BEGIN HIDDEN TESTS
assert ex.lstm_step(my_lstm_step, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "fragment"}
# В библиотеке это `lib.lstm.lstm_step` — в ней ровно эти шесть строк (откройте `lib/lstm.py` и сравните
# со своими).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Живая ячейка: покрутите фильтры сами
#
# Ниже — LSTM из одной единицы ($D = H = 1$) на той же схеме, но схема раскрашена текущими значениями:
# жёлтые прямоугольники — по значению своего слоя, лента состояния — по $C$ (толщина показывает $|C|$),
# числа подписаны у линий. Справа — ползунки по вкладкам: вход и состояние, затем у каждого слоя три
# ползунка: вес при $h_{t-1}$, вес при $x_t$ и смещение $b$ (для одной единицы $W_* = [u_*, w_*]$). Кнопки
# ставят четыре классические ситуации:
#
# * **забыть всё**: $f_t \approx 0$, $i_t \approx 0$ — лента обнуляется;
# * **помнить всё**: $f_t \approx 1$, $i_t \approx 0$ — $C_t \approx C_{t-1}$, что бы ни пришло на вход;
# * **записать новое**: $f_t \approx 0$, $i_t \approx 1$ — старое стёрто, на ленте кандидат $\tilde C_t$;
# * **скрыть**: $o_t \approx 0$ — ячейка помнит, но наружу выходит $h_t \approx 0$.
#
# Попробуйте: нажмите «помнить всё» и двигайте вход $x_t$ — состояние не шелохнётся (проверьте свой
# прогноз). Потом поднимите смещение входного фильтра — и лента начнёт принимать новое.

# %% tags=["nbval-ignore-output"]
explorer = lstm_widgets.gate_explorer_widget()
explorer

# %% [markdown] slideshow={"slide_type": "subslide"}
# Те же ситуации числами — их считает функция `lstm_widgets.explore`, которая стоит за виджетом:

# %%
print(f"{'ситуация':16s} {'f_t':>6s} {'i_t':>6s} {'C̃_t':>6s} {'C_{t-1}':>8s} {'C_t':>6s} {'o_t':>6s} {'h_t':>6s}")
for name in lstm_widgets.PRESETS:
    r = lstm_widgets.explore(**lstm_widgets.preset(name))
    print(
        f"{name:16s} "
        + " ".join(
            f"{fmt.num(r[k]):>{w}s}"
            for k, w in [("f_t", 6), ("i_t", 6), ("C_tilde", 6), ("C_prev", 8), ("C_t", 6), ("o_t", 6), ("h_t", 6)]
        )
    )

# %% [markdown] slideshow={"slide_type": "slide"}
# ## По всей последовательности
#
# По последовательности $x_1, \dots, x_T$ LSTM проходит, повторяя `lstm_step` и передавая $h_t$ и $C_t$
# следующему шагу. `lstm_forward` делает то же самое и сохраняет все промежуточные значения (они нужны для
# обратного прохода и для картинок); устроен он ради скорости: входную часть $W \cdot x_t$ считает для всех
# шагов одним умножением матриц, четыре слоя шага — одним умножением вместо четырёх. Ответ тот же, что у
# цикла из `lstm_step` (скорость обоих сравнивает бенчмарк `bench/bench_lstm_speed.py`):

# %%
rng = np.random.default_rng(seed)
p_big = lstm.init_params(8, 32, seed=seed)
xs = rng.normal(size=(50, 32, 8))  # T = 50 шагов, пакет из B = 32 последовательностей, D = 8
h, C, hs = None, None, []
for x in xs:  # цикл из lstm_step
    s = lstm_step(p_big, x, h, C)
    h, C = s.h, s.C
    hs.append(h)
trace = lstm_forward(p_big, xs)
print("форма trace.h:", trace.h.shape, "  совпадает с циклом:", np.allclose(np.stack(hs), trace.h))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Обратный проход сквозь время
#
# Чтобы обучать LSTM, нужен градиент потерь по всем весам. Идём от последнего шага к первому и несём
# назад две величины: $\delta h_t$ (всё, что пришло в $h_t$: сверху и от шага $t+1$) и $\delta C_t$.
# Цепное правило на формулах шага даёт (δ — градиент потерь по величине, $\delta C_{\text{next}} =
# \delta C_{t+1} \cdot f_{t+1}$ — то, что пришло по ленте со следующего шага):
#
# $$\delta C_t = \delta C_{\text{next}} + \delta h_t \cdot o_t \cdot (1 - \tanh^2 C_t)$$
#
# $$\delta o_t = \delta h_t \cdot \tanh C_t,\quad \delta f_t = \delta C_t \cdot C_{t-1},\quad
#   \delta i_t = \delta C_t \cdot \tilde C_t,\quad \delta \tilde C_t = \delta C_t \cdot i_t$$
#
# Дальше — через производные слоёв, $\sigma' = \sigma(1 - \sigma)$ и $\tanh' = 1 - \tanh^2$: градиенты по
# взвешенным суммам $z$ четырёх слоёв, $\delta z_f = \delta f_t \cdot f_t(1 - f_t)$,
# $\delta z_i = \delta i_t \cdot i_t(1 - i_t)$, $\delta z_C = \delta \tilde C_t \cdot (1 - \tilde C_t^2)$,
# $\delta z_o = \delta o_t \cdot o_t(1 - o_t)$. Из них — градиенты по весам ($\delta z^\top \cdot [h_{t-1}, x_t]$,
# сумма по шагам) и по $[h_{t-1}, x_t]$ ($\delta z \cdot W$). Назад по ленте уходит
# $\delta C_{t-1} = \delta C_t \cdot f_t$.
#
# **Упражнение 6.** Напишите шаг назад `step_backward(s, C_prev, dh, dC_next)`: `s` — результат
# `lstm_step` (поля `s.f, s.i, s.C_tilde, s.C, s.o`), все массивы `(B, H)`. Верните шесть массивов
# `dC, dz_f, dz_i, dz_C, dz_o, dC_prev`.


# %% nbgrader={"solution": true, "grade_id": "lstm_step_backward"}
def step_backward(s, C_prev, dh, dC_next):
    """Один шаг назад: (δC_t, δz_f, δz_i, δz_C, δz_o, δC_{t-1}), каждое (B, H)."""
    ### BEGIN SOLUTION
    tanh_C = np.tanh(s.C)
    dC = dC_next + dh * s.o * (1 - tanh_C**2)
    dz_f = dC * C_prev * s.f * (1 - s.f)
    dz_i = dC * s.C_tilde * s.i * (1 - s.i)
    dz_C = dC * s.i * (1 - s.C_tilde**2)
    dz_o = dh * tanh_C * s.o * (1 - s.o)
    return dC, dz_f, dz_i, dz_C, dz_o, dC * s.f
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "lstm_step_backward_check", "points": 1}
ex.lstm_step_backward(step_backward)
### BEGIN HIDDEN TESTS
assert ex.lstm_step_backward(step_backward, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# Главное видно в формулах: **по ленте градиент идёт назад, умножаясь только на $f_t$**. Никакой матрицы
# весов и никакой производной tanh на этом пути нет. Если фильтр забывания держит $f \approx 1$, градиент
# проходит десятки шагов почти без потерь. У обычной RNN на каждом шаге назад стоит $W^\top$ и $\tanh'$.
#
# В библиотеке эти строки — `lib.lstm.lstm_step_backward`, а `lstm_backward` — цикл по ней от $t = T$ до 1
# (градиенты по весам всех шагов он считает после цикла одним умножением матриц). Проверим его
# **конечными разностями** (`lib.numerics.numeric_gradient`): сдвигаем каждый вес на $\pm\varepsilon$ и
# смотрим, как меняется потеря $L = \sum_t r_t \cdot h_t$ (со случайными $r_t$).

# %%
p_small = lstm.init_params(2, 3, seed=seed)
xs_small = rng.normal(size=(6, 4, 2))  # T = 6 шагов, B = 4 последовательности
h0, C0 = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
r = rng.normal(size=(6, 4, 3))


def loss():
    return float(np.sum(r * lstm_forward(p_small, xs_small, h0, C0).h))


grads, dxs = lstm_backward(p_small, lstm_forward(p_small, xs_small, h0, C0), r)
worst = 0.0
for name in p_small._fields:
    err = relative_error(numeric_gradient(loss, getattr(p_small, name)), getattr(grads, name))
    worst = max(worst, err)
    print(f"{name}: относительная ошибка {sci(err)}")
print(f"xs : относительная ошибка {sci(relative_error(numeric_gradient(loss, xs_small), dxs))}")
print("обратный проход верен:" if worst < 1e-6 else "обратный проход НЕ сходится с разностями:", sci(worst))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Как далеко доходит градиент
#
# Возьмём необученные сети, подадим сигнал только на последнем шаге ($\partial L/\partial h_T$) и измерим,
# какой градиент доходит до входа $x_t$ на каждом шаге назад. У LSTM при трёх смещениях фильтра забывания
# $b_f$ (с него начинается обучение: в начале $f \approx \sigma(b_f)$, $\sigma(0) = 0{,}5$, $\sigma(1) \approx 0{,}73$,
# $\sigma(3) \approx 0{,}95$) и у обычной RNN из `lib.rnn`.
#
# **Прогноз.** У какой из четырёх сетей градиент за 50 шагов назад станет **меньше всех**? Впишите одно
# из названий: `"LSTM, b_f = 3"`, `"LSTM, b_f = 1"`, `"LSTM, b_f = 0"`, `"обычная RNN"`.

# %% nbgrader={"solution": true, "grade_id": "weakest_gradient_prediction"} slideshow={"slide_type": "fragment"}
weakest_guess = None
### BEGIN SOLUTION
weakest_guess = "LSTM, b_f = 0"
### END SOLUTION

# %% slideshow={"slide_type": "skip"}
T_long, D_long, H_long = 60, 4, 16
xs_long = rng.normal(size=(T_long, 8, D_long))
nets = {
    "LSTM, b_f = 3": (lstm.init_params(D_long, H_long, seed=seed, forget_bias=3.0), lstm_forward, lstm_backward),
    "LSTM, b_f = 1": (lstm.init_params(D_long, H_long, seed=seed, forget_bias=1.0), lstm_forward, lstm_backward),
    "LSTM, b_f = 0": (lstm.init_params(D_long, H_long, seed=seed, forget_bias=0.0), lstm_forward, lstm_backward),
    "обычная RNN": (rnn.init_params(D_long, H_long, seed=seed), rnn.rnn_forward, rnn.rnn_backward),
}
grad_norms = {}
for label, (params, fwd, bwd) in nets.items():
    tr = fwd(params, xs_long)
    dh = np.zeros_like(tr.h)
    dh[-1] = 1.0  # сигнал только на последнем шаге
    _, dx = bwd(params, tr, dh)
    grad_norms[label] = np.linalg.norm(dx, axis=(1, 2))[::-1]  # [k] — k шагов назад
far = {label: float(n[50]) for label, n in grad_norms.items()}

# %% nbgrader={"grade": true, "grade_id": "weakest_gradient_prediction_check", "points": 1}
ex.predict_weakest_gradient(weakest_guess, far)
### BEGIN HIDDEN TESTS
assert ex.predict_weakest_gradient(weakest_guess, far, quiet=True)
### END HIDDEN TESTS

# %% slideshow={"slide_type": "subslide"}
fig, ax = plt.subplots(figsize=(9, 4.5))
for label, n in grad_norms.items():
    ax.semilogy(np.arange(T_long), n, label=label)
    print(f"{label:14s}: ‖∂L/∂x‖ на последнем шаге {sci(n[0])}, за 50 шагов до него {sci(n[50])}")
ax.set(xlabel="сколько шагов назад", ylabel="‖∂L/∂x_t‖", title="как далеко доходит градиент (до обучения)")
ax.legend()
plt.show()

# %% slideshow={"slide_type": "fragment"}
order = sorted(far, key=far.get, reverse=True)
print(
    f"за 50 шагов от градиента осталось больше всего у «{order[0]}» ({sci(far[order[0]])}), "
    f"меньше всего — у «{order[-1]}» ({sci(far[order[-1]])})."
)
print("  ".join(f"σ({b})^50 = {sci(sigmoid(float(b)) ** 50)}," for b in (0, 1, 3)).rstrip(","))
rnn_vs_0 = "слабее, чем" if far["LSTM, b_f = 0"] < far["обычная RNN"] else "сильнее, чем"
print(
    f"LSTM с b_f = 0 в этом запуске пропускает градиент {rnn_vs_0} обычная RNN: "
    f"{sci(far['LSTM, b_f = 0'])} против {sci(far['обычная RNN'])}."
)

# %% [markdown]
# Лента сама по себе ничего не гарантирует: по ней градиент умножается на $f_t$ на каждом шаге, и при
# $f \approx 0{,}5$ (смещение 0) за 50 шагов от него остаётся порядка $0{,}5^{50} \approx 10^{-15}$ — LSTM
# с таким началом может оказаться не лучше обычной RNN (строка выше говорит, как было в этом запуске).
# Даже привычное смещение $b_f = 1$ (так делает `lib.lstm.init_params`) даёт лишь $\sigma(1)^{50} \approx
# 1{,}6 \cdot 10^{-7}$ по ленте. Далеко градиент доходит, только когда $f$ **близок к единице**: при
# $b_f = 3$ или когда сеть сама выучит держать фильтр забывания открытым там, где надо помнить. Так что
# положительное смещение — хороший старт, а долгую память LSTM всё равно выучивает.
#
# **Упражнение 7.** Пусть веса фильтра забывания нулевые, осталось только смещение, так что $f_t = \sigma(b_f)$
# на каждом шаге, а входной фильтр закрыт. Напишите `forget_bias_for(n_steps, keep)`: какое смещение $b_f$
# нужно, чтобы через `n_steps` шагов на ленте осталась доля `keep` записанного? (Найдите $f$ из
# $f^{n} = \text{keep}$, потом $b_f$ из $\sigma(b_f) = f$: обратная к сигмоиде функция — $\ln\frac{f}{1-f}$.)


# %% nbgrader={"solution": true, "grade_id": "forget_bias_for"}
def forget_bias_for(n_steps, keep):
    """Смещение b_f, при котором σ(b_f) ** n_steps == keep."""
    ### BEGIN SOLUTION
    f = keep ** (1 / n_steps)
    return np.log(f / (1 - f))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "forget_bias_for_check", "points": 1}
ex.forget_bias_for(forget_bias_for)
### BEGIN HIDDEN TESTS
assert ex.forget_bias_for(forget_bias_for, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Пример из лекции наяву: род существительного
#
# Вернёмся к языковой модели, которая должна помнить род последнего существительного. В русском это
# особенно наглядно: глагол в прошедшем времени согласуется с подлежащим в роде и числе — «стол стоял»,
# «лампа стояла», «окно стояло», «стулья стояли». Соберём из этого задачу.
#
# `lib.gender` порождает предложения: существительное (по пять на каждый из четырёх классов: мужской,
# женский, средний род и множественное число), затем $k$ слов-вставок («вчера», «тихо», «долго», …),
# затем глагол — его и надо поставить в нужную форму. Число вставок $k$ — это **разрыв**, через который
# сеть должна пронести род. В половине предложений впереди стоит **отвлекающая** часть с другим
# существительным другого рода: «шкаф там, а ваза вчера упала». Глагол согласуется со вторым — значит,
# увидев новое подлежащее, сеть должна **забыть** род старого.
#
# Сеть читает слова по одному (каждое слово — вектор из нулей с единицей на своём месте в словаре),
# а на последнем слове, глаголе в начальной форме («упасть»), выбирает один из четырёх классов; форма
# глагола берётся из таблицы. Каждое предложение сеть читает с нулевого состояния — и при обучении, и при
# проверке. Предложения корпуса (вставки идут в случайном порядке, так что звучат они не всегда гладко,
# но согласование всегда верное):

# %% slideshow={"slide_type": "subslide"}
sample = gender.make_corpus(6, 6, seed=seed)
for s in sample.sentences:
    print(f"{s.text:58s} разрыв {s.gap:2d}, {gender.CLASS_NAMES[gender.CLASSES[s.label]]}")
print("словарь:", fmt.plural(len(gender.VOCAB), "слово", "слова", "слов"))

# %% [markdown] slideshow={"slide_type": "subslide"}
# Обучим на 2000 таких предложений с разрывами от 0 до `max_gap` две сети: LSTM с четырьмя единицами
# (мало, зато потом все её фильтры поместятся на одной картинке) и обычную RNN из урока 4 с шестнадцатью
# (параметров у неё даже больше). Обучение — `lib.seqtrain.train_classifier`: Adam, обрезка градиента
# (clipping) по норме, пакеты по 64 предложения.

# %%
gm_lstm = gender.train_gender("lstm", max_gap=max_gap, hidden_size=lstm_hidden, lr=0.03, steps=lstm_steps, seed=seed)
print(
    f"LSTM ({fmt.plural(lstm_hidden, 'единица', 'единицы', 'единиц')}): "
    f"{fmt.plural(lstm_steps, 'шаг', 'шага', 'шагов')}, {fmt.elapsed(gm_lstm.seconds)}, "
    f"параметров {sum(a.size for a in gm_lstm.params)}"
)
gm_rnn = gender.train_gender("rnn", max_gap=max_gap, hidden_size=rnn_hidden, lr=0.01, steps=rnn_steps, seed=seed)
print(
    f"RNN ({fmt.plural(rnn_hidden, 'единица', 'единицы', 'единиц')}): "
    f"{fmt.plural(rnn_steps, 'шаг', 'шага', 'шагов')}, {fmt.elapsed(gm_rnn.seconds)}, "
    f"параметров {sum(a.size for a in gm_rnn.params)}"
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Проверим на свежих предложениях (по 400 на каждый разрыв; угадывание наугад дало бы 0,25). Разрыв 40
# вдвое длиннее любого, что сети видели при обучении:

# %%
acc = {}
for name, gm in [("LSTM", gm_lstm), ("RNN", gm_rnn)]:
    acc[name] = gender.accuracy_by_gap(gm, test_gaps)
    acc[name + ", с отвлекающим"] = gender.accuracy_by_gap(gm, test_gaps, distractor=True)
print(f"{'разрыв':24s}" + "".join(f"{g:>7d}" for g in test_gaps))
for name, a in acc.items():
    print(f"{name:24s}" + "".join(f"{fmt.num(v):>7s}" for v in a))

fig, ax = plt.subplots(figsize=(9, 4.5))
for (name, a), style in zip(acc.items(), ["-o", "--o", "-s", "--s"]):
    ax.plot(test_gaps, a, style, label=name)
ax.axhline(0.25, color=plots.PALETTE["grey"], lw=1.5, ls=":")
ax.text(0.5, 0.27, "наугад", color=plots.PALETTE["grey"])
ax.axvspan(0, max_gap, color=plots.PALETTE["sky"], alpha=0.12)
ax.text(max_gap / 2, 0.45, "разрывы\nпри обучении", ha="center")
ax.set(
    xlabel="разрыв (слов между существительным и глаголом)",
    ylabel="доля верных форм",
    ylim=(0, 1.05),
    title="кто помнит род существительного",
)
ax.legend(loc="lower right", fontsize=12)
plt.show()

# %% slideshow={"slide_type": "fragment"}
worst_lstm = min(acc["LSTM"].min(), acc["LSTM, с отвлекающим"].min())
worst_rnn = min(acc["RNN"].min(), acc["RNN, с отвлекающим"].min())
print(f"худшая точность по всем разрывам: LSTM {fmt.num(worst_lstm)}, RNN {fmt.num(worst_rnn)}")
if worst_rnn < worst_lstm - 0.05:
    print(f"При seed = {seed} обычная RNN ошибается заметно чаще LSTM.")
elif worst_lstm < worst_rnn - 0.05:
    print(f"При seed = {seed} LSTM ошибается заметно чаще обычной RNN.")
else:
    print(f"При seed = {seed} с этой задачей справились обе сети: разница меньше 0,05.")

# %% [markdown]
# Один запуск — не доказательство, да и разрыв 20 — не самый длинный. Бенчмарк `bench/bench_gender.py`
# (его запускает `make bench`) обучает обе сети при трёх зёрнах и разных наибольших разрывах $L$ при
# обучении; вот его таблица и вывод из неё:

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
plots.show_bench_table("lstm_gender")

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "fragment"}
bench_path = Path(lib.__file__).resolve().parents[1] / "bench" / "results" / "lstm_gender.json"
if bench_path.exists():
    runs = json.loads(bench_path.read_text(encoding="utf-8"))["runs"]
    for config in ("LSTM, H = 4", "RNN, H = 16"):
        for L in sorted({r["L"] for r in runs}):
            rs = [r for r in runs if r["config"] == config and r["L"] == L]
            inside = [min(r["accuracy"][:-1] + r["accuracy_distractor"][:-1]) for r in rs]
            good = sum(a >= 0.95 for a in inside)
            print(
                f"{config}, L = {L:2d}: в {good} из {len(rs)} запусков точность ≥ 0,95 на всех разрывах до L "
                f"(худшая {fmt.num(min(inside))})"
            )
else:
    print("таблицы lstm_gender ещё нет: запустите make bench")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Что происходит внутри: фильтры на одном предложении
#
# Обученная LSTM — не чёрный ящик: у неё всего четыре единицы, и все её фильтры можно посмотреть на каждом
# слове. Возьмём предложение с отвлекающим существительным и разрывом в 30 слов — длиннее всего, что
# сеть видела при обучении.
#
# **Прогноз.** Какой фильтр должен держаться около 1 на словах-вставках, чтобы род «вазы» дошёл до глагола
# через 30 слов? Впишите `"f"`, `"i"` или `"o"`.

# %% nbgrader={"solution": true, "grade_id": "gender_gate_prediction"} slideshow={"slide_type": "fragment"}
gender_gate_guess = None
### BEGIN SOLUTION
gender_gate_guess = "f"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "gender_gate_prediction_check", "points": 1}
ex.predict_gender_gate(gender_gate_guess)
### BEGIN HIDDEN TESTS
assert ex.predict_gender_gate(gender_gate_guess, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# Сначала — короткое предложение целиком. Цвет клетки — значение (фильтры от 0 до 1; состояние показано
# как $\tanh C_t$, от −1 до 1).

# %%
example = "шкаф там , а ваза вчера тихо долго упасть"
sg = lstm_widgets.sentence_gates(gm_lstm, example, units=range(lstm_hidden))
lstm_widgets.draw_sentence_gates(sg)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Найдём единицу, которая на «а» стирает память сильнее всех, и проследим за ней по словам — теперь с
# тридцатью вставками после «вазы»:

# %%
long_example = "шкаф там , а ваза " + " ".join(np.random.default_rng(seed).choice(gender.FILLERS, 30)) + " упасть"
words = long_example.split()
k_a, k_new = words.index("а"), words.index("ваза")
trace_ex, probs_ex = gender.sentence_trace(gm_lstm, long_example)
unit = int(np.argmin(trace_ex.f[k_a]))
print(f"единица {unit}:")
print(f"{'слово':>10s} {'f_t':>6s} {'i_t':>6s} {'o_t':>6s} {'C_t':>6s}")
for k in list(range(k_new + 4)) + [len(words) - 2, len(words) - 1]:
    if k == len(words) - 2:
        print(f"{'…':>10s}")
    print(f"{words[k]:>10s} " + " ".join(f"{fmt.num(getattr(trace_ex, g)[k, unit]):>6s}" for g in "fioC"))


# %% slideshow={"slide_type": "fragment"}
def gate_word(v):
    """Словами, насколько открыт фильтр, с самим числом."""
    if v >= 0.9:
        return f"почти открыт ({fmt.num(v)})"
    if v <= 0.1:
        return f"почти закрыт ({fmt.num(v)})"
    return f"{'приоткрыт' if v < 0.5 else 'открыт больше чем наполовину'} ({fmt.num(v)})"


f_u, i_u, C_u = trace_ex.f[:, unit], trace_ex.i[:, unit], trace_ex.C[:, unit]
fill = slice(k_new + 1, len(words) - 1)  # вставки между «вазой» и глаголом
kept_old = float(np.prod(f_u[1 : k_new + 1]))  # доля C «шкафа», дожившая до «вазы»
print(
    "• На «там , а» фильтр забывания этой единицы: "
    + ", ".join(fmt.num(v) for v in f_u[1 : k_a + 1])
    + f"; от записанного на «шкафе» до «вазы» дошло {share(kept_old)}."
)
print(
    f"• На «вазе» входной фильтр {gate_word(i_u[k_new])}: C меняется с {fmt.num(C_u[k_new - 1])} "
    f"на {fmt.num(C_u[k_new])}."
)
print(
    f"• На 30 вставках f_t от {fmt.num(f_u[fill].min())} до {fmt.num(f_u[fill].max())}, "
    f"i_t от {fmt.num(i_u[fill].min())} до {fmt.num(i_u[fill].max())}; "
    f"C_t от «вазы» до глагола: {fmt.num(C_u[k_new])} → {fmt.num(C_u[-2])}."
)
same_sign = bool(np.all(np.sign(C_u[k_new:-1]) == np.sign(C_u[k_new])))
if same_sign and abs(C_u[-2]) >= abs(C_u[k_new]):
    print(
        "  Знак C_t на вставках не меняется, а |C_t| растёт: входной фильтр не закрыт, и сеть не просто везёт "
        "записанное, а дописывает в ту же сторону. Глаголу важен знак: у него "
        f"tanh(C_t) = {fmt.num(np.tanh(C_u[-1]))}."
    )
elif same_sign:
    print("  Знак C_t на вставках не меняется, хотя |C_t| убывает: лента везёт записанное, понемногу теряя его.")
else:
    print("  Знак C_t на вставках меняется: род в этой единице не держится, его несут другие единицы.")
pred = int(np.argmax(probs_ex))
print(f"• Сеть выбрала «{gender.verb_form('упасть', pred)}» (вероятность {fmt.num(probs_ex[pred])}).")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Одно предложение может оказаться случайностью, поэтому усредним фильтры по 400 предложениям — отдельно
# для каждого вида слов:

# %%
means = gender.gate_means_by_word_kind(gm_lstm)
print(f"{'вид слова':18s} {'f_t':>6s} {'i_t':>6s} {'o_t':>6s}")
for kind, m in means.items():
    print(f"{kind:18s} {fmt.num(m['f']):>6s} {fmt.num(m['i']):>6s} {fmt.num(m['o']):>6s}")
f_mean = {k: v["f"] for k, v in means.items()}
o_mean = {k: v["o"] for k, v in means.items()}


def kind(k):
    """Вид слова в кавычках (если кавычек в названии ещё нет)."""
    return k if k.startswith("«") else f"«{k}»"


print(
    f"фильтр забывания открыт сильнее всего на словах вида {kind(max(f_mean, key=f_mean.get))} "
    f"({fmt.num(max(f_mean.values()))}), прикрыт сильнее всего — на {kind(min(f_mean, key=f_mean.get))} "
    f"({fmt.num(min(f_mean.values()))});"
)
print(
    f"выходной фильтр открыт сильнее всего на {kind(max(o_mean, key=o_mean.get))} "
    f"({fmt.num(max(o_mean.values()))}), слабее всего — на {kind(min(o_mean, key=o_mean.get))} "
    f"({fmt.num(min(o_mean.values()))})."
)

# %% [markdown]
# Картина не такая чёткая, как в учебнике: сеть сама нашла, как разделить работу между четырьмя
# единицами, и у каждой она своя; строки выше говорят, где в этом запуске фильтры открыты сильнее.
#
# Где же хранится род? Посмотрим на состояние ячейки у глагола, усреднённое по классам:

# %%
data = gender.make_corpus(400, max_gap, seed=seed + 1)
C_verb = gender.run(gm_lstm, data.xs).C[data.last, np.arange(400)]  # (N, H): состояние ячейки у глагола
print(f"{'класс':22s}" + "".join(f"   C[{u}]" for u in range(lstm_hidden)))
for k, cls in enumerate(gender.CLASSES):
    centre = C_verb[data.labels == k].mean(axis=0)
    print(f"{gender.CLASS_NAMES[cls]:22s}" + "".join(f"{fmt.num(v):>7s}" for v in centre))

fig, ax = plt.subplots(figsize=(6.5, 5.5))
u1, u2 = (int(u) for u in np.argsort(gender.gender_units(gm_lstm))[::-1][:2])
for k, cls in enumerate(gender.CLASSES):
    pts = C_verb[data.labels == k]
    ax.scatter(
        pts[:, u1], pts[:, u2], s=40, alpha=0.7, label=gender.CLASS_NAMES[cls], color=plots.COLORS[k], marker="os^D"[k]
    )
ax.set(xlabel=f"C[{u1}] у глагола", ylabel=f"C[{u2}] у глагола", title="род в состоянии ячейки")
ax.legend(fontsize=11)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# На рисунке — две единицы, которые по отдельности лучше всех различают классы. Проверим числом: отнесём
# каждое предложение к классу с ближайшим центром облака — сначала по этим двум единицам, потом по всем
# четырём:

# %%
shares = {}
for units in ([u1, u2], list(range(lstm_hidden))):
    centres = np.stack([C_verb[data.labels == k][:, units].mean(axis=0) for k in range(len(gender.CLASSES))])
    dist = np.linalg.norm(C_verb[:, None, units] - centres[None], axis=-1)
    shares[len(units)] = float(np.mean(np.argmin(dist, axis=1) == data.labels))
    print(f"единицы {units}: ближайший центр угадывает класс в {fmt.num(100 * shares[len(units)], 0)} % предложений")
if shares[lstm_hidden] > shares[2] + 0.02:
    print("По всем единицам классы разделяются лучше, чем по двум: род хранится в сочетании единиц.")
else:
    print("Двух единиц уже почти хватает: род в этом запуске держат в основном они.")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Исследователь обученной модели
#
# Выберите пример или напишите своё предложение словами из словаря корпуса (существительное, вставки,
# можно «, а» и второе существительное; глагол в конце — в любой форме или в начальной, можно и без него;
# знаки препинания не мешают) и нажмите Enter. Переключатель выбирает, что показать:
# фильтр $f_t$, $i_t$, состояние $\tanh C_t$ или $o_t$ всех единиц на каждом слове; справа над картинкой —
# форма глагола, которую выбрала сеть.

# %% tags=["nbval-ignore-output"]
lstm_widgets.sentence_explorer_widget(gm_lstm, units=range(lstm_hidden))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## LSTM против RNN: задача сложения
#
# Вернёмся к задаче из урока 4 (вариант задачи сложения Хохрайтера и Шмидхубера, 1997, в том виде, как
# её дают Ле, Джайтли и Хинтон, 2015): на вход идут пары чисел — случайное значение и метка; метка равна 1
# ровно в двух местах, и ответ — сумма двух отмеченных значений. Ответ «всегда 1» даёт среднеквадратичную
# ошибку около 0,17; задачу считаем решённой, когда ошибка на тестовых примерах меньше 0,01.
#
# Сравнение должно быть честным: бенчмарк `bench/bench_adding.py` (его запускает `make bench`, а в уроке 4
# описан его порядок) даёт обеим сетям одинаковое число шагов, подбирает **каждой** её лучшую скорость
# обучения по отдельной проверочной выборке и повторяет опыт при трёх зёрнах; тестовые примеры сети не видят.
# Обучение там занимает минуты, поэтому здесь мы читаем его результаты.
#
# **Прогноз.** Какая сеть решит задачу с длиной $T = 100$ в большем числе запусков? Впишите `"rnn"`,
# `"lstm"` или `"поровну"`.

# %% nbgrader={"solution": true, "grade_id": "adding_prediction"} slideshow={"slide_type": "fragment"}
adding_guess = None
### BEGIN SOLUTION
adding_guess = "lstm"
### END SOLUTION

# %% slideshow={"slide_type": "skip"}
adding_path = Path(lib.__file__).resolve().parents[1] / "bench" / "results" / "adding.json"
adding = json.loads(adding_path.read_text(encoding="utf-8")) if adding_path.exists() else None
rows = {(r["T"], r["model"]): r for r in adding["rows"]} if adding else {}
T_far = max(T for T, _ in rows) if rows else 100
solved_far = {m: rows[T_far, m]["test_solved"] for m in ("rnn", "lstm") if (T_far, m) in rows}

# %% nbgrader={"grade": true, "grade_id": "adding_prediction_check", "points": 1} tags=["nbval-ignore-output"]
ex.predict_adding_winner(adding_guess, solved_far, T=T_far)
### BEGIN HIDDEN TESTS
assert not solved_far or ex.predict_adding_winner(adding_guess, solved_far, T=T_far, quiet=True)
### END HIDDEN TESTS

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
plots.show_bench_table("lstm_adding")

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "fragment"}
if adding:
    for T in sorted({T for T, _ in rows}):
        parts = []
        for m in ("rnn", "lstm"):
            r = rows.get((T, m))
            if r:
                parts.append(
                    f"{m.upper()} (скорость {fmt.num(r['lr'], 3)}) решила в {r['test_solved']} из "
                    f"{len(r['seeds'])}, медиана MSE {fmt.num(r['test_mse_median'], 3)}"
                )
        print(f"T = {T:3d}: " + "; ".join(parts) + f"; ответ «всегда 1» — {fmt.num(rows[T, 'rnn']['baseline_mse'], 3)}")
else:
    print("результатов bench/results/adding.json ещё нет: запустите make bench")

# %% [markdown]
# Строки выше собраны из файла бенчмарка, а не вписаны от руки: если бенчмарк перезапустят, они
# изменятся вместе с ним. Смотрите на то, как меняется число решённых запусков с ростом $T$ у каждой сети.
#
# ## Итоги
#
# * LSTM хранит информацию на **ленте состояния** $C_t$, которую меняют только поэлементное умножение и
#   сложение; по ней же градиент идёт назад, умножаясь лишь на $f_t$ — поэтому далеко он доходит только
#   при $f_t$, близком к 1, а держать его таким сеть учится.
# * Три **фильтра** — сигмоида и поэлементное умножение — решают, что забыть ($f_t$), что записать
#   ($i_t$, вместе с кандидатом $\tilde C_t$) и что показать ($o_t$):
#   $C_t = f_t * C_{t-1} + i_t * \tilde C_t$, $h_t = o_t * \tanh C_t$.
# * Вы написали весь шаг LSTM и его обратный проход; библиотека `lib.lstm` делает то же самое, строка в
#   строку, а `lstm_backward` — цикл по шагу назад.
# * Внутри обученной на согласовании рода LSTM видно, как фильтры стирают род старого подлежащего и
#   записывают новый — с числами этого запуска выше.
