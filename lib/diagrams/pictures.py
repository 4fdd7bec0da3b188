"""The ten pictures of the lecture and ``make pics``: each drawn by one scene, saved as reproducible PNG."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from lib.diagrams.lstm import lstm_cell_scene
from lib.diagrams.mpl import png_bytes
from lib.diagrams.networks import layer_scene, mlp_scene, perceptron_scene
from lib.diagrams.rnn import rnn_cell_scene, rnn_chain_scene

__all__ = ["PICTURES", "save_pics", "main"]

PICTURES = {
    "perceptron_work": lambda: perceptron_scene(),
    "more_output": lambda: layer_scene(),
    "hidden_layer": lambda: mlp_scene(),
    "rnn": lambda: rnn_chain_scene(),
    "one_layer": lambda: rnn_cell_scene(),
    "lstm": lambda: lstm_cell_scene(),
    "lstm1": lambda: lstm_cell_scene(highlight="forget"),
    "lstm2": lambda: lstm_cell_scene(highlight="input"),
    "lstm3": lambda: lstm_cell_scene(highlight="update"),
    "lstm4": lambda: lstm_cell_scene(highlight="output"),
}


def save_pics(outdir: str | Path = "pics") -> list[Path]:
    """Draw the ten pictures of the lecture into ``outdir`` as PNG (byte-identical on every run)."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, build in PICTURES.items():
        path = out / f"{name}.png"
        path.write_bytes(png_bytes(build()))
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m lib.diagrams [outdir]``: redraw every picture (``make pics``)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    outdir = argv[0] if argv else "pics"
    for path in save_pics(outdir):
        print(f"{path}  ({path.stat().st_size // 1024} КБ)")
    return 0
