"""The one home of pictures in widgets: exactly two ways to put an image into a widget.

1. **A scene as SVG in an HTML widget** — diagrams (``lib.diagrams``: the LSTM cell, the perceptron's plane …):
   ``view = svg_view(scene, width_px=860)`` once, then ``show_scene(view, scene)`` on every change. The SVG is
   sized in ``em`` and scales with Presentation Mode; redrawing is a string, about a millisecond.
2. **A matplotlib figure as PNG in an Image widget** — plots (curves, heat strips, digits):
   ``fig = agg_figure(figsize)`` built once, ``view = png_view(png_bytes(fig), width_px=…)``, then
   ``view.value = png_bytes(fig, box)`` or ``FrameRenderer(fig, moving, box).png()`` on every change.

Nothing else: no ``pyplot`` figure per frame, no ``savefig`` into a base64 ``<img>`` in HTML, no hand-written
SVG strings beside ``lib.diagrams``.

Slider-driven widgets must respond at once on a projector. Re-creating a pyplot figure per frame took
150–450 ms in JupyterLab; building the figure once (Agg, outside pyplot), changing only the artists that move,
re-blitting the axes over a stored background (``FrameRenderer``) and writing the PNG lightly compressed
(``png_of_rgb``: Pillow at zlib level 1) brings a frame to 20–50 ms in the kernel.
"""

from __future__ import annotations

import io

import ipywidgets as W
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.spines import Spine
from matplotlib.text import Text
from PIL import Image

from lib.widgets import image as png_view

__all__ = [
    "WIDGET_DPI",
    "svg_view",
    "show_scene",
    "png_view",
    "agg_figure",
    "tight_box",
    "png_bytes",
    "png_of_rgb",
    "FrameRenderer",
]

WIDGET_DPI = 110  # the pixels per inch of the widgets' pictures: as the notebooks' static plots (savefig.dpi)


# ------------------------------------------------------------ path 1: a scene as SVG in an HTML widget


def svg_view(scene=None, *, width_px: float | None = None, **layout) -> W.HTML:
    """An ``ipywidgets.HTML`` showing ``scene`` (a ``lib.diagrams.Scene``, or nothing yet) ``width_px`` wide
    at the prose's size; ``show_scene`` redraws it. Layout keywords go to ``ipywidgets.Layout``."""
    view = W.HTML(layout=W.Layout(max_width="100%", **layout))
    view.svg_width_px = width_px
    if scene is not None:
        show_scene(view, scene)
    return view


def show_scene(view: W.HTML, scene, *, width_px: float | None = None) -> None:
    """Redraw ``view`` (from ``svg_view``) with ``scene``: one SVG string, sent only if it changed."""
    from lib.diagrams import render_svg

    svg = render_svg(scene, width=width_px or getattr(view, "svg_width_px", None))
    if view.value != svg:
        view.value = svg


# ------------------------------------------------------------ path 2: a figure as PNG in an Image widget
# ``png_view(value, width_px=…)`` is ``lib.widgets.image``: an ``ipywidgets.Image`` sized in em.


def agg_figure(figsize: tuple[float, float], dpi: float = WIDGET_DPI) -> Figure:
    """A figure outside pyplot, with its own Agg canvas: built once by a widget and redrawn in place.

    pyplot never sees it, so the notebook shows it only through the widget and it needs no closing."""
    fig = Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def tight_box(fig: Figure, pad_inches: float = 0.1) -> tuple[int, int, int, int]:
    """The pixel box ``(left, top, right, bottom)`` around everything drawn on ``fig`` plus ``pad_inches``:
    what ``savefig(bbox_inches="tight")`` would keep, measured once so that each frame is only cropped."""
    fig.canvas.draw()
    box = fig.get_tightbbox(fig.canvas.get_renderer()).padded(pad_inches)
    width, height = fig.canvas.get_width_height()
    dpi = fig.dpi
    return (
        max(0, int(box.x0 * dpi)),
        max(0, int(height - box.y1 * dpi)),
        min(width, int(np.ceil(box.x1 * dpi))),
        min(height, int(np.ceil(height - box.y0 * dpi))),
    )


