"""Engine failures as positioned, bilingual diagnostics (E752, E754–E758).

The engine adapter raises :class:`~generator.site.engine.EngineError` ``from`` the
exception MkDocs, Jinja or the file system raised. Nothing of that reaches the user
raw ("MkDocs: Aborted with a configuration error!"): :func:`engine_diagnostics` turns
it into diagnostics with a code, a Chinese message (English with ``--lang en``), a
hint and, for template problems, the template file and line — the site's own
``theme/…`` file when the template is one of its overrides.
"""

from __future__ import annotations

import errno
from pathlib import Path
from types import TracebackType

from generator.diagnostics import Diagnostic, diag
from generator.source.themes import SITE_THEME, jinja_zh, shipped_theme_dir, site_overrides

# errno -> (Chinese, English) for E757
_OS_REASONS = {
    errno.ENOSPC: ("磁盘空间不足", "no space left on the device"),
    errno.EDQUOT: ("超出磁盘配额", "disk quota exceeded"),
    errno.EACCES: ("没有写入权限", "permission denied"),
    errno.EPERM: ("没有操作权限", "operation not permitted"),
    errno.EROFS: ("文件系统为只读", "read-only file system"),
    errno.ENOENT: ("文件或文件夹不存在", "no such file or folder"),
    errno.ENAMETOOLONG: ("文件名过长", "file name too long"),
    errno.ENOTDIR: ("路径中的某一级是文件而不是文件夹", "a part of the path is a file, not a folder"),
    errno.EEXIST: ("已存在", "already exists"),
}


def os_reason(exc: OSError) -> tuple[str, str]:
    """Why a file operation failed, in Chinese and English."""
    text = exc.strerror or str(exc)
    return _OS_REASONS.get(exc.errno or 0, (text, text))


def engine_diagnostics(exc: BaseException, root: Path, work: Path | None = None) -> tuple[Diagnostic, ...]:
    """The diagnostics for an engine failure (``exc`` or the exception it was raised from)."""
    import jinja2

    cause = exc.__cause__ if exc.__cause__ is not None else exc
    where = _Where(root, work)
    if isinstance(cause, jinja2.TemplateSyntaxError):
        path = where.path(cause.filename) if cause.filename else where.frame(cause.__traceback__)[0]
        message = cause.message or ""
        return (diag(path, (cause.lineno or 1, 1), "E752", problem=jinja_zh(message), problem_en=message),)
    if isinstance(cause, jinja2.TemplateNotFound):
        path, pos = where.frame(cause.__traceback__)
        return (diag(path, pos, "E754", name=cause.name or ""),)
    if isinstance(cause, jinja2.TemplateError):
        path, pos = where.frame(cause.__traceback__)
        return (diag(path, pos, "E755", problem=jinja_zh(str(cause)), problem_en=f"{type(cause).__name__}: {cause}"),)
    if isinstance(cause, OSError) and not _is_mkdocs(cause):
        zh, en = os_reason(cause)
        path = str(cause.filename) if cause.filename else "site"
        return (diag(path, None, "E757", reason=zh, reason_en=en),)
    detail = _detail(str(exc))
    if _is_mkdocs(cause):
        return (diag("site_config.yml", None, "E756", detail=detail),)
    # no file to point at: the site's own theme overrides when it has any (the likeliest cause), else the output
    return (diag(SITE_THEME if where.overrides else "site", None, "E758", detail=detail),)


def _is_mkdocs(exc: BaseException) -> bool:
    try:
        from mkdocs import exceptions
    except ImportError:  # pragma: no cover - MkDocs is a dependency
        return False
    return isinstance(exc, (exceptions.MkDocsException, exceptions.Abort))


def _detail(message: str) -> str:
    """The engine's own words, without the adapter's "MkDocs: " prefix and MkDocs' generic abort line."""
    text = message.removeprefix("MkDocs: ")
    parts = [p.strip() for p in text.split(";") if p.strip()]
    parts = [p for p in parts if p != "Aborted with a configuration error!"]
    return "; ".join(parts) or text


class _Where:
    """Template file names → the path an editor knows (``theme/partials/footer.html``)."""

    def __init__(self, root: Path, work: Path | None) -> None:
        self.root = root
        self.bases = [b for b in ((work / SITE_THEME) if work else None, shipped_theme_dir()) if b is not None]
        self.overrides = set(site_overrides(root))

    def path(self, filename: str) -> str:
        file = Path(filename)
        for base in self.bases:
            try:
                rel = file.resolve().relative_to(base.resolve()).as_posix()
            except (ValueError, OSError):
                continue
            if rel in self.overrides:
                return f"{SITE_THEME}/{rel}"
            return str(shipped_theme_dir() / rel)
        return filename

    def frame(self, tb: TracebackType | None) -> tuple[str, tuple[int, int] | None]:
        """The innermost template frame of a Jinja traceback (Jinja maps them to template lines)."""
        found: tuple[str, tuple[int, int] | None] = (SITE_THEME, None)
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.endswith((".html", ".xml", ".txt")) and Path(name).is_file():
                found = (self.path(name), (tb.tb_lineno, 1))
            tb = tb.tb_next
        return found
