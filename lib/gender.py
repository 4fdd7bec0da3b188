"""The running example of the lecture, made real: keep the gender (and number) of the last noun.

A generated corpus of Russian sentences in which a past-tense verb agrees with its subject noun:

    «стол вчера тихо стоял»            м. р.   → стоял
    «лампа вчера долго стояла»         ж. р.   → стояла
    «окно стояло»                      ср. р.  → стояло
    «стулья опять стояли»              мн. ч.  → стояли

Between the noun and the verb come ``gap`` adverbs (fillers: «вчера», «тихо», «долго» …). A sentence may open
with a *distractor*, another noun in its own clause: «шкаф там , а лампа вчера стояла». The verb agrees with
the second noun, so a model must overwrite the gender it stored at the first one: the forget gate's job.

The model reads the words one by one (one-hot vectors) up to the verb's lemma («стоять») and at that last
step predicts one of four classes (м, ж, ср, мн); the verb form is read from a table. Sentences of a batch
start together at t = 1 and are padded *after* their end with an empty input (a zero vector); the loss and
the prediction look at each sentence's own last word (``mask``), so a sentence is read from the zero state
exactly as it is read alone — in training and at test alike, whatever its length.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from lib.checks import check_choice, check_positive
from lib.seqtrain import ClassifierResult

__all__ = [
    "CLASSES",
    "CLASS_NAMES",
    "NOUNS",
    "FILLERS",
    "PLACES",
    "VERBS",
    "CONNECTOR",
    "VOCAB",
    "Sentence",
    "GenderData",
    "make_sentence",
    "make_corpus",
    "encode",
    "parse_sentence",
    "verb_form",
    "GenderModel",
    "train_gender",
    "run",
    "predict_classes",
    "accuracy_by_gap",
    "sentence_trace",
    "gender_units",
    "WORD_KINDS",
    "word_kind",
    "gate_means_by_word_kind",
    "EXAMPLES",
]

CLASSES = ("м", "ж", "ср", "мн")
CLASS_NAMES = {"м": "мужской род", "ж": "женский род", "ср": "средний род", "мн": "множественное число"}

NOUNS = {
    "м": ("стол", "стул", "шкаф", "диван", "ключ"),
    "ж": ("лампа", "книга", "чашка", "ваза", "полка"),
    "ср": ("окно", "зеркало", "кресло", "ведро", "блюдце"),
    "мн": ("стулья", "книги", "часы", "очки", "ножницы"),
}
PLACES = ("там", "тут", "здесь", "наверху", "внизу")  # the distractor's clause: «шкаф там , а …»
FILLERS = (
    "вчера",
    "тихо",
    "долго",
    "снова",
    "опять",
    "всегда",
    "уже",
    "ещё",
    "давно",
    "утром",
    "вечером",
    "наверное",
    "почему-то",
    "всё",
    "сегодня",
    "днём",
)
# lemma → forms in the order of CLASSES
VERBS = {
    "стоять": ("стоял", "стояла", "стояло", "стояли"),
    "лежать": ("лежал", "лежала", "лежало", "лежали"),
    "пропасть": ("пропал", "пропала", "пропало", "пропали"),
    "исчезнуть": ("исчез", "исчезла", "исчезло", "исчезли"),
    "упасть": ("упал", "упала", "упало", "упали"),
}
CONNECTOR = (",", "а")  # «шкаф там , а лампа …»: a new clause with a new subject
VOCAB: tuple[str, ...] = tuple(n for c in CLASSES for n in NOUNS[c]) + FILLERS + PLACES + CONNECTOR + tuple(VERBS)
_INDEX = {w: k for k, w in enumerate(VOCAB)}
_BY_E = {w.replace("ё", "е"): w for w in VOCAB}
_NOUN_CLASS = {n: k for k, c in enumerate(CLASSES) for n in NOUNS[c]}


class Sentence(NamedTuple):
    """One sentence: ``words`` the model reads (ending with the verb's lemma), the class of the subject
    (index into ``CLASSES``), the ``gap`` (fillers between subject and verb) and the distractor's class
    (``None`` without one)."""

    words: tuple[str, ...]
    label: int
    gap: int
    distractor: int | None

    @property
    def text(self) -> str:
        """The sentence as a student reads it, with the verb in the right form."""
        *head, lemma = self.words
        return " ".join(head + [VERBS[lemma][self.label]]).replace(" ,", ",")


def make_sentence(rng: np.random.Generator, gap: int, distractor: bool = False, label: int | None = None) -> Sentence:
    """A random sentence with ``gap`` fillers between the subject and the verb; with ``distractor``, a clause
    «<сущ. другого класса> <там|тут|…> , а …» in front of it. ``label`` (index into ``CLASSES``) is random
    if ``None``."""
    check_positive("gap", gap, integer=True, allow_zero=True)
    if label is not None:
        check_choice("label", label, tuple(range(len(CLASSES))))
    label = int(rng.integers(len(CLASSES))) if label is None else label
    noun = NOUNS[CLASSES[label]][rng.integers(5)]
    words = [noun, *(FILLERS[k] for k in rng.integers(len(FILLERS), size=gap))]
    other = None
    if distractor:
        other = int((label + rng.integers(1, len(CLASSES))) % len(CLASSES))
        head = [NOUNS[CLASSES[other]][rng.integers(5)], PLACES[rng.integers(len(PLACES))], *CONNECTOR]
        words = head + words
    lemma = tuple(VERBS)[rng.integers(len(VERBS))]
    return Sentence(words=tuple(words) + (lemma,), label=label, gap=gap, distractor=other)


class GenderData(NamedTuple):
    """A batch ready for training: ``xs: (T, N, V)`` one-hot (zeros = padding after the end), ``targets:
    (T, N)`` with the class at each sentence's last word, ``mask: (T, N)`` 1 only there, and the ``sentences``
    (the fields of ``lib.text.LMData``, which has no sentences, plus them)."""

    xs: np.ndarray
    targets: np.ndarray
    mask: np.ndarray
    sentences: tuple[Sentence, ...]

    @property
    def labels(self) -> np.ndarray:
        return np.array([s.label for s in self.sentences])

    @property
    def gaps(self) -> np.ndarray:
        return np.array([s.gap for s in self.sentences])

    @property
    def last(self) -> np.ndarray:
        """``(N,)``: the step of each sentence's last word (its verb)."""
        return np.array([len(s.words) - 1 for s in self.sentences])


def encode(sentences: Sequence[Sentence]) -> GenderData:
    """One-hot encode ``sentences`` and pad them after their end to a common length ``T``."""
    if len(sentences) == 0:
        raise ValueError("sentences: ожидалось хотя бы одно предложение, получен пустой список")
    T = max(len(s.words) for s in sentences)
    N, V = len(sentences), len(VOCAB)
    xs = np.zeros((T, N, V))
    targets = np.zeros((T, N), dtype=int)
    mask = np.zeros((T, N))
    for n, s in enumerate(sentences):
        for t, w in enumerate(s.words):
            xs[t, n, _INDEX[w]] = 1.0
        targets[len(s.words) - 1, n] = max(s.label, 0)
        mask[len(s.words) - 1, n] = 1.0
    return GenderData(xs=xs, targets=targets, mask=mask, sentences=tuple(sentences))


def make_corpus(n: int, max_gap: int, *, min_gap: int = 0, seed: int = 0, distractor_rate: float = 0.5) -> GenderData:
    """``n`` random sentences, gaps uniform in ``min_gap … max_gap``, a share ``distractor_rate`` of them with
    a distractor clause; encoded by ``encode``."""
    check_positive("n", n, integer=True)
    check_positive("max_gap", max_gap, integer=True, allow_zero=True)
    check_positive("min_gap", min_gap, integer=True, allow_zero=True)
    if min_gap > max_gap:
        raise ValueError(f"min_gap: ожидалось не больше max_gap = {max_gap}, получено {min_gap}")
    if not 0.0 <= distractor_rate <= 1.0:
        raise ValueError(f"distractor_rate: ожидалась доля от 0 до 1, получено {distractor_rate!r}")
    rng = np.random.default_rng(seed)
    sents = []
    for _ in range(n):
        gap = int(rng.integers(min_gap, max_gap + 1))
        sents.append(make_sentence(rng, gap, distractor=bool(rng.random() < distractor_rate)))
    return encode(sents)


def parse_sentence(text: str) -> Sentence:
    """A sentence typed by a student → ``Sentence`` (label from the last noun; ``label = -1`` without a noun).

    The words must come from ``VOCAB`` (case and «ё» are forgiven); the verb's lemma may be omitted
    («стоять» is added). Raises ``ValueError`` in Russian naming the unknown word.
    """
    if not isinstance(text, str):
        raise TypeError(f"text: ожидалась строка, получено {type(text).__name__}")
    clean = text.lower().replace(",", " , ")
    for mark in '.!?;:…«»"()—–':  # punctuation other than the comma is ignored
        clean = clean.replace(mark, " ")
    words = [_BY_E.get(w.replace("ё", "е"), w) for w in clean.split()]  # «еще» → «ещё»
    if not words:
        raise ValueError("text: пустая строка; напишите, например: «лампа вчера долго стояла»")
    forms = {form: lemma for lemma, fs in VERBS.items() for form in fs}
    if words[-1] in forms:
        words[-1] = forms[words[-1]]
    elif words[-1] not in VERBS:
        words.append("стоять")
    for w in words:
        if w not in _INDEX:
            nouns = ", ".join(n for c in CLASSES for n in NOUNS[c][:2])
            raise ValueError(
                f"text: слово «{w}» не из словаря корпуса. Существительные: {nouns} …; "
                f"слова-вставки: {', '.join(FILLERS[:6])} …; глагол в конце: "
                f"{', '.join(VERBS)} (или его форма)"
            )
    subject = [k for k, w in enumerate(words) if w in _NOUN_CLASS]
    label = _NOUN_CLASS[words[subject[-1]]] if subject else -1
    gap = len(words) - 2 - subject[-1] if subject else -1
    distractor = _NOUN_CLASS[words[subject[-2]]] if len(subject) > 1 else None
    return Sentence(words=tuple(words), label=label, gap=gap, distractor=distractor)


def verb_form(lemma: str, cls: int) -> str:
    """The past-tense form of ``lemma`` for class ``cls`` (index into ``CLASSES``)."""
    check_choice("lemma", lemma, tuple(VERBS))
    return VERBS[lemma][cls]


# ----------------------------------------------------------------------------------------- training

GenderModel = ClassifierResult
"""A trained model is ``lib.seqtrain.ClassifierResult``: ``model`` (``"lstm"``/``"rnn"``), ``params``, the
linear ``readout``, the training ``losses``, ``steps`` and ``seconds``."""


def train_gender(
    model: str = "lstm",
    *,
    max_gap: int = 10,
    min_gap: int = 0,
    n_train: int = 2000,
    hidden_size: int = 16,
    lr: float = 0.02,
    steps: int = 300,
    batch_size: int = 64,
    seed: int = 0,
    forget_bias: float | None = None,
    distractor_rate: float = 0.5,
    max_seconds=None,
) -> GenderModel:
    """Train ``model`` on ``make_corpus(n_train, max_gap, min_gap=min_gap)`` with ``lib.seqtrain.train_classifier``.

    ``forget_bias`` (LSTM only) replaces the initial forget-gate bias of ``lib.lstm.init_params``.
    """
    from lib import seqtrain

    check_choice("model", model, ("lstm", "rnn"))
    m = seqtrain.get_model(model)
    if forget_bias is not None:
        if model != "lstm":
            raise ValueError("forget_bias: есть только у LSTM (model='lstm')")
        base = m.init_params
        m = seqtrain.SeqModel(
            "lstm", lambda D, H, seed=0: base(D, H, seed=seed, forget_bias=forget_bias), m.forward, m.backward
        )
    data = make_corpus(n_train, max_gap, min_gap=min_gap, seed=seed, distractor_rate=distractor_rate)
    res = seqtrain.train_classifier(
        m,
        data.xs,
        data.targets,
        data.mask,
        hidden_size=hidden_size,
        lr=lr,
        steps=steps,
        seed=seed,
        batch_size=batch_size,
        num_classes=len(CLASSES),
        max_seconds=max_seconds,
    )
    return res


def run(gm: GenderModel, xs):
    """The trace of the trained model over ``xs: (T, [B,] V)`` (one-hot words, e.g. ``encode(...).xs``)."""
    from lib import seqtrain

    return seqtrain.get_model(gm.model).forward(gm.params, xs)


def predict_classes(gm: GenderModel, data: GenderData) -> np.ndarray:
    """The predicted class (index into ``CLASSES``) of every sentence of ``data``: ``(N,)``."""
    h = run(gm, data.xs).h  # (T, N, H)
    h_last = h[data.last, np.arange(h.shape[1])]  # each sentence at its own last word
    return np.argmax(h_last @ gm.readout.V.T + gm.readout.c, axis=-1)


def accuracy_by_gap(
    gm: GenderModel, gaps: Sequence[int], *, n: int = 400, seed: int = 12345, distractor: bool = False
) -> np.ndarray:
    """Accuracy on ``n`` fresh sentences at each gap of ``gaps`` (all with or all without a distractor)."""
    rng = np.random.default_rng(seed)
    out = []
    for gap in gaps:
        sents = [make_sentence(rng, int(gap), distractor=distractor) for _ in range(n)]
        data = encode(sents)
        out.append(float(np.mean(predict_classes(gm, data) == data.labels)))
    return np.array(out)


def sentence_trace(gm: GenderModel, sentence: Sentence | str):
    """Run a trained model over one sentence. Returns ``(trace, probs)``: the model's trace (LSTM: gates and
    cell per word, fields ``(T, H)``) and ``probs: (K,)`` of the verb's class at the last step."""
    from lib.numerics import softmax

    s = parse_sentence(sentence) if isinstance(sentence, str) else sentence
    xs = encode([s]).xs[:, 0, :]
    trace = run(gm, xs)
    probs = softmax(trace.h[-1] @ gm.readout.V.T + gm.readout.c)
    return trace, probs


def gender_units(gm: GenderModel, *, n: int = 400, seed: int = 7, field: str = "C") -> np.ndarray:
    """How strongly each hidden unit separates the classes at the verb: for ``field`` (``"C"`` or ``"h"``)
    at the last step, the between-class variance of the class means over the total variance. ``(H,)`` in
    [0, 1]; the largest values point at the units that hold the gender."""
    check_choice("field", field, ("C", "h"))
    data = make_corpus(n, 10, seed=seed)
    vals = getattr(run(gm, data.xs), field)[data.last, np.arange(n)]  # (N, H) at each verb
    labels = data.labels
    means = np.stack([vals[labels == k].mean(axis=0) for k in range(len(CLASSES))])
    between = np.mean(
        [(labels == k).mean() * (means[k] - vals.mean(axis=0)) ** 2 for k in range(len(CLASSES))], axis=0
    ) * len(CLASSES)
    total = vals.var(axis=0) + 1e-12
    return between / total


WORD_KINDS = ("существительное", "вставка", "место", "«,» или «а»", "глагол")


def word_kind(word: str) -> str:
    """Which of ``WORD_KINDS`` a word of ``VOCAB`` is."""
    if word in _NOUN_CLASS:
        return "существительное"
    if word in FILLERS:
        return "вставка"
    if word in PLACES:
        return "место"
    if word in CONNECTOR:
        return "«,» или «а»"
    check_choice("word", word, VOCAB)
    return "глагол"


def gate_means_by_word_kind(gm: GenderModel, *, n: int = 400, max_gap: int = 10, seed: int = 5) -> dict:
    """Average LSTM gates over all units when the model reads each kind of word (``WORD_KINDS``), on ``n``
    fresh sentences (half with a distractor). Returns ``{kind: {"f": …, "i": …, "o": …}}``."""
    if gm.model != "lstm":
        raise ValueError(f"gm: нужна обученная LSTM (model='lstm'), получена {gm.model!r}")
    data = make_corpus(n, max_gap, seed=seed)
    trace = run(gm, data.xs)
    T = data.xs.shape[0]
    kinds = np.full((T, n), "", dtype=object)
    for k, s in enumerate(data.sentences):
        kinds[: len(s.words), k] = [word_kind(w) for w in s.words]
    out = {}
    for kind in WORD_KINDS:
        m = kinds == kind
        out[kind] = {g: float(getattr(trace, g)[m].mean()) for g in ("f", "i", "o")}
    return out


EXAMPLES = (
    "лампа стояла",
    "стол вчера долго стоял",
    "окно сегодня опять тихо давно стояло",
    "очки утром снова пропали",
    "шкаф там , а ваза вчера упала",
    "книги тут , а зеркало снова долго тихо всегда лежало",
    "стулья здесь , а лампа утром снова долго тихо вчера давно опять почему-то наверное стояла",
)
