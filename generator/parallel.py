"""Forked worker processes: what every pool gongkai starts needs in each worker."""

from __future__ import annotations

import signal


def worker_signals() -> None:
    """Pool initializer: the parent alone handles Ctrl+C (and stops its pool); SIGTERM, the
    pool's own way of stopping a worker, ends the worker quietly instead of running the
    parent's handler (which would raise BuildInterrupted and print a traceback in the worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
