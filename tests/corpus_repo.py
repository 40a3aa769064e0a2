"""What the incremental-build tests share: a generated project on disk, whole-tree comparison,
and the changes made to it (the edit scenarios of tests/test_incremental_pages.py and
tests/test_exports_incremental.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.model.vocab import DEFAULT_TOPICS


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def field_of(text: str, name: str) -> str:
    found = re.search(rf"^{name}: (.+)$", text, re.M)
    assert found, name
    return found.group(1)


class CorpusRepo:
    """A project made by bench/make_corpus.py: its sources found by kind and by 索引号."""

    #: what a :meth:`plain_entry` does not contain (besides being named by another file)
    not_plain: tuple[str, ...] = ("relations:",)

    def __init__(self, root: Path) -> None:
        self.root = root

    def files(self) -> list[Path]:
        return sorted((self.root / "catalogue").rglob("*.md"))

    def interpretations(self) -> list[Path]:
        return sorted((self.root / "content" / "interpretations").rglob("*.md"))

    def entry(self, index_no: str) -> Path:
        return next(p for p in self.files() if f"index_no: {index_no}\n" in p.read_text(encoding="utf-8"))

    def mentioned(self) -> set[str]:
        """Every 索引号 that some file names besides its own."""
        out: set[str] = set()
        for path in [*self.files(), *self.interpretations()]:
            text = path.read_text(encoding="utf-8")
            own = field_of(text, "index_no")
            out |= {n for n in re.findall(r"\d{9}/\d{4}-\d{5}", text) if n != own}
        return out

    def plain_entry(self, skip: int = 5) -> Path:
        """An entry no other file names and that names no other (so it can go)."""
        mentioned = self.mentioned()
        for path in self.files()[skip:]:
            text = path.read_text(encoding="utf-8")
            if field_of(text, "index_no") not in mentioned and not any(s in text for s in self.not_plain):
                return path
        raise AssertionError("no plain entry")

    def interpreted_entry(self) -> Path:
        """The entry the first interpretation explains."""
        text = self.interpretations()[0].read_text(encoding="utf-8")
        target = re.search(r"interprets: \[([^\],]+)", text)
        assert target
        return self.entry(target.group(1))


# ------------------------------------------------------------------ changes
def _retitle(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    title = field_of(text, "title")
    path.write_text(
        text.replace(f"title: {title}", f"title: {title.rstrip(chr(34))}（修订）" + '"' * title.endswith('"')),
        encoding="utf-8",
    )


def title_edit(repo: CorpusRepo) -> None:
    """A title other pages and files show: listings, the interpretations of it, relations."""
    _retitle(repo.interpreted_entry())


def interpretation_title_edit(repo: CorpusRepo) -> None:
    _retitle(repo.interpretations()[0])


def new_entry(repo: CorpusRepo, relations: str = "", *, title_mark: str = "", doc_number: bool = True) -> Path:
    """A copy of a plain entry under a new 索引号, optionally with relations, ``title_mark``
    appended to its title, and without its 文号 unless ``doc_number``."""
    source = repo.plain_entry()
    text = source.read_text(encoding="utf-8")
    number = field_of(text, "index_no")
    text = text.replace(f"index_no: {number}", f"index_no: {number[:-5]}99999")
    if title_mark:
        title = field_of(text, "title")
        text = text.replace(f"title: {title}", f"title: {title}{title_mark}")
    if not doc_number:
        text = re.sub(r"^doc_number: .*\n", "", text, flags=re.M)
    if relations:
        text = text.replace("disclosure: ", f"relations:\n{relations}disclosure: ", 1)
    path = source.with_name("added-entry.md")
    path.write_text(text, encoding="utf-8")
    return path


def added_entry(repo: CorpusRepo, *, title_mark: str = "", doc_number: bool = True) -> None:
    new_entry(repo, title_mark=title_mark, doc_number=doc_number)


def added_entry_amending_an_old_one(repo: CorpusRepo, *, title_mark: str = "", doc_number: bool = True) -> None:
    """The old entry's page must show the new one (a reverse lookup's result changed)."""
    old = field_of(repo.plain_entry(skip=40).read_text(encoding="utf-8"), "index_no")
    new_entry(repo, f"  amends: [{old}]\n", title_mark=title_mark, doc_number=doc_number)


def deleted_entry(repo: CorpusRepo) -> None:
    repo.plain_entry().unlink()


def renamed_entry(repo: CorpusRepo) -> None:
    path = repo.plain_entry()
    path.rename(path.with_name("renamed-entry.md"))


def new_interpretation(repo: CorpusRepo) -> None:
    """A new interpretation of an entry that had none."""
    target = field_of(repo.plain_entry(skip=30).read_text(encoding="utf-8"), "index_no")
    source = repo.interpretations()[0]
    text = source.read_text(encoding="utf-8")
    number = field_of(text, "index_no")
    text = text.replace(f"index_no: {number}", f"index_no: {number[:-5]}99998")
    text = re.sub(r"^interprets: .*$", f"interprets: [{target}]", text, count=1, flags=re.M)
    source.with_name("added-interpretation.md").write_text(text, encoding="utf-8")


def relation_added(repo: CorpusRepo) -> None:
    first, second = repo.plain_entry(skip=20), repo.plain_entry(skip=60)
    other = field_of(second.read_text(encoding="utf-8"), "index_no")
    text = first.read_text(encoding="utf-8")
    first.write_text(
        text.replace("disclosure: ", f"relations:\n  replaces: [{other}]\ndisclosure: ", 1), encoding="utf-8"
    )


def relation_removed(repo: CorpusRepo) -> None:
    path = next(p for p in repo.files() if "relations:\n  repeals: [" in p.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"relations:\n  repeals: \[[^\]]*\]\n", "", text, count=1), encoding="utf-8")


def agency_name_change(repo: CorpusRepo) -> None:
    config = repo.root / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("青禾市教育局", "青禾市教育委员会"), encoding="utf-8")


def vocabulary_change(repo: CorpusRepo) -> None:
    """A topic class renamed in site_config.yml, its old name kept as an alias."""
    tree = []
    for i, (name, kids) in enumerate(DEFAULT_TOPICS, start=1):
        term: dict[str, object] = {"name": name, "slug": f"{i:02d}"}
        if name == "综合政务":
            term = {"name": "综合政务类", "slug": f"{i:02d}", "aliases": [name]}
        term["children"] = [{"name": k, "slug": f"{j:02d}"} for j, k in enumerate(kids, start=1)]
        tree.append(term)
    config = repo.root / "site_config.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text + "vocabularies:\n  topics: " + json.dumps(tree, ensure_ascii=False) + "\n", encoding="utf-8"
    )
