# %% [markdown] slideshow={"slide_type": "slide"}
# # 3. Скрытые слои: признаки, XOR и обратное распространение ошибки
#
# В уроке 1 один персептрон не справился с XOR, в уроке 2 слой из десяти нейронов узнавал цифры, но
# каждой цифре мог сопоставить только один шаблон. Причина у обоих одна: каждый выход считает одну
# взвешенную сумму прямо от входов — одну прямую в уроке 1, один шаблон на цифру в уроке 2. В этом уроке:
#
# * добавим между входами и выходом **скрытый слой** и решим XOR вручную: И от ИЛИ и НЕ-И;
# * увидим, что делает скрытый слой: он **переносит точки** в новое пространство, где их уже можно
#   разделить прямой;
# * выведем **обратное распространение ошибки** (backpropagation), сами напишем прямой и обратный проходы,
#   проверим их конечными разностями и обучим сеть XOR;
# * на цифрах посмотрим, на что откликаются скрытые нейроны, поговорим о **признаках** и честно сравним
#   сеть со скрытым слоем с одним слоем из урока 2.
#
# Запускайте ячейки сверху вниз (Shift+Enter). Если после перезапуска ядра ячейка в середине пишет
# `NameError`, запустите ячейки выше (меню «Выполнить» → «Выполнить все ячейки выше»).

# %% tags=["parameters"] slideshow={"slide_type": "skip"}
seed = 0  # зерно: начальные веса XOR и сети на цифрах, первое разбиение цифр
xor_lr = 4.0  # скорость обучения градиентного спуска на XOR
xor_steps = 1000  # шагов градиентного спуска на XOR
n_starts = 10  # сколько случайных начал XOR пробуем (начала 0 … n_starts − 1)
hidden_units = 32  # скрытых нейронов в сети для цифр
n_splits = 5  # на скольких разбиениях цифр сравниваем модели (зёрна seed … seed + n_splits − 1)
digits_epochs = 40  # эпох обучения на цифрах — одинаково для слоя и для сети со скрытым слоем
digits_batch = 64  # картинок в пакете — одинаково для обеих моделей
softmax_lrs = (1.0, 3.0, 10.0)  # из каких скоростей обучения один слой softmax выбирает свою на проверочной части
mlp_lrs = (0.003, 0.01, 0.03)  # из каких скоростей обучения Adam выбирает свою сеть со скрытым слоем
val_fraction = 0.2  # доля обучающих картинок каждого разбиения, отложенная для этого выбора

# %% slideshow={"slide_type": "skip"}
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FuncFormatter

from lib import compare, layer, mlp, plots
from lib.data import logic_table
from lib.digits import digits_split, ink_profiles, show_digit
from lib.exercises import mlp as ex
from lib.fmt import num, plural
from lib.mlp import MLPParams
from lib.numerics import relative_error, sigmoid
from lib.widgets import mlp as mlp_widgets

plots.use_style()
sci = lambda v: f"{v:.1e}".replace(".", ",")  # 1,2e-10: малые числа с десятичной запятой
comma = FuncFormatter(lambda v, _: f"{v:g}".replace("-", "−").replace(".", ","))  # подписи осей: 0,5, а не 0.5

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Скрытый слой
#
# После книги Минского и Пейперта «Персептроны» (1969, урок 1) интерес к нейронным сетям надолго упал.
# Причин было несколько, а самый известный довод прост: один слой персептронов не вычисляет даже XOR. Но
# почему это приговор? Ведь идея с самого начала была в том, чтобы сложную задачу
# решало **много** простых нейронов, а не один. Выход напрашивается: подать входы не сразу на выходной слой,
# а сначала на произвольное число промежуточных нейронов. Их ответы становятся входами следующего слоя — ещё
# одного промежуточного или выходного. Промежуточные слои называют **скрытыми**: снаружи виден только ответ
# выходного слоя, это и есть ответ сети, а что посчитали скрытые нейроны, никто не показывает и не задаёт.
# Но именно эти промежуточные вычисления позволяют сети решать задачи, непосильные одному слою.
#
# ![Нейронная сеть с двумя скрытыми слоями](../pics/hidden_layer.png)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Каждый слой устроен как в уроке 2 — матрица весов и смещения, — только после суммы стоит **функция
# активации** $f$ (пороговая функция или её гладкий родственник, о котором ниже). Сеть с двумя скрытыми
# слоями, как на картинке, считает так:
#
# $$h^{(1)} = f(W_1 x + b_1), \qquad h^{(2)} = f(W_2 h^{(1)} + b_2), \qquad \hat y = \text{выход}(W_3 h^{(2)} + b_3).$$
#
# Дальше нам хватит одного скрытого слоя: $h = f(W_1 x + b_1)$, $\hat y = \text{выход}(W_2 h + b_2)$.
# Второй и следующие слои — то же самое действие, повторённое ещё раз. Такую сеть называют **многослойным
# персептроном** (MLP); в курсе она живёт в `lib.mlp`.
#
# ## XOR вручную: И от ИЛИ и НЕ-И
#
# В конце урока 1 мы собрали XOR из трёх персептронов: $\text{XOR}(a, b) = \text{AND}(\text{OR}(a, b),
# \text{NAND}(a, b))$. Это и есть сеть со скрытым слоем: два скрытых нейрона (OR и NAND) и выходной (AND).
# Веса подобраны вручную, а каждый нейрон, как персептрон урока 1, отвечает 1, если его сумма ≥ 0:

# %% slideshow={"slide_type": "subslide"}
X_xor, y_xor = logic_table("XOR")
by_hand = MLPParams(
    # строка W1 и число b1 — один скрытый нейрон: h₁ = OR (x₁ + x₂ − 0,5 ≥ 0), h₂ = NAND (−x₁ − x₂ + 1,5 ≥ 0)
    W1=np.array([[1.0, 1.0], [-1.0, -1.0]]),
    b1=np.array([-0.5, 1.5]),
    W2=np.array([[1.0, 1.0]]),  # выход = AND(h₁, h₂): h₁ + h₂ − 1,5 ≥ 0
    b2=np.array([-1.5]),
)
step = lambda z: (z >= 0).astype(int)  # пороговая функция персептрона

