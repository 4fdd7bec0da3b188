"""The plain RNN: its repeating module (one_layer.png) and the network unrolled in time (rnn.png)."""

from __future__ import annotations

from lib.diagrams.parts import layer_box, module_box, vec
from lib.diagrams.scene import CELL_EDGE, CELL_FILL, Box, Line, Scene, Text, arrow, rounded

__all__ = ["rnn_cell_scene", "rnn_chain_scene"]


def rnn_cell_scene() -> Scene:
    """The repeating module of a plain RNN (one_layer.png): one tanh layer on ``[h_{t-1}, x_t]``.

    Three copies in a chain, the middle one opened up.
    """
    s = Scene(1500.0, 640.0)
    lw = 4.0
    yb, yt = 420.0, 200.0  # bottom line (state in and out), top turn of the output
    # the neighbours: closed modules
    for cx, sub in ((190.0, "t-1"), (1310.0, "t+1")):
        s.add(
            module_box(cx, 305, 220, 300, "A"),
            arrow([(cx, 590), (cx, 457)], lw=lw),
            vec(cx, 590, f"$x_{{{sub}}}$", "x", r=30, size=21),
            arrow([(cx, 155), (cx, 64)], lw=lw),
            vec(cx, 40, f"$h_{{{sub}}}$", "h", r=30, size=21),
        )
    s.add(arrow([(20, yb), (80, yb)], lw=lw), arrow([(1420, yb), (1480, yb)], lw=lw))
    # the opened module
    s.add(Box(400, 100, 700, 410, fill=CELL_FILL, edge=CELL_EDGE, lw=3, r=26, z=0))
    xm, xl, xo, xh = 500.0, 700.0, 880.0, 980.0
    s.add(
        Line(((300, yb), (xl - 60, yb)), lw=lw),
        Line(rounded([(xm, 560), (xm, yb), (xm + 30, yb)], 26), lw=lw),
        arrow([(xl - 60, yb), (xl, yb), (xl, 326)], lw=lw, corner=26),
    )
    s.add(layer_box(xl, 300, "tanh", (), size=24))
    s.add(
        arrow([(xl, 274), (xl, yt), (xo, yt), (xo, yb), (1200, yb)], lw=lw, corner=26),
        arrow([(xh, yb), (xh, 62)], lw=lw),
        vec(xh, 40, "$h_t$", "h", r=30, size=21),
        vec(xm, 590, "$x_t$", "x", r=30, size=21),
    )
    s.add(Text(310, yb - 26, "$h_{t-1}$", size=22, ha="left", halo=4))
    s.add(
        Text(xl + 56, 300, "слой tanh", size=19, color="#3b4a5a", ha="left"),
        Text(750, 620, r"$h_t = \tanh\left(W\cdot[h_{t-1},\,x_t] + b\right)$", size=26),
    )
    return s


def rnn_chain_scene() -> Scene:
    """An RNN with its loop (left), "=", and the same network unrolled in time (right) — rnn.png:
    x₀, x₁, x₂, …, x_t."""
    lw = 4.0
    yx, ya, yh = 500.0, 300.0, 100.0  # rows: inputs, modules, outputs
    step = 200.0
    cx = 150.0
    s = Scene(1340.0, 570.0)
    s.add(
        module_box(cx, ya, 130, 120, "A"),
        arrow([(cx, yx - 36), (cx, ya + 62)], lw=lw),
        vec(cx, yx, "$x_t$", "x"),
        arrow([(cx, ya - 60), (cx, yh + 36)], lw=lw),
        vec(cx, yh, "$h_t$", "h"),
        arrow([(cx + 65, ya + 28), (cx + 118, ya + 28), (cx + 118, ya - 28), (cx + 67, ya - 28)], lw=lw, corner=22),
        Text(cx + 118, ya - 56, "петля", size=19, color="#3b4a5a"),
        Text(370, ya, "=", size=56, weight="bold"),
    )
    x = 500.0
    from_x = None  # where the next state arrow starts
    for sub in ["0", "1", "2", None, "t"]:
        if sub is None:  # the gap: «⋯» between step 2 and step t
            gx = x - step * 0.2
            s.add(Text(gx, ya, "⋯", size=40), arrow([(from_x, ya), (gx - 36, ya)], lw=lw))
            from_x = gx + 36
            x += step * 0.6
            continue
        s.add(
            module_box(x, ya, 130, 120, "A"),
            arrow([(x, yx - 36), (x, ya + 62)], lw=lw),
            vec(x, yx, f"$x_{{{sub}}}$", "x"),
            arrow([(x, ya - 60), (x, yh + 36)], lw=lw),
            vec(x, yh, f"$h_{{{sub}}}$", "h"),
        )
        if from_x is not None:
            s.add(arrow([(from_x, ya), (x - 67, ya)], lw=lw))
        from_x = x + 65
        x += step
    return s
