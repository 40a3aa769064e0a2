"""Forked worker processes: the one pool helper every parallel step of gongkai uses.

:func:`fork_map` runs a function over tasks on forked workers, which inherit the
parent's state (a prepared engine, a parsed catalogue) instead of receiving it
pickled; only the tasks and the results cross between processes. It falls back to
running the tasks here, in order, whenever forking would not pay or would not be
safe: one worker, one task, no ``fork`` on this platform, or other threads alive
(``fork()`` copies only the calling thread, so a lock another thread holds — say
``gongkai serve``'s watcher — could never be released in a worker).

A task's exception reaches the caller as itself; Ctrl+C (or any exception in the
caller while it consumes the results) stops the workers at once; a worker that dies
(killed, out of memory) ends the map with :class:`WorkerLost` rather than a hang.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


class WorkerLost(RuntimeError):
    """A worker process ended without returning its result (killed, out of memory)."""


def worker_signals() -> None:
    """Pool initializer: the parent alone handles Ctrl+C (and stops its pool); SIGTERM, the
    pool's own way of stopping a worker, ends the worker quietly instead of running the
    parent's handler (which would raise BuildInterrupted and print a traceback in the worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextmanager
def paused_gc(before_resuming: Callable[[], None] | None = None) -> Iterator[None]:
    """The cyclic garbage collector paused (if it ran), for work that makes many objects and
    no garbage: each collection would walk the whole heap (at 100k, the catalogue's too).
    ``before_resuming`` runs just before it is enabled again."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            if before_resuming is not None:
                before_resuming()
            gc.enable()


def default_workers() -> int:
    """GONGKAI_WORKERS when set, else the CPUs this process may run on."""
    env = os.environ.get("GONGKAI_WORKERS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether forking workers is possible and safe here (``fork`` exists, no other thread runs)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def fork_map(
    fn: Callable[[T], R], tasks: Iterable[T], workers: int, *, ordered: bool = True, min_tasks: int = 2
) -> Iterator[R]:
    """``fn(task)`` for every task, on up to ``workers`` forked processes; results as they come.

    ``ordered``: results in the order of ``tasks`` (else in the order they finish). With
    fewer than ``min_tasks`` tasks, one worker, or when :func:`can_fork` says no, the tasks
    run here, in order. ``fn`` must be a module-level function; it reads what it needs from
    module globals set before the call (inherited by the fork, never pickled).

    The parent's heap is frozen while the workers run, so that their garbage collector
    does not walk (and so copy, page by page) every object they inherited.
    """
    todo = list(tasks)
    if workers <= 1 or len(todo) < max(min_tasks, 2) or not can_fork():
        for task in todo:
            yield fn(task)
        return
    gc.freeze()
    pool = ProcessPoolExecutor(
        min(workers, len(todo)), mp_context=multiprocessing.get_context("fork"), initializer=worker_signals
    )
    finished = False
    try:
        futures = [pool.submit(fn, task) for task in todo]
        for future in futures if ordered else _completed(futures):
            try:
                result = future.result()
            except BrokenProcessPool as exc:
                raise WorkerLost("a worker process ended unexpectedly") from exc
            yield result
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:  # an error, Ctrl+C, or the caller stopped early: stop the workers now
            _stop(pool)
        gc.unfreeze()


def _completed(futures: list[Future[R]]) -> Iterator[Future[R]]:
    pending = set(futures)
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        yield from done


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers (SIGTERM: they exit quietly)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join()
    if manager is not None:
        manager.join()