print("x₁ x₂ │ h₁=OR h₂=NAND │ выход=AND │ XOR")
for x, target in zip(X_xor, y_xor):
    h = step(by_hand.W1 @ x + by_hand.b1)
    out = step(by_hand.W2 @ h + by_hand.b2)[0]
    mark = "✔" if out == target else "✘"
    print(f" {x[0]:.0f}  {x[1]:.0f} │   {h[0]}     {h[1]}     │     {out}     │  {target}  {mark}")

same_as_lib = mlp.predict(by_hand, X_xor, activation="step").tolist() == y_xor.tolist()
print("lib.mlp.predict с порогом даёт то же:", "да" if same_as_lib else "нет")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Упражнение 1: XOR из AND и NOR
#
# Соберите XOR из других деталей: пусть скрытые нейроны вычисляют **AND** и **NOR** (NOR — «ни того, ни
# другого»: 1 только на $(0, 0)$), а выходной — NOR от них. Нейроны пороговые: 1, если $w \cdot x + b \ge 0$.
#
# Запишите сеть в `my_xor` — `MLPParams` тех же форм, что у `by_hand`: `W1` $(2, 2)$ (строка — входные веса
# одного скрытого нейрона), `b1` $(2,)$, `W2` $(1, 2)$, `b2` $(1,)$. Порядок скрытых нейронов любой.

# %% nbgrader={"solution": true, "grade_id": "xor_and_nor"}
my_xor = (  # MLPParams(W1=np.array([[…], […]]), b1=np.array([…]), W2=np.array([[…]]), b2=np.array([…]))
    ### BEGIN SOLUTION
    MLPParams(
        W1=np.array([[1.0, 1.0], [-1.0, -1.0]]),  # AND, NOR
        b1=np.array([-1.5, 0.5]),
        W2=np.array([[-1.0, -1.0]]),  # NOR от них
        b2=np.array([0.5]),
    )
    ### END SOLUTION
)

# %% nbgrader={"grade": true, "grade_id": "xor_and_nor_check", "points": 1}
ex.xor_and_nor(my_xor)
### BEGIN HIDDEN TESTS
assert ex.xor_and_nor(my_xor, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Что делает скрытый слой: переносит точки
#
# Посмотрим на это геометрически. Слева — плоскость входов $(x_1, x_2)$: четыре точки XOR стоят
# крест-накрест, и одна прямая их не разделит. Но каждый скрытый нейрон проводит **свою** прямую
# (пунктиры) и сообщает, с какой стороны от неё точка. Пара ответов $(h_1, h_2)$ — это новые координаты
# точки. Справа — то же самое в **пространстве скрытого слоя**: точки $(0, 1)$ и $(1, 0)$ попали в одно и
# то же место $(1, 1)$, а $(0, 0)$ и $(1, 1)$ разошлись по двум другим углам. Теперь классы разделяет одна
# прямая — её и проводит выходной нейрон.

# %% slideshow={"slide_type": "subslide"}
hidden = mlp.forward(by_hand, X_xor, activation="step").h
for x, h in zip(X_xor, hidden):
    print(f"вход ({x[0]:.0f}, {x[1]:.0f}) → скрытый слой ({h[0]:.0f}, {h[1]:.0f})")
mlp_widgets.draw_xor_spaces(by_hand, activation="step", title="XOR вручную: скрытые нейроны OR и NAND, выходной AND")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# В этом главная мысль урока: **скрытый слой меняет представление данных**. Задачу, нерешаемую для одного
# нейрона во входном пространстве, он превращает в линейно разделимую — и последнему слою остаётся
# простая работа.
#
# ## Как обучить скрытые нейроны
#
# Веса выше мы придумали сами. Как их выучить? Правило персептрона здесь не работает: оно сравнивает ответ
# нейрона с правильным, а правильного ответа для **скрытого** нейрона никто не знает — в данных есть
# только ответ всей сети. Нужно понять, как каждый вес, даже глубоко внутри, влияет на ошибку на выходе.
#
# Для этого заменим пороговую функцию гладкой **сигмоидой** $\sigma(z) = \dfrac{1}{1 + e^{-z}}$: она тоже
# идёт от 0 к 1, но плавно, и у неё есть производная, причём очень удобная: $\sigma'(z) = \sigma(z)\,(1 -
# \sigma(z))$. У пороговой функции производная всюду ноль (кроме самого скачка): малое изменение веса не
# меняет ответ, и подсказки, куда двигать вес, нет.

# %% slideshow={"slide_type": "subslide"}
z = np.linspace(-6, 6, 601)
s = sigmoid(z)
fig, ax = plt.subplots(figsize=(7, 3.6))
ax.plot(z, (z >= 0).astype(float), color=plots.PALETTE["grey"], label="пороговая функция (урок 1)")
ax.plot(z, s, color=plots.PALETTE["blue"], label="сигмоида σ(z)")
ax.plot(z, s * (1 - s), color=plots.PALETTE["orange"], ls="--", label="её производная σ(1 − σ)")
ax.set(xlabel="взвешенная сумма z", ylabel="выход нейрона")
ax.yaxis.set_major_formatter(comma)
ax.legend(loc="center right")
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Обратное распространение ошибки
#
# Возьмём сеть 2 → 2 → 1 с сигмоидами и один пример $(x, y)$, $y \in \{0, 1\}$. Прямой проход:
#
# $$z_1 = W_1 x + b_1,\quad h = \sigma(z_1),\quad z_2 = W_2 h + b_2,\quad \hat y = \sigma(z_2).$$
#
# Выход $\hat y$ — «вероятность того, что ответ 1». Потерю меряем **перекрёстной энтропией**
# $L = -\big(y \log \hat y + (1 - y)\log(1 - \hat y)\big)$ — она мала, когда сеть уверенно права. Нам нужны
# производные $L$ по всем весам. Правило цепочки: если $L$ зависит от $w$ через промежуточную величину $u$,
# то $\dfrac{\partial L}{\partial w} = \dfrac{\partial L}{\partial u}\cdot\dfrac{\partial u}{\partial w}$.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Пойдём от выхода назад:
#
# 1. **Выход.** Сигмоида и перекрёстная энтропия вместе дают простую производную:
#    $\dfrac{\partial L}{\partial z_2} = \hat y - y$, «ответ сети минус правильный ответ». Обозначим её $\delta_2$.
# 2. **Веса выходного нейрона.** $z_2 = W_2 h + b_2$, поэтому $\dfrac{\partial L}{\partial W_2} = \delta_2\, h^\top$,
#    $\dfrac{\partial L}{\partial b_2} = \delta_2$. Как в правиле персептрона: поправка пропорциональна
#    ошибке и входу нейрона (здесь его вход — это $h$).
# 3. **Назад, в скрытый слой.** $z_2$ зависит от $h$ через веса $W_2$:
#    $\dfrac{\partial L}{\partial h} = W_2^\top \delta_2$.
#    Ошибка выхода раздаётся скрытым нейронам пропорционально их весам — каждый получает свою долю «вины».
# 4. **Через сигмоиду:**
#    $\delta_1 = \dfrac{\partial L}{\partial z_1} = \dfrac{\partial L}{\partial h} \odot h \odot (1 - h)$ (поэлементно).
# 5. **Веса скрытого слоя:** $\dfrac{\partial L}{\partial W_1} = \delta_1\, x^\top$,
#    $\dfrac{\partial L}{\partial b_1} = \delta_1$.
#
# Ошибка вычисляется на выходе и **распространяется назад** по тем же весам, по которым сигнал шёл вперёд, —
# отсюда название.

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Немного истории.** Сам способ — считать производную сложной функции от выхода к входу, по правилу
# цепочки, — описал Сеппо Линнайнмаа в магистерской работе 1970 года (сейчас это называют обратным режимом
# автоматического дифференцирования). Пол Вербос в диссертации 1974 года предложил так обучать нейронные
# сети. Широко известным метод стал после статьи Румельхарта, Хинтона и Уильямса 1986 года в журнале Nature:
# они показали, что скрытые нейроны, обученные обратным распространением, сами находят полезные признаки —
# то, что мы увидим ниже на XOR и на цифрах.
#
# Посчитаем всё вручную на одном примере: $x = (1, 0)$, правильный ответ $y = 1$.
#
# **Предскажите:** сколько из четырёх чисел $\partial L/\partial W_1$ окажутся ровно нулями?

# %% nbgrader={"solution": true, "grade_id": "predict_zero_grads"}
zero_guess = (  # впишите число от 0 до 4
    ### BEGIN SOLUTION
    2
    ### END SOLUTION
)

# %% nbgrader={"grade": true, "grade_id": "predict_zero_grads_check", "points": 1}
p = MLPParams(
    W1=np.array([[0.5, -0.4], [0.3, 0.8]]), b1=np.array([0.1, -0.2]), W2=np.array([[1.2, -0.7]]), b2=np.array([0.05])
)
x = np.array([1.0, 0.0])
y = 1
ex.zero_grads_guess(zero_guess, p, x, y)
### BEGIN HIDDEN TESTS
assert ex.zero_grads_guess(zero_guess, p, x, y, quiet=True)
### END HIDDEN TESTS

# %% slideshow={"slide_type": "subslide"}
# прямой проход
z1 = p.W1 @ x + p.b1
h = sigmoid(z1)
z2 = p.W2 @ h + p.b2
y_hat = sigmoid(z2)
L = -(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))[0]


