"""The stand-in texts gongkai writes for an editor to replace, never to be published.

* what a ``gongkai new`` template writes into a field or the body (:func:`placeholders`):
  :mod:`generator.scaffold` writes them, checks/placeholders.py reports them (E106/W110);
* what the ``gongkai init`` starter marks (:data:`CONFIG_PLACEHOLDER`, :data:`PAGE_PLACEHOLDER`):
  checks/starter.py reports them (W750).

One place for both sides, so a template and its check cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import fields as F

# The body a template starts with; check reports it when it is left in a file.
BODY_PLACEHOLDER = "在此撰写正文（Markdown）。"

# Optional fields whose commented example is a stand-in, never a real value.
_STAND_IN_FIELDS = ("abstract", "interpreter", "contact")
# A required field's template value that is a request to the editor ("请在此填写…").
_REQUEST = "请在此"


@dataclass(frozen=True)
class Placeholder:
    """A template text that must not be published. ``whole``: only the entire value counts."""

    text: str
    whole: bool = False


def placeholders(kind: str) -> dict[str, Placeholder]:
    """Field name (or ``"body"``) -> the stand-in text the ``kind`` template writes there."""
    out: dict[str, Placeholder] = {"body": Placeholder(BODY_PLACEHOLDER)}
    for fld in F.FIELDS_BY_KIND[kind]:
        if fld.example.startswith(_REQUEST):
            out[fld.name] = Placeholder(fld.example)
        elif fld.name in _STAND_IN_FIELDS and not fld.example:
            out[fld.name] = Placeholder(fld.sample, whole=True)
    return out


# What the starter marks for the office to replace; left in place, it would be published (W750).
CONFIG_PLACEHOLDER = "（请替换）"
PAGE_PLACEHOLDER = "【请填写"
