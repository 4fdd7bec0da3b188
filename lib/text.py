"""A short Russian text written for the course, its word-level vocabulary and a next-word data set.

The text (``TEXT``) was written for this course (no outside source; it is under the course's licence). It
is a few dozen short sentences about the sky, clouds, the sea, rivers and lakes, in which «… плывут по …»
ends differently depending on who floats: облака — по небу, лодки — по реке, корабли — по морю,
утки — по озеру. To finish «облака плывут по …» a model has to remember the word read two steps before
«по»: a short context that a plain RNN handles (notebook 4).

``HELD_OUT`` are phrases that are NOT in the text (no sentence contains them), each with the word that
should follow: a model trained on ``TEXT`` is tested on them, so that a right answer is not a memorised
sentence (``tests/test_text.py`` checks that none of them occurs in the text).

    sents = sentences()                    # [['облака', 'плывут', 'по', 'небу'], …]
    vocab = build_vocab(sents)             # words in order of first appearance, then END
    data = lm_dataset(sents, vocab)        # xs: (T, N, V) one-hot, targets: (T, N), mask: (T, N)
    top_next_words(model, params, readout, vocab, "облака плывут по", k=3)   # [('небу', 0.93), …]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from lib.checks import check_positive
from lib.numerics import one_hot

__all__ = [
    "END",
    "HELD_OUT",
    "TEXT",
    "LMData",
    "Vocab",
    "build_vocab",
    "lm_dataset",
    "occurs_in",
    "sentences",
    "tokenize",
    "top_next_words",
]

END = "."  # the token a model predicts after the last word of a sentence

TEXT = """\
Облака плывут по небу. Белые облака медленно плывут по небу. Серые облака плывут по небу.
Тёмные тучи плывут по небу. Ветер гонит облака по небу. Луна плывёт по небу.
Птицы летят по небу. Ночью на небе горят звёзды. Днём на небе светит солнце.
Облака закрывают солнце. Из облаков идёт дождь. После дождя на небе видна радуга.
Дети смотрят на облака. Облака похожи на белые корабли.
Корабли плывут по морю. Большой корабль плывёт по морю. Рыбаки плывут по морю на лодке.
Волны бегут по морю. Ветер гонит волны по морю. Тёплый ветер дует с моря.
Над морем летают чайки. Чайки громко кричат над морем. В море живут рыбы.
Вечером солнце садится в море. Ночью звёзды отражаются в море. Летом море тёплое.
Лодки плывут по реке. Маленькая лодка плывёт по реке. Листья плывут по реке.
Весной льдины плывут по реке. Река течёт к морю. Утром над рекой стоит туман.
Зимой река покрыта льдом. В реке живут рыбы.
Утки плывут по озеру. Гуси плывут по озеру. Белые лебеди плывут по озеру.
Осенью небо серое. Летом небо голубое. Над озером летают стрекозы.
"""

# New combinations of the text's words: (phrase, the word that should come next), in two groups.
# SIMILAR: a new adjective whose kind of subject the text sends to the same place (тёмные тучи → небу, белые
# лебеди → озеру). MIXED: a word that the text uses only in sentences about another place («серые» and
# «медленно» only about the sky, «белые корабли» only as clouds that look like ships).
HELD_OUT_SIMILAR = (
    ("тёмные облака плывут по", "небу"),
    ("серые тучи плывут по", "небу"),
    ("белые утки плывут по", "озеру"),
    ("белые гуси плывут по", "озеру"),
)
HELD_OUT_MIXED = (
    ("серые гуси плывут по", "озеру"),
    ("белые корабли плывут по", "морю"),
    ("белые лодки плывут по", "реке"),
    ("лодки медленно плывут по", "реке"),
)
HELD_OUT = HELD_OUT_SIMILAR + HELD_OUT_MIXED

_WORD = re.compile(r"[а-яёa-z]+(?:-[а-яёa-z]+)?")


def tokenize(phrase: str) -> list[str]:
    """Lower-case words of ``phrase`` (punctuation dropped): ``"Облака плывут по…" → ['облака', 'плывут', 'по']``."""
    if not isinstance(phrase, str):
        raise TypeError(f"phrase: ожидалась строка, получено {type(phrase).__name__}")
    return _WORD.findall(phrase.lower())


def sentences(text: str = TEXT) -> list[list[str]]:
    """Split ``text`` at ``.``, ``!``, ``?`` into sentences of lower-case words (empty ones dropped)."""
    if not isinstance(text, str):
        raise TypeError(f"text: ожидалась строка, получено {type(text).__name__}")
    return [words for part in re.split(r"[.!?]", text) if (words := tokenize(part))]


class Vocab:
    """Words ↔ ids. ``vocab.words[i]`` is the word with id ``i``; ``len(vocab)`` is ``V``."""

    def __init__(self, words: Sequence[str]):
        words = tuple(words)
        if len(set(words)) != len(words):
            raise ValueError("words: ожидались различные слова, а есть повторы")
        self.words = words
        self._ids = {w: i for i, w in enumerate(words)}

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word) -> bool:
        return word in self._ids

    def __repr__(self) -> str:
        return f"Vocab({len(self)} слов: {', '.join(self.words[:6])}, …)"

    def encode(self, words: Sequence[str]) -> np.ndarray:
        """Ids of ``words``: ``(L,)`` int. An unknown word raises ``ValueError`` naming it."""
        if isinstance(words, str):
            words = tokenize(words)
        unknown = [w for w in words if w not in self._ids]
        if unknown:
            raise ValueError(f"words: слова {unknown[0]!r} нет в словаре ({len(self)} слов из текста курса)")
        return np.array([self._ids[w] for w in words], dtype=int)

    def decode(self, ids) -> list[str]:
        """Words of ``ids``."""
        return [self.words[int(i)] for i in np.asarray(ids).ravel()]

    def one_hot(self, ids) -> np.ndarray:
        """``ids: (L,)`` → ``(L, V)`` float64 one-hot rows (the input ``x_t`` of a word)."""
        ids = np.asarray(ids, dtype=int)
        if ids.size and (ids.min() < 0 or ids.max() >= len(self)):
            raise ValueError(f"ids: ожидались номера от 0 до {len(self) - 1}, получено {ids.min()}…{ids.max()}")
        return one_hot(ids, len(self))


def build_vocab(sents: Sequence[Sequence[str]]) -> Vocab:
    """Every word of ``sents`` in order of first appearance, then ``END``."""
    seen: dict[str, None] = {}
    for s in sents:
        for w in s:
            seen.setdefault(w, None)
    seen.pop(END, None)
    return Vocab(list(seen) + [END])


class LMData(NamedTuple):
    """Next-word data: ``xs: (T, N, V)`` one-hot words, ``targets: (T, N)`` the id of the next word (``END``
    after the last), ``mask: (T, N)`` 1 on real words and 0 on padding; ``T`` is the longest sentence."""

    xs: np.ndarray
    targets: np.ndarray
    mask: np.ndarray


def lm_dataset(sents: Sequence[Sequence[str]], vocab: Vocab) -> LMData:
    """Pad ``sents`` to one length and pair each word with the next one (see ``LMData``)."""
    if not sents:
        raise ValueError("sents: ожидалось хотя бы одно предложение, получен пустой список")
    T, N, V = max(len(s) for s in sents), len(sents), len(vocab)
    xs = np.zeros((T, N, V))
    targets = np.zeros((T, N), dtype=int)
    mask = np.zeros((T, N))
    end = vocab.encode([END])[0]
    for n, s in enumerate(sents):
        ids = vocab.encode(s)
        xs[np.arange(len(ids)), n, ids] = 1.0
        targets[: len(ids), n] = np.append(ids[1:], end)
        mask[: len(ids), n] = 1.0
    return LMData(xs=xs, targets=targets, mask=mask)


def top_next_words(model, params, readout, vocab: Vocab, phrase: str, k: int = 5) -> list[tuple[str, float]]:
    """The ``k`` most probable next words after ``phrase`` with their probabilities, most probable first."""
    from lib.seqtrain import (
        predict_proba,  # local: lib.text must not depend on the trainers to be imported
    )

    check_positive("k", k, integer=True)
    ids = vocab.encode(tokenize(phrase))
    if ids.size == 0:
        raise ValueError("phrase: ожидалось хотя бы одно слово, получена пустая фраза")
    probs = predict_proba(model, params, readout, vocab.one_hot(ids))[-1]  # (V,)
    order = np.argsort(-probs, kind="stable")[:k]
    return [(vocab.words[i], float(probs[i])) for i in order]


def occurs_in(phrase: str, sents: Sequence[Sequence[str]]) -> bool:
    """True if the words of ``phrase`` appear, in this order and next to each other, in one of ``sents``."""
    words = tokenize(phrase)
    n = len(words)
    return any(list(s[i : i + n]) == words for s in sents for i in range(len(s) - n + 1))
