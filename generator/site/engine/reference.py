"""The reference build: one plain ``mkdocs build`` of a docs tree holding every staged page.

Slow (no workers, no cache), but it is MkDocs' own code end to end: the output the
fast path (:mod:`generator.site.engine.fast`) must equal byte for byte.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.site.engine.errors import EngineError
from generator.site.engine.runtime import MkDocsLog, describe, engine_errors, load_config


def build_reference(settings: dict[str, Any], config_path: Path) -> list[str]:
    """One plain MkDocs build of the docs tree in ``settings["docs_dir"]``; return its warnings."""
    from mkdocs.commands.build import build

    with MkDocsLog() as log:
        try:
            config = load_config(settings, config_path)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        except engine_errors() as exc:
            raise EngineError(f"MkDocs: {describe(exc)}; {'; '.join(log.records)}") from exc
    return log.records
