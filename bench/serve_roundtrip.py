"""`gongkai serve` round trip: from a saved file to the change shown in the browser.

    python bench/serve_roundtrip.py CORPUS_DIR [--json] [--work DIR] [--timeout S] [--number K]

Copies CORPUS_DIR (its ``site/`` and ``.gongkai-cache/`` too, when present) to a scratch
folder, starts ``gongkai serve`` on the copy and waits for the first build, then, each in
turn:

* **edit**: opens the K-th catalogue entry's page in headless Chromium (Debian's
  ``/usr/bin/chromium`` through playwright), appends a unique sentence to the entry's file
  and measures the time from the write until the open page shows the sentence (the page
  reloads itself through the live-reload script; nothing here reloads it);
* **add**: writes a new entry (a copy of that entry with a new 索引号 and title) and measures
  the time until its URL answers with its title (polled; a page that does not exist yet
  cannot be open);
* **delete**: deletes the new entry's file and measures the time until its URL answers 404.

Prints one line per step, or with ``--json`` one JSON object:
``{"edit_to_visible_s": …, "add_to_visible_s": …, "delete_to_gone_s": …, "startup_s": …,
"cpu_s": …, "settled_s": …, "cpu_settled_s": …}`` (``cpu_s``: user + system time of the serve
process tree over the three steps, from /proc; ``settled_s``: from the delete until the serve
process tree is idle again (no more CPU than ``idle_cpu_per_s``, measured before the edit), its
background builds done; ``cpu_settled_s``: its CPU time from the
edit until then; ``null`` for a step that did not finish within ``--timeout`` seconds).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.model.urls import index_url

CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return int(resp.status), resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return int(exc.code), ""
    except OSError:
        return 0, ""


def tree_cpu(pid: int) -> float:
    """User + system seconds of ``pid`` and its live descendants (children's reaped time included)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = text[text.rfind(")") + 2 :].split()
        stats[int(entry)] = fields
        children.setdefault(int(fields[1]), []).append(int(entry))
    todo = [pid]
    while todo:
        p = todo.pop()
        if p in stats:
            f = stats[p]
            total += sum(int(x) for x in f[11:15]) / tick  # utime stime cutime cstime
        todo.extend(children.get(p, []))
    return total


def index_no_of(path: Path) -> str:
    m = re.search(r"^index_no:\s*(\S+)\s*$", path.read_text(encoding="utf-8"), re.M)
    if m is None:
        raise SystemExit(f"no index_no in {path}")
    return m.group(1).strip("'\"")


def pick_entry(root: Path, number: int) -> Path:
    """The ``number``-th catalogue entry (sorted) that has no 文号 and no relations (a safe template to copy)."""
    files = sorted((root / "catalogue").rglob("*.md"))
    for path in files[number:] + files[:number]:
        text = path.read_text(encoding="utf-8")
        front = text.split("\n---\n", 1)[0]
        quiet = all(word not in front for word in ("doc_no", "relations", "draft", "embargo"))
        if quiet and "disclosure: 主动公开" in front:
            return path
    raise SystemExit("no suitable entry found")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--work", type=Path, help="scratch folder (kept); default: a temporary one, removed")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for each step")
    ap.add_argument("--number", type=int, default=4000, help="which catalogue file to edit (sorted)")
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    scratch = args.work or Path(tempfile.mkdtemp(prefix="gongkai-serve-bench-"))
    root = scratch / "corpus"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(args.corpus, root, symlinks=True)
    results: dict[str, Any] = {"corpus": str(args.corpus)}
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "TMPDIR": str(scratch)}
    env.setdefault("SOURCE_DATE_EPOCH", "1768435200")  # as bench/run.py builds
    started = time.monotonic()
    log = (scratch / "serve.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", str(root), "-a", f"127.0.0.1:{port}"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
        start_new_session=True,
    )
    edited = pick_entry(root, args.number)
    url = base + index_url(index_no_of(edited))
    try:
        while status(url)[0] != 200:
            if proc.poll() is not None or time.monotonic() - started > args.timeout * 4:
                raise SystemExit(f"gongkai serve did not come up: {(scratch / 'serve.log').read_text()[-3000:]}")
            time.sleep(0.2)
        results["startup_s"] = round(time.monotonic() - started, 2)
        time.sleep(2.0)  # let the first build's background work (if any) settle
        idle0 = tree_cpu(proc.pid)
        time.sleep(2.0)
        cpu0 = tree_cpu(proc.pid)
        results["idle_cpu_per_s"] = idle = round((cpu0 - idle0) / 2.0, 3)  # the watcher, say
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(url, wait_until="load")
            sentence = f"往返计时句子{int(time.time() * 1000)}。"
            with edited.open("a", encoding="utf-8") as f:
                f.write(f"\n{sentence}\n")
            t0 = time.monotonic()
            results["edit_to_visible_s"] = _wait(lambda: sentence in _text(page), t0, args.timeout)
            browser.close()
        new = edited.with_name("roundtrip-new.md")
        text = edited.read_text(encoding="utf-8")
        old_no = index_no_of(edited)
        new_no = re.sub(r"\d+$", lambda m: "9" * len(m.group(0)), old_no)
        title = f"往返计时新条目{int(time.time())}"
        text = re.sub(r"^index_no:.*$", f"index_no: {new_no}", text, count=1, flags=re.M)
        text = re.sub(r"^title:.*$", f"title: {title}", text, count=1, flags=re.M)
        new_url = base + index_url(new_no)
        new.write_text(text, encoding="utf-8")
        t0 = time.monotonic()
        results["add_to_visible_s"] = _wait(lambda: title in status(new_url)[1], t0, args.timeout)
        new.unlink()
        t0 = time.monotonic()
        results["delete_to_gone_s"] = _wait(lambda: status(new_url)[0] == 404, t0, args.timeout)
        results["cpu_s"] = round(tree_cpu(proc.pid) - cpu0, 2)
        results["settled_s"] = _settle(proc.pid, t0, args.timeout, idle)
        results["cpu_settled_s"] = round(tree_cpu(proc.pid) - cpu0, 2)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        if args.work is None:
            shutil.rmtree(scratch, ignore_errors=True)
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    else:
        for key, value in results.items():
            print(f"{key:20} {value}")
    return 0


def _text(page: Any) -> str:
    try:
        return str(page.evaluate("document.body ? document.body.innerText : ''"))
    except Exception:  # the page is reloading right now
        return ""


def _settle(pid: int, t0: float, timeout: float, idle: float, quiet: float = 3.0) -> float | None:
    """Seconds from ``t0`` until the process tree ``pid`` has used no more CPU than when idle
    (``idle`` CPU-s a second, + 0.05) for ``quiet`` seconds: its background builds are done."""
    last, still = tree_cpu(pid), 0.0
    while time.monotonic() - t0 < timeout:
        time.sleep(0.5)
        now = tree_cpu(pid)
        still = still + 0.5 if now - last <= (idle + 0.05) * 0.5 else 0.0
        last = now
        if still >= quiet:
            return round(time.monotonic() - t0 - quiet, 2)
    return None


def _wait(done: Any, t0: float, timeout: float) -> float | None:
    while time.monotonic() - t0 < timeout:
        if done():
            return round(time.monotonic() - t0, 2)
        time.sleep(0.05)
    return None


if __name__ == "__main__":
    sys.exit(main())
