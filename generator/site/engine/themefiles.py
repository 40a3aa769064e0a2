"""The theme's static files, as ``Files.add_files_from_theme`` (MkDocs 1.6.1) adds them, without
walking the folders whose files it can never add.

MkDocs lists every file below every theme folder (Jinja's ``FileSystemLoader.list_templates``)
and then drops, among others, every path with a part that starts with a dot. Material keeps
its 14,348 icons in ``.icons/``: listing and matching them was ~0.2–0.3 CPU-s of every build
(an edit's rebuild included) for 161 files added. Here the walk does not enter a folder whose
name starts with a dot — every path below one matches MkDocs' ``.*`` (at the top) or ``*/.*``
(below) pattern — and every other path goes through the same patterns, in the same order, with
the same result. Any loader but a plain ``FileSystemLoader`` (a plugin's own) takes MkDocs' own
method. ``tests/test_engine_themefiles.py`` compares both on the shipped theme and on made-up
ones.
"""

from __future__ import annotations

import fnmatch
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


def add_theme_files(files: Files, env: Environment, config: MkDocsConfig) -> None:
    """``files.add_files_from_theme(env, config)``, the same files in the same order."""
    import jinja2
    from mkdocs import utils
    from mkdocs.structure.files import File

    loader = env.loader
    if type(loader) is not jinja2.FileSystemLoader:
        files.add_files_from_theme(env, config)
        return
    # MkDocs' filter (Files.add_files_from_theme), pattern for pattern
    patterns = [".*", "*/.*", "*.py", "*.pyc", "*.html", "*readme*", "mkdocs_theme.yml"]
    patterns.append("locales/*")
    patterns.extend(f"*{x}" for x in utils.markdown_extensions)
    patterns.extend(config.theme.static_templates)

    def keep(name: str) -> bool:
        lowered = name.lower()
        return not any(fnmatch.fnmatch(lowered, pattern) for pattern in patterns)

    for path in sorted(_names(loader)):
        if not keep(path):
            continue
        if files.get_file_from_path(path) is None:  # theme files do not override docs_dir files
            for folder in config.theme.dirs:  # the first theme folder that has it
                if os.path.isfile(os.path.join(folder, path)):
                    files.append(File(path, folder, config.site_dir, config.use_directory_urls))
                    break


def _names(loader: object) -> set[str]:
    """``FileSystemLoader.list_templates`` (Jinja 3) but for paths below a folder named ``.*``."""
    found: set[str] = set()
    searchpaths: list[str] = loader.searchpath  # type: ignore[attr-defined]
    followlinks: bool = loader.followlinks  # type: ignore[attr-defined]
    for searchpath in searchpaths:
        for dirpath, dirnames, filenames in os.walk(searchpath, followlinks=followlinks):
            dirnames[:] = [name for name in dirnames if not name.startswith(".")]
            for filename in filenames:
                template = (
                    os.path.join(dirpath, filename)[len(searchpath) :].strip(os.path.sep).replace(os.path.sep, "/")
                )
                if template[:2] == "./":
                    template = template[2:]
                found.add(template)
    return found
