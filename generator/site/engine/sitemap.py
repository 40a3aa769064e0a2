"""sitemap.xml(.gz) kept between builds when MkDocs' own template makes it.

MkDocs renders the sitemap over every page (``file.page`` of each documentation file), which
makes a ``Page`` for each: ~1 s at 10,000 pages, for bytes that change only when the list of
pages or the settings do. MkDocs' template (``mkdocs/templates/sitemap.xml``; Material has
none) prints, for each documentation file in order, its page's ``canonical_url`` or
``abs_url`` and its ``update_date``; those follow from the file's ``src_uri``, ``site_url``,
``use_directory_urls`` and the build date. The stored output is keyed by all of them, the
template's source and the versions of MkDocs and Python (``urljoin``); ``sitemap.xml.gz``
carries the build time in its header, also in the key. One pair is kept, with a checksum. A site whose theme overrides
``sitemap.xml`` gets MkDocs' render every build.
"""

from __future__ import annotations

import hashlib
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

NAME = "sitemap.xml"
_FOLDER = "sitemap"


def _key(env: Any, config: MkDocsConfig, src_uris: list[str]) -> str | None:
    """The key of the sitemap, or None when MkDocs' own template does not make it."""
    import mkdocs
    from jinja2 import TemplateNotFound
    from mkdocs.utils import get_build_date

    own = os.path.join(os.path.dirname(mkdocs.__file__), "templates", NAME)
    try:
        template = env.get_template(NAME)
    except TemplateNotFound:
        return None
    if template.filename is None or os.path.realpath(template.filename) != os.path.realpath(own):
        return None
    date = get_build_date()
    h = hashlib.sha256()
    for part in (
        sys.version,
        mkdocs.__version__,
        Path(own).read_text(encoding="utf-8"),
        repr(config.get("site_url")),
        repr(config.use_directory_urls),
        date,
        str(int(datetime.fromisoformat(date).timestamp())),  # the .gz header, as MkDocs computes it
        "\n".join(src_uris),
    ):
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


def _pack(xml: bytes, gz: bytes) -> bytes:
    body = len(xml).to_bytes(8, "little") + xml + gz
    return hashlib.sha256(body).digest() + body


def _unpack(data: bytes) -> tuple[bytes, bytes] | None:
    """The stored pair, or None for a damaged file (its checksum does not match)."""
    body = data[32:]
    if len(data) < 40 or hashlib.sha256(body).digest() != data[:32]:
        return None
    size = int.from_bytes(body[:8], "little")
    return body[8 : 8 + size], body[8 + size :]


def cached(env: Any, config: MkDocsConfig, src_uris: list[str], cache: Path) -> bool | None:
    """Write the stored sitemap into the site (True); None: MkDocs must render it and
    :func:`store` keep it; False: MkDocs must render it (a theme's own template)."""
    key = _key(env, config, src_uris)
    if key is None:
        return False
    try:
        found = _unpack((cache / _FOLDER / key).read_bytes())
    except OSError:
        return None
    if found is None:
        return None
    site = Path(config.site_dir)
    (site / NAME).write_bytes(found[0])
    (site / f"{NAME}.gz").write_bytes(found[1])
    return True


def store(env: Any, config: MkDocsConfig, src_uris: list[str], cache: Path) -> None:
    """Keep the sitemap MkDocs just wrote (the only one kept); a failure to store costs speed only."""
    key = _key(env, config, src_uris)
    site = Path(config.site_dir)
    if key is None:
        return
    folder = cache / _FOLDER
    try:
        data = _pack((site / NAME).read_bytes(), (site / f"{NAME}.gz").read_bytes())
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            old.unlink(missing_ok=True)
        tmp = folder / f".{key}.{os.getpid()}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, folder / key)
    except OSError:
        pass
