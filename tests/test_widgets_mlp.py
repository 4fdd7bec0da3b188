"""Widgets of notebook 3: their plain functions, and that every control changes the output."""

import io

import matplotlib

matplotlib.use("Agg")

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from lib.mlp import MLPParams, xor_hidden_view
from lib.widgets import mlp as WM
from lib.widgets import render


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _walk(w):
    yield w
    for c in getattr(w, "children", ()):
        yield from _walk(c)


@pytest.mark.slow
def test_frame_renderer_draws_what_a_full_draw_does():
    """Only the moving artists are redrawn over a still background: the frame must equal a full draw."""
    p = xor_hidden_view(**WM.XOR_BY_HAND).params
    fig = render.agg_figure((14.5, 4.9))
    picture = WM.XorSpacesPicture(fig, with_losses=True)
    picture.show(p, [0.7])
    frames = render.FrameRenderer(fig, picture.moving_artists())
    frames.png()
    for losses in ([0.7, 0.6, 0.5], [0.5] * 1500):  # the second one widens the loss axis (to 2000)
        picture.show(xor_hidden_view(3.0, 6.0, -2.0, -6.0, -4.5, 9.0).params, losses)
        fast = np.asarray(Image.open(io.BytesIO(frames.png())), dtype=int)
        full = np.asarray(Image.open(io.BytesIO(render.png_bytes(fig))), dtype=int)
        assert fast.shape == full.shape
        assert (np.abs(fast - full).max(axis=2) > 0).mean() < 1e-4  # (pixel-equal here; a tick may differ)


# --- notebook 3: XOR in the hidden space --------------------------------------------------------------------


def test_draw_xor_spaces_panels():
    fig = WM.draw_xor_spaces(xor_hidden_view(**WM.XOR_BY_HAND).params)
    assert len([a for a in fig.axes if a.get_title()]) == 2
    fig = WM.draw_xor_spaces(xor_hidden_view(**WM.XOR_BY_HAND).params, losses=[0.7, 0.6])
    assert len([a for a in fig.axes if a.get_title()]) == 3
    with pytest.raises(ValueError, match="нужна сеть 2 → 2 → 1"):
        WM.draw_xor_spaces(MLPParams(np.eye(3, 2), np.zeros(3), np.ones((1, 3)), np.zeros(1)))


def test_xor_spaces_picture_updates_in_place():
    picture = WM.XorSpacesPicture(render.agg_figure((10.4, 4.9), dpi=40))
    artists = list(picture.fig.findobj())
    picture.show(xor_hidden_view(**WM.XOR_BY_HAND).params)
    before = picture.in_regions.get_array().copy(), picture.h_points[0].get_offsets().copy()
    picture.show(xor_hidden_view(6.0, 6.0, -3.0, 6.0, 6.0, -3.0).params)
    assert not np.array_equal(before[0], picture.in_regions.get_array())
    assert not np.array_equal(before[1], picture.h_points[0].get_offsets())
    # the OR unit twice: (0,1) and (1,0) land on one spot, under one label; the fourth label is hidden
    assert sorted(t.get_text() for t in picture.h_labels if t.get_visible()) == ["(0, 0)", "(0, 1) и (1, 0)", "(1, 1)"]
    assert len(list(picture.fig.findobj())) == len(artists)  # nothing added: moved in place


@pytest.mark.slow
def test_xor_hidden_explorer_every_slider_changes_the_output(monkeypatch):
    drawn = []
    real = WM.XorSpacesPicture.show
    monkeypatch.setattr(
        WM.XorSpacesPicture, "show", lambda self, p, losses=None: (drawn.append(p), real(self, p, losses))[1]
    )
    box = WM.xor_hidden_explorer()
    sliders = [c for c in _walk(box) if isinstance(c, W.FloatSlider)]
    image = next(c for c in _walk(box) if isinstance(c, W.Image))
    assert len(sliders) == 6 and len(drawn) == 2  # laid out on the first network, then its frame
    for s in sliders:
        before, png = drawn[-1], bytes(image.value)
        s.value = s.value + s.step
        after = drawn[-1]
        assert after is not before and bytes(image.value) != png, s.description
        assert not all(np.array_equal(a, b) for a, b in zip(before, after)), s.description
    info = next(c for c in _walk(box) if isinstance(c, W.HTML) and "из 4" in c.value)
    button = next(c for c in _walk(box) if isinstance(c, W.Button))
    n_drawn = len(drawn)
    button.click()
    assert all(s.value == WM.XOR_BY_HAND[k] for s, k in zip(sliders, ["w11", "w12", "b1", "w21", "w22", "b2"]))
    assert "верно 4 из 4" in info.value
    assert len(drawn) == n_drawn  # the starting frame is cached


