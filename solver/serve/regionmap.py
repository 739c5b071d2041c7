"""A 2-D sweep (:class:`solver.analysis.regions.SweepResult`) as a small SVG map for the explorer:
each grid point's cell coloured by its outcome (the pale colours of the report's sweep plots), the
axes with their ranges, and the current point marked. The ``<svg>`` carries its geometry as
``data-`` attributes so the page can move the mark when only the mapped parameters change.
"""
from __future__ import annotations

from html import escape

import numpy as np

from solver.present.explain import num
from solver.present.html import outcome_colours

WIDTH, HEIGHT = 360, 280
LEFT, TOP, RIGHT, BOTTOM = 58, 12, 14, 46


def _edges(count: int, size: float) -> np.ndarray:
    """Pixel edges of ``count`` cells centred on evenly spaced grid values across ``size``."""
    step = size / max(1, count - 1)
    centres = np.arange(count) * step
    return np.clip(np.concatenate([[0.0], (centres[:-1] + centres[1:]) / 2, [size]]), 0, size)


def position(value, lo, hi, size: float) -> float:
    """Pixels from the low end for ``value`` on an axis from ``lo`` to ``hi`` (clamped)."""
    share = (float(value) - float(lo)) / (float(hi) - float(lo)) if float(hi) != float(lo) else 0.0
    return min(1.0, max(0.0, share)) * size


def region_svg(result, x_value, y_value) -> str:
    """The map of a two-axis sweep, the point (``x_value``, ``y_value``) marked."""
    x_axis, y_axis = result.axes
    codes = np.asarray(result.region_map)
    colour = map_colours(result)
    xs, ys = _edges(x_axis.count, WIDTH), _edges(y_axis.count, HEIGHT)
    cells = []
    for j in range(y_axis.count):
        top, bottom = TOP + HEIGHT - ys[j + 1], TOP + HEIGHT - ys[j]
        start = 0
        for i in range(1, x_axis.count + 1):
            if i == x_axis.count or codes[i, j] != codes[start, j]:
                code = int(codes[start, j])
                cells.append(f'<rect x="{LEFT + xs[start]:.1f}" y="{top:.1f}" width="{xs[i] - xs[start] + 0.4:.1f}" '
                             f'height="{bottom - top + 0.4:.1f}" fill="{colour[code]}" '
                             f'data-outcome="{code}"/>')
                start = i
    px = LEFT + position(x_value, x_axis.lo, x_axis.hi, WIDTH)
    py = TOP + HEIGHT - position(y_value, y_axis.lo, y_axis.hi, HEIGHT)
    total_w, total_h = LEFT + WIDTH + RIGHT, TOP + HEIGHT + BOTTOM
    geometry = (f'data-left="{LEFT}" data-top="{TOP}" data-width="{WIDTH}" data-height="{HEIGHT}" '
                f'data-x-lo="{float(x_axis.lo)}" data-x-hi="{float(x_axis.hi)}" '
                f'data-y-lo="{float(y_axis.lo)}" data-y-hi="{float(y_axis.hi)}"')
    label = f"Outcome over {x_axis.name} and {y_axis.name}; the current values are marked"
    axes = (f'<rect x="{LEFT}" y="{TOP}" width="{WIDTH}" height="{HEIGHT}" fill="none" stroke="#888"/>'
            + _tick(LEFT, TOP + HEIGHT + 16, num(x_axis.lo), "start") + _tick(LEFT + WIDTH, TOP + HEIGHT + 16, num(x_axis.hi), "end")
            + _tick(LEFT - 6, TOP + HEIGHT, num(y_axis.lo), "end") + _tick(LEFT - 6, TOP + 10, num(y_axis.hi), "end")
            + f'<text x="{LEFT + WIDTH / 2}" y="{TOP + HEIGHT + 36}" text-anchor="middle" font-weight="bold">'
              f'{escape(x_axis.name)}</text>'
            + f'<text x="16" y="{TOP + HEIGHT / 2}" text-anchor="middle" font-weight="bold" '
              f'transform="rotate(-90 16 {TOP + HEIGHT / 2})">{escape(y_axis.name)}</text>')
    mark = (f'<g id="map-point" transform="translate({px:.1f} {py:.1f})">'
            '<circle r="9" fill="none" stroke="#fff" stroke-width="5"/>'
            '<circle r="9" fill="none" stroke="#1d2731" stroke-width="2.2"/>'
            '<circle r="2.5" fill="#1d2731"/></g>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="region-map" viewBox="0 0 {total_w} {total_h}" '
            f'width="{total_w}" height="{total_h}" role="img" aria-label="{escape(label, quote=True)}" {geometry} '
            f'font-family="system-ui, sans-serif" font-size="12">' + "".join(cells) + axes + mark + "</svg>")


def _tick(x: float, y: float, text: str, anchor: str) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="#333">{escape(text)}</text>'


TIE_COLOUR = "#7f8c8d"


def map_colours(result) -> dict[int, str]:
    """A pale colour per region's outcome, largest region first (as the report's plots colour
    them); outcomes seen only on a boundary (ties) are dark."""
    regions = result.regions()
    shades = outcome_colours(r.outcome.label for r in regions if not r.boundary)
    return {r.outcome.code: TIE_COLOUR if r.boundary else shades[r.outcome.label] for r in regions}


def outcome_legend(result) -> list[tuple[str, str]]:
    """(colour, words) for each outcome on the map, largest region first, ties last."""
    colour = map_colours(result)
    return [(colour[r.outcome.code], r.outcome.label + (" (a tie, on the boundary)" if r.boundary else ""))
            for r in result.regions()]
