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


def dev_server(builder: Any, host: str, port: int, root: str, inject: Any) -> Any:
    """MkDocs' live-reload server (``gongkai serve``; generator/site/serve.py).

    ``inject(html, epoch)`` replaces MkDocs' inline reload script, which the pages'
    Content-Security-Policy blocks; ``visible_epoch()`` is the epoch a served page carries;
    ``reload_browsers()`` reloads open pages after work done outside the build loop.
    """
    from mkdocs.livereload import LiveReloadServer

    class DevServer(LiveReloadServer):
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
