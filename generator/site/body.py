"""Editor-written Markdown bodies → safe HTML."""

from __future__ import annotations

import markdown

from generator.checks.diagnostics import Diagnostic, diag
from generator.site.sanitize import sanitize

EXTENSIONS = ["tables", "fenced_code", "footnotes", "toc", "sane_lists", "def_list", "abbr", "admonition"]


class BodyError(Exception):
    """A body the renderer could not handle; carries a positioned diagnostic (E022)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


class BodyRenderer:
    """Renders Markdown with a fixed set of extensions, then sanitizes the HTML.

    checks/markup.py keeps bodies that would crash or stall Python-Markdown out of
    the build; should one still fail, :class:`BodyError` names the file instead of
    a traceback.
    """

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=EXTENSIONS, extension_configs={"toc": {"toc_depth": "2-4"}})

    def render(self, text: str, source: str = "", line: int = 1) -> str:
        self._md.reset()
        try:
            html = self._md.convert(text)
        except RecursionError:
            raise BodyError(diag(source, (line, 1), "E022", detail="嵌套过深")) from None
        except Exception as exc:  # a renderer bug must not lose the diagnostic's position
            raise BodyError(diag(source, (line, 1), "E022", detail=f"{type(exc).__name__}: {exc}")) from exc
        # headings inside a body start at h2: the page title is the only h1
        html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
        return sanitize(html)
