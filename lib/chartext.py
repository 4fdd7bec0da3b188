"""The text side of notebook 6's language model: the proverb corpus, its cleaning and split, the vocabulary,
and measures of a text (features of each position, the share of real words, how repetitive it is).

Corpus: ``load_proverbs()``, 6 173 Russian proverbs (PyPI package ru-proverbs 1.1.2, ``lib/datasets/README.md``);
``split_corpus`` keeps every tenth for the test and another tenth for validation. The model itself, its training,
sampling and evaluation are in ``lib.charlm``, which re-exports every name here.
"""

from __future__ import annotations

import gzip
import unicodedata
from pathlib import Path
from typing import NamedTuple

import numpy as np

__all__ = [
    "CORPUS_PATH",
    "clean_text",
    "load_proverbs",
    "Corpus",
    "split_corpus",
    "Vocab",
    "make_vocab",
    "words_of",
    "char_features",
    "real_word_share",
    "sample_stats",
    "distinct_word_share",
]

CORPUS_PATH = Path(__file__).resolve().parent / "datasets" / "ru_proverbs.txt.gz"
# ё is rare in the file (6 times); a few words are typed with Latin look-alikes (a, e, o, y) or stress marks.
_REPLACE = {"ё": "е", "\xad": "", "á": "а", "ó": "о", "ý": "у", "é": "е", "a": "а", "e": "е", "o": "о", "y": "у"}


def clean_text(text: str) -> str:
    """Lower-case, NFC, ``ё → е``, accents and soft hyphens removed: the alphabet the model writes in."""
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFD", str(text).lower()).replace("\u0301", ""))
    for a, b in _REPLACE.items():
        text = text.replace(a, b)
    return text


def load_proverbs() -> list[str]:
    """The proverbs shipped with the course, cleaned (``clean_text``), without repeats, in file order."""
    raw = gzip.decompress(CORPUS_PATH.read_bytes()).decode("utf-8")
    seen, out = set(), []
    for line in raw.splitlines():
        line = " ".join(clean_text(line).split())
        if line and line not in seen:
            seen.add(line)
            out.append(line)
    return out


class Corpus(NamedTuple):
    """Three texts of whole proverbs, one a line (each ends with ``\\n``): train 80 %, validation 10 %, test 10 %."""

    train: str
    val: str
    test: str


def split_corpus(lines: list[str] | None = None) -> Corpus:
    """Proverb ``k`` goes to the test if ``k % 10 == 0``, to validation if ``k % 10 == 5``, else to training
    (the file is grouped by topic, so every topic is in every part)."""
    lines = load_proverbs() if lines is None else list(lines)
    parts = {"train": [], "val": [], "test": []}
    for k, line in enumerate(lines):
        parts["test" if k % 10 == 0 else "val" if k % 10 == 5 else "train"].append(line)
    return Corpus(**{name: "".join(s + "\n" for s in v) for name, v in parts.items()})


class Vocab(NamedTuple):
    """The characters the model knows, in a fixed order: ``chars[k]`` is class ``k``."""

    chars: tuple[str, ...]

    size = property(lambda self: len(self.chars))

    def encode(self, text: str) -> np.ndarray:
        """Text → ``(len,)`` ids; a character outside the vocabulary is a ``ValueError`` naming it."""
        index = {c: k for k, c in enumerate(self.chars)}
        bad = sorted({c for c in text if c not in index})
        if bad:
            raise ValueError(f"text: символов {bad!r} нет в словаре модели; уберите их или вызовите clean_text")
        return np.array([index[c] for c in text], dtype=np.intp)

    def decode(self, ids) -> str:
        return "".join(self.chars[int(k)] for k in np.asarray(ids).ravel())


def make_vocab(text: str) -> Vocab:
    """All distinct characters of ``text``, sorted (``\\n`` and the space come first)."""
    return Vocab(tuple(sorted(set(text))))


def words_of(text: str) -> list[str]:
    """The words of ``text``: its runs of letters, in order."""
    return "".join(ch if ch.isalpha() else " " for ch in text).split()


def char_features(text: str) -> dict:
    """Features of every position of ``text`` (after reading that character), each ``(len(text),)`` of 0/1 or
    counts: is it a letter (inside a word), a space, how far into the line, after a dash or a comma of the line."""
    text = clean_text(text)
    letter, space, pos, dash, comma = (np.zeros(len(text)) for _ in range(5))
    k = d = c = 0
    for t, ch in enumerate(text):
        k, d, c = (0, 0, 0) if ch == "\n" else (k + 1, d or ch == "—", c or ch == ",")
        letter[t], space[t], pos[t], dash[t], comma[t] = ch.isalpha(), ch == " ", k, d, c
    return {
        "буква (внутри слова)": letter,
        "пробел": space,
        "номер символа в строке": pos,
        "после тире «—» в строке": dash,
        "после запятой в строке": comma,
    }


def real_word_share(sample: str, words: set) -> float:
    """The share of the words of ``sample`` (runs of letters) that occur in ``words``."""
    ws = words_of(sample)
    return float(np.mean([w in words for w in ws])) if ws else 0.0


def sample_stats(sample: str, words: set) -> tuple[float, float, float]:
    """Three marks of a written text: the share of its finished lines that end with a full stop, the share
    of its words found in ``words``, and the same share among its words of five letters or more."""
    lines = sample.split("\n")[:-1]
    dots = float(np.mean([ln.endswith(".") for ln in lines])) if lines else 0.0
    ws = words_of(sample)
    longer = [w for w in ws if len(w) >= 5]
    share = float(np.mean([w in words for w in longer])) if longer else 0.0
    return dots, real_word_share(sample, words), share


def distinct_word_share(text: str) -> tuple[int, int]:
    """``(distinct words, words)`` of a text (words = runs of letters): how repetitive it is."""
    words = words_of(text)
    return len(set(words)), len(words)
