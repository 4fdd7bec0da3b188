"""The SVG renderer: a scene as an SVG string for a widget (``ipywidgets.HTML(value=svg)``, updated in place).

Text labels are matplotlib mathtext (``r"$f_t$"``); this renderer converts the small subset the pictures use
(subscripts, ``\\sigma``, ``\\tilde{C}``, ``\\tanh`` …) to plain Unicode with ``<tspan>`` subscripts.
Building and rendering the LSTM cell takes about a millisecond.
"""

from __future__ import annotations

import functools
import re
from xml.sax.saxutils import escape

from lib.diagrams.scene import SVG_FONT, Box, Circle, Line, Poly, Scene, Text

__all__ = ["render_svg", "PX_PER_EM"]

_MATH_SYMBOLS = {
    "sigma": "σ",
    "Sigma": "Σ",
    "sum": "Σ",
    "cdot": "·",
    "ast": "∗",
    "times": "×",
    "odot": "⊙",
    "ldots": "…",
    "cdots": "⋯",
    "vdots": "⋮",
    "to": "→",
    "rightarrow": "→",
    "approx": "≈",
    "leq": "≤",
    "geq": "≥",
    "le": "≤",
    "ge": "≥",
    "in": "∈",
    "quad": "\u2003",
    ",": "\u2009",
    ";": " ",
    "!": "",
    " ": " ",
    "theta": "θ",
    "alpha": "α",
    "eta": "η",
    "Delta": "Δ",
    "delta": "δ",
    "pm": "±",
}
_MATH_UPRIGHT = {"tanh", "max", "exp", "log", "sign", "step", "min"}
_TOKEN = re.compile(r"\\([A-Za-z]+|[,;! ])|([_^{}])|([^\\_^{}])")


def _group(toks: list, j: int) -> tuple[list, int]:
    """The tokens of the braced group (or the single token) starting at ``toks[j]``, and the index after it."""
    if j >= len(toks):
        return [], j
    if toks[j][1] != "{":
        return toks[j : j + 1], j + 1
    depth = 0
    for k in range(j, len(toks)):
        if toks[k][1] == "{":
            depth += 1
        elif toks[k][1] == "}":
            depth -= 1
            if depth == 0:
                return toks[j + 1 : k], k + 1
    return toks[j + 1 :], len(toks)


_BINARY = {
    "=": " = ",
    "+": "\u2009+\u2009",
    "−": "\u2009−\u2009",
    "∗": "\u2009∗\u2009",
    "·": "\u2009·\u2009",
    "×": "\u2009×\u2009",
    "≈": " ≈ ",
    "→": " → ",
    "≤": " ≤ ",
    "≥": " ≥ ",
    "∈": " ∈ ",
}


def _math_runs(toks: list, shift: int = 0) -> list:
    """Mathtext tokens → runs ``(text, shift, italic)``; shift −1 = subscript, +1 = superscript."""
    runs: list = []
    i = 0
    while i < len(toks):
        cmd, ctl, ch = toks[i]
        i += 1
        if ctl in ("_", "^"):
            inner, i = _group(toks, i)
            runs.extend(_math_runs(inner, -1 if ctl == "_" else 1))
        elif ctl == "{":
            inner, i = _group(toks, i - 1)
            runs.extend(_math_runs(inner, shift))
        elif ctl == "}":
            continue
        elif cmd in ("tilde", "hat", "bar"):
            inner, i = _group(toks, i)
            sub = _math_runs(inner, shift)
            if sub:
                mark = {"tilde": "\u0303", "hat": "\u0302", "bar": "\u0304"}[cmd]
                t, s, it = sub[0]
                sub[0] = (t[0] + mark + t[1:], s, it)
            runs.extend(sub)
        elif cmd in ("mathrm", "rm", "mathbf"):
            inner, i = _group(toks, i)
            runs.extend((t, s, False) for t, s, _ in _math_runs(inner, shift))
        elif cmd in ("left", "right", "big", "Big"):
            continue
        elif cmd in _MATH_UPRIGHT:
            runs.append((cmd, shift, False))
        elif cmd:
            sym = _MATH_SYMBOLS.get(cmd, cmd)
            runs.append((_BINARY.get(sym, sym) if shift == 0 else sym, shift, False))
        elif not ch.isspace():
            c = "−" if ch == "-" else ch
            if shift == 0 and c in _BINARY:
                c = _BINARY[c]
            runs.append((c, shift, c.isalpha()))
    return runs


@functools.lru_cache(maxsize=2048)
def _svg_text_body(text: str, size: float) -> str:
    """The inside of an SVG ``<text>``: mathtext ``$…$`` segments become Unicode with shifted ``<tspan>``s."""
    runs: list = []
    for k, seg in enumerate(text.split("$")):
        if k % 2:
            runs.extend(_math_runs([(m.group(1), m.group(2), m.group(3)) for m in _TOKEN.finditer(seg)]))
        else:
            runs.extend((line, 0, False) for line in [seg] if seg)
    merged: list = []
    for t, s, it in runs:
        if merged and merged[-1][1] == s and merged[-1][2] == it:
            merged[-1] = (merged[-1][0] + t, s, it)
        else:
            merged.append((t, s, it))
    out = []
    offset = 0.0
    for t, s, it in merged:
        target = {0: 0.0, -1: 0.28 * size, 1: -0.38 * size}[s]
        attrs = []
        if target != offset:
            attrs.append(f'dy="{target - offset:.1f}"')
            offset = target
        if s:
            attrs.append('font-size="72%"')
        if it:
            attrs.append('font-style="italic"')
        body = escape(t)
        out.append(f"<tspan {' '.join(attrs)}>{body}</tspan>" if attrs else body)
    return "".join(out)


