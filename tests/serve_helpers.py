"""Run ``gongkai serve`` in a subprocess for a test, and stop it cleanly."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> tuple[int, str] | None:
    """``(status, text)``, or ``None`` when nothing answers yet."""
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return int(resp.status), resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read().decode("utf-8", errors="replace")
    except OSError:
        return None


def wait_for(predicate: Any, seconds: float = 90) -> Any:
    """Poll ``predicate`` until it is truthy: a hang guard, not a performance assertion."""
    end = time.monotonic() + seconds
    while True:
        value = predicate()
        if value or time.monotonic() > end:
            return value
        time.sleep(0.3)


@contextmanager
def serving(root: Path, scratch: Path, *args: str, stderr: list[str] | None = None) -> Iterator[str]:
    """``gongkai serve`` on a free loopback port (with ``args``); yields the base URL, SIGTERMs
    it afterwards (then appends what it wrote to stderr to ``stderr``, when given)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", str(root), "-a", f"127.0.0.1:{port}", *args],
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        if not wait_for(lambda: fetch(url + ".gongkai/livereload.js") or proc.poll() is not None):
            raise AssertionError("gongkai serve did not answer")
        assert proc.poll() is None, proc.communicate()[1]
        yield url
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert "Traceback" not in err, err
        if stderr is not None:
            stderr.append(err)
