"""E106/W110: template text of ``gongkai new`` left in a file.

The stand-in texts come from the templates themselves (:func:`generator.model.stand_ins.placeholders`,
which :mod:`generator.scaffold` writes),
so a template and this check cannot drift apart. A draft is not published yet: there the
finding is a warning (W110), elsewhere an error (E106).
"""

from __future__ import annotations

from typing import Any

from generator.diagnostics import Diagnostic, diag
from generator.model import fields as F
from generator.model.stand_ins import placeholders
from generator.source.frontmatter import SourceFile


def check_placeholders(src: SourceFile, kind: str) -> list[Diagnostic]:
    if src.data is None or kind not in F.FIELDS_BY_KIND:
        return []
    code = "W110" if src.data.get("draft") is True else "E106"
    labels = {f.name: f.label for f in F.FIELDS_BY_KIND[kind]}
    out: list[Diagnostic] = []
    for name, stand_in in placeholders(kind).items():
        if name == "body":
            at = src.body.find(stand_in.text)
            if at >= 0:
                before = src.body[:at]
                pos = (src.body_line + before.count("\n"), at - (before.rfind("\n") + 1) + 1)
                out.append(diag(src.path, pos, code, key="body", label="正文", text=stand_in.text))
            continue
        value: Any = src.data.get(name)
        if not isinstance(value, str):
            continue
        if value.strip() == stand_in.text if stand_in.whole else stand_in.text in value:
            out.append(diag(src.path, src.pos((name,)), code, key=name, label=labels[name], text=stand_in.text))
    return out
