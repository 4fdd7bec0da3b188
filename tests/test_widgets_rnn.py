"""lib.widgets.rnn: the plain functions behind the two widgets of notebook 4, and that every slider redraws."""

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from lib.widgets.render import FrameRenderer, agg_figure, png_bytes
from lib.widgets.rnn import (
    GRADIENT_FIGSIZE,
    SHOWN_DPI,
    UNROLL_FIGSIZE,
    Y_RANGE,
    UnrollingPicture,
    _update_gradient_curve,
    draw_gradient_curve,
    draw_unrolling,
    gradient_curve,
    gradient_widget,
    regime,
    sci,
    unroll_frame,
    unrolling_widget,
)

WORDS = ["облака", "плывут", "по", "небу"]


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_unroll_frame_hides_the_future():
    hs = np.arange(12.0).reshape(4, 3) / 12
    f = unroll_frame(hs, 2)
    assert f.shape == (3, 4)
    np.testing.assert_array_equal(f[:, :2], hs[:2].T)
    assert np.isnan(f[:, 2:]).all()
    assert not np.isnan(unroll_frame(hs, 4)).any()
    for bad in (0, 5, 1.5, True):
        with pytest.raises(ValueError, match="current: ожидался номер шага от 1 до 4"):
            unroll_frame(hs, bad)


def test_draw_unrolling_titles_the_words_read_so_far():
    hs = np.tanh(np.random.default_rng(0).standard_normal((4, 8)))
    fig = draw_unrolling(plt.figure(), WORDS, hs, 3, ["плывут", "по", "небу", "."])
    chain, heat = fig.axes[:2]
    assert "Шаг 3 из 4" in chain.get_title() and "«облака плывут по»" in chain.get_title()
    texts = [t.get_text() for t in chain.texts]
    assert "небу" in texts and any("→ по" in t for t in texts)
    assert np.isnan(heat.images[0].get_array().filled(np.nan)[:, 3]).all()
    with pytest.raises(ValueError, match="words: ожидалось 4 слов"):
        draw_unrolling(plt.figure(), WORDS[:3], hs, 1)
    with pytest.raises(ValueError, match="predictions: ожидалось 4 слов"):
        draw_unrolling(plt.figure(), WORDS, hs, 1, ["по"])


def test_unrolling_picture_moves_the_highlight_in_place():
    hs = np.tanh(np.random.default_rng(0).standard_normal((4, 8)))
    picture = UnrollingPicture(agg_figure((11, 6.3), dpi=40), WORDS, hs, ["плывут", "по", "небу", "."])
    n_artists = len(list(picture.fig.findobj()))
    picture.show(4)
    picture.show(2)
    assert len(list(picture.fig.findobj())) == n_artists  # nothing added: updated in place
    assert "Шаг 2 из 4" in picture.title.get_text() and "«облака плывут»" in picture.title.get_text()
    assert picture.labels[1].get_text().endswith("→ по") and "→" not in picture.labels[2].get_text()
    assert picture.inputs[1].get_weight() == "bold" and picture.inputs[3].get_weight() == "normal"
    assert np.isnan(picture.heat.get_array().filled(np.nan)[:, 2:]).all()
    assert picture.boxes[1].get_linewidth() > picture.boxes[0].get_linewidth()


def test_gradient_curve_shapes_and_regimes():
    k, n = gradient_curve(1.0, 30)
    assert k.tolist() == list(range(30)) and n.shape == (30,) and n[0] == pytest.approx(1.0)
    assert regime(gradient_curve(0.5, 60)[1]) == "затухает"
    assert regime(gradient_curve(3.0, 60)[1]) == "взрывается"
    assert regime(np.array([1.0, 2.0])) == "держится"
    # same seed: the curve for a shorter T is computed on the same first inputs
    np.testing.assert_array_equal(gradient_curve(1.0, 10)[1], gradient_curve(1.0, 10)[1])
    with pytest.raises(ValueError, match="scale"):
        gradient_curve(0.0, 10)
    with pytest.raises(TypeError, match="T: ожидалось целое"):
        gradient_curve(1.0, 10.0)


def test_draw_gradient_curve_keeps_fixed_limits_and_clips():
    _fig, ax = plt.subplots()
    k, n = gradient_curve(4.0, 150)
    draw_gradient_curve(ax, k, n, 4.0)
    assert ax.get_ylim() == pytest.approx(Y_RANGE)
    assert ax.get_yscale() == "log"
    assert ax.lines[0].get_ydata().max() <= Y_RANGE[1]
    assert "взрывается" in ax.get_title()
    assert ax.get_xlim() == (0, 149)
    _fig, ax = plt.subplots()
    draw_gradient_curve(ax, k, n, 4.0, x_max=200)
    assert ax.get_xlim() == (0, 200)


def test_sci():
    assert sci(2.8e11) == r"$2.8 \cdot 10^{11}$"
    assert sci(9.96e-6) == r"$1.0 \cdot 10^{-5}$"
    assert sci(0.5) == "0.5" and sci(123.4) == "123"


