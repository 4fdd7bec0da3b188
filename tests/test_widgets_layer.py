"""Widgets of notebook 2: their plain functions, and that every control changes the output."""

import io

import matplotlib

matplotlib.use("Agg")

import ipywidgets as W  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from lib import layer as L  # noqa: E402
from lib.digits import digits_split  # noqa: E402
from lib.widgets import layer as WL  # noqa: E402
from lib.widgets import render  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def digits_layer():
    Xtr, Xte, ytr, yte = digits_split(seed=0)
    p, _ = L.train_perceptron(Xtr, ytr, epochs=10, seed=0)
    return p, Xte, yte


# --- notebook 2: one digit and its ten sums ----------------------------------------------------------------


def test_mistake_indices(digits_layer):
    p, X, y = digits_layer
    wrong = L.mistake_indices(p, X, y)
    assert len(wrong) == round((1 - L.accuracy(p, X, y)) * len(X))
    assert np.all(L.predict(p, X[wrong]) != y[wrong])


def test_digit_view_all_and_mistakes(digits_layer):
    p, X, y = digits_layer
    v = L.digit_view(p, X, y, 7)
    assert v.index == 7 and v.image.shape == (8, 8) and v.sums.shape == (10,)
    assert v.winner == int(np.argmax(v.sums)) == L.predict(p, X[7]) and v.true == y[7]
    assert v.n_choices == len(X)
    wrong = L.mistake_indices(p, X, y)
    m = L.digit_view(p, X, y, 2, only_mistakes=True)
    assert m.index == wrong[2] and not m.correct and m.n_choices == len(wrong)


def test_digit_view_bad_position(digits_layer):
    p, X, y = digits_layer
    with pytest.raises(ValueError, match="position: ожидался номер от 0 до 449"):
        L.digit_view(p, X, y, 450)
    with pytest.raises(ValueError, match="ошибок нет"):
        perfect = L.LayerParams(W=np.zeros((10, 64)), b=np.eye(10)[0])
        L.digit_view(perfect, X[y == 0], y[y == 0], 0, only_mistakes=True)


def test_draw_digit_view_marks_winner_and_truth(digits_layer):
    p, X, y = digits_layer
    v = L.digit_view(p, X, y, 0, only_mistakes=True)
    fig = WL.draw_digit_view(v)
    ax_bar = fig.axes[1]
    bars = ax_bar.patches
    assert len(bars) == 10
    assert bars[v.true].get_linewidth() == WL.TRUE_LINE > bars[(v.true + 1) % 10].get_linewidth()
    assert bars[v.winner].get_facecolor() != bars[(v.winner + 1) % 10].get_facecolor() or v.winner == v.true
    assert "ошибка" in ax_bar.get_title() and any(t.get_text() == "★" for t in ax_bar.texts)


def _walk(w):
    yield w
    for c in getattr(w, "children", ()):
        yield from _walk(c)


def test_digit_explorer_controls_change_the_output(digits_layer, monkeypatch):
    p, X, y = digits_layer
    drawn = []
    real = WL.DigitPicture.show
    monkeypatch.setattr(WL.DigitPicture, "show", lambda self, v: (drawn.append(v.index), real(self, v))[1])
    box = WL.digit_explorer(p, X, y)
    pos = [c for c in _walk(box) if isinstance(c, W.IntSlider)][0]
    toggle = [c for c in _walk(box) if isinstance(c, W.ToggleButton)][0]
    info = [c for c in _walk(box) if isinstance(c, W.HTML) and c.layout.display != "none"][0]  # not the stylesheet
    image = [c for c in _walk(box) if isinstance(c, W.Image)][0]
    before, png = info.value, bytes(image.value)
    assert png.startswith(b"\x89PNG")
    pos.value = 5
    assert info.value != before and bytes(image.value) != png
    toggle.value = True
    n_wrong = len(L.mistake_indices(p, X, y))
    assert (pos.min, pos.max, pos.value) == (1, n_wrong, 1)  # mistakes counted from 1, as the text says
    assert "ошибка 1 из" in info.value and pos.description == "ошибка №"
    pos.value = 4
    assert f"ошибка 4 из {n_wrong}" in info.value
    wrong = L.mistake_indices(p, X, y)
    assert drawn == [0, 0, 5, wrong[0], wrong[3]]  # built on image 0, then one frame per change
    n_drawn = len(drawn)
    pos.value = n_wrong
    assert f"ошибка {n_wrong} из {n_wrong}" in info.value and drawn[-1] == wrong[-1]  # the last one reachable
    n_drawn = len(drawn)
    toggle.value = False
    assert (pos.min, pos.max, pos.value) == (0, len(X) - 1, 0) and pos.description == "картинка №"
    pos.value = 5
    assert len(drawn) == n_drawn and bytes(image.value) != png  # frames seen before come from the cache


