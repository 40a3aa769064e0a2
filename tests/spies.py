"""Test spies shared by several test modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


def first(*args: Any, **kwargs: Any) -> Any:
    return args[0]


def calls(owner: object, name: str, monkeypatch: pytest.MonkeyPatch, pick: Callable[..., Any] = first) -> list[Any]:
    """What ``owner.name`` is called with from now on (``pick`` of its arguments: the first by
    default), in order; the real function still does its work. ``monkeypatch.undo()`` ends it."""
    seen: list[Any] = []
    real = getattr(owner, name)

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(pick(*args, **kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, spy)
    return seen
