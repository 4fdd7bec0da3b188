"""Tests of lib.gender: the corpus is correct Russian agreement, encoding, parsing, and a model that learns."""

import numpy as np
import pytest

from lib import gender
from lib.gender import CLASSES, NOUNS, VERBS, VOCAB


def test_vocabulary_is_consistent():
    assert len(set(VOCAB)) == len(VOCAB)
    assert not set(gender.FILLERS) & set(gender.PLACES)
    for c in CLASSES:
        assert len(NOUNS[c]) == 5
    for forms in VERBS.values():
        assert len(forms) == 4 and forms[1].endswith("а") and forms[2].endswith("о") and forms[3].endswith("и")


def test_agreement_table():
    assert gender.verb_form("стоять", CLASSES.index("м")) == "стоял"
    assert gender.verb_form("стоять", CLASSES.index("ж")) == "стояла"
    assert gender.verb_form("стоять", CLASSES.index("ср")) == "стояло"
    assert gender.verb_form("стоять", CLASSES.index("мн")) == "стояли"
    with pytest.raises(ValueError, match="lemma"):
        gender.verb_form("бежать", 0)


def test_sentences_have_the_requested_gap_and_the_subject_class():
    rng = np.random.default_rng(0)
    for gap in (0, 3, 12):
        for distractor in (False, True):
            s = gender.make_sentence(rng, gap, distractor=distractor)
            assert s.gap == gap and s.words[-1] in VERBS
            subject = s.words[-2 - gap]
            assert subject in NOUNS[CLASSES[s.label]]
            assert all(w in gender.FILLERS for w in s.words[-1 - gap : -1])
            if distractor:
                assert s.words[2:4] == gender.CONNECTOR and s.distractor != s.label
                assert s.words[0] in NOUNS[CLASSES[s.distractor]]
            else:
                assert s.distractor is None and len(s.words) == gap + 2


def test_text_has_the_agreeing_verb_form():
    s = gender.Sentence(words=("шкаф", "там", ",", "а", "ваза", "вчера", "упасть"), label=1, gap=1, distractor=0)
    assert s.text == "шкаф там, а ваза вчера упала"


def test_encode_pads_after_the_end_and_marks_each_last_word():
    """Every sentence starts at t = 1 from the zero state, so it is read in a batch exactly as alone."""
    rng = np.random.default_rng(1)
    sents = [gender.make_sentence(rng, 0), gender.make_sentence(rng, 4)]
    d = gender.encode(sents)
    assert d.xs.shape == (6, 2, len(VOCAB))
    assert np.all(d.xs[2:, 0] == 0) and np.all(d.xs[:2, 0].sum(axis=-1) == 1)
    assert np.all(d.xs[:, 1].sum(axis=-1) == 1)
    assert np.array_equal(d.last, [1, 5])
    assert d.mask[1, 0] == 1 and d.mask[5, 1] == 1 and d.mask.sum() == 2
    assert np.array_equal(d.targets[d.last, [0, 1]], d.labels)
    with pytest.raises(ValueError, match="sentences"):
        gender.encode([])


def test_corpus_is_seeded_and_respects_gaps():
    a = gender.make_corpus(50, 7, seed=3)
    b = gender.make_corpus(50, 7, seed=3)
    assert np.array_equal(a.xs, b.xs)
    assert a.gaps.min() >= 0 and a.gaps.max() <= 7
    c = gender.make_corpus(20, 5, min_gap=5, distractor_rate=0.0)
    assert np.all(c.gaps == 5) and all(s.distractor is None for s in c.sentences)
    with pytest.raises(ValueError, match="min_gap"):
        gender.make_corpus(10, 3, min_gap=4)
    with pytest.raises(ValueError, match="distractor_rate"):
        gender.make_corpus(10, 3, distractor_rate=1.5)


def test_parse_sentence():
    s = gender.parse_sentence("Шкаф там, а ваза вчера упала")
    assert s.words == ("шкаф", "там", ",", "а", "ваза", "вчера", "упасть")
    assert s.label == CLASSES.index("ж") and s.gap == 1 and s.distractor == CLASSES.index("м")
    assert gender.parse_sentence("окно тихо").words[-1] == "стоять"
    assert gender.parse_sentence("тихо вчера").label == -1
    with pytest.raises(ValueError, match="«кот» не из словаря"):
        gender.parse_sentence("кот вчера спал")
    with pytest.raises(ValueError, match="пустая строка"):
        gender.parse_sentence("   ")
    with pytest.raises(TypeError, match="text"):
        gender.parse_sentence(5)


def test_examples_parse():
    for text in gender.EXAMPLES:
        assert gender.parse_sentence(text).label >= 0


@pytest.fixture(scope="module")
def trained():
    """The notebook's live run (parameters of notebooks/05_lstm: seed 0, gaps 0 … 20)."""
    lstm = gender.train_gender("lstm", max_gap=20, hidden_size=4, lr=0.03, steps=300, seed=0)
    rnn = gender.train_gender("rnn", max_gap=20, hidden_size=16, lr=0.01, steps=600, seed=0)
    return lstm, rnn


# The notebook's claims about the trained models, for seeds 0–4: tests/test_claims_lstm.py.


@pytest.mark.slow
def test_sentence_trace_and_units(trained):
    lstm, rnn = trained
    trace, probs = gender.sentence_trace(lstm, "шкаф там , а ваза вчера упала")
    assert trace.f.shape == (7, 4) and probs.shape == (4,) and np.isclose(probs.sum(), 1)
    score = gender.gender_units(lstm)
    assert score.shape == (4,) and np.all((score >= 0) & (score <= 1 + 1e-9))
    _, p_rnn = gender.sentence_trace(rnn, "лампа стояла")
    assert p_rnn.shape == (4,)
    with pytest.raises(ValueError, match="LSTM"):
        gender.gate_means_by_word_kind(rnn)


def test_word_kind():
    assert [gender.word_kind(w) for w in ("ваза", "тихо", "там", ",", "упасть")] == list(gender.WORD_KINDS)
    with pytest.raises(ValueError, match="word"):
        gender.word_kind("кот")


def test_train_gender_validates():
    with pytest.raises(ValueError, match="model"):
        gender.train_gender("gru")
    with pytest.raises(ValueError, match="forget_bias"):
        gender.train_gender("rnn", forget_bias=2.0, steps=1)


def test_make_sentence_validates():
    rng = np.random.default_rng(0)
    assert gender.make_sentence(rng, 2, label=3).label == 3
    with pytest.raises(ValueError, match="gap"):
        gender.make_sentence(rng, -1)
    with pytest.raises(ValueError, match="label"):
        gender.make_sentence(rng, 1, label=7)


def test_parse_forgives_punctuation_case_and_yo():
    assert gender.parse_sentence("Лампа стояла.").words == ("лампа", "стоять")
    s = gender.parse_sentence("Шкаф там, а ваза еще днем упала!")
    assert s.words == ("шкаф", "там", ",", "а", "ваза", "ещё", "днём", "упасть") and s.label == 1
    assert s.distractor == 0 and s.gap == 2
