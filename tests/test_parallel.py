"""generator.parallel.fork_map: the one fork pool (check, bulk pages, search index)."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator.parallel import WorkerLost, fork_map

PARENT = os.getpid()
REPO = Path(__file__).resolve().parent.parent


def in_a_fresh_process(scenario: str) -> None:
    """Run ``scenario`` (a function of this module) in a new interpreter.

    fork_map forks only while no other thread runs; the test process may hold threads of
    earlier tests (the browser tests' servers), where fork_map rightly runs serially — and a
    task that ends its process would end pytest. A fresh interpreter has one thread."""
    code = (
        f"from generator.parallel import can_fork; assert can_fork(); import tests.test_parallel as t; t.{scenario}()"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]


def square_and_pid(n: int) -> tuple[int, int]:
    time.sleep(0.02 * (n % 3))  # later tasks often finish first
    return n * n, os.getpid()


def fail_on_five(n: int) -> int:
    if n == 5:
        raise ValueError(f"bad task {n}")
    return n


def die_on_three(n: int) -> int:
    if n == 3:
        os._exit(9)  # as the kernel's OOM killer would end it: no result, no exception
    time.sleep(0.05)
    return n


def test_serial_with_one_worker_runs_here_in_order() -> None:
    results = list(fork_map(square_and_pid, range(6), 1))
    assert [r for r, _ in results] == [0, 1, 4, 9, 16, 25]
    assert {pid for _, pid in results} == {PARENT}


def test_serial_with_fewer_tasks_than_min_tasks() -> None:
    results = list(fork_map(square_and_pid, [3, 4], 2, min_tasks=3))
    assert results == [(9, PARENT), (16, PARENT)]


def test_serial_while_another_thread_runs() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        results = list(fork_map(square_and_pid, range(4), 2))
    finally:
        stop.set()
        other.join()
    assert {pid for _, pid in results} == {PARENT}


def _workers_keep_the_order_of_the_tasks() -> None:
    results = list(fork_map(square_and_pid, range(12), 2))
    assert [r for r, _ in results] == [n * n for n in range(12)]
    assert os.getpid() not in {pid for _, pid in results}


def test_workers_keep_the_order_of_the_tasks() -> None:
    in_a_fresh_process("_workers_keep_the_order_of_the_tasks")


def _unordered_gives_every_result_once() -> None:
    results = list(fork_map(square_and_pid, range(12), 2, ordered=False))
    assert sorted(r for r, _ in results) == [n * n for n in range(12)]
    assert os.getpid() not in {pid for _, pid in results}


def test_unordered_gives_every_result_once() -> None:
    in_a_fresh_process("_unordered_gives_every_result_once")


def test_a_task_error_reaches_the_caller_as_itself() -> None:
    with pytest.raises(ValueError, match="bad task 5"):
        list(fork_map(fail_on_five, range(10), 1))


def _a_task_error_in_a_worker_reaches_the_caller_as_itself() -> None:
    with pytest.raises(ValueError, match="bad task 5"):
        list(fork_map(fail_on_five, range(10), 2))
    assert multiprocessing.active_children() == []  # the pool is gone


def test_a_task_error_in_a_worker_reaches_the_caller_as_itself() -> None:
    in_a_fresh_process("_a_task_error_in_a_worker_reaches_the_caller_as_itself")


def _a_dead_worker_ends_the_map_instead_of_hanging() -> None:
    with pytest.raises(WorkerLost):
        list(fork_map(die_on_three, range(8), 2))
    assert multiprocessing.active_children() == []


def test_a_dead_worker_ends_the_map_instead_of_hanging() -> None:
    in_a_fresh_process("_a_dead_worker_ends_the_map_instead_of_hanging")


def _stopping_early_stops_the_workers() -> None:
    results = fork_map(square_and_pid, range(40), 2)
    assert next(results)[0] == 0
    results.close()  # the caller stops consuming (an exception, Ctrl+C): no worker is left behind
    assert multiprocessing.active_children() == []


def test_stopping_early_stops_the_workers() -> None:
    in_a_fresh_process("_stopping_early_stops_the_workers")
