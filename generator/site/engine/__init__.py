"""The HTML engine — the only package that imports MkDocs (or any other engine).

Staged pages become engine pages whose content is an HTML block; the engine
configuration is derived in memory from ``site_config.yml`` (:mod:`.config`), and
MkDocs + Material render it with the theme as ``custom_dir``. Rooms:

* :mod:`.config` — ``engine_config`` (the derived ``mkdocs.yml``), the CSP, the theme
  folder and whether it is the shipped one, the build-cache fingerprint;
* :mod:`.staging` — staged pages as the engine receives them (metadata, content, a
  Markdown docs tree);
* :mod:`.runtime` — MkDocs plumbing: loading the config, its log, the staged-HTML plugin;
* :mod:`.reference` — one plain ``mkdocs build`` of a docs tree (the reference output);
* :mod:`.fast` — the same build taken apart: pages rendered from memory, in workers;
* :mod:`.skeletons` and :mod:`.probe` — page shells reused only where a guarded probe
  render proves reuse gives the template's bytes;
* :mod:`.bytecode` and :mod:`.sitemap` — what the fast path keeps between builds in
  ``.gongkai-cache/engine/``: compiled templates, the last sitemap (and the sitemap made
  from the pages' URLs rather than a MkDocs page each).

Other modules import from ``generator.site.engine`` only; the names below are the API.
"""

from __future__ import annotations

from generator.site.engine.config import (
    CONTENT_SECURITY_POLICY,
    THEME_DIR,
    engine_config,
    engine_date,
    fingerprint,
    lunr_js_path,
    shipped_theme,
    theme_dir,
)
from generator.site.engine.errors import EngineError
from generator.site.engine.fast import Engine
from generator.site.engine.reference import build_reference
from generator.site.engine.runtime import dev_server
from generator.site.engine.skeletons import SKELETON_CHECK_EVERY, SKELETON_CHECK_EVERY_CUSTOM, SKELETON_MIN_PAGES
from generator.site.engine.staging import (
    copy_page_files,
    front_matter,
    page_content,
    staged_markdown,
    walk_order,
    write_docs,
    write_file,
)

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "SKELETON_CHECK_EVERY",
    "SKELETON_CHECK_EVERY_CUSTOM",
    "SKELETON_MIN_PAGES",
    "THEME_DIR",
    "Engine",
    "EngineError",
    "build_reference",
    "copy_page_files",
    "dev_server",
    "engine_config",
    "engine_date",
    "fingerprint",
    "front_matter",
    "lunr_js_path",
    "page_content",
    "shipped_theme",
    "staged_markdown",
    "theme_dir",
    "walk_order",
    "write_docs",
    "write_file",
]
