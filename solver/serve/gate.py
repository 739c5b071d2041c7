"""Bounded work for the explorer: many quick slider moves must not queue up solves.

Each kind of work has a :class:`Gate`: at most ``workers`` jobs run at once, in a thread pool of
that size, and the others wait without a thread. A request names its page (a random id the page
makes) and a sequence number; when a waiting job's turn comes and its page has sent a newer
request on the same channel since, the job is dropped unstarted (:data:`STALE`). So however fast a
slider moves, a page has at most one job running and one waiting per channel. The page also aborts
its stale fetches, and ignores any answer that is not to its newest request.

>>> import asyncio
>>> gate = Gate(1)
>>> async def three_quick_moves():
...     jobs = [asyncio.ensure_future(gate.run(("page", "view"), k, lambda k=k: f"move {k}")) for k in (1, 2, 3)]
...     return [await job for job in jobs]
>>> first, second, third = asyncio.run(three_quick_moves())
>>> first, second is STALE, third          # the second waited while the first ran, and was superseded
('move 1', True, 'move 3')
"""
from __future__ import annotations

import asyncio
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Hashable

#: What :meth:`Gate.run` returns for a job dropped because a newer one came.
STALE = object()
#: Pages remembered per gate (the oldest are forgotten first).
MAX_PAGES = 2048


class Gate:
    """At most ``workers`` jobs at once; a job superseded before it starts is dropped."""

    def __init__(self, workers: int):
        self.workers = workers
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="explorer")
        self._semaphores: dict[int, asyncio.Semaphore] = {}
        self._latest: OrderedDict[Hashable, int] = OrderedDict()

    def _semaphore(self) -> asyncio.Semaphore:
        loop = id(asyncio.get_running_loop())         # one per event loop (tests start several)
        if loop not in self._semaphores:
            self._semaphores[loop] = asyncio.Semaphore(self.workers)
        return self._semaphores[loop]

    def _remember(self, key: Hashable, sequence: int) -> None:
        self._latest[key] = max(sequence, self._latest.get(key, sequence))
        self._latest.move_to_end(key)
        while len(self._latest) > MAX_PAGES:
            self._latest.popitem(last=False)

    def superseded(self, key: Hashable | None, sequence: int | None) -> bool:
        return key is not None and sequence is not None and self._latest.get(key, sequence) > sequence

    async def run(self, key: Hashable | None, sequence: int | None, function: Callable[[], object],
                  timeout: float | None = None):
        """``function()`` in a worker thread when its turn comes, or :data:`STALE` if ``key`` (a
        page and channel) has sent a newer ``sequence`` by then. ``timeout``: seconds to wait for
        the answer (``asyncio.TimeoutError`` after; the worker finishes the job unobserved)."""
        if key is not None and sequence is not None:
            self._remember(key, sequence)
        async with self._semaphore():
            if self.superseded(key, sequence):
                return STALE
            future = asyncio.get_running_loop().run_in_executor(self._executor, function)
            return await asyncio.wait_for(future, timeout) if timeout else await future

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
