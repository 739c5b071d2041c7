"""The explorer as an ASGI app (Starlette): ``solve serve`` runs it with uvicorn.

Routes (``ID`` is a game's id in the table built at start; anything else is 404):

- ``/``: the index of the games (a directory), or the one game's page (a file);
- ``/game/ID?NAME=VALUE…``: the page of one game at those values (the permalink);
- ``/api/ID/view``, ``/api/ID/explain``, ``/api/ID/thresholds/NAME``, ``/api/ID/map?map_x=A&map_y=B``:
  JSON for the page's script; a value that cannot be read gives status 400 and the one-line error;
- ``/download/ID.yaml`` and ``/download/ID.html``: the game as YAML with these values, the report;
- ``/static/…``: the page's script and style, from the package.

The work is done in two worker processes (:mod:`solver.serve.workers`), one for the solves and
one for the rest, each behind a :class:`~solver.serve.gate.Gate`, so quick slider moves do not
queue up work; a worker that passes the time limit (``--timeout`` for a solve, six times that for
a map, thresholds, an explanation or a report) is stopped and the page says so.
Starlette is an optional dependency (``pip install 'strategy-solver[explorer]'``), imported when
an app is made.
"""
from __future__ import annotations

import contextlib
import ipaddress
import os
import socket
import threading
import time

from solver.serve.catalog import Catalog
from solver.serve.gate import STALE, Gate
from solver.serve.pages import PAGE_KEYS, game_page, index_page
from solver.serve.views import Explorer, ExplorerError, settings_from_query
from solver.serve.workers import Pool, WorkTimeout

STATIC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")
#: Work other than a solve (thresholds, maps, explanations, reports) is waited for this many times the solve deadline.
OTHER_WORK_FACTOR = 6
INSTALL_HINT = "the explorer needs Starlette and uvicorn: pip install 'strategy-solver[explorer]'"


def create_app(catalog: Catalog, timeout: float | None = None):
    """The Starlette app serving ``catalog``'s games; ``timeout``: seconds per solve."""
    from starlette.applications import Starlette  # optional extra: only the explorer needs it
    from starlette.routing import Mount, Route  # optional extra
    from starlette.staticfiles import StaticFiles  # optional extra
    explorer = Explorer(catalog) if timeout is None else Explorer(catalog, timeout)
    handlers = _Handlers(explorer)
    routes = [Route("/", handlers.home), Route("/game/{ident}", handlers.page),
              Route("/api/{ident}/view", handlers.view), Route("/api/{ident}/explain", handlers.explain),
              Route("/api/{ident}/thresholds/{parameter}", handlers.thresholds), Route("/api/{ident}/map", handlers.region_map),
              Route("/download/{filename}", handlers.download),
              Mount("/static", app=StaticFiles(directory=STATIC), name="static")]
    @contextlib.asynccontextmanager
    async def lifespan(app):
        handlers.start()                      # the worker processes start with the server, not with the app
        yield
        handlers.close()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.explorer = explorer
    return app


