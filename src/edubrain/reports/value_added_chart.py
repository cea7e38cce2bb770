"""The caterpillar plot of school value-added: each school's effect with its 95 % interval, as inline SVG.

Pure: a :class:`~edubrain.teaching.models.ValueAddedView` in, SVG text out. Schools are sorted by effect, one row
each: the interval as a horizontal line, the effect as a dot, coloured by where the interval lies (green wholly
above 0, orange wholly below, grey holding 0), and the city average (0) as a dashed vertical line. Colours are SVG
presentation attributes (no ``style=``: the CSP forbids inline styles); no script, no network.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from edubrain.teaching.models import ValueAddedView

WIDTH, TOP, LEFT, RIGHT, ROW = 640, 28, 110, 20, 12
COLOURS = {"above": "#2e7d32", "below": "#e67e22", "average": "#757575"}


def caterpillar(view: ValueAddedView, names: dict[str, str] | None = None) -> Markup:
    """The plot of ``view``'s schools (empty without schools); ``names`` labels the rows (default the codes)."""
    if not view.schools:
        return Markup("")
    labels = names or {}
    schools = sorted(view.schools, key=lambda s: s.effect)
    reach = max(max(abs(s.lower), abs(s.upper)) for s in schools) or 1.0
    span = WIDTH - LEFT - RIGHT

    def x(value: float) -> float:
        return round(LEFT + (value + reach) / (2 * reach) * span, 1)

    height = TOP + ROW * len(schools) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="caterpillar" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="学校增值效应及 95% 区间 / school effects with 95 % intervals">',
        '<text x="0" y="14" font-size="11" font-weight="bold">学校增值效应（95% 区间）'
        '<tspan font-weight="normal" fill="#555"> school effects, 95 % intervals</tspan></text>',
        f'<line x1="{x(0)}" y1="{TOP - 6}" x2="{x(0)}" y2="{height - 20}" stroke="#c62828" stroke-dasharray="4 3"/>',
        f'<text x="{x(0)}" y="{height - 6}" font-size="9" text-anchor="middle">0 = 全市平均 / city average</text>',
    ]
    for i, s in enumerate(schools):
        y = TOP + i * ROW + ROW / 2
        colour = COLOURS[s.position]
        name = escape(labels.get(s.school_code, s.school_code))
        parts.append(
            f'<g class="va-school" data-school="{escape(s.school_code)}" data-position="{s.position}">'
            f'<text x="{LEFT - 6}" y="{y + 3}" font-size="8" text-anchor="end">{name}</text>'
            f'<line x1="{x(s.lower)}" y1="{y}" x2="{x(s.upper)}" y2="{y}" stroke="{colour}" stroke-width="2"/>'
            f'<circle cx="{x(s.effect)}" cy="{y}" r="3" fill="{colour}"><title>{name}: {s.effect:+.2f} '
            f"[{s.lower:+.2f}, {s.upper:+.2f}]</title></circle></g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