def png_bytes(fig: Figure, box: tuple[int, int, int, int] | None = None) -> bytes:
    """Render ``fig`` (at its own size and dpi, no re-layout) to PNG bytes for an ``ipywidgets.Image``,
    cropped to the pixel ``box`` of ``tight_box`` if given.

    The fastest path: one Agg draw, then ``png_of_rgb`` (light compression: a slider frame is shown once;
    compressing harder costs more time than it saves)."""
    fig.canvas.draw()
    return _encode(fig, box)


def _encode(fig: Figure, box) -> bytes:
    """PNG bytes of what the canvas of ``fig`` holds now, cropped to ``box``."""
    rgba = np.asarray(fig.canvas.buffer_rgba())
    if box is not None:
        left, top, right, bottom = box
        rgba = rgba[top:bottom, left:right]
    return png_of_rgb(rgba[:, :, :3])


def png_of_rgb(rgb) -> bytes:
    """PNG bytes of the picture ``rgb: (height, width, 3)`` of ``uint8``, lightly compressed.

    zlib level 1: for a slider frame shown once, compressing harder costs more time (≈ 11 ms against ≈ 8 ms for a
    1150×540 plot) than the smaller file saves."""
    rgb = np.asarray(rgb)
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"rgb: ожидался массив (высота, ширина, 3) типа uint8, получен {rgb.shape} {rgb.dtype}")
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="png", compress_level=1)
    return buf.getvalue()


class FrameRenderer:
    """Fast frames of a figure whose frame stays (axes, ticks, labels, titles, legends) while some ``moving``
    artists (inside the axes: images, lines, points, labels) change between frames.

    The still part is drawn once into a background; each frame restores it and draws only the moving artists,
    with their axes' spines (and grid lines, over an image), in their z-order. When any axes' limits change,
    the background is drawn again. ``png()`` returns the frame as PNG bytes, cropped to ``box`` (see ``tight_box``)."""

    def __init__(self, fig: Figure, moving, box: tuple[int, int, int, int] | None = None):
        self.fig, self.moving, self.box = fig, list(moving), box
        self._background = None
        self._limits = None
        self._over: list = []

    def _limits_now(self):
        return tuple((ax.get_xlim(), ax.get_ylim()) for ax in self.fig.axes)

    def _redraw_background(self) -> None:
        self.fig.canvas.draw()  # the ticks (and so the grid lines) for the current limits
        # the spines go over whatever moves in their axes; an image fills its axes, so its grid lines too
        self._over = []
        for ax in {a.axes for a in self.moving if a.axes is not None}:
            over = list(ax.spines.values())
            if any(isinstance(a, AxesImage) and a.axes is ax for a in self.moving):
                over += ax.get_xgridlines() + ax.get_ygridlines()
            self._over += [(ax, artist) for artist in over if artist.get_visible()]
        hidden = [a for a in self.moving if a.get_visible()] + [artist for _, artist in self._over]
        # an axes places its title by what is visible: keep the places the full draw gave to moving texts
        places = [(a, a.get_position()) for a in self.moving if isinstance(a, Text)]
        for artist in hidden:
            artist.set_visible(False)
        self.fig.canvas.draw()
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        for artist in hidden:
            artist.set_visible(True)
        for text, place in places:
            text.set_position(place)
        self._limits = self._limits_now()

    def _layers(self):
        """The moving artists, the spines of their axes and the grid lines over images, sorted by z-order."""
        grid_z = {ax: ax.xaxis.get_zorder() for ax, _ in self._over}
        layers = [(a.get_zorder(), a.axes, a) for a in self.moving]
        layers += [
            (artist.get_zorder() if isinstance(artist, Spine) else grid_z[ax], ax, artist) for ax, artist in self._over
        ]
        return sorted(layers, key=lambda layer: layer[0])

    def draw(self) -> None:
        """Bring the canvas up to date with the figure's current state."""
        if self._background is None or self._limits_now() != self._limits:
            self._redraw_background()
        canvas = self.fig.canvas
        canvas.restore_region(self._background)
        for _, ax, artist in self._layers():
            if artist.get_visible():
                ax.draw_artist(artist)

    def png(self) -> bytes:
        """The current frame as PNG bytes (cropped to ``box``)."""
        self.draw()
        return _encode(self.fig, self.box)
