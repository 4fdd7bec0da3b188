"""The matplotlib renderer: a scene on an ``Axes``, a scene as a ``Figure``, a scene as reproducible PNG bytes.

1 unit = 1 pixel at 100 dpi (``PT`` points per unit). Used by ``make pics`` (``lib.diagrams.pictures``).
"""

from __future__ import annotations

import io

import matplotlib as mpl
import matplotlib.style  # noqa: F401  (mpl.style)

from lib.diagrams.scene import FONT, PT, Box, Circle, Line, Poly, Scene, Text

__all__ = ["render_mpl", "scene_figure", "png_bytes"]


def render_mpl(scene: Scene, ax) -> None:
    """Draw ``scene`` on the matplotlib axes ``ax`` (limits, aspect and axis visibility are set here)."""
    from matplotlib import patches, patheffects

    ax.set_xlim(0, scene.width)
    ax.set_ylim(scene.height, 0)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_facecolor(scene.background)
    for it in scene.items:
        if isinstance(it, Box):
            ax.add_patch(
                patches.FancyBboxPatch(
                    (it.x + it.r, it.y + it.r),
                    max(it.w - 2 * it.r, 0),
                    max(it.h - 2 * it.r, 0),
                    boxstyle=f"round,pad={it.r},rounding_size={it.r}" if it.r else f"square,pad={it.r}",
                    facecolor=it.fill,
                    edgecolor=it.edge,
                    linewidth=it.lw * PT,
                    zorder=it.z,
                )
            )
        elif isinstance(it, Circle):
            ax.add_patch(
                patches.Circle(
                    (it.cx, it.cy), it.r, facecolor=it.fill, edgecolor=it.edge, linewidth=it.lw * PT, zorder=it.z
                )
            )
        elif isinstance(it, Line):
            xs, ys = zip(*it.points)
            effects = None
            if it.halo:
                effects = [
                    patheffects.Stroke(linewidth=(it.lw + 2 * it.halo) * PT, foreground=it.halo_color, capstyle="butt"),
                    patheffects.Normal(),
                ]
            ax.plot(
                xs,
                ys,
                color=it.color,
                linewidth=it.lw * PT,
                zorder=it.z,
                linestyle=(0, (3, 2)) if it.dash else "-",
                solid_capstyle="round",
                solid_joinstyle="round",
                dash_capstyle="butt",
                path_effects=effects,
            )
        elif isinstance(it, Poly):
            ax.add_patch(patches.Polygon(it.points, closed=True, facecolor=it.fill, edgecolor="none", zorder=it.z))
        elif isinstance(it, Text):
            effects = None
            if it.halo:
                effects = [patheffects.withStroke(linewidth=2 * it.halo * PT, foreground="white")]
            ax.text(
                it.x,
                it.y,
                it.text,
                fontsize=it.size * PT,
                color=it.color,
                ha=it.ha,
                va=it.va,
                fontweight=it.weight,
                fontstyle="italic" if it.italic else "normal",
                fontfamily=FONT,
                zorder=it.z,
                path_effects=effects,
                linespacing=1.15,
            )
        else:  # pragma: no cover - a programming error, not user input
            raise TypeError(f"scene.items: неизвестный примитив {type(it).__name__}")


def _picture_style():
    """matplotlib's defaults plus the diagrams' fonts: a picture is the same bytes whatever style a notebook or
    a test has set before (``lib.plots.use_style`` changes line widths, grids, dpi …)."""
    return mpl.style.context(["default", {"mathtext.fontset": "dejavusans", "font.family": FONT}])


def scene_figure(scene: Scene):
    """A matplotlib ``Figure`` (no pyplot state) of exactly ``scene.width × scene.height`` pixels at 100 dpi."""
    from matplotlib.figure import Figure

    with _picture_style():
        fig = Figure(figsize=(scene.width / 100, scene.height / 100), dpi=100, facecolor=scene.background)
        ax = fig.add_axes((0, 0, 1, 1))
        render_mpl(scene, ax)
    return fig


def png_bytes(scene: Scene) -> bytes:
    """The scene as a compact PNG (1 unit = 1 pixel; 256-colour palette; no timestamps: reproducible bytes)."""
    from PIL import Image

    fig = scene_figure(scene)
    buf = io.BytesIO()
    with _picture_style():
        fig.savefig(
            buf, format="png", dpi=100, facecolor=fig.get_facecolor(), bbox_inches=None, metadata={"Software": None}
        )
    img = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    pal = img.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    pal.save(out, format="PNG", optimize=True)
    return out.getvalue()