def show(a):
    """Вектор — (0,646; 0,525), матрица — по строке в скобках; десятичная запятая."""
    a = np.atleast_1d(a)
    return "(" + "; ".join(num(v, 3) for v in a) + ")" if a.ndim == 1 else "[" + ", ".join(show(r) for r in a) + "]"


print(f"z₁ = {show(z1)},  h = σ(z₁) = {show(h)}")
print(f"z₂ = {show(z2)},  ŷ = σ(z₂) = {show(y_hat)},  потеря L = {num(L, 3)}")

# обратный проход
delta2 = y_hat - y  # ∂L/∂z₂
dW2 = np.outer(delta2, h)  # ∂L/∂W₂ = δ₂ hᵀ
db2 = delta2
dh = p.W2.T @ delta2  # ∂L/∂h = W₂ᵀ δ₂
delta1 = dh * h * (1 - h)  # ∂L/∂z₁
dW1 = np.outer(delta1, x)  # ∂L/∂W₁ = δ₁ xᵀ
db1 = delta1
print(f"δ₂ = ŷ − y = {show(delta2)}")
print(f"∂L/∂W₂ = {show(dW2)},  ∂L/∂b₂ = {show(db2)}")
print(f"∂L/∂h = {show(dh)},  δ₁ = {show(delta1)}")
print(f"∂L/∂W₁ = {show(dW1)},  ∂L/∂b₁ = {show(db1)}")

loss_lib, g = mlp.loss_and_grads(p, x[None, :], np.array([y]))
same = all(np.allclose(a, b) for a, b in zip(g, (dW1, db1, dW2, db2))) and np.isclose(loss_lib, L)
print("lib.mlp.backward даёт то же:", "да" if same else "нет")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Градиент по весам от $x_2$ (второй столбец $\partial L/\partial W_1$) нулевой: вход $x_2 = 0$ не участвовал
# в ответе, и винить его не за что. Та же логика, что в правиле Розенблатта: меняются веса только активных
# входов.
#
# ### Пакет примеров
#
# Учат сеть не по одному примеру, а по **пакету** (batch) из $B$ примеров сразу. Примеры кладут строками
# в матрицу $x$ формы $(B, D)$; тогда $z_1$ — матрица $(B, H)$, по строке на пример, и то же для $h$, $z_2$,
# $\hat y$. Веса остаются прежними: у $W_1$ форма $(H, D)$ — по строке на скрытый нейрон, у $W_2$ — $(1, H)$.
# Смещение прибавляется к каждой строке. Потеря пакета — **среднее** потерь его примеров, поэтому и градиент —
# среднее градиентов: $\delta_2 = (\hat y - y)/B$, а градиенты по весам складывают вклады всех примеров
# (матричное произведение делает это само), по смещениям — сумма $\delta$ по пакету.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Упражнение 2: прямой проход для пакета
#
# Напишите `forward_pass(p, x)`: по весам `p` (сигмоиды и в скрытом слое, и на выходе) и пакету `x` формы
# $(B, D)$ верните четыре массива `z1, h, z2, out` формы $(B, H)$, $(B, H)$, $(B, 1)$, $(B, 1)$.
# Сигмоида — функция `sigmoid` (из `lib.numerics`, уже импортирована).


