"""Forked worker processes: what every pool gongkai starts needs in each worker."""

from __future__ import annotations

import os
import signal


def worker_signals() -> None:
    """Pool initializer: the parent alone handles Ctrl+C (and stops its pool); SIGTERM, the
    pool's own way of stopping a worker, ends the worker quietly instead of running the
    parent's handler (which would raise BuildInterrupted and print a traceback in the worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def default_workers() -> int:
    """GONGKAI_WORKERS when set, else the CPUs this process may run on."""
    env = os.environ.get("GONGKAI_WORKERS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
