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
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

NAME = "sitemap.xml"
_FOLDER = "sitemap"


def key(env: Any, config: MkDocsConfig, src_uris: list[str]) -> str | None:
    """The key of the sitemap, or None when MkDocs' own template does not make it (then MkDocs renders it)."""
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
        date,  # the pages' update_date, and the .gz header's time (MkDocs takes it from that date)
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


def cached(config: MkDocsConfig, key: str, cache: Path) -> bool:
    """Write the sitemap stored under ``key`` into the site; False if there is none (or it is damaged)."""
    try:
        found = _unpack((cache / _FOLDER / key).read_bytes())
    except OSError:
        return False
    if found is None:
        return False
    site = Path(config.site_dir)
    (site / NAME).write_bytes(found[0])
    (site / f"{NAME}.gz").write_bytes(found[1])
    return True


def store(config: MkDocsConfig, key: str, cache: Path) -> None:
    """Keep the sitemap just written under ``key`` (the only one kept); a failure to store costs speed only."""
    site = Path(config.site_dir)
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


class _Page:
    """What MkDocs' sitemap template reads of a page (see :func:`render`)."""

    __slots__ = ("abs_url", "canonical_url", "update_date")
    is_link = False

    def __init__(self, canonical_url: str | None, abs_url: str | None, update_date: str) -> None:
        self.canonical_url, self.abs_url, self.update_date = canonical_url, abs_url, update_date


class _File:
    __slots__ = ("page",)

    def __init__(self, page: _Page) -> None:
        self.page = page


def _standins(config: MkDocsConfig, src_uris: list[str]) -> list[_File] | None:
    """For each documentation file, the page values MkDocs' ``Page.__init__`` would set, or None
    when a file is not a plain ``<dir>/index.md`` (then MkDocs makes the pages).

    ``canonical_url`` is ``urljoin(site_url + "/", page.url)``. For ``page.url`` = ``P + s + "/"``
    with ``P`` non-empty and ``s`` one segment that is not ``.``/``..``, ``urljoin`` merges the
    base path with the segments of ``P``, ``s`` and ``""`` and resolves dot segments left to right,
    so ``s`` is appended unchanged: the result is ``urljoin(base, P) + s + "/"``, and its path
    (``abs_url``) is that of ``urljoin(base, P)`` plus the same (a quoted segment holds no ``?``
    or ``#``). Each folder's value is computed once with ``urljoin`` itself, and for every folder
    the derived value of one page is checked against ``urljoin``.
    """
    from urllib.parse import quote, urljoin, urlsplit

    from mkdocs.utils import get_build_date

    date = get_build_date()
    base = config.get("site_url")
    out: list[_File] = []
    if not base:
        for src in src_uris:
            if not _plain_index(src):
                return None
            out.append(_File(_Page(None, None, date)))
        return out
    if not base.endswith("/"):
        base += "/"
    known: dict[str, tuple[str, str]] = {}
    checked: set[str] = set()

    def urls(url: str) -> tuple[str, str]:
        found = known.get(url)
        if found is None:
            head = url[:-1].rpartition("/")[0]
            if head:
                canonical, path = urls(head + "/")
                tail = url[len(head) + 1 :]
                found = (canonical + tail, path + tail)
            else:
                canonical = urljoin(base, url)
                found = (canonical, urlsplit(canonical).path)
            known[url] = found
        return found

    for src in src_uris:
        if not _plain_index(src):
            return None
        url = quote(src[: -len("index.md")])  # Page.url: File.url, with "./" (the home page) as ""
        canonical, path = urls(url)
        folder = url[:-1].rpartition("/")[0]
        if folder not in checked:
            checked.add(folder)
            real = urljoin(base, url)
            if (canonical, path) != (real, urlsplit(real).path):  # pragma: no cover - see the docstring
                return None
        out.append(_File(_Page(canonical, path, date)))
    return out


def _plain_index(src: str) -> bool:
    if src == "index.md":
        return True
    if not src.endswith("/index.md"):
        return False
    return all(seg not in ("", ".", "..") for seg in src[: -len("/index.md")].split("/"))


def render(env: Any, config: MkDocsConfig, src_uris: list[str], nav: Any) -> bool:
    """Write sitemap.xml(.gz) as ``mkdocs.commands.build._build_theme_template`` does, from the
    pages' values (:func:`_standins`) instead of MkDocs pages; False when they cannot be derived.
    Only for MkDocs' own template (:func:`key` is not None)."""
    import gzip

    from mkdocs import utils
    from mkdocs.commands.build import _build_template

    files = _standins(config, src_uris)
    if files is None:
        return False
    output = _build_template(NAME, env.get_template(NAME), files, config, nav)  # type: ignore[arg-type]
    if not output.strip():  # pragma: no cover - MkDocs' template always prints <urlset>
        return False
    output_path = os.path.join(config.site_dir, NAME)
    utils.write_file(output.encode("utf-8"), output_path)
    gz_filename = f"{output_path}.gz"
    with open(gz_filename, "wb") as fh:
        timestamp = utils.get_build_timestamp(pages=[file.page for file in files])  # type: ignore[misc]
        with gzip.GzipFile(fileobj=fh, filename=gz_filename, mode="wb", mtime=timestamp) as gz_buf:
            gz_buf.write(output.encode("utf-8"))
    return True
