"""Guarded probe renders: proof that a page shell may be reused.

A probe render runs the page template in a copy of MkDocs' Jinja environment whose
compiled templates route every printed value through ``environment.gk_print`` (or
``gk_buffer`` inside ``{% set %}`` blocks, macros, filter and call blocks) and every
comparison operand through ``gk_operand``; every filter and test is wrapped. The page's
own strings are :class:`Probe` values (title, metadata, content) or :class:`Tainted`
strings (its URLs, a ``super()`` block that printed one). Anything a template does with
them other than printing them straight into the output, escaping them or testing their
truth is recorded in the :class:`Watch` and refuses the shape.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any, NoReturn

from markupsafe import Markup


def escape_html(value: str) -> str:
    from markupsafe import escape

    return str(escape(value))


class Refused(Exception):
    """A probe render used a page string in a way a skeleton cannot reproduce."""


class Watch:
    """What one probe render did with the page's strings."""

    def __init__(self) -> None:
        self.reasons: list[str] = []
        self.printed = 0
        self.targets: set[str] = set()  # arguments of the url filter


_WATCH: Watch | None = None


def _refuse(what: str) -> NoReturn:
    if _WATCH is not None:
        _WATCH.reasons.append(what)
    raise Refused(what)


def _template_side(frame: FrameType | None) -> bool:
    """Is ``frame`` template code, or Jinja/MarkupSafe acting for it (a filter, a getattr)?"""
    if frame is None:
        return True
    g = frame.f_globals
    name = g.get("__name__")
    if name is None:  # compiled templates run in a namespace of their own
        return "environment" in g
    return bool(name.startswith(("jinja2", "markupsafe")))


class Probe:
    """A page string (title, metadata value, content) during a probe render.

    Not a ``str``: every operation on it other than printing (``_print``), escaping
    (the wrapped ``e`` filter) and truth (true: slots hold non-empty strings only,
    and the shape key fixes which are empty) refuses the shape. ``"<h1" in
    page.content`` (Material's content partial) is answered: the shape fixes it too.
    """

    __slots__ = ("escaped", "slot", "text")

    def __init__(self, text: str, slot: str, escaped: bool = False) -> None:
        self.text, self.slot, self.escaped = text, slot, escaped

    def __bool__(self) -> bool:
        return True

    def __contains__(self, item: object) -> bool:
        if self.slot == "content" and not self.escaped and type(item) is str and item == "<h1":
            return "<h1" in self.text
        _refuse(f"'in' on page {self.slot}")

    def __eq__(self, other: object) -> bool:
        # Page.__eq__ compares titles, then files: a skeleton page is never in the navigation,
        # so no other page has its file and the answer is False whatever the titles.
        if sys._getframe(1).f_code is _page_eq_code():
            return False
        _refuse(f"comparison with page {self.slot}")

    def __getattribute__(self, name: str) -> Any:
        # its own fields too: ``page.meta.title.text`` would hand a template the plain marker
        if _template_side(sys._getframe(1)):
            _refuse(f"attribute {name} of a page string")
        return object.__getattribute__(self, name)


def _deny(name: str) -> Callable[..., Any]:
    def method(self: Probe, *args: object, **kwargs: object) -> Any:
        _refuse(f"{name} of page {self.slot}")

    method.__name__ = name
    return method


for _name in [
    "__str__",
    "__repr__",
    "__format__",
    "__len__",
    "__iter__",
    "__reversed__",
    "__getitem__",
    "__hash__",
    "__ne__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__add__",
    "__radd__",
    "__mul__",
    "__rmul__",
    "__mod__",
    "__rmod__",
    "__int__",
    "__float__",
    "__index__",
    "__call__",
]:
    setattr(Probe, _name, _deny(_name))


class Tainted(str):
    """A string made from page data that MkDocs itself needs as a string (the page's URLs,
    a block's output captured by ``super()`` that printed a page string).

    MkDocs' own code may use it freely; template code (or Jinja/MarkupSafe on its
    behalf) may only print it or test its truth — anything else refuses the shape.
    """

    def __bool__(self) -> bool:
        return True

    def __getattribute__(self, name: str) -> Any:
        if _template_side(sys._getframe(1)):
            _refuse(f"attribute {name} of a page URL or captured block")
        return str.__getattribute__(self, name)

    def __radd__(self, other: object) -> Any:
        if _template_side(sys._getframe(1)):
            _refuse("+ on a page URL or captured block")
        return other + str.__str__(self) if isinstance(other, str) else NotImplemented


