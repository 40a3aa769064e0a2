"""Shared fixtures: a factory that writes small gongkai projects into a temp dir."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diagnostics import Diagnostic
from generator.project import Project, load_project

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BUILD_DATE = dt.date(2026, 1, 15)

CONFIG = """\
site:
  name: 测试市人民政府信息公开
  url: https://www.example.gov.cn/xxgk/
footer:
  sponsor: 测试市人民政府办公室
  site_id_code: "1234567890"
index_no:
  pattern: '^(?P<prefix>[0-9A-Z]{9})/(?P<year>\\d{4})-(?P<serial>\\d{5})$'
  example: 000000001/2024-00001
agencies:
  - {id: gov, name: 测试市人民政府, code: "000000001"}
  - {id: office, name: 测试市人民政府办公室, code: "000000002"}
  - {id: edu, name: 测试市教育局, code: "000000003"}
listing:
  page_size: 3
"""


def entry_fields(**overrides: Any) -> dict[str, Any]:
    """A valid catalogue entry; override or drop (value None) any field."""
    fields: dict[str, Any] = {
        "index_no": "000000002/2024-00001",
        "title": "测试市人民政府办公室关于做好政务公开工作的通知",
        "publisher": "office",
        "doc_number": "测政办发〔2024〕1号",
        "written_date": dt.date(2024, 3, 1),
        "published_date": dt.date(2024, 3, 5),
        "genre": "通知",
        "info_type": "其他文件",
        "topics": ["综合政务\\政务公开"],
        "disclosure": "主动公开",
    }
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


def interpretation_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "index_no": "000000002/2024-00002",
        "title": "《关于做好政务公开工作的通知》政策解读",
        "interprets": ["000000002/2024-00001"],
        "form": "文字",
        "interpreter_org": "office",
        "published_date": dt.date(2024, 3, 5),
    }
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


class _NoAliases(yaml.SafeDumper):
    """Write a value used twice (e.g. one date object) twice, not as an alias the reader refuses."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def front_matter(fields: dict[str, Any], body: str = "正文。\n") -> str:
    return "---\n" + yaml.dump(fields, Dumper=_NoAliases, allow_unicode=True, sort_keys=False) + "---\n" + body


