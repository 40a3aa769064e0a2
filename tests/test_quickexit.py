"""The ``gongkai`` process ends without tearing its heap down (generator/quickexit.py), and
otherwise exits as Python would: the same status, every byte of its output, the atexit
handlers run; an ordinary exit when another thread still runs or the status is not a number."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import ProjectFactory

REPO = Path(__file__).resolve().parents[1]

# an object whose finalizer runs when the interpreter tears the heap down (module teardown)
PRELUDE = """
import atexit, sys, threading, time
class Witness:
    def __del__(self):
        sys.stdout.write("teardown\\n")
        sys.stdout.flush()
witness = Witness()
atexit.register(lambda: sys.stdout.write("atexit ran\\n"))
"""


def run(code: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1768435200"}
    return subprocess.run(
        [sys.executable, "-c", PRELUDE + code, *args], env=env, cwd=cwd, capture_output=True, text=True, check=False
    )


def test_quick_exit_skips_the_teardown_but_not_the_atexit_handlers() -> None:
    done = run("from generator.cli import run\nsys.argv = ['gongkai', '--version']\nrun()")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("gongkai ")
    assert "atexit ran" in done.stdout
    assert "teardown" not in done.stdout  # the heap was not taken apart


def test_the_same_script_with_main_tears_down_as_python_does() -> None:
    # the control: without run(), the witness's finalizer is seen, so the test above can fail
    done = run("from generator.cli import main\nsys.argv = ['gongkai', '--version']\nmain()")
    assert done.returncode == 0, done.stderr
    assert "atexit ran" in done.stdout and "teardown" in done.stdout


def test_exit_status_and_messages_are_kept(make_project: Callable[[], ProjectFactory]) -> None:
    p = make_project()
    (p.root / "site_config.yml").write_text("site_name: [\n", encoding="utf-8")  # a configuration error
    code = "from generator.cli import run\nsys.argv = ['gongkai', *sys.argv[1:]]\nrun()"
    failed = run(code, "check", str(p.root))
    assert failed.returncode == 1
    assert "site_config.yml" in failed.stdout + failed.stderr
    usage = run(code, "no-such-command")
    assert usage.returncode == 2 and usage.stderr
    assert "teardown" not in failed.stdout + usage.stdout


def test_a_running_thread_gets_the_ordinary_exit() -> None:
    code = """
def late():
    time.sleep(0.5)
    sys.stdout.write("thread finished\\n")
threading.Thread(target=late).start()
from generator.cli import run
sys.argv = ['gongkai', '--version']
run()
"""
    done = run(code)
    assert done.returncode == 0, done.stderr
    assert "thread finished" in done.stdout  # waited for, as Python waits
    assert "teardown" in done.stdout


def test_a_message_status_gets_the_ordinary_exit() -> None:
    done = run("from generator.quickexit import run_and_exit\nrun_and_exit(lambda: sys.exit('停止：原因'))")
    assert done.returncode == 1
    assert "停止：原因" in done.stderr
    assert "teardown" in done.stdout


def test_output_written_just_before_the_exit_is_not_lost(tmp_path: Path) -> None:
    # a large block still in the buffer of a pipe when the command returns
    code = (
        "from generator.quickexit import run_and_exit\n"
        "def entry():\n"
        "    sys.stdout.write('x' * 200000 + 'END\\n')\n"
        "    sys.stderr.write('err-end\\n')\n"
        "    sys.exit(3)\n"
        "run_and_exit(entry)\n"
    )
    done = run(code)
    assert done.returncode == 3
    assert done.stdout.startswith("x" * 200000 + "END\n")
    assert done.stderr.endswith("err-end\n")
    assert "teardown" not in done.stdout


def test_python_m_generator_and_the_console_script_use_it() -> None:
    assert (REPO / "generator" / "__main__.py").read_text(encoding="utf-8").count("run()") == 1
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'gongkai = "generator.cli:run"' in text