def _guarded(name: str) -> Callable[..., Any]:
    plain = getattr(str, name)

    def method(self: Tainted, *args: Any) -> Any:
        if _template_side(sys._getframe(1)):
            _refuse(f"{name} on a page URL or captured block")
        return plain(self, *args)

    method.__name__ = name
    return method


for _name in [
    "__str__",
    "__repr__",
    "__format__",
    "__len__",
    "__iter__",
    "__getitem__",
    "__contains__",
    "__hash__",
    "__eq__",
    "__ne__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__add__",
    "__mul__",
    "__rmul__",
    "__mod__",
    "__rmod__",
]:
    setattr(Tainted, _name, _guarded(_name))


class EscapedTainted(Tainted):
    """A tainted string after ``|e``: printed as Markup (autoescaping leaves it alone), like the real one."""


class FileGuard:
    """``page.file`` of a probe page: MkDocs reads it, templates may not (its paths hold the URL)."""

    __slots__ = ("_file",)

    def __init__(self, file: Any) -> None:
        object.__setattr__(self, "_file", file)

    def __getattribute__(self, name: str) -> Any:
        if _template_side(sys._getframe(1)):
            _refuse(f"page.file.{name}")
        return getattr(object.__getattribute__(self, "_file"), name)


def _page_eq_code() -> Any:
    from mkdocs.structure.pages import Page

    return Page.__eq__.__code__


def _render_code() -> Any:
    from jinja2.environment import Template

    return Template.render.__code__


def _check_stack() -> None:
    """A page string is printed: every frame between here and the probe render (or a
    ``super()`` capture, whose result is tainted in turn) must pass the output through
    unchanged — template code yielding it, Jinja concatenating a block's events."""
    from jinja2.runtime import BlockReference

    passing = _ORIGINAL_BLOCK_CALL[0].__code__ if _ORIGINAL_BLOCK_CALL else BlockReference.__call__.__code__
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        code = frame.f_code
        if code is _capture_block.__code__:
            return
        if code is _render_code() and frame.f_back is not None and frame.f_back.f_code is render_guarded.__code__:
            return  # the probe's own Template.render, joining the page's events
        if code is not passing and not (frame.f_globals.get("__name__") is None and "environment" in frame.f_globals):
            _refuse(f"page string printed into a captured value ({code.co_name})")
        frame = frame.f_back
    _refuse("page string printed outside a probe render")


def _print(value: Any) -> Any:
    """``{{ value }}`` straight into the output (``environment.gk_print`` in guarded templates)."""
    if type(value) is Probe:
        _check_stack()
        assert _WATCH is not None
        _WATCH.printed += 1
        return Markup(escape_html(value.text)) if value.escaped else value.text
    if isinstance(value, Tainted):
        _check_stack()
        assert _WATCH is not None
        _WATCH.printed += 1
        return Markup(str.__str__(value)) if type(value) is EscapedTainted else str.__str__(value)
    return value


def _print_buffered(value: Any) -> Any:
    """``{{ value }}`` into a buffer (``{% set %}`` block, macro, ``{% filter %}``, call block)."""
    if type(value) is Probe or isinstance(value, Tainted):
        _refuse("page string printed into a {% set %} block, macro or filter block")
    return value


def _operand(value: Any) -> Any:
    """An operand of a comparison (``==``, ``<``, ``in``…): page strings refuse the shape."""
    if isinstance(value, Tainted):
        _refuse("comparison on a page URL or captured block")
    return value


def _capture_block(self: Any) -> Any:
    """``BlockReference.__call__`` (``super()``, ``self.block()``) during a probe render:
    its output is a string; if it printed a page string, it comes back tainted."""
    assert _WATCH is not None
    before = _WATCH.printed
    output = _ORIGINAL_BLOCK_CALL[0](self)
    return Tainted(output) if _WATCH.printed != before else output


_ORIGINAL_BLOCK_CALL: list[Any] = []


def _has_probe(args: Iterable[Any]) -> bool:
    return any(type(a) is Probe or isinstance(a, Tainted) for a in args)


def _carries_probe(values: Iterable[Any], depth: int = 3) -> bool:
    """Does any value, or any item of a list/tuple/set/dict among them (a few levels down), hold page data?"""
    for value in values:
        if type(value) is Probe or isinstance(value, Tainted):
            return True
        if depth and isinstance(value, (list, tuple, set, frozenset)) and _carries_probe(value, depth - 1):
            return True
        if depth and isinstance(value, dict) and _carries_probe([*value.keys(), *value.values()], depth - 1):
            return True
    return False