class _Handlers:
    """The request handlers, sharing one :class:`Explorer` and its gates."""

    def __init__(self, explorer: Explorer):
        from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response  # optional extra
        self.explorer = explorer
        self.html, self.json, self.text, self.redirect, self.response = (HTMLResponse, JSONResponse, PlainTextResponse,
                                                                        RedirectResponse, Response)
        self.solves, self.other = Gate(1), Gate(1)
        self._pool: Pool | None = None
        self.limit = explorer.timeout                     # seconds for a solve
        self.other_limit = explorer.timeout * OTHER_WORK_FACTOR

    def start(self) -> None:
        if self._pool is None:
            self._pool = Pool(self.explorer.catalog, size=2)     # one worker for each gate: neither waits for the other

    @property
    def pool(self) -> Pool:
        self.start()
        return self._pool

    def close(self):
        self.solves.close()
        self.other.close()
        if self._pool is not None:
            self._pool.close()

    def _entry(self, request):
        return self.explorer.catalog.get(request.path_params.get("ident", ""))

    def _not_found(self):
        return self.text("Not found: this server shows only the games it was started with.", status_code=404)

    def _settings(self, request, entry) -> tuple[str, ...]:
        return settings_from_query(entry, dict(request.query_params), PAGE_KEYS)

    def _ticket(self, request, channel: str):
        """The page and channel a request belongs to, and its sequence number (for dropping stale work)."""
        page, sequence = request.query_params.get("_page"), request.query_params.get("_seq")
        if not page or not (sequence or "").isdigit():
            return None, None
        return (page[:64], request.path_params.get("ident"), channel), int(sequence)

    async def _answer(self, request, channel: str, name: str, args: tuple, gate: Gate, limit: float, wrap=lambda value: value):
        """``Explorer.name(*args)`` in a worker process, behind ``gate``: JSON of ``wrap(result)``,
        the one-line error (400), a stale request (``{"stale": true}``) or the time limit (503)."""
        key, sequence = self._ticket(request, channel)
        try:
            result = await gate.run(key, sequence, lambda: self.pool.call(name, *args, limit=limit))
        except ExplorerError as error:
            return self.json({"error": str(error)}, status_code=400)
        except WorkTimeout as error:
            return self.json({"error": str(error), "timed_out": True}, status_code=503)
        if result is STALE:
            return self.json({"stale": True})
        return self.json(wrap(result))

    # ---- pages ----------------------------------------------------------------------------------
    async def home(self, request):
        single = self.explorer.catalog.single
        if single is not None:
            return await self._page(request, single, in_directory=False)
        return self.html(index_page(self.explorer.catalog))

    async def page(self, request):
        entry = self._entry(request)
        if entry is None:
            return self._not_found()
        return await self._page(request, entry, in_directory=self.explorer.catalog.single is None)

    async def _page(self, request, entry, in_directory: bool):
        settings = self._settings(request, entry)
        query = {k: v for k, v in request.query_params.items()}
        axes = self.explorer.map_axes(entry.id, request.query_params.get("map_x"), request.query_params.get("map_y"))
        view, error, values = None, "", entry.defaults()
        try:
            values = self.explorer.values(entry.id, settings)
            view = await self.solves.run(None, None, lambda: self.pool.call("view", entry.id, settings, limit=self.limit))
        except (ExplorerError, WorkTimeout) as failure:
            error = str(failure)
        return self.html(game_page(entry, values, view, error, query, axes, in_directory))

    # ---- the page's questions -------------------------------------------------------------------
    async def view(self, request):
        entry = self._entry(request)
        if entry is None:
            return self._not_found()
        settings = self._settings(request, entry)
        return await self._answer(request, "view", "view", (entry.id, settings), self.solves, self.limit)

    async def explain(self, request):
        entry = self._entry(request)
        if entry is None:
            return self._not_found()
        settings = self._settings(request, entry)
        return await self._answer(request, "explain", "explanation", (entry.id, settings), self.other, self.other_limit,
                                  lambda html: {"html": html})

    async def thresholds(self, request):
        entry = self._entry(request)
        if entry is None:
            return self._not_found()
        settings, parameter = self._settings(request, entry), request.path_params["parameter"]
        return await self._answer(request, "thresholds-" + parameter[:64], "thresholds", (entry.id, settings, parameter),
                                  self.other, self.other_limit)

    async def region_map(self, request):
        entry = self._entry(request)
        if entry is None:
            return self._not_found()
        settings = self._settings(request, entry)
        x, y = request.query_params.get("map_x", ""), request.query_params.get("map_y", "")
        return await self._answer(request, "map", "region_map", (entry.id, settings, x, y), self.other, self.other_limit)

    async def download(self, request):
        ident, dot, suffix = request.path_params["filename"].rpartition(".")
        entry = self.explorer.catalog.get(ident) if dot else None
        if entry is None or suffix not in ("yaml", "html"):
            return self._not_found()
        settings = self._settings(request, entry)
        work = "game_yaml" if suffix == "yaml" else "report"
        try:
            text = await self.other.run(None, None, lambda: self.pool.call(work, entry.id, settings, limit=self.other_limit))
        except ExplorerError as error:
            return self.text(f"Error: {error}", status_code=400)
        except WorkTimeout as error:
            return self.text(f"Error: {error}", status_code=503)
        media = "application/yaml" if suffix == "yaml" else "text/html"
        headers = {"Content-Disposition": f'attachment; filename="{entry.id}.{suffix}"'}
        return self.response(text, media_type=f"{media}; charset=utf-8", headers=headers)


# ---- running it ---------------------------------------------------------------------------------
def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (``127.0.0.1``, ``::1``, ``localhost``)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (port 0: a free one, chosen by the system): a browser
    that connects before the server has started waits in its queue instead of being refused."""
    family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, protocol)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(128)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _server(app):
    import uvicorn  # optional extra: only the explorer needs it
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    return uvicorn.Server(config)


def run(app, sock: socket.socket) -> None:
    """Serve ``app`` on ``sock`` until interrupted (Ctrl+C)."""
    _server(app).run(sockets=[sock])


class Background:
    """A server running in a thread (tests, notebooks): ``url``, and ``stop()``."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0):
        self.sock = bind(host, port)
        self.url = url_of(self.sock)
        self.server = _server(app)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started and self.thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        if not self.server.started:
            raise RuntimeError("the explorer's server did not start")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()
