"""Page shells learnt once per shape of page and filled for every page of that shape."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.site.engine.bytecode import bytecode_cache
from generator.site.engine.errors import EngineError
from generator.site.engine.probe import (
    FileGuard,
    Probe,
    Refused,
    Tainted,
    Watch,
    escape_html,
    probe_environment,
    render_guarded,
)

if TYPE_CHECKING:
    from generator.site.engine.fast import Shared

# Rendering Material's base.html costs ~3 ms a page; for the thousands of entry
# pages that share a folder, the output differs only where the page's own strings
# (title, metadata values, URL, content) are printed. Skeletons renders the
# template once per *shape* of page (folder, the structure and truthiness of its
# metadata, whether the content has an <h1>) with marker values in those places,
# learns where each marker is printed and whether escaped, and fills the markers
# in for each page.
#
# Reuse must be *proven*, not sampled: the probe renders run in a guarded copy of
# the Jinja environment (see :mod:`generator.site.engine.probe`) in which a page string may only be
# printed (raw or through ``|e``) straight into the output, or tested for truth
# (which the shape fixes). Any other use — a length, a comparison, ``in``, a loop,
# a filter, a method, printing into ``{% set %}``/a macro/``super()`` that is then
# transformed — refuses the shape, and its pages are rendered in full. So a
# ``theme/`` override that branches on page data costs speed, never correctness.
# The first page of each shape (and every SKELETON_CHECK_EVERY-th, more often for
# a theme that is not the shipped one) is still rendered in full and compared.
# A folder of listing pages (``catalogue/topics/02/page/``) holds 5-80 pages at 10k: learning a
# shape costs two guarded probe renders and one full render, so from 5 pages on it pays off
# (10k clean build: 1,133 listing pages, 10.8 -> 7.4 CPU-s for the bulk pages, serial).
SKELETON_MIN_PAGES = 5
SKELETON_CHECK_EVERY = 250
SKELETON_CHECK_EVERY_CUSTOM = 25  # theme/ differs from the shipped theme
_MARK = "gkq7z"
_SPECIAL = "<&\"'>"


def folder_of(url: str) -> str:
    """``catalogue/A/`` → ``catalogue/``; relative links from pages of one folder are the same."""
    return url.rsplit("/", 2)[0] + "/" if url.count("/") >= 2 else ""


@dataclass
class _Skeleton:
    parts: list[str | tuple[str, bool]]  # literal text, or (slot, escaped)
    targets: frozenset[str]  # url filter arguments: a page whose URL lies inside one is rendered in full
    rendered: int = 0


class Skeletons:
    def __init__(self, shared: Shared, folders: set[str], check_every: int = SKELETON_CHECK_EVERY) -> None:
        self.shared = shared
        self.folders = folders
        self.check_every = check_every
        self.shapes: dict[tuple[str, str, bool], _Skeleton | None] = {}
        self.refused: dict[tuple[str, str, bool], str] = {}  # shape -> why its pages are rendered in full
        self.filled = 0  # pages produced from a skeleton
        self.env = probe_environment(shared.env)
        # its own folder: the key holds the guarded compiler
        self.env.bytecode_cache = bytecode_cache(self.env, shared.cache, shared.config.theme.custom_dir)

    @staticmethod
    def slots(page: Any) -> dict[str, str]:
        meta = page.meta
        values = {"title": meta.get("title")}
        values.update({f"gk.{k}": v for k, v in (meta.get("gk") or {}).items()})
        out = {k: v for k, v in values.items() if isinstance(v, str) and v}
        out["content"] = page.content or ""
        out["seg"] = page.url.rsplit("/", 2)[-2] if page.url.count("/") >= 1 else ""
        return out

    def shape(self, page: Any) -> tuple[str, str, bool]:
        meta = dict(page.meta)
        structure = {k: v for k, v in meta.items() if k not in ("title", "gk")}
        structure["title?"] = bool(meta.get("title"))
        structure["gk?"] = {k: (v if not isinstance(v, str) else bool(v)) for k, v in (meta.get("gk") or {}).items()}
        text = json.dumps(structure, ensure_ascii=False, sort_keys=True, default=repr)
        return (folder_of(page.url), text, "<h1" in (page.content or ""))

    def fill_known(self, page: Any) -> str | None:
        """The page's output from a skeleton already learnt for its shape, or ``None`` when
        :meth:`render` must see the page (a shape not learnt yet or refused, a URL a template
        compares, or the page on which the skeleton is checked against a full render). The
        page needs only ``meta``, ``content`` and ``url`` (no MkDocs page, context or template)."""
        if folder_of(page.url) not in self.folders or not page.url:
            return None
        skeleton = self.shapes.get(self.shape(page))
        if skeleton is None or (skeleton.rendered + 1) % self.check_every == 0:
            return None
        if any(page.url in target for target in skeleton.targets):
            return None
        skeleton.rendered += 1
        self.filled += 1
        return self._fill(skeleton, page)

    def render(self, page: Any, template: Any, full: Callable[[], str]) -> str | None:
        """The page's template output via its shape's skeleton, or ``None`` to render in full."""
        folder = folder_of(page.url)
        if folder not in self.folders or not page.url:
            return None
        key = self.shape(page)
        if key not in self.shapes:
            skeleton, why = self._learn(page, template)
            if skeleton is not None and self._fill(skeleton, page) != full():
                skeleton, why = None, "the first page differs from its skeleton"
            self.shapes[key] = skeleton
            if skeleton is None:
                self.refused[key] = why
        skeleton = self.shapes[key]
        if skeleton is None or any(page.url in target for target in skeleton.targets):
            return None
        skeleton.rendered += 1
        output = self._fill(skeleton, page)
        if skeleton.rendered % self.check_every == 0 and output != full():
            raise EngineError(
                f"the page template prints /{page.url} differently from its skeleton; "
                "set GONGKAI_SKELETONS=0 to render every page in full"
            )
        self.filled += 1
        return output

    def _fill(self, skeleton: _Skeleton, page: Any) -> str:
        values = self.slots(page)
        out = []
        for part in skeleton.parts:
            if isinstance(part, str):
                out.append(part)
            else:
                value = values.get(part[0], "")
                out.append(escape_html(value) if part[1] else value)
        return "".join(out)

    def _probe(self, page: Any, template: Any, values: dict[str, str]) -> tuple[str, Watch]:
        """Render the page's template for a probe page whose strings are ``values``, guarded."""
        from mkdocs.commands.build import get_context
        from mkdocs.structure.files import File
        from mkdocs.structure.pages import Page
        from mkdocs.structure.toc import get_toc

        class ProbePage(Page):
            @property
            def url(self) -> str:
                return Tainted(super().url)

        s = self.shared
        config = s.config
        folder, seg = folder_of(page.url), values["seg"]
        probe = ProbePage(None, File(f"{folder}{seg}/index.md", config.docs_dir, config.site_dir, True), config)
        probe.file = FileGuard(probe.file)  # type: ignore[assignment]
        if probe.canonical_url is not None:
            probe.canonical_url = Tainted(probe.canonical_url)
        if probe.abs_url is not None:
            probe.abs_url = Tainted(probe.abs_url)
        meta: dict[str, Any] = dict(page.meta)
        if "title" in values:
            meta["title"] = Probe(values["title"], "title")
        if isinstance(meta.get("gk"), dict):
            meta["gk"] = {
                k: (Probe(values[f"gk.{k}"], f"gk.{k}") if f"gk.{k}" in values else v) for k, v in meta["gk"].items()
            }
        content = Probe(values["content"], "content")
        probe.meta, probe.markdown = meta, ""
        probe.content = content  # type: ignore[assignment]
        probe.toc, probe._title_from_render = get_toc([]), None
        probe.present_anchor_ids, probe.links_to_anchors = set(), {}
        previous = config._current_page
        config._current_page = probe
        watch = Watch()
        try:
            probe.active = True
            context = get_context(s.nav, s.doc_files, config, probe)
            context = config.plugins.on_page_context(context, page=probe, config=config, nav=s.nav)
            if probe.content is not content:
                watch.reasons.append("a plugin rewrote the page content")
                return "", watch
            return render_guarded(self.env.get_template(template.name), context, watch), watch
        except Refused:
            return "", watch
        except Exception as exc:  # any failure under probe values: render these pages in full
            watch.reasons.append(f"{type(exc).__name__}: {exc}")
            return "", watch
        finally:
            probe.active = False
            config._current_page = previous

    def _learn(self, page: Any, template: Any) -> tuple[_Skeleton | None, str]:
        real = self.slots(page)
        h1 = "<h1" in real["content"]

        def markers(special: str) -> dict[str, str]:
            out = {}
            for n, name in enumerate(real):
                if name == "seg":
                    out[name] = f"{_MARK}{n}s"
                elif name == "content":
                    body = f"{_MARK}{n}c{special}"
                    out[name] = f"<h1>{body}</h1>" if h1 else body
                else:
                    out[name] = f"{_MARK}{n}v{special}"
            return out

        plain, marked = markers(""), markers(_SPECIAL)
        rendered_plain, watch_plain = self._probe(page, template, plain)
        rendered_marked, watch_marked = self._probe(page, template, marked)
        reasons = watch_plain.reasons + watch_marked.reasons
        if reasons:
            return None, reasons[0]
        forms: list[tuple[str, str, bool]] = []
        for name, value in marked.items():
            forms.append((value, name, False))
            escaped = escape_html(value)
            if escaped != value:
                forms.append((escaped, name, True))
        forms.sort(key=lambda f: -len(f[0]))
        lookup = {text: (name, esc_) for text, name, esc_ in forms}
        pattern = re.compile("|".join(re.escape(text) for text, _, _ in forms))
        parts: list[str | tuple[str, bool]] = []
        last = 0
        for m in pattern.finditer(rendered_marked):
            parts.append(rendered_marked[last : m.start()])
            parts.append(lookup[m.group(0)])
            last = m.end()
        parts.append(rendered_marked[last:])
        if any(isinstance(p, str) and _MARK in p for p in parts):
            return None, "a marker printed in a form the skeleton does not model"
        targets = frozenset(watch_plain.targets | watch_marked.targets)
        skeleton = _Skeleton(parts, targets)
        check = "".join(p if isinstance(p, str) else (escape_html(plain[p[0]]) if p[1] else plain[p[0]]) for p in parts)
        if check != rendered_plain:
            return None, "the two probe renders disagree"
        return skeleton, ""
