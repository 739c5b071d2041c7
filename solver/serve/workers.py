"""The explorer's worker processes: where every solve, map, threshold search and report is done.

A few long-lived processes (``python -m solver.serve.workers``: fresh interpreters that share no
locks or threads with the server, and do not run the server's main script again as
``multiprocessing``'s spawn would) each load the served games once and answer requests over a
pair of pipes with an in-process
:class:`~solver.serve.views.Explorer`. The per-request time limit is enforced from outside: a
worker that has not answered in time is killed and replaced, and the request fails with a
:class:`WorkTimeout` the page shows. So no solve can run on unobserved, and none pays for a
process per request: with a deadline, the library runs most methods in a forked child to be able
to stop them (``solver/core/isolate.py``), which costs 50–100 ms per solve on a busy machine,
more than solving an article game.
"""
from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from multiprocessing.connection import Connection

from solver.api import load_game
from solver.serve.catalog import Catalog, Entry
from solver.serve.views import Explorer, ExplorerError

#: Seconds a new worker may take to import the package and load the games.
START_LIMIT = 120.0
READY = "ready"


class WorkTimeout(Exception):
    """The worker did not answer within the time limit (it was stopped)."""


def _serve(requests: Connection, answers: Connection) -> None:
    """A worker's life: load the games it is sent, then answer ``(method, args)`` requests until
    the pipe closes."""
    games = requests.recv()
    explorer = Explorer(Catalog([Entry(ident, path, load_game(path)) for ident, path in games]), timeout=None)
    explorer.warm_up()
    answers.send(READY)
    while True:
        try:
            name, args = requests.recv()
        except (EOFError, OSError):
            return
        try:
            answer = ("ok", getattr(explorer, name)(*args))
        except ExplorerError as error:
            answer = ("error", str(error))
        except Exception as error:  # noqa: BLE001 - any failure must reach the page as one line, not kill the worker
            answer = ("error", f"the request failed: {type(error).__name__}: {error}")
        answers.send(answer)


class _Worker:
    """One worker process and its two pipes: requests to it, answers from it."""

    def __init__(self, games: list[tuple[str, str]]):
        to_child, requests = os.pipe()
        answers, from_child = os.pipe()
        self.process = subprocess.Popen([sys.executable, "-m", "solver.serve.workers", str(to_child), str(from_child)],
                                        pass_fds=(to_child, from_child), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        os.close(to_child)
        os.close(from_child)
        self.requests, self.connection = Connection(requests, readable=False), Connection(answers, writable=False)
        self.requests.send(games)
        self.ready = False

    def wait_ready(self) -> None:
        if not self.ready:
            if not self.connection.poll(START_LIMIT) or self.connection.recv() != READY:
                raise ExplorerError("the explorer's worker process did not start")
            self.ready = True

    def send(self, message) -> None:
        self.requests.send(message)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=5)
        self.requests.close()
        self.connection.close()


class Pool:
    """``size`` worker processes for the games of ``catalog``; :meth:`call` runs an
    :class:`Explorer` method in an idle one, within a time limit."""

    def __init__(self, catalog: Catalog, size: int = 2):
        self.games = [(entry.id, entry.path) for entry in catalog]
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        worker = _Worker(self.games)
        with self._lock:
            self._all.append(worker)
        return worker

    def call(self, name: str, *args, limit: float | None = None):
        """``Explorer.name(*args)`` in a worker; ``ExplorerError`` as there; ``WorkTimeout`` after
        ``limit`` seconds (the worker is then replaced)."""
        worker = self._idle.get()
        try:
            worker.wait_ready()
            worker.send((name, args))
            if not worker.connection.poll(limit):
                raise WorkTimeout(f"no answer within the time limit ({limit:g} s); the work was stopped")
            status, value = worker.connection.recv()
        except (WorkTimeout, ExplorerError, EOFError, OSError) as failure:
            worker.stop()
            self._idle.put(self._start())
            if isinstance(failure, (WorkTimeout, ExplorerError)):
                raise
            raise ExplorerError("the explorer's worker process stopped unexpectedly") from None
        self._idle.put(worker)
        if status == "error":
            raise ExplorerError(value)
        return value

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for worker in self._all:
                worker.stop()


if __name__ == "__main__":            # a worker: python -m solver.serve.workers REQUESTS_FD ANSWERS_FD
    _serve(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False))
