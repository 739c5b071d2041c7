"""The explorer's HTML pages: the index of a directory's games, and the page of one game.

The game page is complete as sent (the picture and the equilibria at the values of its URL), so
a permalink shows its view before any script runs; ``static/explorer.js`` then updates it as the
sliders move. Scripts and styles come from the package (``static/``): nothing is fetched from
the network.
"""
from __future__ import annotations

import json
from fractions import Fraction
from html import escape
from urllib.parse import urlencode

from solver.model.expr import to_exact
from solver.model.tree import ExtensiveGame
from solver.present.html import markdown_blocks, markdown_inline
from solver.present.words import plural
from solver.serve.catalog import Catalog, Entry
from solver.serve.views import plain_number

#: Steps of a slider across its range.
SLIDER_STEPS = 200
#: Query keys the page itself uses (not parameters, unless the game has a parameter of that name).
PAGE_KEYS = ("map_x", "map_y", "_page", "_seq")


def _head(title: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n<link rel=\"icon\" href=\"data:,\">\n"
            "<link rel=\"stylesheet\" href=\"/static/explorer.css\">\n</head>\n")


def index_page(catalog: Catalog) -> str:
    """Every served game with its title and the first paragraph of its description."""
    items = []
    for entry in catalog:
        first = (entry.description or "").strip().split("\n\n")[0]
        items.append(f'<li><a href="/game/{entry.id}"><strong>{escape(entry.title)}</strong></a>'
                     f' <span class="meta">{escape(entry.id)} · {_kind(entry)}</span>'
                     + (f"<p>{markdown_inline(' '.join(first.split()))}</p>" if first else "") + "</li>")
    skipped = "".join(f"<li><code>{escape(s.path)}</code>: {escape(s.reason)}</li>" for s in catalog.skipped)
    return (_head("Games") + "<body>\n<main class=\"index\">\n<h1>Games</h1>"
            f"<p class=\"meta\">{plural(len(catalog), 'game')} in <code>{escape(catalog.directory)}</code>. "
            "Choose one to explore how its equilibria change with its parameters.</p>"
            f"<ul class=\"games\">{''.join(items)}</ul>"
            + (f"<h2>Not loaded</h2><ul>{skipped}</ul>" if skipped else "") + "\n</main>\n</body>\n</html>\n")


def _kind(entry: Entry) -> str:
    game = entry.game
    if isinstance(game, ExtensiveGame):
        return f"sequential game, {plural(len(game.players), 'player')}"
    return "normal-form game (" + " × ".join(str(len(s)) for s in game.strategies) + ")"


def _slider(entry: Entry, p, value) -> str:
    """A number box, and a slider with its tick strip when the parameter has a range."""
    name = p.name
    help_id = f"help-{name}"
    box = (f'<input type="text" inputmode="decimal" id="value-{name}" name="{name}" value="{escape(plain_number(value))}" '
           f'data-default="{escape(plain_number(to_exact(p.value)))}" autocomplete="off" spellcheck="false" '
           f'aria-describedby="{help_id}" class="number">')
    slider = ""
    if p.range is not None:
        lo, hi = to_exact(p.range[0]), to_exact(p.range[1])
        step = (Fraction(hi) - Fraction(lo)) / SLIDER_STEPS if isinstance(lo, Fraction) and isinstance(hi, Fraction) else \
            (float(hi) - float(lo)) / SLIDER_STEPS
        slider = (f'<input type="range" id="slider-{name}" data-name="{name}" min="{float(lo)}" max="{float(hi)}" '
                  f'step="{float(step)}" value="{min(max(float(value), float(lo)), float(hi))}" '
                  f'aria-label="{escape(name)} from {escape(plain_number(lo))} to {escape(plain_number(hi))}" '
                  f'aria-describedby="{help_id}">'
                  f'<div class="ticks" id="ticks-{name}" aria-label="thresholds of {escape(name)}"></div>'
                  f'<div class="ends"><span>{escape(plain_number(lo))}</span><span>{escape(plain_number(hi))}</span></div>')
    description = markdown_inline(p.description) if p.description else "<em>no description</em>"
    return (f'<div class="param" data-name="{name}"><div class="row"><label for="value-{name}"><code>{escape(name)}</code></label>'
            f'{box}</div>{slider}<p class="help" id="{help_id}">{description}</p></div>')