def test_xor_training_learns_and_resets():
    t = WM.XorTraining(seed=0)
    first = t.loss
    t.step(400)
    assert len(t.losses) == 400 and t.losses[0] == pytest.approx(first)
    assert t.loss < 0.1 and t.n_correct == 4
    assert np.all(np.diff(t.losses) <= 1e-12)  # the loss falls smoothly at this learning rate
    t.reset()
    assert t.losses == [] and t.loss == pytest.approx(first)
    t.reset(3)
    assert t.seed == 3 and t.loss != pytest.approx(first)
    with pytest.raises(TypeError, match="n"):
        t.step(1.5)


@pytest.mark.slow
def test_xor_training_widget_controls():
    box = WM.xor_training_widget(seed=0)
    buttons = {b.description: b for b in _walk(box) if isinstance(b, W.Button)}
    info = next(c for c in _walk(box) if isinstance(c, W.HTML) and "шаг" in c.value)
    start = next(c for c in _walk(box) if isinstance(c, W.IntSlider))
    assert "шаг 0" in info.value
    buttons["шаг"].click()
    assert "шаг 1" in info.value
    buttons["100 шагов"].click()
    assert "шаг 101" in info.value
    buttons["сначала"].click()
    assert "шаг 0" in info.value
    image = next(c for c in _walk(box) if isinstance(c, W.Image))
    before, png = info.value, bytes(image.value)
    start.value = 4
    assert info.value != before and "шаг 0" in info.value and bytes(image.value) != png
    start.value = 0
    assert bytes(image.value) == png  # (starting weights, steps) → the same frame


@pytest.mark.slow
def test_xor_widgets_use_relative_widths():
    """Projector (1280×720 at 150 %): no control has a fixed pixel width that could push it off the page."""
    for box in (WM.xor_hidden_explorer(), WM.xor_training_widget(seed=0)):
        for w in _walk(box):
            for key in ("width", "max_width", "min_width"):
                value = getattr(w.layout, key, None) or ""
                assert not value.endswith("px") or value == "0", (type(w).__name__, key, value)
            label = getattr(getattr(w, "style", None), "description_width", "")
            assert not label or label.endswith("em"), (type(w).__name__, label)


@pytest.mark.slow
def test_training_widget_says_it_works_before_computing(monkeypatch):
    box = WM.xor_training_widget(seed=0)
    buttons = [b for b in _walk(box) if isinstance(b, W.Button)]
    info = next(c for c in _walk(box) if isinstance(c, W.HTML) and "шаг" in c.value)
    seen = []
    real = WM.XorTraining.step
    monkeypatch.setattr(
        WM.XorTraining,
        "step",
        lambda self, n=1: (seen.append((info.value, [b.disabled for b in buttons])), real(self, n))[1],
    )
    next(b for b in buttons if b.description == "100 шагов").click()
    assert "считаю" in seen[0][0] and all(seen[0][1])
    assert "шаг 100" in info.value and not any(b.disabled for b in buttons)


def test_loss_axis_grows_only_in_doublings():
    """Between doublings a «100 шагов» frame redraws only the moving artists (no new background)."""
    picture = WM.XorSpacesPicture(render.agg_figure((11.6, 4.0), dpi=40), with_losses=True)
    p = xor_hidden_view(**WM.XOR_BY_HAND).params
    for n, limit in ((1, 1000), (900, 1000), (1000, 1000), (1100, 2000), (2100, 4000)):
        picture.show(p, [0.5] * n)
        assert picture.ax_loss.get_xlim()[1] == limit, n


@pytest.mark.slow
def test_xor_widget_pictures_are_drawn_at_the_size_they_are_shown(monkeypatch):
    """Projector (1280×720 at 150 %, ≈ 670 CSS px of output): each picture is shown at its own width (1 PNG px
    = 1 CSS px at the prose's 14 px), so its text, ≥ ``MIN_TEXT_PX`` as drawn, is that large as shown."""
    from matplotlib.text import Text

    from lib.plots import MIN_TEXT_PX
    from lib.widgets import em

    figures = []
    real = WM.agg_figure
    monkeypatch.setattr(WM, "agg_figure", lambda *a, **kw: figures.append(real(*a, **kw)) or figures[-1])
    for box, widest in ((WM.xor_hidden_explorer(), 450), (WM.xor_training_widget(seed=0), 670)):
        assert "nn-course" in box._dom_classes  # lib.widgets.panel: the course's em-based style
        image = next(c for c in _walk(box) if isinstance(c, W.Image))
        width = Image.open(io.BytesIO(bytes(image.value))).size[0]
        assert width <= widest and image.layout.width == em(width)
        fig = figures[-1]
        texts = [t for t in fig.findobj(Text) if t.get_text() and t.get_visible()]
        texts += [t for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels()]
        smallest = min(t.get_fontsize() * fig.dpi / 72 for t in texts)
        assert smallest >= MIN_TEXT_PX, smallest
