"""What an import did (or, with ``--dry-run``, would do), for the web team: the inferred
mapping, how vocabulary values are read, files written, values the source lacks."""

from __future__ import annotations

from collections import Counter

from generator.importer.core import VOCAB_FIELDS, ImportResult
from generator.model import fields as F

_FIELD_LABELS = {f.name: f.label for kind in ("entry", "interpretation") for f in F.FIELDS_BY_KIND[kind]}
_EXTRA = {
    "topic1": ("主题(一)", "topic level 1"),
    "topic2": ("主题(二)", "topic level 2"),
    "origin.id": ("来源记录 id", "source record id"),
    "origin.url": ("原网址", "source address"),
    "interprets_title": ("所解读文件标题", "title of the document explained"),
    "interprets_doc_number": ("所解读文件文号", "doc number of the document explained"),
    "interprets_url": ("所解读文件网址", "address of the document explained"),
    "derived.genre": ("体裁是否推断", "genre guessed?"),
    "derived.publisher": ("机构是否推断", "agency guessed?"),
    "kind": ("记录类型", "record kind"),
}


def _field(target: str | None, lang: str) -> str:
    if target is None:
        return "（未使用）" if lang == "zh" else "(not used)"
    if target in _EXTRA:
        zh, en = _EXTRA[target]
        return f"{target}（{zh}）" if lang == "zh" else f"{target} ({en})"
    label = _FIELD_LABELS.get(target)
    return f"{target}（{label}）" if label and lang == "zh" else target


def render(result: ImportResult, lang: str = "zh") -> str:
    zh = lang == "zh"
    out: list[str] = []
    for src in result.sources:
        head = (
            f"{src.path}：{src.format.upper()}，{src.encoding or '—'}，{len(src.records)} 条记录"
            if zh
            else f"{src.path}: {src.format.upper()}, {src.encoding or '-'}, {len(src.records)} records"
        )
        out.append(head)
        for label, target in result.mappings.get(src.path, {}).items():
            out.append(f"  {label} → {_field(target, lang)}")
    readings = {k: v for k, v in result.vocab_readings.items() if v}
    if readings:
        out.append("词表字段的取值及读法：" if zh else "vocabulary values and how they are read:")
        for key in ("topics", *VOCAB_FIELDS):
            if key not in readings:
                continue
            out.append(f"  {key}（{_FIELD_LABELS.get(key, key)}）：" if zh else f"  {key}:")
            for (raw, reading), n in sorted(readings[key].items(), key=lambda kv: (-kv[1], kv[0])):
                if reading == "+":
                    how = "本地新增词（写入 site_config.yml）" if zh else "new local term (added to site_config.yml)"
                elif reading == "?":
                    how = (
                        "不在本站词表中（按原样写入，check 会报告）"
                        if zh
                        else "not in the site vocabulary (kept as is)"
                    )
                elif reading == raw:
                    how = "原样" if zh else "as is"
                else:
                    how = f"读作 {reading}" if zh else f"read as {reading}"
                out.append(f"    {raw} ×{n}：{how}" if zh else f"    {raw} x{n}: {how}")
    statuses = Counter(o.status for o in result.outcomes)
    drafts = [o for o in result.outcomes if o.missing]
    verb = "将" if result.dry_run and zh else ""
    if zh:
        out.append(
            f"{verb}新建 {statuses['created']} 个文件，{verb}更新 {statuses['updated']} 个，{statuses['unchanged']} 个未变"
            f"（{result.root}）"
        )
    else:
        would = "would be " if result.dry_run else ""
        out.append(
            f"{statuses['created']} files {would}created, {statuses['updated']} {would}updated, "
            f"{statuses['unchanged']} unchanged ({result.root})"
        )
    if drafts:
        missing = Counter(k for o in drafts for k in o.missing)
        listing = "、".join(f"{k}（{_FIELD_LABELS.get(k, k)}）×{n}" for k, n in sorted(missing.items()))
        out.append(
            f"{len(drafts)} 条记录缺少来源没有提供的必填值，作为草稿导入：{listing}"
            if zh
            else f"{len(drafts)} records lack required values their source does not give; imported as drafts: "
            + ", ".join(f"{k} x{n}" for k, n in sorted(missing.items()))
        )
    if result.agencies_added:
        out.append("新增机构：" if zh else "agencies added:")
        for a in result.agencies_added:
            code = a.get("code") or ("（无前段码）" if zh else "(no code)")
            out.append(f"  {a['id']}  {a['name']}  {code}")
    if result.config_text is not None:
        done = "将写入" if result.dry_run else "已写入"
        out.append(
            f"{done}新仓库的 site_config.yml（请核对站点名称、网址）："
            if zh
            else "site_config.yml for the new repository:"
        )
        out.extend("  " + line for line in result.config_text.rstrip("\n").split("\n"))
    if result.dry_run:
        out.append("（--dry-run：未写入任何文件）" if zh else "(--dry-run: nothing was written)")
    return "\n".join(out)
