"""Every picture of the course, drawn by code: one geometry, two renderers.

A picture is a :class:`Scene` (``scene.py``): a canvas in abstract units (y grows downwards, as in SVG) and a
list of primitives (:class:`Box`, :class:`Circle`, :class:`Line`, :class:`Poly`, :class:`Text`). Functions named
``*_scene`` build scenes, one module per family of pictures; two renderers draw them:

* :func:`render_svg` (``svg.py``) writes an SVG string: the widgets' live diagrams
  (``ipywidgets.HTML(value=svg)`` updated in place);
* :func:`render_mpl` / :func:`scene_figure` / :func:`png_bytes` (``mpl.py``) draw on matplotlib: ``pics/*.png``.

=================  ======================================================================
``scene.py``       primitives, the colours of the visual language, arrows, colour maps, focus
``svg.py``         SVG renderer (mathtext → Unicode with ``<tspan>`` subscripts)
``mpl.py``         matplotlib renderer and reproducible PNG bytes
``parts.py``       shared pieces: live values read and checked, layer box, vector, colour scale …
``networks.py``    perceptron, a layer of perceptrons, a network with hidden layers
``rnn.py``         plain RNN: its module and the unrolled chain
``lstm.py``        the LSTM cell (Olah's layout), its four steps, the live gate explorer
``lstm_panel.py``  the LSTM pictures' right-hand panel: a step's equations, colour scales, the legend
``plane.py``       the perceptron's plane of inputs (lesson 1): one scene for the figures and the widget
``pictures.py``    the ten lecture pictures (``PICTURES``), ``save_pics``, ``main``
=================  ======================================================================

``python -m lib.diagrams [outdir]`` (``make pics``) redraws the ten pictures of the lecture.
"""

from __future__ import annotations

from lib.diagrams.lstm import LSTM_HIGHLIGHTS, LSTM_VALUE_KEYS, lstm_cell_scene
from lib.diagrams.mpl import png_bytes, render_mpl, scene_figure
from lib.diagrams.networks import layer_scene, mlp_scene, perceptron_scene
from lib.diagrams.pictures import PICTURES, main, save_pics
from lib.diagrams.rnn import rnn_cell_scene, rnn_chain_scene
from lib.diagrams.scene import Box, Circle, Line, Poly, Scene, Text, arrow, cmap_color
from lib.diagrams.svg import PX_PER_EM, render_svg
from lib.plots import GATE_CMAP, STATE_CMAP

__all__ = [
    "Box",
    "Circle",
    "Line",
    "Poly",
    "Text",
    "Scene",
    "arrow",
    "cmap_color",
    "render_mpl",
    "render_svg",
    "PX_PER_EM",
    "scene_figure",
    "png_bytes",
    "lstm_cell_scene",
    "rnn_cell_scene",
    "rnn_chain_scene",
    "perceptron_scene",
    "layer_scene",
    "mlp_scene",
    "PICTURES",
    "save_pics",
    "main",
    "LSTM_VALUE_KEYS",
    "LSTM_HIGHLIGHTS",
    "GATE_CMAP",
    "STATE_CMAP",
]
