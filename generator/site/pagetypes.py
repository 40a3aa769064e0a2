"""Staged pages: the plain data the page builders produce and the engine consumes.

Nothing here knows MkDocs or the catalogue. A :class:`StagedPage` is a finished page
(HTML fragment + meta); a :class:`PageJob` is a page whose URL is known before it is
built, so that builds may run later, in another process, or not at all when the
build cache holds the page (see :mod:`generator.site.incremental`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# One catalogue lookup a page made while it was built: (accessor name, arguments, digest
# of the result). See :mod:`generator.site.lookups`.
Lookup = tuple[str, tuple[object, ...], str]


@dataclass(frozen=True)
class StagedPage:
    url: str
    title: str
    html: str
    meta: dict[str, str] = field(default_factory=dict)
    files: tuple[tuple[str, str], ...] = ()  # (source path relative to root, target path in site)
    search: bool = True  # False: left out of the engine's own search index (item and listing pages)
    # what the page read from the catalogue while it was built (not part of the page's bytes)
    lookups: tuple[Lookup, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class PageJob:
    """A page whose URL is known before it is built: builds may run later, in another process.

    ``inputs`` names everything the build receives besides catalogue lookups (the builder
    method and its arguments; an item argument as ``source:<path>``, whose file's hash
    stands for it). Only a job with ``inputs`` may be placed from the build cache without
    being built; its page then carries the lookups it made (:attr:`StagedPage.lookups`).
    """

    url: str
    build: Callable[[], StagedPage]
    search: bool = False  # the page's StagedPage.search, known before it is built
    inputs: tuple[str, ...] = ()

    @classmethod
    def ready(cls, page: StagedPage) -> PageJob:
        return cls(page.url, lambda: page, page.search)
