"""Tests of lib.diagrams: scenes build, SVG is valid and live, highlights differ, pictures are reproducible."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from lib import diagrams as d

REPO = Path(__file__).resolve().parents[1]
NAMES = [
    "perceptron_work",
    "more_output",
    "hidden_layer",
    "rnn",
    "one_layer",
    "lstm",
    "lstm1",
    "lstm2",
    "lstm3",
    "lstm4",
]
VALUES = dict(x_t=0.5, h_prev=-0.3, C_prev=0.8, f_t=0.73, i_t=0.6, C_tilde=-0.9, C_t=0.044, o_t=0.8, h_t=0.035)


def svg_text(svg: str) -> str:
    """All the text an SVG shows (tspans joined; halos left out), to look for numbers and labels in it."""
    root = ET.fromstring(svg)
    return " ".join(
        "".join(el.itertext())
        for el in root.iter("{http://www.w3.org/2000/svg}text")
        if el.get("aria-hidden") != "true"
    )


def test_pictures_are_the_lecture_names():
    assert list(d.PICTURES) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_every_picture_scene_builds_and_renders_to_valid_svg(name):
    scene = d.PICTURES[name]()
    assert isinstance(scene, d.Scene) and scene.items
    root = ET.fromstring(d.render_svg(scene, width=800))
    assert root.tag.endswith("svg") and root.get("width") == f"{800 / d.PX_PER_EM:.2f}em"


def test_svg_scales_with_the_text_around_it_and_fits_its_container():
    root = ET.fromstring(d.render_svg(d.lstm_cell_scene(VALUES), width=860))
    assert root.get("width").endswith("em") and root.get("height").endswith("em")
    assert "max-width:100%" in root.get("style")
    assert "px" not in d.render_svg(d.lstm_cell_scene(VALUES))  # text sizes in the picture's own units


def test_a_halo_is_drawn_under_its_label_not_over_the_letter_before_a_subscript():
    """«oₜ» read as «cₜ»: an outline on the label was painted per tspan, over the «o»."""
    root = ET.fromstring(d.render_svg(d.lstm_cell_scene(VALUES)))
    texts = list(root.iter("{http://www.w3.org/2000/svg}text"))
    shown = [t for t in texts if t.get("aria-hidden") != "true"]
    assert all(t.get("stroke") is None and t.get("paint-order") is None for t in shown)
    o_t = [k for k, t in enumerate(texts) if "".join(t.itertext()).startswith("o") and "0,80" in "".join(t.itertext())]
    assert len(o_t) == 2 and o_t[1] == o_t[0] + 1
    halo, label = texts[o_t[0]], texts[o_t[1]]
    assert halo.get("aria-hidden") == "true" and halo.get("stroke") == "white" and label.get("fill") != "white"


@pytest.mark.parametrize(
    "build",
    [
        lambda: d.lstm_cell_scene(VALUES),
        lambda: d.lstm_cell_scene(VALUES, highlight="update", panel=False),
    ],
)
def test_live_scenes_render(build):
    ET.fromstring(d.render_svg(build()))


def test_lstm_svg_shows_the_live_numbers():
    text = svg_text(d.render_svg(d.lstm_cell_scene(VALUES)))
    for number in ["0,73", "0,60", "−0,90", "0,04", "0,80", "0,50", "−0,30"]:
        assert number in text
    assert "0,58" in text  # f_t * C_{t-1} = 0.73 * 0.8
    assert "−0,54" in text  # i_t * C~_t = 0.6 * -0.9
    assert not re.search(r"\d\.\d", text)  # decimal commas only


def test_lstm_values_change_the_colours_of_the_gates():
    low = d.render_svg(d.lstm_cell_scene({**VALUES, "f_t": 0.05}))
    high = d.render_svg(d.lstm_cell_scene({**VALUES, "f_t": 0.95}))
    assert d.cmap_color(0.05, d.GATE_CMAP) in low and d.cmap_color(0.95, d.GATE_CMAP) in high
    assert low != high


def test_lstm_accepts_short_arrays():
    vals = {k: np.array([v, v / 2]) for k, v in VALUES.items()}
    text = svg_text(d.render_svg(d.lstm_cell_scene(vals)))
    assert "[0,73; 0,36]" in text or "[0,73; 0,37]" in text


def test_svg_text_uses_unicode_not_mathtext():
    svg = d.render_svg(d.lstm_cell_scene(highlight="input"))
    assert "$" not in svg and "\\" not in svg
    text = svg_text(svg)
    assert "C̃" in text and "σ" in text and "фильтр" in text


def test_highlights_differ_from_each_other_and_from_the_plain_cell():
    svgs = {h: d.render_svg(d.lstm_cell_scene(highlight=h)) for h in (None, *d.LSTM_HIGHLIGHTS)}
    assert len(set(svgs.values())) == 5
    assert "Фильтр забывания" in svg_text(svgs["forget"])
    assert "Выходной фильтр" in svg_text(svgs["output"])


def test_highlight_with_values_writes_the_arithmetic():
    text = svg_text(d.render_svg(d.lstm_cell_scene(VALUES, highlight="update")))
    assert "0,73 ∗ 0,80 + 0,60 ∗ (−0,90)" in text


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(highlight="gates"), "highlight"),
        (dict(values={**VALUES, "f_t": float("nan")}), "f_t"),
        (dict(values={k: v for k, v in VALUES.items() if k != "o_t"}), "o_t"),
        (dict(values={**VALUES, "g_t": 0.1}), "g_t"),
        (dict(values={**VALUES, "i_t": 1.5}), "i_t"),
        (dict(values={**VALUES, "C_t": np.zeros((2, 2))}), "C_t"),
    ],
)
def test_lstm_bad_input_raises_value_error_naming_it(kwargs, match):
    with pytest.raises(ValueError, match=match):
        d.lstm_cell_scene(**kwargs)


def test_other_bad_inputs():
    with pytest.raises(TypeError, match="values"):
        d.lstm_cell_scene(values=[1, 2])


@pytest.fixture(scope="module")
def fresh_pics(tmp_path_factory):
    """One fresh ``make pics`` into a temporary directory (shared: drawing ten pictures takes seconds)."""
    return d.save_pics(tmp_path_factory.mktemp("pics"))


@pytest.mark.slow
def test_save_pics_writes_ten_small_pngs(fresh_pics):
    """Reproducible bytes: the next test compares this draw with the committed one, drawn in another process."""
    first = fresh_pics
    assert [p.name for p in first] == [f"{n}.png" for n in NAMES]
    for p in first:
        data = p.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(data) < 200_000, f"{p.name} is {len(data)} bytes"
    from PIL import Image

    widths = []
    for p in first:
        with Image.open(p) as im:
            widths.append(im.size[0])
    assert all(1000 <= w <= 1600 for w in widths), widths


@pytest.mark.slow
def test_committed_pictures_equal_a_fresh_make_pics(fresh_pics):
    fresh = {p.name: p.read_bytes() for p in fresh_pics}
    for name, data in fresh.items():
        committed = REPO / "pics" / name
        assert committed.exists(), f"pics/{name} is missing: run `make pics`"
        assert committed.read_bytes() == data, f"pics/{name} is stale: run `make pics`"


def test_main_writes_into_the_given_directory(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(d.pictures, "PICTURES", {"rnn": d.PICTURES["rnn"]})
    assert d.main([str(tmp_path)]) == 0
    assert [p.name for p in tmp_path.glob("*.png")] == ["rnn.png"]
    assert "rnn.png" in capsys.readouterr().out


def test_render_mpl_draws_on_a_course_styled_axes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from lib import plots

    plots.use_style()
    fig, ax = plt.subplots(figsize=(8, 3.3))
    d.render_mpl(d.lstm_cell_scene(VALUES, highlight="forget"), ax)
    assert not ax.axison and ax.get_xlim() == (0, 1600) and ax.get_ylim() == (660, 0)
    assert len(ax.texts) > 10 and len(ax.patches) > 10
    fig.canvas.draw()
    plt.close(fig)


def test_a_picture_does_not_depend_on_the_plot_style_set_before_it():
    """After plots.use_style() (a notebook, an earlier test) a fresh make pics used to differ."""
    from lib import plots

    plots.use_style()
    assert d.png_bytes(d.PICTURES["rnn"]()) == (REPO / "pics" / "rnn.png").read_bytes()