def _guarded_context() -> type:
    from jinja2.runtime import BlockReference, Context, Macro

    class GuardedContext(Context):
        """Calls from template code (``context.call``): page data may go to a macro (template
        code, guarded in turn), never to a Python callable (``''.join([page.url])`` would
        read the string behind the guards' back)."""

        def call(self, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
            if not isinstance(obj, (Macro, BlockReference)) and (
                _carries_probe(args) or _carries_probe(kwargs.values())
            ):
                _refuse("page string passed to a Python callable")
            return super().call(obj, *args, **kwargs)

    return GuardedContext


def _wrap_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    if name in ("e", "escape"):

        @functools.wraps(func)
        def escape(value: Any) -> Any:
            if type(value) is Probe:
                return Probe(value.text, value.slot, True)
            if isinstance(value, Tainted):
                return EscapedTainted(func(str.__str__(value)))
            return func(value)

        return escape
    if name in ("d", "default"):

        @functools.wraps(func)
        def default(value: Any, *args: Any, **kwargs: Any) -> Any:
            if _has_probe(args) or _has_probe(kwargs.values()):
                _refuse(f"page string as argument of |{name}")
            return value if type(value) is Probe or isinstance(value, Tainted) else func(value, *args, **kwargs)

        return default

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if _has_probe(args) or _has_probe(kwargs.values()):
            _refuse(f"filter |{name} on a page string")
        if name in ("url", "script_tag") and _WATCH is not None:  # links relative to the page
            paths = (getattr(a, "path", a) for a in args)
            _WATCH.targets.update(p for p in paths if isinstance(p, str))
        return func(*args, **kwargs)

    return guarded


_TEST_ANSWERS = {"defined": True, "undefined": False, "none": False, "string": True}


def _wrap_test(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if _has_probe(args) or _has_probe(kwargs.values()):
            if name in _TEST_ANSWERS and len(args) == 1 and not kwargs:
                return _TEST_ANSWERS[name]
            _refuse(f"test 'is {name}' on a page string")
        return func(*args, **kwargs)

    return guarded


def _guarded_codegen() -> type:
    from jinja2.compiler import CodeGenerator, operators

    class GuardedCodeGenerator(CodeGenerator):
        """Templates compiled so that every printed value passes ``environment.gk_print``
        (or ``gk_buffer`` when it goes into a buffer) and every comparison operand
        ``environment.gk_operand``; identical output otherwise."""

        def _output_child_pre(self, node: Any, frame: Any, finalize: Any) -> None:
            super()._output_child_pre(node, frame, finalize)
            self.write("environment.gk_print(" if frame.buffer is None else "environment.gk_buffer(")

        def _output_child_post(self, node: Any, frame: Any, finalize: Any) -> None:
            self.write(")")
            super()._output_child_post(node, frame, finalize)

        def visit_Compare(self, node: Any, frame: Any) -> None:
            self.write("(environment.gk_operand(")
            self.visit(node.expr, frame)
            self.write(")")
            for op in node.ops:
                self.visit(op, frame)
            self.write(")")

        def visit_Operand(self, node: Any, frame: Any) -> None:
            self.write(f" {operators[node.op]} environment.gk_operand(")
            self.visit(node.expr, frame)
            self.write(")")

    return GuardedCodeGenerator


def probe_environment(env: Any) -> Any:
    """A copy of MkDocs' Jinja environment for probe renders: guarded compiler, filters and tests."""
    probe = env.overlay(cache_size=100)
    probe.bytecode_cache = None  # never the page environment's: this one compiles differently (see Skeletons)
    probe.code_generator_class = _guarded_codegen()
    probe.context_class = _guarded_context()
    probe.filters = {name: _wrap_filter(name, f) for name, f in env.filters.items()}
    probe.tests = {name: _wrap_test(name, f) for name, f in env.tests.items()}
    probe.gk_print, probe.gk_buffer, probe.gk_operand = _print, _print_buffered, _operand
    return probe


def render_guarded(template: Any, context: Any, watch: Watch) -> str:
    """Render ``template`` (from :func:`probe_environment`) with ``context``, recording in ``watch``."""
    global _WATCH
    from jinja2.runtime import BlockReference

    _ORIGINAL_BLOCK_CALL[:] = [BlockReference.__call__]
    _WATCH = watch
    BlockReference.__call__ = _capture_block  # type: ignore[method-assign]
    try:
        return str(template.render(context))
    finally:
        BlockReference.__call__ = _ORIGINAL_BLOCK_CALL[0]  # type: ignore[method-assign]
        _WATCH = None