_ANCHOR = {"left": "start", "center": "middle", "right": "end"}
_BASELINE = {"top": "hanging", "center": "central", "bottom": "text-after-edge", "baseline": "alphabetic"}


def _pts(points) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


# The SVG's size is given in em of the surrounding text, so it grows with the widget font (the course's widget
# style, ``lib.widgets.panel``, sets it to the prose's size, which Presentation Mode enlarges) and with browser
# zoom; at the prose's normal 14 px (``lib.widgets.BASE_PX``) ``width`` pixels are exactly ``width`` pixels.
# ``max-width: 100%`` keeps it inside its output area.
PX_PER_EM = 14.0


def _text(it: Text) -> list:
    """SVG ``<text>`` elements of a label: one per line; a halo is a white copy drawn underneath.

    The halo is its own element, not ``paint-order="stroke"`` on the label: browsers paint that per text
    chunk, so the outline of a subscript ``<tspan>`` covered the letter before it («oₜ» read as «cₜ»)."""
    weight = ' font-weight="bold"' if it.weight == "bold" else ""
    ital = ' font-style="italic"' if it.italic else ""
    lines = it.text.split("\n")
    base = _BASELINE[it.va]
    step = 1.15 * it.size  # multi-line: stack the lines around the anchor like matplotlib does
    top = {
        "top": 0.0,
        "center": -(len(lines) - 1) * step / 2,
        "bottom": -(len(lines) - 1) * step,
        "baseline": -(len(lines) - 1) * step,
    }[it.va]
    out = []
    for k, line in enumerate(lines):
        common = (
            f'x="{it.x:.1f}" y="{it.y + top + k * step:.1f}" font-size="{it.size:g}" '
            f'text-anchor="{_ANCHOR[it.ha]}" dominant-baseline="{base}"{weight}{ital}'
        )
        body = _svg_text_body(line, it.size)
        if it.halo:
            out.append(
                f'<text {common} fill="white" stroke="white" stroke-width="{2 * it.halo:g}" '
                f'stroke-linejoin="round" aria-hidden="true">{body}</text>'
            )
        out.append(f'<text {common} fill="{it.color}">{body}</text>')
    return out


def render_svg(scene: Scene, width: float | None = None) -> str:
    """The scene as an SVG document string, ``width`` pixels wide at a 14 px font (default: the scene's own
    width), in ``em`` so that it scales with the text around it, and never wider than its container.

    Meant for widgets: ``ipywidgets.HTML(value=render_svg(scene, width=700))``.
    """
    w = float(width) if width is not None else scene.width
    h = w * scene.height / scene.width
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w / PX_PER_EM:.2f}em" '
        f'height="{h / PX_PER_EM:.2f}em" viewBox="0 0 {scene.width:.0f} {scene.height:.0f}" '
        f'font-family="{SVG_FONT}" style="max-width:100%;height:auto">',
        f'<rect width="100%" height="100%" fill="{scene.background}"/>',
    ]
    for it in sorted(scene.items, key=lambda o: o.z):
        if isinstance(it, Box):
            parts.append(
                f'<rect x="{it.x:.1f}" y="{it.y:.1f}" width="{it.w:.1f}" height="{it.h:.1f}" '
                f'rx="{it.r:.1f}" fill="{it.fill}" stroke="{it.edge}" stroke-width="{it.lw:g}"/>'
            )
        elif isinstance(it, Circle):
            parts.append(
                f'<circle cx="{it.cx:.1f}" cy="{it.cy:.1f}" r="{it.r:.1f}" fill="{it.fill}" '
                f'stroke="{it.edge}" stroke-width="{it.lw:g}"/>'
            )
        elif isinstance(it, Line):
            pts = _pts(it.points)
            if it.halo:
                parts.append(
                    f'<polyline points="{pts}" fill="none" stroke="{it.halo_color}" '
                    f'stroke-width="{it.lw + 2 * it.halo:g}" stroke-linejoin="round"/>'
                )
            dash = f' stroke-dasharray="{3 * it.lw:g} {2 * it.lw:g}"' if it.dash else ""
            cap = "butt" if it.dash else "round"
            parts.append(
                f'<polyline points="{pts}" fill="none" stroke="{it.color}" stroke-width="{it.lw:g}" '
                f'stroke-linecap="{cap}" stroke-linejoin="round"{dash}/>'
            )
        elif isinstance(it, Poly):
            parts.append(f'<polygon points="{_pts(it.points)}" fill="{it.fill}"/>')
        elif isinstance(it, Text):
            parts.extend(_text(it))
    parts.append("</svg>")
    return "".join(parts)
