"""Where the per-article step runs: inline, in a local process pool, or on a dask cluster.

Every executor has one operation, ``map_ordered(fn, items, window)``: ``fn`` applied to each
item, results yielded in input order. Items are pulled lazily and sent in chunks, with at most
``window`` chunks in flight, so memory stays flat however long the input is. The caller keeps
whatever holds state (the event merge, the store) in its own process, in input order; only
pure functions of picklable records (``sitrep.pipeline.safe_process``) go to the workers.

    with get_executor("pool", workers=2) as ex:
        for result in ex.map_ordered(fn, articles): ...
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from types import ModuleType
from typing import Any, Protocol, TypeVar

from sitrep.errors import SitrepError

T = TypeVar("T")
R = TypeVar("R")
C = TypeVar("C")

NAMES = ("auto", "inline", "pool", "dask")
CHUNK = 8  # articles per task: ~80 ms of work, so a task's round trip (~1 ms) is noise


class ExecutorError(SitrepError):
    """An executor cannot be started: a missing optional dependency, an unreachable cluster."""


class _Future(Protocol[R]):
    def result(self) -> R: ...

    def cancel(self) -> Any: ...


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _run_chunk(fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    """One task on a worker: a chunk, so the per-task overhead is paid once per ``CHUNK`` items."""
    return [fn(x) for x in chunk]


def _windowed(submit: Callable[[list[T]], _Future[list[R]]], items: Iterable[T], chunk: int,
              window: int) -> Iterator[R]:
    """Submit chunks ahead of the consumer, at most ``window`` in flight; yield in input order."""
    pending: deque[_Future[list[R]]] = deque()
    try:
        for batch in _batches(items, chunk):
            pending.append(submit(batch))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        # the consumer stopped early (an error, Ctrl-C): drop the work nobody will read
        for f in pending:
            f.cancel()


class Executor:
    """The interface: ``map_ordered``, ``close``, and use as a context manager."""

    name = "executor"
    workers = 1

    def map_ordered(self, fn: Callable[[T], R], items: Iterable[T], window: int | None = None) -> Iterator[R]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def describe(self) -> str:
        return f"{self.name} ({self.workers} worker{'s' if self.workers != 1 else ''})"

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class InlineExecutor(Executor):
    """In this process, one item after the other: the default, and the reference the others
    must match."""

    name = "inline"

    def map_ordered(self, fn: Callable[[T], R], items: Iterable[T], window: int | None = None) -> Iterator[R]:
        return (fn(x) for x in items)


class PoolExecutor(Executor):
    """A local process pool. Workers start from a fork server that has imported sitrep (not
    from this process, which may hold threads and a database connection), and each loads the
    language packs and gazetteer once, on its first article."""

    name = "pool"

    def __init__(self, workers: int | None = None, chunk: int = CHUNK) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.chunk = chunk
        if "forkserver" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["sitrep.pipeline"])
        else:
            ctx = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(self.workers, mp_context=ctx)

    def map_ordered(self, fn: Callable[[T], R], items: Iterable[T], window: int | None = None) -> Iterator[R]:
        # two chunks queued per worker keep it busy while this process stores the results
        return _windowed(lambda batch: self._pool.submit(_run_chunk, fn, batch), items, self.chunk,
                         window or 3 * self.workers)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


@functools.cache
def _dask() -> ModuleType | str:
    """``distributed``, or why it cannot be imported: probed once per process."""
    try:
        import distributed
    except ImportError as exc:
        return f"{exc}"
    return distributed


def dask_available() -> bool:
    return not isinstance(_dask(), str)


class DaskExecutor(Executor):
    """Tasks on a dask.distributed cluster: a local one started here (``workers`` processes, one
    thread each: the step is pure Python, threads would share one GIL), or a running scheduler
    at ``address``, whose workers must have sitrep installed."""

    name = "dask"

    def __init__(self, workers: int | None = None, address: str | None = None, chunk: int = CHUNK) -> None:
        distributed = _dask()
        if isinstance(distributed, str):
            raise ExecutorError(f"the dask executor needs dask[distributed] ({distributed}): "
                                "pip install 'sitrep[dask]'")
        self.chunk = chunk
        self._cluster: Any = None
        try:
            if address:
                self._client = distributed.Client(address, timeout="10s")
            else:
                self._cluster = distributed.LocalCluster(
                    n_workers=max(1, workers or os.cpu_count() or 1), threads_per_worker=1, processes=True,
                    dashboard_address=None, silence_logs=logging.ERROR)
                self._client = distributed.Client(self._cluster)
        except (OSError, TimeoutError) as exc:
            if self._cluster is not None:
                self._cluster.close()
            raise ExecutorError(f"cannot reach the dask scheduler at {address or 'a local cluster'}: {exc}") from exc
        self.address = address or self._cluster.scheduler_address
        self.workers = max(1, sum(self._client.nthreads().values()))

    def map_ordered(self, fn: Callable[[T], R], items: Iterable[T], window: int | None = None) -> Iterator[R]:
        # pure=False: no hashing of the arguments to name the task (it costs, and nothing is reused)
        return _windowed(lambda batch: self._client.submit(_run_chunk, fn, batch, pure=False), items,
                         self.chunk, window or 3 * self.workers)

    def describe(self) -> str:
        return f"{super().describe()} at {self.address}"

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def get_executor(name: str | None = None, workers: int | None = None, cluster: str | None = None) -> Executor:
    """The executor a command asked for. ``auto``: dask when a cluster address is given, a
    process pool for more than one worker, else inline."""
    name = (name or "auto").lower()
    if name not in NAMES:
        raise ExecutorError(f"unknown executor {name!r} (one of {', '.join(NAMES)})")
    if workers is not None and workers < 1:
        raise ExecutorError(f"--workers must be at least 1, not {workers}")
    if cluster and name not in ("auto", "dask"):
        raise ExecutorError(f"--cluster needs the dask executor, not {name!r}")
    if name == "auto":
        name = "dask" if cluster else "pool" if (workers or 1) > 1 else "inline"
    if name == "inline":
        return InlineExecutor()
    if name == "pool":
        return PoolExecutor(workers)
    return DaskExecutor(workers, address=cluster)


def map_along(executor: Executor, fn: Callable[[T], R], pairs: Iterable[tuple[C, T]],
              window: int | None = None) -> Iterator[tuple[C, R]]:
    """``map_ordered`` over the second of each pair, yielding (first, result): the first (an
    article, a read error) stays in this process and is matched to its result by order."""
    held: deque[C] = deque()

    def payloads() -> Iterator[T]:
        for keep, send in pairs:
            held.append(keep)
            yield send

    for result in executor.map_ordered(fn, payloads(), window):
        yield held.popleft(), result
