"""Engines behind one interface: build this staging tree (with its theme overrides) into this folder.

A staging tree is what :func:`generator.site.stage.write_stage` writes: ``docs/``,
``theme/`` and ``mkdocs.yml`` (paths relative to it). ``gongkai build`` uses the
MkDocs fast path (:class:`~generator.site.engine.fast.Engine`) by default; these
adapters build a staging tree as a whole:

* :class:`MkDocsStaged` — one plain MkDocs build (the reference build);
* :class:`ZensicalStaged` — ``zensical build`` (PyPI ``zensical``), run as a subprocess.

What gongkai writes itself (search, exports, feeds, the sitemap where the engine's
lacks ``lastmod``, the CSP check, the publish) is not the engine's job: see
:mod:`generator.site.engine.finish` and :mod:`generator.site.staged`.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Protocol

import yaml

from generator.site.engine.errors import EngineError
from generator.site.engine.reference import build_reference

CONFIG_NAME = "mkdocs.yml"


class StagedEngine(Protocol):
    """Build the staging tree ``stage`` into ``out`` (which must not exist); return the engine's warnings."""

    name: str
    writes_sitemap_lastmod: bool

    def build(self, stage: Path, out: Path) -> list[str]: ...


def _settings(stage: Path) -> dict[str, Any]:
    try:
        settings = yaml.safe_load((stage / CONFIG_NAME).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise EngineError(f"无法读取 {stage / CONFIG_NAME}：{exc}") from exc
    if not isinstance(settings, dict):
        raise EngineError(f"{stage / CONFIG_NAME} 不是 MkDocs 配置")
    return settings


class MkDocsStaged:
    """MkDocs + Material over the staging tree: the reference build."""

    name = "mkdocs"
    writes_sitemap_lastmod = True

    def build(self, stage: Path, out: Path) -> list[str]:
        settings = _settings(stage)
        settings.pop("hooks", None)  # the reference build registers the same plugin itself
        settings["docs_dir"] = str(stage / settings.get("docs_dir", "docs"))
        settings["site_dir"] = str(out)
        theme = dict(settings["theme"])
        theme["custom_dir"] = str(stage / theme.get("custom_dir", "theme"))
        settings["theme"] = theme
        return build_reference(settings, stage / CONFIG_NAME)


class ZensicalStaged:
    """Zensical (the successor of Material for MkDocs) over the staging tree, in a subprocess."""

    name = "zensical"
    writes_sitemap_lastmod = False

    @staticmethod
    def available() -> bool:
        return importlib.util.find_spec("zensical") is not None

    def build(self, stage: Path, out: Path) -> list[str]:
        if not self.available():
            raise EngineError("未安装 Zensical，请先运行 pip install 'gongkai[zensical]'（或 pip install zensical）")
        config = stage / CONFIG_NAME
        site = stage / str(_settings(stage).get("site_dir", "site"))
        env = {**os.environ, "NO_COLOR": "1"}
        try:
            done = subprocess.run(
                [sys.executable, "-m", "zensical", "build", "--clean", "-f", str(config)],
                cwd=stage,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                check=False,
            )
        except OSError as exc:
            raise EngineError(f"Zensical 无法运行：{exc}") from exc
        text = (done.stdout + done.stderr).strip()
        if done.returncode != 0 or not (site / "index.html").is_file():
            raise EngineError(f"Zensical 构建失败（退出码 {done.returncode}）：{text[-2000:]}")
        shutil.rmtree(stage / ".cache", ignore_errors=True)
        os.rename(site, out)
        return [line for line in text.splitlines() if "warning" in line.lower()]


ENGINES: dict[str, type[MkDocsStaged] | type[ZensicalStaged]] = {"mkdocs": MkDocsStaged, "zensical": ZensicalStaged}


def staged_engine(name: str) -> StagedEngine:
    try:
        return ENGINES[name]()
    except KeyError:
        raise EngineError(f"未知的引擎 {name!r}（可用：{'、'.join(ENGINES)}）") from None
