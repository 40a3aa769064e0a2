"""The mapping file (``--mapping``): overrides the built-in label table, states values an
export does not carry, per export file if need be.

```yaml
columns:               # 表头 → 字段；null 表示忽略该列
  信息名称: title
  栏目: null
values:                # 来源中没有、由网站团队确认的值，写入每条记录（报告中注明）
  disclosure: 主动公开
kind: entry            # entry 或 interpretation；省略时按列推断
files:                 # 只对某个导出文件生效（按文件名）
  interpretations.jsonl:
    kind: interpretation
    values: {form: 文字}
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, diag
from generator.importer.labels import TARGETS, normalise_label
from generator.model import fields as F
from generator.source.frontmatter import YamlDate, parse_yaml_file

_VALUE_FIELDS = {f.name for kind in ("entry", "interpretation") for f in F.FIELDS_BY_KIND[kind]}
COLUMN_TARGETS = TARGETS | (_VALUE_FIELDS - {"history", "privacy_ack", "draft", "embargo_until", "validity_history"})


@dataclass
class Mapping:
    columns: dict[str, str | None] = field(default_factory=dict)  # normalised label -> target (None: ignore)
    values: dict[str, Any] = field(default_factory=dict)
    kind: str | None = None
    files: dict[str, Mapping] = field(default_factory=dict)

    def for_file(self, name: str) -> Mapping:
        """The mapping for one export file: its own section over the general one."""
        own = self.files.get(name)
        if own is None:
            return self
        return Mapping({**self.columns, **own.columns}, {**self.values, **own.values}, own.kind or self.kind)


def _plain(value: Any) -> Any:
    if isinstance(value, YamlDate):
        return value.text
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def load_mapping(path: Path) -> tuple[Mapping, list[Diagnostic]]:
    shown = path.as_posix()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Mapping(), [diag(shown, None, "E905", key="", problem=exc.strerror or str(exc))]
    src = parse_yaml_file(shown, raw)
    if src.data is None:
        return Mapping(), list(src.diagnostics)
    diags = list(src.diagnostics)

    def section(data: dict[str, Any], where: tuple[str | int, ...]) -> Mapping:
        out = Mapping()
        for key, value in data.items():
            here = (*where, key)
            if key == "columns" and isinstance(value, dict):
                for label, target in value.items():
                    if target is not None and (not isinstance(target, str) or target not in COLUMN_TARGETS):
                        diags.append(
                            diag(
                                shown,
                                src.pos((*here, label)),
                                "E905",
                                key=f"columns.{label}",
                                problem=f"未知字段 {target}（可用字段见 docs/import.md）",
                            )
                        )
                        continue
                    out.columns[normalise_label(str(label))] = target
            elif key == "values" and isinstance(value, dict):
                for name, v in value.items():
                    if name not in _VALUE_FIELDS:
                        diags.append(
                            diag(shown, src.key_pos((*here, name)), "E905", key=f"values.{name}", problem="未知字段")
                        )
                        continue
                    out.values[name] = _plain(v)
            elif key == "kind" and value in ("entry", "interpretation"):
                out.kind = value
            elif key == "files" and isinstance(value, dict) and not where:
                for name, sub in value.items():
                    if isinstance(sub, dict):
                        out.files[str(name)] = section(sub, (*here, name))
                    else:
                        diags.append(
                            diag(shown, src.pos((*here, name)), "E905", key=f"files.{name}", problem="应为映射")
                        )
            else:
                diags.append(
                    diag(
                        shown,
                        src.key_pos(here),
                        "E905",
                        key=".".join(str(p) for p in here),
                        problem="未知配置项或类型不对（可用：columns、values、kind、files）",
                    )
                )
        return out

    return section(src.data, ()), diags
