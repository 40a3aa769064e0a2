"""``gongkai new``: a valid file with every field present or commented, in Chinese.

The template is generated from the schema (model/fields.py), so a new field
appears in templates the day it is added. Required fields get working values
(the next free 索引号 for the agency and year, today's date); optional fields
are written as comments the editor can uncomment.

The stand-in texts a template carries (:func:`generator.model.stand_ins.placeholders`)
are also what ``gongkai check`` looks for: an untouched template is
reported, never published.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from generator.model import fields as F
from generator.model.stand_ins import BODY_PLACEHOLDER

if TYPE_CHECKING:
    from generator.model.siteconfig import Agency, SiteConfig
    from generator.project import Project


class ScaffoldError(Exception):
    pass


class NeedAgency(ScaffoldError):
    """``--agency`` is missing; ``agencies`` are the configured ones to choose from."""

    def __init__(self, agencies: list[Agency]) -> None:
        self.agencies = agencies
        listing = "；".join(f"{a.id}（{a.name}）" for a in agencies)
        super().__init__(f"请用 --agency 指定机构 id。可用的机构：{listing}")


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


def suggested_path(kind: str, agency_id: str, index_no: str) -> str:
    """Where the file of a new item goes, named like the sample: ``<agency>-<year>-<serial>.md``."""
    year, serial = index_no.rsplit("/", 1)[-1].split("-", 1)
    folder = "catalogue" if kind == "entry" else "content/interpretations"
    return f"{folder}/{year}/{agency_id}-{year}-{serial}.md"


def scaffold(
    root: Path, kind: str, agency_id: str | None, interprets: str | None, on: dt.date | None
) -> tuple[str, str]:
    """Return ``(text, suggested_path)`` for a new file of ``kind``."""
    from generator.project import default_build_date, load_project

    day = on or default_build_date()
    if kind == "page":
        return _render(F.PAGE_FIELDS, {}), "content/pages/new-page.md"
    project = load_project(root, day)
    cfg = project.config
    if not cfg.agencies:
        raise ScaffoldError("site_config.yml 中没有机构名录（agencies）")
    target = _interpreted(project, interprets) if kind == "interpretation" else None
    if agency_id is None and target is not None:
        agency_id = project.catalogue.entries[target].publisher  # 谁起草、谁解读
    agency = _agency(cfg, agency_id)
    index_no = next_index_no(root, agency.code, day.year)
    values = {"index_no": index_no, "agency": agency.id, "date": day.isoformat()}
    path = suggested_path(kind, agency.id, index_no)
    if kind == "entry":
        return _render(F.ENTRY_FIELDS, values), path
    values["target"] = str(target)
    return _render(F.INTERPRETATION_FIELDS, values), path


def _agency(cfg: SiteConfig, agency_id: str | None) -> Agency:
    if agency_id is None:
        raise NeedAgency(list(cfg.agencies))
    agency = cfg.agency(agency_id)
    if agency is None:
        listing = "；".join(f"{a.id}（{a.name}）" for a in cfg.agencies)
        raise ScaffoldError(f"未知机构 {agency_id}。可用的机构：{listing}")
    return agency


def _interpreted(project: Project, interprets: str | None) -> str:
    entries = project.catalogue.entries
    newest = project.catalogue.newest_entries()
    if interprets is None:
        if not newest:
            raise ScaffoldError("目录中还没有可解读的文件，请先创建条目，或用 --interprets 指定索引号")
        return newest[0].index_no
    if interprets in entries:
        return interprets
    close = difflib.get_close_matches(interprets, list(entries), n=3, cutoff=0.6)
    recent = [e.index_no for e in newest[:3] if e.index_no not in close]
    parts = [f"索引号 {interprets} 不存在。"]
    if close:
        parts.append(f"您是不是要写 {'、'.join(close)}？")
    if recent:
        parts.append(f"最近公开的文件：{'、'.join(recent)}")
    raise ScaffoldError("".join(parts))


def _render(fields: tuple[F.Field, ...], values: dict[str, str]) -> str:
    lines = ["---"]
    for fld in fields:
        need = {"yes": "必填", "cond": "条件必填", "no": "选填"}[fld.required]
        help_text = fld.help.split("：", 1)[1] if fld.help.startswith(fld.label + "：") else fld.help
        lines.append(f"# {fld.label}（{need}）：{help_text}")
        if fld.example:
            lines.append(f"{fld.name}: {fld.example.format(**values)}")
        else:
            lines.append(f"# {fld.name}: {fld.sample or '…'}")
    lines += ["---", "", BODY_PLACEHOLDER, ""]
    return "\n".join(lines)
