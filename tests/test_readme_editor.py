"""Every shell command of README's "Editor workflow" section, run as written on a fresh copy of the sample.

The section's fenced ``sh`` blocks are parsed, not copied here, so the README cannot
drift from what works. Each command must exit 0. ``gongkai serve`` runs until it
answers and is then stopped with Ctrl+C (SIGINT), as the README says; it is given a
free port (``-a``) so that parallel test runs do not collide on 8000.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from tests.serve_helpers import fetch, free_port, wait_for

SAMPLE = ("catalogue", "content", "theme", "site_config.yml")


def editor_commands(readme: str) -> list[str]:
    """The commands of every ```sh block in the "## Editor workflow" section, comments removed."""
    section = readme.split("\n## Editor workflow\n", 1)[1].split("\n## ", 1)[0]
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", section, re.S | re.M):
        for line in block.splitlines():
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command and not command.startswith("#"):
                commands.append(command)
    return commands


def fresh_sample(tmp: Path) -> Path:
    root = tmp / "sample"
    root.mkdir()
    for name in SAMPLE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy2(source, root / name)
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    return root


def _environment(tmp: Path) -> dict[str, str]:
    """``gongkai`` on PATH runs this checkout with this interpreter."""
    bin_dir = tmp / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "gongkai"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m generator "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(REPO),
        "TMPDIR": str(tmp),
        "CI": "true",
    }


def _serve(command: str, root: Path, env: dict[str, str]) -> None:
    port = free_port()
    proc = subprocess.Popen(
        ["bash", "-c", f"exec {command} -a 127.0.0.1:{port}"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl+C as in an editor's terminal: a shell's background job (a CI runner's `cmd &`)
        # passes SIGINT on ignored, and Python then never raises KeyboardInterrupt
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        answer = wait_for(lambda: fetch(f"http://127.0.0.1:{port}/") or proc.poll() is not None, seconds=300)
        assert proc.poll() is None, proc.communicate()
        assert answer and answer[0] == 200 and "澜江市" in answer[1]
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl+C
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Traceback" not in err


def test_editor_section_lists_the_commands_an_editor_needs() -> None:
    commands = editor_commands((REPO / "README.md").read_text(encoding="utf-8"))
    names = {shlex.split(c)[1] for c in commands}
    assert {"new", "check", "build", "serve"} <= names
    assert any(c.startswith("gongkai new interpretation") for c in commands)


def test_every_editor_command_works_on_a_fresh_sample(tmp_path: Path) -> None:
    root = fresh_sample(tmp_path)
    env = _environment(tmp_path)
    commands = editor_commands((REPO / "README.md").read_text(encoding="utf-8"))
    for command in commands:
        if shlex.split(command)[:2] == ["gongkai", "serve"]:
            _serve(command, root, env)
            continue
        result = subprocess.run(["bash", "-c", command], cwd=root, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"{command}\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
        assert "Traceback" not in result.stderr, command
    # What the README promises about the files `new -o` wrote: the next free 索引号, and
    # their stand-in texts reported by check until the editor replaces them.
    written = [Path(shlex.split(c)[shlex.split(c).index("-o") + 1]) for c in commands if " -o " in c]
    assert written, "the README shows `new -o`"
    for rel in written:
        text = (root / rel).read_text(encoding="utf-8")
        serial = rel.stem.split("-", 1)[1]  # szfb-2025-00022 -> 2025-00022
        assert re.search(rf"^index_no: \d{{9}}/{serial}$", text, re.M), rel
        check = subprocess.run(
            ["bash", "-c", f"gongkai check {shlex.quote(str(rel))}"], cwd=root, env=env, capture_output=True, text=True
        )
        assert check.returncode == 1 and "[E106]" in check.stderr, check.stderr
