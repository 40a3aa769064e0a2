"""The navigation and search browser tests, run again on the sample site built with Zensical.

Plus what the shared tests do not check: on the Zensical site no request fails, no
response is an HTTP error and the console stays clean (Zensical's own search worker and
``search.json`` are removed by gongkai, so nothing may ask for them).
"""

from __future__ import annotations

import inspect
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import test_navigation as navigation
from tests.browser import test_search as search
from tests.browser.conftest import serve_dir
from tests.conftest import BUILD_DATE, REPO, run_cli

pytestmark = pytest.mark.browser

docs = search.docs  # the search tests' fixtures (gongkai's index is the same on both engines)
numbered = search.numbered


def _cases() -> list[tuple[Any, str, dict[str, Any]]]:
    """Every test of the two modules, with its own parametrisation expanded."""
    cases: list[tuple[Any, str, dict[str, Any]]] = []
    for module in (navigation, search):
        for name in sorted(n for n in dir(module) if n.startswith("test_")):
            params = [m for m in getattr(getattr(module, name), "pytestmark", []) if m.name == "parametrize"]
            if not params:
                cases.append((module, name, {}))
                continue
            ((argname, values),) = (m.args for m in params)
            cases.extend((module, name, {argname: value}) for value in values)
    return cases


SHARED = _cases()


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("zensical")
    work = tmp_path_factory.mktemp("zensical-sample")
    for name in ("site_config.yml", "catalogue", "content"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, work / name)
    done = run_cli("build", str(work), "--engine", "zensical", "--build-date", BUILD_DATE.isoformat(), "--quiet")
    assert done.returncode == 0, done.stderr
    return work / "site"


@pytest.fixture(scope="session")
def zensical_url(zensical_site: Path) -> Iterator[str]:
    server, url = serve_dir(zensical_site)
    yield url
    server.shutdown()


@pytest.mark.parametrize(
    ("module", "name", "given"),
    SHARED,
    ids=[f"{m.__name__.rsplit('.', 1)[-1]}.{n}{list(g.values()) if g else ''}" for m, n, g in SHARED],
)
def test_shared_browser_test_on_the_zensical_site(
    module: Any, name: str, given: dict[str, Any], zensical_url: str, request: pytest.FixtureRequest
) -> None:
    check = getattr(module, name)
    params = inspect.signature(check).parameters
    args = {
        p: given[p] if p in given else zensical_url if p == "sample_url" else request.getfixturevalue(p) for p in params
    }
    check(**args)


def test_no_failed_request_or_console_error(page: Any, zensical_url: str) -> None:
    failed: list[str] = []
    console: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning") else None)
    for path in ("", "catalogue/", "interpretations/", "search/?q=%E5%8A%9E%E6%B3%95", "topics/"):
        page.goto(zensical_url + path)
        page.wait_for_load_state("networkidle")
    page.locator("#gk-header-q").fill("管理办法")
    page.locator("#gk-header-q").press("Enter")
    page.wait_for_url("**/search/**")
    page.wait_for_load_state("networkidle")
    assert failed == []
    assert console == []
    assert page.js_errors == []
