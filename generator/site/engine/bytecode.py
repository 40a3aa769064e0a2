"""Compiled Jinja templates kept between builds (``.gongkai-cache/engine/jinja-<key>/``).

Compiling the ~70 templates of Material and the theme costs ~0.7 s a build, and again in
every worker that renders a template the parent did not. Jinja's own bytecode cache already
checks each template's source (a checksum of it is stored with the code, and a different
source recompiles); what it does not cover is everything else compiling depends on, so the
folder is named after that (:func:`environment_key`): the Python and package versions, this
package's code (the probe renders' guarded compiler), and the environment's compile-time
settings (syntax, extensions, autoescape, the names and implementations of filters and
tests, policies).

A site's theme overrides are layered into the build's own temporary folder, a new path each
build; the cache keys a template by its path *inside* the theme folder and gives the cached
code the current path back, so tracebacks (and the positioned errors made from them) name
the file that exists now.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from pathlib import Path
from types import CodeType
from typing import Any

_THEME = "<custom_dir>"


def _name(obj: Any) -> str:
    """A stable name for a filter, test, class or policy value (never a memory address)."""
    if isinstance(obj, (str, int, float, bool, type(None))):
        return repr(obj)
    target = getattr(obj, "__func__", obj)
    module = getattr(target, "__module__", None) or type(target).__module__
    qualname = getattr(target, "__qualname__", None) or type(target).__qualname__
    return f"{module}.{qualname}"


def environment_key(env: Any) -> str:
    """What, besides a template's source, name and path, decides the code Jinja compiles it to."""
    from importlib.metadata import version

    h = hashlib.sha256()

    def add(*parts: str) -> None:
        for part in parts:
            data = part.encode("utf-8", "surrogatepass")
            h.update(len(data).to_bytes(8, "little") + data)

    add(sys.version, sys.implementation.cache_tag or "")
    for package in ("jinja2", "markupsafe", "mkdocs", "mkdocs-material"):
        add(f"{package}={version(package)}")
    for code in sorted(Path(__file__).parent.glob("*.py")):
        add(code.name, code.read_text(encoding="utf-8"))
    for attr in (
        "block_start_string",
        "block_end_string",
        "variable_start_string",
        "variable_end_string",
        "comment_start_string",
        "comment_end_string",
        "line_statement_prefix",
        "line_comment_prefix",
        "trim_blocks",
        "lstrip_blocks",
        "newline_sequence",
        "keep_trailing_newline",
        "optimized",
        "is_async",
    ):
        add(attr, repr(getattr(env, attr, None)))
    for attr in ("code_generator_class", "context_class", "undefined", "autoescape", "finalize"):
        add(attr, _name(getattr(env, attr, None)))
    add("extensions", *sorted(_name(ext) for ext in env.extensions.values()))
    add("filters", *sorted(f"{k}={_name(v)}" for k, v in env.filters.items()))
    add("tests", *sorted(f"{k}={_name(v)}" for k, v in env.tests.items()))
    add("policies", *sorted(f"{k}={_name(v)}" for k, v in env.policies.items()))
    return h.hexdigest()[:24]


def _refile(code: CodeType, filename: str) -> CodeType:
    consts = tuple(_refile(c, filename) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


def bytecode_cache(env: Any, root: Path | None, theme: str | None) -> Any:
    """A Jinja bytecode cache for ``env`` below ``root`` (the build's engine cache; ``None``: a
    build without cache), or ``None`` if there is none or its folder cannot be made.

    ``GONGKAI_TEMPLATE_CACHE``, when set, names the folder to use instead, for every build
    (with or without cache): compiled templates shared by projects and builds, e.g. a CI
    runner's cache or a test suite. Sharing is safe for the same reasons reuse is (see above).

    Set it after every change to the environment (plugins' ``on_env``) and before the first
    template is loaded. ``theme`` is the engine's ``custom_dir`` as MkDocs holds it (the
    loader's first search path).
    """
    from jinja2 import FileSystemBytecodeCache
    from jinja2.bccache import Bucket

    shared = os.environ.get("GONGKAI_TEMPLATE_CACHE")
    if shared:
        root = Path(shared)
    if root is None:
        return None
    folder = root / f"jinja-{environment_key(env)}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    prefix = theme.rstrip("/") + "/" if theme else None

    class Cache(FileSystemBytecodeCache):
        def get_cache_key(self, name: str, filename: str | None = None) -> str:
            if filename and prefix and filename.startswith(prefix):
                filename = _THEME + "/" + filename[len(prefix) :]
            return str(super().get_cache_key(name, filename))

        def get_bucket(self, environment: Any, name: str, filename: str | None, source: str) -> Bucket:
            bucket = super().get_bucket(environment, name, filename, source)
            code = bucket.code
            if code is not None and filename and code.co_filename != filename:
                bucket.code = _refile(code, filename)
            return bucket

        def load_bytecode(self, bucket: Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a damaged cache file: compile again
                bucket.reset()

        def dump_bytecode(self, bucket: Bucket) -> None:
            with contextlib.suppress(OSError):  # a full disk or a read-only cache costs speed, never the build
                super().dump_bytecode(bucket)

    return Cache(str(folder))
