"""The theme files: gongkai's shipped theme and a site's own ``theme/`` overrides.

Discovery and checks only (nothing is written here): the build layers the files in
:mod:`generator.site.themes`; ``gongkai check`` reports problems through
:func:`theme_diagnostics` without reaching into the site layer.

Where the shipped theme lives
-----------------------------
The generator repository keeps the theme's source in its top-level ``theme/``;
packaging maps it onto the subpackage ``generator._theme`` (``setup.py``:
``package_dir={"generator._theme": "theme"}``), so an installed wheel carries it as
``generator/_theme/``. :func:`shipped_theme_dir` finds it through the package:

1. ``<package>/_theme`` — an installed wheel (or a non-editable install of the sdist);
2. ``<package>/../theme`` when ``<package>/..`` is gongkai's own source checkout
   (``pyproject.toml`` beside it): an editable install, or ``PYTHONPATH=checkout``.
   This is the same mapping read the other way round, so a change to ``theme/``
   shows at once without reinstalling.

A site's own overrides
----------------------
A site repository may hold a ``theme/`` folder. Each file in it replaces the shipped
file at the same relative path (``theme/partials/footer.html`` replaces only the
footer) or adds a new one (a logo). ``generator.site.themes.layered_theme`` writes the
merged folder into the build's work area; the engine gets it as Material's ``custom_dir``,
and the build cache fingerprint hashes its files, so an override changes the output and
the cache key. Hidden files (``.gitkeep``, ``.DS_Store``) are ignored. A symbolic link
that leads outside the repository is never followed (its target would be published):
:func:`theme_diagnostics` reports it, and ``layered_theme`` refuses it.
"""

from __future__ import annotations

import importlib.resources
import os
import re
from pathlib import Path

from generator.diagnostics import Diagnostic, diag

SITE_THEME = "theme"  # a site repository's override folder
PACKAGE_THEME = "_theme"  # the shipped theme inside the installed package
STATIC_TEMPLATES = ("sitemap.xml",)  # templates that are not .html (MkDocs' static_templates)


def _package_dir() -> Path:
    return Path(str(importlib.resources.files("generator"))).resolve()


def shipped_theme_dir() -> Path:
    """The theme shipped with the running gongkai (see the module docstring)."""
    package = _package_dir()
    installed = package / PACKAGE_THEME
    if (installed / "main.html").is_file():
        return installed
    checkout = package.parent
    source = checkout / SITE_THEME
    if (checkout / "pyproject.toml").is_file() and (source / "main.html").is_file():
        return source
    return installed  # missing: reported by layered_theme / shipped_theme_problem


def shipped_theme_problem() -> Diagnostic | None:
    """E750 when the running gongkai lacks its theme (a broken installation)."""
    path = shipped_theme_dir()
    if (path / "main.html").is_file():
        return None
    return diag(str(path), None, "E750", theme=str(path))


def _files(base: Path, within: Path | None = None) -> dict[str, Path]:
    """Every non-hidden file below ``base`` by POSIX relative path. With ``within``,
    folder links leading outside it are not entered (:func:`theme_diagnostics` reports them)."""
    found: dict[str, Path] = {}
    if not base.is_dir():
        return found
    for dirpath, dirnames, filenames in os.walk(base, followlinks=True):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".")
            and d != "__pycache__"
            and (within is None or not (Path(dirpath) / d).is_symlink() or _inside(Path(dirpath) / d, within))
        )
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            found[path.relative_to(base).as_posix()] = path
    return found


def site_overrides(root: Path) -> dict[str, Path]:
    """The site's own theme files (relative path → file); empty when it has none.

    The generator repository's own ``theme/`` *is* the shipped theme's source, not an
    override of it.
    """
    own = root / SITE_THEME
    if not own.is_dir() or own.resolve() == shipped_theme_dir().resolve():
        return {}
    if own.is_symlink() and not _inside(own, root.resolve()):
        return {}  # reported by theme_diagnostics (E751); never read
    return _files(own, root.resolve())


def theme_files(root: Path) -> dict[str, Path]:
    """The layered theme of the site at ``root``: shipped files, then the site's over them."""
    files = _files(shipped_theme_dir())
    files.update(site_overrides(root))
    return dict(sorted(files.items()))


