"""URL collisions: two things that would be published at one address (E026), or at two
addresses that differ only in letter case (W105: one shadows the other on a case-insensitive
web server, e.g. IIS, or when the site is copied to Windows or macOS).

Every page and file the build writes claims its URL here, with the position of what
decided it: an entry's 索引号, a page's file, an info type's or topic's ``slug`` or an
agency's ``id`` in site_config.yml, an attachment's ``file``. ``check`` reports what
``build`` would otherwise fail on (``两个页面使用同一网址``) or silently overwrite.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, diag
from generator.model import urls as U
from generator.model.entry import Entry, Interpretation, Page
from generator.model.siteconfig import SiteConfig
from generator.source.files import CONFIG_FILE, read_bounded
from generator.source.frontmatter import MAX_FILE_BYTES, KeyPath, SourceFile, parse_yaml_file

# Files and folders the build writes at the top of the site beside the pages.
GENERATED_TOP = frozenset(
    {"index.html", "404.html", "sitemap.xml", "sitemap.xml.gz", "catalogue.json", "catalogue.csv"}
    | {"datapackage.json", "robots.txt", ".gongkai-site", "feeds", "assets", "search", "attachments", "media"}
)


@dataclass(frozen=True)
class Claim:
    url: str
    path: str
    pos: tuple[int, int] | None
    what: str  # shown in the message


def url_collisions(
    root: Path,
    config: SiteConfig,
    entries: Iterable[Entry],
    interps: Iterable[Interpretation],
    pages: Iterable[Page],
    sources: dict[str, SourceFile],
) -> list[Diagnostic]:
    claims: list[Claim] = []
    items = {item.source for item in [*entries, *interps]}

    def placed(claim: Claim) -> Claim:
        if claim.path not in items:
            return claim
        src = sources.get(claim.path)
        return Claim(claim.url, claim.path, src.pos(("index_no",)) if src else None, claim.what)

    for item in [*entries, *interps]:
        # positioned (at its 索引号) only when reported: the source is read for that alone
        # (its claim is the only one of its path, so the position never orders the claims)
        claims.append(Claim(U.item_url(item), item.source, None, item.index_no))
    for page in pages:
        claims.append(Claim(U.page_url(page.slug), page.source, (1, 1), page.source))
    claims += _vocabulary_claims(root, config)
    diags: list[Diagnostic] = []
    seen: dict[str, Claim] = {}
    folded: dict[str, Claim] = {}
    for claim in sorted(claims, key=lambda c: (c.path != CONFIG_FILE, c.path, c.pos or (0, 0))):
        top = claim.url.split("/", 1)[0]
        other = seen.get(claim.url)
        if other is None and top.casefold() in GENERATED_TOP:
            other = Claim(top, "", None, top)
        if other is not None:
            if not (other.what == claim.what and other.path != CONFIG_FILE):  # one 索引号 twice: E304
                diags.append(_diag(placed(claim), "E026", other))
            continue
        near = folded.get(claim.url.casefold())
        if near is not None:
            diags.append(_diag(placed(claim), "W105", near))
        seen[claim.url] = claim
        folded.setdefault(claim.url.casefold(), claim)
    diags += _attachment_case(entries, sources)
    return diags


def _diag(claim: Claim, code: str, other: Claim) -> Diagnostic:
    where = other.path or "gongkai"
    return diag(claim.path, claim.pos, code, url="/" + claim.url, what=claim.what, other=other.what, where=where)


def _vocabulary_claims(root: Path, config: SiteConfig) -> list[Claim]:
    """Listing pages of info types, topics and agencies, positioned in site_config.yml."""
    try:
        src = parse_yaml_file(CONFIG_FILE, read_bounded(root / CONFIG_FILE, MAX_FILE_BYTES))
    except OSError:
        src = SourceFile(CONFIG_FILE)
    data = src.data if isinstance(src.data, dict) else {}
    vocab = data.get("vocabularies") if isinstance(data.get("vocabularies"), dict) else {}

    def pos(path: KeyPath) -> tuple[int, int] | None:
        return src.pos(path) if src.data is not None else None

    def index_of(key: str, name: str) -> int | None:
        items = vocab.get(key) if isinstance(vocab, dict) else None
        if not isinstance(items, list):
            return None
        for i, item in enumerate(items):
            if item == name or (isinstance(item, dict) and item.get("name") == name):
                return i
        return None

    claims: list[Claim] = []
    for term in config.vocab.info_types.terms:
        i = index_of("info_types", term.name)
        at = pos(("vocabularies", "info_types", i, "slug")) if i is not None else None
        claims.append(Claim(U.type_url(term.slug), CONFIG_FILE, at, f"信息类别 {term.name}"))
    tree = config.vocab.topics
    for top in tree.top:
        i = index_of("topics", top.name)
        base: KeyPath = ("vocabularies", "topics", i) if i is not None else ()
        at = pos((*base, "slug")) if base else None
        claims.append(Claim(U.topic_url(tree.slug(top.name)), CONFIG_FILE, at, f"主题 {top.name}"))
        for j, child in enumerate(tree.children.get(top.name, ())):
            at = pos((*base, "children", j)) if base else None
            claims.append(
                Claim(U.topic_url(tree.slug(top.name, child.name)), CONFIG_FILE, at, f"主题 {top.name}\\{child.name}")
            )
    for k, agency in enumerate(config.agencies):
        claims.append(Claim(U.agency_url(agency.id), CONFIG_FILE, pos(("agencies", k, "id")), f"机构 {agency.id}"))
    # agency ids are unique already (E702); a second listing of one id is not a collision
    unique: dict[tuple[str, str], Claim] = {}
    for c in claims:
        unique.setdefault((c.url, c.what), c)
    return list(unique.values())


def _attachment_case(entries: Iterable[Entry], sources: dict[str, SourceFile]) -> list[Diagnostic]:
    """Attachments whose file names differ only in letter case (W105)."""
    first: dict[str, tuple[str, str]] = {}
    diags: list[Diagnostic] = []
    for entry in sorted(entries, key=lambda e: e.source):
        for i, att in enumerate(entry.attachments):
            url = f"attachments/{att.file}"
            known = first.setdefault(url.casefold(), (url, entry.source))
            if known[0] != url:
                src = sources.get(entry.source)
                at = src.pos(("attachments", i, "file")) if src else None
                diags.append(
                    diag(entry.source, at, "W105", url="/" + url, what=att.file, other=known[0], where=known[1])
                )
    return diags
