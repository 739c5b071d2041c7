"""The interactive explorer behind ``solve serve``: a local web page with a slider per parameter
that solves the game exactly on every change and redraws it.

- :mod:`catalog`: the games served, by id (the table built at start; no path from the browser);
- :mod:`views`: what a request computes (view, explanation, thresholds, region map, downloads);
- :mod:`picture`, :mod:`regionmap`: the game and the region map as SVG/HTML;
- :mod:`pages`: the HTML pages; :mod:`gate`: bounded work (stale requests dropped);
- :mod:`app`: the Starlette app (an optional dependency, imported when the app is made);
- ``static/``: the page's script and style, shipped in the package (no build step, works offline).

Layer: beside the commands (it calls the API, the analyses and the presenters, and shares the
command line's parsing of ``--set`` values and its one-line errors).
"""