class ProjectFactory:
    """Write a project file by file, then load, check or build it."""

    def __init__(self, root: Path, config: str = CONFIG) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        (root / "site_config.yml").write_text(config, encoding="utf-8")

    def write(self, rel: str, content: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def entry(self, name: str = "e1", body: str = "正文。\n", **overrides: Any) -> Path:
        return self.write(f"catalogue/{name}.md", front_matter(entry_fields(**overrides), body))

    def interpretation(self, name: str = "i1", body: str = "解读正文。\n", **overrides: Any) -> Path:
        return self.write(f"content/interpretations/{name}.md", front_matter(interpretation_fields(**overrides), body))

    def page(self, slug: str, title: str, body: str = "页面正文。\n", **fields: Any) -> Path:
        return self.write(f"content/pages/{slug}.md", front_matter({"title": title, **fields}, body))

    def attachment(self, rel: str, content: bytes) -> str:
        """Write ``catalogue/<rel>``; return its sha256 for the front matter."""
        self.write(f"catalogue/{rel}", content)
        return hashlib.sha256(content).hexdigest()

    def load(self, build_date: dt.date = BUILD_DATE) -> Project:
        return load_project(self.root, build_date)

    def diagnostics(self, build_date: dt.date = BUILD_DATE) -> list[Diagnostic]:
        return self.load(build_date).diagnostics

    def codes(self, build_date: dt.date = BUILD_DATE) -> list[str]:
        return [d.code for d in self.diagnostics(build_date)]

    def build(self, site: Path | None = None, build_date: dt.date = BUILD_DATE) -> Path:
        from generator.site.build import build_site

        project = self.load(build_date)
        assert not project.errors, [d.format() for d in project.errors]
        target = site or self.root / "site"
        build_site(project, target)
        return target


MARKERS = {
    "draft": "草稿正文标记DRAFT-7f3a",
    "embargo": "未到公开时间正文标记EMBARGO-91c2",
    "on_request": "依申请公开正文标记ONREQ-5d0e",
}


def write_rich_catalogue(p: ProjectFactory) -> None:
    """A small catalogue exercising every kind of item and every visibility rule.

    Public: two 其他文件 (one with an attachment and change notes), a 行政规范性文件 with
    an interpretation, a 规章 repealed by a newer 规章, a 依申请公开 entry (metadata only).
    Not public: a draft and an embargoed entry (after BUILD_DATE). Bodies of the hidden
    parts carry :data:`MARKERS`, so tests can prove that no output contains them.
    """
    sha = p.attachment("files/e1.pdf", b"%PDF-1.4 attachment\n")
    p.entry(
        "2024/e1",
        abstract="关于政务公开工作的通知",
        keywords=["政务公开", "通知"],
        channel=["网站"],
        attachments=[{"title": "附件1 工作安排", "file": "files/e1.pdf", "sha256": sha}],
        history=[{"date": dt.date(2024, 3, 20), "note": "更正附件1的联系电话"}],
    )
    p.entry(
        "2024/e2",
        index_no="000000003/2024-00002",
        title="测试市教育局关于2024年招生工作的公告",
        publisher="edu",
        doc_number=None,
        genre="公告",
        written_date=dt.date(2024, 5, 8),
        published_date=dt.date(2024, 5, 9),
        topics=["科技、教育\\教育"],
    )
    p.entry(
        "2023/r1",
        index_no="000000002/2023-00001",
        title="测试市人民政府办公室关于印发测试市行政规范性文件管理办法的通知",
        doc_number="测政办规〔2023〕1号",
        info_type="行政规范性文件",
        written_date=dt.date(2023, 2, 1),
        published_date=dt.date(2023, 2, 3),
        effective_date=dt.date(2023, 3, 1),
        expires=dt.date(2028, 2, 28),
        validity="有效",
        validity_history=[
            {"date": dt.date(2023, 2, 3), "status": "尚未生效"},
            {"date": dt.date(2023, 3, 1), "status": "有效"},
        ],
    )
    p.interpretation(
        "2023/i1",
        index_no="000000002/2023-00002",
        title="《测试市行政规范性文件管理办法》政策解读",
        interprets=["000000002/2023-00001"],
        published_date=dt.date(2023, 2, 3),
        history=[{"date": dt.date(2023, 2, 10), "note": "补充问答"}],
    )
    p.entry(
        "2022/g1",
        index_no="000000001/2022-00001",
        title="测试市政府信息公开规定",
        publisher="gov",
        doc_number="测试市人民政府令第1号",
        genre="命令",
        info_type="规章",
        written_date=dt.date(2022, 1, 10),
        published_date=dt.date(2022, 1, 12),
        validity="废止",
        validity_history=[
            {"date": dt.date(2022, 1, 12), "status": "有效"},
            {"date": dt.date(2024, 6, 1), "status": "废止", "by": "000000001/2024-00001"},
        ],
    )
    p.entry(
        "2024/g2",
        index_no="000000001/2024-00001",
        title="测试市政府信息公开办法",
        publisher="gov",
        doc_number="测试市人民政府令第2号",
        genre="命令",
        info_type="规章",
        written_date=dt.date(2024, 5, 20),
        published_date=dt.date(2024, 5, 25),
        validity="有效",
        validity_history=[{"date": dt.date(2024, 6, 1), "status": "有效"}],
        relations={"repeals": ["000000001/2022-00001"]},
    )
    p.entry(
        "2024/a1",
        body=MARKERS["on_request"] + "\n",
        index_no="000000002/2024-00003",
        title="测试市人民政府办公室关于内部事务的复函",
        doc_number="测政办函〔2024〕3号",
        genre="函",
        disclosure="依申请公开",
    )
    p.entry(
        "2024/d1",
        body=MARKERS["draft"] + "\n",
        index_no="000000002/2024-00004",
        title="草稿条目" + MARKERS["draft"],
        draft=True,
    )
    p.entry(
        "2025/m1",
        body=MARKERS["embargo"] + "\n",
        index_no="000000002/2025-00001",
        title="未到公开时间的条目" + MARKERS["embargo"],
        written_date=dt.date(2025, 12, 1),
        published_date=dt.date(2025, 12, 1),
        embargo_until=dt.date(2026, 3, 1),
    )
    p.page("guide", "政府信息公开指南", nav_order=1)


class GitProject(ProjectFactory):
    """A project in its own git repository; :meth:`commit` records the files as they are."""

    def __init__(self, root: Path, config: str = CONFIG) -> None:
        super().__init__(root, config)
        self.git("init", "-q")
        for key, value in (
            ("user.name", "测试编辑"),
            ("user.email", "editor@example.invalid"),
            ("commit.gpgsign", "false"),
            ("core.autocrlf", "false"),
            ("core.hooksPath", "/dev/null"),
        ):
            self.git("config", key, value)

    def git(self, *args: str) -> str:
        result = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser tests last: they leave threads in their process (their web servers, and
    Playwright's asyncio-waitpid watcher, which outlives the browser), and a build forks its
    workers only where no other thread runs (generator/parallel.py: ``can_fork``). In one process
    (``pytest -q``), every other test therefore runs before them; scripts/test.sh runs the two
    kinds in two runs."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)  # (a stable sort)


@pytest.fixture(autouse=True)
def no_other_thread(request: pytest.FixtureRequest) -> None:
    """A test outside the browser tests starts in a process where no other thread runs, so that
    the builds it makes take their forked paths (see above): fails, rather than testing the
    serial paths unawares, after a browser test in the same process."""
    if request.node.get_closest_marker("browser") is None:
        others = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
        assert not others, f"threads left by an earlier test in this process: {others} (run browser tests apart)"


@pytest.fixture(scope="session", autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A user cache folder (``$XDG_CACHE_HOME``: the check cache's signing key) of this test
    process alone, inherited by the commands it runs: tests neither read nor write the real
    one, and parallel test processes (pytest-xdist) never race to create the same key."""
    folder = tmp_path_factory.mktemp("user-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture(scope="session", autouse=True)
def template_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Compiled Jinja templates shared by every build of this test process and the commands it
    runs (``GONGKAI_TEMPLATE_CACHE``): each test's project starts with an empty cache, and
    compiling Material's templates again in every build was a fifth of the suite's CPU.
    tests/test_engine_cache.py unsets it to test the project's own cache."""
    folder = tmp_path_factory.mktemp("templates")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GONGKAI_TEMPLATE_CACHE", str(folder))
        yield folder


@pytest.fixture
def make_git_project(tmp_path: Path) -> Any:
    """``make_git_project()`` → a fresh :class:`GitProject` in its own temp folder."""
    counter = iter(range(1000))

    def factory(config: str = CONFIG) -> GitProject:
        return GitProject(tmp_path / f"g{next(counter)}", config)

    return factory


@pytest.fixture
def make_project(tmp_path: Path) -> Any:
    """``make_project()`` → a fresh :class:`ProjectFactory` in its own temp folder."""
    counter = iter(range(1000))

    def factory(config: str = CONFIG) -> ProjectFactory:
        return ProjectFactory(tmp_path / f"p{next(counter)}", config)

    return factory


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample repository, built once per test session."""
    work = tmp_path_factory.mktemp("sample")
    for name in ("site_config.yml", "catalogue", "content"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, work / name)
        else:
            shutil.copy(src, work / name)
    result = run_cli("build", str(work), "--build-date", BUILD_DATE.isoformat(), "--quiet")
    assert result.returncode == 0, result.stderr
    return work / "site"


MEMORY_LIMIT = 2 * 1024**3  # address space for a limited run: a hostile input must not need more


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(
    *args: str, cwd: Path | None = None, input: str | None = None, limited: bool = False, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run ``gongkai`` as a user would, in a subprocess.

    ``limited`` caps the child's address space at :data:`MEMORY_LIMIT`; ``timeout``
    is a hang guard (the run fails with TimeoutExpired), not a performance assertion.
    """
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit_memory if limited else None,
    )


def realdata(name: str) -> Path:
    path = SHARED / "realdata" / name
    if not path.is_file():
        pytest.skip(f"../shared/realdata/{name} not present")
    return path
