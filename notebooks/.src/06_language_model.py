# %% [markdown] slideshow={"slide_type": "slide"}
# # 6. Языковая модель: от LSTM к LLM
#
# Лекция называется «Первые нейронные сети в LLM», и её сквозной пример — языковая модель, которая
# предсказывает следующее слово по всем предыдущим. В этом уроке мы построим такую модель сами и дадим ей
# писать:
#
# * обучим LSTM из `lib` на шести тысячах русских пословиц — прямо здесь, в ноутбуке;
# * научимся выбирать следующий символ из распределения и поймём, что делает **температура**;
# * измерим, насколько модель хороша, в **битах на символ**, и сравним её с простыми эталонами, с обычной
#   RNN и с GRU;
# * заглянем внутрь: что «заметила» одна единица состояния (нейрон);
# * и пройдём путь от рекуррентных сетей к большим языковым моделям (LLM): что в них осталось тем же, а что
#   заменило рекуррентность — **внимание** (attention).
#
# Запускайте ячейки сверху вниз (Shift+Enter).

# %% tags=["parameters"] slideshow={"slide_type": "skip"}
seed = 0  # все случайные числа урока
lstm_hidden = 64  # единиц состояния LSTM
steps = 300  # шагов обучения (Adam)
seq_len = 64  # длина окна текста в одном примере пакета
batch_size = 32  # окон в пакете
lr = 0.04  # скорость обучения LSTM (лучшая по проверочной части, см. bench/bench_lm.py)
sample_at = [0, 30, 100, 300]  # после каких шагов модель пишет образец текста
sample_len = 160  # символов в образце
temperature = 0.7  # температура образцов
attention_dim = 8  # длина запроса, ключа и значения в голове внимания
attention_steps = 150  # шагов обучения головы внимания

# %% slideshow={"slide_type": "skip"}
import json
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import HTML, display
from matplotlib.ticker import FuncFormatter

from lib import plots

plots.use_style()

import lib
from lib import attention, charlm, gender, gru
from lib.exercises import lm as ex
from lib.fmt import elapsed, num, plural
from lib.widgets import lm as lm_widgets

np.set_printoptions(precision=3, suppress=True)
comma = FuncFormatter(lambda x, _: num(x, 1))  # подписи осей с десятичной запятой


def vec(a, digits=3):
    """Вектор с десятичными запятыми: (0,047; 0,953)."""
    return "(" + "; ".join(num(v, digits) for v in np.ravel(a)) + ")"


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Вся игра — угадать следующий символ
#
# Языковая модель получает начало текста и выдаёт **распределение вероятностей** того, что будет дальше.
# Больше она ничего не умеет — но этого хватает, чтобы писать: выбрать следующий символ по этому
# распределению, дописать его к тексту и спросить модель снова. Так же, по одному **токену** (куску слова),
# пишут и большие языковые модели.
#
# Наша модель будет работать с отдельными **символами** — буквами, пробелами, знаками препинания. Словарь
# маленький, а модель должна сама выучить, из каких букв состоят слова, где ставить пробел и где точку.
#
# ## Корпус: русские пословицы
#
# Учить будем на пословицах: их шесть тысяч, они короткие, и по выдумке модели сразу видно, русская ли
# получилась «мудрость». Файл взят из пакета `ru-proverbs` (PyPI) и лежит в курсе; откуда он и на каких
# условиях — в `lib/datasets/README.md`.