# %% nbgrader={"solution": true, "grade_id": "forward_pass"}
def forward_pass(p, x):
    """Прямой проход: p — MLPParams(W1 (H, D), b1 (H,), W2 (1, H), b2 (1,)), x: (B, D) → z1, h, z2, out."""
    ### BEGIN SOLUTION
    z1 = x @ p.W1.T + p.b1
    h = sigmoid(z1)
    z2 = h @ p.W2.T + p.b2
    out = sigmoid(z2)
    return z1, h, z2, out
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "forward_pass_check", "points": 1}
ex.forward_pass(forward_pass)
### BEGIN HIDDEN TESTS
assert ex.forward_pass(forward_pass, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Упражнение 3: обратный проход для пакета
#
# Напишите `backward_pass(p, x, y, h, out)`: по весам, пакету `x` $(B, D)$, правильным ответам `y` $(B,)$
# из нулей и единиц и результатам прямого прохода `h` $(B, H)$ и `out` $(B, 1)$ верните градиент средней
# перекрёстной энтропии пакета: `MLPParams(W1=dW1, b1=db1, W2=dW2, b2=db2)` — тех же форм, что и веса.
# Осторожно: `out` имеет форму $(B, 1)$, а `y` — $(B,)$.


# %% nbgrader={"solution": true, "grade_id": "backward_pass"}
def backward_pass(p, x, y, h, out):
    """Обратный проход: градиенты средней потери пакета по W1, b1, W2, b2 (MLPParams тех же форм)."""
    ### BEGIN SOLUTION
    B = len(x)
    delta2 = (out - y[:, None]) / B  # (B, 1)
    dW2 = delta2.T @ h  # (1, H)
    db2 = delta2.sum(axis=0)  # (1,)
    delta1 = (delta2 @ p.W2) * h * (1 - h)  # (B, H)
    dW1 = delta1.T @ x  # (H, D)
    db1 = delta1.sum(axis=0)  # (H,)
    return MLPParams(W1=dW1, b1=db1, W2=dW2, b2=db2)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "backward_pass_check", "points": 1}
ex.backward_pass(backward_pass)
### BEGIN HIDDEN TESTS
assert ex.backward_pass(backward_pass, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Проверка конечными разностями
#
# В обратном проходе легко ошибиться (забыть множитель, перепутать транспонирование), а сеть всё равно
# будет как-то учиться. Поэтому формулы проверяют численно: производная — это предел дроби
# $\dfrac{L(w + \varepsilon) - L(w - \varepsilon)}{2\varepsilon}$ при $\varepsilon \to 0$, и при малом
# $\varepsilon$ сама дробь — хорошая оценка производной. Это **центральная разность**: вес сдвигают в обе
# стороны.
#
# ### Упражнение 4: центральная разность для одного веса
#
# Напишите `central_difference(p, x, y, i, j, eps)`: сдвиньте вес `W1[i, j]` на $+\varepsilon$ и на
# $-\varepsilon$ (в копиях матрицы, сами веса `p` не меняйте), посчитайте потерю `mlp.loss(q, x, y)` для
# каждой сдвинутой сети `q = p._replace(W1=…)` и верните центральную разность — одно число.


# %% nbgrader={"solution": true, "grade_id": "central_difference"}
def central_difference(p, x, y, i, j, eps=1e-6):
    """Оценка ∂L/∂W1[i, j] центральной разностью; p не меняется."""
    ### BEGIN SOLUTION
    W1_plus, W1_minus = p.W1.copy(), p.W1.copy()
    W1_plus[i, j] += eps
    W1_minus[i, j] -= eps
    L_plus = mlp.loss(p._replace(W1=W1_plus), x, y)
    L_minus = mlp.loss(p._replace(W1=W1_minus), x, y)
    return (L_plus - L_minus) / (2 * eps)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "central_difference_check", "points": 1}