def game_page(entry: Entry, values: dict, view: dict | None, error: str, query: dict, map_axes: tuple[str, str] | None,
              in_directory: bool) -> str:
    """The page of one game at ``values`` (the file's, or the URL's): its first view rendered,
    or ``error`` (the URL's values could not be read) shown where the answer goes."""
    title = entry.title
    defaults = {p.name: plain_number(to_exact(p.value)) for p in entry.parameters}
    ranged = [p.name for p in entry.parameters if p.range is not None]
    controls = "".join(_slider(entry, p, values.get(p.name, to_exact(p.value))) for p in entry.parameters)
    if not entry.parameters:
        controls = "<p class=\"meta\">This game has no parameters.</p>"
    menus = ""
    if map_axes is not None:
        def menu(which: str, chosen: str) -> str:
            options = "".join(f'<option value="{n}"{" selected" if n == chosen else ""}>{escape(n)}</option>' for n in ranged)
            return f'<label>{which} <select id="map-{which}" name="map_{which}">{options}</select></label>'
        menus = menu("x", map_axes[0]) + menu("y", map_axes[1])
    status = f'<p id="status" class="status error" role="alert">Error: {escape(error)}</p>' if error else \
        f'<p id="status" class="status{" warn" if view and view["timed_out"] else ""}">{escape(view["notice"] if view else "")}</p>'
    here = urlencode(query)
    names = {p.name for p in entry.parameters}
    shown = urlencode({k: v for k, v in query.items() if k in names or k not in PAGE_KEYS})
    data = {"game": entry.id, "defaults": defaults, "map": list(map_axes) if map_axes else None}
    body = [f'<header>{"<p class=crumbs><a href=/>All games</a></p>" if in_directory else ""}<h1>{escape(title)}</h1>'
            f'<p class="meta"><code>{escape(entry.path)}</code> · {_kind(entry)}: {escape(", ".join(entry.game.players))}</p>',
            (f'<details class="about"><summary>The situation</summary>{markdown_blocks(entry.description)}</details>'
             if entry.description else ""), "</header>",
            '<div class="layout"><section id="controls" aria-labelledby="controls-title"><h2 id="controls-title">Parameters</h2>',
            f'<form id="parameters" autocomplete="off" onsubmit="return false">{controls}</form>',
            '<p class="buttons"><button type="button" id="reset">Reset to the file\'s values</button></p>',
            '<p class="links"><a id="permalink" href="?' + escape(here) + '">Permalink</a> · '
            f'<a id="download-yaml" href="/download/{entry.id}.yaml?{escape(here)}" download>Download YAML</a> · '
            f'<a id="download-report" href="/download/{entry.id}.html?{escape(here)}" download>Download report</a></p>',
            '</section><div class="column"><section id="result" aria-labelledby="result-title">',
            '<h2 id="result-title">Equilibrium</h2>', status,
            f'<p id="summary" class="summary" aria-live="polite" data-shown="{escape(shown)}">'
            f'{escape(view["summary"]) if view else ""}</p>',
            f'<figure id="picture" class="picture">{view["picture"] if view else ""}</figure>',
            f'<div id="equilibria">{view["equilibria"] if view else ""}</div>',
            '<details id="explain"><summary>Explain step by step</summary><div id="explanation" aria-live="polite">'
            '<p class="meta">Loading…</p></div></details></section>']
    if map_axes is not None:
        body.append('<section id="map-section" aria-labelledby="map-title"><h2 id="map-title">Region map</h2>'
                    f'<p class="menus">{menus}</p><div id="region-map" class="region-map"><p class="meta">Loading…</p></div>'
                    '<ul id="map-legend" class="outcomes"></ul>'
                    '<p class="meta">Each colour is one outcome over the two ranges, the other parameters as set. '
                    'The ring marks the current values; the ticks under each slider are its exact thresholds.</p></section>')
    body.append("</div></div>")
    return (_head(title) + "<body>\n" + f"<main id=\"explorer\" data-config='{escape(json.dumps(data), quote=True)}'>\n"
            + "\n".join(b for b in body if b) + "\n</main>\n<script src=\"/static/explorer.js\" defer></script>\n"
            "</body>\n</html>\n")
