"""`gongkai serve` previews body-only edits by rendering only the edited pages (issue 18).

The preview must give the bytes a full build gives for the same sources, and must refuse
(return None, so the full build runs first) every change that is more than a public body.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from bench.make_corpus import generate
from generator.project import load_project
from generator.site.build import build_site
from generator.site.serve import _Preview, watched_stamps

DAY = dt.date(2026, 1, 15)
ID = "11010519491231002X"  # a resident ID number: the privacy lint refuses it in a body


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("preview") / "c"
    generate(120, root, seed=5)
    return root


def fresh(corpus: Path, tmp_path: Path, draft: str = "") -> tuple[Path, _Preview]:
    root = tmp_path / "c"
    shutil.copytree(corpus, root)
    if draft:  # make this entry a draft before the full build the preview starts from
        (root / draft).write_text((root / draft).read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1))
    project = load_project(root, DAY)
    assert not project.errors
    preview = _Preview(root, project, project.public(), tmp_path / "scratch")
    return root, preview


def files(root: Path, pattern: str, count: int) -> list[str]:
    found = []
    for path in sorted((root / "catalogue").rglob("*.md")) + sorted((root / "content").rglob("*.md")):
        front = path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        if re.search(pattern, front, re.M):
            found.append(path.relative_to(root).as_posix())
    assert len(found) >= count, pattern
    return found[:count]


def append(root: Path, rel: str, text: str) -> None:
    with (root / rel).open("a", encoding="utf-8") as f:
        f.write(text)


def test_previewed_pages_equal_a_full_build(corpus: Path, tmp_path: Path) -> None:
    root, preview = fresh(corpus, tmp_path)
    edited = files(root, r"^disclosure: 主动公开", 2) + files(root, r"^interprets:", 1)
    assert edited[-1].startswith("content/interpretations/")
    for n, rel in enumerate(edited):
        append(root, rel, f"\n预览修改第{n}句，含一个**强调**和一个表格：\n\n| 甲 | 乙 |\n| --- | --- |\n| 1 | 2 |\n")
    pages = preview.pages(set(edited))
    assert pages is not None and len(pages) == 3
    site = tmp_path / "site"
    project = load_project(root, DAY)
    assert not project.errors
    build_site(project, site, workers=1, cache=False)
    for rel, data in pages.items():
        assert "预览修改第" in data.decode("utf-8")
        assert data == (site / rel).read_bytes(), rel


def test_an_unchanged_file_previews_as_the_built_page(corpus: Path, tmp_path: Path) -> None:
    root, preview = fresh(corpus, tmp_path)
    rel = files(root, r"^disclosure: 主动公开", 1)[0]
    pages = preview.pages({rel})
    assert pages is not None
    site = tmp_path / "site"
    build_site(load_project(root, DAY), site, workers=1, cache=False)
    assert [data == (site / url).read_bytes() for url, data in pages.items()] == [True]


@pytest.mark.parametrize(
    "case",
    ["title", "on request", "draft", "privacy", "broken front matter", "a page", "config", "not a source"],
)
def test_anything_more_than_a_public_body_is_not_previewed(corpus: Path, tmp_path: Path, case: str) -> None:
    draft = files(corpus, r"^disclosure: 主动公开", 3)[2] if case == "draft" else ""
    root, preview = fresh(corpus, tmp_path, draft)
    if case == "title":
        rel = files(root, r"^disclosure: 主动公开", 1)[0]
        text = (root / rel).read_text(encoding="utf-8")
        (root / rel).write_text(re.sub(r"^title: ", "title: 改过的", text, count=1, flags=re.M), encoding="utf-8")
    elif case == "on request":  # 依申请公开: the page never shows the body
        rel = files(root, r"^disclosure: 依申请公开", 1)[0]
        append(root, rel, "\n不公开的正文。\n")
    elif case == "draft":
        rel = draft
        assert files(root, r"^draft: true", 1) == [rel]
        append(root, rel, "\n草稿正文。\n")
    elif case == "privacy":
        rel = files(root, r"^disclosure: 主动公开", 1)[0]
        append(root, rel, f"\n联系人身份证号：{ID}。\n")
    elif case == "broken front matter":
        rel = files(root, r"^disclosure: 主动公开", 1)[0]
        (root / rel).write_text("---\ntitle: [\n---\n正文\n", encoding="utf-8")
    elif case == "a page":
        rel = sorted(p.relative_to(root).as_posix() for p in (root / "content" / "pages").rglob("*.md"))[0]
        append(root, rel, "\n页面修改。\n")
    elif case == "config":
        rel = "site_config.yml"
        append(root, rel, "\n")
    else:
        rel = "catalogue/notes.txt"
        (root / rel).write_text("x", encoding="utf-8")
    assert preview.pages({rel}) is None


def test_watched_stamps_see_sources_attachments_theme_and_config(corpus: Path, tmp_path: Path) -> None:
    root, _ = fresh(corpus, tmp_path)
    before = watched_stamps(root)
    assert "site_config.yml" in before and any(rel.startswith("catalogue/") for rel in before)
    (root / "theme").mkdir(exist_ok=True)
    (root / "theme" / "main.html").write_text("{% extends 'base.html' %}", encoding="utf-8")
    after: Any = watched_stamps(root)
    assert set(after) - set(before) == {"theme/main.html"}


def test_the_search_page_says_its_index_is_being_rebuilt_after_a_preview() -> None:
    from generator.site import serve as S

    state = S._State(site=Path("."))
    inject = S._injector(state)
    page = b"<html><body><p>x</p></body></html>"
    for pending, path, shown in [(True, "/search/", True), (True, "/catalogue/a/", False), (False, "/search/", False)]:
        state.pending = pending
        S._request.path = path
        out = inject(page, 1).decode("utf-8")
        assert ("搜索索引、数据导出和订阅源正在后台重新生成" in out) is shown, (pending, path)
        assert 'src="/.gongkai/livereload.js"' in out
    state.pending, state.partial = False, True  # a fast build's site: its outputs come from the background
    S._request.path = "/search/"
    assert "搜索索引、数据导出和订阅源正在后台重新生成" in inject(page, 1).decode("utf-8")
    S._failed(state, [], "x")  # an error after it: the site shown still lacks its outputs
    assert state.partial and "搜索索引、数据导出和订阅源正在后台重新生成" in inject(page, 1).decode("utf-8")


def test_a_background_build_stops_when_a_full_build_is_due(corpus: Path, tmp_path: Path) -> None:
    import threading

    from generator.site import serve as S
    from generator.site.build import BuildInterrupted

    sources = len(list(corpus.rglob("*.md")))

    class Later(threading.Event):
        """Set once the check has read every file: the build stops among its pages."""

        calls = 0

        def is_set(self) -> bool:
            self.calls += 1
            return self.calls > sources + 5

    for cancel in (threading.Event(), Later()):
        cancel.set()
        state = S._State()
        site = tmp_path / "out" / "site"
        with pytest.raises(BuildInterrupted):
            S._rebuild(corpus, site, DAY, state, S._Cancellable(cancel))
        assert state.site is None and not site.exists()
        if site.parent.exists():
            assert [p.name for p in site.parent.iterdir()] == []  # the build's scratch folder is gone too
    assert isinstance(cancel, Later) and cancel.calls > sources + 5
    assert site.parent.exists()  # the second build got as far as its pages


# ------------------------------------------------------------------ fast builds (add, delete, front matter)
def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def clean_build(root: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    project = load_project(root, DAY)
    assert not project.errors
    build_site(project, tmp_path / name, workers=1, cache=False)
    return tree(tmp_path / name)


def new_entry(root: Path, template: str, index_no: str, title: str) -> str:
    text = (root / template).read_text(encoding="utf-8")
    text = re.sub(r"^index_no: .*$", f"index_no: {index_no}", text, count=1, flags=re.M)
    text = re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M)
    rel = str(Path(template).with_name("zz-new-entry.md").as_posix())
    (root / rel).write_text(text, encoding="utf-8")
    return rel


def index_no_of(root: Path, rel: str) -> str:
    m = re.search(r"^index_no: (.*)$", (root / rel).read_text(encoding="utf-8"), re.M)
    assert m
    return m.group(1).strip("'\"")


def served_outputs(site: Path) -> dict[str, bytes]:
    """The deferred outputs of a site: search index, catalogue exports, feeds."""
    return {
        rel: data
        for rel, data in tree(site).items()
        if (rel.startswith(("search/", "feeds/")) and not rel.endswith(".html"))
        or rel in ("catalogue.csv", "catalogue.json", "datapackage.json")
    }


def test_a_fast_build_shows_a_new_and_a_deleted_entry_and_the_background_build_completes_it(
    corpus: Path, tmp_path: Path
) -> None:
    from generator.site import serve as S

    root = tmp_path / "c"
    shutil.copytree(corpus, root)
    site = tmp_path / "work" / "site"
    state = S._State()
    assert S._rebuild(root, site, DAY, state) and not state.partial
    before = served_outputs(site)
    assert any(rel.startswith("search/") for rel in before) and "catalogue.csv" in before

    # a new entry: its page and the listings are there at once; the outputs are the last full build's
    template = files(root, r"^disclosure: 主动公开", 1)[0]
    title = "快速构建新增的条目标题"
    rel = new_entry(root, template, index_no_of(root, template)[:-5] + "99999", title)
    new_no = index_no_of(root, rel)
    assert S._rebuild(root, site, DAY, state, fast=True)
    assert state.partial and state.preview is None
    shown = tree(site)
    pages = [url for url, data in shown.items() if url.endswith(".html") and title.encode() in data]
    from generator.model.urls import index_url

    page = f"{index_url(new_no)}index.html"
    assert page in pages and len(pages) > 1  # its page and at least a listing
    assert served_outputs(site) == before  # deferred: not rebuilt in the foreground
    # the background build: the same site as a clean build of the same sources
    assert S._rebuild(root, site, DAY, state) and not state.partial
    assert tree(site) == clean_build(root, tmp_path, "clean-add")
    assert title.encode() in (site / "catalogue.csv").read_bytes()

    # deleting it: gone at once from every file served, outputs included (nothing shows it)
    (root / rel).unlink()
    assert S._rebuild(root, site, DAY, state, fast=True) and state.partial
    leaks = [url for url, data in tree(site).items() if title.encode() in data or new_no.encode() in data]
    assert leaks == []
    assert S._rebuild(root, site, DAY, state) and not state.partial
    assert tree(site) == clean_build(root, tmp_path, "clean-delete")


@pytest.mark.parametrize("case", ["draft", "embargo", "on request"])
def test_a_fast_build_never_serves_what_a_front_matter_edit_withdrew(corpus: Path, tmp_path: Path, case: str) -> None:
    from generator.site import serve as S

    root = tmp_path / "c"
    shutil.copytree(corpus, root)
    rel = files(root, r"^disclosure: 主动公开", 4)[3]
    secret = "快速构建不得泄露的正文句子"
    append(root, rel, f"\n{secret}\n")
    site = tmp_path / "work" / "site"
    state = S._State()
    assert S._rebuild(root, site, DAY, state)
    assert any(secret.encode() in data for data in tree(site).values())
    text = (root / rel).read_text(encoding="utf-8")
    if case == "draft":
        text = text.replace("---\n", "---\ndraft: true\n", 1)
    elif case == "embargo":
        text = text.replace("---\n", "---\nembargo_until: 2099-01-01\n", 1)
    else:
        text = text.replace("disclosure: 主动公开", "disclosure: 依申请公开", 1)
    (root / rel).write_text(text, encoding="utf-8")
    assert S._rebuild(root, site, DAY, state, fast=True) and state.partial
    assert [url for url, data in tree(site).items() if secret.encode() in data] == []
    assert S._rebuild(root, site, DAY, state)
    assert tree(site) == clean_build(root, tmp_path, "clean")


def test_gongkai_build_never_defers_its_outputs(corpus: Path, tmp_path: Path) -> None:
    """A fast build leaves no record a later `gongkai build` could take for a complete site."""
    from generator.site import serve as S

    root = tmp_path / "c"
    shutil.copytree(corpus, root)
    site = tmp_path / "work" / "site"
    state = S._State()
    assert S._rebuild(root, site, DAY, state)
    template = files(root, r"^disclosure: 主动公开", 1)[0]
    new_entry(root, template, index_no_of(root, template)[:-5] + "99998", "另一个新增条目")
    assert S._rebuild(root, site, DAY, state, fast=True) and state.partial
    stats = build_site(load_project(root, DAY), site)
    assert not stats.unchanged
    assert tree(site) == clean_build(root, tmp_path, "clean")


# ------------------------------------------------------------------ previews of new and deleted files
def item_page(index_no: str, kind: str = "entry") -> str:
    from generator.model.urls import index_url

    return f"{index_url(index_no, kind)}index.html"


@pytest.mark.parametrize("disclosure", ["主动公开", "依申请公开"])
def test_a_new_entry_previews_as_the_full_build_shows_it(corpus: Path, tmp_path: Path, disclosure: str) -> None:
    root, preview = fresh(corpus, tmp_path)
    template = files(root, rf"^disclosure: {disclosure}", 1)[0]
    secret = "新增条目预览的正文句子"
    rel = new_entry(root, template, index_no_of(root, template)[:-5] + "99997", "预览新增的条目")
    append(root, rel, f"\n{secret}\n")
    pages = preview.pages({rel})
    assert pages is not None
    page = item_page(index_no_of(root, rel))
    assert list(pages) == [page]
    data = pages[page]
    assert data is not None and "预览新增的条目" in data.decode("utf-8")
    assert (secret in data.decode("utf-8")) is (disclosure == "主动公开")  # 依申请公开: never its body
    site = tmp_path / "site"
    build_site(load_project(root, DAY), site, workers=1, cache=False)
    assert data == (site / page).read_bytes()


def test_a_new_interpretation_and_a_body_edit_preview_together(corpus: Path, tmp_path: Path) -> None:
    root, preview = fresh(corpus, tmp_path)
    template = files(root, r"^interprets:", 1)[0]
    text = (root / template).read_text(encoding="utf-8")
    new_no = index_no_of(root, template)[:-5] + "99996"
    text = re.sub(r"^index_no: .*$", f"index_no: {new_no}", text, count=1, flags=re.M)
    text = re.sub(r"^title: .*$", "title: 预览新增的解读", text, count=1, flags=re.M)
    rel = str(Path(template).with_name("zz-new-interpretation.md").as_posix())
    (root / rel).write_text(text, encoding="utf-8")
    edited = files(root, r"^disclosure: 主动公开", 1)[0]
    append(root, edited, "\n同时修改的正文。\n")
    pages = preview.pages({rel, edited})
    assert pages is not None and len(pages) == 2
    site = tmp_path / "site"
    build_site(load_project(root, DAY), site, workers=1, cache=False)
    assert item_page(new_no, "interpretation") in pages
    for url, data in pages.items():
        assert data == (site / url).read_bytes(), url


@pytest.mark.parametrize("case", ["draft", "embargo"])
def test_a_new_file_the_public_may_not_see_previews_as_nothing(corpus: Path, tmp_path: Path, case: str) -> None:
    root, preview = fresh(corpus, tmp_path)
    template = files(root, r"^disclosure: 主动公开", 1)[0]
    rel = new_entry(root, template, index_no_of(root, template)[:-5] + "99995", "不得预览的新条目")
    text = (root / rel).read_text(encoding="utf-8")
    extra = "draft: true" if case == "draft" else "embargo_until: 2099-01-01"
    (root / rel).write_text(text.replace("---\n", f"---\n{extra}\n", 1), encoding="utf-8")
    assert preview.pages({rel}) == {}  # previewed: nothing to show
    site = tmp_path / "site"
    build_site(load_project(root, DAY), site, workers=1, cache=False)
    assert not (site / item_page(index_no_of(root, rel))).exists()


@pytest.mark.parametrize("kind", ["entry", "interpretation", "on request"])
def test_a_deleted_file_previews_as_its_page_and_json_removed(corpus: Path, tmp_path: Path, kind: str) -> None:
    root, preview = fresh(corpus, tmp_path)
    pattern = {
        "entry": r"^disclosure: 主动公开",
        "interpretation": r"^interprets:",
        "on request": r"^disclosure: 依申请公开",
    }
    candidates = files(root, pattern[kind], 2)
    # one nothing else points at: deleting it leaves a site the full build can make
    rel = next(r for r in candidates if not _referenced(root, index_no_of(root, r)))
    no = index_no_of(root, rel)
    (root / rel).unlink()
    pages = preview.pages({rel})
    page = item_page(no, "interpretation" if kind == "interpretation" else "entry")
    assert pages == {page: None, page.replace("index.html", "index.json"): None}
    site = tmp_path / "site"
    project = load_project(root, DAY)
    assert not project.errors
    build_site(project, site, workers=1, cache=False)
    assert not (site / page).exists() and not (site / page).parent.exists()


def _referenced(root: Path, index_no: str) -> bool:
    return any(
        index_no in p.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        for p in root.rglob("*.md")
        if index_no_of_text(p) != index_no
    )


def index_no_of_text(path: Path) -> str:
    m = re.search(r"^index_no: (.*)$", path.read_text(encoding="utf-8"), re.M)
    return m.group(1).strip("'\"") if m else ""


def test_a_renamed_file_previews_as_its_page(corpus: Path, tmp_path: Path) -> None:
    root, preview = fresh(corpus, tmp_path)
    rel = files(root, r"^disclosure: 主动公开", 1)[0]
    moved = str(Path(rel).with_name("zz-renamed.md").as_posix())
    (root / rel).rename(root / moved)
    pages = preview.pages({rel, moved})
    page = item_page(index_no_of(root, moved))
    assert pages is not None and pages[page] is not None
    site = tmp_path / "site"
    build_site(load_project(root, DAY), site, workers=1, cache=False)
    assert pages[page] == (site / page).read_bytes()


@pytest.mark.parametrize("case", ["taken 索引号", "taken by a draft", "a problem", "hidden", "not markdown", "a page"])
def test_a_new_file_that_is_more_than_a_new_item_is_not_previewed(corpus: Path, tmp_path: Path, case: str) -> None:
    draft = files(corpus, r"^disclosure: 主动公开", 3)[2] if case == "taken by a draft" else ""
    root, preview = fresh(corpus, tmp_path, draft)
    template = files(root, r"^disclosure: 主动公开", 1)[0]
    if case in ("taken 索引号", "taken by a draft"):
        rel = new_entry(root, template, index_no_of(root, draft or template), "重复索引号的新条目")
    elif case == "a problem":
        rel = new_entry(root, template, index_no_of(root, template)[:-5] + "99994", "有问题的新条目")
        append(root, rel, f"\n联系人身份证号：{ID}。\n")
    elif case == "hidden":
        rel = str(Path(template).with_name(".zz-hidden.md").as_posix())
        (root / rel).write_text((root / template).read_text(encoding="utf-8"), encoding="utf-8")
    elif case == "not markdown":
        rel = str(Path(template).with_name("zz-notes.txt").as_posix())
        (root / rel).write_text("x", encoding="utf-8")
    else:
        rel = "content/pages/zz-new-page.md"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("---\ntitle: 新页面\n---\n正文\n", encoding="utf-8")
    assert preview.pages({rel}) is None


def test_serve_previews_a_new_and_a_deleted_entry_and_undoes_them(corpus: Path, tmp_path: Path) -> None:
    """The served site: a new entry's page at once, gone again when its file is deleted or made a
    draft; a deleted entry's page gone at once, back when the full build fails."""
    from generator.site import serve as S

    root = tmp_path / "c"
    shutil.copytree(corpus, root)
    site = tmp_path / "work" / "site"
    state = S._State()
    assert S._rebuild(root, site, DAY, state) and state.preview is not None
    built = tree(site)
    template = files(root, r"^disclosure: 主动公开", 1)[0]
    rel = new_entry(root, template, index_no_of(root, template)[:-5] + "99993", "服务预览的新条目")
    page = site / item_page(index_no_of(root, rel))
    assert S._preview(root, state) and state.pending
    assert "服务预览的新条目" in page.read_text(encoding="utf-8")
    text = (root / rel).read_text(encoding="utf-8")
    (root / rel).write_text(text.replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    assert S._preview(root, state)  # a draft now: its page is gone at once
    assert not page.exists() and tree(site) == built
    (root / rel).write_text(text, encoding="utf-8")
    assert S._preview(root, state) and page.exists()
    (root / rel).unlink()
    assert S._preview(root, state)  # deleted again: the site is the last build's
    assert tree(site) == built and not state.previewed

    deleted = next(r for r in files(root, r"^disclosure: 主动公开", 8) if not _referenced(root, index_no_of(root, r)))
    gone = site / item_page(index_no_of(root, deleted))
    saved = (root / deleted).read_bytes()
    (root / deleted).unlink()
    assert S._preview(root, state)
    assert not gone.exists() and not gone.with_name("index.json").exists()
    S._failed(state, [], "x")  # say the full build found a problem: the last good site again
    assert tree(site) == built
    (root / deleted).write_bytes(saved)


def test_a_change_that_is_not_previewed_undoes_the_previews(corpus: Path, tmp_path: Path) -> None:
    """A fast build follows; until it is done the last build's site is served, not a preview of
    a file that may have changed since (made a draft with other edits, say)."""
    from generator.site import serve as S

    root = tmp_path / "c"
    shutil.copytree(corpus, root)
    site = tmp_path / "work" / "site"
    state = S._State()
    assert S._rebuild(root, site, DAY, state)
    built = tree(site)
    template = files(root, r"^disclosure: 主动公开", 1)[0]
    rel = new_entry(root, template, index_no_of(root, template)[:-5] + "99992", "随后撤回的新条目")
    assert S._preview(root, state) and tree(site) != built
    text = (root / rel).read_text(encoding="utf-8")
    (root / rel).write_text(re.sub(r"^title: .*$", "title: [", text, count=1, flags=re.M), encoding="utf-8")
    assert not S._preview(root, state)
    assert tree(site) == built and not state.previewed


def test_a_new_entry_with_attachments_is_left_to_the_build(make_project: Any, tmp_path: Path) -> None:
    """Its page links to files only a build copies: previewing the page alone would serve broken links."""
    p = make_project()
    p.entry(title="已有的条目")
    project = load_project(p.root, DAY)
    assert not project.errors
    preview = _Preview(p.root, project, project.public(), tmp_path / "scratch")
    sha = p.attachment("files/附件.pdf", b"%PDF-1.4\n%%EOF\n")
    files_ = [{"title": "附件", "file": "files/附件.pdf", "sha256": sha}]
    p.entry("e2", title="带附件的新条目", index_no="000000002/2024-00003", attachments=files_)
    assert preview.pages({"catalogue/e2.md", "catalogue/files/附件.pdf"}) is None
    assert preview.pages({"catalogue/e2.md"}) is None
    p.entry("e3", title="不带附件的新条目", index_no="000000002/2024-00005")
    pages = preview.pages({"catalogue/e3.md"})
    page = "catalogue/000000002-2024-00005/index.html"
    assert pages is not None and list(pages) == [page]
    assert "不带附件的新条目" in (pages[page] or b"").decode("utf-8")


def test_carried_outputs_are_links_made_only_where_the_build_wrote_nothing(tmp_path: Path) -> None:
    from generator.site.deferred import _link

    prev, out = tmp_path / "prev", tmp_path / "out"
    (prev / "a" / "b").mkdir(parents=True)
    (prev / "a" / "b" / "x.json").write_text("old", encoding="utf-8")
    (prev / "top.json").write_text("top", encoding="utf-8")
    (out / "a").mkdir(parents=True)
    (out / "top.json").write_text("new", encoding="utf-8")
    _link(f"{prev}/a/b/x.json", f"{out}/a/b/x.json")  # its folder made
    _link(f"{prev}/top.json", f"{out}/top.json")  # written by the build: kept
    _link(f"{prev}/missing.json", f"{out}/missing.json")
    _link(f"{prev}/a", f"{out}/a-folder")  # not a file
    assert os.path.samefile(prev / "a" / "b" / "x.json", out / "a" / "b" / "x.json")
    assert (out / "top.json").read_text(encoding="utf-8") == "new"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == ["a", "a/b", "a/b/x.json", "top.json"]


def test_a_previewed_new_entry_the_full_build_refuses_is_taken_away(corpus: Path, tmp_path: Path) -> None:
    """Checked on its own the new file is fine; the cross-file check (a relation to no entry) is
    the full build's: its page goes again, and the banner lists the problem."""
    from generator.site import serve as S

    root = tmp_path / "c"
    shutil.copytree(corpus, root)
    site = tmp_path / "work" / "site"
    state = S._State()
    assert S._rebuild(root, site, DAY, state)
    built = tree(site)
    template = files(root, r"^disclosure: 主动公开", 1)[0]
    rel = new_entry(root, template, index_no_of(root, template)[:-5] + "99991", "关系指向不存在条目的新条目")
    text = (root / rel).read_text(encoding="utf-8")
    missing = index_no_of(root, template)[:-5] + "99990"
    (root / rel).write_text(text.replace("---\n", f"---\nrelations:\n  repeals: [{missing}]\n", 1), encoding="utf-8")
    assert S._preview(root, state)
    assert (site / item_page(index_no_of(root, rel))).exists()
    assert not S._rebuild(root, site, DAY, state)
    assert state.problems and tree(site) == built and not state.previewed
