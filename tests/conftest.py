"""Shared fixtures: a factory that writes small gongkai projects into a temp dir."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.checks.diagnostics import Diagnostic
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


def front_matter(fields: dict[str, Any], body: str = "正文。\n") -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\n" + body


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