ex.central_difference(central_difference)
### BEGIN HIDDEN TESTS
assert ex.central_difference(central_difference, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# Дальше урок пользуется той же центральной разностью из `lib`: `mlp.gradient_check` сдвигает так **каждый**
# вес и сравнивает два градиента одной мерой курса, относительной ошибкой `lib.numerics.relative_error`:
# $\max|g - g_{\text{числ}}| \,/\, \max(\max|g|, \max|g_{\text{числ}}|)$. Совпадение даёт величины около
# $10^{-8}$ и меньше, ошибка в формулах — больше 0,01. Проверим на нашем примере, на всей таблице XOR и на
# сети побольше (3 входа, 5 скрытых нейронов, 4 выхода с softmax):

# %% slideshow={"slide_type": "subslide"}
_, g_one = mlp.loss_and_grads(p, x[None, :], np.array([y]))
rel_one = relative_error(g_one.W1, mlp.numerical_grads(p, x[None, :], np.array([y])).W1)
rel_xor = mlp.gradient_check(mlp.init_mlp(2, 2, 1, seed=seed), X_xor, y_xor)
rng = np.random.default_rng(seed)
X_rand, y_rand = rng.normal(size=(8, 3)), rng.integers(0, 4, size=8)
rel_big = mlp.gradient_check(mlp.init_mlp(3, 5, 4, seed=seed), X_rand, y_rand)
for name, rel in (
    ("∂L/∂W₁ на примере выше", rel_one),
    ("сеть 2 → 2 → 1 на XOR", rel_xor),
    ("сеть 3 → 5 → 4 (softmax)", rel_big),
):
    print(f"{name:<26} относительная ошибка {sci(rel)}: {'совпадают' if rel < 1e-6 else 'НЕ совпадают'}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Сеть учит XOR сама
#
# Теперь **градиентный спуск**: начинаем со случайных весов (зерно `seed`) и много раз сдвигаем каждый вес
# против его производной: $w \leftarrow w - \eta\,\partial L/\partial w$ (скорость обучения $\eta$ =
# `xor_lr`), усредняя градиент по четырём строкам таблицы. `mlp.train_step` — ровно один такой шаг.

# %% slideshow={"slide_type": "subslide"}
p_xor = mlp.init_mlp(2, 2, 1, seed=seed)
xor_losses = []
for k in range(xor_steps):
    p_xor, value = mlp.train_step(p_xor, X_xor, y_xor, lr=xor_lr)
    xor_losses.append(value)
    if k % 200 == 0:
        print(f"шаг {k:4d}: потеря {num(value, 3)}")
trace = mlp.forward(p_xor, X_xor)
n_right = int(np.sum(mlp.predict(p_xor, X_xor) == y_xor))
print(
    f"после {plural(xor_steps, 'шага', 'шагов', 'шагов')}: потеря {num(mlp.loss(p_xor, X_xor, y_xor), 3)}, "
    f"верно {n_right} из 4"
)
print("x₁ x₂ │  h₁    h₂  │  ŷ    │ ответ │ XOR")
for x_row, h_row, out, target in zip(X_xor, trace.h, trace.out[:, 0], y_xor):
    print(
        f" {x_row[0]:.0f}  {x_row[1]:.0f} │ {num(h_row[0])}  {num(h_row[1])} │ {num(out, 3)} │   {int(out > 0.5)}"
        f"   │  {target}"
    )
print(
    "Сеть выучила XOR."
    if n_right == 4
    else f"Сеть НЕ выучила XOR: верно только {n_right} из 4 — она застряла (почему — ниже)."
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Какие признаки нашла сеть? Посмотрим на оба пространства, как для решения вручную, и назовём функцию,
# которую вычисляет каждый скрытый нейрон (нейрон считаем включённым, когда $h > ½$):

# %% slideshow={"slide_type": "subslide"}
mlp_widgets.draw_xor_spaces(p_xor, losses=xor_losses, title="XOR после градиентного спуска")
plt.show()
for j, table in enumerate(mlp.truth_tables(p_xor)):
    print(
        f"h{'₁₂'[j]} > ½ на входах (0, 0), (0, 1), (1, 0), (1, 1): {tuple(int(v) for v in table)} — "
        f"это {mlp.logic_name(table)}"
    )
below = next((k for k, v in enumerate(xor_losses) if v < 0.1), None)
print(f"потеря опустилась ниже 0,1 на шаге {below}" if below is not None else "потеря так и не опустилась ниже 0,1")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Если сеть выучила XOR, то почти наверняка **другим** решением, чем наше (ИЛИ и НЕ-И): её скрытые нейроны
# названы выше — функцию каждого она выбрала сама. Этому её никто не учил: градиентный спуск сам нашёл
# представление, в котором XOR разделяется прямой. Бывает, что потеря сначала долго стоит почти ровно —
# сеть «не знает», в какую сторону расходиться скрытым нейронам, — а потом быстро падает (так при
# `seed = 0`); как было в этот раз, видно на графике справа.
#
# Но спуск не всегда находит решение. Попробуем `n_starts` разных начальных весов (начала 0, 1, 2, …: они не
# зависят от `seed`, поэтому и результат ниже один и тот же при любом зерне).
#
# **Предскажите:** сколько из них выучат XOR за `xor_steps` шагов?

# %% nbgrader={"solution": true, "grade_id": "predict_restarts"}
restarts_guess = (  # впишите число от 0 до n_starts
    ### BEGIN SOLUTION
    7
    ### END SOLUTION
)

# %% nbgrader={"grade": true, "grade_id": "predict_restarts_check", "points": 1}
ex.restarts_guess(restarts_guess, n_starts=n_starts, steps=xor_steps, lr=xor_lr)
### BEGIN HIDDEN TESTS
assert ex.restarts_guess(restarts_guess, n_starts=n_starts, steps=xor_steps, lr=xor_lr, quiet=True)
### END HIDDEN TESTS

# %% slideshow={"slide_type": "subslide"}
# mlp.xor_restarts: для каждого начала mlp.train(optimizer="sgd") — те же шаги, что цикл с train_step выше
runs = mlp.xor_restarts(2, tuple(range(n_starts)), steps=xor_steps, lr=xor_lr)
solved = [r for r in runs if r.n_correct == 4]
stuck = [r for r in runs if r.n_correct < 4]
print(f"из {n_starts} случайных начал XOR выучили {len(solved)}")
for r in stuck:
    print(
        f"  застряло начало {r.seed}: потеря {num(r.loss, 3)}, верно {r.n_correct} из 4, "
        f"длина градиента {sci(r.grad_norm)}"
    )
if solved:
    print(f"у выучивших потеря от {num(min(r.loss for r in solved), 3)} до {num(max(r.loss for r in solved), 3)}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Застрявшие начала стоят там, где градиент почти нулевой, а потеря далеко не нулевая: в распечатке у них
# длина градиента меньше 0,001. Это не «ямы» в обычном смысле. Доказано, что у сети 2 → 2 → 1 на XOR (с
# квадратичной ошибкой) нет настоящих локальных минимумов при конечных весах (Хейми, 1998;
# Спринкхёйзен-Кёйпер и Бурс, 1998): ловушки — **седловые точки** и **плато**, места, где поверхность потерь
# почти плоская и спуск ползёт так медленно, что за `xor_steps` шагов оттуда не выбирается. С перекрёстной
# энтропией, как у нас, застревания выглядят так же: потеря почти не меняется, а веса медленно растут.
#
# **Предскажите:** сколько из тех же начал выучат XOR, если скрытых нейронов **четыре**?

# %% nbgrader={"solution": true, "grade_id": "predict_wider"}
wider_guess = (  # впишите число от 0 до n_starts
    ### BEGIN SOLUTION
    10
    ### END SOLUTION
)

# %% nbgrader={"grade": true, "grade_id": "predict_wider_check", "points": 1}
ex.wider_guess(wider_guess, n_starts=n_starts, steps=xor_steps, lr=xor_lr)
### BEGIN HIDDEN TESTS
assert ex.wider_guess(wider_guess, n_starts=n_starts, steps=xor_steps, lr=xor_lr, quiet=True)
### END HIDDEN TESTS

# %% slideshow={"slide_type": "subslide"}
wider = mlp.xor_restarts(4, tuple(range(n_starts)), steps=xor_steps, lr=xor_lr)
n_wider = sum(r.n_correct == 4 for r in wider)
print(f"два скрытых нейрона:    XOR выучили {len(solved)} из {n_starts}")
print(f"четыре скрытых нейрона: XOR выучили {n_wider} из {n_starts}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Средства от ловушек простые и используются до сих пор: несколько запусков с разных начал и больше
# скрытых нейронов, чем строго нужно (сравните две строки выше).
#
# ### Попробуйте сами: скрытые нейроны вручную
#
# Шесть ползунков — веса и смещения двух скрытых нейронов-сигмоид ($h_j = \sigma(w_{j1} x_1 + w_{j2} x_2 + b_j)$).
# Выходной нейрон каждый раз подбирается заново — это лучшая прямая для четырёх точек в скрытом пространстве
# (`mlp.fit_output_neuron`). Начальное положение — наше решение ИЛИ и НЕ-И, только веса и смещения умножены
# на 6, чтобы сигмоида была близка к порогу.
#
# Что попробовать: сделайте оба скрытых нейрона одинаковыми — точки справа лягут на одну линию, и XOR
# перестанет решаться. Поверните прямую одного нейрона — и смотрите, как точки справа переезжают.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
mlp_widgets.xor_hidden_explorer()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Попробуйте сами: обучение по шагам
#
# «шаг» — один шаг градиентного спуска, «100 шагов» — сто, «сначала» — вернуть начальные веса. Ползунок
# «начальные веса» выбирает случайное начало (зерно). Следите, как прямые скрытых нейронов поворачиваются
# слева, а точки справа расходятся, пока не станут разделимы. Найдите начало, которое застревает (список
# застрявших начал напечатан выше).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
mlp_widgets.xor_training_widget(seed=seed, lr=xor_lr)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Скрытый слой на цифрах
#
# Вернёмся к цифрам урока 2. Сеть: 64 пикселя → `hidden_units` скрытых сигмоид → 10 выходов с softmax. Учим
# её пакетами оптимизатором **Adam** (`lib.optim`): это градиентный спуск, который сам подбирает величину
# шага для каждого веса. Сравниваем с одним слоем softmax из урока 2, и сравниваем честно:
#
# * **каждая модель — при своей лучшей скорости обучения**: слой выбирает её из `softmax_lrs`, сеть — из
#   `mlp_lrs`. Для выбора из обучающих картинок разбиения откладываем долю `val_fraction` в **проверочную
#   выборку** (как в уроке 2): модель учится на остальных, с тем же бюджетом, и побеждает скорость с лучшей
#   точностью на отложенных (при равенстве — меньшая). Тестовые картинки в выборе не участвуют;
# * **одинаковый бюджет** — по `digits_epochs` эпох пакетами по `digits_batch` картинок у обеих моделей, и при
#   выборе, и в окончательном обучении на всех обучающих картинках;
# * **точность — на тестовых картинках**, которых модели при обучении не видели, один раз для каждой модели;
# * **не одно разбиение на обучение и тест, а `n_splits` разных** (и свои начальные веса на каждом), с разбросом.
#
# Ячейка учит модели (на каждом разбиении — по три пробных обучения каждой модели и одно окончательное) и
# пока не показывает их точность.

# %% slideshow={"slide_type": "subslide"}
settings = {  # одни и те же настройки сравнения для всех разбиений
    "hidden_units": hidden_units,
    "epochs": digits_epochs,
    "batch_size": digits_batch,
    "layer_lrs": tuple(softmax_lrs),
    "mlp_lrs": tuple(mlp_lrs),
    "val_fraction": val_fraction,
}
runs = [compare.compare_layers(k, **settings) for k in range(seed, seed + n_splits)]
acc_layer = np.array([r.acc_layer for r in runs])
acc_net = np.array([r.acc_mlp for r in runs])
n_trained = n_splits * (len(softmax_lrs) + len(mlp_lrs) + 2)
print(f"обучено {plural(n_trained, 'модель', 'модели', 'моделей')}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Предскажите:** на скольких из `n_splits` разбиений сеть со скрытым слоем окажется точнее одного слоя?

# %% nbgrader={"solution": true, "grade_id": "predict_layers"}
layers_guess = (  # впишите число от 0 до n_splits
    ### BEGIN SOLUTION
    5
    ### END SOLUTION
)

# %% nbgrader={"grade": true, "grade_id": "predict_layers_check", "points": 1}
ex.layers_guess(layers_guess, acc_net, acc_layer)
### BEGIN HIDDEN TESTS
assert ex.layers_guess(layers_guess, acc_net, acc_layer, quiet=True)
### END HIDDEN TESTS

# %% slideshow={"slide_type": "subslide"}
print("точность на тесте (в скобках — скорость обучения, выбранная на проверочной части)")
print(f"{'разбиение (зерно)':<20}{'один слой softmax':>20}{f'сеть 64 → {hidden_units} → 10':>24}")
for r in runs:
    print(
        f"{r.seed:<20}{num(100 * r.acc_layer, 1) + ' % (' + num(r.layer_lr, 0) + ')':>20}"
        f"{num(100 * r.acc_mlp, 1) + ' % (' + f'{r.mlp_lr:g}'.replace('.', ',') + ')':>24}"
    )
print(
    f"{'среднее ± разброс':<20}{num(100 * acc_layer.mean(), 1) + ' ± ' + num(100 * acc_layer.std(), 1) + ' %':>20}"
    f"{num(100 * acc_net.mean(), 1) + ' ± ' + num(100 * acc_net.std(), 1) + ' %':>24}"
)
diff = 100 * (acc_net - acc_layer)
n_better, n_same = int(np.sum(diff > 0)), int(np.sum(diff == 0))
print(
    f"\nсеть со скрытым слоем точнее в {n_better} из {plural(n_splits, 'разбиения', 'разбиений', 'разбиений')}, "
    f"одинаково — в {n_same}, хуже — в {n_splits - n_better - n_same}; "
    f"разница от {num(diff.min(), 1)} до {num(diff.max(), 1)} процентного пункта, в среднем {num(diff.mean(), 1)}"
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# «Разброс» — стандартное отклонение точности по разбиениям. Разница здесь небольшая — цифры 8×8 простые, и
# один слой уже узнаёт их хорошо, — поэтому и сравнивать надо на нескольких разбиениях: на одном случайность
# разбиения может перевесить разницу моделей. Выводы делайте по строкам выше.
#
# ### На что откликаются скрытые нейроны
#
# Дальше смотрим на сеть, обученную на первом разбиении (зерно `seed`). У каждого скрытого нейрона 64
# входных веса — его можно нарисовать картинкой 8×8, как нейроны слоя в уроке 2 (красное — чернила здесь
# повышают сумму, синее — понижают). Над картинкой — цифра, на которой нейрон в среднем активнее всего.
# Серым закрашены пиксели у краёв, где чернила бывают меньше чем на 5 % обучающих картинок: такой пиксель
# почти всегда равен нулю, и его вес почти ни на что не влияет.

# %% slideshow={"slide_type": "subslide"}
X_train, X_test, y_train, y_test = digits_split(seed=seed)
p_mlp = runs[0].p_mlp
h_test = mlp.forward(p_mlp, X_test).h  # (450, hidden_units)
rare = (X_train > 0).mean(axis=0) < 0.05  # (64,): пиксели почти без чернил
print(f"пикселей, где чернила бывают меньше чем на 5 % картинок: {rare.sum()} из 64")
mean_by_digit = np.stack([h_test[y_test == d].mean(axis=0) for d in range(10)], axis=1)  # (H, 10)
n_shown = min(16, hidden_units)
n_cols = 8
n_rows = int(np.ceil(n_shown / n_cols))
fig, axes = plt.subplots(n_rows, n_cols, figsize=(11, 1.5 * n_rows + 0.6), squeeze=False)
for j, ax in enumerate(axes.ravel()):
    if j < n_shown:
        show_digit(ax, p_mlp.W1[j], signed=True, mask=rare, title=f"№{j}: {np.argmax(mean_by_digit[j])}")
    else:
        ax.set_visible(False)
fig.suptitle(f"входные веса первых {n_shown} скрытых нейронов (над картинкой — цифра, где нейрон активнее всего)")
fig.tight_layout()
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Это не шаблоны цифр, которые мы искали в весах слоя в уроке 2: картинки пёстрые. Скрытый нейрон
# отвечает не за цифру, а за какую-то **комбинацию** пикселей, которая оказалась полезной выходному слою;
# никто не учил его искать что-то конкретное, и понятным человеку его вес быть не обязан. Что именно он
# ловит, лучше видно с другой стороны — по картинкам, на которых он включается сильнее всего. Для первых
# восьми нейронов возьмём по 20 таких тестовых картинок и нарисуем их среднее; над ним — цифры, которые
# встречаются среди этих двадцати не меньше четырёх раз:

# %% slideshow={"slide_type": "subslide"}
units = np.arange(min(8, hidden_units))
fig, axes = plt.subplots(1, len(units), figsize=(11, 2.1), squeeze=False)
n_digits_there = []
for ax, j in zip(axes[0], units):
    top = np.argsort(-h_test[:, j], kind="stable")[:20]
    frequent = np.flatnonzero(np.bincount(y_test[top], minlength=10) >= 4)  # цифры, которых ≥ 4 из 20
    n_digits_there.append(len(frequent))
    names = [str(d) for d in frequent]  # «0 и 5», а не «0,5»: не спутать с дробью
    show_digit(
        ax,
        X_test[top].mean(axis=0),
        title=f"№{j}: " + (" и ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " и " + names[-1]),
    )
fig.suptitle(
    "среднее 20 картинок, на которых нейрон активнее всего (над ним — цифры, которых среди них ≥ 4)", fontsize=12
)
fig.tight_layout()
plt.show()
n_digits_there = np.array(n_digits_there)
n_one, n_mixed, n_none = (
    int(np.sum(n_digits_there == 1)),
    int(np.sum(n_digits_there >= 2)),
    int(np.sum(n_digits_there == 0)),
)
print(
    f"из {len(units)} нейронов у {n_one} среди 20 картинок только одна цифра встречается 4 раза и больше, "
    f"у {n_mixed} — две цифры и больше" + (f", у {n_none} — ни одна" if n_none else "")
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Полная картина — средняя активность каждого нейрона на тестовых картинках каждой цифры:

# %% slideshow={"slide_type": "subslide"}
order = np.argsort(np.argmax(mean_by_digit, axis=1), kind="stable")  # нейроны по «любимой» цифре
fig, ax = plt.subplots(figsize=(11, 3.8))
strip = plots.heat_strip(
    ax,
    mean_by_digit[order].T,
    row_labels=[str(d) for d in range(10)],
    col_labels=[str(j) for j in order],
    vmin=0,
    vmax=1,
    cmap=plots.GATE_CMAP,
    title="средняя активность скрытых нейронов (столбцы) на цифрах (строки)",
    colorbar=False,
)
fig.colorbar(strip, ax=ax, fraction=0.04, pad=0.02, format=comma)
ax.set(xlabel="скрытый нейрон", ylabel="цифра")
plt.show()
n_active = (mean_by_digit > 0.5).sum(axis=1)  # на скольких цифрах нейрон в среднем включён
print(
    f"на скольких цифрах нейрон в среднем активен больше чем наполовину: от {n_active.min()} до "
    f"{n_active.max()}, медиана {num(np.median(n_active), 1)}"
)
print(f"нейронов, включённых больше чем на одной цифре: {int(np.sum(n_active >= 2))} из {hidden_units}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Почти все скрытые нейроны включаются на нескольких цифрах (числа выше). Выходной слой потом складывает эти
# признаки с весами, и у каждой цифры появляется не один шаблон, а комбинация признаков: «да» от одних
# нейронов, «нет» от других.
#
# ## Признаки: извлекать вручную или учить
#
# В этом и сила скрытых слоёв: они находят в данных **признаки** и передают дальше уже их, а не шумные и
# громоздкие исходные данные. (По-английски признак — *feature*; в переводах иногда пишут «функции», но речь
# не о функциях, а о свойствах данных.) Классический пример — поиск лиц на фотографии. Первый скрытый слой
# смотрит на пиксели и находит простые элементы: отрезки, дуги, круги, овалы. Следующий получает уже не
# пиксели, а то, **где** на картинке эти элементы, — и по их расположению (два круга рядом, под ними отрезок,
# вокруг овал) находит лица. Задача второго слоя гораздо проще, чем задача «лицо из пикселей».

# %% [markdown] slideshow={"slide_type": "subslide"}
# Люди понимали это давно. Ещё недавно машинное обучение почти никогда не применяли прямо к пикселям или
# звуку: сначала данные проходили **извлечение признаков** (feature extraction) — программу, написанную
# человеком, которая находила углы, контуры, формы, — и только на этих признаках учили классификатор.
# Попробуем так и мы: вместо 64 пикселей дадим одному слою 16 признаков, придуманных вручную, — сколько
# чернил в каждой строке и в каждом столбце картинки (первое разбиение, тот же бюджет, скорость обучения
# выбрана так же — на проверочной части обучающих картинок).

# %% slideshow={"slide_type": "subslide"}
F_train, F_test = ink_profiles(X_train), ink_profiles(X_test)
# скорость обучения — как в сравнении выше: из softmax_lrs, по проверочной части обучающих картинок
feat_lr, _ = layer.choose_softmax_lr(
    F_train,
    y_train,
    lrs=softmax_lrs,
    epochs=digits_epochs,
    batch_size=digits_batch,
    val_fraction=val_fraction,
    seed=seed,
)
p_feat, _ = layer.train_softmax(F_train, y_train, epochs=digits_epochs, lr=feat_lr, batch_size=digits_batch, seed=seed)
acc_feat = layer.accuracy(p_feat, F_test, y_test)
print(f"один слой обучен на 16 ручных признаках (выбранная скорость обучения {num(feat_lr, 0)})")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Предскажите:** точность на 16 ручных признаках будет **выше** или **ниже**, чем на 64 пикселях?

# %% nbgrader={"solution": true, "grade_id": "predict_features"}
features_guess = (  # впишите "выше" или "ниже"
    ### BEGIN SOLUTION
    "ниже"
    ### END SOLUTION
)

# %% nbgrader={"grade": true, "grade_id": "predict_features_check", "points": 1}
ex.features_guess(features_guess, acc_feat, acc_layer[0])
### BEGIN HIDDEN TESTS
assert ex.features_guess(features_guess, acc_feat, acc_layer[0], quiet=True)
### END HIDDEN TESTS

# %% slideshow={"slide_type": "subslide"}
print(f"{'что получает выходной слой (softmax)':<52}{'точность на тесте':>18}")
print(f"{'16 признаков вручную: чернила по строкам и столбцам':<52}{num(100 * acc_feat, 1) + ' %':>18}")
print(f"{'64 пикселя как есть':<52}{num(100 * acc_layer[0], 1) + ' %':>18}")
print(f"{f'признаки, выученные скрытым слоем (нейронов: {hidden_units})':<52}{num(100 * acc_net[0], 1) + ' %':>18}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Придумать хорошие признаки трудно: суммы по строкам и столбцам выбрасывают, **где** в строке чернила, а
# это для цифр важно (сравните первые две строки). Выученные признаки подстраиваются под задачу сами. На
# маленьких картинках 8×8 их выигрыш у пикселей скромный (сравнение на нескольких разбиениях — выше), а на
# больших данных (фотографии, речь, текст) это оказалось решающим: сети со многими скрытыми слоями заменили
# ручное извлечение признаков почти везде.
#
# ### Упражнение 5: сеть поменьше
#
# Обучите на цифрах (`X_train`, `y_train` — первое разбиение) сеть 64 → **16** → 10 с активацией `"tanh"` в
# скрытом слое и добейтесь точности не ниже 95 % на тестовых картинках. Гиперболический тангенс — по форме та
# же сигмоида, только растянутая по высоте до $(-1, 1)$: $\tanh z = 2\sigma(2z) - 1$.
#
# Начальные веса даёт `mlp.init_mlp`, обучает `mlp.train(…, activation="tanh")` (им же учится сеть в
# сравнении выше); число шагов, скорость обучения и размер пакета выберите сами. `mlp.train` возвращает пару
# (параметры, потери): в скобки ниже впишите выражение, которое даёт **параметры** обученной сети, — они
# попадут в `p_small`.

# %% nbgrader={"solution": true, "grade_id": "small_tanh_net"}
p_small = (  # параметры обученной сети: первое из пары, которую возвращает mlp.train
    ### BEGIN SOLUTION
    mlp.train(
        mlp.init_mlp(64, 16, 10, seed=seed),
        X_train,
        y_train,
        steps=600,
        lr=0.01,
        activation="tanh",
        batch_size=128,
        seed=seed,
    )[0]
    ### END SOLUTION
)

# %% nbgrader={"grade": true, "grade_id": "small_tanh_net_check", "points": 1}
ex.small_tanh_net(p_small, seed=seed)
### BEGIN HIDDEN TESTS
assert ex.small_tanh_net(p_small, seed=seed, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Итоги
#
# * **Скрытый слой** — нейроны между входами и выходом; их ответы — входы следующего слоя, а снаружи виден
#   только ответ выходного.
# * XOR = AND(OR, NAND): два скрытых нейрона переносят четыре точки туда, где их разделяет одна прямая.
# * **Обратное распространение ошибки** (Линнайнмаа 1970, Вербос 1974, Румельхарт, Хинтон и Уильямс 1986):
#   $\delta_2 = \hat y - y$ на выходе, $\delta_1 = (W_2^\top \delta_2) \odot h \odot (1 - h)$ в скрытом слое,
#   градиент по весам — произведение $\delta$ на вход слоя; для пакета — среднее. Проверяется конечными разностями.
# * Градиентный спуск учит XOR сам, но с двумя скрытыми нейронами может застрять на плато или в седловой
#   точке; помогают другие начала и запас нейронов.
# * На цифрах скрытые нейроны находят признаки, общие для нескольких цифр; сравнивать модели надо при
#   одинаковом бюджете, каждую при своей скорости обучения, выбранной на проверочной части обучающих данных,
#   на тестовых данных, которых модели не видели, и на нескольких разбиениях. Выученные признаки заменили
#   извлечённые вручную.
