"""Editor-written Markdown bodies → safe HTML."""

from __future__ import annotations

import markdown

from generator.site.sanitize import sanitize

EXTENSIONS = ["tables", "fenced_code", "footnotes", "toc", "sane_lists", "def_list", "abbr", "admonition"]


class BodyRenderer:
    """Renders Markdown with a fixed set of extensions, then sanitizes the HTML."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=EXTENSIONS, extension_configs={"toc": {"toc_depth": "2-4"}})

    def render(self, text: str) -> str:
        self._md.reset()
        html = self._md.convert(text)
        # headings inside a body start at h2: the page title is the only h1
        html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
        return sanitize(html)