def theme_diagnostics(root: Path) -> list[Diagnostic]:
    """Problems with the site's ``theme/`` that would fail a build, each at its place.

    * E751 — a symbolic link leading outside the repository (or nowhere);
    * E752 — a template override that Jinja cannot parse (line of the syntax error);
    * E753 — an override that is not a file (a pipe, a device) or cannot be read.
    """
    out: list[Diagnostic] = []
    root_real = root.resolve()
    own = root / SITE_THEME
    if own.is_symlink() and not _inside(own, root_real):
        return [diag(SITE_THEME, None, "E751")]
    if own.exists() and not own.is_dir():
        return [diag(SITE_THEME, None, "E753", reason="不是文件夹", reason_en="not a folder")]
    if not own.is_dir() or own.resolve() == shipped_theme_dir().resolve():
        return out
    for dirpath, dirnames, _ in os.walk(own, followlinks=False):
        for d in list(dirnames):
            link = Path(dirpath) / d
            if link.is_symlink() and not _inside(link, root_real):
                dirnames.remove(d)
                out.append(diag(link.relative_to(root).as_posix(), None, "E751"))
    for rel, path in site_overrides(root).items():
        shown = f"{SITE_THEME}/{rel}"
        if path.is_symlink() and not _inside(path, root_real):
            out.append(diag(shown, None, "E751"))
            continue
        if not path.is_file():
            out.append(diag(shown, None, "E753", reason="不是普通文件", reason_en="not a regular file"))
            continue
        if path.suffix != ".html" and rel not in STATIC_TEMPLATES:
            continue  # copied as is by the engine, never read as a template
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            out.append(diag(shown, None, "E753", reason="不是 UTF-8 文本", reason_en="not UTF-8 text"))
            continue
        except OSError as exc:
            out.append(diag(shown, None, "E753", reason=exc.strerror or "读取失败", reason_en=str(exc)))
            continue
        problem = _template_syntax(text)
        if problem is not None:
            line, message = problem
            out.append(diag(shown, (line, 1), "E752", problem=jinja_zh(message), problem_en=message))
    return out


def _inside(path: Path, root_real: Path) -> bool:
    try:
        path.resolve(strict=True).relative_to(root_real)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def _template_syntax(text: str) -> tuple[int, str] | None:
    """``(line, message)`` of the first Jinja syntax error in ``text``, or ``None``.

    Compiled in an environment like MkDocs' theme environment: the i18n extension (trans
    blocks) and MkDocs' two filters, so an unknown tag, filter or test is found here too.
    """
    import jinja2

    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    for name in ("url", "script_tag"):
        env.filters[name] = str
    try:
        env.compile(text)
    except jinja2.TemplateSyntaxError as exc:
        return exc.lineno or 1, exc.message or "syntax error"
    return None


# Jinja's messages (English) → Chinese; anything else is shown as Jinja wrote it.
_JINJA_ZH: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"Unexpected end of template\. Jinja was looking for the following tags: (.+?)\. "
            r"The innermost block that needs to be closed is '(\w+)'\."
        ),
        "模板在块 {1} 结束之前就结束了，缺少结束标签（应为 {0}）",
    ),
    (re.compile(r"Unexpected end of template\.?"), "模板意外结束"),
    (
        re.compile(
            r"Encountered unknown tag '(\w+)'\. Jinja was looking for the following tags: (.+?)\. "
            r"The innermost block that needs to be closed is '(\w+)'\."
        ),
        "未知的标签 {0}；块 {2} 应以 {1} 结束",
    ),
    (re.compile(r"Encountered unknown tag '(\w+)'\.?"), "未知的标签 {0}"),
    (re.compile(r"unexpected '(.+)', expected '(.+)'"), "此处出现了 {0}，应为 {1}"),
    (re.compile(r"unexpected '(.+)'"), "此处不应出现 {0}"),
    (re.compile(r"unexpected char '(.+)' at (\d+)"), "此处不应出现字符 {0}"),
    (re.compile(r"expected token '(.+)', got '(.+)'"), "此处应为 {0}，实际是 {1}"),
    (re.compile(r"Expected an expression, got '(.+)'"), "此处缺少表达式（实际是 {0}）"),
    (re.compile(r"No filter named '(.+?)'\.?"), "没有名为 {0} 的过滤器"),
    (re.compile(r"No test named '(.+?)'\.?"), "没有名为 {0} 的测试"),
    (re.compile(r"'(.+)' is undefined"), "{0} 未定义"),
    (re.compile(r"'(.+)' has no attribute '(.+)'"), "{0} 没有属性 {1}"),
]
_WORDS = {"end of print statement": "}}", "end of statement block": "%}", "end of template": "模板结尾"}


def jinja_zh(message: str) -> str:
    """Jinja's error message in Chinese, where it is one gongkai knows."""
    for pattern, zh in _JINJA_ZH:
        m = pattern.fullmatch(message.strip())
        if m:
            parts = [_WORDS.get(g, g).replace("' or '", " 或 ").replace("or '", "或 ") for g in m.groups()]
            return zh.format(*(part.strip("'") for part in parts))
    return message
