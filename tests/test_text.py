"""lib.text: the course's Russian text, its vocabulary, the next-word data set, and notebook 4's claim about it."""

import numpy as np
import pytest

from lib.seqtrain import train_classifier
from lib.text import (
    END,
    HELD_OUT,
    TEXT,
    Vocab,
    build_vocab,
    lm_dataset,
    occurs_in,
    sentences,
    tokenize,
    top_next_words,
)


def test_tokenize_lowercases_and_drops_punctuation():
    assert tokenize("Облака плывут по небу…") == ["облака", "плывут", "по", "небу"]
    assert tokenize("Я бегло говорю по-французски!") == ["я", "бегло", "говорю", "по-французски"]
    with pytest.raises(TypeError, match="phrase: ожидалась строка"):
        tokenize(3)


def test_text_has_the_lecture_sentence_and_a_few_dozen_sentences():
    sents = sentences()
    assert ["облака", "плывут", "по", "небу"] in sents
    assert 30 <= len(sents) <= 80
    assert all(1 <= len(s) <= 10 for s in sents)
    assert "облака плывут по небу" in TEXT.lower()


def test_vocab_round_trip_and_errors():
    vocab = build_vocab(sentences())
    assert vocab.words[0] == "облака" and vocab.words[-1] == END
    ids = vocab.encode(["облака", "плывут", "по", "небу"])
    assert vocab.decode(ids) == ["облака", "плывут", "по", "небу"]
    assert np.array_equal(vocab.encode("облака плывут"), ids[:2])
    oh = vocab.one_hot(ids)
    assert oh.shape == (4, len(vocab)) and np.array_equal(oh.argmax(1), ids)
    with pytest.raises(ValueError, match="words: слова 'франции' нет в словаре"):
        vocab.encode(["франции"])
    with pytest.raises(ValueError, match="ids: ожидались номера"):
        vocab.one_hot([len(vocab)])
    with pytest.raises(ValueError, match="повторы"):
        Vocab(["а", "а"])
    assert "небу" in vocab and "франции" not in vocab and "Vocab(" in repr(vocab)


def test_lm_dataset_pairs_each_word_with_the_next():
    sents = [["облака", "плывут", "по", "небу"], ["луна", "плывёт"]]
    vocab = build_vocab(sents)
    d = lm_dataset(sents, vocab)
    assert d.xs.shape == (4, 2, len(vocab)) and d.targets.shape == (4, 2) and d.mask.shape == (4, 2)
    assert vocab.decode(d.targets[:, 0]) == ["плывут", "по", "небу", END]
    assert vocab.decode(d.targets[:2, 1]) == ["плывёт", END]
    assert d.mask[:, 1].tolist() == [1, 1, 0, 0]
    assert np.all(d.xs[2:, 1] == 0)
    with pytest.raises(ValueError, match="sents: ожидалось хотя бы одно"):
        lm_dataset([], vocab)


def test_held_out_phrases_are_new_but_speak_the_texts_words():
    """The phrases notebook 4 tests generalisation on: no sentence of the text contains them (nor their
    last three words with the answer), and every word is in the vocabulary."""
    sents = sentences()
    vocab = build_vocab(sents)
    assert len(HELD_OUT) >= 6
    for phrase, word in HELD_OUT:
        assert not occurs_in(phrase, sents), phrase
        assert word in vocab and all(w in vocab for w in tokenize(phrase))
    assert occurs_in("облака плывут по", sents) and occurs_in("Облака плывут по небу", sents)
    assert not occurs_in("облака плывут по морю", sents)


@pytest.fixture(scope="module")
def trained():
    sents = sentences()
    vocab = build_vocab(sents)
    d = lm_dataset(sents, vocab)
    res = train_classifier(
        "rnn", d.xs, d.targets, d.mask, num_classes=len(vocab), hidden_size=8, lr=1e-2, steps=20, seed=0
    )
    return vocab, res


def test_top_next_words_is_sorted(trained):
    vocab, res = trained
    top = top_next_words("rnn", res.params, res.readout, vocab, "облака плывут по", k=3)
    assert len(top) == 3 and [p for _, p in top] == sorted((p for _, p in top), reverse=True)


def test_top_next_words_validates(trained):
    vocab, res = trained
    with pytest.raises(ValueError, match="phrase: ожидалось хотя бы одно слово"):
        top_next_words("rnn", res.params, res.readout, vocab, "…")
    with pytest.raises(ValueError, match="слова 'франции' нет"):
        top_next_words("rnn", res.params, res.readout, vocab, "облака франции")
