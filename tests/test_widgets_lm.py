"""lib.widgets.lm: the HTML pictures, and each widget's controls change its output; the writer is fast."""

import time

import pytest

from lib import attention, charlm
from lib.widgets import lm as lw


@pytest.fixture(scope="module")
def lm():
    c = charlm.split_corpus()
    v = charlm.make_vocab(c.train + c.val + c.test)
    return charlm.init_lm("lstm", v, 64, seed=0)


@pytest.fixture(scope="module")
def head():
    return attention.train_attention(steps=60, seed=0)


def test_writer_text_is_reproducible_and_html_shows_both_parts(lm):
    a = lw.writer_text(lm, "Кто рано", 0.7, seed=5)
    assert len(a) == 200 and a == lw.writer_text(lm, "кто рано", 0.7, seed=5)
    h = lw.writer_html("Кто <рано>", "да\nнет")
    assert "кто &lt;рано&gt;" in h and "да<br>нет" in h


def test_writer_is_fast_enough(lm):
    lw.writer_text(lm, "кто", 1.0, seed=0)
    t0 = time.perf_counter()
    lw.writer_text(lm, "кто рано встает, ", 1.0, seed=1, n=200)
    assert time.perf_counter() - t0 < 0.3 * 3  # goal 0.3 s; slack for a busy test machine


def test_activation_html():
    h = lw.activation_html("а б\n", [-1.0, 0.0, 1.0, 0.5])
    assert h.count("title=") == 4
    assert "↵<br>" in h and "&nbsp;" in h
    with pytest.raises(ValueError, match="values"):
        lw.activation_html("аб", [0.0])
    assert lw.unit_label(3, {"пробел": (3, 0.61), "буква": (2, -0.5)}) == "единица 3: пробел (r = 0,61)"
    assert lw.unit_label(5, {"пробел": (3, 0.61)}) == "единица 5"


def test_attention_html_and_gap_sentence():
    s = lw.gap_sentence("ваза", 7)
    assert s.gap == 7 and s.words[0] == "ваза" and s.words[-1] == "стоять"
    h = lw.attention_html(["ваза", "вчера"], [0.9, 0.1], "стояла")
    assert "0,90" in h and "стояла" in h


def test_widgets_respond(lm, head):
    w = lw.writer_widget(lm, seed=0)
    text, temp, seed_box, out = w.text, w.temperature, w.seed, w.output
    before = out.value
    temp.value = 1.5
    assert out.value != before
    before = out.value
    seed_box.value = 7
    assert out.value != before
    before = out.value
    text.value = "не плюй в колодец"
    assert out.value != before and max(w.timings) < 1.0

    found = {"пробел": (1, 0.6)}
    a = lw.activation_widget(lm, "кто рано встает\n", found)
    pick, out = a.pick, a.output
    assert pick.value == 1
    before = out.value
    pick.value = 2
    assert out.value != before

    at = lw.attention_widget(head, noun="лампа", gap=5)
    pick, gap, out = at.noun, at.gap, at.output
    before = out.value
    gap.value = 30
    assert out.value != before and out.value.count("<small>") == 32
    before = out.value
    pick.value = "стол"
    assert out.value != before and "стоял<" in out.value


def test_widgets_in_the_course_style(lm, head):
    """Each explorer is a ``panel`` (text grows with Presentation Mode) and no size is in fixed pixels."""
    widgets = [
        lw.writer_widget(lm, seed=0),
        lw.activation_widget(lm, "кто рано\n", {"пробел": (1, 0.6)}),
        lw.attention_widget(head, noun="лампа", gap=5),
    ]

    def walk(w):
        yield w
        for c in getattr(w, "children", ()):
            yield from walk(c)

    for w in widgets:
        assert "nn-course" in w._dom_classes
        for part in walk(w):
            sizes = [getattr(part.layout, k) for k in ("width", "max_width", "height")]
            sizes += [getattr(getattr(part, "style", None), "description_width", None)]
            assert not any(s and s.endswith("px") for s in sizes), (type(part).__name__, sizes)
