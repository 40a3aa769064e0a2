"""What a fast build in ``gongkai serve`` serves in place of the outputs it leaves to the
background build (``build_site(outputs=...)``): the previous site's search index, exports,
feeds and statistics JSON, linked — unless an item they show is no longer public."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from generator.model import urls as U
from generator.model.catalogue import Catalogue
from generator.model.entry import Entry, Item
from generator.site.exports import CSV_NAME, ITEM_JSON, JSON_NAME, PACKAGE_NAME
from generator.site.feeds import write_feeds
from generator.site.search import SCRIPTS_DIR
from generator.site.stats import JSON_NAME as ANNUAL_JSON
from generator.site.stats import write_annual_json

# gongkai's own outputs (see generator.site.outputs.OUTPUT_WRITERS) as files of a site: what a
# fast build leaves out and takes from the previous site (search/index.html is a page: rebuilt)
_SITE_OUTPUTS = (CSV_NAME, JSON_NAME, PACKAGE_NAME, f"{U.STATS}{ANNUAL_JSON}")
_OUTPUT_DIRS = ("search", "feeds", SCRIPTS_DIR)


def withdrawn(old: Catalogue, new: Catalogue) -> bool:
    """Whether anything the previous outputs show is no longer public (deleted, a draft again,
    embargoed, or its body now 依申请公开): then they must not be served, not even for seconds."""
    for index_no, entry in old.entries.items():
        now = new.entries.get(index_no)
        if now is None or (entry.body_public and not now.body_public):
            return True
    return any(index_no not in new.interpretations for index_no in old.interpretations)


def outputs_from(previous: Path, old: Catalogue) -> Callable[[Catalogue, Path], None]:
    """The ``outputs`` of a fast build (see :func:`generator.site.build.build_site`): the previous site's search index,
    exports, feeds and statistics JSON, linked into the new site while the real ones are built in
    the background. When an item was withdrawn, the catalogue-wide ones (search index, catalogue
    exports) are left out instead (they would show it), feeds and statistics are written afresh
    (cheap), and only the still-public items' own JSON is kept."""

    def carry(new: Catalogue, out: Path) -> None:
        # plain strings and one link() a file: at 10k, some 27,000 files (Path objects and a stat
        # or two each cost more than the links)
        src, dest = f"{os.fspath(previous)}/", f"{os.fspath(out)}/"
        if withdrawn(old, new):
            write_annual_json(new, out)
            write_feeds(new, out)
        else:
            for rel in _SITE_OUTPUTS:
                _link(src + rel, dest + rel)
            for top in _OUTPUT_DIRS:
                for dirpath, _dirs, files in os.walk(src + top):
                    folder = dirpath[len(src) :]
                    for name in files:
                        if not name.endswith(".html"):
                            _link(f"{dirpath}/{name}", f"{dest}{folder}/{name}")
        items: list[Item] = [*new.entries.values(), *new.interpretations.values()]
        for item in items:
            was = old.get(item.index_no)
            if was is None or type(was) is not type(item):
                continue  # new: its JSON comes with the background build
            if isinstance(was, Entry) and isinstance(item, Entry) and was.body_public != item.body_public:
                continue
            rel = f"{U.item_url(item)}{ITEM_JSON}"
            _link(src + rel, dest + rel)

    return carry


def _link(src: str, dest: str) -> None:
    """``dest`` as a hard link to ``src`` (a copy across file systems); nothing when ``src`` is not a
    file or ``dest`` exists (the new build wrote it)."""
    try:
        os.link(src, dest)
        return
    except FileExistsError:
        return
    except FileNotFoundError:  # no src, or no folder for dest yet
        if not os.path.isfile(src):
            return
        os.makedirs(os.path.dirname(dest), exist_ok=True)
    except OSError:  # another file system, or src is a folder
        if not os.path.isfile(src):
            return
    try:
        os.link(src, dest)
    except FileExistsError:
        return
    except OSError:
        if not os.path.lexists(dest):
            shutil.copyfile(src, dest)
