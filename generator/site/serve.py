"""``gongkai serve``: build into a temporary folder, serve it, rebuild on change.

Uses MkDocs' LiveReloadServer (through the engine's dependency set) so the
browser reloads after each successful rebuild. A failed rebuild keeps serving
the last good site and prints the diagnostics.
"""

from __future__ import annotations

import datetime as dt
import shutil
import signal
import sys
import tempfile
from pathlib import Path

import click

from generator.checks.diagnostics import render_text, summary
from generator.project import load_project
from generator.site.build import BuildError, build_site


def _rebuild(root: Path, target: Path, build_date: dt.date | None) -> bool:
    project = load_project(root, build_date, cache=True)
    if project.diagnostics:
        click.echo(render_text(project.diagnostics), err=True)
        click.echo(summary(project.diagnostics), err=True)
    if project.errors:
        click.echo("有错误，继续显示上一次成功构建的网站。", err=True)
        return False
    try:
        stats = build_site(project, target)
    except BuildError as exc:
        if exc.diagnostics:
            click.echo(render_text(list(exc.diagnostics)), err=True)
        click.echo(f"构建失败：{exc}", err=True)
        return False
    click.echo(f"已构建 {stats.pages} 个页面", err=True)
    return True


def serve(root: Path, dev_addr: str, build_date: dt.date | None) -> None:
    from mkdocs.livereload import LiveReloadServer

    host, _, port = dev_addr.rpartition(":")
    work = Path(tempfile.mkdtemp(prefix="gongkai-serve-"))
    target = work / "site"
    if not _rebuild(root, target, build_date) and not target.exists():
        target.mkdir()
    def builder() -> None:
        _rebuild(root, target, build_date)

    server = LiveReloadServer(
        builder=builder, host=host or "127.0.0.1", port=int(port), root=str(target)
    )
    for name in ("catalogue", "content", "theme", "site_config.yml"):
        path = root / name
        if path.exists():
            server.watch(str(path))
    click.echo(f"预览地址：http://{host or '127.0.0.1'}:{port}/  （按 Ctrl+C 停止）", err=True)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # stopped by a supervisor: clean up like Ctrl+C
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        shutil.rmtree(work, ignore_errors=True)
        sys.exit(0)