@pytest.mark.slow
def test_every_slider_changes_the_picture():
    """What the browser test checks in JupyterLab: each slider, moved, changes its cell's output."""
    hs = np.tanh(np.random.default_rng(0).standard_normal((4, 8)))
    box = unrolling_widget(WORDS, hs)
    _, step, image = box.children  # the first child is the course's stylesheet
    before = image.value
    assert bytes(before).startswith(b"\x89PNG")
    step.value = 3
    assert bytes(image.value) != bytes(before)

    for current in (2, 1):  # every step was rendered ahead: a move swaps PNGs
        step.value = current
    assert bytes(image.value) == bytes(before)

    box = gradient_widget()
    _, sliders, image = box.children
    s_scale, s_T = sliders.children  # side by side in one row
    first = bytes(image.value)
    for s, new in ((s_scale, 2.5), (s_T, 100)):
        before = image.value
        s.value = new
        assert bytes(image.value) != bytes(before), s.description
    s_scale.value, s_T.value = 1.0, 60
    assert bytes(image.value) == first  # back to the start: the same picture
    assert not plt.get_fignums()  # every redraw closes its figure


@pytest.mark.slow
def test_pictures_are_sized_in_em_and_fit_a_projector_screen():
    """At 1280×720, zoom 150 % a widget's output is ~670 × 359 CSS px: each picture is shown in em (it grows with
    Presentation Mode) at its own pixel size, no wider than the output, and with its one row of sliders
    (~32 px) under 359 px at the prose's 14 px; every text of the figure is at least MIN_TEXT_PX as shown."""
    from matplotlib.text import Text

    from lib.plots import MIN_TEXT_PX
    from lib.widgets import BASE_PX

    hs = np.tanh(np.random.default_rng(0).standard_normal((6, 32)))
    words = ["белые", "облака", "медленно", "плывут", "по", "небу"]
    for box in (unrolling_widget(words, hs, words[1:] + ["."]), gradient_widget()):
        image = box.children[-1]
        assert image.layout.width.endswith("em") and image.layout.max_width == "100%"
        width = float(image.layout.width[:-2]) * BASE_PX
        w, h = Image.open(io.BytesIO(bytes(image.value))).size
        assert width == pytest.approx(w, abs=1)  # drawn at the size it is shown: no scaling of its text
        assert width <= 660 and h + 2.6 * BASE_PX <= 359
        assert len(box.children) == 3  # the stylesheet, one row of controls, the picture

    fig = agg_figure(UNROLL_FIGSIZE, dpi=SHOWN_DPI)
    UnrollingPicture(fig, words, hs, words[1:] + ["."]).show(6)
    grad = agg_figure(GRADIENT_FIGSIZE, dpi=SHOWN_DPI)
    draw_gradient_curve(grad.subplots(), *gradient_curve(3.0, 200), 3.0)
    for f in (fig, grad):
        f.canvas.draw()
        hidden = {id(t) for ax in f.axes if not ax.axison for t in ax.get_xticklabels() + ax.get_yticklabels()}
        texts = [t for t in f.findobj(Text) if t.get_text().strip() and t.get_visible() and id(t) not in hidden]
        sizes = [t.get_fontsize() * f.dpi / 72 for t in texts]
        assert min(sizes) >= MIN_TEXT_PX


def test_notebook_claims_about_the_gradient_norms():
    """Notebook 4 (grad_T = 100, H = 32, seed 0): 0.5 and 1 vanish by orders of magnitude, 3 explodes,
    2 stays within a couple of orders of magnitude of 1."""
    norms = {s: gradient_curve(s, 100, hidden_size=32, seed=0)[1] for s in (0.5, 1.0, 2.0, 3.0)}
    assert regime(norms[0.5]) == regime(norms[1.0]) == "затухает"
    assert norms[0.5][99] < 1e-12 and norms[1.0][99] < 1e-12
    assert regime(norms[3.0]) == "взрывается" and norms[3.0][99] > 1e6
    assert regime(norms[2.0]) == "держится" and np.all((norms[2.0] > 0.1) & (norms[2.0] < 100))


def test_gradient_frames_redraw_the_curve_and_its_title():
    """The widget redraws only the curve and the title over a still background: same pixels as a full draw."""
    fig = agg_figure((9, 5), dpi=90)
    ax = fig.subplots()
    draw_gradient_curve(ax, *gradient_curve(1.0, 60), 1.0, x_max=200)
    fig.tight_layout()
    frames = FrameRenderer(fig, [ax.lines[0], ax.title])
    frames.png()
    _update_gradient_curve(ax, *gradient_curve(3.0, 150), 3.0, x_max=200)
    fast = np.asarray(Image.open(io.BytesIO(frames.png())), dtype=int)
    full = np.asarray(Image.open(io.BytesIO(png_bytes(fig))), dtype=int)
    assert "взрывается" in ax.get_title()
    assert (np.abs(fast - full).max(axis=2) > 0).mean() < 1e-4  # a tick mark under the curve may differ