# %%
proverbs = charlm.load_proverbs()
corpus = charlm.split_corpus(proverbs)
vocab = charlm.make_vocab(corpus.train + corpus.val + corpus.test)
K = vocab.size
print(f"пословиц: {len(proverbs)}, символов: {sum(len(s) + 1 for s in proverbs)}")
print(
    f"обучение: {plural(len(corpus.train), 'символ', 'символа', 'символов')}, "
    f"проверка: {len(corpus.val)}, тест: {len(corpus.test)}"
)
print(f"словарь: K = {plural(K, 'символ', 'символа', 'символов')}:", "".join(vocab.chars).replace("\n", "↵"))
print()
for s in proverbs[100:106]:
    print("  ", s)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Каждая десятая пословица отложена для **теста**, ещё каждая десятая — для **проверки** (на ней выбирают
# скорость обучения). Модель никогда не учится на них: так мы узнаем, умеет ли она продолжать **новый**
# текст, а не только помнит старый. Заглавные буквы мы заменили строчными, а «ё» — на «е»: словарь стал
# меньше, а учиться модели легче.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Простейшая модель: пары букв
#
# Прежде чем строить сеть, возьмём модель совсем без памяти — **биграммы**. Она смотрит только на текущий
# символ $a$ и считает, как часто за ним в обучающем тексте шёл каждый символ $b$. Таблица счётчиков
# $K \times K$ — и вся модель. Вероятность следующего символа — доля в строке таблицы:
#
# $$P(b \mid a) = \frac{\text{counts}[a, b] + 1}{\sum_{b'} \left(\text{counts}[a, b'] + 1\right)}$$
#
# (единица в числителе — чтобы пара, которой не было в обучении, не получила вероятность ноль).
#
# **Упражнение 1.** Напишите `bigram_counts(ids, K)`: по тексту, записанному номерами символов
# `ids: (N,)`, верните таблицу `counts: (K, K)`, где `counts[a, b]` — сколько раз символ `b` шёл сразу
# после `a`.


# %% nbgrader={"solution": true, "grade_id": "bigram_counts"}
def bigram_counts(ids, K):
    """ids: (N,) номера символов, K: размер словаря → counts: (K, K), counts[a, b] = число пар «a, затем b»."""
    ### BEGIN SOLUTION
    counts = np.zeros((K, K))
    for a, b in zip(ids[:-1], ids[1:]):
        counts[a, b] += 1
    return counts
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "bigram_counts_check", "points": 1}
ex.bigram_counts(bigram_counts)
### BEGIN HIDDEN TESTS
assert ex.bigram_counts(bigram_counts, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# Дальше урок пользуется той же функцией из `lib` (`charlm.bigram_counts`). Вот что биграммы знают о
# русском: какие символы чаще всего идут после пробела, после «ь» и после точки.

# %%
train_ids = vocab.encode(corpus.train)
bigram = charlm.bigram_probs(charlm.bigram_counts(train_ids, K))


def shown(ch):
    return {"\n": "↵", " ": "␣"}.get(ch, ch)


for a in (" ", "ь", "."):
    row = bigram[vocab.chars.index(a)]
    top = np.argsort(row)[::-1][:6]
    print(f"после «{shown(a)}»: " + ", ".join(f"«{shown(vocab.chars[b])}» {num(row[b], 2)}" for b in top))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Как измерить, хороша ли модель: биты на символ
#
# Пусть модель читает тестовый текст и перед каждым символом называет вероятность $p$ того символа,
# который на самом деле придёт. Хорошая модель даёт настоящему символу большую вероятность. Мерой служит
# среднее
#
# $$\text{бит на символ} = -\frac{1}{N}\sum_{t=1}^{N} \log_2 p_t,$$
#
# та же **перекрёстная энтропия** (cross-entropy), которую мы уменьшаем начиная с урока 2, только с логарифмом
# по основанию 2. Смысл у неё прямой: столько бит в среднем нужно, чтобы записать следующий символ, если
# кодировать его с помощью модели. Часто говорят и о **перплексии** $2^{\text{бит}}$: «модель колеблется
# так, будто выбирает из стольких-то равновероятных символов».
#
# **Предскажите.** Сколько бит на символ у «модели», которая каждому из наших $K$ символов всегда даёт
# одинаковую вероятность $1/K$? Впишите число.

# %% nbgrader={"solution": true, "grade_id": "predict_uniform_bits"}
uniform_bits_guess = None
### BEGIN SOLUTION
uniform_bits_guess = float(np.log2(K))
### END SOLUTION
print("ваш прогноз:", uniform_bits_guess)

# %% nbgrader={"grade": true, "grade_id": "predict_uniform_bits_check", "points": 1}
ex.uniform_bits(uniform_bits_guess, K)
### BEGIN HIDDEN TESTS
assert ex.uniform_bits(uniform_bits_guess, K, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Упражнение 2.** Напишите `bits_per_char(p_true)`: по вероятностям `p_true: (N,)`, которые модель дала
# настоящим следующим символам, верните среднее число бит на символ.


# %% nbgrader={"solution": true, "grade_id": "bits_per_char"}
def bits_per_char(p_true):
    """p_true: (N,) вероятности настоящих следующих символов → бит на символ (одно число)."""
    ### BEGIN SOLUTION
    return float(-np.mean(np.log2(p_true)))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "bits_per_char_check", "points": 1}
ex.bits_per_char(bits_per_char)
### BEGIN HIDDEN TESTS
assert ex.bits_per_char(bits_per_char, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# Три эталона на тестовых пословицах (считает `lib.charlm.baseline_bits`): равновероятный выбор, частоты
# отдельных букв (**униграммы**, без всякого контекста) и пары букв.

# %%
base = charlm.baseline_bits(vocab, corpus.train, corpus.test)
names = {"uniform": "равновероятный выбор", "unigram": "частоты букв", "bigram": "пары букв"}
for key, bits in base.items():
    print(f"{names[key]:>22}: {num(bits, 2)} бита на символ, перплексия {num(2**bits, 1)}")

# %% [markdown]
# Одна буква контекста уже снижает неопределённость: пары букв снимают с каждого символа около бита по
# сравнению с частотами. Сеть с памятью должна сделать лучше — посмотрим, насколько.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Модель: символ → LSTM → softmax
#
# Устроена наша языковая модель так же, как модель рода из урока 5, только отвечает она на каждом шаге:
#
# $$x_t = \operatorname{onehot}(c_t), \qquad h_t = \text{LSTM}(x_t, h_{t-1}), \qquad
#   p_t = \text{softmax}(V h_t + b)$$
#
# * Символ $c_t$ входит вектором из $K$ чисел с единицей на его месте. Умножить такой вектор на матрицу
#   весов — значит просто взять один её столбец: этот столбец и есть **вложение** (embedding) символа,
#   его выученное описание. В больших моделях вложения токенов устроены точно так же.
# * LSTM из `lib.lstm` (урок 5) хранит в состоянии всё, что успела прочитать.
# * Линейный слой и softmax (урок 2) превращают состояние в $K$ вероятностей следующего символа.
#
# Учится всё вместе: градиенты даёт обратное распространение во времени (BPTT), шаги делает Adam. На каждом
# шаге берём пакет (batch) из случайных окон обучающего текста и уменьшаем перекрёстную энтропию
# предсказаний.

# %%
lm0 = charlm.init_lm("lstm", vocab, lstm_hidden, seed=seed)
n_params = charlm.count_params(lm0)
print(f"вход K = {K}, состояние H = {lstm_hidden}: параметров {n_params}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Как модель пишет: softmax с температурой
#
# На выходе у модели $K$ чисел — **логиты** $z$. Softmax превращает их в вероятности. Перед этим логиты
# можно поделить на **температуру** $T$:
#
# $$p_k = \frac{e^{z_k / T}}{\sum_j e^{z_j / T}}$$
#
# При $T = 1$ это обычный softmax. При $T < 1$ различия между логитами растут — распределение становится
# острее, и модель чаще берёт самый вероятный символ. При $T > 1$ оно становится площе, и модель чаще
# берёт редкие символы. Такой же параметр есть у LLM, и называется он так же.
#
# **Упражнение 3.** Напишите `softmax_temperature(logits, temperature)` для $T > 0$. Не забудьте вычесть
# максимум логитов перед `exp` (урок 2): иначе большие логиты дадут переполнение.


# %% nbgrader={"solution": true, "grade_id": "softmax_temperature"}
def softmax_temperature(logits, temperature):
    """logits: (K,), temperature > 0 → вероятности (K,) = softmax(logits / temperature)."""
    ### BEGIN SOLUTION
    z = np.asarray(logits, dtype=float) / temperature
    e = np.exp(z - z.max())
    return e / e.sum()
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "softmax_temperature_check", "points": 1}
ex.softmax_temperature(softmax_temperature)
### BEGIN HIDDEN TESTS
assert ex.softmax_temperature(softmax_temperature, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# Выбрать символ по вероятностям $p$ — как крутить рулетку: отрезок $[0, 1)$ режем на куски длиной
# $p_0, p_1, \dots, p_{K-1}$, бросаем равномерное случайное число $u$ и берём тот кусок, на который оно
# упало, — первый $k$, для которого $p_0 + \dots + p_k > u$ (`np.cumsum` даёт эти суммы). **Жадный** выбор
# ($T = 0$) рулетку не крутит: берёт номер наибольшего логита.
#
# **Упражнение 4.** Напишите шаг письма `sample_step(logits, temperature, u)`: номер следующего символа.
# При `temperature == 0` — жадный выбор, иначе — рулетка по `softmax_temperature(logits, temperature)`.


# %% nbgrader={"solution": true, "grade_id": "sample_step"}
def sample_step(logits, temperature, u):
    """logits: (K,), temperature ≥ 0, u из [0, 1) → номер следующего символа (int)."""
    ### BEGIN SOLUTION
    if temperature == 0:
        return int(np.argmax(logits))
    cum = np.cumsum(softmax_temperature(logits, temperature))
    return int(min(np.sum(cum <= u), len(cum) - 1))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "sample_step_check", "points": 1}
ex.sample_step(sample_step)
### BEGIN HIDDEN TESTS
assert ex.sample_step(sample_step, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Обучение: смотрим, как модель учится писать
#
# Теперь обучим LSTM. В нескольких точках обучения (после шагов из `sample_at`) модель пишет образец — с
# начала новой строки, при температуре из параметров урока (пишет `lib.charlm.generate`, и каждый его шаг
# устроен так же, как ваш `sample_step`). Для каждого образца посчитаем, какая доля его слов — настоящие
# слова из обучающих пословиц.
#
# **Предскажите.** Что модель научится делать правильно раньше: «а» — ставить точку в конце строки или
# «б» — писать настоящие длинные слова (от пяти букв)? Впишите букву; проверка — после обучения.

# %% nbgrader={"solution": true, "grade_id": "predict_first_learned"}
first_guess = None
### BEGIN SOLUTION
first_guess = "а"
### END SOLUTION
print("ваш прогноз:", first_guess)

# %%
t0 = time.perf_counter()
result = charlm.train_lm(
    "lstm",
    corpus.train,
    hidden_size=lstm_hidden,
    steps=steps,
    lr=lr,
    seq_len=seq_len,
    batch_size=batch_size,
    seed=seed,
    vocab=vocab,
    sample_at=sample_at,
    sample_len=sample_len,
    sample_temperature=temperature,
)
train_seconds = time.perf_counter() - t0
lm = result.lm
print(f"{plural(steps, 'шаг', 'шага', 'шагов')} обучения, {elapsed(train_seconds)}")
train_words = set(charlm.words_of(corpus.train))  # все слова обучающих пословиц
for step, text in result.samples.items():
    print(f"\n— после {plural(step, 'шага', 'шагов', 'шагов')}:")
    print(text.replace("\n", " / "))

# %% [markdown] slideshow={"slide_type": "subslide"}
# Посмотрите, что появляется по очереди. До обучения — случайная каша из всех символов словаря. Измерим
# три вещи в каждом образце: долю строк, которые кончаются точкой (как почти все пословицы), долю
# настоящих слов среди всех слов и среди длинных, от пяти букв.

# %%
stages = {}
print("   шаг   строк с точкой   настоящих слов   настоящих длинных слов")
for step, text in result.samples.items():
    stages[step] = charlm.sample_stats(text, train_words)
    dot, real, longer = stages[step]
    print(f"{step:>6}   {num(100 * dot, 0):>10} %   {num(100 * real, 0):>12} %   {num(100 * longer, 0):>16} %")
first, mid, last = sample_at[0], sample_at[1], sample_at[-1]
print(
    f"доля настоящих слов {'выросла' if stages[last][1] > stages[first][1] else 'не выросла'}: "
    f"с {num(100 * stages[first][1], 0)} % до {num(100 * stages[last][1], 0)} %"
)
print(
    f"после {plural(mid, 'шага', 'шагов', 'шагов')} строк с точкой уже {num(100 * stages[mid][0], 0)} %, "
    f"а настоящих длинных слов {num(100 * stages[mid][2], 0)} %"
)

# %% nbgrader={"grade": true, "grade_id": "predict_first_learned_check", "points": 1}
ex.first_learned(first_guess, stages, mid)
### BEGIN HIDDEN TESTS
assert ex.first_learned(first_guess, stages, mid, quiet=True)
### END HIDDEN TESTS

# %% [markdown]
# Точку в конце строки угадать легко: почти каждая пословица кончается точкой, а после точки почти всегда
# идёт новая строка. Поэтому пунктуацию конца строки модель выучивает рано, а настоящие длинные слова —
# позже всего: чтобы написать слово из шести букв, нужно помнить пять предыдущих.

# %%
fig, ax = plt.subplots(figsize=(8, 3.8))
ax.plot(np.arange(1, steps + 1), result.losses / np.log(2), lw=1.5, label="пакеты обучения")
for key, style in (("unigram", ":"), ("bigram", "--")):
    ax.axhline(base[key], color="grey", ls=style, lw=2, label=names[key] + " (тест)")
ax.yaxis.set_major_formatter(comma)
ax.set(xlabel="шаг обучения", ylabel="бит на символ", title="перекрёстная энтропия во время обучения")
ax.legend()
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Насколько хороша LSTM на новых пословицах

# %%
lstm_bits = charlm.bits_per_char(charlm.text_probs(lm, corpus.test))
print(f"LSTM на тестовых пословицах: {num(lstm_bits, 2)} бита на символ, перплексия {num(2**lstm_bits, 1)}")
print(f"пары букв:                  {num(base['bigram'], 2)} бита на символ, перплексия {num(2 ** base['bigram'], 1)}")
print(f"LSTM лучше пар букв на {num(base['bigram'] - lstm_bits, 2)} бита на символ")

# %% [markdown]
# Перплексия падает: там, где пары букв «колеблются» между многими символами, LSTM сужает выбор, потому что
# помнит начало слова и начало пословицы. До человека ей далеко — но и училась она всего несколько сотен
# шагов.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Шаг за шагом: как модель выбирает символ
#
# Вот распределение следующего символа у обученной модели после «кто рано вста» при трёх температурах
# (показаны восемь самых вероятных символов):

# %%
prefix = "кто рано вста"
fig, axes = plt.subplots(1, 3, figsize=(11, 3.6), sharey=True)
for ax, t in zip(axes, (0.5, 1.0, 2.0)):
    p_next = charlm.next_char_probs(lm, prefix, temperature=t)
    top = np.argsort(p_next)[::-1][:8]
    ax.bar([shown(vocab.chars[k]) for k in top], p_next[top], color=plots.PALETTE["blue"])
    ax.set(title=f"T = {num(t, 1)}", ylim=(0, 1))
    ax.yaxis.set_major_formatter(comma)
axes[0].set_ylabel("вероятность")
fig.suptitle(f"следующий символ после «{prefix}»")
fig.tight_layout()
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# А так модель пишет при $T = 1$: на каждом шаге — распределение, случайное $u$, рулетка, и выбранный
# символ дописывается к тексту.

# %%
rng = np.random.default_rng(seed)
text = prefix
not_top = 0
for _ in range(12):
    p_next = charlm.next_char_probs(lm, text, temperature=1.0)
    u = rng.random()
    k = charlm.sample_index(p_next, u)
    best3 = np.argsort(p_next)[::-1][:3]
    not_top += int(k != best3[0])
    print(
        f"u = {num(u, 2)} → «{shown(vocab.chars[k])}» (p = {num(p_next[k], 2)});   самые вероятные: "
        + ", ".join(f"«{shown(vocab.chars[b])}» {num(p_next[b], 2)}" for b in best3)
    )
    text += vocab.chars[k]
print(f"\nполучилось: «{text.replace(chr(10), '↵')}»; не самый вероятный символ выбран в {not_top} из 12 шагов")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Температура в деле
#
# **Предскажите.** Если при письме всегда брать самый вероятный символ (жадный выбор, $T = 0$), каким
# получится текст по сравнению с выбором по вероятностям при $T = 1$?
# «а» — разнообразнее, «б» — однообразнее, «в» — примерно таким же. Впишите букву.

# %%
prime = "кто рано встает, "
greedy = charlm.generate(lm, prime, 300, temperature=0.0, seed=seed)
sampled = charlm.generate(lm, prime, 300, temperature=1.0, seed=seed)

# %% nbgrader={"solution": true, "grade_id": "predict_greedy"}
greedy_guess = None
### BEGIN SOLUTION
greedy_guess = "б"
### END SOLUTION
print("ваш прогноз:", greedy_guess)

# %% nbgrader={"grade": true, "grade_id": "predict_greedy_check", "points": 1}
ex.greedy_text(greedy_guess, greedy, sampled)
### BEGIN HIDDEN TESTS
assert ex.greedy_text(greedy_guess, greedy, sampled, quiet=True)
### END HIDDEN TESTS

# %% slideshow={"slide_type": "subslide"}
real = {}
for t in (0.0, 0.5, 1.0, 1.5):
    text = greedy if t == 0 else sampled if t == 1 else charlm.generate(lm, prime, 300, temperature=t, seed=seed)
    distinct, total = charlm.distinct_word_share(text)
    real[t] = charlm.real_word_share(text, train_words)
    label = "T = 0 (жадный выбор)" if t == 0 else f"T = {num(t, 1)}"
    print(f"{label}: разных слов {distinct} из {total}, настоящих слов {num(100 * real[t], 0)} %")
    print("   ", (prime + text[:150]).replace("\n", " / "))

# %% [markdown]
# Жадный выбор быстро начинает ходить по кругу: модель возвращается в похожее состояние, снова выбирает то же
# самое и повторяет одни и те же слова. Выбор по распределению разнообразнее, но чем выше температура, тем
# чаще модель берёт маловероятные символы и тем больше выдуманных слов (сравните долю настоящих слов при
# $T$ = 0,5; 1 и 1,5). Большие модели обычно пишут при $T$ от 0,5 до 1 и вдобавок отрезают маловероятный
# хвост распределения.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Писатель
#
# Впишите своё начало, двигайте температуру, меняйте зерно (seed) — одно и то же зерно даёт один и тот же
# текст.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
lm_widgets.writer_widget(lm, prime="кто рано встает, ", temperature=temperature, seed=seed)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Родственник LSTM: GRU
#
# В 2014 году Кёнхён Чо с соавторами предложил упрощённый вариант LSTM — **GRU** (gated recurrent unit).
# Отдельного состояния ячейки у него нет: конвейером служит само $h_t$. Фильтры забывания и входной слиты
# в один **фильтр обновления** $z_t$: сколько старого забыть, столько нового и записать. Ещё есть
# **фильтр сброса** $r_t$: какую часть прошлого состояния видит кандидат $\tilde h_t$.
#
# $$z_t = \sigma(W_z \cdot [h_{t-1}, x_t]), \qquad r_t = \sigma(W_r \cdot [h_{t-1}, x_t])$$
# $$\tilde h_t = \tanh(W \cdot [r_t * h_{t-1}, x_t]), \qquad h_t = (1 - z_t) * h_{t-1} + z_t * \tilde h_t$$
#
# (у `lib.gru` к каждой формуле добавлено ещё смещение $b$). Матриц три, а не четыре, поэтому при том же
# числе параметров состояние GRU немного больше.

# %%
p_gru = gru.init_params(2, 3, seed=seed)
step = gru.gru_step(p_gru, np.array([1.0, -1.0]), np.zeros(3))
print("z_t =", vec(step.z), "  r_t =", vec(step.r))
print("h̃_t =", vec(step.h_tilde), "  h_t =", vec(step.h))
print("проверка: h_t = (1 − z)·0 + z·h̃ →", "да" if np.allclose(step.h, step.z * step.h_tilde) else "нет")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Честное сравнение: RNN, LSTM, GRU
#
# Какая рекуррентная сеть лучше пишет пословицы? Сравнивать надо честно: у всех моделей примерно одинаковое
# число параметров (как у нашей LSTM), одинаковое число шагов на одних и тех же пакетах, у каждой — своя
# лучшая скорость обучения, выбранная на проверочных пословицах, и несколько зёрен. Такие обучения занимают
# минуты, поэтому их делает `bench/bench_lm.py` (`make bench`), а урок показывает его результат:

# %%
root = Path(lib.__file__).resolve().parents[1]
cmp = json.loads((root / "bench" / "results" / "lm_compare.json").read_text(encoding="utf-8"))

# %% [markdown]
# **Предскажите.** Какая сеть окажется лучшей при равном числе параметров? Впишите одно из слов «rnn»,
# «lstm» или «gru» (в кавычках, как строку).

# %% nbgrader={"solution": true, "grade_id": "predict_best_network"}
network_guess = None
### BEGIN SOLUTION
network_guess = min(cmp["models"], key=lambda m: cmp["models"][m]["mean"])
### END SOLUTION
print("ваш прогноз:", network_guess)

# %% nbgrader={"grade": true, "grade_id": "predict_best_network_check", "points": 1}
ex.best_network(network_guess, cmp)
### BEGIN HIDDEN TESTS
assert ex.best_network(network_guess, cmp, quiet=True)
### END HIDDEN TESTS

# %% slideshow={"slide_type": "subslide"}
plots.show_bench_table("lm_compare")

# %% slideshow={"slide_type": "subslide"}
model_names = {"rnn": "обычная RNN", "lstm": "LSTM", "gru": "GRU"}
fig, ax = plt.subplots(figsize=(8, 4))
labels = [names[k] for k in ("unigram", "bigram")] + [model_names[m] for m in cmp["models"]]
means = [cmp["baselines"]["unigram"], cmp["baselines"]["bigram"]] + [r["mean"] for r in cmp["models"].values()]
errs = [0, 0] + [r["std"] for r in cmp["models"].values()]
ax.barh(labels, means, xerr=errs, color=[plots.PALETTE["grey"]] * 2 + plots.COLORS[:3], capsize=6)
for k, m in enumerate(cmp["models"].values()):
    ax.plot(m["test_bits"], [k + 2] * len(m["test_bits"]), "k|", ms=18)
ax.set(xlabel="бит на символ на тестовых пословицах (меньше — лучше)", xlim=(2, max(means) + 0.3))
ax.xaxis.set_major_formatter(comma)
ax.invert_yaxis()
plt.show()

# %%
order = sorted(cmp["models"], key=lambda m: cmp["models"][m]["mean"])
best, worst = cmp["models"][order[0]], cmp["models"][order[-1]]
seeds_n = plural(len(cmp["seeds"]), "зерну", "зёрнам", "зёрнам")
gap_ok = all(max(cmp["models"][a]["test_bits"]) < min(cmp["models"][b]["test_bits"]) for a, b in zip(order, order[1:]))
print(f"по {seeds_n}, {plural(cmp['steps'], 'шаг', 'шага', 'шагов')} обучения у каждой модели:")
for m in order:
    r = cmp["models"][m]
    print(
        f"  {model_names[m]:>12}: {num(r['mean'], 2)} ± {num(r['std'], 2)} бита на символ "
        f"(H = {r['hidden']}, {plural(r['params'], 'параметр', 'параметра', 'параметров')}, "
        f"скорость обучения {num(r['best_lr'], 3)})"
    )
print(
    f"лучше всех — {model_names[order[0]]}, хуже всех — {model_names[order[-1]]}; разница "
    f"{num(worst['mean'] - best['mean'], 2)} бита на символ"
)
print(
    "порядок одинаков при каждом зерне: худший запуск лучшей модели лучше лучшего запуска следующей"
    if gap_ok
    else "при некоторых зёрнах соседние модели меняются местами: разброс перекрывается"
)

# %% [markdown]
# Единиц состояния у обычной RNN больше всех (при том же числе параметров у неё одна матрица, а не три или
# четыре), но нести информацию через много шагов ей труднее (урок 4). Это сравнение — для одного небольшого
# бюджета; на других задачах и бюджетах LSTM и GRU нередко меняются местами, поэтому на практике пробуют
# обе.
#
# Во сколько обходится обучение на `lib` по сравнению с PyTorch на той же модели, показывает та же
# `make bench` (`bench/results/lm_speed.md`).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Что выучила одна единица
#
# Андрей Карпатый в известной записи блога «The Unreasonable Effectiveness of Recurrent Neural Networks»
# (2015) раскрашивал текст по значению одной единицы состояния и находил единицы, которые следят за
# кавычками, за длиной строки, за тем, внутри ли мы условия `if` в программе. Сделаем то же с нашей LSTM:
# для каждой единицы посчитаем корреляцию её значения $\tanh C_t$ с простыми признаками текста и найдём для
# каждого признака самую похожую единицу.

# %%
probe = corpus.test[:3000]
acts = charlm.activations(lm, probe)
found = charlm.best_units(acts, charlm.char_features(probe))
for name, (unit, r) in found.items():
    print(f"{name:>26}: единица {unit:>2}, корреляция {num(r, 2)}")

# %% slideshow={"slide_type": "subslide"}
name, (unit, r) = max(found.items(), key=lambda kv: abs(kv[1][1]))
print(f"сильнее всего связана с признаком «{name}» единица {unit} (корреляция {num(r, 2)}):")
display(HTML(lm_widgets.activation_html(probe[:240], acts[:240, unit])))

# %% [markdown]
# Корреляция — только подсказка: единица может отвечать сразу за несколько вещей, а признак — делиться
# между многими единицами. Выберите единицу сами и посмотрите, где она «загорается».

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
lm_widgets.activation_widget(lm, probe[:400], found)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## От LSTM к LLM: что осталось
#
# Большая языковая модель устроена по-другому, но почти всё, что мы сделали, в ней есть:
#
# * **предсказание следующего токена** — та же задача и та же перекрёстная энтропия;
# * **вложения** — токен входит номером, и модель берёт его выученный вектор;
# * **softmax** на выходе, **выбор по распределению** и **температура**;
# * **градиентный спуск через всю сеть** — обратное распространение, Adam, обрезка градиента.
#
# Заменили одно: **рекуррентность**. В RNN и LSTM информация о первом слове доходит до сотого только через
# 99 шагов цепочки и на каждом шаге может исказиться или затухнуть (урок 4): длина пути растёт как $T$. И
# шаг $t$ нельзя посчитать, пока не готов шаг $t-1$: на длинном тексте тысячи шагов идут строго по очереди,
# и параллельное железо простаивает.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Внимание: смотреть на все слова сразу
#
# **Внимание** (attention) позволяет позиции посмотреть на любую другую позицию напрямую. У каждого слова
# $s$ есть **ключ** $k_s$ и **значение** $v_s$, у читающей позиции — **запрос** $q$. Вес слова —
# насколько его ключ похож на запрос:
#
# $$a_s = \text{softmax}_s\left(\frac{q \cdot k_s}{\sqrt d}\right), \qquad \text{прочитано} = \sum_s a_s v_s$$
#
# Деление на $\sqrt d$ ($d$ — длина векторов) не даёт скалярным произведениям расти вместе с $d$: иначе
# softmax отдавал бы почти весь вес одному слову, а градиенты остальных почти обнулялись бы.
#
# **Упражнение 5.** Напишите веса одной «головы» внимания `attention_weights(q, keys)`: `q: (d,)` — запрос,
# `keys: (T, d)` — ключи всех $T$ слов, по одному в строке; вернуть `(T,)` весов $a_s$.


# %% nbgrader={"solution": true, "grade_id": "attention_weights"}
def attention_weights(q, keys):
    """q: (d,) запрос, keys: (T, d) ключи → веса (T,) = softmax(keys @ q / √d)."""
    ### BEGIN SOLUTION
    scores = keys @ q / np.sqrt(len(q))
    e = np.exp(scores - scores.max())
    return e / e.sum()
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "attention_weights_check", "points": 1}
ex.attention_weights(attention_weights)
### BEGIN HIDDEN TESTS
assert ex.attention_weights(attention_weights, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# Вернёмся к задаче урока 5: по предложению «лампа вчера тихо … стоять» выбрать форму глагола, то есть
# вспомнить род существительного через все слова-вставки. Обучим одну голову внимания (`lib.attention`):
# глагол задаёт запрос, каждое слово отвечает ключом и значением, линейный слой по прочитанному выбирает
# один из четырёх классов.
#
# **Предскажите.** Через сколько шагов информация о существительном дойдёт до глагола в этой голове, если
# между ними 40 слов? Впишите число.

# %% nbgrader={"solution": true, "grade_id": "predict_attention_path"}
attention_path_guess = None
### BEGIN SOLUTION
attention_path_guess = 1
### END SOLUTION
print("ваш прогноз:", attention_path_guess)

# %% nbgrader={"grade": true, "grade_id": "predict_attention_path_check", "points": 1}
ex.attention_path(attention_path_guess, 40)
### BEGIN HIDDEN TESTS
assert ex.attention_path(attention_path_guess, 40, quiet=True)
### END HIDDEN TESTS

# %% [markdown] slideshow={"slide_type": "subslide"}
# Путь от любого слова до читающего — **один шаг**, при любом расстоянии, а веса всех позиций считаются
# одновременно, без очереди. Обучим голову на разрывах до 20 слов и проверим её и на более длинных.

# %%
head = attention.train_attention(max_gap=20, d=attention_dim, steps=attention_steps, seed=seed)
gaps = [0, 10, 20, 40, 80]
acc = attention.attention_accuracy_by_gap(head, gaps)
print(f"голова внимания: d = {attention_dim}, обучение на разрывах до 20 слов, {elapsed(head.seconds)}")
for g, a in acc.items():
    print(f"  разрыв {plural(g, 'слово', 'слова', 'слов'):>8}: верно {num(100 * a, 0)} %")

# %% slideshow={"slide_type": "subslide"}
sent = lm_widgets.gap_sentence("лампа", 12, seed=seed)
words, weights, cls = attention.sentence_attention(head, sent)
fig, ax = plt.subplots(figsize=(9, 3.6))
ax.bar(range(len(words)), weights, color=plots.PALETTE["blue"])
ax.set_xticks(range(len(words)), words, rotation=45, ha="right")
ax.yaxis.set_major_formatter(comma)
ax.set(
    ylabel="вес внимания",
    ylim=(0, 1.05),
    title=f"куда смотрит «стоять»: класс «{cls}» → «{gender.verb_form('стоять', gender.CLASSES.index(cls))}»",
)
plt.show()
top = int(np.argmax(weights))
print(
    f"вес существительного «{words[0]}»: {num(weights[0], 3)}; всех остальных слов вместе: "
    f"{num(1 - weights[0], 3)}; "
    + (
        "это больше, чем у любого другого слова"
        if top == 0
        else f"больше всех весит «{words[top]}» ({num(weights[top], 3)})"
    )
)

# %% [markdown]
# Голова смотрит на существительное напрямую, за один шаг, как бы далеко оно ни стояло, и почти всегда
# отвечает верно (проценты выше) даже при разрыве в 80 слов — вчетверо длиннее всего, что она видела в
# обучении. Сколько веса достаётся существительному, зависит от зерна: остальной вес уходит словам, чьи
# значения о роде ничего не говорят, и ответу он не мешает. Честная оговорка: голова **не знает порядка
# слов**. В предложении «шкаф там, а лампа … стояла» она не отличит первое существительное от второго —
# поэтому здесь предложения без отвлекающего существительного, а в настоящем трансформере к вложению каждого
# токена прибавляют **кодирование позиции**.
#
# Подвигайте разрыв и выберите другое существительное:

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
lm_widgets.attention_widget(head, noun="лампа", gap=10)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Дальше: трансформер и большие модели
#
# * **Трансформер** (Vaswani et al., 2017, «Attention Is All You Need»; в статье — для машинного перевода)
#   собран из слоёв внимания с многими головами, кодирования позиции и полносвязных сетей, которые
#   обрабатывают каждую позицию отдельно, — без всякой рекуррентности. В языковой модели каждая позиция
#   смотрит только назад (маска), и обучение идёт по всем позициям текста сразу, параллельно.
# * **GPT** (Radford et al., 2018, 2019) — такой трансформер, обученный предсказывать следующий токен на
#   огромном корпусе; GPT-3 (Brown et al., 2020) — 175 миллиардов параметров. Чем больше модель, данных и
#   вычислений, тем ниже перекрёстная энтропия, и падает она плавно, по степенному закону (Kaplan et al.,
#   2020).
# * Потом модель дообучают следовать инструкциям и отвечать так, чтобы ответы нравились людям-оценщикам
#   (Ouyang et al., 2022).
# * Что посмотреть дальше: Андрей Карпатый, «Let's build GPT: from scratch, in code, spelled out» (видео,
#   2023) и его nanoGPT — тот же путь, что в этом уроке, но с вниманием вместо LSTM; Jay Alammar, «The
#   Illustrated Transformer» — трансформер в картинках.
#
# Про масштаб — честно:

# %%
gpt3 = 175e9
print(
    f"наша LSTM: {plural(n_params, 'параметр', 'параметра', 'параметров')}, "
    f"обучение — {plural(steps, 'шаг', 'шага', 'шагов')}, {num(steps * batch_size * seq_len / 1e6, 1)} млн символов"
)
print(
    f"GPT-3: 175 млрд параметров — в {num(gpt3 / n_params / 1e6, 1)} млн раз больше; "
    "обучение на сотнях миллиардов токенов"
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Итоги
#
# * Языковая модель только предсказывает следующий символ (токен); писать её заставляет выбор по
#   распределению, шаг за шагом. Низкая температура делает выбор осторожнее (ближе к жадному), высокая —
#   смелее.
# * Качество меряют перекрёстной энтропией на новом тексте — в битах на символ или перплексией — и
#   сравнивают с простыми эталонами и друг с другом честно: равные бюджеты, своя лучшая скорость обучения,
#   несколько зёрен.
# * В таблице сравнения модели с фильтрами (LSTM, GRU) обошли обычную RNN с тем же числом параметров; внутри
#   LSTM можно найти единицы, связанные с понятными признаками текста.
# * LLM сохранили всё это, кроме рекуррентности: её заменило внимание, где до любого слова один шаг и все
#   позиции считаются параллельно.
