"""Per-file checks: required fields, types, vocabularies, identifiers' form.

:func:`validate` turns the raw front matter of one file into typed values (dates
as ``datetime.date``, topics as ``(一级, 二级)`` pairs …) and reports every problem
it meets, at the position of the offending node. Values that fail are left out,
so later stages see only well-typed data.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from generator.checks.placeholders import check_placeholders
from generator.diagnostics import Diagnostic, diag
from generator.model import fields as F
from generator.model.identifiers import check_doc_number, compact_identifier
from generator.model.siteconfig import SiteConfig
from generator.model.vocab import INITIAL_VALIDITY, NORMATIVE_TYPES, Vocabulary, did_you_mean
from generator.source.frontmatter import CONTROL_RE, KeyPath, SourceFile, YamlDate, parse_date

_INVALID = object()
_ISO_SHAPE = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\Z")

# field name -> vocabulary, from the field registry (model/fields.py ``vocab``)
_VOCAB_FOR = {**F.vocab_fields(), **F.SUBFIELD_VOCAB}


@dataclass
class Checked:
    """Typed values of one file, plus what went wrong."""

    kind: str
    values: dict[str, Any] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def validate(src: SourceFile, kind: str, config: SiteConfig) -> Checked:
    out = Checked(kind)
    if src.data is None:
        return out
    ctx = _Ctx(src, config, out.diagnostics)
    spec = F.field_map(kind)
    for key, value in src.data.items():
        fld = spec.get(key)
        if fld is None:
            suggestion = did_you_mean(key, spec)
            hint = (
                f"您是不是要写 {suggestion}？" if suggestion else "可用字段见 docs/schema.md，或用 gongkai new 生成模板"
            )
            hint_en = "" if suggestion else "see docs/schema.md for the fields, or run `gongkai new`"
            ctx.add(src.key_pos((key,)), "E102", key=key, hint=hint, suggestion=suggestion or "", hint_en=hint_en)
            continue
        if value is None or value == "" or value == []:
            if fld.required == "yes":
                ctx.add(src.pos((key,)), "E104", key=key)
            continue
        typed = ctx.coerce(fld.type, value, (key,))
        if typed is not _INVALID:
            out.values[key] = typed
    # A draft may be incomplete (an import leaves a value the source lacks empty and marks
    # the record a draft): what it still needs is a warning until it is published.
    is_draft = src.data.get("draft") is True
    for fld in spec.values():
        if fld.required == "yes" and fld.name not in src.data:
            ctx.add(
                (src.positions.get((), (1, 1))[0], 1),
                "W301" if is_draft else "E101",
                key=fld.name,
                label=fld.label,
                hint=f"加入一行：{fld.name}: …（{fld.help}）",
                hint_en=f"add a line {fld.name}: … ({F.TYPE_NAMES.get(fld.type, (fld.type, fld.type))[1]})",
            )
    if kind == "entry":
        _conditional(ctx, out.values)
    if kind == "interpretation" and not any(src.data.get(k) for k in ("interprets", "interprets_external")):
        ctx.add(
            (src.positions.get((), (1, 1))[0], 1),
            "W301" if src.data.get("draft") is True else "E101",
            key="interprets",
            label="原文件",
            hint="加入 interprets: [索引号]；所解读文件不在本站时写 interprets_external: [{title: 标题, doc_number: 文号}]",
            hint_en="add interprets: [index_no]; for a document published elsewhere write "
            "interprets_external: [{title: …, doc_number: …}]",
        )
    out.diagnostics.extend(check_placeholders(src, kind))
    return out


def _conditional(ctx: _Ctx, values: dict[str, Any]) -> None:
    src = ctx.src
    info_type = values.get("info_type")
    data = src.data or {}
    if info_type in NORMATIVE_TYPES:
        pos = src.pos(("info_type",))
        for key, hint, hint_en in (
            ("doc_number", "加入 doc_number: 澜政规〔2024〕1号（规章用令号）", "add doc_number: 澜政规〔2024〕1号"),
            ("validity", "加入 validity: 有效，以及 validity_history", "add validity: 有效 and validity_history"),
        ):
            if key not in data and data.get("draft") is True:  # an incomplete draft: W301, as for E101
                ctx.add(pos, "W301", key=key, label=F.field_map("entry")[key].label, hint=hint)
            elif key not in data:
                ctx.add(pos, "E105", key=key, label="信息类别", doc_type=info_type, hint=hint, hint_en=hint_en)
    # A record imported from a CMS (origin) that states its current status only — the
    # initial 有效 or 尚未生效 — has no history to date; a change of status always needs one.
    imported_initial = "origin" in data and values.get("validity") in INITIAL_VALIDITY
    if "validity" in values and "validity_history" not in data and not imported_initial:
        if data.get("draft") is True:
            hint = f"补充带日期的效力记录，例如 - {{date: …, status: {values['validity']}}}"
            ctx.add(src.pos(("validity",)), "W301", key="validity_history", label="效力记录", hint=hint)
        else:
            ctx.add(src.pos(("validity",)), "E504", validity=values["validity"])


class _Ctx:
    def __init__(self, src: SourceFile, config: SiteConfig, diags: list[Diagnostic]) -> None:
        self.src = src
        self.config = config
        self.diags = diags

    def add(self, pos: tuple[int, int], code: str, **params: Any) -> None:
        self.diags.append(diag(self.src.path, pos, code, **params))

    def type_error(self, path: KeyPath, expected: str, value: Any, hint: str = "", hint_en: str = "") -> object:
        zh, en = F.TYPE_NAMES.get(expected, (expected, expected))
        actual_zh, actual_en = _describe(value)
        self.add(
            self.src.pos(path),
            "E103",
            key=_dotted(path),
            expected=zh,
            expected_en=en,
            actual=actual_zh,
            actual_en=actual_en,
            hint=hint,
            hint_en=hint_en,
        )
        return _INVALID

    # -- dispatch -------------------------------------------------------
    def coerce(self, ftype: str, value: Any, path: KeyPath) -> Any:
        method = getattr(self, "_" + ftype)
        return method(value, path)

    def _text(self, value: Any, path: KeyPath) -> Any:
        if isinstance(value, YamlDate):
            return value.text
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            many = isinstance(value, list)
            hint = "列表只能用于可以有多个值的字段；这里只写一个值" if many else ""
            hint_en = "a list is only for fields with several values; write one value here" if many else ""
            return self.type_error(path, "text", value, hint, hint_en)
        text = str(value).strip()
        if not text:
            self.add(self.src.pos(path), "E104", key=_dotted(path))
            return _INVALID
        control = CONTROL_RE.search(text)
        if control:  # written as an escape such as "\x1b" inside double quotes
            self.add(self.src.pos(path), "E019", char=f"U+{ord(control.group()):04X}")
            return _INVALID
        return text

    def _int(self, value: Any, path: KeyPath) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            return self.type_error(path, "int", value)
        return value

    def _bool(self, value: Any, path: KeyPath) -> Any:
        if not isinstance(value, bool):
            return self.type_error(path, "bool", value, "写 true 或 false", "write true or false")
        return value

    def _date(self, value: Any, path: KeyPath) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            digits = str(value)
            iso = f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}"
            hint = f"写成 {iso}" if len(digits) == 8 else "日期格式为 YYYY-MM-DD"
            hint_en = f"write {iso}" if len(digits) == 8 else "write dates as YYYY-MM-DD"
            return self.type_error(path, "date", value, hint, hint_en)
        if not isinstance(value, (str, YamlDate)):
            return self.type_error(path, "date", value, "日期格式为 YYYY-MM-DD", "write dates as YYYY-MM-DD")
        text = value.text if isinstance(value, YamlDate) else value.strip()
        parsed = parse_date(text)
        if parsed:
            return parsed
        if _ISO_SHAPE.match(text) and len(text) == 10:
            self.add(self.src.pos(path), "E202", value=text)
        else:
            self.add(self.src.pos(path), "E201", key=_dotted(path), value=text)
        return _INVALID

    def _list(self, value: Any, path: KeyPath, item_type: str, list_type: str) -> Any:
        if not isinstance(value, list):
            one = isinstance(value, str)
            hint = f"写成列表：[{value}]" if one else "写成列表：[值1, 值2]"
            hint_en = f"write a list: `[{value}]`" if one else "write a list: [value1, value2]"
            return self.type_error(path, list_type, value, hint, hint_en)
        items = [self.coerce(item_type, item, (*path, i)) for i, item in enumerate(value)]
        return tuple(x for x in items if x is not _INVALID)

    def _text_list(self, value: Any, path: KeyPath) -> Any:
        return self._list(value, path, "text", "text_list")

    def _agency(self, value: Any, path: KeyPath) -> Any:
        text = self._text(value, path)
        if text is _INVALID:
            return text
        if self.config.agency(text):
            return text
        by_name = next((a.id for a in self.config.agencies if text in (a.name, a.short_name)), None)
        ids = [a.id for a in self.config.agencies]
        suggestion = None
        if by_name:
            hint = f"这里填写机构 id：{by_name}"
        else:
            suggestion = did_you_mean(text, ids)
            hint = (
                f"您是不是要写 {suggestion}？"
                if suggestion
                else f"可用的机构 id：{'、'.join(ids)}（见 site_config.yml）"
            )
        en = f"use the agency id {by_name}" if by_name else ("" if suggestion else f"agency ids: {', '.join(ids)}")
        self.add(self.src.pos(path), "E402", value=text, hint=hint, suggestion=suggestion or "", hint_en=en)
        return _INVALID

    def _agency_list(self, value: Any, path: KeyPath) -> Any:
        return self._list(value, path, "agency", "agency_list")

    def _vocab(self, value: Any, path: KeyPath) -> Any:
        text = self._text(value, path)
        if text is _INVALID:
            return text
        key = str(path[-1]) if isinstance(path[-1], str) else str(path[-2])
        vocab: Vocabulary = getattr(self.config.vocab, _VOCAB_FOR[key])
        term = vocab.get(text)
        if term:
            return term.name
        suggestion = vocab.suggest(text)
        hint = f"您是不是要写 {suggestion}？" if suggestion else f"可选值：{' '.join(vocab.names())}"
        label = F.field_map("entry").get(key) or F.field_map("interpretation").get(key)
        self.add(
            self.src.pos(path),
            "E401",
            key=key,
            label=label.label if label else "效力状况",
            value=text,
            hint=hint,
            suggestion=suggestion or "",
            hint_en="" if suggestion else "allowed: " + ", ".join(f'"{name}"' for name in vocab.names()),
        )
        return _INVALID

    def _vocab_list(self, value: Any, path: KeyPath) -> Any:
        return self._list(value, path, "vocab", "vocab_list")

    def _topic(self, value: Any, path: KeyPath) -> Any:
        text = self._text(value, path)
        if text is _INVALID:
            return text
        tree = self.config.vocab.topics
        resolved = tree.resolve(text)
        if resolved is None and "\\" not in text:  # 一级/二级 as some sites write it
            resolved = tree.resolve(text.replace("/", "\\"))
        if resolved:
            return resolved
        close = tree.closest(text)
        if close:
            typed = [self._as_written(path, topic) for topic in close]
            hint, hint_en = f"您是不是要写 {' 或 '.join(typed)}？", f"did you mean {' or '.join(typed)}?"
        else:
            hint = f"格式为 {self._as_written(path, '一级' + chr(92) + '二级')}，取自主题分类表（docs/schema.md）"
            hint_en = (
                f"write {self._as_written(path, 'level1' + chr(92) + 'level2')}, from the topic tree (docs/schema.md)"
            )
        self.add(self.src.pos(path), "E401", key="topics", label="主题分类", value=text, hint=hint, hint_en=hint_en)
        return _INVALID

    def _as_written(self, path: KeyPath, value: str) -> str:
        """``value`` as the editor types it where ``path`` is: in the same quotes, escaped for them."""
        line, col = self.src.pos(path)
        rows = self.src.raw_front_matter.split("\n")
        row = rows[line - 2] if 0 <= line - 2 < len(rows) else ""
        quote = row[col - 1 : col]
        if quote == '"':
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if quote == "'":
            return "'" + value.replace("'", "''") + "'"
        return value

    def _topics(self, value: Any, path: KeyPath) -> Any:
        return self._list(value, path, "topic", "topics")

    def _index_no(self, value: Any, path: KeyPath) -> Any:
        text = self._text(value, path)
        if text is _INVALID:
            return text
        if not self.config.index_pattern.fullmatch(text):
            compact = compact_identifier(text)
            if compact != text and self.config.index_pattern.fullmatch(compact):
                self.add(self.src.pos(path), "E306", value=text, suggestion=compact)
            else:
                self.add(self.src.pos(path), "E301", value=text, example=self.config.index_example)
            return _INVALID
        return text

    def _index_no_list(self, value: Any, path: KeyPath) -> Any:
        return self._list(value, path, "index_no", "index_no_list")

    def _doc_number(self, value: Any, path: KeyPath) -> Any:
        text = self._text(value, path)
        if text is _INVALID:
            return text
        problem = check_doc_number(text)
        if problem is None:
            return text
        if problem.code in ("E312", "E305"):
            self.add(self.src.pos(path), problem.code, value=text, suggestion=problem.suggestion)
        else:
            self.add(self.src.pos(path), "E311", value=text, hint=problem.hint_zh, hint_en=problem.hint_en)
        return _INVALID

    def _mapping(self, value: Any, path: KeyPath, name: str) -> Any:
        spec = F.SUBFIELDS[name]
        if not isinstance(value, dict):
            shape = "{" + ", ".join(spec) + "}"
            kind = name if name in ("media", "relations") else "mapping"
            return self.type_error(path, kind, value, f"写成 {shape} 的形式", f"write it as {shape}")
        out: dict[str, Any] = {}
        for key, sub in value.items():
            if key not in spec:
                suggestion = did_you_mean(key, spec)
                hint = f"您是不是要写 {suggestion}？" if suggestion else f"可用：{'、'.join(spec)}"
                self.add(
                    self.src.key_pos((*path, key)),
                    "E102",
                    key=_dotted((*path, key)),
                    hint=hint,
                    suggestion=suggestion or "",
                    hint_en="" if suggestion else f"allowed: {', '.join(spec)}",
                )
                continue
            if sub is None or sub == [] or sub == "":
                continue
            typed = self.coerce(spec[key][1], sub, (*path, key))
            if typed is not _INVALID:
                out[key] = typed
        for key, (required, _) in spec.items():
            if required and key not in value:
                self.add(
                    self.src.pos(path),
                    "E101",
                    key=_dotted((*path, key)),
                    label=key,
                    hint=f"加入 {key}: …",
                    hint_en=f"add {key}: …",
                )
                return _INVALID
        return out

    def _events(self, value: Any, path: KeyPath) -> Any:
        name = str(path[0])
        if not isinstance(value, list):
            return self.type_error(
                path,
                "events",
                value,
                "每条记录一行：- {date: 2024-01-01, …}",
                "one record per line: - {date: 2024-01-01, …}",
            )
        items = [self._mapping(item, (*path, i), name) for i, item in enumerate(value)]
        if any(x is _INVALID for x in items):
            return _INVALID
        previous: dt.date | None = None
        for i, item in enumerate(items):
            if previous and item["date"] < previous:
                self.add(
                    self.src.pos((*path, i, "date")),
                    "E204",
                    key=name,
                    value=item["date"].isoformat(),
                    previous=previous.isoformat(),
                )
            previous = item["date"]
        return tuple(items)

    def _attachments(self, value: Any, path: KeyPath) -> Any:
        if not isinstance(value, list):
            return self.type_error(
                path,
                "attachments",
                value,
                "每个附件一行：- {title: …, file: …, sha256: …}",
                "one attachment per line: - {title: …, file: …, sha256: …}",
            )
        items = [self._mapping(item, (*path, i), "attachments") for i, item in enumerate(value)]
        for i, item in enumerate(items):
            if item is not _INVALID and "sha256" in item and not re.fullmatch(r"[0-9a-f]{64}", item["sha256"]):
                self.add(self.src.pos((*path, i, "sha256")), "E604")
        return tuple(x for x in items if x is not _INVALID)

    def _acks(self, value: Any, path: KeyPath) -> Any:
        if not isinstance(value, list):
            return self.type_error(
                path,
                "acks",
                value,
                '每项一行：- {value: "号码", reason: 理由}',
                'one per line: - {value: "number", reason: …}',
            )
        items = [self._mapping(item, (*path, i), "privacy_ack") for i, item in enumerate(value)]
        return tuple(x for x in items if x is not _INVALID)

    def _relations(self, value: Any, path: KeyPath) -> Any:
        return self._mapping(value, path, "relations")

    def _media(self, value: Any, path: KeyPath) -> Any:
        return self._mapping(value, path, "media")

    def _origin(self, value: Any, path: KeyPath) -> Any:
        return self._mapping(value, path, "origin")

    def _external_refs(self, value: Any, path: KeyPath) -> Any:
        if not isinstance(value, list):
            return self.type_error(
                path,
                "external_refs",
                value,
                "每项一行：- {title: 标题, doc_number: 文号, url: 网址}",
                "one line per item: - {title: …, doc_number: …, url: …}",
            )
        items = [self._mapping(item, (*path, i), "interprets_external") for i, item in enumerate(value)]
        for i, item in enumerate(items):
            url = item.get("url") if isinstance(item, dict) else None
            if url and not re.match(r"^https?://[^\s<>\"']+$", url):
                self.add(self.src.pos((*path, i, "url")), "E307", value=url)
        return tuple(x for x in items if x is not _INVALID)


def _dotted(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _describe(value: Any) -> tuple[str, str]:
    if isinstance(value, list):
        return "列表", "a list"
    if isinstance(value, dict):
        return "映射", "a mapping"
    if isinstance(value, bool):
        return f"布尔值 {str(value).lower()}", f"boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"数字 {value}", f"number {value}"
    if isinstance(value, YamlDate):
        return f"日期 {value.text}", f"date {value.text}"
    if value is None:
        return "空值", "null"
    return f"文字 “{value}”", f"text '{value}'"
