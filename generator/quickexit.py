"""Leave the ``gongkai`` process without taking its heap apart object by object.

A finished ``gongkai build`` of 10,000 entries holds a catalogue, a page job per page,
MkDocs' file objects and the caches' tables: when the interpreter exits normally it
deallocates each of those objects (module teardown), ~0.2–0.4 s at 10k entries, more at
100k — time in which the command has already printed its summary and the editor waits for
nothing. The operating system frees a process's memory at once. So the console script ends
with :func:`os._exit` once everything an ordinary exit would still do has been done:

* standard output and error are flushed (an error there is reported as Python would);
* the :mod:`atexit` handlers run (multiprocessing's, logging's, ``weakref.finalize``'s —
  temporary folders among them), as they would;
* it happens only when no other non-daemon thread is alive (an ordinary exit would wait for
  it) and only with an integer exit status (or ``None``); otherwise the ordinary exit runs.

Only the process's own entry points use it (:func:`generator.cli.run`, ``python -m
generator``): code that calls :func:`generator.cli.main` in a process of its own (tests, other
programs) exits as it always did.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from collections.abc import Callable


def run_and_exit(entry: Callable[[], object]) -> None:
    """Run ``entry`` (a click command in standalone mode: it ends in ``SystemExit``), then
    exit the process quickly with its status when that is safe; else exit as Python does."""
    try:
        entry()
    except SystemExit as done:
        code = done.code
        if code is None:
            code = 0
        if not isinstance(code, int) or isinstance(code, bool) or not _only_thread():
            raise
        quick_exit(code)
        raise  # not reached: quick_exit returns only when it could not flush (see there)
    quick_exit(0)


def _only_thread() -> bool:
    main = threading.main_thread()
    return all(t is main or t.daemon or not t.is_alive() for t in threading.enumerate())


def quick_exit(code: int) -> None:
    """Flush, run the atexit handlers and end the process with ``code`` without tearing the
    heap down. Returns (doing nothing more) when a standard stream cannot be flushed, so that
    the ordinary exit reports it."""
    if not _flushed():
        return
    atexit._run_exitfuncs()
    _flushed()  # what the handlers wrote (too late now to report a failure)
    os._exit(code & 0xFF)  # the status an ordinary exit(code) gives


def _flushed() -> bool:
    """Flush standard output and error (each, whatever the other did); False when one of them
    cannot be."""
    ok = True
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            ok = False
    return ok
