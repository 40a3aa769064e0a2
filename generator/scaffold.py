"""``gongkai new``: a valid file with every field present or commented, in Chinese.

The template is generated from the schema (model/fields.py), so a new field
appears in templates the day it is added. Required fields get working values
(the next free 索引号 for the agency and year, today's date); optional fields
are written as comments the editor can uncomment.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from generator.model import fields as F
from generator.project import default_build_date, load_project


class ScaffoldError(Exception):
    pass


_OPTIONAL_EXAMPLES = {
    "doc_number": "澜政办发〔2024〕1号",
    "registration_no": "LJGS-2024-001",
    "effective_date": "2024-04-01",
    "expires": "2029-03-31",
    "abstract": "一两句话说明主要内容",
    "validity": "有效",
    "validity_history": "[{date: 2024-04-01, status: 有效}]",
    "procedure": "部门起草，经办公室审核后公开",
    "attachments": "[{title: 附件1, file: files/example.pdf, sha256: …}]",
    "relations": "{amends: [], repeals: [], replaces: []}",
    "history": "[{date: 2024-05-01, note: 更正联系电话}]",
    "embargo_until": "2024-06-01",
    "interpreter": "张某某（局长）",
    "contact": "0000-00000000",
    "topics": '["综合政务\\\\政务公开"]',
    "media": "{file: files/example.mp4, title: 视频文字实录}",
    "nav_order": "10",
}


def next_index_no(root: Path, code: str, year: int) -> str:
    """The next unused serial for ``code`` and ``year``, scanning every source file."""
    pattern = re.compile(rf"^index_no:\s*['\"]?{re.escape(code)}/{year}-(\d+)", re.MULTILINE)
    highest = 0
    for folder in ("catalogue", "content"):
        for path in (root / folder).rglob("*.md") if (root / folder).is_dir() else ():
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            for m in pattern.finditer(text):
                highest = max(highest, int(m.group(1)))
    return f"{code}/{year}-{highest + 1:05d}"


def scaffold(
    root: Path, kind: str, agency_id: str | None, interprets: str | None, on: dt.date | None
) -> tuple[str, str]:
    """Return ``(text, suggested_path)`` for a new file of ``kind``."""
    day = on or default_build_date()
    if kind == "page":
        return _render(F.PAGE_FIELDS, {}), "content/pages/new-page.md"
    project = load_project(root, day)
    cfg = project.config
    if not cfg.agencies:
        raise ScaffoldError("site_config.yml 中没有机构名录（agencies）")
    agency = cfg.agency(agency_id) if agency_id else cfg.agencies[0]
    if agency is None:
        raise ScaffoldError(f"未知机构 {agency_id}；可用：{'、'.join(a.id for a in cfg.agencies)}")
    index_no = next_index_no(root, agency.code, day.year)
    values = {"index_no": index_no, "agency": agency.id, "date": day.isoformat()}
    slug = index_no.replace("/", "-")
    if kind == "entry":
        return _render(F.ENTRY_FIELDS, values), f"catalogue/{day.year}/{slug}.md"
    target = interprets
    if target is None:
        newest = project.catalogue.newest_entries()
        if not newest:
            raise ScaffoldError("目录中还没有可解读的文件，请先创建条目，或用 --interprets 指定索引号")
        target = newest[0].index_no
    elif target not in project.catalogue.entries:
        raise ScaffoldError(f"索引号 {target} 不存在")
    values["target"] = target
    return _render(F.INTERPRETATION_FIELDS, values), f"content/interpretations/{day.year}/{slug}.md"


def _render(fields: tuple[F.Field, ...], values: dict[str, str]) -> str:
    lines = ["---"]
    for fld in fields:
        need = {"yes": "必填", "cond": "条件必填", "no": "选填"}[fld.required]
        help_text = fld.help.split("：", 1)[1] if fld.help.startswith(fld.label + "：") else fld.help
        lines.append(f"# {fld.label}（{need}）：{help_text}")
        if fld.example:
            lines.append(f"{fld.name}: {fld.example.format(**values)}")
        else:
            example = _OPTIONAL_EXAMPLES.get(fld.name, "…")
            lines.append(f"# {fld.name}: {example}")
    lines += ["---", "", "在此撰写正文（Markdown）。", ""]
    return "\n".join(lines)
