"""``explore(game)``: the explorer's view inside a Jupyter notebook.

With ipywidgets installed (``pip install ipywidgets``), a slider per parameter with a range and,
under them, the game's picture with its equilibrium moves highlighted, the one-line summary and the
equilibria, redrawn (solved exactly) whenever a slider moves; a value that cannot be used shows
the one-line error instead. Without ipywidgets, the same view at the given values, as HTML that
notebooks display, with a note on how to get the sliders. The computation is the one ``solve
serve`` does (:mod:`solver.serve.views`).

>>> explorer = Explorer(Catalog.from_path("games/tech_transfer.yaml"))
>>> "Transfer → Restrain → Engage" in view_html(explorer, "tech_transfer", ("ammo_gain=6.5",))
True
"""
from __future__ import annotations

import os
from html import escape

from solver.api import load_game
from solver.model.expr import to_exact
from solver.serve.catalog import Catalog, Entry
from solver.serve.pages import SLIDER_STEPS
from solver.serve.views import Explorer, ExplorerError

NO_WIDGETS = "Install ipywidgets (pip install ipywidgets) to move the parameters with sliders."


class StaticView:
    """The view at fixed values, as HTML a notebook displays (``_repr_html_``)."""

    def __init__(self, html: str, note: str = ""):
        self.html, self.note = html, note

    def _repr_html_(self) -> str:
        return self.html + (f'<p style="color:#5d6d7e">{escape(self.note)}</p>' if self.note else "")


def view_html(explorer: Explorer, ident: str, settings: tuple[str, ...]) -> str:
    """The summary, the picture and the equilibria at ``settings``, or the one-line error."""
    try:
        view = explorer.view(ident, settings)
    except ExplorerError as error:
        return f'<p style="color:#a93226;font-weight:600">Error: {escape(str(error))}</p>'
    notice = f'<p style="color:#a04000">{escape(view["notice"])}</p>' if view["notice"] else ""
    return (f'<div class="solver-explorer">{notice}<p style="font-size:1.1em;font-weight:600">{escape(view["summary"])}</p>'
            f'<div style="overflow-x:auto">{view["picture"]}</div>{view["equilibria"]}</div>')


def explore(game, **values):
    """The view of ``game`` (a loaded game or a path) with sliders (ipywidgets), starting at the
    file's values with ``values`` (``ammo_gain=6.5``) overriding them; without ipywidgets, a
    :class:`StaticView` at those values."""
    if isinstance(game, (str, os.PathLike)):
        path = os.fspath(game)
        game = load_game(path)
    else:
        path = game.info.path or "game"
    entry = Entry("game", path, game)
    explorer = Explorer(Catalog([entry]))
    explorer.warm_up()
    settings = tuple(f"{k}={v}" for k, v in values.items())
    try:
        import ipywidgets  # optional: sliders need a notebook's widget library
    except ImportError:
        return StaticView(view_html(explorer, entry.id, settings), NO_WIDGETS)
    return _widget(ipywidgets, explorer, entry, settings)


def _widget(widgets, explorer: Explorer, entry: Entry, settings: tuple[str, ...]):
    """A VBox: one slider per parameter with a range, then the view, redrawn on every change."""
    try:
        start = explorer.values(entry.id, settings)
    except ExplorerError:
        start = entry.defaults()
    sliders = {}
    for p in entry.parameters:
        if p.range is None:
            continue
        lo, hi = float(to_exact(p.range[0])), float(to_exact(p.range[1]))
        sliders[p.name] = widgets.FloatSlider(value=float(start[p.name]), min=lo, max=hi, step=(hi - lo) / SLIDER_STEPS,
                                              description=p.name, tooltip=p.description or p.name,
                                              readout_format=".4g", style={"description_width": "initial"},
                                              layout=widgets.Layout(width="32rem"))
    fixed = tuple(s for s in settings if s.split("=", 1)[0].strip() not in sliders)
    output = widgets.HTML(view_html(explorer, entry.id, settings))

    def redraw(_change=None):
        moved = tuple(f"{name}={round(slider.value, 12)!r}" for name, slider in sliders.items())
        output.value = view_html(explorer, entry.id, fixed + moved)

    for slider in sliders.values():
        slider.observe(redraw, names="value")
    box = widgets.VBox([*sliders.values(), output])
    box.redraw = redraw
    return box
