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

import ctypes
import gc
import multiprocessing
import os
import pickle
import select
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractContextManager, contextmanager, suppress
from typing import Any, Generic, TypeVar

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


def aged() -> None:
    """Move every object to the collector's oldest generation without walking them.

    What was made while the collector was paused is all in the youngest generation: the first
    collection after enabling it would walk all of it. It is long-lived (the project, a build's
    lists and records): freeze and unfreeze splice the lists; cyclic garbage among it is still
    found by full collections.
    """
    gc.freeze()
    gc.unfreeze()


def long_lived() -> AbstractContextManager[None]:
    """The collector paused for work that makes many long-lived objects and no cyclic garbage
    (loading the project, the search index, a build's list of pages, its records read and
    written): each full collection would walk the whole heap (~0.25 CPU-s at 10k entries, ten
    times that at 100k). What was made meanwhile is :func:`aged`."""
    return paused_gc(aged)


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
        with deferred_signals():  # the workers are forked here
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


@contextmanager
def deferred_signals() -> Iterator[None]:
    """SIGINT/SIGTERM held back while the block runs (a fork, a swap), delivered to the caller's
    handlers after it (off the main thread, where handlers cannot be set: the block just runs).

    A signal arriving during a fork is handled in the first Python code run after it: the
    modules' at-fork callbacks (logging's), where an exception the handler raises (the build's
    BuildInterrupted) is printed and dropped, and the build would go on. Blocking the signals
    is not enough: another native thread (a BLAS pool's) takes them. A handler that raises
    does so at the end of the block.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    saved = {s: signal.signal(s, lambda signum, frame: pending.append(signum)) for s in _HELD}
    try:
        yield
    finally:
        for held, handler in saved.items():
            signal.signal(held, signal.SIG_DFL if handler is None else handler)
        for signum in pending[:1]:
            signal.raise_signal(signum)  # the caller's handler, now


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


class Forked(Generic[R]):
    """``fn(*args)`` started in one forked process while the caller goes on; :meth:`result` waits.

    For work that shares nothing with what the caller does meanwhile but its inputs (inherited
    by the fork, never pickled): only the result (or the exception) comes back, pickled. The
    child ignores Ctrl+C and dies with the caller (Linux: ``PR_SET_PDEATHSIG``), so a killed
    build leaves no process behind; :meth:`cancel` (in the caller's ``finally``) ends it when
    the result is not wanted. Where forking is not possible or not safe (:func:`can_fork`)
    the call runs in :meth:`result`, here. A child that ends without a result raises
    :class:`WorkerLost`.
    """

    def __init__(self, fn: Callable[..., R], *args: Any) -> None:
        self._fn, self._args = fn, args
        self._pid = 0
        self._fd = -1
        if not can_fork():
            return
        parent = os.getpid()
        read, write = os.pipe()
        gc.freeze()  # the child's collector leaves the inherited heap alone (no copy-on-write)
        try:
            with deferred_signals():  # see there: a signal during the fork is not dropped
                try:
                    pid = os.fork()
                except OSError:
                    pid = -1
                if pid == 0:  # the child: never returns into the caller's code (os._exit)
                    try:
                        os.close(read)
                        _child(parent, write, fn, args)
                    finally:
                        os._exit(0)
                gc.unfreeze()
                os.close(write)
                if pid > 0:
                    self._pid, self._fd = pid, read
                else:
                    os.close(read)
        except BaseException:  # the caller's handler raised: the child is not wanted any more
            self.cancel()
            raise

    def result(self) -> R:
        if not self._pid:
            return self._fn(*self._args)
        chunks: list[bytes] = []
        try:
            self._read(chunks)
        except BaseException:  # Ctrl+C while waiting, say: the child is not waited for
            self.cancel()
            raise
        self._reap()
        try:
            # a large answer (150k noted search files, a standby's 385k-file scan) is as many
            # objects, kept by the build: a full collection while they are made walked the whole
            # heap (1.6 CPU-s at 100k entries)
            with long_lived():
                ok, value = pickle.loads(b"".join(chunks))
        except Exception as exc:
            raise WorkerLost("a worker process ended unexpectedly") from exc
        if ok:
            return value
        raise value

    def _read(self, chunks: list[bytes]) -> None:
        """Read the child's answer until its end, or until the child is gone (a process it
        forked may still hold the pipe open: the child's exit, not the pipe's end, decides)."""
        fd, pid, exited = self._fd, self._pid, False
        while True:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    return
                chunks.append(chunk)
                continue
            if exited:
                return  # gone, and nothing more came
            done, _status = os.waitpid(pid, os.WNOHANG)
            if done:
                self._pid, exited = 0, True  # reaped: one more look at the pipe, then stop

    def cancel(self) -> None:
        """End the child if it still runs (its result is not wanted); safe to call twice."""
        if self._pid:
            with suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            self._reap()

    def _reap(self) -> None:
        pid, fd = self._pid, self._fd
        self._pid, self._fd = 0, -1
        self._fn = _gone
        if fd >= 0:
            os.close(fd)
        if pid:
            while True:
                try:
                    os.waitpid(pid, 0)
                    break
                except ChildProcessError:
                    break
                except InterruptedError:  # pragma: no cover - retried by Python itself
                    continue


def _gone(*args: Any) -> Any:
    raise WorkerLost("the forked call was already collected or cancelled")


_HELD = (signal.SIGINT, signal.SIGTERM)


def _child(parent: int, fd: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the caller handles Ctrl+C and ends this process
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with(parent)
    try:
        payload: tuple[bool, Any] = (True, fn(*args))
    except BaseException as exc:  # every failure goes back to the caller
        payload = (False, exc)
    try:
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # an exception that does not pickle: its text
        data = pickle.dumps((False, RuntimeError(f"{type(payload[1]).__name__}: {payload[1]} ({exc})")))
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _die_with(parent: int) -> None:
    """Be killed when the process that forked this one ends (Linux); exit now if it already has."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent:
        os._exit(1)