def test_agg_figure_png_and_tight_box():
    fig = render.agg_figure((4, 3), dpi=50)
    assert not plt.get_fignums() and fig.canvas.get_width_height() == (200, 150)
    ax = fig.add_axes((0.3, 0.3, 0.4, 0.4))
    ax.plot([0, 1], [0, 1])
    left, top, right, bottom = render.tight_box(fig)
    assert 0 < left < 0.3 * 200 and 0.7 * 200 < right <= 200 and 0 <= top < bottom <= 150
    png = render.png_bytes(fig, (left, top, right, bottom))
    assert Image.open(io.BytesIO(png)).size == (right - left, bottom - top)


def test_png_of_rgb_is_a_png_of_those_pixels():
    rgb = np.random.default_rng(0).integers(0, 256, (7, 5, 3), dtype=np.uint8)
    back = Image.open(io.BytesIO(render.png_of_rgb(rgb)))
    assert back.mode == "RGB" and back.size == (5, 7)
    np.testing.assert_array_equal(np.asarray(back), rgb)
    with pytest.raises(ValueError, match="rgb: ожидался массив"):
        render.png_of_rgb(rgb.astype(float))


def test_digit_explorer_sizes_are_relative(digits_layer):
    """Projector: no fixed pixel widths, so the controls and the picture scale with zoom and Presentation Mode."""
    p, X, y = digits_layer
    box = WL.digit_explorer(p, X, y)
    for w in _walk(box):
        layout = getattr(w, "layout", None)
        for key in ("width", "max_width", "height"):
            value = getattr(layout, key, None) if layout is not None else None
            assert not (value and value.endswith("px")), f"{type(w).__name__}.{key} = {value}"
        style = getattr(w, "style", None)
        width = getattr(style, "description_width", "") if style is not None else ""
        assert not width.endswith("px"), f"{type(w).__name__}: description_width = {width}"
    image = next(c for c in _walk(box) if isinstance(c, W.Image))
    assert image.layout.width.endswith("em") and image.layout.max_width == "100%" and image.layout.height == "auto"
    assert (
        "nn-course" in box._dom_classes
    )  # the course's panel: its stylesheet makes the text grow with Presentation Mode


def test_digit_explorer_picture_drawn_at_its_shown_size(digits_layer):
    """Projector: the PNG is as many pixels wide as it is shown (its width in em × 14 px), it fits the 673 px of
    output at 1280×720 and 150 %, and with a row of controls and a line of text the explorer fits the 359 px shown
    at once; its smallest text is at least ``MIN_TEXT_PX`` as shown."""
    from matplotlib.text import Text

    from lib.plots import MIN_TEXT_PX
    from lib.widgets import BASE_PX

    p, X, y = digits_layer
    box = WL.digit_explorer(p, X, y)
    image = next(c for c in _walk(box) if isinstance(c, W.Image))
    width, height = Image.open(io.BytesIO(bytes(image.value))).size
    assert abs(float(image.layout.width[:-2]) * BASE_PX - width) < 1
    assert width <= 660 and height + 100 <= 359, (width, height)
    fig = WL.draw_digit_view(L.digit_view(p, X, y, 0))
    sizes = [t.get_fontsize() * fig.dpi / 72 for t in fig.findobj(Text) if t.get_text().strip()]
    assert min(sizes) >= MIN_TEXT_PX, min(sizes)
