"""MkDocs plumbing shared by the reference build and the fast path: loading the derived
config, collecting MkDocs' log, the staged-HTML plugin, describing failures."""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

# Silence Material's end-of-life banner: gongkai prints its own output only.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "true")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


class MkDocsLog:
    """Collect MkDocs' warnings instead of printing them, for the duration of a build."""

    def __init__(self) -> None:
        self.handler = _Collect()
        self.logger = logging.getLogger("mkdocs")

    def __enter__(self) -> _Collect:
        self.saved = (self.logger.handlers[:], self.logger.level, self.logger.propagate)
        self.logger.handlers = [self.handler]
        self.logger.setLevel(logging.WARNING)
        self.logger.propagate = False
        return self.handler

    def __exit__(self, *exc: object) -> None:
        self.logger.handlers, level, self.logger.propagate = self.saved[0], self.saved[1], self.saved[2]
        self.logger.setLevel(level)


def load_config(settings: dict[str, Any], config_path: Path) -> MkDocsConfig:
    """MkDocs' validated config for ``settings`` (as if read from ``config_path``), with the staged-HTML plugin."""
    from mkdocs.config import load_config as mkdocs_load_config

    text = yaml.safe_dump(settings, allow_unicode=True, sort_keys=True)
    config = mkdocs_load_config(io.StringIO(text), config_file_path=str(config_path))
    config.plugins["gongkai-staged-html"] = staged_html_plugin()
    return config


def _staged_html_plugin() -> type:
    from mkdocs.plugins import BasePlugin

    class StagedHtml(BasePlugin):
        """The staged page's HTML block is the page content: Markdown gets an empty string."""

        def __init__(self) -> None:
            self.html: dict[str, str] = {}

        def on_page_markdown(self, markdown: str, /, *, page: Any, config: Any, files: Any) -> str:
            self.html[page.file.src_uri] = markdown
            return ""

        def on_page_content(self, html: str, /, *, page: Any, config: Any, files: Any) -> str:
            return self.html.pop(page.file.src_uri, html)

    return StagedHtml


def staged_html_plugin() -> Any:
    return _staged_html_plugin()()


def engine_errors() -> tuple[type[BaseException], ...]:
    """What a failing engine raises: MkDocs' own errors, I/O, and any other exception
    (a broken theme template, a plugin bug) — still an engine failure, never a traceback."""
    return (Exception,)


def describe(exc: BaseException) -> str:
    from mkdocs import exceptions

    if isinstance(exc, (exceptions.MkDocsException, exceptions.Abort, OSError)):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


# Set to 1: ``gongkai serve`` polls the sources for changes as ``mkdocs serve`` does, also where
# the kernel's file notifications would work (for file systems that do not send them: some
# network and virtual-machine shares).
POLL_ENV = "GONGKAI_SERVE_POLL"
# What a file change is: not a file opened, or closed without being written (the builds' own reads)
_CHANGES = frozenset({"created", "deleted", "modified", "moved", "closed"})


def dev_server(builder: Any, host: str, port: int, root: str, inject: Any) -> Any:
    """MkDocs' live-reload server (``gongkai serve``; generator/site/serve.py).

    ``inject(html, epoch)`` replaces MkDocs' inline reload script, which the pages'
    Content-Security-Policy blocks; ``visible_epoch()`` is the epoch a served page carries;
    ``reload_browsers()`` reloads open pages after work done outside the build loop.

    Changes are seen through the kernel's file notifications (inotify on Linux) where they
    work: MkDocs polls every watched file twice a second, which at 10,000 entries costs a
    fifth of a core while nothing changes, and up to half a second more before a change is
    seen. Where notifications cannot be had (no such observer, the kernel's limit on watched
    folders reached), or with ``GONGKAI_SERVE_POLL=1``, MkDocs' polling is used.
    """
    from mkdocs.livereload import LiveReloadServer

    class DevServer(LiveReloadServer):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._paths: list[str] = []
            self._native = False
            if os.environ.get(POLL_ENV, "") in ("", "0"):
                observer = _native_observer()
                if observer is not None:
                    self.observer, self._native = observer, True

        def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
            path = os.path.abspath(path)
            self._paths.append(path)
            if not self._native:
                super().watch(path, func, recursive=recursive)
                return
            try:
                self._watch_native(path, recursive)
            except OSError:  # the kernel's limit on watched folders, a file system without notifications
                self._poll()

        def _watch_native(self, path: str, recursive: bool) -> None:
            from watchdog import events as ev

            folder, only = (path, None) if os.path.isdir(path) else (os.path.dirname(path), path)

            def changed(event: ev.FileSystemEvent) -> None:
                if event.event_type not in _CHANGES or (event.is_directory and event.event_type == "modified"):
                    return
                # a single file is watched through its folder: an editor's save may replace the file
                paths = {os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")}
                if only is not None and only not in paths:
                    return
                with self._rebuild_cond:
                    self._want_rebuild = True
                    self._rebuild_cond.notify_all()

            handler = ev.FileSystemEventHandler()
            handler.on_any_event = changed  # type: ignore[method-assign]
            # not asked for: files opened, or closed unwritten (every build reads every source)
            kinds = [ev.FileCreatedEvent, ev.FileDeletedEvent, ev.FileModifiedEvent, ev.FileMovedEvent]
            kinds += [ev.FileClosedEvent, ev.DirCreatedEvent, ev.DirDeletedEvent, ev.DirMovedEvent]
            recursive = recursive and only is None
            self._watch_refs[path] = self.observer.schedule(handler, folder, recursive=recursive, event_filter=kinds)
            self._watched_paths[path] = 1

        def _poll(self) -> None:
            """Watch every path by polling, as MkDocs does."""
            from watchdog.observers.polling import PollingObserver

            self.observer.unschedule_all()
            self.observer = PollingObserver(timeout=0.5)
            self._native = False
            self._watched_paths.clear()
            self._watch_refs.clear()
            for path in self._paths:
                super().watch(path)

        def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
            return bytes(inject(content, epoch))

        def visible_epoch(self) -> int:
            with self._epoch_cond:
                return int(self._visible_epoch)

        def reload_browsers(self) -> None:
            """Make open pages reload now (outside a rebuild of the build loop, which does it itself)."""
            from mkdocs.livereload import _timestamp

            with self._epoch_cond:
                if self._visible_epoch == self._wanted_epoch:  # else the build loop's rebuild will
                    epoch = max(_timestamp(), self._visible_epoch + 1)
                    self._visible_epoch = self._wanted_epoch = epoch
                    self._epoch_cond.notify_all()

    return DevServer(builder=builder, host=host, port=port, root=root)


def _native_observer() -> Any:
    """The kernel's file notifications as a watchdog observer (inotify on Linux), or ``None``."""
    try:
        from watchdog.observers.inotify import InotifyObserver
    except ImportError:  # pragma: no cover - not Linux
        return None
    try:
        return InotifyObserver(timeout=0.5)
    except OSError:  # pragma: no cover - no inotify instance to be had
        return None
